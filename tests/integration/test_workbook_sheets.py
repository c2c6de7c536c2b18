"""A workbook whose rows go on past its first sheet is refused where it is read whole: batch
screening (the command, the API upload, its job) and the measures list's load. Only the first
sheet is read, so rows on another would be dropped without a word (issue 4 item 6: every input
row is answered, invalid rows reported, never dropped; R10: no measure left out unsaid).
Empty sheets beside it (a default Sheet2) are no matter."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from tests.check_clients import client_for
from tests.data.ingest.error_workbooks import WRITERS
from tests.factories import DepartmentFactory, ListEntryFactory, ScenarioFactory, SubjectFactory
from xinyong.core.errors import XinyongError
from xinyong.listings.models import ListKind
from xinyong.measures.loading import load_measures_file
from xinyong.measures.models import Measure, ScreeningJob
from xinyong.measures.screening import screen_file

pytestmark = pytest.mark.django_db
openpyxl = pytest.importorskip("openpyxl")
SCENARIO = "government_procurement"
FORMATS = pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".xlsb", ".ods"])


@pytest.fixture
def finance():
    ScenarioFactory(code=SCENARIO, name="政府采购")
    return DepartmentFactory(implementing=True, code="czj", name="财政局")


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def workbook(path, rows, more=()):
    """A workbook in the format of ``path``'s suffix: ``rows`` on its first sheet, then each
    of ``more`` as (name, rows)."""
    if path.suffix != ".xlsx":
        return WRITERS[path.suffix](path, rows, more=more)
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    for name, more_rows in more:
        sheet = book.create_sheet(name)
        for row in more_rows:
            sheet.append(row)
    book.save(path)
    return path


def _screen(source, out, finance):
    return screen_file(source, out, scenario=SCENARIO, department_id=finance.pk)


@FORMATS
def test_screening_refuses_a_workbook_with_rows_on_a_second_sheet(tmp_path, finance, suffix):
    listed = ListEntryFactory(effective=True, list__kind=ListKind.BLACK).subject
    other = SubjectFactory()
    source = workbook(
        tmp_path / f"in{suffix}", [["code"], [other.reveal_identifier()]],
        more=[("第二页", [["code"], [listed.reveal_identifier()]])],
    )  # fmt: skip
    out = tmp_path / "out.csv"
    with pytest.raises(XinyongError) as refused:
        _screen(source, out, finance)
    assert (refused.value.code, refused.value.status) == ("excel-several-sheets", 422)
    assert "“第二页”" in refused.value.message and "第一个工作表" in refused.value.message
    assert not out.exists()


@FORMATS
def test_empty_sheets_beside_the_first_are_no_matter(tmp_path, finance, suffix):
    other = SubjectFactory()
    blank = [[None, "  "]]  # spaces are no data
    source = workbook(
        tmp_path / f"in{suffix}", [["code"], [other.reveal_identifier()]],
        more=[("Sheet2", []), ("Sheet3", blank)],
    )  # fmt: skip
    report = _screen(source, tmp_path / "out.csv", finance)
    assert report.counters()["rows"] == 1
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text("utf-8-sig"))))
    assert [row["code"] for row in rows] == [other.reveal_identifier()]


def test_a_sheet_of_anything_else_refuses_the_workbook_too(tmp_path, finance):
    """Notes, a second list under another header: screening cannot tell them from rows it
    would drop, nor say in its answer to an upload that it left them unread."""
    source = workbook(
        tmp_path / "in.xlsx", [["code"], ["91110000000000000X"]],
        more=[("说明", [["填表说明：每行一个统一社会信用代码"]])],
    )  # fmt: skip
    with pytest.raises(XinyongError) as refused:
        _screen(source, tmp_path / "out.csv", finance)
    assert refused.value.code == "excel-several-sheets" and "“说明”" in refused.value.message


def test_the_command_refuses_it_and_writes_nothing(tmp_path, finance):
    source = workbook(tmp_path / "in.xlsx", [["code"], ["1"]], more=[("第二页", [["code"], ["2"]])])
    with pytest.raises(CommandError, match=r"^核查任务 .* 失败：excel-several-sheets: "):
        call_command("screen", str(source), "-o", str(tmp_path / "out.csv"), "--scenario",
                     SCENARIO, "--department", "czj", "--no-progress",
                     stdout=io.StringIO())  # fmt: skip
    assert not (tmp_path / "out.csv").exists()
    assert ScreeningJob.objects.get().status == "failed"


def test_the_upload_is_refused_with_the_reason_and_no_job(tmp_path, finance):
    source = workbook(tmp_path / "in.xlsx", [["code"], ["1"]], more=[("第二页", [["code"], ["2"]])])
    sent = io.BytesIO(source.read_bytes())
    sent.name = "名单.xlsx"
    answer = client_for(finance, [SCENARIO]).post(
        "/api/v1/screenings", {"scenario": SCENARIO, "file": sent}
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "excel-several-sheets")
    assert "“第二页”" in answer.json()["message"]
    assert not ScreeningJob.objects.exists()
    assert not list((tmp_path / "var" / "screenings").iterdir())


HEADER = ["序号", "事项", "内容", "对象", "政策依据", "实施层级", "实施频次", "类型", "性质",
          "名单类别"]  # fmt: skip
BAR = ["1", "政府采购", "限制参加政府采购活动", "单位", "《政府采购法》第二十二条", "国家",
       "每次", "惩戒", "强制性", "严重失信主体名单"]  # fmt: skip
FUNDS = ["2", "财政资金", "限制申请财政资金", *BAR[3:]]


@FORMATS
def test_the_measures_load_refuses_a_list_that_goes_on_past_the_first_sheet(
    tmp_path, finance, suffix
):
    ScenarioFactory(code="fiscal_funds", name="财政资金")
    source = workbook(tmp_path / f"清单{suffix}", [HEADER, BAR], more=[("续表", [HEADER, FUNDS])])
    with pytest.raises(XinyongError) as refused:
        load_measures_file(source, actor="officer")
    assert refused.value.code == "excel-several-sheets" and "“续表”" in refused.value.message
    assert not Measure.objects.exists()


def test_the_measures_load_reads_a_list_beside_an_empty_sheet(tmp_path, finance):
    source = workbook(tmp_path / "清单.xlsx", [HEADER, BAR], more=[("Sheet2", [])])
    assert load_measures_file(source, actor="officer").created == ("m001",)
