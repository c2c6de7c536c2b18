"""Importing a file whose header sits under a title (DOMAIN.md §5, R9): the title rows above it
are skipped in CSV and Excel alike, as ``measures load`` and ``xinyong screen`` skip them; the
data rows are numbered from the first under the header, and every one of them is accounted for.
A file in which no row among the first reads as a header is refused saying so."""

import csv
import datetime as dt

import openpyxl
import pytest

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory
from xinyong.catalog import selectors, services
from xinyong.catalog.models import CreditRecord, ImportJob, ImportStatus, RecordFormat
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.table_header import TITLE_ROWS_MAX

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
FIELDS = samples.PENALTY_FIELDS
TITLE = "杭州市市场监督管理局行政处罚信息报送表"
MADE_BY = "填报单位：杭州市市场监督管理局　填报日期：2026年11月18日"


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg", name="杭州市市场监督管理局")


@pytest.fixture(autouse=True)
def penalty_item(department):
    return CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                              provider=None)  # fmt: skip


def run(path, department):
    with clock.frozen(TODAY):
        return services.import_file(actor="test", kind="penalties", path=path,
                                    department=department)  # fmt: skip


def data_rows():
    """Four rows: the second has no decision date, the others are valid."""
    return [samples.penalty(1), samples.penalty(2, CF_JDRQ=""), samples.penalty(3),
            samples.penalty(4)]  # fmt: skip


def reported(job):
    return {int(number): codes for number, _, codes, *_ in list(selectors.report_lines(job))[1:]}


def write_csv(path, above, rows):
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerows(above)
        writer.writerow(FIELDS)
        writer.writerows(samples.rows_of(FIELDS, rows))
    return path


def write_xlsx(path, above, rows, *, merge_title=False):
    book = openpyxl.Workbook()
    sheet = book.active
    for line in above:
        sheet.append(line)
    if merge_title:  # the title merged across the table, as offices draw it
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(FIELDS))
    sheet.append(FIELDS)
    for row in samples.rows_of(FIELDS, rows):
        sheet.append(row)
    book.save(path)
    return path


def assert_imported_under_the_title(job):
    assert job.status == ImportStatus.DONE
    assert (job.rows_done, job.accepted, job.quarantined) == (4, 3, 1)
    assert job.accepted + job.quarantined == len(data_rows())
    # The row without a date is the second under the header, whatever stands above it.
    assert reported(job) == {2: "required"}
    numbers = sorted(CreditRecord.objects.values_list("import_row", flat=True))
    assert numbers == [1, 3, 4]


@pytest.mark.parametrize(
    "above",
    [
        [[TITLE]],  # alone in the first cell
        [[TITLE, *[""] * (len(FIELDS) - 1)]],  # a merged title as a CSV export keeps it
        [[TITLE], [], [MADE_BY]],  # a blank line and who made it
    ],
    ids=["alone", "merged", "made-by"],
)
def test_a_csv_file_with_title_rows_is_imported(tmp_path, department, above):
    path = write_csv(tmp_path / "p.csv", above, data_rows())
    assert_imported_under_the_title(run(path, department))


@pytest.mark.parametrize(
    ("above", "merge_title"),
    [([[TITLE]], True), ([[TITLE], [MADE_BY]], False)],
    ids=["merged", "made-by"],
)
def test_an_excel_file_with_title_rows_is_imported(tmp_path, department, above, merge_title):
    path = write_xlsx(tmp_path / "p.xlsx", above, data_rows(), merge_title=merge_title)
    assert_imported_under_the_title(run(path, department))


def test_a_gbk_csv_with_a_title_row_is_imported(tmp_path, department):
    path = tmp_path / "p.csv"
    write_csv(tmp_path / "u.csv", [[TITLE]], data_rows())
    path.write_bytes((tmp_path / "u.csv").read_text("utf-8").encode("gb18030"))
    assert_imported_under_the_title(run(path, department))


