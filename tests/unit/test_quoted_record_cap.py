"""A quoted record past ``QUOTED_RECORD_CAP`` characters (DOMAIN.md §5, R14): one over-long
row where its quotes close within ``QUOTED_LINES_LIMIT`` lines, whatever its size, read past
without being held; a quote that never closes is still a malformed line, the rest re-read."""

import tracemalloc

import pytest

from xinyong.core.tables import (
    LINE_CAP,
    QUOTED_LINES_LIMIT,
    QUOTED_RECORD_CAP,
    OverlongRecord,
    read_records,
)

CODE = "91110000600037341L"


def _write(path, lines: int, per: int, char: str = "甲", closed: bool = True) -> None:
    with path.open("w", encoding="utf-8") as stream:
        stream.write("code,name\n")
        stream.write(f'{CODE},"' + "\n".join([char * per] * lines) + ('"' if closed else ""))
        stream.write(f"\n{CODE},乙公司\n{CODE},丙公司\n")


@pytest.mark.parametrize(("lines", "per"), [(3, 400_000), (12, 800_000), (20, 600_000)])
def test_a_closed_quoted_record_past_the_cap_is_one_over_long_row(tmp_path, lines, per):
    source = tmp_path / "in.csv"
    _write(source, lines, per)
    records = [cells for cells, _ in read_records(source)]
    assert len(records) == 4
    assert isinstance(records[1], OverlongRecord)
    assert records[1].size == len(f'{CODE},"') + lines * per + (lines - 1) + 1
    assert records[2:] == [[CODE, "乙公司"], [CODE, "丙公司"]]


def test_a_closed_quoted_record_past_the_cap_is_not_held(tmp_path):
    source = tmp_path / "in.csv"
    per = LINE_CAP - 100
    lines = 4 * QUOTED_RECORD_CAP // per  # four times what may be held
    _write(source, lines, per, char="x")
    tracemalloc.start()
    try:
        records = [cells for cells, _ in read_records(source)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(records) == 4 and isinstance(records[1], OverlongRecord)
    assert peak < 2 * QUOTED_RECORD_CAP


def test_a_quote_never_closed_past_the_cap_is_still_a_malformed_line(tmp_path):
    """Its first line is a malformed record and each line it took is read again, in order,
    those past the cap too."""
    source = tmp_path / "in.csv"
    lines, per = 12, 800_000
    _write(source, lines, per, char="x", closed=False)
    records = [cells for cells, _ in read_records(source)]
    assert records[1].code == "quote-unclosed"
    assert records[2:] == [["x" * per]] * (lines - 1) + [[CODE, "乙公司"], [CODE, "丙公司"]]


def test_a_quote_closed_past_the_lines_limit_is_a_malformed_line(tmp_path):
    source = tmp_path / "in.csv"
    lines, per = QUOTED_LINES_LIMIT + 5, 100_000
    _write(source, lines, per, char="x")
    records = [cells for cells, _ in read_records(source)]
    assert records[1].code == "quote-unclosed"
    assert records[2 : 1 + lines - 1] == [["x" * per]] * (lines - 2)
    assert records[-2:] == [[CODE, "乙公司"], [CODE, "丙公司"]]


def test_the_lines_of_a_quote_left_open_are_read_again_past_the_cap(tmp_path):
    """A quote left open past the lines limit, whose second line opens a quote of its own
    that closes on the last line: read again from the second line, that is one over-long
    record, though the lines read again are past what was held."""
    source = tmp_path / "in.csv"
    per = 100_000
    body = [f'x","{"x" * per}'] + ["x" * per] * (QUOTED_LINES_LIMIT - 2) + ['x",1']
    assert sum(map(len, body)) > QUOTED_RECORD_CAP
    source.write_text("code,name\n" + '"open\n' + "\n".join(body) + "\nB,2\n", encoding="utf-8")
    records = [cells for cells, _ in read_records(source)]
    assert records[1].code == "quote-unclosed" and records[1] == ['"open']
    assert isinstance(records[2], OverlongRecord)
    assert records[2].size == sum(map(len, body)) + len(body) - 1
    assert records[3:] == [["B", "2"]]
