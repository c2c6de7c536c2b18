"""Importing Excel workbooks: what a cell holds that a CSV export would not say (DOMAIN.md §4,
§5, R9, R13): identifiers stored as numbers, error values, and the workbook's other sheets."""

import datetime as dt

import openpyxl
import pytest

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory, make_citizen_id
from xinyong.catalog import selectors, services
from xinyong.catalog.models import CreditRecord, ImportJob, ImportStatus, RecordFormat
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
FIELDS = samples.PENALTY_FIELDS


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


def workbook(rows, *, title="处罚"):
    """A workbook whose first sheet holds the header and ``rows`` (lists of cells)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(FIELDS)
    for row in rows:
        sheet.append(row)
    return book


def cells(row: dict[str, str], **values) -> list:
    return [values.get(name, row[name]) for name in FIELDS]


def reasons(job):
    return {
        int(number): (codes, messages)
        for number, _, codes, messages, *_ in list(selectors.report_lines(job))[1:]
    }


# -- identifiers stored as numbers (DOMAIN.md §4) ----------------------------------------------


def test_a_citizen_id_stored_as_a_number_is_refused_never_guessed(tmp_path, department):
    """An 18-digit ID in a number cell keeps 15 significant digits at most: its last ones are
    another person's, and one in twenty still passes the check digit. The row is refused with
    its own reason asking for the cell as text; the ID as text goes in."""
    real = "330106199003072888"
    person = samples.penalty(1, person=True, CF_XDR_ZJHM=real)
    as_text = samples.penalty(2, person=True)
    book = workbook([cells(person, CF_XDR_ZJHM=int(real)), cells(as_text)])
    book.save(tmp_path / "p.xlsx")
    job = run(tmp_path / "p.xlsx", department)
    assert (job.accepted, job.quarantined_by_reason) == (1, {"identifier-as-number": 1})
    codes, messages = reasons(job)[1]
    assert codes == "identifier-as-number"
    assert "“CF_XDR_ZJHM”" in messages and "文本格式" in messages
    assert "330106199003072" not in str(job.report_rows.get().values)  # no digits guessed
    assert Subject.objects.count() == 1
    assert CreditRecord.objects.get().document_number == as_text["CF_WSH"]


def test_a_uscc_or_a_document_number_stored_as_a_number_is_refused(tmp_path, department):
    digits_only = "913301060000000518"  # a valid USCC of digits only
    book = workbook([
        cells(samples.penalty(5, CF_XDR_SHXYM=digits_only), CF_XDR_SHXYM=float(digits_only)),
        cells(samples.penalty(6), CF_WSH=2026330100000123),
    ])  # fmt: skip
    book.save(tmp_path / "p.xlsx")
    job = run(tmp_path / "p.xlsx", department)
    assert (job.accepted, job.quarantined_by_reason) == (0, {"identifier-as-number": 2})
    assert "“CF_XDR_SHXYM”" in reasons(job)[1][1]
    assert "“CF_WSH”" in reasons(job)[2][1]


def test_short_numbers_are_read_as_their_digits(tmp_path, department):
    """A number of up to 15 digits is exact: a fine, a date, a short code keep their digits."""
    row = samples.penalty(1)
    book = workbook([cells(row, CF_NR_FK=12, CF_JDRQ=dt.date(2026, 11, 2))])
    book.save(tmp_path / "p.xlsx")
    job = run(tmp_path / "p.xlsx", department)
    assert (job.accepted, job.quarantined) == (1, 0)
    assert CreditRecord.objects.get().content["CF_NR_FK"] == "12"


# -- error values -------------------------------------------------------------------------------


def test_an_error_cell_refuses_its_row_naming_the_column(tmp_path, department):
    """#VALUE! in the fine is no fine: the row is refused, not recorded as without one."""
    book = workbook([cells(samples.penalty(1)), cells(samples.penalty(2)),
                     cells(samples.penalty(3))])  # fmt: skip
    book.active.cell(2, FIELDS.index("CF_NR_FK") + 1).value = "#VALUE!"
    book.active.cell(4, FIELDS.index("CF_CFJG") + 1).value = "#N/A"
    book.save(tmp_path / "p.xlsx")
    job = run(tmp_path / "p.xlsx", department)
    assert (job.accepted, job.quarantined_by_reason) == (1, {"excel-error": 2})
    found = reasons(job)
    assert "“CF_NR_FK”" in found[1][1] and "#VALUE!" in found[1][1]
    assert "“CF_CFJG”" in found[3][1] and "#N/A" in found[3][1]
    assert CreditRecord.objects.get().document_number == samples.penalty(2)["CF_WSH"]


