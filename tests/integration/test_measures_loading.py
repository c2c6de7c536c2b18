"""Loading the measures list from a file (R10): CSV in UTF-8 or GB18030, Excel; all or nothing."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import DepartmentFactory, DomainFactory, ScenarioFactory
from xinyong.audit.models import AuditEntry
from xinyong.core.errors import XinyongError
from xinyong.measures.loading import load_measures_file
from xinyong.measures.models import Measure

pytestmark = pytest.mark.django_db

HEADER = ["序号", "事项", "内容", "对象", "政策依据", "实施层级", "实施频次", "类型", "性质",
          "名单类别", "领域", "业务场景"]  # fmt: skip
BAR = ["1", "限制参加政府采购活动", "依法限制其参加政府采购活动", "单位及其法定代表人",
       "《中华人民共和国政府采购法》第二十二条", "省、市、县", "每次办理业务时", "惩戒", "强制性",
       "严重失信主体名单;重点关注名单", "食品药品、tax", "政府采购;fiscal_funds"]  # fmt: skip
PRIORITY = ["2", "优先办理", "在行政审批中给予便利", "机构", "国发〔2016〕33号", "市", "每次",
            "激励", "推荐性", "红名单", "全部", "honours"]  # fmt: skip


@pytest.fixture(autouse=True)
def reference():
    DomainFactory(code="food_drugs", name="食品药品")
    DomainFactory(code="tax", name="税务")
    ScenarioFactory(code="government_procurement", name="政府采购")
    ScenarioFactory(code="fiscal_funds", name="财政资金")
    ScenarioFactory(code="honours", name="评优评先")


def write_csv(path, rows, encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_a_csv_in_utf8_loads_every_column(tmp_path):
    summary = load_measures_file(write_csv(tmp_path / "清单.csv", [HEADER, BAR, PRIORITY]),
                                 actor="officer")  # fmt: skip
    assert (summary.created, summary.updated, summary.unchanged) == (("m001", "m002"), (), ())
    bar = Measure.objects.get(code="m001")
    assert (bar.sequence, bar.name, bar.type, bar.mandatory) == (
        1, "限制参加政府采购活动", "punishment", True,
    )  # fmt: skip
    assert bar.legal_basis == "《中华人民共和国政府采购法》第二十二条"
    assert bar.targets == ["organisation", "legal_representative"]
    assert bar.list_kinds == ["black", "key_attention"]
    assert sorted(bar.domains.values_list("code", flat=True)) == ["food_drugs", "tax"]
    assert sorted(bar.scenarios.values_list("code", flat=True)) == [
        "fiscal_funds", "government_procurement",
    ]  # fmt: skip
    assert (bar.implementing_level, bar.frequency) == ("省、市、县", "每次办理业务时")
    priority = Measure.objects.get(code="m002")
    assert (priority.type, priority.mandatory, priority.list_kinds) == ("reward", False, ["red"])
    assert not priority.domains.exists()  # 全部: it follows from lists in every domain
    audit = AuditEntry.objects.get()
    assert (audit.action, audit.actor, audit.after["created"]) == (
        "measures.load", "officer", ["m001", "m002"],
    )  # fmt: skip


def test_a_gb18030_file_loads_the_same(tmp_path):
    load_measures_file(write_csv(tmp_path / "gbk.csv", [HEADER, BAR], "gb18030"), actor="officer")
    assert Measure.objects.get(code="m001").name == "限制参加政府采购活动"


def test_an_excel_file_loads_with_its_own_codes(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["编号", *HEADER])
    sheet.append(["P01", 1, *BAR[1:]])  # 序号 as a number, as Excel keeps it
    book.save(tmp_path / "清单.xlsx")
    summary = load_measures_file(tmp_path / "清单.xlsx", actor="officer")
    assert summary.created == ("P01",)
    assert Measure.objects.get(code="P01").sequence == 1


def test_merged_domain_and_department_cells_apply_to_every_row_they_cover(tmp_path):
    """R10: 领域 and 实施部门 merged over two rows (a common layout) are the second row's too;
    read cell by cell, its empty cells would mean every domain and every department."""
    openpyxl = pytest.importorskip("openpyxl")
    DepartmentFactory(code="czj", name="财政局", implementing=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*HEADER[:-1], "实施部门"])  # 事项 names the scenario
    sheet.append(["1", "政府采购", *BAR[2:-2], "食品药品", "财政局"])
    sheet.append(["2", "财政资金", "限制申请财政性资金项目", *BAR[3:-2], None, None])
    sheet.merge_cells("K2:K3")
    sheet.merge_cells("L2:L3")
    book.save(tmp_path / "清单.xlsx")
    summary = load_measures_file(tmp_path / "清单.xlsx", actor="officer")
    assert summary.created == ("m001", "m002")
    for measure in Measure.objects.all():
        assert list(measure.domains.values_list("code", flat=True)) == ["food_drugs"]
        assert list(measure.implementing_departments.values_list("code", flat=True)) == ["czj"]


def test_a_row_without_legal_basis_refuses_the_whole_file(tmp_path):
    """R10: no measure without a legal basis; nothing is written, not even the good rows."""
    bad = [*PRIORITY[:4], "", *PRIORITY[5:]]
    path = write_csv(tmp_path / "bad.csv", [HEADER, BAR, bad])
    with pytest.raises(XinyongError) as refused:
        load_measures_file(path, actor="officer")
    assert refused.value.code == "measures-file-invalid"
    assert refused.value.details["errors"] == [
        "第 3 行：缺少政策依据（无法律依据的措施不得列入清单）"
    ]
    assert not Measure.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_placeholder_legal_basis_refuses_its_row_as_a_blank_one_does(tmp_path):
    """R10: 无, — or / names no legal basis; each such row is named and nothing is written."""
    placeholders = ["无", "—", "/", "（无）", "N/A", "暂无法律依据", "政策依据：无"]
    bad = [
        [str(n), *PRIORITY[1:4], basis, *PRIORITY[5:]] for n, basis in enumerate(placeholders, 2)
    ]
    with pytest.raises(XinyongError) as refused:
        load_measures_file(write_csv(tmp_path / "bad.csv", [HEADER, BAR, *bad]), actor="officer")
    assert refused.value.code == "measures-file-invalid"
    assert refused.value.details["errors"] == [
        f"第 {line} 行：政策依据“{basis}”未写明法律依据（无法律依据的措施不得列入清单）"
        for line, basis in enumerate(placeholders, 3)
    ]
    assert not Measure.objects.exists()
    assert not AuditEntry.objects.exists()


def test_unknown_domains_scenarios_and_list_kinds_name_their_rows(tmp_path):
    rows = [HEADER, [*BAR[:10], "不存在的领域", BAR[11]], [*PRIORITY[:9], "蓝名单", "全部", "科研"],
            [*BAR[:3], "股东", *BAR[4:7], "表扬", *BAR[8:]]]  # fmt: skip
    with pytest.raises(XinyongError) as refused:
        load_measures_file(write_csv(tmp_path / "bad.csv", rows), actor="officer")
    assert refused.value.details["errors"] == [
        "第 2 行：未知的领域“不存在的领域”",
        "第 3 行：未知的名单类别“蓝名单”；未知的业务场景“科研”",
        "第 4 行：类型无效“表扬”，应为激励或惩戒；未知的对象“股东”",
    ]
    assert not Measure.objects.exists()


def test_a_missing_column_is_named(tmp_path):
    header = [column for column in HEADER if column != "政策依据"]
    with pytest.raises(XinyongError, match="缺少列：政策依据"):
        load_measures_file(write_csv(tmp_path / "bad.csv", [header, BAR[:4] + BAR[5:]]),
                           actor="officer")  # fmt: skip


def test_loading_the_same_file_again_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "清单.csv", [HEADER, BAR, PRIORITY])
    load_measures_file(path, actor="officer")
    before = dict(Measure.objects.values_list("code", "updated_at"))
    again = load_measures_file(path, actor="officer")
    assert (again.created, again.updated, again.unchanged) == ((), (), ("m001", "m002"))
    assert dict(Measure.objects.values_list("code", "updated_at")) == before
    assert AuditEntry.objects.count() == 2  # each load is recorded, even one that changed nothing


def test_a_changed_row_updates_its_measure_and_replace_deactivates_the_rest(tmp_path):
    load_measures_file(write_csv(tmp_path / "v1.csv", [HEADER, BAR, PRIORITY]), actor="officer")
    changed = [*BAR[:8], "推荐性", *BAR[9:]]
    summary = load_measures_file(write_csv(tmp_path / "v2.csv", [HEADER, changed]),
                                 actor="officer", replace=True)  # fmt: skip
    assert (summary.updated, summary.deactivated) == (("m001",), ("m002",))
    assert Measure.objects.get(code="m001").mandatory is False
    assert Measure.objects.get(code="m002").is_active is False


def test_implementing_departments_by_name_or_code(tmp_path):
    finance = DepartmentFactory(implementing=True, code="czj", name="财政局")
    tax = DepartmentFactory(implementing=True, code="swj", name="税务局")
    rows = [[*HEADER, "实施部门"], [*BAR, "财政局、swj"]]
    load_measures_file(write_csv(tmp_path / "清单.csv", rows), actor="officer")
    departments = set(Measure.objects.get().implementing_departments.all())
    assert departments == {finance, tax}


def test_the_command_prints_a_summary_and_lists_every_bad_row(tmp_path):
    out = io.StringIO()
    call_command("measures", "load", str(write_csv(tmp_path / "ok.csv", [HEADER, BAR])), stdout=out)
    assert "新增 1 项，更新 0 项，未变 0 项" in out.getvalue()
    bad = write_csv(
        tmp_path / "bad.csv", [HEADER, [*BAR[:4], "", *BAR[5:]], [*BAR[:7], "", *BAR[8:]]]
    )
    with pytest.raises(CommandError) as refused:
        call_command("measures", "load", str(bad))
    message = str(refused.value)
    assert "共 2 处错误" in message
    assert "第 2 行：缺少政策依据" in message
    assert "第 3 行：缺少类型" in message


LOCAL = ["序号", "事项", "内容", "对象", "政策依据", "实施层级", "实施频次", "类型", "性质",
         "名单类别", "领域"]  # fmt: skip


def test_a_list_in_the_local_columns_reads_the_scenario_from_its_item(tmp_path):
    """事项 is the business scenario (DOMAIN.md §2) where no 业务场景 column names it; the
    measure is then named by its 内容, cut at its first sentence when that is too long."""
    long_content = "限制其参加政府采购活动。" + "依法从严审查" * 40
    rows = [
        LOCAL,
        ["1", "政府采购", "依法限制其参加政府采购活动", "单位",
         "《中华人民共和国政府采购法》第二十二条", "省、市、县", "每次", "惩戒", "强制性",
         "黑名单", "税务"],
        ["2", "财政资金", long_content, "单位", "国发〔2016〕33号", "市", "每次", "惩戒",
         "推荐性", "黑名单", "不限"],
    ]  # fmt: skip
    load_measures_file(write_csv(tmp_path / "清单.csv", rows), actor="officer")
    bar = Measure.objects.get(code="m001")
    assert bar.name == bar.content == "依法限制其参加政府采购活动"
    assert list(bar.scenarios.values_list("code", flat=True)) == ["government_procurement"]
    funds = Measure.objects.get(code="m002")
    assert (funds.name, funds.content) == ("限制其参加政府采购活动", long_content)
    assert list(funds.scenarios.values_list("code", flat=True)) == ["fiscal_funds"]


def test_an_item_that_names_no_scenario_is_refused_with_the_row(tmp_path):
    rows = [LOCAL, ["1", "不存在的场景", "限制", "单位", "某法", "", "", "惩戒", "强制性",
                    "黑名单", ""]]  # fmt: skip
    with pytest.raises(XinyongError) as refused:
        load_measures_file(write_csv(tmp_path / "清单.csv", rows), actor="officer")
    assert "第 2 行" in refused.value.message and "不存在的场景" in refused.value.message
    assert not Measure.objects.exists()


# -- a reward follows from the red list, a punishment from a dishonesty list (R10, 000 §四) -----


@pytest.mark.parametrize(
    ("kind", "lists", "wrong"),
    [("惩戒", "红名单", "惩戒措施不得依据红名单实施"),
     ("激励", "严重失信主体名单;重点关注名单",
      "激励措施不得依据严重失信主体名单、重点关注名单实施"),
     ("激励", "大数据警示名单、重点监测名单",
      "激励措施不得依据大数据警示名单、重点监测名单实施")],
)  # fmt: skip
def test_a_measure_of_the_wrong_type_for_its_lists_refuses_the_file(tmp_path, kind, lists, wrong):
    row = [*BAR[:7], kind, BAR[8], lists, *BAR[10:]]
    with pytest.raises(XinyongError) as refused:
        load_measures_file(write_csv(tmp_path / "bad.csv", [HEADER, PRIORITY, row]),
                           actor="officer")  # fmt: skip
    assert refused.value.details["errors"] == [f"第 3 行：{wrong}"]
    assert not Measure.objects.exists()


# -- a file without a column keeps what the measures have; unknown columns are said -----------


def test_a_reload_without_the_domain_column_keeps_each_measures_domains(tmp_path):
    """No domain means every domain: a file that has no 领域 column must not widen the
    measures it updates (R10), as one without 实施部门 keeps their departments."""
    finance = DepartmentFactory(implementing=True, code="czj", name="财政局")
    load_measures_file(write_csv(tmp_path / "v1.csv", [[*HEADER, "实施部门"], [*BAR, "财政局"]]),
                       actor="officer")  # fmt: skip
    without = [column for column in HEADER if column != "领域"]
    changed = [*BAR[:8], "推荐性", BAR[9], BAR[11]]
    summary = load_measures_file(write_csv(tmp_path / "v2.csv", [without, changed]),
                                 actor="officer")  # fmt: skip
    assert summary.updated == ("m001",)
    bar = Measure.objects.get()
    assert bar.mandatory is False
    assert sorted(bar.domains.values_list("code", flat=True)) == ["food_drugs", "tax"]
    assert list(bar.implementing_departments.all()) == [finance]


def test_a_new_measure_in_a_file_without_the_domain_column_follows_every_domain(tmp_path):
    without = [column for column in HEADER if column != "领域"]
    load_measures_file(write_csv(tmp_path / "v.csv", [without, [*BAR[:10], BAR[11]]]),
                       actor="officer")  # fmt: skip
    assert not Measure.objects.get().domains.exists()


@pytest.mark.parametrize(
    ("domains", "departments"),
    [("领域", "实施部门"), ("領域", "實施部門"), ("领　域", "实 施 部 门"),
     ("适用领域", "实施部门"), ("所属领域", "实施部门（名称或编码）"), ("*领域", "實施部門")],
)  # fmt: skip
def test_headers_are_read_whatever_their_spacing_width_or_script(tmp_path, domains, departments):
    DepartmentFactory(implementing=True, code="czj", name="财政局")
    header = [*HEADER[:10], domains, HEADER[11], departments]
    summary = load_measures_file(write_csv(tmp_path / "v.csv", [header, [*BAR, "财政局"]]),
                                 actor="officer")  # fmt: skip
    bar = Measure.objects.get()
    assert sorted(bar.domains.values_list("code", flat=True)) == ["food_drugs", "tax"]
    assert list(bar.implementing_departments.values_list("code", flat=True)) == ["czj"]
    assert summary.ignored_columns == ()


def test_a_column_not_recognised_is_named_in_the_result_and_the_audit(tmp_path):
    header = [*HEADER[:10], "领域范围", HEADER[11], "备注"]
    summary = load_measures_file(write_csv(tmp_path / "v.csv", [header, [*BAR, "无"]]),
                                 actor="officer")  # fmt: skip
    assert summary.ignored_columns == ("领域范围", "备注")
    assert "未识别的列已忽略：领域范围、备注" in summary.describe()
    assert AuditEntry.objects.get().after["ignored_columns"] == ["领域范围", "备注"]
    out = io.StringIO()
    call_command("measures", "load", str(tmp_path / "v.csv"), stdout=out)
    assert "未识别的列已忽略：领域范围、备注" in out.getvalue()


# -- what a cell names must be one thing, and something ---------------------------------------


def test_a_department_name_two_departments_share_is_refused_and_the_code_asked_for(tmp_path):
    DepartmentFactory(implementing=True, code="a-scjg", name="市场监督管理局")
    DepartmentFactory(implementing=True, code="b-scjg", name="市场监督管理局")
    rows = [[*HEADER, "实施部门"], [*BAR, "市场监督管理局"]]
    with pytest.raises(XinyongError) as refused:
        load_measures_file(write_csv(tmp_path / "v.csv", rows), actor="officer")
    assert refused.value.details["errors"] == [
        "第 2 行：实施部门“市场监督管理局”对应多个部门（a-scjg、b-scjg），请填写部门编码"
    ]
    assert not Measure.objects.exists()
    load_measures_file(write_csv(tmp_path / "v.csv", [[*HEADER, "实施部门"], [*BAR, "b-scjg"]]),
                       actor="officer")  # fmt: skip
    assert list(Measure.objects.get().implementing_departments.values_list("code", flat=True)) == [
        "b-scjg"
    ]


@pytest.mark.parametrize("sequence", ["-1", "inf", "nan", "1.5", "1e2", "+1", "一", "99999999999"])
def test_a_sequence_that_is_not_a_plain_number_refuses_its_row(tmp_path, sequence):
    with pytest.raises(XinyongError) as refused:
        load_measures_file(write_csv(tmp_path / "v.csv", [HEADER, [sequence, *BAR[1:]]]),
                           actor="officer")  # fmt: skip
    assert refused.value.details["errors"] == [
        f"第 2 行：序号无效“{sequence}”，应为不小于 0 的整数"
    ]
    assert not Measure.objects.exists()


@pytest.mark.parametrize(("sequence", "code"), [("1.0", "m001"), ("07", "m007"), ("0", "m000")])
def test_a_sequence_written_as_a_whole_number_is_its_code(tmp_path, sequence, code):
    summary = load_measures_file(write_csv(tmp_path / "v.csv", [HEADER, [sequence, *BAR[1:]]]),
                                 actor="officer")  # fmt: skip
    assert summary.created == (code,)
    assert Measure.objects.get().sequence == int(code[1:])


@pytest.mark.parametrize(
    ("column", "text", "error"),
    [("名单类别", "、", "名单类别“、”未列出任何名单类别"),
     ("名单类别", "；", "名单类别“；”未列出任何名单类别"),
     ("对象", "及", "对象“及”未列出任何对象"),
     ("业务场景", ";", "业务场景“;”未列出任何业务场景"),
     ("领域", "、", "领域“、”未列出任何领域")],
)  # fmt: skip
def test_a_cell_that_names_nothing_once_split_refuses_its_row(tmp_path, column, text, error):
    row = list(BAR)
    row[HEADER.index(column)] = text
    with pytest.raises(XinyongError) as refused:
        load_measures_file(write_csv(tmp_path / "v.csv", [HEADER, row]), actor="officer")
    assert refused.value.details["errors"] == [f"第 2 行：{error}"]
    assert not Measure.objects.exists()


def test_the_audit_row_keeps_what_a_load_changed_as_it_was(tmp_path):
    DepartmentFactory(implementing=True, code="czj", name="财政局")
    load_measures_file(write_csv(tmp_path / "v1.csv", [HEADER, BAR, PRIORITY]), actor="officer")
    changed = [*BAR[:2], "依法限制其参加政府采购活动三年", *BAR[3:8], "推荐性", BAR[9], "税务",
               BAR[11]]  # fmt: skip
    load_measures_file(write_csv(tmp_path / "v2.csv", [HEADER, changed]), actor="officer",
                       replace=True)  # fmt: skip
    audit = AuditEntry.objects.order_by("pk").last()
    assert audit.before == {"measures": {
        "m001": {"content": "依法限制其参加政府采购活动", "mandatory": True,
                 "domains": ["food_drugs", "tax"]},
        "m002": {"is_active": True},
    }}  # fmt: skip
    assert audit.after["changes"] == {
        "m001": {"content": "依法限制其参加政府采购活动三年", "mandatory": False,
                 "domains": ["tax"]},
        "m002": {"is_active": False},
    }  # fmt: skip
