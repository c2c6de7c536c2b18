"""``xinyong measures load`` and ``xinyong screen`` see a workbook's error values (#N/A …), which
python-calamine reads as empty cells (R9): a measure whose 政策依据 is #N/A is refused as that
error, not as a measure without a legal basis (R10); a screened row whose code is #N/A is
``invalid`` (``excel-error``), not a row screened without a code."""

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.data.ingest.error_workbooks import WRITERS, Error
from tests.factories import DepartmentFactory, DomainFactory, ScenarioFactory, SubjectFactory
from xinyong.core.errors import XinyongError
from xinyong.measures.loading import load_measures_file
from xinyong.measures.models import Measure, ScreeningJob
from xinyong.measures.screening import screen_file

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"


def write_xlsx(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        # openpyxl writes a text that names an error as an error cell (t="e")
        book.active.append([cell.text if isinstance(cell, Error) else cell for cell in row])
    book.save(path)
    return path


FORMATS = {".xlsx": write_xlsx, **WRITERS}


def write(tmp_path, suffix, rows):
    return FORMATS[suffix](tmp_path / f"in{suffix}", rows)


# -- the measures list ----------------------------------------------------------------------------

HEADER = ["序号", "事项", "内容", "对象", "政策依据", "实施层级", "实施频次", "类型", "性质",
          "名单类别", "领域", "备注"]  # fmt: skip
BAR = ["1", "政府采购", "依法限制其参加政府采购活动", "单位",
       "《中华人民共和国政府采购法》第二十二条", "省", "每次", "惩戒", "强制性",
       "严重失信主体名单", "税务", "x"]  # fmt: skip
PRIORITY = ["2", "政府采购", "优先办理", "单位", "国发〔2016〕33号", "市", "每次", "激励",
            "推荐性", "红名单", "税务", "y"]  # fmt: skip
BASIS = HEADER.index("政策依据")
NOT_A_BASIS = ("第 3 行：“政策依据”单元格是 Excel 错误值 #N/A，不是数据，也不能当作空白："
               "请修正该单元格（如其公式）后重新载入")  # fmt: skip


@pytest.fixture
def reference():
    DomainFactory(code="tax", name="税务")
    ScenarioFactory(code=SCENARIO, name="政府采购")


def with_cell(row, index, value):
    return [*row[:index], value, *row[index + 1 :]]


@pytest.mark.parametrize("suffix", list(FORMATS))
@pytest.mark.parametrize("formula", [True, False], ids=["formula", "constant"])
def test_a_measure_whose_legal_basis_is_an_error_value_refuses_the_file(
    tmp_path, reference, suffix, formula
):
    """The row with #N/A is the last: in .ods an error cell without a value type is one calamine
    does not read at all, and the row still comes, as its error."""
    last = with_cell(PRIORITY, BASIS, Error("#N/A", formula))
    path = write(tmp_path, suffix, [HEADER, BAR, last])
    with pytest.raises(XinyongError) as refused:
        load_measures_file(path, actor="officer")
    assert refused.value.code == "measures-file-invalid"
    assert refused.value.details["errors"] == [NOT_A_BASIS]
    assert not Measure.objects.exists()


def test_the_command_names_the_error_value_and_its_row(tmp_path, reference):
    path = write(tmp_path, ".ods", [HEADER, BAR, with_cell(PRIORITY, BASIS, Error("#N/A"))])
    with pytest.raises(CommandError) as refused:
        call_command("measures", "load", str(path))
    assert NOT_A_BASIS in str(refused.value) and "缺少政策依据" not in str(refused.value)


def test_an_error_value_with_other_problems_of_its_row_is_said_once_with_them(tmp_path, reference):
    """序号 is the code's source: its error is not also said as a missing code."""
    row = with_cell(with_cell(PRIORITY, 0, Error("#REF!")), HEADER.index("类型"), "奖")
    path = write(tmp_path, ".xlsx", [HEADER, BAR, row])
    with pytest.raises(XinyongError) as refused:
        load_measures_file(path, actor="officer")
    assert refused.value.details["errors"] == [
        "第 3 行：“序号”单元格是 Excel 错误值 #REF!，不是数据，也不能当作空白：请修正该单元格"
        "（如其公式）后重新载入；类型无效“奖”，应为激励或惩戒"
    ]


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_an_error_value_in_a_column_not_read_does_not_refuse_its_row(tmp_path, reference, suffix):
    path = write(tmp_path, suffix, [HEADER, with_cell(BAR, HEADER.index("备注"), Error("#N/A"))])
    summary = load_measures_file(path, actor="officer")
    assert summary.created == ("m001",) and summary.ignored_columns == ("备注",)


# -- screening ------------------------------------------------------------------------------------


@pytest.fixture
def finance():
    ScenarioFactory(code=SCENARIO, name="政府采购")
    return DepartmentFactory(implementing=True, code="czj", name="财政局")


def screened(tmp_path, path, finance):
    report = screen_file(path, tmp_path / "out.csv", scenario=SCENARIO, department_id=finance.pk)
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as stream:
        return report, list(csv.DictReader(stream))


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_a_row_whose_code_is_an_error_value_is_invalid(tmp_path, finance, suffix):
    """An error in a column no answer reads (ref) leaves its row screened as any other."""
    code = SubjectFactory().reveal_identifier()
    path = write(tmp_path, suffix, [
        ["code", "ref"], [code, "a"], [Error("#N/A"), "b"], [code, Error("#REF!")],
    ])  # fmt: skip
    report, rows = screened(tmp_path, path, finance)
    assert [(r["ref"], r["status"], r["reason_code"]) for r in rows] == [
        ("a", "ok", ""), ("b", "invalid", "excel-error"), ("", "ok", ""),
    ]  # fmt: skip
    assert rows[1]["reason"].startswith("“code”单元格是 Excel 错误值 #N/A，不是数据")
    assert (report.rows, report.ok, dict(report.invalid)) == (3, 2, {"excel-error": 1})


def test_a_last_row_whose_name_is_an_error_alone_is_answered(tmp_path, finance):
    """An .ods error cell without a value type, in a row of nothing else, is past the sheet
    calamine reads: the row still comes, and is answered invalid."""
    path = write(tmp_path, ".ods", [["名称", "备注"], ["某公司", "a"], [Error("#NAME?", False)]])
    _, rows = screened(tmp_path, path, finance)
    assert [(r["名称"], r["核查状态"], r["原因代码"]) for r in rows] == [
        ("某公司", "unknown", ""), ("", "invalid", "excel-error"),
    ]  # fmt: skip
    assert "“名称”单元格是 Excel 错误值 #NAME?" in rows[1]["原因"]


def test_the_screen_command_counts_error_rows_as_invalid(tmp_path, finance):
    path = write(tmp_path, ".xlsb", [["code"], [Error("#DIV/0!")], [Error("#N/A", False)]])
    out = io.StringIO()
    call_command("screen", str(path), "-o", str(tmp_path / "out.csv"), "--scenario", SCENARIO,
                 "--department", "czj", "--no-progress", stdout=out)  # fmt: skip
    assert "无效 excel-error：2 行" in out.getvalue()
    assert ScreeningJob.objects.get().invalid == 2
