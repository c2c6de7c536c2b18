"""What checking a row answers: the row's result, its problems, and a row a reader could only
partly read (R9, R13, 001 §14). Every problem has a stable code and a Chinese message
(``reasons.MESSAGES``)."""

from __future__ import annotations

from typing import Any, NamedTuple

from xinyong.catalog.importers.reasons import MESSAGES


class Problem(NamedTuple):
    code: str
    column: str
    message: str


class RowResult(NamedTuple):
    """One data row's outcome: ``record`` when accepted (``problems`` are then notes)."""

    number: int
    record: tuple[Any, ...] | None
    problems: tuple[Problem, ...]
    values: tuple[str, ...] | None  # the row as the report shows it, when it has problems
    cells: list[str]  # as read; the report shows them only through ``RowChecker.report_values``


class FlawedRow(list):
    """A row a reader could only partly read: an over-long line, a CSV syntax error; or one
    whose reader left out values holding prohibited data (``sensitive-field``, with the
    columns and their topics in ``details["columns"]``)."""

    def __init__(self, cells: list[str], code: str, **details: Any) -> None:
        super().__init__(cells)
        self.code = code
        self.details = details


def problem(code: str, column: str = "", **params: Any) -> Problem:
    return Problem(code, column, MESSAGES[code].format(column=column, **params))
