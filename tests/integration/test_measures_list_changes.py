"""The measures list changing under the checks: a measure is applied only as the list states it,
with its legal basis, and never added or aggravated (R10); feedback counts only what the check
returned (R11, 003 §七)."""

import csv
import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.test import Client

from tests.admin_clients import save_measure_form
from tests.check_clients import DECIDED_ON, check, decided, screened
from tests.factories import (
    DepartmentFactory,
    DomainFactory,
    ListEntryFactory,
    MeasureFactory,
    OfficerFactory,
)
from xinyong.access.roles import ADMIN_GROUP
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.demo.measures_list import MEASURES as DEMO_MEASURES
from xinyong.listings.models import ListKind
from xinyong.measures import selectors, services, typical_cases
from xinyong.measures import statistics as stats
from xinyong.measures.loading import load_measures_file
from xinyong.measures.models import (
    CheckFeedback,
    Measure,
    MeasureOutcome,
    is_placeholder_basis,
    list_kinds_against_type,
)
from xinyong.subjects.models import Department, Domain

pytestmark = pytest.mark.django_db

BASIS = "《中华人民共和国政府采购法》第二十二条"


@pytest.fixture
def admin_client(client):
    officer = OfficerFactory(user__is_staff=True, user__is_superuser=True)
    client.force_login(officer.user)
    return client


# -- a placeholder is no legal basis --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [("无", True), ("（无）", True), ("无。", True), ("—", True), ("——", True), ("/", True),
     ("-", True), (" ", True), ("N/A", True), ("暂无", True), ("同上", True), ("null", True),
     ("暂无法律依据", True), ("政策依据：无", True), ("法律依据：暂无", True), ("无明确依据", True),
     ("无法律法规依据", True), ("尚无相关规定", True), ("依据：", True), ("政策依据：N/A", True),
     (BASIS, False), ("国发〔2016〕33号", False), ("无障碍环境建设法第三十条", False),
     ("《无障碍环境建设法》", False), ("无锡市公共信用信息管理办法第十条", False),
     ("依据《中华人民共和国税收征收管理法》", False), ("无", True)],
)  # fmt: skip
def test_what_names_no_legal_basis(text, placeholder):
    assert is_placeholder_basis(text) is placeholder


def test_a_measure_stored_with_a_placeholder_basis_is_never_applied(api, procurement):
    """Rows stored before placeholders were refused: the index ignores them, so a check does
    not return ``{"legal_basis": "无", "mandatory": true}`` nor punish on it (R10)."""
    placeholder = MeasureFactory(code="m001", legal_basis="无", targets=["organisation"])
    placeholder.scenarios.add(procurement)
    MeasureFactory(code="m002", legal_basis="—", name="限制申请财政性资金项目",
                   targets=["organisation"]).scenarios.add(procurement)  # fmt: skip
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    body = check(api, subject=entry.subject.reveal_identifier(),
                 scenario="government_procurement").json()  # fmt: skip
    assert (body["result"], body["measures"]) == ("clear", [])
    assert selectors.measures_following(ListKind.BLACK, entry.list.domain_id) == []


