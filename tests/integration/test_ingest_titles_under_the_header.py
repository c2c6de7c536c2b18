"""Exports that head their columns twice: the field codes, and on the row under them the
columns' Chinese titles (行政相对人名称 under CF_XDR_MC, 处罚决定书文号 under CF_WSH …), in either
edition of the national formats (DOMAIN.md §5, R9). The titles' row is part of the header, not
a record: it is skipped in CSV and Excel alike, and the data rows are numbered from the first
under it. A data row is never taken for one, whichever of its cells happens to read as a title."""

import csv
import datetime as dt

import openpyxl
import pytest

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory, make_uscc
from xinyong.catalog import selectors, services
from xinyong.catalog.importers.formats import PENALTIES
from xinyong.catalog.models import CreditRecord, ImportStatus, RecordFormat
from xinyong.core import clock

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
NEW, OLD = samples.PENALTY_FIELDS, samples.OLD_PENALTY_FIELDS
# The current template's titles: its fields' labels (罚款金额（万元） and all).
NEW_TITLES = {name: field.label for field in PENALTIES.fields for name in field.new}
TITLES = {
    "new": [NEW_TITLES[name] for name in NEW],
    "old": [samples.OLD_PENALTY_TITLES[n] for n in OLD],
}
TITLE = "杭州市市场监督管理局行政处罚信息报送表"


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)


@pytest.fixture(autouse=True)
def penalty_item(department):
    return CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                              provider=None)  # fmt: skip


def old_penalty(n, **changes):
    row = dict.fromkeys(OLD, "")
    row.update(
        CF_WSH=f"杭市监处罚〔2026〕{n}号", CF_CFLB1="罚款", CF_SY="销售超过保质期的食品",
        CF_XDR_MC=f"杭州示例{n}号科技有限公司", CF_XDR_SHXYM=make_uscc(n), CF_JG="罚款五千元",
        CF_JDRQ="2026/11/10", CF_XZJG=samples.AUTHORITY, CF_ZT="0",
    )  # fmt: skip
    return {**row, **changes}


def data_rows(edition, **first):
    """Four rows: the second has no decision date, the others are valid."""
    make = samples.penalty if edition == "new" else old_penalty
    return [make(1, **first), make(2, CF_JDRQ=""), make(3), make(4)]


def lines(edition, rows, *, above=()):
    fields = NEW if edition == "new" else OLD
    return [*above, fields, TITLES[edition], *samples.rows_of(fields, rows)]


def write(path, table):
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(table)
    else:
        book = openpyxl.Workbook()
        for line in table:
            book.active.append(line)
        book.save(path)
    return path


def run(path, department):
    with clock.frozen(TODAY):
        return services.import_file(actor="test", kind="penalties", path=path,
                                    department=department)  # fmt: skip


def reported(job):
    return {int(number): codes for number, _, codes, *_ in list(selectors.report_lines(job))[1:]}


def assert_imported_under_the_titles(job):
    assert job.status == ImportStatus.DONE
    assert (job.rows_done, job.accepted, job.quarantined) == (4, 3, 1)
    assert reported(job) == {2: "required"}  # the second row under the headers
    assert sorted(CreditRecord.objects.values_list("import_row", flat=True)) == [1, 3, 4]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("edition", ["new", "old"])
def test_the_titles_under_the_codes_are_part_of_the_header(tmp_path, department, edition, suffix):
    path = write(tmp_path / f"p.{suffix}", lines(edition, data_rows(edition)))
    job = run(path, department)
    assert job.edition == edition
    assert_imported_under_the_titles(job)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_under_a_title_and_with_a_blank_line(tmp_path, department, suffix):
    table = lines("new", data_rows("new"), above=[[TITLE]])
    table.insert(3, [])
    assert_imported_under_the_titles(run(write(tmp_path / f"p.{suffix}", table), department))


def test_the_titles_written_otherwise_and_some_left_blank(tmp_path, department):
    """Half-width brackets, a required mark, a title left blank: still the titles' row."""
    titles = [title.replace("（", "(").replace("）", ")") for title in TITLES["new"]]
    titles[NEW.index("CF_WSH")] = "行政处罚决定书文号*"
    titles[NEW.index("BZ")] = ""
    table = lines("new", data_rows("new"))
    table[1] = titles
    assert_imported_under_the_titles(run(write(tmp_path / "p.csv", table), department))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "first",
    [{"BZ": "备注"}, {"BZ": "备注", "CF_YJ": "处罚依据"}, {"CF_XDR_MC": "行政相对人名称"}],
    ids=["note", "note-and-basis", "name"],
)
def test_a_data_row_with_a_cell_reading_as_a_title_is_data(tmp_path, department, suffix, first):
    """Right under the codes, with no titles' row: the first row is a record all the same."""
    table = lines("new", data_rows("new", **first))
    del table[1]
    job = run(write(tmp_path / f"p.{suffix}", table), department)
    assert (job.rows_done, job.accepted, job.quarantined) == (4, 3, 1)
    assert sorted(CreditRecord.objects.values_list("import_row", flat=True)) == [1, 3, 4]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_codes_under_the_titles_are_part_of_the_header(tmp_path, department, suffix):
    table = lines("old", data_rows("old"))
    table[0], table[1] = table[1], table[0]
    assert_imported_under_the_titles(run(write(tmp_path / f"p.{suffix}", table), department))


def test_a_resumed_import_skips_the_titles_again(tmp_path, department):
    """A run killed after its first rows resumes after them: the titles' row is read as part
    of the header again, never as a row, and no row is lost or recorded twice (R9)."""
    path = write(tmp_path / "p.csv", lines("new", data_rows("new")))

    def stop_after_the_first_chunk(job, position):
        raise InterruptedError

    with pytest.raises(InterruptedError), clock.frozen(TODAY):
        services.import_file(actor="test", kind="penalties", path=path, department=department,
                             chunk_rows=2, on_progress=stop_after_the_first_chunk)  # fmt: skip
    job = run(path, department)
    assert job.runs == 2
    assert_imported_under_the_titles(job)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "cells",
    [
        {"CF_XDR_MC": "行政相对人名称", "BZ": "备注"},
        {"CF_WSH": "处罚决定书文号", "CF_JDRQ": "处罚决定日期", "CF_NR": "罚款"},
    ],
    ids=["name-and-note", "three-titles"],
)
def test_a_sparse_first_row_whose_cells_read_as_titles_is_data(tmp_path, department, suffix, cells):
    """Right under the codes, a row filling a few cells, each reading as its column's title:
    a titles' row names most of the header's columns, and this one does not. It is a row of
    the file, reported (here quarantined), never skipped unseen: accepted + quarantined = rows."""
    table = lines("new", [{**dict.fromkeys(NEW, ""), **cells}, samples.penalty(2)])
    del table[1]
    job = run(write(tmp_path / f"p.{suffix}", table), department)
    assert (job.rows_done, job.accepted, job.quarantined) == (2, 1, 1)
    assert 1 in reported(job)
    assert list(CreditRecord.objects.values_list("import_row", flat=True)) == [2]
