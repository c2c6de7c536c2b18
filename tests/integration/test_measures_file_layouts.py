"""The measures list as credit offices keep it (R10): a title above the header, columns grouped
under a merged cell, a merged 领域 that a CSV export keeps in its first row only, and a list
reloaded without the measures it dropped."""

import io

import pytest
from django.core.management import call_command

from tests.factories import DepartmentFactory, DomainFactory, ScenarioFactory
from tests.integration.test_measures_loading import BAR, HEADER, PRIORITY, write_csv
from xinyong.audit.models import AuditEntry
from xinyong.core.errors import XinyongError
from xinyong.measures.loading import load_measures_file
from xinyong.measures.models import Measure

pytestmark = pytest.mark.django_db

TITLE = "某市失信联合惩戒措施清单"
TYPE, MANDATORY, KINDS, DOMAINS = (HEADER.index(c) for c in ("类型", "性质", "名单类别", "领域"))
# 优先办理 with a blank 领域, as the rows under a merged one come in a CSV export.
BLANK = [*PRIORITY[:DOMAINS], "", *PRIORITY[DOMAINS + 1 :]]


@pytest.fixture(autouse=True)
def reference():
    DomainFactory(code="food_drugs", name="食品药品")
    DomainFactory(code="tax", name="税务")
    ScenarioFactory(code="government_procurement", name="政府采购")
    ScenarioFactory(code="fiscal_funds", name="财政资金")
    ScenarioFactory(code="honours", name="评优评先")


def refusal(path):
    with pytest.raises(XinyongError) as refused:
        load_measures_file(path, actor="officer")
    assert not Measure.objects.exists()
    assert not AuditEntry.objects.exists()
    return refused.value


def grouped(first, last, group="措施属性"):
    """A header on two rows: ``group`` above the columns first..last (their names on the lower
    row), every other column named on the upper row, as a CSV export writes a merged cell."""
    upper = [*HEADER[:first], group, *[""] * (last - first), *HEADER[last + 1 :]]
    lower = ["" if not first <= i <= last else name for i, name in enumerate(HEADER)]
    return upper, lower


def created_bar():
    bar = Measure.objects.get(code="m001")
    assert (bar.type, bar.mandatory, bar.list_kinds) == (
        "punishment", True, ["black", "key_attention"],
    )  # fmt: skip
    assert sorted(bar.domains.values_list("code", flat=True)) == ["food_drugs", "tax"]
    return bar


# -- title rows above the header, and a header on two rows (issue 4 §1) ------------------------


def test_a_title_row_above_the_header_is_no_header(tmp_path):
    rows = [[TITLE], ["制表：发展改革委", "", "2026-03-01"], [], HEADER, BAR]
    summary = load_measures_file(write_csv(tmp_path / "清单.csv", rows), actor="officer")
    assert summary.created == ("m001",)
    created_bar()