def test_the_admin_refuses_a_placeholder_basis(admin_client, procurement):
    page = admin_client.get("/admin/measures/measure/add/").content.decode()
    two_boxes = re.findall(r'<select name="(\w+)"[^>]* class="selectfilter"', page)
    assert two_boxes == ["domains", "scenarios", "implementing_departments"]
    form = {"code": "m001", "name": "限制参加政府采购活动", "content": "依法限制",
            "type": "punishment", "mandatory": "on", "legal_basis": "无",
            "list_kinds": ["black"], "targets": ["organisation"],
            "scenarios": [procurement.pk], "is_active": "on"}  # fmt: skip
    refused = admin_client.post("/admin/measures/measure/add/", form)
    assert refused.status_code == 200
    assert "legal_basis" in refused.context["adminform"].form.errors
    assert not Measure.objects.exists()
    domain, department = DomainFactory(), DepartmentFactory(implementing=True)
    form |= {"legal_basis": BASIS, "domains": [domain.pk], "implementing_departments":
             [department.pk]}  # fmt: skip
    assert admin_client.post("/admin/measures/measure/add/", form).status_code == 302
    measure = Measure.objects.get()
    assert (list(measure.domains.all()), list(measure.implementing_departments.all())) == (
        [domain], [department],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "lists"), [("punishment", ["red"]), ("reward", ["black"]),
                        ("reward", ["red", "key_attention"])],
)  # fmt: skip
def test_the_admin_refuses_a_measure_of_the_wrong_type_for_its_lists(
    admin_client, procurement, kind, lists
):
    """A punishment follows from the dishonesty lists, a reward from the red list (R10, 000 §四)."""
    form = {"code": "m001", "name": "限制参加政府采购活动", "content": "依法限制",
            "type": kind, "legal_basis": BASIS, "list_kinds": lists, "targets": ["organisation"],
            "scenarios": [procurement.pk], "is_active": "on"}  # fmt: skip
    refused = admin_client.post("/admin/measures/measure/add/", form)
    assert refused.status_code == 200
    assert "list_kinds" in refused.context["adminform"].form.errors
    assert not Measure.objects.exists()
    right = {"list_kinds": ["red"] if kind == "reward" else ["black"]}
    assert admin_client.post("/admin/measures/measure/add/", form | right).status_code == 302


def test_the_demo_measures_follow_only_from_lists_of_their_type():
    assert [m.code for m in DEMO_MEASURES if list_kinds_against_type(m.type, m.list_kinds)] == []


# -- feedback after the list is renumbered ---------------------------------------------------

HEADER = ["序号", "事项", "内容", "对象", "政策依据", "类型", "性质", "名单类别", "业务场景"]
PROCUREMENT = ["限制参加政府采购活动", "依法限制其参加政府采购活动", "单位", BASIS, "惩戒",
               "强制性", "严重失信主体名单", "政府采购"]  # fmt: skip
FUNDS = ["限制申请财政性资金项目", "依法限制其申请财政性资金项目", "单位", "国发〔2016〕33号",
         "惩戒", "强制性", "严重失信主体名单", "政府采购"]  # fmt: skip


