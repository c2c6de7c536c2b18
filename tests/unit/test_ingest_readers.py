"""Reading files with flat memory: lines cut from blocks, quoted line breaks, over-long cells,
and the encoding decided UTF-8 strictly first (DOMAIN.md §5)."""

import io
import json
import tracemalloc

import pytest

from tests.data.ingest.samples import far_apart, write_sheets, write_xlsx
from xinyong.catalog.importers import file_format, inspect, open_table
from xinyong.catalog.importers.excel import MAX_CELLS, ExcelTable
from xinyong.catalog.importers.outcomes import FlawedRow
from xinyong.catalog.importers.text import Lines
from xinyong.core.errors import XinyongError


def table_rows(tmp_path, text, name="t.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    table = open_table(path, inspect(path))
    return table.header, list(table.rows())


def test_crlf_quotes_and_quoted_line_breaks(tmp_path):
    text = 'a,b,c\r\n1,"x, y",3\r\n4,"line one\r\nline two",6\r\n\r\n7,"say ""hi""",9\r\n'
    header, rows = table_rows(tmp_path, text)
    assert header == ["a", "b", "c"]
    assert rows == [["1", "x, y", "3"], ["4", "line one\nline two", "6"],
                    ["7", 'say "hi"', "9"]]  # fmt: skip


def test_tab_separated_and_a_bom(tmp_path):
    header, rows = table_rows(tmp_path, "\ufeffa\tb\n1\t2\n")
    assert (header, rows) == (["a", "b"], [["1", "2"]])


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("t.csv", "名称,代码\n杭州某公司,1\n"),
        ("t.json", '[{"名称": "杭州某公司", "代码": "1"}]'),
        ("t.jsonl", '{"名称": "杭州某公司", "代码": "1"}\n'),
    ],
)
def test_a_bom_is_dropped_in_either_encoding(tmp_path, name, text, encoding):
    """GB18030's BOM (84 31 95 33) as UTF-8's: a CSV, a JSON and a JSON Lines file starting
    with one are read as without it (DOMAIN.md §5)."""
    assert "\ufeff".encode("gb18030") == b"\x84\x31\x95\x33"
    header, rows = table_rows(tmp_path, "\ufeff" + text, name=name, encoding=encoding)
    assert (header, rows) == (["名称", "代码"], [["杭州某公司", "1"]])


