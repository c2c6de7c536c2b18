"""Input types that take what the schema documents and the database can hold: anything else
is a 422, never a 500 nor a silent reading, on any database.

Path and query integers are otherwise unbounded in Python, and a 20-digit id reaches the
database as an overflow (found by the schema tests, issue 6 §7). Text with a NUL character is
refused by PostgreSQL but kept by SQLite, where it would reach the announcements and pages; a
lone surrogate (JSON's ``"\ud800"``) is valid JSON but no text either database can encode.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

BIGINT_MAX = 2**63 - 1

RowId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
Cursor = Annotated[int, Field(ge=0, le=BIGINT_MAX)]


def _storable(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "text contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("lone_surrogate", "text contains a lone surrogate") from None
    return value


# The check of ``Text``, for a type that puts a length limit of its own before it.
STORABLE = AfterValidator(_storable)
# Text of a request body (the importers refuse the same character in a file's cells).
Text = Annotated[str, STORABLE]
# A length limit on a type rather than on a field (a list's items) goes before ``STORABLE``:
# ``Annotated[str, StringConstraints(max_length=64), STORABLE]``. There pydantic counts the
# characters of a string (``string_too_long``, "最多 64 个字符"); put after a validator, as in
# ``Annotated[Text, Field(max_length=64)]``, it checks a length of anything, in a list's words
# ("最多 64 项"). A limit given in a field's own ``Field`` is a string's either way.


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _filled(value: str) -> str:
    if not value:
        raise PydanticCustomError("blank", "text is empty or only whitespace")
    return value


# Text that must say something, taken without its surrounding whitespace (stripped before any
# length limit is counted): what the office's forms require of the same field, as Django strips
# a form's text and refuses it left blank, so that a step is refused, or recorded with the same
# words, whichever way it is sent. The schema tells a client with a pattern: at least one
# character that is not a space.
Filled = Annotated[
    Text,
    BeforeValidator(_stripped),
    AfterValidator(_filled),
    Field(json_schema_extra={"pattern": r"\S"}),
]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    # pydantic also reads a number as a Unix time, so that ``since=0`` meant 1970-01-01 and
    # ``since=20261101`` a refusal without a useful reason: a date is written as documented.
    if isinstance(value, str | int | float) and not _ISO_DATE.fullmatch(str(value)):
        raise PydanticCustomError("date_parsing", "a date is written YYYY-MM-DD")
    return value


# A date parameter: YYYY-MM-DD, as the schema's ``format: date`` says, and nothing else.
Day = Annotated[dt.date, BeforeValidator(_iso_date)]


PAGE_MAX = 1000


class Pagination(LimitOffsetPagination):
    """Limit/offset pages of at most ``PAGE_MAX`` items, at an offset the database can take."""

    class Input(LimitOffsetPagination.Input):
        limit: int = Field(100, ge=1, le=PAGE_MAX)
        offset: int = Field(0, ge=0, le=2**62)

    def __init__(self, max_limit: int = PAGE_MAX, **kwargs) -> None:
        super().__init__(max_limit=max_limit, **kwargs)


class ClosedSchema(Schema):
    """A request body that takes only the fields it lists: any other is refused (422,
    ``extra_forbidden``, the field named) rather than dropped, where a field a caller believes
    kept (a misspelt or newer one) would otherwise be lost without a word."""

    model_config = ConfigDict(extra="forbid")
