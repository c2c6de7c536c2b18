"""Merged cells in every workbook format: a merged range's value is every cell it covers, in
the rows the commands read (``core.tables``) and in the importer's (``ExcelTable``); never an
empty cell that a reader takes for "all" or "missing" (issue 4 item 1; R9, R10)."""

import openpyxl
import pytest

from tests.data.ingest.error_workbooks import Error, write_ods, write_xls, write_xlsb
from xinyong.catalog.importers import inspect, open_table
from xinyong.catalog.importers.excel import ExcelTable
from xinyong.catalog.importers.outcomes import SheetRow
from xinyong.core.errors import XinyongError
from xinyong.core.tables import ErrorRecord, read_rows

FORMATS = [".xlsx", ".xls", ".xlsb", ".ods"]


def _column(index):
    return chr(65 + index)


def write_xlsx(path, rows, *, merged=()):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([v.text if isinstance(v, Error) else v for v in row])
    for r0, c0, r1, c1 in merged:
        book.active.merge_cells(f"{_column(c0)}{r0 + 1}:{_column(c1)}{r1 + 1}")
    book.save(path)
    return path


def _ods_cell(value, spans=None):
    attributes = ""
    if spans:
        attributes = (f' table:number-rows-spanned="{spans[0]}"'
                      f' table:number-columns-spanned="{spans[1]}"')  # fmt: skip
    if value is None:
        return f"<table:table-cell{attributes}/>"
    return (f'<table:table-cell office:value-type="string"{attributes}>'
            f"<text:p>{value}</text:p></table:table-cell>")  # fmt: skip


def write_merged_ods(path, rows, *, merged=()):
    """As LibreOffice writes merged cells: the top-left spans the others, which are covered."""
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merged}
    covered = {(r, c) for r0, c0, r1, c1 in merged for r in range(r0, r1 + 1)
               for c in range(c0, c1 + 1)} - spans.keys()  # fmt: skip
    xml = []
    for r, row in enumerate(rows):
        cells = "".join(
            "<table:covered-table-cell/>" if (r, c) in covered
            else _ods_cell(value, spans.get((r, c)))
            for c, value in enumerate(row)
        )  # fmt: skip
        xml.append(f"<table:table-row>{cells}</table:table-row>")
    return write_ods(path, xml)


WRITERS = {".xlsx": write_xlsx, ".xls": write_xls, ".xlsb": write_xlsb, ".ods": write_merged_ods}


def write(tmp_path, suffix, rows, merged):
    return WRITERS[suffix](tmp_path / f"t{suffix}", rows, merged=merged)


# The data begins in column B: a range's columns are the sheet's, a row's cells from B.
LIST = [
    [None, "code", "domain", "department"],
    [None, "1", "食品药品", "财政局"],
    [None, "2", None, None],
    [None, "3", "环保", None],
]
MERGED = ((1, 2, 2, 2), (1, 3, 3, 3))  # C2:C3, D2:D4
FILLED = [
    ["code", "domain", "department"],
    ["1", "食品药品", "财政局"],
    ["2", "食品药品", "财政局"],
    ["3", "环保", "财政局"],
]


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_commands_read_a_merged_value_in_every_cell_it_covers(tmp_path, suffix):
    assert list(read_rows(write(tmp_path, suffix, LIST, MERGED))) == FILLED


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_importer_reads_a_merged_value_in_every_cell_it_covers(tmp_path, suffix):
    path = write(tmp_path, suffix, LIST, MERGED)
    table = open_table(path, inspect(path))
    assert [table.header, *table.rows()] == FILLED


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_row_with_nothing_outside_the_ranges_stays_empty(tmp_path, suffix):
    """A record drawn two rows tall, every column merged, is one record, not two."""
    rows = [["code", "name"], ["1", "甲"], [None, None], ["2", "乙"]]
    path = write(tmp_path, suffix, rows, ((1, 0, 2, 0), (1, 1, 2, 1)))
    assert [row for row in read_rows(path) if any(row)] == [["code", "name"], ["1", "甲"],
                                                            ["2", "乙"]]  # fmt: skip
    table = open_table(path, inspect(path))
    assert list(table.rows()) == [["1", "甲"], ["2", "乙"]]


@pytest.mark.parametrize("suffix", [".xls", ".xlsb"])
def test_an_error_value_merged_over_cells_is_each_covered_cells_error(tmp_path, suffix):
    rows = [["code", "fine"], ["1", Error("#N/A", formula=False)], ["2", None]]
    path = write(tmp_path, suffix, rows, ((1, 1, 2, 1),))
    records = list(read_rows(path))[1:]
    assert [type(record) for record in records] == [ErrorRecord, ErrorRecord]
    assert [record.errors for record in records] == [{1: "#N/A"}, {1: "#N/A"}]
    table = open_table(path, inspect(path))
    assert [(type(row), row.errors) for row in table.rows()] == [
        (SheetRow, {1: "#N/A"}), (SheetRow, {1: "#N/A"}),
    ]  # fmt: skip


def test_overlapping_ranges_past_the_cells_budget_refuse_the_workbook(tmp_path):
    """A range is filled cell by cell: ranges made to overlap would multiply that work (R14)."""
    rows = [["code", "a", "b"], *([str(n), "x", "y"] for n in range(11))]
    path = write_xlsb(tmp_path / "t.xlsb", rows, merged=((0, 0, 11, 2),) * 3)
    with pytest.raises(XinyongError) as refused:
        ExcelTable(path, path.stat().st_size, max_cells=50)
    assert refused.value.code == "excel-too-many-cells"