def test_gbk_is_read_after_utf8_fails(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes("名称,代码\n杭州某公司,1\n".encode("gbk"))
    facts = inspect(path)
    assert facts.encoding == "gb18030"
    table = open_table(path, facts)
    assert table.header == ["名称", "代码"] and list(table.rows()) == [["杭州某公司", "1"]]


def test_utf8_is_never_read_as_gb18030(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes("名称\n浙江\n".encode())  # also decodes as GB18030, into nonsense
    assert inspect(path).encoding == "utf-8"


def test_bytes_neither_encoding_reads_are_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n\x80\xff\x80\xff\n")
    with pytest.raises(XinyongError) as refused:
        inspect(path)
    assert refused.value.code == "file-encoding"


def test_an_over_long_cell_becomes_a_flawed_row_and_reading_goes_on(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write('a,b,c\n1,2,3\n4,"')
        for _ in range(12):
            stream.write("长" * 1_000_000)
        stream.write('\nstill inside",6\n7,8,9\n')
    table = open_table(path, inspect(path))
    rows = list(table.rows())
    assert rows[0] == ["1", "2", "3"] and rows[2] == ["7", "8", "9"]
    assert isinstance(rows[1], FlawedRow) and rows[1].code == "cell-too-large"
    assert rows[1].details["size"] > 12_000_000
    assert len(rows[1]) == 2 and len(rows[1][1]) < 1_100_000


def test_memory_stays_flat_whatever_the_lines_length(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("a,b\n")
        for _ in range(40):
            stream.write("x" * 1_000_000)  # one 40 MB line
        stream.write(",1\n2,3\n")
    tracemalloc.start()
    lines = list(Lines(path, "utf-8"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert lines[-1] == "2,3" and len(lines) == 3
    assert peak < 12 * 1024 * 1024  # a few blocks, not the 40 MB line


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.csv", "csv"), ("a.txt", "csv"), ("a.XLSX", "excel"), ("a.xls", "excel"),
     ("a.json", "json"), ("a.jsonl", "json")],
)  # fmt: skip
def test_the_reader_follows_the_suffix(tmp_path, name, kind):
    assert file_format(tmp_path / name) == kind


def test_json_arrays_stream_in_blocks(tmp_path):
    rows = ",".join(f'{{"a": "{"值" * 400}", "b": {n}, "c": null}}' for n in range(3000))
    header, read = table_rows(tmp_path, f"[{rows}]", name="a.json")
    assert header == ["a", "b", "c"] and len(read) == 3000
    assert read[-1][1:] == ["2999", ""]


def test_a_json_value_with_a_prohibited_key_inside_is_left_out_by_the_reader(tmp_path):
    """001 §14: the value never leaves the reader; the row comes flawed, naming the column."""
    text = '[{"a": "x", "extra": {"b": [{"血型": "AB"}]}}, {"a": "y", "extra": {"b": 1}}]'
    header, (flawed, plain) = table_rows(tmp_path, text, name="a.json")
    assert header == ["a", "extra"]
    assert type(flawed) is FlawedRow and flawed.code == "sensitive-field"
    assert list(flawed) == ["x", ""] and flawed.details == {"columns": {1: "血型"}}
    assert plain == ["y", '{"b": 1}']


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.csv", 'a,note\nx,"{""b"": [{""血型"": ""AB""}]}"\ny,"{""b"": 1}"\n'),
        ("a.tsv", 'a\tnote\nx\t {"b": [{"血型": "AB"}]}\ny\t{"b": 1}\n'),
    ],
    ids=["csv", "tab-separated"],
)
def test_a_cell_of_json_with_a_prohibited_key_inside_is_left_out_by_the_reader(
    tmp_path, name, text
):
    """001 §14: as a JSON file's value, the cell never leaves the reader; the row comes flawed,
    naming the column; a JSON cell without such a key is read as written."""
    header, (flawed, plain) = table_rows(tmp_path, text, name=name)
    assert header == ["a", "note"]
    assert type(flawed) is FlawedRow and flawed.code == "sensitive-field"
    assert list(flawed) == ["x", ""] and flawed.details == {"columns": {1: "血型"}}
    assert plain == ["y", '{"b": 1}']


def test_an_excel_cell_of_json_with_a_prohibited_key_inside_is_left_out(tmp_path):
    rows = [{"a": "x", "note": '[{"patientDiagnosis": "AB"}]'}, {"a": "y", "note": "[1, 2]"}]
    path = write_xlsx(tmp_path / "j.xlsx", ["a", "note"], rows)
    flawed, plain = open_table(path, inspect(path)).rows()
    assert type(flawed) is FlawedRow and flawed.details == {"columns": {1: "疾病"}}
    assert list(flawed) == ["x", ""] and plain == ["y", "[1, 2]"]


@pytest.mark.parametrize("lines", [False, True])
def test_json_objects_naming_more_columns_than_a_table_has_are_refused(tmp_path, lines):
    """Every distinct key is a column: a million keys are a million columns in every row
    (MemoryError). The file is refused once it names more than MAX_COLUMNS, while the keys
    are collected, before any row is made."""
    from xinyong.catalog.importers.jsonfile import MAX_COLUMNS

    objects = [{f"k{n * 100 + k}": "x" for k in range(100)} for n in range(MAX_COLUMNS // 100)]
    name = "a.jsonl" if lines else "a.json"
    text = "\n".join(json.dumps(o) for o in objects) if lines else json.dumps(objects)
    header, rows = table_rows(tmp_path, text, name=name)
    assert len(header) == MAX_COLUMNS and len(rows) == MAX_COLUMNS // 100
    objects.append({"one more": "x"})
    text = "\n".join(json.dumps(o) for o in objects) if lines else json.dumps(objects)
    with pytest.raises(XinyongError) as refused:
        table_rows(tmp_path, text, name=name)
    assert (refused.value.code, refused.value.status) == ("json-too-many-columns", 422)
    assert f"{MAX_COLUMNS:,}" in refused.value.message


def test_a_broken_json_file_is_refused(tmp_path):
    with pytest.raises(XinyongError) as refused:
        table_rows(tmp_path, '[{"a": 1}, {"a": ', name="a.json")
    assert refused.value.code == "json-format"


def test_an_excel_sheet_too_large_for_memory_is_refused_before_it_is_read(tmp_path):
    path = write_xlsx(tmp_path / "big.xlsx", ["a"], [{"a": "值" * 1000} for _ in range(50)])
    with pytest.raises(XinyongError) as refused:
        open_table(path, inspect(path), excel_max_bytes=10_000)
    assert (refused.value.code, refused.value.status) == ("excel-too-large", 413)
    assert "CSV" in refused.value.message


@pytest.mark.parametrize(
    ("last", "cells"),
    [("XFD1048576", 16_384 * 1_048_576), ("ZZ200000", 702 * 200_000)],
    ids=["whole-sheet", "4-gb"],
)
def test_a_workbook_of_two_cells_far_apart_is_refused_before_it_is_read(tmp_path, last, cells):
    """1.6 KB that python-calamine would read as 550 GB (the process aborts) or 4.4 GB: the
    workbook is refused for the cells between its first and last, before this process holds
    them (R14 secure by default; R9: one upload must not stop the imports of everyone)."""
    path = write_sheets(tmp_path / "far.xlsx", far_apart(last))
    assert path.stat().st_size < 2000 and cells > MAX_CELLS
    with pytest.raises(XinyongError) as refused:
        open_table(path, inspect(path))
    assert (refused.value.code, refused.value.status) == ("excel-too-many-cells", 422)
    assert f"{MAX_CELLS:,}" in refused.value.message and "CSV" in refused.value.message


def test_the_cell_budget_counts_the_cells_between_the_first_and_the_last(tmp_path):
    """Rows × columns of the rectangle python-calamine fills, here 26 × 2,000 = 52,000: over a
    budget of 50,000, under one of 60,000; the message says how many and the limit."""
    path = write_sheets(tmp_path / "t.xlsx", far_apart("Z2000"))
    with pytest.raises(XinyongError) as refused:
        ExcelTable(path, path.stat().st_size, max_cells=50_000)
    assert refused.value.code == "excel-too-many-cells"
    assert "52,000" in refused.value.message and "50,000" in refused.value.message
    assert ExcelTable(path, path.stat().st_size, max_cells=60_000).header == ["CF_XDR_MC"]


def test_another_sheet_of_far_apart_cells_refuses_the_workbook_too(tmp_path):
    """The other sheets are read as well (to find records under the same header)."""
    path = write_sheets(tmp_path / "t.xlsx", far_apart("C3"), far_apart("XFD1048576"))
    with pytest.raises(XinyongError) as refused:
        open_table(path, inspect(path))
    assert refused.value.code == "excel-too-many-cells"


def test_a_formatted_but_empty_cell_far_away_does_not_count(tmp_path):
    """A border set on a far cell writes it with no value: python-calamine leaves it out, and
    so does the budget."""
    import openpyxl
    from openpyxl.styles import Border, Side

    workbook = openpyxl.Workbook()
    workbook.active.append(["a", "b"])
    workbook.active.append(["1", "2"])
    workbook.active.cell(row=1_000_000, column=16_000).border = Border(left=Side("thin"))
    workbook.save(tmp_path / "t.xlsx")
    header, rows = sheet_rows_of(tmp_path / "t.xlsx", max_cells=100)
    assert (header, rows) == (["a", "b"], [["1", "2"]])


def sheet_rows_of(path, **options):
    table = ExcelTable(path, path.stat().st_size, **options)
    return table.header, list(table.rows())


def _ods(path, rows: str):
    """An OpenDocument spreadsheet whose one table holds ``rows`` (table-row elements)."""
    import zipfile

    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="S">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
            ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/"'
            ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
    return path


def _ods_cell(text: str, repeated: int = 1) -> str:
    return (f'<table:table-cell table:number-columns-repeated="{repeated}"'
            f' office:value-type="string"><text:p>{text}</text:p></table:table-cell>')  # fmt: skip


@pytest.mark.parametrize("repeated", [90_000, 100_000], ids=["under-calamines-cap", "over-it"])
def test_an_ods_table_of_repeated_cells_is_refused_before_it_is_read(tmp_path, repeated):
    """OpenDocument says "this cell, 1,000 times" and "this row, 90,000 times": 90 million
    cells (2.9 GB) from a file of 1 KB, under python-calamine's own cap of 100 million. It
    offers no size before it reads a table, so the table is measured by reading it apart from
    this process, in one whose memory is capped near the budget: that one runs out."""
    rows = (f"<table:table-row>{_ods_cell('CF_XDR_MC')}</table:table-row>"
            f'<table:table-row table:number-rows-repeated="{repeated}">{_ods_cell("x", 1000)}'
            "</table:table-row>")  # fmt: skip
    path = _ods(tmp_path / "t.ods", rows)
    with pytest.raises(XinyongError) as refused:
        ExcelTable(path, path.stat().st_size, max_cells=100_000)
    assert refused.value.code == "excel-too-many-cells"
    assert "100,000" in refused.value.message


def test_an_ods_table_within_the_budget_is_read(tmp_path):
    rows = (f"<table:table-row>{_ods_cell('a')}{_ods_cell('b')}</table:table-row>"
            f"<table:table-row>{_ods_cell('1')}{_ods_cell('2')}</table:table-row>")  # fmt: skip
    assert sheet_rows_of(_ods(tmp_path / "t.ods", rows), max_cells=100) == (
        ["a", "b"],
        [["1", "2"]],
    )


def sheet_rows(tmp_path, lines):
    import openpyxl

    workbook = openpyxl.Workbook()
    for line in lines:
        workbook.active.append(line)
    workbook.save(tmp_path / "t.xlsx")
    table = open_table(tmp_path / "t.xlsx", inspect(tmp_path / "t.xlsx"))
    return table.header, list(table.rows())


def test_both_readers_drop_empty_cells_past_the_header(tmp_path):
    """A CSV row ending in a delimiter reads as the Excel row whose extra columns are empty;
    text past the header is kept in both, for the row check to refuse."""
    csv_table = table_rows(tmp_path, ",,\na,b,c,\n1,2,3,\n4,5,6\n7,8,9, ,\n1,2,3,x\n")
    excel_table = sheet_rows(
        tmp_path,
        [[None], ["a", "b", "c", None], ["1", "2", "3", None], ["4", "5", "6"],
         ["7", "8", "9", " ", None], ["1", "2", "3", "x"]],
    )  # fmt: skip
    expected = (["a", "b", "c"], [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"],
                                  ["1", "2", "3", "x"]])  # fmt: skip
    assert csv_table == excel_table == expected


def test_a_short_csv_row_is_not_padded(tmp_path):
    """An unquoted line break splits a row in two short ones: neither is completed."""
    rows = table_rows(tmp_path, "a,b,c\n1,2\n4,5,6\n")[1]
    assert rows == [["1", "2"], ["4", "5", "6"]]


@pytest.mark.parametrize("name", ["broken.xlsx", "broken.xls"])
def test_a_corrupt_workbook_is_refused_in_words_an_officer_can_act_on(tmp_path, name, caplog):
    """What is wrong with the file, in Chinese; the reader's own text goes to the log only."""
    from xinyong.core.tables import read_rows

    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04 not really a workbook" * 10)
    suffix = path.suffix
    for read in (lambda: open_table(path, inspect(path)), lambda: list(read_rows(path))):
        caplog.clear()
        with pytest.raises(XinyongError) as refused:
            read()
        assert refused.value.code == "file-unreadable"
        assert refused.value.message == (
            f"文件不是有效的 Excel 文件（{suffix}），可能已损坏或并非 Excel 格式"
        )
        assert name in caplog.text  # the reader's own words are kept for support


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ('a,b\n"x\ny,z', "引号未闭合"),
        ('a,b\n"x"y,z\n', "引号之后缺少分隔符"),
    ],
)
def test_a_csv_error_is_said_in_chinese(text, meaning):
    """The csv module's English error reaches an officer as what it means."""
    import csv as csv_module

    from xinyong.core.tables import csv_error_text

    with pytest.raises(csv_module.Error) as raised:
        list(csv_module.reader(io.StringIO(text), strict=True))
    said = csv_error_text(raised.value)
    assert meaning in said and not any("a" <= c.lower() <= "z" for c in said)


def test_a_workbook_whose_zip_directory_is_broken_is_refused_as_unreadable(tmp_path):
    """The archive's end record is found, the directory it points to is not: not a 500."""
    path = write_xlsx(tmp_path / "good.xlsx", ["a", "b"], [{"a": "1", "b": "2"}])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(path.read_bytes().replace(b"PK\x01\x02", b"PK\x09\x09"))
    with pytest.raises(XinyongError) as refused:
        open_table(broken, inspect(broken))
    assert (refused.value.code, refused.value.status) == ("file-unreadable", 422)


# -- a quote left open (R9: every row accounted for) -----------------------------------------


def test_a_quote_left_open_is_its_own_row_and_the_lines_after_it_are_read_again(tmp_path):
    """Read on to the next quote in the file, the rows in between would be one cell of one
    row; the line with the open quote is refused on its own, the others are rows again."""
    text = 'a,b,c\n1,"open,3\n4,5,6\n7,8,9\n10,"x",12\n'
    header, rows = table_rows(tmp_path, text)
    assert header == ["a", "b", "c"]
    assert rows == [["1", "open,3"], ["4", "5", "6"], ["7", "8", "9"], ["10", "x", "12"]]
    assert type(rows[0]) is FlawedRow and rows[0].code == "quote-unclosed"
    assert all(type(row) is list for row in rows[1:])


def test_a_quote_left_open_on_the_last_line_is_named_as_such(tmp_path):
    rows = table_rows(tmp_path, 'a,b,c\n1,2,3\n4,"open,6\n')[1]
    assert rows[0] == ["1", "2", "3"]
    assert type(rows[1]) is FlawedRow and rows[1].code == "quote-unclosed"


def test_a_quoted_line_break_in_a_row_of_the_headers_width_stays_one_row(tmp_path):
    """Also among lines read again after a quote left open."""
    text = 'a,b,c\n1,"open,3\n4,"line one\nline two",6\n7,8,9\n'
    rows = table_rows(tmp_path, text)[1]
    assert [row.code for row in rows if type(row) is FlawedRow] == ["quote-unclosed"]
    assert rows[1:] == [["4", "line one\nline two", "6"], ["7", "8", "9"]]


def test_lines_taken_by_an_open_quote_are_rows_even_when_the_merge_has_the_headers_width(
    tmp_path,
):
    """The open quote closes at the next cell's opening quote, and the merged record happens
    to have three cells: text after a closing quote says it is no real quoted line break."""
    text = 'a,b,c\n1,"open,3\n4,5,6\n7,"x",9\n'
    rows = table_rows(tmp_path, text)[1]
    assert [type(row) is FlawedRow for row in rows] == [True, False, False]
    assert rows[1:] == [["4", "5", "6"], ["7", "x", "9"]]


def test_a_quote_left_open_over_more_than_the_cell_limit_loses_no_line(tmp_path):
    """The reader gives up at its cell limit (1 MB); every line it had taken is read again."""
    lines = ["a,b,c", '0,"open,0'] + [f"{n},{'值' * 100},{n}" for n in range(1, 12_001)]
    rows = table_rows(tmp_path, "\n".join(lines) + "\n")[1]
    assert len(rows) == 12_001
    assert type(rows[0]) is FlawedRow and rows[0].code == "quote-unclosed"
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 12_001)]


