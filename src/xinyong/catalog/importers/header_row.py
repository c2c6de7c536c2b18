"""Which row of a CSV file or a sheet is its header (DOMAIN.md §5, R9).

Departments' exports often open with a title (杭州市市场监督管理局行政处罚信息报送表), merged
across the table or alone in its first cell, and with who made them and when, on rows of their
own above the header. Those rows are no records: the header is found past them as ``measures
load`` and ``xinyong screen`` find theirs (``core.table_header``), and the data rows are
numbered from the first under it. A file in which no row among the first names the formats'
columns is refused as having no header (``importers.prepare``), never with a title taken for one.

Some exports head their columns twice: the field codes, and on the row under them the columns'
Chinese titles (行政相对人名称 under CF_XDR_MC, 处罚决定书文号 under CF_WSH), or the other way
round. That second row is part of the header too (``names_the_headers_columns``): the readers
skip it, and the data rows are numbered from the first under both.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from xinyong.catalog.importers.formats import LAYOUTS, map_header, normalize_header
from xinyong.core import table_header

# A header names several of a format's columns; a title, merged across the table, repeats one
# text in every cell, and a name like 名称 or 标题 might be all of it.
HEADER_FIELDS_MIN = 2
# The rows looked at for the header, blank ones not counted (``core.table_header``).
ROWS_LOOKED_AT = table_header.TITLE_ROWS_MAX + 1

Record = TypeVar("Record")


def names_the_formats_columns(cells: Sequence[str]) -> bool:
    """Whether a row names at least ``HEADER_FIELDS_MIN`` fields of one of the import layouts
    (either edition of the national formats, their Chinese titles, or the generic layout's).
    Any layout, not the import's own: a licences file sent as penalties is still refused as
    lacking the penalty columns, its header named as found."""
    row = list(cells)
    return any(len(map_header(layout, row).columns) >= HEADER_FIELDS_MIN
               for layout in LAYOUTS.values())  # fmt: skip


def names_the_headers_columns(header: Sequence[str], cells: Sequence[str]) -> bool:
    """Whether a row under the header names its columns again, for one of the import
    layouts: its cells name the field of the header's column above them (a code, a title or
    the label either edition gives it, as ``map_header`` reads names) in more than half of the
    header's columns of that layout, and no filled cell under such a column holds anything
    else. A titles' row an export writes fills every column, a title left blank at most here
    and there; a record's cells are values, of which a few may read as titles (a note of
    备注, a subject named 行政相对人名称), never most of the header's: a sparse record is
    never taken for the header and skipped unseen (accepted + quarantined = rows, issue 5
    §2)."""
    filled = [index for index, cell in enumerate(cells) if cell.strip()]
    if len(filled) < HEADER_FIELDS_MIN:
        return False
    row = list(header)
    for layout in LAYOUTS.values():
        names = _field_names(layout.kind)
        field_of = {
            index: key for key, indexes in map_header(layout, row).columns.items()
            for index in indexes
        }  # fmt: skip
        under = [index for index in filled if index in field_of]
        named = sum(normalize_header(cells[index]) in names[field_of[index]] for index in under)
        if named >= HEADER_FIELDS_MIN and named == len(under) and 2 * named > len(field_of):
            return True
    return False


@functools.cache
def _field_names(kind: str) -> dict[str, frozenset[str]]:
    """Each field of a layout → every name of it, normalised: codes, titles and label."""
    return {
        f.key: frozenset(
            normalize_header(name)
            for name in (*f.names, f.label, *(part for names in f.parts for part in names))
        )
        for f in LAYOUTS[kind].fields
    }


def find_header(
    records: Iterator[Record], cells: Callable[[Record], Sequence[str]]
) -> tuple[Record | None, bool, list[Record]]:
    """The header record, past the title rows above it, and whether it reads as a header.

    When none does among the first ``ROWS_LOOKED_AT`` filled rows, the first filled one stands
    for it (the import refuses it as no header), and the filled records read after it come
    back too, for the reader to give them out as its rows: a reader answers the rows under the
    first filled one whether or not it is a header, as it did before titles were looked for.
    They are a few rows at most. None when no record has anything in it."""
    read: list[Record] = []

    def noting_filled() -> Iterator[Record]:
        for record in records:
            if any(cell.strip() for cell in cells(record)):
                read.append(record)
            yield record

    found, _ = table_header.find_header(noting_filled(), names_the_formats_columns, cells)
    if found is None:
        return None, False, []
    if names_the_formats_columns(cells(found)):
        return found, True, []
    return found, False, read[1:]