def test_a_title_merged_across_the_sheet_is_no_header(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.merge_cells("A1:L1")
    sheet.append(HEADER)
    sheet.append(BAR)
    book.save(tmp_path / "清单.xlsx")
    assert load_measures_file(tmp_path / "清单.xlsx", actor="officer").created == ("m001",)
    created_bar()


@pytest.mark.parametrize(("first", "last"), [(TYPE, MANDATORY), (TYPE, KINDS)])
def test_columns_grouped_under_a_cell_above_them_are_named_by_the_row_below(tmp_path, first, last):
    upper, lower = grouped(first, last)
    funds = ["2", "限制申请财政性资金", *BAR[2:KINDS], "黑名单", *BAR[KINDS + 1 :]]
    rows = [[TITLE], upper, lower, BAR, funds]
    summary = load_measures_file(write_csv(tmp_path / "清单.csv", rows), actor="officer")
    assert summary.created == ("m001", "m002")
    assert summary.ignored_columns == ()
    created_bar()


def test_a_group_merged_in_a_workbook_over_columns_merged_down_two_rows(tmp_path):
    """The usual drawing: 措施属性 merged across 类型 and 性质, every other header merged down
    over both header rows, and a title merged across the sheet above them."""
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    upper, lower = grouped(TYPE, MANDATORY)
    for row in ([TITLE], upper, lower, BAR):
        sheet.append([cell or None for cell in row])
    sheet.merge_cells("A1:L1")
    for index in range(len(HEADER)):
        column = get_column_letter(index + 1)
        if index not in (TYPE, MANDATORY):
            sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells(f"{get_column_letter(TYPE + 1)}2:{get_column_letter(MANDATORY + 1)}2")
    book.save(tmp_path / "清单.xlsx")
    summary = load_measures_file(tmp_path / "清单.xlsx", actor="officer")
    assert (summary.created, summary.ignored_columns) == (("m001",), ())
    created_bar()


def test_rows_under_a_title_and_a_two_row_header_are_named_by_their_line_in_the_file(tmp_path):
    upper, lower = grouped(TYPE, MANDATORY)
    bad = [*BAR[:TYPE], "表扬", *BAR[TYPE + 1 :]]
    value = refusal(write_csv(tmp_path / "清单.csv", [[TITLE], upper, lower, bad]))
    assert value.details["errors"] == ["第 4 行：类型无效“表扬”，应为激励或惩戒"]


def test_a_header_under_a_title_still_names_the_columns_it_lacks_with_its_line(tmp_path):
    header = [column for column in HEADER if column != "政策依据"]
    value = refusal(write_csv(tmp_path / "清单.csv", [[TITLE], header, BAR[:4] + BAR[5:]]))
    assert (value.code, value.message) == (
        "measures-file-header", "第 2 行（表头）缺少列：政策依据",
    )  # fmt: skip


# -- a blank 领域 or 实施部门 where other rows name theirs (R10) -----------------------------------


def test_a_blank_domain_in_a_list_that_names_domains_elsewhere_refuses_the_file(tmp_path):
    """A merged 领域 saved as CSV keeps its value in its first row only: the rows below it would
    otherwise follow every domain, widening their measures without a word (R10)."""
    below = ["2", "限制申请财政性资金", *BAR[2:DOMAINS], "", "fiscal_funds"]
    value = refusal(write_csv(tmp_path / "清单.csv", [HEADER, BAR, below, ["3", *BLANK[1:]]]))
    assert value.code == "measures-file-invalid"
    message = (
        "“领域”为空：本文件其他行列明了领域，空白将使该措施适用于所有领域（合并单元格另存为 "
        "CSV 后仅首行有值时常见）；请填写领域，适用于所有领域的请写“全部”"
    )
    assert value.details["errors"] == [f"第 3 行：{message}", f"第 4 行：{message}"]
    assert value.details["blank_means_all"] == [
        {"line": 3, "column": "领域"}, {"line": 4, "column": "领域"},
    ]  # fmt: skip


def test_a_blank_domain_in_a_workbook_is_refused_as_in_a_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in (HEADER, BAR, BLANK):
        book.active.append([cell or None for cell in row])
    book.save(tmp_path / "清单.xlsx")
    value = refusal(tmp_path / "清单.xlsx")
    assert value.details["blank_means_all"] == [{"line": 3, "column": "领域"}]


def test_a_blank_domain_is_said_with_the_rows_other_errors(tmp_path):
    bad = [*BLANK[:TYPE], "表扬", *BLANK[TYPE + 1 :]]
    value = refusal(write_csv(tmp_path / "清单.csv", [HEADER, BAR, bad]))
    assert len(value.details["errors"]) == 1
    said = "第 3 行：类型无效“表扬”，应为激励或惩戒；“领域”为空"
    assert value.details["errors"][0].startswith(said)


@pytest.mark.parametrize("every", ["全部", "不限", "所有领域", "全部领域", " 不 限 "])
def test_every_domain_said_in_words_is_every_domain(tmp_path, every):
    rows = [HEADER, BAR, [*BLANK[:DOMAINS], every, *BLANK[DOMAINS + 1 :]]]
    summary = load_measures_file(write_csv(tmp_path / "清单.csv", rows), actor="officer")
    assert summary.created == ("m001", "m002")
    assert not Measure.objects.get(code="m002").domains.exists()
    created_bar()


def test_every_domain_beside_a_named_one_is_refused(tmp_path):
    rows = [HEADER, [*BAR[:DOMAINS], "全部、税务", *BAR[DOMAINS + 1 :]]]
    value = refusal(write_csv(tmp_path / "清单.csv", rows))
    assert value.details["errors"] == [
        "第 2 行：领域“全部、税务”既写了全部，又列出了具体领域：二者只能写其一"
    ]


def test_a_list_that_names_no_domain_anywhere_keeps_blank_as_every_domain(tmp_path):
    rows = [HEADER, [*BAR[:DOMAINS], "", *BAR[DOMAINS + 1 :]], BLANK]
    summary = load_measures_file(write_csv(tmp_path / "清单.csv", rows), actor="officer")
    assert summary.created == ("m001", "m002")
    assert not any(measure.domains.exists() for measure in Measure.objects.all())


def test_a_blank_department_where_others_are_named_is_refused_and_every_one_said_in_words(
    tmp_path,
):
    DepartmentFactory(implementing=True, code="czj", name="财政局")
    header = [*HEADER, "实施部门"]
    below = ["2", "限制申请财政性资金", *BAR[2:], ""]
    value = refusal(write_csv(tmp_path / "清单.csv", [header, [*BAR, "财政局"], below]))
    assert value.details["blank_means_all"] == [{"line": 3, "column": "实施部门"}]
    assert "第 3 行：“实施部门”为空：本文件其他行列明了实施部门" in value.message
    said = write_csv(tmp_path / "清单.csv", [header, [*BAR, "财政局"], [*below[:-1], "全部部门"]])
    assert load_measures_file(said, actor="officer").created == ("m001", "m002")
    assert not Measure.objects.get(code="m002").implementing_departments.exists()


# -- measures the file no longer lists (issue 4 §1) --------------------------------------------


def test_a_reload_without_replace_names_the_active_measures_the_file_left_out(tmp_path):
    load_measures_file(write_csv(tmp_path / "v1.csv", [HEADER, BAR, PRIORITY]), actor="officer")
    summary = load_measures_file(write_csv(tmp_path / "v2.csv", [HEADER, BAR]), actor="officer")
    assert (summary.unchanged, summary.deactivated) == (("m001",), ())
    assert summary.not_in_file == {"m002": "优先办理"}
    assert Measure.objects.get(code="m002").is_active
    assert "另有 1 项有效措施不在本文件中，仍然有效：m002 优先办理" in summary.describe()
    assert "--replace" in summary.describe()
    assert AuditEntry.objects.order_by("pk").last().after["not_in_file"] == {"m002": "优先办理"}
    out = io.StringIO()
    call_command("measures", "load", str(tmp_path / "v2.csv"), stdout=out)
    assert "m002 优先办理" in out.getvalue() and "--replace" in out.getvalue()


def test_a_reload_with_replace_ends_them_as_before_and_names_none_left_out(tmp_path):
    load_measures_file(write_csv(tmp_path / "v1.csv", [HEADER, BAR, PRIORITY]), actor="officer")
    summary = load_measures_file(write_csv(tmp_path / "v2.csv", [HEADER, BAR]), actor="officer",
                                 replace=True)  # fmt: skip
    assert (summary.deactivated, summary.not_in_file) == (("m002",), {})
    assert "不在本文件中" not in summary.describe()
    assert not Measure.objects.get(code="m002").is_active
