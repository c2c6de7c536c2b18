"""Where a table's header is, in the spreadsheets offices send (DOMAIN.md §5; issue 4 items 1
and 6): the rows above it, and a header drawn on two rows.

Offices' exports and lists often open with a title (2026年第一批拟核查名单, 某市失信联合惩戒
措施清单), a date or who made them, on rows of their own or in a cell merged across the table.
A list may also group columns under a cell merged above them (措施属性 over 类型 and 性质),
their own names on the row below. Each reader says what a header names (``reads_as_header``,
``names_a_column``); finding it is the same for every reader, and here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

# Rows above the header a file may hold (a title, a date, who made it); past them the first
# row with anything in it is the header, recognised or not, for the reader to refuse.
TITLE_ROWS_MAX = 5

Record = TypeVar("Record")


def find_header(
    records: Iterator[Record],
    reads_as_header: Callable[[Sequence[str]], bool],
    cells: Callable[[Record], Sequence[str]],
) -> tuple[Record | None, int]:
    """The header record and how many records were read up to it: the first that reads as a
    header, past up to ``TITLE_ROWS_MAX`` filled rows above it (titles, which are no records);
    else the first record with anything in it. None when no record has anything in it."""
    first: Record | None = None
    filled = consumed = 0
    for record in records:
        consumed += 1
        row = cells(record)
        if not any(cell.strip() for cell in row):
            continue
        if reads_as_header(row):
            return record, consumed
        if first is None:
            first = record
        filled += 1
        if filled > TITLE_ROWS_MAX:
            break
    return first, consumed


def under_groups(
    upper: Sequence[str], lower: Sequence[str], names_a_column: Callable[[str], bool]
) -> list[str] | None:
    """The header a two-row header makes, each column named by the lower row or, where that is
    blank, by the upper one (措施属性 above 类型 and 性质 gives 类型 and 性质); None when
    ``lower`` is not the second row of a header.

    It is when it names at least one column and every other cell in it is blank or repeats the
    cell above: a workbook's range merged down over both rows is read into each cell it covers
    (``core.merged_cells``), and a CSV export keeps it in the upper row only, as it keeps a
    group merged across columns in its first column, the cells after it blank. A row of data
    holds values, not column names, and is never taken for one."""
    width = max(len(upper), len(lower))
    upper = [*upper, *[""] * (width - len(upper))]
    lower = [*lower, *[""] * (width - len(lower))]
    named = False
    for above, below in zip(upper, lower, strict=True):
        if not below.strip() or below.strip() == above.strip():
            continue
        if not names_a_column(below):
            return None
        named = True
    if not named:
        return None
    return [below if below.strip() else above for above, below in zip(upper, lower, strict=True)]
