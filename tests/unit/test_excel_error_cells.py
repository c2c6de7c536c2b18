"""Error values (#N/A, #DIV/0! …) in .xls, .xlsb and .ods workbooks: python-calamine reads them
as empty cells, as it does in .xlsx, so the reader finds them in the file itself and the row
comes as a ``SheetRow`` that the checker refuses, never as a row with an empty cell (R9)."""

import pytest

from tests.data.ingest.error_workbooks import CODES, WRITERS, Error, write_ods, write_xls
from xinyong.catalog.importers import inspect, open_table
from xinyong.catalog.importers.excel import ExcelTable
from xinyong.catalog.importers.outcomes import SheetRow
from xinyong.core.errors import XinyongError

FORMATS = [".xls", ".xlsb", ".ods"]


def read(path):
    table = open_table(path, inspect(path))
    return table.header, list(table.rows())


def write(tmp_path, suffix, rows, **options):
    return WRITERS[suffix](tmp_path / f"t{suffix}", rows, **options)


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("formula", [True, False], ids=["formula", "constant"])
def test_an_error_cell_comes_in_a_sheet_row_by_its_column(tmp_path, suffix, formula):
    """The data begins in column B: an error's position is its row's own."""
    path = write(tmp_path, suffix, [
        [None, "name", "fine", "code"],
        [None, "x", Error("#N/A", formula), "1"],
        [None, "y", "2", "3"],
        [None, Error("#REF!", formula), "4", "5"],
    ])  # fmt: skip
    header, rows = read(path)
    assert header == ["name", "fine", "code"]
    first, plain, last = rows
    assert type(first) is SheetRow and list(first) == ["x", "", "1"]
    assert first.errors == {1: "#N/A"}
    assert type(plain) is list and plain == ["y", "2", "3"]
    assert type(last) is SheetRow and last.errors == {0: "#REF!"}


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_error_value_is_named(tmp_path, suffix):
    names = list(CODES)
    path = write(tmp_path, suffix, [names, [Error(name) for name in names]])
    _, rows = read(path)
    assert [type(row) for row in rows] == [SheetRow]
    assert rows[0].errors == dict(enumerate(names))


@pytest.mark.parametrize(("suffix", "formula"), [(".xlsb", True), (".ods", False)])
def test_a_last_row_of_errors_alone_is_not_lost(tmp_path, suffix, formula):
    """calamine leaves out an .xlsb formula whose result is an error, and an .ods error cell
    without a value type: a last row holding only such cells is past the sheet it reads, and
    still comes, as a row of its errors."""
    path = write(tmp_path, suffix, [
        ["name", "fine"], ["x", "1"], [Error("#N/A", formula), Error("#DIV/0!", formula)],
    ])  # fmt: skip
    _, rows = read(path)
    assert rows[0] == ["x", "1"]
    assert type(rows[1]) is SheetRow and list(rows[1]) == ["", ""]
    assert rows[1].errors == {0: "#N/A", 1: "#DIV/0!"}


def test_an_xls_whose_workbook_stream_is_in_the_mini_stream(tmp_path):
    path = write_xls(tmp_path / "t.xls", [["name", "fine"], ["x", Error("#VALUE!")]], mini=True)
    _, rows = read(path)
    assert type(rows[0]) is SheetRow and rows[0].errors == {1: "#VALUE!"}


def test_ods_cells_and_rows_repeated_are_each_an_error(tmp_path):
    """OpenDocument writes equal neighbours once, with a count: each is a cell of its own."""
    error = ('<table:table-cell table:number-columns-repeated="2" office:value-type="string"'
             ' office:string-value="" calcext:value-type="error"><text:p>#N/A</text:p>'
             "<office:annotation><text:p>a note</text:p></office:annotation>"
             "</table:table-cell>")  # fmt: skip
    path = write_ods(tmp_path / "t.ods", [
        ["a", "b", "c", "d"],
        '<table:table-row table:number-rows-repeated="2"><table:covered-table-cell/>'
        f'<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
        f"{error}</table:table-row>",
        ["y", "1", "2", "3"],
    ])  # fmt: skip
    _, rows = read(path)
    assert [type(row) for row in rows] == [SheetRow, SheetRow, list]
    assert rows[0].errors == rows[1].errors == {2: "#N/A", 3: "#N/A"}


def test_an_ods_errors_text_is_masked_when_it_holds_an_id(tmp_path):
    """The error's text is the file's: one that holds a citizen ID is masked, as any text from
    the file that a message repeats (R14)."""
    row = ('<table:table-row><table:table-cell office:value-type="string" office:string-value=""'
           ' calcext:value-type="error"><text:p>#110105194912310021</text:p></table:table-cell>'
           "</table:table-row>")  # fmt: skip
    _, rows = read(write_ods(tmp_path / "t.ods", [["a"], row]))
    assert rows[0].errors == {0: "#110105********0021"}


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_workbook_without_errors_reads_plain_rows(tmp_path, suffix):
    path = write(tmp_path, suffix, [["a", "b"], ["x", 7.0], ["y", "z"]])
    _, rows = read(path)
    assert rows == [["x", "7"], ["y", "z"]]
    assert all(type(row) is list for row in rows)


def test_errors_past_the_cells_budget_refuse_the_workbook(tmp_path):
    """Error cells calamine leaves out are held too: past the budget of cells, the workbook is
    refused as too large, as one whose sheet holds that many cells (R14)."""
    rows = [["a", "b"], *([Error("#N/A"), Error("#N/A")] for _ in range(30))]
    path = write(tmp_path, ".xlsb", rows)
    with pytest.raises(XinyongError) as refused:
        ExcelTable(path, path.stat().st_size, max_cells=40)
    assert refused.value.code == "excel-too-many-cells"
    assert len(list(ExcelTable(path, path.stat().st_size, max_cells=60).rows())) == 30