def load(tmp_path, name, *rows, replace=False):
    """A list without 编号: each measure is coded m + its 序号."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *([str(n), *row] for n, row in enumerate(rows, 1))])
    (tmp_path / name).write_text(buffer.getvalue(), encoding="utf-8")
    return load_measures_file(tmp_path / name, actor="officer", replace=replace)


def feedback(api, made, *measures, reference="ZFCG-2026-001"):
    return api.post(
        f"/api/v1/checks/{made['check_id']}/feedback",
        {"business_reference": reference, "outcome": "取消投标资格",
         "measures": [{"measure": code, "applied": True} for code in measures]},
        content_type="application/json",
    )  # fmt: skip


@pytest.fixture
def renumbered(tmp_path, api, procurement):
    """v1 has 限制参加政府采购活动 as 序号 1 (m001), and a check returns it; v2 inserts
    限制申请财政性资金项目 above it, so that m001 is now that measure and the old one m002."""
    load(tmp_path, "v1.csv", PROCUREMENT)
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    made = check(api, subject=entry.subject.reveal_identifier(),
                 scenario="government_procurement").json()  # fmt: skip
    assert [(m["code"], m["name"]) for m in made["measures"]] == [("m001", "限制参加政府采购活动")]
    load(tmp_path, "v2.csv", FUNDS, PROCUREMENT)
    assert Measure.objects.get(code="m001").name == "限制申请财政性资金项目"
    return entry, made


def test_a_code_that_names_another_measure_since_the_check_is_refused(api, renumbered):
    """The department reports m001 as the check named it; m001 is now another measure with
    another basis, which the check never returned: refused, nothing counted (R10, R11)."""
    _, made = renumbered
    answer = feedback(api, made, "m001")
    assert (answer.status_code, answer.json()["code"]) == (422, "measures-list-changed")
    assert answer.json()["measures"] == [
        {"measure": "m001", "answered": "限制参加政府采购活动", "now": "限制申请财政性资金项目"}
    ]
    assert "措施清单在该次核查后已变更" in answer.json()["message"]
    assert not CheckFeedback.objects.exists()
    assert not MeasureOutcome.objects.exists()


def test_a_binding_measure_renumbered_cannot_be_left_out_either(api, renumbered):
    _, made = renumbered
    answer = feedback(api, made)
    assert (answer.status_code, answer.json()["code"]) == (422, "measures-list-changed")
    assert not CheckFeedback.objects.exists()


def test_checked_again_the_business_is_reported_against_the_measure_returned(api, renumbered):
    entry, _ = renumbered
    again = check(api, subject=entry.subject.reveal_identifier(),
                  scenario="government_procurement").json()  # fmt: skip
    assert [(m["code"], m["name"]) for m in again["measures"]] == [
        ("m001", "限制申请财政性资金项目"), ("m002", "限制参加政府采购活动"),
    ]  # fmt: skip
    answer = feedback(api, again, "m001", "m002")
    assert answer.status_code == 201, answer.json()
    counted = MeasureOutcome.objects.values_list("measure__name", flat=True)
    assert sorted(counted) == ["限制参加政府采购活动", "限制申请财政性资金项目"]


# -- a measure renamed stays stated by the decisions that stated it -----------------------------

RENAMED = ["限制参加政府采购活动（含招标投标）", *PROCUREMENT[1:]]
YEAR = stats.Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def answered(api, entry):
    with clock.frozen(DECIDED_ON):
        return check(api, subject=entry.subject.reveal_identifier(),
                     scenario="government_procurement").json()  # fmt: skip


def measures_of(body):
    return [(m["code"], m["name"]) for m in body["measures"]]


def test_a_measure_renamed_by_a_load_goes_on_following_from_its_decisions(tmp_path, api, finance):
    """v2 corrects the name of m001, whose old name no longer names any measure: the decision
    stated that measure, so checks and screening go on applying it, under its new name, and
    add nothing (R1, R10). The report made before counts as before; one made on the answer
    given before the rename is refused as the list changed, and one made on a new answer is
    taken and counted (R11, 003 §七). The load's audit row says how many entries it restated."""
    load(tmp_path, "v1.csv", PROCUREMENT, FUNDS)
    entry = decided([PROCUREMENT[0]])
    before = answered(api, entry)
    with clock.frozen(DECIDED_ON):
        assert feedback(api, before, "m001", reference="ZFCG-1").status_code == 201
    summary = load(tmp_path, "v2.csv", RENAMED, FUNDS)
    assert (summary.renamed, summary.restated_entries) == ({PROCUREMENT[0]: [RENAMED[0]]}, 1)
    assert "1 条名单记录的认定决定所列措施随之更名" in summary.describe()
    audited = AuditEntry.objects.filter(action="measures.load").latest("seq").after
    assert (audited["renamed"], audited["restated_entries"]) == (summary.renamed, 1)
    entry.refresh_from_db()
    assert entry.stated_measures == [RENAMED[0]]

    after = answered(api, entry)
    assert (measures_of(after), after["result"]) == ([("m001", RENAMED[0])], "punish")
    with clock.frozen(DECIDED_ON):
        [row] = screened(tmp_path, [entry.subject], finance)
        assert (row["measures"], row["result"]) == ("m001", "punish")
        assert stats.case_share(None, YEAR)["cases"] == 1
        stale = feedback(api, before, "m001", reference="ZFCG-2")
        assert (stale.status_code, stale.json()["code"]) == (422, "measures-list-changed")
        assert feedback(api, after, "m001", reference="ZFCG-3").status_code == 201
        assert stats.case_share(None, YEAR)["cases"] == 2


