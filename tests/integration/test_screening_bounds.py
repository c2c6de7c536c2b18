"""What one screening file may hold a process to (R14 secure by default; item 6: every row
answered, invalid ones never dropped): a line of any length, rows of any width."""

import csv
import tracemalloc

import pytest

from tests.factories import DepartmentFactory, ListEntryFactory, ScenarioFactory
from xinyong.core.errors import XinyongError
from xinyong.core.tables import LINE_CAP, OVERLONG_HEAD, OverlongRecord, read_records, read_rows
from xinyong.listings.models import ListKind
from xinyong.measures import screening
from xinyong.measures.screening import screen_file

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"


@pytest.fixture
def finance():
    ScenarioFactory(code=SCENARIO, name="政府采购")
    return DepartmentFactory(implementing=True, code="czj", name="财政局")


@pytest.fixture
def black():
    return ListEntryFactory(effective=True, list__kind=ListKind.BLACK).subject.reveal_identifier()


def _output(path):
    with path.open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    return header, [dict(zip(header, row, strict=False)) for row in rows]


def _screen_traced(source, target, finance) -> tuple[object, int]:
    """The run's report and the most memory it held at once, as Python allocated it."""
    tracemalloc.start()
    try:
        report = screen_file(source, target, scenario=SCENARIO, department_id=finance.pk,
                             lookup="chunks")  # fmt: skip
        return report, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_line_over_the_limit_is_one_invalid_row_never_split_into_cells(
    tmp_path, finance, black, end
):
    """A line of 4 MB of ``ab,`` was split into 1.4 million strings (33 times its size in
    memory; a 199 MB upload took 6.5 GB): it is one invalid row, its head kept in the first
    column, and the rows after it are screened. Memory stays near a small file's."""
    small = tmp_path / "small.csv"
    small.write_text(f"code,ref{end}{black},r1{end}", encoding="utf-8")
    _, baseline = _screen_traced(small, tmp_path / "small-out.csv", finance)
    source = tmp_path / "in.csv"
    long_line = "ab," * (4 * LINE_CAP // 3)
    source.write_text(f"code,ref{end}{black},r1{end}{long_line}{end}{black},r2{end}",
                      encoding="utf-8", newline="")  # fmt: skip
    report, peak = _screen_traced(source, tmp_path / "out.csv", finance)
    # A line is never held longer than LINE_CAP characters, nor split: well under its size.
    assert peak - baseline < 2 * LINE_CAP + (4 << 20), peak - baseline
    _, rows = _output(tmp_path / "out.csv")
    assert [(r["code"][:8], r["ref"], r["status"], r["reason_code"]) for r in rows] == [
        (black[:8], "r1", "ok", ""),
        ("ab,ab,ab", "", "invalid", "row-too-long"),
        (black[:8], "r2", "ok", ""),
    ]
    assert rows[1]["code"] == long_line[:OVERLONG_HEAD]
    assert f"{len(long_line):,} 个字符" in rows[1]["reason"]
    assert (report.rows, report.invalid["row-too-long"]) == (3, 1)


def test_wide_rows_are_screened_a_few_at_a_time(tmp_path, finance, black, monkeypatch):
    """2,000 rows of 10 KB (a cell per comma past the header) were held ten thousand at a
    time, 730 MB for a 20 MB file: a chunk holds at most ``CHUNK_CHARS`` characters of lines,
    and every row is still answered, in order."""
    source = tmp_path / "in.csv"
    wide = f"{black},x" + ",ab" * 3400 + "\n"
    source.write_text("code,ref\n" + wide * 600, encoding="utf-8")
    seen = []
    chunk = screening._Run.chunk

    def counted(self, records, out):
        seen.append((len(records), sum(len(line) for _, line in records)))
        return chunk(self, records, out)

    monkeypatch.setattr(screening._Run, "chunk", counted)
    report, _ = _screen_traced(source, tmp_path / "out.csv", finance)
    assert sum(rows for rows, _ in seen) == report.rows == 600
    assert len(seen) > 1
    assert all(chars < screening.CHUNK_CHARS + LINE_CAP for _, chars in seen)
    _, rows = _output(tmp_path / "out.csv")
    assert {(r["status"], r["reason_code"]) for r in rows} == {("invalid", "row-too-wide")}


def test_a_quoted_record_runs_on_no_further_than_the_line_limit(tmp_path):
    """A quote left open takes lines until they hold ``LINE_CAP`` characters at most; then
    its line is an invalid record and the lines it took are read again, each on its own."""
    source = tmp_path / "in.csv"
    filler = "x" * (LINE_CAP // 4)
    source.write_text('code,ref\n"open,a\n' + f"{filler}\n" * 6 + "c,d\n", encoding="utf-8")
    records = [cells for cells, _ in read_records(source)]
    assert records[1].code == "quote-unclosed" and records[1] == ['"open,a']
    assert records[2:] == [[filler]] * 6 + [["c", "d"]]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("extra", [0, 1, 2, 1 << 20])
def test_the_rows_after_an_over_long_line_are_read_whatever_its_line_end(tmp_path, end, extra):
    """However the line's end falls against the read's limit (a CRLF cut between its two
    characters, a lone CR), the next line is the next record, and none is made up."""
    source = tmp_path / "in.csv"
    line = "x" * (LINE_CAP + extra)
    source.write_bytes(f"code{end}{line}{end}a,b{end}c{end}".encode())
    records = list(read_records(source))
    assert [cells for cells, _ in records][2:] == [["a", "b"], ["c"]]
    cells = records[1][0]
    if extra:
        assert isinstance(cells, OverlongRecord) and cells.size == len(line)
    else:
        assert cells == [line]


def test_the_measures_loader_refuses_an_over_long_line_naming_its_record(tmp_path):
    source = tmp_path / "measures.csv"
    source.write_text("序号,事项\n1," + "x" * (LINE_CAP + 5) + "\n", encoding="utf-8")
    with pytest.raises(XinyongError) as refused:
        list(read_rows(source))
    assert refused.value.code == "file-csv"
    assert "第 2 条记录过长" in refused.value.message


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_quoted_record_over_the_line_limit_is_one_invalid_row(tmp_path, end):
    """A quoted cell whose lines hold more than ``LINE_CAP`` characters in all, closed where
    its record's last line ends: one invalid row, and the next record is read after it, never
    from inside it (its tail ``zz",2`` is no row)."""
    source = tmp_path / "in.csv"
    head = '"' + "y" * (LINE_CAP - 3)
    source.write_bytes(f'code,name{end}A,1{end}{head}{end}zz",2{end}B,2{end}'.encode())
    records = [cells for cells, _ in read_records(source)]
    assert records[:2] == [["code", "name"], ["A", "1"]]
    assert isinstance(records[2], OverlongRecord) and records[2].code == "row-too-long"
    assert records[2] == [head[:OVERLONG_HEAD]]
    assert records[2].size == len(head) + len(end) + len('zz",2')
    assert records[3:] == [["B", "2"]]


def test_a_quoted_record_over_the_limit_ends_where_its_quote_closes_lines_later(tmp_path):
    """Over several lines, quotes doubled inside and a second quoted cell: read as the csv
    module reads it, the record ends at the line where its last quoted cell closes."""
    source = tmp_path / "in.csv"
    part = "q" * (LINE_CAP // 3)
    text = f'"{part}\n{part}""\n{part}\n{part}","x\ny"\nB,2\n'
    source.write_text("code,name\n" + text, encoding="utf-8")
    records = [cells for cells, _ in read_records(source)]
    assert [type(cells).__name__ for cells in records] == ["list", "OverlongRecord", "list"]
    assert records[2] == ["B", "2"]


def test_a_quoted_cell_under_the_line_limit_is_read_whatever_the_csv_modules_limit(tmp_path):
    """The csv module's own limit on a cell (128 KiB unless raised) is not the reader's: a
    quoted cell of 200,000 characters is one cell of its record, not a malformed line."""
    source = tmp_path / "in.csv"
    cell = "z" * 200_000
    source.write_text(f'code,name\n"{cell}\nw",1\nB,2\n', encoding="utf-8")
    before = csv.field_size_limit(128 * 1024)
    try:
        records = [cells for cells, _ in read_records(source)]
    finally:
        csv.field_size_limit(before)
    assert records[1:] == [[f"{cell}\nw", "1"], ["B", "2"]]


@pytest.mark.parametrize(
    ("length", "reason"), [(LINE_CAP - 10, "unknown-format"), (LINE_CAP - 3, "row-too-long")]
)
def test_screening_answers_a_long_quoted_record_as_one_row(
    tmp_path, finance, black, length, reason
):
    """A quoted code cell on two lines: within ``LINE_CAP`` characters it is one record whose
    code is no code; past them one over-long record. Either way one invalid row, and the
    output has a row for each record of the input, no more."""
    source = tmp_path / "in.csv"
    source.write_text(f'code,ref\n{black},r1\n"{"y" * length}\nzz",r2\n{black},r3\n',
                      encoding="utf-8")  # fmt: skip
    screen_file(source, tmp_path / "out.csv", scenario=SCENARIO, department_id=finance.pk)
    _, rows = _output(tmp_path / "out.csv")
    assert [(r["status"], r["reason_code"]) for r in rows] == [
        ("ok", ""), ("invalid", reason), ("ok", ""),
    ]  # fmt: skip