def test_a_row_ending_in_a_delimiter_is_marked_as_written_wider(tmp_path):
    """001 §14: its dropped empty cell may be what a delimiter too many earlier left at the
    end, so the checker shows none of its cells in a file with a prohibited column; also when
    the row is refused for a prohibited key in a cell's JSON."""
    from xinyong.catalog.importers.outcomes import TrimmedRow, written_wider

    text = 'a,note\nx,y,\nz,w\nv,"{""b"": [{""血型"": ""AB""}]}",\n'
    trimmed, plain, flawed = table_rows(tmp_path, text)[1]
    assert type(trimmed) is TrimmedRow and trimmed == ["x", "y"] and written_wider(trimmed)
    assert type(plain) is list and not written_wider(plain)
    assert type(flawed) is FlawedRow and flawed.code == "sensitive-field"
    assert list(flawed) == ["v", ""] and written_wider(flawed)


# -- a quote left open in an over-long line (R9) ---------------------------------------------

BIG = "长" * 3_000_000  # some 9 MB in UTF-8, 6 MB in GB18030: past the line cap and a block


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize(
    "line",
    [
        f'1,"{BIG},3',  # the quote opens a cell and never closes
        f'1,"{BIG}"x,3',  # closed, then text: no well-formed quoted cell
        f'1,{BIG}"x,3',  # a quote inside a cell is a character of it
    ],
)
def test_an_over_long_line_with_a_quote_left_open_takes_no_line_after_it(tmp_path, encoding, line):
    """Its cell is refused as too large; the lines after it are rows of their own, even when a
    quote in them would close the one left open."""
    text = f'a,b,c\n0,0,0\n{line}\n2,{"值" * 50},2\n3,"x",3\n4,"y\nz",4\n5,5,5\n'
    rows = table_rows(tmp_path, text, encoding=encoding)[1]
    assert [row[0] for row in rows] == ["0", "1", "2", "3", "4", "5"]
    assert type(rows[1]) is FlawedRow and rows[1].code == "cell-too-large"
    assert rows[1].details["size"] == len(line)
    assert rows[3] == ["3", "x", "3"] and rows[4] == ["4", "y\nz", "4"]


