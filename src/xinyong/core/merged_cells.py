"""Merged cells in a workbook's first sheet: the merged range's value is every cell it covers
(issue 4 item 1; R9, R10).

A spreadsheet keeps a merged range's value in its top-left cell alone; the other cells it
covers are empty in the file. Read cell by cell, a measures list with 领域 or 实施部门 merged
over several rows (a common layout) gives every row but the first an empty cell, which the
loader reads as "every domain, every department": the measure would be widened without a word
(R10). An import would read a missing 认定部门 or 决定日期. So every reader of the rows
(``core.tables`` for the commands, the importer's ``ExcelTable``) gives each covered cell the
top-left cell's value, which is what the author shows and means; an error value there
(``core.spreadsheet_errors``) is the covered cells' error too.

A row that holds nothing outside the merged ranges it lies in stays empty: a range that runs on
into blank rows, or a record drawn two rows tall with every column merged, makes no record of
its own. Ranges are clipped to the sheet's rectangle (python-calamine's: from its first used
column to its last, from A1 to its last row): a cell past it holds nothing for any row.

python-calamine (0.9.1) gives the ranges of .xlsx, .xlsm and .xls
(``CalamineSheet.merged_cell_ranges``) and none of .xlsb or .ods; those are read from the file here,
as ``core.spreadsheet_errors`` reads error values: the first sheet's BrtMergeCell records (MS-XLSB
2.4.553) and the first table's ``table:number-columns-spanned`` and ``number-rows-spanned`` in
``content.xml``, streamed (``core.ods_content``). Clipped ranges covering more than ``max_cells``
cells (ranges that overlap, in a file made to) refuse the workbook as too large (R14).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from xinyong.core.ods_content import TABLE, FirstTable, read_content
from xinyong.core.spreadsheet_errors import _BROKEN, _xlsb_first_sheet, _xlsb_records
from xinyong.core.tables import cell_text, too_many_cells, unreadable_excel
from xinyong.core.zipped_xml import member

# first row, first column, last row, last column: counted from 0 from the sheet's A1.
Range = tuple[int, int, int, int]


class _Ranges:
    """Ranges as they are found, kept when they cover more than one cell of the rectangle."""

    def __init__(self, last_row: int, first_column: int, last_column: int, limit: int) -> None:
        self.last_row, self.first_column, self.last_column = last_row, first_column, last_column
        self.limit, self.cells = limit, 0
        self.found: list[Range] = []

    def add(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        if last_row < first_row or last_column < first_column:
            return
        rows = min(last_row, self.last_row) - first_row + 1
        columns = min(last_column, self.last_column) - max(first_column, self.first_column) + 1
        if rows <= 0 or columns <= 0 or (last_row == first_row and last_column == first_column):
            return
        self.cells += rows * columns
        if self.cells > self.limit:
            raise too_many_cells(float("inf"), self.limit)
        self.found.append((first_row, first_column, last_row, last_column))


class MergedCells:
    """Fills each row's covered cells as the rows are read, in order (``fill``)."""

    def __init__(self, ranges: list[Range], first_column: int) -> None:
        self.first_column = first_column
        self.starting: dict[int, list[Range]] = {}
        for found in ranges:
            self.starting.setdefault(found[0], []).append(found)
        # Ranges begun: their first and last row, first and last column, the top-left's value
        # and its error value, if it is one.
        self.open: list[tuple[int, int, int, int, Any, str | None]] = []

    @classmethod
    def of(cls, path: Path, sheet: Any, *, max_cells: int) -> MergedCells | None:
        """The first sheet's merged ranges, or None when it has none (or no cells)."""
        if sheet.start is None or sheet.end is None:
            return None
        first_column = sheet.start[1]
        ranges = _Ranges(sheet.end[0], first_column, first_column + sheet.width - 1, max_cells)
        given = sheet.merged_cell_ranges
        if given is not None:
            for (first_row, left), (last_row, right) in given:
                ranges.add(first_row, left, last_row, right)
        else:
            reader = _READERS.get(path.suffix.lower())
            if reader is not None:
                try:
                    reader(path, ranges)
                except _BROKEN as exc:
                    raise unreadable_excel(path, exc) from exc
        return cls(ranges.found, first_column) if ranges.found else None

    def fill(
        self, position: int, row: list[Any], errors: dict[int, str] | None
    ) -> dict[int, str] | None:
        """Give the covered cells of row ``position`` (its values, from the sheet's first used
        column; rows come in order) their range's value, in place; and return the row's error
        cells (by the sheet's columns) with a covered cell's error as its top-left's."""
        offset, width = self.first_column, len(row)
        self.open = [begun for begun in self.open if begun[1] >= position]
        for first_row, left, last_row, right in self.starting.pop(position, ()):
            value = row[left - offset] if 0 <= left - offset < width else None
            error = errors.get(left) if errors else None
            self.open.append((first_row, last_row, left, right, value, error))
        if not self.open:
            return errors
        covered: dict[int, tuple[Any, str | None]] = {}
        for first_row, _, left, right, value, error in self.open:
            for column in range(max(left, offset), min(right, offset + width - 1) + 1):
                if column != left or position != first_row:  # the top-left is its row's own
                    covered[column] = (value, error)
        if not covered or not self._holds_its_own(row, errors, covered):
            return errors
        filled = dict(errors or {})
        for column, (value, error) in covered.items():
            row[column - offset] = value
            if error is None:
                filled.pop(column, None)
            else:
                filled[column] = error
        return filled or None

    def _holds_its_own(self, row: list[Any], errors: dict[int, str] | None, covered: dict) -> bool:
        """Whether the row holds anything outside the cells that ranges begun above it cover."""
        offset = self.first_column
        if errors and any(column not in covered for column in errors):
            return True
        return any(
            cell_text(value).strip()
            for index, value in enumerate(row)
            if index + offset not in covered
        )


