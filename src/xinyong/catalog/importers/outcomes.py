"""What checking a row answers: the row's result, its problems, a row a reader could only
partly read, one it read narrower than written, and a spreadsheet's row whose cells hold what
their text does not say (R9, R13, 001 §14, DOMAIN.md §4). Every problem has a
stable code and a Chinese message (``reasons.MESSAGES``)."""

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


class TrimmedRow(list):
    """A CSV row written wider than the header with empty cells only past it, which the reader
    dropped: a row ending in a delimiter. Checked as the row without them; but in a file with
    a prohibited column the report shows none of its cells (001 §14): a delimiter too many
    earlier in the row, and an empty last cell, would have left the same empty cell at the end
    and shifted every later value right, a prohibited one into another column."""


class SheetRow(list):
    """A spreadsheet row with cells whose text is not what they hold: error values (#N/A,
    #VALUE! …), which the reader reads as empty cells, by position in ``errors``; and numbers
    of more than 15 digits, which a spreadsheet cannot hold exactly, by position in
    ``numbers`` (``core.tables.cell_text``). The checker refuses the row for an error
    anywhere, and for such a number in an identifier's column (DOMAIN.md §4)."""

    def __init__(
        self, cells: list[str], *, errors: dict[int, str], numbers: tuple[int, ...]
    ) -> None:
        super().__init__(cells)
        self.errors = errors
        self.numbers = numbers


def written_wider(cells: list[str]) -> bool:
    """Whether a row was read as a ``TrimmedRow``, also one then refused for a prohibited key
    in a cell's JSON (``details["trimmed"]``)."""
    if type(cells) is TrimmedRow:
        return True
    return type(cells) is FlawedRow and bool(cells.details.get("trimmed"))


def problem(code: str, column: str = "", **params: Any) -> Problem:
    return Problem(code, column, MESSAGES[code].format(column=column, **params))
