"""A measure on the measures list once (R10): a decision states its measures by name
(``EntryFact.states``), so two active measures of one name and type would both follow from an
entry stating it, and a check would return the measure twice. A reload under other 序号, a row
pasted twice, a 序号 given twice or a row wider than the header refuses the file; nothing of
it is written."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.admin_clients import save_measure_form
from tests.check_clients import DECIDED_ON, check, client_for, decided
from tests.factories import (
    DepartmentFactory,
    DomainFactory,
    ListDefinitionFactory,
    MeasureFactory,
    OfficerFactory,
    ScenarioFactory,
)
from tests.integration.test_measures_loading import BAR, HEADER, PRIORITY, write_csv
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings.models import ListKind
from xinyong.measures.loading import load_measures_file
from xinyong.measures.models import Measure, Scenario
from xinyong.subjects.models import Domain

pytestmark = pytest.mark.django_db

BASIS = "《中华人民共和国政府采购法》第二十二条"


@pytest.fixture(autouse=True)
def reference():
    DomainFactory(code="food_drugs", name="食品药品")
    DomainFactory(code="tax", name="税务")
    ScenarioFactory(code="government_procurement", name="政府采购")
    ScenarioFactory(code="fiscal_funds", name="财政资金")
    ScenarioFactory(code="honours", name="评优评先")


def numbered(row, sequence):
    return [str(sequence), *row[1:]]


def refused_with(path, **options) -> list[str]:
    with pytest.raises(XinyongError) as refused:
        load_measures_file(path, actor="officer", **options)
    assert refused.value.code == "measures-file-invalid"
    assert refused.value.status == 422
    return refused.value.details["errors"]


def active() -> list[tuple[str, str]]:
    return list(Measure.objects.filter(is_active=True).order_by("code").values_list("code", "name"))


# -- the same measure under two codes -------------------------------------------------------


def test_a_reload_under_other_sequence_numbers_is_refused_and_changes_nothing(tmp_path):
    """Without 编号 a measure's code is m + 序号: the same rows numbered 5 and 6 would be m005
    and m006 beside m001 and m002, still in force. The file is refused, naming each row and the
    measure it repeats; loaded with ``replace`` the old codes are withdrawn and it loads."""
    load_measures_file(write_csv(tmp_path / "v1.csv", [HEADER, BAR, PRIORITY]), actor="officer")
    audits = AuditEntry.objects.count()
    v2 = write_csv(tmp_path / "v2.csv", [HEADER, numbered(BAR, 5), numbered(PRIORITY, 6)])
    assert refused_with(v2) == [
        "第 2 行：措施“限制参加政府采购活动”（惩戒，编号 m005）与现有有效措施 m001 重复，"
        "m001 不在本文件中、仍然有效：同一措施不得以两个编号同时有效；如已重新编号，请加 "
        "--replace 载入本文件，或先在管理后台停用 m001",
        "第 3 行：措施“优先办理”（激励，编号 m006）与现有有效措施 m002 重复，"
        "m002 不在本文件中、仍然有效：同一措施不得以两个编号同时有效；如已重新编号，请加 "
        "--replace 载入本文件，或先在管理后台停用 m002",
    ]
    assert active() == [("m001", "限制参加政府采购活动"), ("m002", "优先办理")]
    assert AuditEntry.objects.count() == audits
    summary = load_measures_file(v2, actor="officer", replace=True)
    assert (summary.created, summary.deactivated) == (("m005", "m006"), ("m001", "m002"))
    assert active() == [("m005", "限制参加政府采购活动"), ("m006", "优先办理")]


def test_a_check_after_a_refused_reload_returns_the_measure_once(tmp_path):
    load_measures_file(write_csv(tmp_path / "v1.csv", [HEADER, BAR, PRIORITY]), actor="officer")
    tax = Domain.objects.get(code="tax")
    entry = decided(["限制参加政府采购活动"],
                    list=ListDefinitionFactory(kind=ListKind.BLACK, domain=tax))  # fmt: skip
    with pytest.raises(CommandError, match="m001 不在本文件中"):
        call_command("measures", "load", str(write_csv(tmp_path / "v2.csv", [
            HEADER, numbered(BAR, 5), numbered(PRIORITY, 6)])), stdout=io.StringIO())  # fmt: skip
    api = client_for(DepartmentFactory(implementing=True), ["government_procurement"])
    with clock.frozen(DECIDED_ON):
        body = check(api, subject=entry.subject.reveal_identifier(),
                     scenario="government_procurement").json()  # fmt: skip
    assert [(m["code"], m["name"]) for m in body["measures"]] == [("m001", "限制参加政府采购活动")]


def test_a_row_pasted_twice_under_another_sequence_number_is_refused(tmp_path):
    rows = [HEADER, BAR, PRIORITY, numbered(BAR, 7)]
    assert refused_with(write_csv(tmp_path / "twice.csv", rows)) == [
        "第 4 行：措施“限制参加政府采购活动”（惩戒，编号 m007）与第 2 行（编号 m001）重复："
        "同一措施不得以两个编号同时有效"
    ]
    assert not Measure.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_row_named_as_an_active_measure_the_admin_added_is_refused(tmp_path):
    # Where the row's measure applies too: in procurement, on the organisation.
    bar = MeasureFactory(code="bar", name="限制参加政府采购活动", legal_basis=BASIS,
                         targets=["organisation"])  # fmt: skip
    bar.scenarios.add(Scenario.objects.get(code="government_procurement"))
    errors = refused_with(write_csv(tmp_path / "v1.csv", [HEADER, BAR, PRIORITY]))
    assert len(errors) == 1
    assert errors[0].startswith(
        "第 2 行：措施“限制参加政府采购活动”（惩戒，编号 m001）与现有有效措施 bar 重复"
    )
    assert list(Measure.objects.values_list("code", flat=True)) == ["bar"]


def test_an_inactive_measure_or_one_of_the_other_type_may_share_the_name(tmp_path):
    """A withdrawn measure follows from nothing; a reward follows from the red list only and a
    punishment from the dishonesty lists only (000 §四), so they never follow from one entry."""
    MeasureFactory(code="old", name="限制参加政府采购活动", is_active=False)
    reward = [*PRIORITY[:1], "限制参加政府采购活动", *PRIORITY[2:]]
    summary = load_measures_file(write_csv(tmp_path / "v1.csv", [HEADER, BAR, reward]),
                                 actor="officer")  # fmt: skip
    assert summary.created == ("m001", "m002")


def test_names_swapped_between_two_codes_still_load(tmp_path):
    """The list as it stands after the load has each measure once: a swap is no duplicate."""
    load_measures_file(write_csv(tmp_path / "v1.csv", [HEADER, BAR, PRIORITY]), actor="officer")
    swapped = [HEADER, numbered(PRIORITY, 1), numbered(BAR, 2)]
    summary = load_measures_file(write_csv(tmp_path / "v2.csv", swapped), actor="officer")
    assert summary.updated == ("m001", "m002")
    assert active() == [("m001", "优先办理"), ("m002", "限制参加政府采购活动")]


# -- a 序号 given twice -----------------------------------------------------------------------


def test_a_sequence_number_given_twice_is_refused_even_with_codes(tmp_path):
    rows = [["编号", *HEADER], ["A1", *BAR], ["B1", *numbered(PRIORITY, 1)]]
    assert refused_with(write_csv(tmp_path / "codes.csv", rows)) == [
        "第 3 行：序号 1 与第 2 行重复"
    ]
    assert not Measure.objects.exists()


def test_a_sequence_number_given_twice_without_codes_says_so(tmp_path):
    rows = [HEADER, BAR, numbered(PRIORITY, 1)]
    assert refused_with(write_csv(tmp_path / "seq.csv", rows)) == ["第 3 行：序号 1 与第 2 行重复"]


# -- a row wider than its header ----------------------------------------------------------------


def test_an_unquoted_comma_in_the_last_column_is_refused(tmp_path):
    """…,政府采购,财政资金 under a header whose last column is 业务场景: read cell by cell, the
    measure would apply in procurement only and a fiscal-funds check would answer clear."""
    path = tmp_path / "comma.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join([*BAR[:11], "政府采购,财政资金"]) + "\n",
                    encoding="utf-8")  # fmt: skip
    assert refused_with(path) == [
        "第 2 行：表头只有 12 列，本行第 13 列还有内容“财政资金”：多出的单元格不属于任何列"
        "（CSV 中未加引号的逗号会把一个单元格分成两个），请核对本行"
    ]
    assert not Measure.objects.exists()


def test_an_unquoted_comma_in_a_middle_column_is_refused_as_such(tmp_path):
    row = [*BAR[:4], "《中华人民共和国政府采购法》第二十二条", "第七十七条", *BAR[5:]]
    errors = refused_with(write_csv(tmp_path / "middle.csv", [HEADER, PRIORITY, row]))
    assert errors == [
        "第 3 行：表头只有 12 列，本行第 13 列还有内容“政府采购;fiscal_funds”：多出的单元格"
        "不属于任何列（CSV 中未加引号的逗号会把一个单元格分成两个），请核对本行"
    ]


def test_blank_cells_past_the_header_are_nothing(tmp_path):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[*HEADER, ""], [*BAR, "", " "], PRIORITY])
    path = tmp_path / "trailing.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert load_measures_file(path, actor="officer").created == ("m001", "m002")


def test_a_workbook_row_with_a_value_past_the_headers_last_column_is_refused(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(BAR)
    sheet.append([*PRIORITY, None, "评优评先"])
    book.save(tmp_path / "清单.xlsx")
    assert refused_with(tmp_path / "清单.xlsx") == [
        "第 3 行：表头只有 12 列，本行第 14 列还有内容“评优评先”：多出的单元格不属于任何列"
        "（CSV 中未加引号的逗号会把一个单元格分成两个），请核对本行"
    ]
    assert not Measure.objects.exists()


# -- the admin -------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    officer = OfficerFactory(user__is_staff=True, user__is_superuser=True)
    client.force_login(officer.user)
    return client


def test_the_admin_refuses_a_second_active_measure_of_the_same_name(admin_client):
    bar = MeasureFactory(
        code="m001", name="限制参加政府采购活动", legal_basis=BASIS, targets=["organisation"]
    )
    procurement = Scenario.objects.get(code="government_procurement")
    bar.scenarios.add(procurement)
    form = {"code": "m005", "name": "限制参加政府采购活动", "content": "依法限制",
            "type": "punishment", "mandatory": "on", "legal_basis": BASIS,
            "list_kinds": ["black"], "targets": ["organisation"],
            "scenarios": [procurement.pk], "is_active": "on"}  # fmt: skip
    refused = admin_client.post("/admin/measures/measure/add/", form)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert [error.code for error in errors.as_data()["name"]] == ["duplicate-active-measure"]
    assert "m001" in errors["name"][0]
    assert list(Measure.objects.values_list("code", flat=True)) == ["m001"]
    # Added withdrawn, or once m001 is withdrawn, it is no second measure in force.
    assert (
        admin_client.post("/admin/measures/measure/add/", form | {"is_active": ""}).status_code
        == 302
    )
    save_measure_form(admin_client, bar, is_active=False)
    save_measure_form(admin_client, Measure.objects.get(code="m005"), is_active=True)
    refused = admin_client.post(reverse("admin:measures_measure_change", args=[bar.pk]),
                                {**form, "code": "m001"})  # fmt: skip
    assert "name" in refused.context["adminform"].form.errors
    assert active() == [("m005", "限制参加政府采购活动")]