class Interrupted(Exception):
    """Stands for the process being killed right after a chunk committed."""


def test_an_interrupted_import_resumes_past_the_title_rows(tmp_path, department):
    """A run killed after its first rows resumes after them: the title rows are read as
    titles again, never as rows, and no row is lost or recorded twice (R9)."""
    path = write_csv(tmp_path / "p.csv", [[TITLE], [MADE_BY]], data_rows())

    def stop_after_the_first_chunk(job, position):
        raise Interrupted

    with pytest.raises(Interrupted), clock.frozen(TODAY):
        services.import_file(actor="test", kind="penalties", path=path, department=department,
                             chunk_rows=2, on_progress=stop_after_the_first_chunk)  # fmt: skip
    assert ImportJob.objects.get().rows_done == 2
    with clock.frozen(TODAY):
        job = services.import_file(actor="test", kind="penalties", path=path,
                                   department=department, chunk_rows=2)  # fmt: skip
    assert job.runs == 2
    assert_imported_under_the_title(job)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_file_with_no_header_among_its_first_rows_is_refused_saying_so(
    tmp_path, department, suffix
):
    """Titles and notes only, more than a file may carry above its header: no row names the
    format's columns. The refusal says no header was found, and names no title as one."""
    above = [[f"{TITLE}（第{n}页）"] for n in range(1, TITLE_ROWS_MAX + 3)]
    if suffix == "csv":
        path = write_csv(tmp_path / "p.csv", above, data_rows())
    else:
        path = write_xlsx(tmp_path / "p.xlsx", above, data_rows())
    with pytest.raises(XinyongError) as refused:
        run(path, department)
    assert refused.value.code == "file-layout"
    assert "没有找到表头" in refused.value.message
    assert f"前 {TITLE_ROWS_MAX + 1} 行" in refused.value.message
    assert TITLE not in refused.value.message
    assert ImportJob.objects.get().status == ImportStatus.FAILED
    assert not CreditRecord.objects.exists()


def test_a_file_of_other_columns_is_refused_saying_no_header_was_found(tmp_path, department):
    """A file whose first row names none of the format's columns has no header to speak of:
    it is not told it lacks some (the title or a row of data would be taken for one)."""
    path = tmp_path / "p.csv"
    path.write_text("姓名,年龄\n张三,3\n", "utf-8")
    with pytest.raises(XinyongError) as refused:
        run(path, department)
    assert refused.value.code == "file-layout"
    assert "没有找到表头" in refused.value.message


def test_a_header_lacking_required_columns_is_still_named_as_such(tmp_path, department):
    """A header that is one, under a title, but lacks a required column: the refusal names the
    column missing, as before."""
    header = [name for name in FIELDS if name != "CF_JDRQ"]
    path = tmp_path / "p.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerows([[TITLE], header, samples.rows_of(header, [samples.penalty(1)])[0]])
    with pytest.raises(XinyongError) as refused:
        run(path, department)
    assert refused.value.code == "file-layout"
    assert "表头缺少必需的列" in refused.value.message
    assert "处罚决定日期" in refused.value.message
    assert "行政相对人名称" not in refused.value.message  # the header names it
    assert TITLE not in refused.value.message


def test_records_under_a_title_on_another_sheet_refuse_the_workbook(tmp_path, department):
    """Another sheet holding rows under the same header, below a title of its own, holds
    records too: the workbook is refused naming it, never imported short of them."""
    path = write_xlsx(tmp_path / "p.xlsx", [[TITLE]], data_rows(), merge_title=True)
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet("12月")
    sheet.append([TITLE])
    sheet.append(FIELDS)
    sheet.append(samples.rows_of(FIELDS, [samples.penalty(9)])[0])
    book.save(path)
    with pytest.raises(XinyongError) as refused:
        run(path, department)
    assert refused.value.code == "excel-several-sheets"
    assert "“12月”" in refused.value.message