def test_a_measure_shifted_to_another_code_by_a_load_is_still_the_one_stated(
    tmp_path, api, finance
):
    """v2 inserts 限制申请财政性资金项目 above the measure the decision stated: m001 is now that
    one, and the measure stated is m002. Its name still names a measure, so the decision goes
    on stating it, and m001 is not added (R1, R10); the report made before still counts."""
    load(tmp_path, "v1.csv", PROCUREMENT)
    entry = decided([PROCUREMENT[0]])
    with clock.frozen(DECIDED_ON):
        assert feedback(api, answered(api, entry), "m001", reference="ZFCG-1").status_code == 201
    summary = load(tmp_path, "v2.csv", FUNDS, PROCUREMENT)
    assert (summary.renamed, summary.restated_entries) == ({}, 0)
    entry.refresh_from_db()
    assert entry.stated_measures == [PROCUREMENT[0]]
    after = answered(api, entry)
    assert (measures_of(after), after["result"]) == ([("m002", PROCUREMENT[0])], "punish")
    with clock.frozen(DECIDED_ON):
        [row] = screened(tmp_path, [entry.subject], finance)
        assert (row["measures"], row["result"]) == ("m002", "punish")
        assert stats.case_share(None, YEAR)["cases"] == 1
        assert feedback(api, after, "m002", reference="ZFCG-2").status_code == 201
        assert stats.case_share(None, YEAR)["cases"] == 2


def test_a_measure_withdrawn_by_a_load_is_not_replaced_by_the_one_taking_its_code(
    tmp_path, api, finance
):
    """``--replace`` with only 限制申请财政性资金项目: it takes m001, and the measure the decision
    stated is deactivated as m002. The decision's measure no longer applies, and m001, which it
    never stated, is not applied in its place (R10: none added)."""
    load(tmp_path, "v1.csv", PROCUREMENT, FUNDS)
    entry = decided([PROCUREMENT[0]])
    summary = load(tmp_path, "v2.csv", FUNDS, replace=True)
    assert (summary.deactivated, summary.renamed) == (("m002",), {})
    entry.refresh_from_db()
    assert entry.stated_measures == [PROCUREMENT[0]]
    after = answered(api, entry)
    assert (after["measures"], after["result"]) == ([], "clear")
    with clock.frozen(DECIDED_ON):
        [row] = screened(tmp_path, [entry.subject], finance)
    assert (row["measures"], row["result"]) == ("", "clear")


def test_a_measure_renamed_in_the_admin_goes_on_following_from_its_decisions(
    admin_client, api, measures, funds, finance, tmp_path
):
    """The credit office corrects a measure's name in the admin: the decisions that stated it
    state it under its new name, in the same save, whose audit row says how many (R1, R10)."""
    entry = decided(["限制参加政府采购"])
    other = decided(["限制申请财政性资金项目"])
    with clock.frozen(DECIDED_ON):
        assert feedback(api, answered(api, entry), "bar-procurement",
                        reference="ZFCG-1").status_code == 201  # fmt: skip
    save_measure_form(admin_client, measures["bar"], name="限制参加政府采购活动")
    audited = AuditEntry.objects.filter(action="admin.change").latest("seq")
    assert audited.after["restated"] == {
        "renamed": {"限制参加政府采购": ["限制参加政府采购活动"]}, "entries": 1,
    }  # fmt: skip
    entry.refresh_from_db()
    other.refresh_from_db()
    assert (entry.stated_measures, other.stated_measures) == (
        ["限制参加政府采购活动"], ["限制申请财政性资金项目"],
    )  # fmt: skip
    after = answered(api, entry)
    assert measures_of(after) == [("bar-procurement", "限制参加政府采购活动")]
    with clock.frozen(DECIDED_ON):
        [row] = screened(tmp_path, [entry.subject], finance)
        assert (row["measures"], row["result"]) == ("bar-procurement", "punish")
        assert stats.case_share(None, YEAR)["cases"] == 1
        assert feedback(api, after, "bar-procurement", reference="ZFCG-2").status_code == 201
        assert stats.case_share(None, YEAR)["cases"] == 2


