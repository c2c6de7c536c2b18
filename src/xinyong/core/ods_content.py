"""The first table of an .ods workbook's ``content.xml``, walked cell by cell where calamine
places its cells (R9, R10). What python-calamine does not give of an .ods sheet is read from the
file by a walk of its own: its error values (``core.spreadsheet_errors``) and its merged ranges
(``core.merged_cells``), each after one pass that only looks for its mark (``read_content``),
and both at the positions ``FirstTable`` counts, so that a range and an error meet the cells
calamine gives.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from xinyong.core.zipped_xml import Done, Xml, member, mentions

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
CELLS = frozenset({TABLE + "table-cell", TABLE + "covered-table-cell"})
_REPEATS_LIMIT = 10**18  # a count past any sheet's: the cell budget refuses it


def read_content(path: Path, mark: re.Pattern[bytes], walk: Callable[[], FirstTable]) -> None:
    """Walk the first table of the .ods file at ``path`` with a new ``walk()`` when its
    ``content.xml`` holds ``mark`` at all: one pass that only looks for it settles almost every
    workbook, and only a part that has it is read again, parsed."""
    with zipfile.ZipFile(path) as archive:
        with member(archive, "content.xml") as stream:
            if not mentions(stream, mark):
                return
        with member(archive, "content.xml") as stream:
            walk().read(stream)


def repeat_count(value: str | None) -> int:
    """A count of repeats as written (``number-columns-repeated``, ``number-rows-repeated``),
    at most ``_REPEATS_LIMIT``; 1 where there is none or it is no count."""
    if value is None or not (value.isascii() and value.isdigit()):
        return 1
    return min(int(value) if len(value) <= 18 else _REPEATS_LIMIT, _REPEATS_LIMIT) or 1


class FirstTable:
    """A walk of the first table: a cell or row written once with a count of repeats is as
    many, as calamine reads it, the count read by ``count``. ``row`` and ``column`` are the
    position of the cell begun (from A1, counted from 0), ``rows`` and ``columns`` how many it
    stands for. What a cell holds is not the sheet's rows and cells: a walk sees a cell begin
    (``cell``), what lies within it (``inside``, ``inside_end``) and the cell end
    (``cell_end``), before the position moves past it."""

    count = staticmethod(repeat_count)

    def __init__(self) -> None:
        self.table_depth = 0  # the first table's level once it has begun
        self.cell_depth = 0  # the outermost open cell's level
        self.row = self.column = 0
        self.rows = self.columns = 1
        self.xml = Xml(self.start, self.end)

    def read(self, stream: IO[bytes]) -> None:
        self.xml.read(stream)

    def cell(self, name: str, attributes: dict[str, str]) -> None:
        """A cell begins at ``row``, ``column``."""

    def inside(self, name: str, depth: int) -> None:
        """An element begins within the open cell, at ``depth``."""

    def inside_end(self, name: str, depth: int) -> None:
        """An element within the open cell ends, at ``depth``."""

    def cell_end(self) -> None:
        """The open cell ends."""

    def start(self, name: str, attributes: dict[str, str]) -> None:
        depth = self.xml.depth
        if not self.table_depth:
            if name == TABLE + "table":
                self.table_depth = depth
        elif self.cell_depth:
            self.inside(name, depth)
        elif name in CELLS:
            self.cell_depth = depth
            self.columns = self.count(attributes.get(TABLE + "number-columns-repeated"))
            self.cell(name, attributes)
        elif name == TABLE + "table-row":
            self.rows = self.count(attributes.get(TABLE + "number-rows-repeated"))
            self.column = 0

    def end(self, name: str) -> None:
        depth = self.xml.depth + 1  # the level of the element that ends
        if not self.table_depth:
            return
        if depth == self.table_depth:
            raise Done
        if self.cell_depth and depth > self.cell_depth:
            self.inside_end(name, depth)
        elif depth == self.cell_depth:
            self.cell_end()
            self.column += self.columns
            self.cell_depth = 0
        elif name == TABLE + "table-row":
            self.row += self.rows
