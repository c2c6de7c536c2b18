"""Writing a check's registration (R14) in one prepared statement, and its answer as JSON once.

A check is the busiest write there is: implementing departments' systems call thousands of
times a second, and each call is registered before it is answered. Through the ORM the insert
cost about as much Python as the rest of the check together (building the statement, adapting
each value, and the JSON answer encoded for the row, then validated and encoded again for the
reply). Here the row's values are adapted by their own fields, the statement is prepared once
per connection (``selectors.execute_prepared``), and the answer is encoded once: the same text
goes into the row and, with the check's id in front, out as the reply.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db import connection
from django.utils import timezone

from xinyong.measures.models import Check
from xinyong.measures.selectors import execute_prepared

_COLUMNS = (
    "id", "created_at", "as_of", "user_id", "department_id", "scenario_id", "subject_id",
    "query_identifier", "query_name", "result", "response",
)  # fmt: skip
_FIELDS = {f.attname: f for f in Check._meta.concrete_fields}
assert set(_COLUMNS) == set(_FIELDS), "a column of Check is missing from its registration"
_INSERT = (
    f"INSERT INTO {Check._meta.db_table} ({', '.join(_COLUMNS)})"
    f" VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
)


def register(
    *, as_of: Any, user: Any, department: Any, scenario_id: int, subject: Any,
    query_identifier: str = "", query_name: str = "", response: dict[str, Any],
) -> Check:  # fmt: skip
    """Insert the check (autocommit: it is durable when this returns) and return it, with its
    answer's JSON text kept as ``answer_text``."""
    text = json.dumps(response, ensure_ascii=False, separators=(",", ":"))
    check = Check(
        id=uuid.uuid4(), created_at=timezone.now(), as_of=as_of, user=user,
        department=department, scenario_id=scenario_id, subject=subject,
        query_identifier=query_identifier, query_name=query_name, result=response["result"],
        response=response,
    )  # fmt: skip
    params = []
    for column in _COLUMNS:
        if column == "response":
            params.append(text)  # already JSON: jsonb on PostgreSQL, text elsewhere
        else:
            params.append(_FIELDS[column].get_db_prep_save(getattr(check, column), connection))
    with connection.cursor() as cursor:
        execute_prepared(cursor, "xinyong_check_insert", _INSERT, params)
    check._state.adding = False
    check._state.db = connection.alias
    check.answer_text = text  # type: ignore[attr-defined]
    return check


def answer_json(check: Check) -> str:
    """The API's answer to a check: its id, then the answer as registered (never empty)."""
    text = getattr(check, "answer_text", None) or json.dumps(
        check.response, ensure_ascii=False, separators=(",", ":")
    )
    return f'{{"check_id":"{check.pk}",{text[1:]}'