def test_a_name_moved_to_another_measure_in_the_admin_stays_with_that_measure(
    admin_client, api, measures, funds, finance, tmp_path
):
    """The admin gives bar-funds the name the decision stated, then renames bar-procurement:
    the stated name still names a measure, bar-funds, which the decision's name now names; the
    renamed bar-procurement is not added (R1, R10). Two active measures of one name and type
    would both follow: bar-procurement is withdrawn first. Deactivated, a measure stated stops
    following, and nothing takes its place; reactivated, it follows again."""
    entry = decided(["限制参加政府采购"])
    with pytest.raises(AssertionError, match="同名同类型的措施 bar-procurement 仍然有效"):
        save_measure_form(admin_client, funds, name="限制参加政府采购")
    save_measure_form(admin_client, measures["bar"], is_active=False)
    save_measure_form(admin_client, funds, name="限制参加政府采购")
    save_measure_form(admin_client, measures["bar"], name="限制参加政府采购活动")
    assert "restated" not in AuditEntry.objects.filter(action="admin.change").latest("seq").after
    entry.refresh_from_db()
    assert entry.stated_measures == ["限制参加政府采购"]
    assert measures_of(answered(api, entry)) == [("bar-funds", "限制参加政府采购")]
    with clock.frozen(DECIDED_ON):
        [row] = screened(tmp_path, [entry.subject], finance)
    assert (row["measures"], row["result"]) == ("bar-funds", "punish")
    save_measure_form(admin_client, funds, is_active=False)
    entry.refresh_from_db()
    assert entry.stated_measures == ["限制参加政府采购"]
    assert (answered(api, entry)["measures"], answered(api, entry)["result"]) == ([], "clear")
    save_measure_form(admin_client, funds, is_active=True)
    assert measures_of(answered(api, entry)) == [("bar-funds", "限制参加政府采购")]


# -- a deleted domain or department would widen a measure -------------------------------------


def test_a_domain_a_measure_is_limited_to_cannot_be_deleted(procurement):
    """No domain means every domain: deleting the only one would widen the measure (R10)."""
    tax = DomainFactory(name="税务")
    measure = MeasureFactory(targets=["organisation"])
    measure.domains.add(tax)
    with pytest.raises(ProtectedError):
        tax.delete()
    assert list(measure.domains.all()) == [tax]
    measure.delete()  # the measure's own links go with it
    tax.delete()
    assert not Domain.objects.filter(pk=tax.pk).exists()


def test_an_implementing_department_a_measure_is_limited_to_cannot_be_deleted():
    finance = DepartmentFactory(implementing=True, name="财政局")
    measure = MeasureFactory()
    measure.implementing_departments.add(finance)
    with pytest.raises(ProtectedError):
        finance.delete()
    with pytest.raises(ProtectedError):
        Department.objects.filter(pk=finance.pk).delete()
    assert list(measure.implementing_departments.all()) == [finance]


@pytest.mark.parametrize(
    ("path", "factory", "links"),
    [("subjects/domain", DomainFactory, "domains"),
     ("subjects/department", lambda: DepartmentFactory(implementing=True),
      "implementing_departments")],
)  # fmt: skip
def test_the_admin_names_the_measures_that_keep_it_from_being_deleted(
    admin_client, path, factory, links
):
    limit = factory()
    measure = MeasureFactory(code="m001", name="限制参加政府采购活动")
    getattr(measure, links).add(limit)
    url = f"/admin/{path}/{limit.pk}/delete/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert page.context["protected"] and "m001 限制参加政府采购活动" in page.content.decode()
    refused = admin_client.post(url, {"post": "yes"})
    assert refused.status_code == 200  # the same page again, nothing deleted
    assert type(limit).objects.filter(pk=limit.pk).exists()
    assert list(getattr(measure, links).all()) == [limit]


def test_the_index_follows_a_link_removed_without_saving_the_measure(procurement):
    """A link removed saves no measure; the index must see it all the same, or a measure
    narrowed, or widened, would be applied as it was (R10)."""
    tax, food = DomainFactory(), DomainFactory()
    finance = DepartmentFactory(implementing=True)
    measure = MeasureFactory(targets=["organisation"])
    measure.scenarios.add(procurement)
    measure.domains.add(tax, food)
    measure.implementing_departments.add(finance)

    def rule():
        (found,) = selectors.measure_index().by_scenario[procurement.pk]
        return found.domain_ids, found.department_ids

    assert rule() == (frozenset({tax.pk, food.pk}), frozenset({finance.pk}))
    measure.domains.remove(food)
    assert rule() == (frozenset({tax.pk}), frozenset({finance.pk}))
    measure.implementing_departments.clear()
    assert rule() == (frozenset({tax.pk}), frozenset())
    measure.domains.remove(tax)
    measure.domains.add(food)  # a link replaced: same count, a new id
    assert rule() == (frozenset({food.pk}), frozenset())
    measure.scenarios.remove(procurement)
    assert procurement.pk not in selectors.measure_index().by_scenario