# -- .xlsb: BrtMergeCell (MS-XLSB 2.4.553), an RfX of four 32-bit fields ---------------------------

_XLSB_MERGE_CELL = 0xB0


def _xlsb_ranges(path: Path, ranges: _Ranges) -> None:
    with zipfile.ZipFile(path) as archive:
        part = _xlsb_first_sheet(archive)
        if part is None:
            return
        with member(archive, part) as stream:
            for kind, body in _xlsb_records(stream, {_XLSB_MERGE_CELL}):
                if kind == _XLSB_MERGE_CELL and len(body) >= 16:
                    first_row, last_row, left, right = (
                        int.from_bytes(body[at : at + 4], "little") for at in (0, 4, 8, 12)
                    )
                    ranges.add(first_row, left, last_row, right)


# -- .ods: a cell spanning others (``table:number-columns-spanned``, ``number-rows-spanned``) -----

_ODS_SPANNED = re.compile(rb"number-(?:columns|rows)-spanned")


def _ods_ranges(path: Path, ranges: _Ranges) -> None:
    read_content(path, _ODS_SPANNED, lambda: _OdsSpans(ranges))


def _count(value: str | None) -> int:
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 9:
        return 1
    return int(value) or 1


class _OdsSpans(FirstTable):
    """The first table's spanning cells, where ``FirstTable`` counts them (as calamine does),
    with the counts of repeats and of cells spanned read by ``_count``."""

    count = staticmethod(_count)

    def __init__(self, ranges: _Ranges) -> None:
        super().__init__()
        self.ranges = ranges

    def cell(self, name: str, attributes: dict[str, str]) -> None:
        across = _count(attributes.get(TABLE + "number-columns-spanned"))
        down = _count(attributes.get(TABLE + "number-rows-spanned"))
        if name == TABLE + "table-cell" and (across > 1 or down > 1):
            for row in range(self.row, min(self.row + self.rows, self.ranges.last_row + 1)):
                self.ranges.add(row, self.column, row + down - 1, self.column + across - 1)


_READERS = {".xlsb": _xlsb_ranges, ".ods": _ods_ranges}