def test_an_over_long_quoted_cell_over_several_lines_is_one_row(tmp_path):
    """The quote does close, before a delimiter: the lines it spans are the one row."""
    text = f'a,b,c\n1,"{BIG}\nstill ""inside""\n",3\n4,5,6\n'
    rows = table_rows(tmp_path, text)[1]
    assert [row[0] for row in rows] == ["1", "4"]
    assert rows[0].code == "cell-too-large" and rows[1] == ["4", "5", "6"]


def test_an_over_long_json_line_ends_at_its_line_end_whatever_its_quotes(tmp_path):
    """A JSON string holds no line break: an escaped quote in a long line takes no line."""
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": "x\\"' + "y" * 3_000_000 + '"}\n{"a": "1"}\n{"a": "2"}\n')
    lines = list(Lines(path, "utf-8", delimiters=None))
    assert lines[1:] == ['{"a": "1"}', '{"a": "2"}'] and len(lines[0]) < 1_100_000


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (330106199003072888, "3.30106199003073E+17"),  # as written by a program: no digit made up
        (330106199003072896.0, "3.30106199003073E+17"),  # as a spreadsheet stores it
        (1e15, "1E+15"),
        (999_999_999_999_999.0, "999999999999999"),  # 15 digits: exact
        (12.0, "12"),
        (1.5, "1.5"),
        (0.1 + 0.2, "0.3"),  # a formula's binary noise: the sheet shows 0.3
        (0.00005, "0.00005"),  # never E notation: 5e-05 is no amount
        (1234.567891, "1234.567891"),
        (-0.25, "-0.25"),
        (True, "TRUE"),
    ],
)
def test_a_number_too_long_to_be_exact_is_read_as_the_spreadsheet_shows_it(value, text):
    """DOMAIN.md §4: an 18-digit ID in a number cell has lost its last digits; reading it as
    18 digits would make up others, which may pass the check digit."""
    from xinyong.core.tables import cell_text, is_inexact_number

    assert cell_text(value) == text
    assert is_inexact_number(value) == text.startswith(("3.3", "1E"))