# -- a report keeps the measure as the check answered it -------------------------------------

REWARD = ["优先安排财政资金", "同等条件下优先安排", "单位", "国发〔2016〕33号", "激励", "推荐性",
          "红名单", "政府采购"]  # fmt: skip


def test_a_reload_that_renumbers_leaves_past_reports_as_the_check_answered(tmp_path, api):
    """v2 inserts a reward above the punishment a black-listed company was reported barred by:
    m001 is now the reward. The report, the statistics, the share and the published case go on
    saying that the company was barred, by the punishment and on the basis the check named
    (R10, R11, 003 §七)."""
    admin = OfficerFactory(department=DepartmentFactory(credit_office=True)).user
    admin.groups.add(Group.objects.get_or_create(name=ADMIN_GROUP)[0])
    load(tmp_path, "v1.csv", PROCUREMENT)
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    with clock.frozen(dt.date(2026, 11, 2)):
        made = check(api, subject=entry.subject.reveal_identifier(),
                     scenario="government_procurement").json()  # fmt: skip
        assert feedback(api, made, "m001").status_code == 201
    case = services.draft_typical_case(actor=admin, feedback_id=CheckFeedback.objects.get().pk,
                                       title="限制投标", summary="依法限制")  # fmt: skip
    with clock.frozen(dt.date(2026, 11, 20)):
        services.act_on_typical_case(actor=admin, case_id=case.pk, action="publish")
    load(tmp_path, "v2.csv", REWARD, PROCUREMENT)
    assert Measure.objects.get(code="m001").name == "优先安排财政资金"

    outcome = MeasureOutcome.objects.get()
    assert (outcome.measure_code, outcome.measure_name, outcome.measure_type,
            outcome.measure_legal_basis) == (
        "m001", "限制参加政府采购活动", "punishment", BASIS,
    )  # fmt: skip
    period = stats.Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    [group] = stats.by_group(None, period, "measure")
    assert (group["code"], group["name"], group["type"], group["cases"]) == (
        "m001", "限制参加政府采购活动", "punishment", 1,
    )  # fmt: skip
    share = stats.case_share(None, period)
    assert (share["reward_cases"], share["punishment_cases"]) == (0, 1)
    facts = typical_cases.facts_of(CheckFeedback.objects.get())
    barred = {"name": "限制参加政府采购活动", "type": "punishment", "legal_basis": BASIS}
    as_answered = [{key: m[key] for key in barred} for m in facts.applied]  # and its period
    assert (as_answered, facts.type) == ([barred], "punishment")
    with clock.frozen(dt.date(2026, 11, 21)):
        page = Client().get("/cases/").content.decode()
    assert "限制参加政府采购活动" in page
    assert "优先安排财政资金" not in page and "国发〔2016〕33号" not in page


def test_a_report_keeps_the_answer_even_when_the_measure_was_edited_in_place(api, procurement):
    """An officer corrects a measure's type and basis in the admin after the check: the report
    keeps what the check answered, which is what the department applied."""
    measure = MeasureFactory(code="m001", targets=["organisation"])
    measure.scenarios.add(procurement)
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    made = check(api, subject=entry.subject.reveal_identifier(),
                 scenario="government_procurement").json()  # fmt: skip
    Measure.objects.filter(pk=measure.pk).update(legal_basis="《政府采购法实施条例》第十九条")
    assert feedback(api, made, "m001").status_code == 201
    assert MeasureOutcome.objects.get().measure_legal_basis == BASIS


# -- a measure withdrawn since the check -------------------------------------------------------


@pytest.fixture
def withdrawn(api, procurement):
    """A check returns the binding m001; then m001 is deactivated (``--replace``, the admin)."""
    measure = MeasureFactory(code="m001", targets=["organisation"])
    measure.scenarios.add(procurement)
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    made = check(api, subject=entry.subject.reveal_identifier(),
                 scenario="government_procurement").json()  # fmt: skip
    assert [(m["code"], m["mandatory"]) for m in made["measures"]] == [("m001", True)]
    measure.is_active = False
    measure.save()
    return made