def test_an_error_cell_is_found_where_the_sheets_data_begins_lower_and_further_right(
    tmp_path, department
):
    """Rows and columns before the data are empty: the error is still its own row's."""
    book = openpyxl.Workbook()
    sheet = book.active
    for offset, values in enumerate([FIELDS, cells(samples.penalty(1)),
                                     cells(samples.penalty(2))]):  # fmt: skip
        for column, value in enumerate(values):
            sheet.cell(3 + offset, 3 + column).value = value
    sheet.cell(5, 3 + FIELDS.index("CF_NR_FK")).value = "#DIV/0!"
    book.save(tmp_path / "p.xlsx")
    job = run(tmp_path / "p.xlsx", department)
    assert (job.accepted, job.quarantined_by_reason) == (1, {"excel-error": 1})
    assert job.report_rows.get().row_number == 2


# -- other sheets -------------------------------------------------------------------------------


def test_records_on_another_sheet_refuse_the_workbook_naming_the_sheets(tmp_path, department):
    """Rows under the first sheet's header on another sheet are records too: importing the
    first alone would leave them unread and uncounted."""
    book = workbook([cells(samples.penalty(n)) for n in (1, 2)], title="10月")
    for title, numbers in (("11月", (3, 4, 5)), ("12月", (6,))):
        sheet = book.create_sheet(title)
        sheet.append(FIELDS)
        for n in numbers:
            sheet.append(cells(samples.penalty(n)))
    book.create_sheet("填表说明").append(["请按国家标准填写"])
    book.save(tmp_path / "p.xlsx")
    with pytest.raises(XinyongError) as refused:
        run(tmp_path / "p.xlsx", department)
    assert refused.value.code == "excel-several-sheets"
    assert "“11月”、“12月”" in refused.value.message
    assert ImportJob.objects.get().status == ImportStatus.FAILED
    assert not CreditRecord.objects.exists()


def test_an_instructions_sheet_is_left_unread_with_a_warning(tmp_path, department):
    """A template's instructions or code lists are no records: the first sheet is imported,
    and the warning names the sheets not read. An empty sheet holds nothing to name."""
    book = workbook([cells(samples.penalty(1))])
    book.create_sheet("填表说明").append(["字段", "说明"])
    book["填表说明"].append(["CF_WSH", "行政处罚决定书文号"])
    book.create_sheet("处罚类别代码").append(["处罚类别"])
    template = book.create_sheet("模板")
    template.append(FIELDS)  # the header alone: no records under it
    book.create_sheet("Sheet3")
    book.save(tmp_path / "p.xlsx")
    job = run(tmp_path / "p.xlsx", department)
    assert (job.status, job.accepted) == (ImportStatus.DONE, 1)
    [warning] = [w for w in job.warnings if w["code"] == "sheets-not-read"]
    assert "“填表说明”、“处罚类别代码”、“模板”" in warning["message"]
    assert "Sheet3" not in warning["message"]


def test_a_sheet_named_like_a_citizen_id_is_masked_in_the_warning(tmp_path, department):
    book = workbook([cells(samples.penalty(1))])
    book.create_sheet(make_citizen_id(7)).append(["备注"])
    book.save(tmp_path / "p.xlsx")
    job = run(tmp_path / "p.xlsx", department)
    assert make_citizen_id(7) not in str(job.warnings)