def test_a_sheets_error_cells_and_long_numbers_come_in_a_sheet_row(tmp_path):
    """python-calamine reads an error cell as an empty one: the reader finds it in the sheet's
    XML, by its cell, wherever the data begins."""
    import openpyxl

    from xinyong.catalog.importers.outcomes import SheetRow

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row, values in enumerate([["a", "b", "c"], ["x", "#N/A", 330106199003072888],
                                  ["y", "1", "2"], ["#REF!", "", ""]], start=4):  # fmt: skip
        for column, value in enumerate(values, start=2):
            sheet.cell(row, column).value = value
    workbook.save(tmp_path / "t.xlsx")
    table = open_table(tmp_path / "t.xlsx", inspect(tmp_path / "t.xlsx"))
    first, plain, errors_only = table.rows()
    assert type(first) is SheetRow and list(first) == ["x", "", "3.30106199003073E+17"]
    assert (first.errors, first.numbers) == ({1: "#N/A"}, (2,))
    assert type(plain) is list and plain == ["y", "1", "2"]
    assert type(errors_only) is SheetRow and errors_only.errors == {0: "#REF!"}


def test_text_that_merely_looks_like_a_long_number_is_plain_text(tmp_path):
    _, rows = sheet_rows(tmp_path, [["a", "b"], ["3.30106199003073E+17", "x"]])
    assert type(rows[0]) is list and rows[0] == ["3.30106199003073E+17", "x"]


