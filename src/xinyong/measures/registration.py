"""Writing a check's registration (R14) in one prepared statement, and its answer as JSON once.

A check is the busiest write there is: implementing departments' systems call thousands of
times a second, and each call is registered before it is answered. Through the ORM the insert
cost about as much Python as the rest of the check together (a model instance, each value
adapted by its field, the JSON answer encoded for the row, then validated and encoded again for
the reply). Here the row is a list of values (only the id, the time and the date need their
fields' adaptation), the statement is prepared once per connection and sent by the driver
(``statements.run``), and the answer is encoded once (by orjson, a tenth of the time of the
standard library's encoder): the same text goes into the row and, with the check's id in front,
out as the reply.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import orjson
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from xinyong.measures import statements
from xinyong.measures.models import Check

_COLUMNS = (
    "id", "created_at", "as_of", "user_id", "department_id", "scenario_id", "subject_id",
    "query_identifier", "query_name", "name_with_code", "result", "response", "client_address",
    "token_id",
)  # fmt: skip
assert set(_COLUMNS) == {f.attname for f in Check._meta.concrete_fields}, (
    "a column of Check is missing from its registration"
)
# The values the database cannot take as Python gives them on every backend (a UUID, an aware
# time and a date on SQLite); the others are numbers, text and the answer's JSON text.
_ADAPTED = tuple(Check._meta.get_field(name) for name in ("id", "created_at", "as_of"))
_INSERT = (
    f"INSERT INTO {Check._meta.db_table} ({', '.join(_COLUMNS)})"
    f" VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
)


@dataclasses.dataclass(frozen=True, slots=True)
class Registration:
    """A registered check: its id and its answer's JSON text, as stored."""

    check_id: uuid.UUID
    answer_text: str


def register(
    *, as_of: Any, user: Any, department: Any, scenario_id: int, subject: Any,
    query_identifier: str = "", query_name: str = "", name_with_code: str = "",
    response: dict[str, Any], client_address: str | None = None, token: Any = None,
) -> Registration:  # fmt: skip
    """Insert the check; when this returns outside a transaction, it is durable (autocommit).

    ``response`` is the answer without the check's id and must hold its ``result``; ``token``
    the API token the call came with, registered beside the account (R14): none in a session,
    nor for a grant with no row (the demo's history).
    """
    text = orjson.dumps(response).decode()  # compact, Chinese as itself, key order kept
    check_id = uuid.uuid4()
    db = connections[DEFAULT_DB_ALIAS]
    adapted = [
        field.get_db_prep_save(value, db)
        for field, value in zip(_ADAPTED, (check_id, timezone.now(), as_of), strict=True)
    ]
    params = [
        *adapted, user.pk, department.pk, scenario_id, None if subject is None else subject.pk,
        query_identifier, query_name, name_with_code, response["result"], text,
        client_address or None, getattr(token, "pk", None),
    ]  # fmt: skip
    statements.run("xinyong_check_insert", _INSERT, params, fetch=False)
    return Registration(check_id, text)


def answer_json(registration: Registration) -> str:
    """The API's answer to a check: its id, then the answer as registered."""
    return f'{{"check_id":"{registration.check_id}",{registration.answer_text[1:]}'