def test_a_binding_measure_deactivated_since_the_check_need_not_be_reported(api, withdrawn):
    answer = feedback(api, withdrawn)
    assert answer.status_code == 201, answer.json()
    assert not MeasureOutcome.objects.exists()


def test_a_measure_deactivated_since_the_check_cannot_be_reported_applied(api, withdrawn):
    """Withdrawn from the list, it is no longer one a department may apply (R10)."""
    answer = feedback(api, withdrawn, "m001")
    assert (answer.status_code, answer.json()["code"]) == (422, "measure-withdrawn")
    assert answer.json()["measures"] == ["m001"]
    assert "已从措施清单中删除或停用" in answer.json()["message"]
    assert not CheckFeedback.objects.exists()
    assert not MeasureOutcome.objects.exists()


def test_a_change_rolled_back_is_never_taken_for_a_later_one(procurement):
    """The index is keyed by the list's version, never given twice: a change rolled back after
    the index was read under it leaves its number unused, so the next change, a different one,
    is never answered with the index of the one that did not happen (R10). (SQLite's counts of
    the measures and links, before, gave the same figures again.)"""
    tax, food = DomainFactory(), DomainFactory()
    measure = MeasureFactory(targets=["organisation"])
    measure.scenarios.add(procurement)

    def domains():
        (found,) = selectors.measure_index().by_scenario[procurement.pk]
        return found.domain_ids

    assert domains() == frozenset()
    with pytest.raises(RuntimeError), transaction.atomic():
        measure.domains.add(tax)
        assert domains() == frozenset({tax.pk})
        raise RuntimeError("rolled back")
    measure.domains.add(food)
    assert domains() == frozenset({food.pk})
    measure.domains.clear()
    assert domains() == frozenset()


def test_every_change_of_the_list_gives_it_a_new_version(procurement):
    """Whatever changes the measures or their links, through the ORM or in bulk, the index is
    read again: links added (INSERT OR IGNORE on SQLite), removed, cleared and set, a measure
    saved, updated in bulk and deleted (R10)."""
    tax, food = DomainFactory(), DomainFactory()
    measure, other = MeasureFactory(), MeasureFactory()
    versions = [selectors._fingerprint()]

    def changed() -> bool:
        versions.append(selectors._fingerprint())
        return versions[-1] != versions[-2]

    measure.domains.add(tax)
    assert changed()
    measure.domains.add(food)
    assert changed()
    measure.domains.remove(food)
    assert changed()
    measure.scenarios.set([procurement])
    assert changed()
    measure.implementing_departments.add(DepartmentFactory(implementing=True))
    assert changed()
    measure.implementing_departments.clear()
    assert changed()
    measure.name = "改名"
    measure.save()
    assert changed()
    Measure.objects.filter(pk=other.pk).update(is_active=False)
    assert changed()
    other.delete()
    assert changed()
    assert len(set(versions)) == len(versions)  # each change a number of its own


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="SQLite drops a table's triggers with the table"
)
def test_a_measures_table_rebuilt_by_a_migration_gets_its_version_triggers_back():
    """Django rebuilds a SQLite table for most changes of its columns, and the rebuilt table has
    no triggers: after the migration, the version's triggers are made again and the version
    renewed, or the list would change unseen by every process that cached its index (R10)."""
    from django.core.management.sql import emit_post_migrate_signal

    from xinyong.measures import list_version

    assert not list_version.sqlite_triggers_missing(connection)
    MeasureFactory()
    field = Measure._meta.get_field("name")
    wider = type(field)(max_length=field.max_length + 1)
    wider.set_attributes_from_name("name")
    try:
        with connection.schema_editor() as editor:
            editor.alter_field(Measure, field, wider)
        assert "measures_measure_list_changed_update" in list_version.sqlite_triggers_missing(
            connection
        )
        before = selectors._fingerprint()
        Measure.objects.update(is_active=False)  # as a data migration of the same run might
        assert selectors._fingerprint() == before  # unseen while the triggers are gone
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        assert not list_version.sqlite_triggers_missing(connection)
        assert selectors._fingerprint() != before  # the list changed meanwhile: read again
        before = selectors._fingerprint()
        MeasureFactory()
        assert selectors._fingerprint() != before
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(Measure, wider, field)
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