@pytest.mark.parametrize(
    "above",
    [
        "杭州市市场监督管理局行政处罚信息报送表\n",
        "报送表,,,\n\n填报单位：某局\n",
        '"报送表, 2026年"\n',
    ],
)
def test_title_lines_above_a_header_are_no_rows(tmp_path, above):
    """The header is the first line naming the format's columns, past titles above it; its own
    delimiter (a tab here) is the file's, whatever the titles hold (DOMAIN.md §5)."""
    text = above + "CF_XDR_MC\tCF_WSH\tCF_JDRQ\n杭州某公司\t第1号\t2026-11-02\n"
    path = tmp_path / "t.csv"
    path.write_text(text, "utf-8")
    table = open_table(path, inspect(path))
    assert table.header_found
    assert (table.header, list(table.rows())) == (
        ["CF_XDR_MC", "CF_WSH", "CF_JDRQ"],
        [["杭州某公司", "第1号", "2026-11-02"]],
    )


@pytest.mark.parametrize("quoted", [False, True])
def test_a_first_line_naming_no_column_still_heads_every_row(tmp_path, quoted):
    """No line reads as a header: the first stands for it (an import refuses it), and the
    lines read past it while looking are still the rows, in their order, a quoted one too."""
    lines = [f"{n},x" for n in range(1, 10)]
    if quoted:
        lines[2] = '3,"x\ny"'
    header, rows = table_rows(tmp_path, "a,b\n" + "\n".join(lines) + "\n")
    assert header == ["a", "b"]
    expected = [[str(n), "x"] for n in range(1, 10)]
    if quoted:
        expected[2] = ["3", "x\ny"]
    assert rows == expected
