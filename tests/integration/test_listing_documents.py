"""What the decision, its announcement and the answers to the subject say (R1, R4–R6)."""

import datetime as dt

import pytest

from tests.factories import (
    DomainFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    MeasureFactory,
    OfficerFactory,
)
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import objection_letters, services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import ListEntry, ListKind

pytestmark = pytest.mark.django_db
D = dt.date
SIGNED = D(2026, 10, 27)


def signed(list_definition, measures=None) -> ListEntry:
    signer = OfficerFactory(department=list_definition.recognizing_department, signer=True).user
    entry = ListEntryFactory(list=list_definition, awaiting_signature=True)
    with clock.frozen(SIGNED):
        return services.sign_decision(entry.pk, actor=signer, measures=measures)


def decision_document(entry: ListEntry) -> str:
    return entry.events.get(action="sign").data["decision_document"]


def test_a_red_decision_states_the_exits_of_a_red_list():
    """Red: objection or report found it wrong, blacklisting, the subject's request, expiry;
    repair is no way out of a red list (R4, 000 §十)."""
    document = decision_document(signed(ListDefinitionFactory(kind=ListKind.RED)))
    for condition in (
        "有效期届满的，自动移出", "经异议核实认定有误的，予以更正并移出",
        "经举报核实不符合列入条件的，予以移出", "被列入严重失信主体名单的，即时移出",
        "当事人申请退出的，予以移出",
    ):  # fmt: skip
        assert condition in document
    assert "修复" not in document


@pytest.mark.parametrize(
    ("repairable", "repair"),
    [(True, "可以依法申请信用修复，信用修复后提前移出"), (False, "不适用信用修复")],
)
def test_a_black_decision_states_repair_as_its_list_allows(repairable, repair):
    """Black: correction, repair where the list allows it, expiry; never on request (R4, R8)."""
    black = ListDefinitionFactory(kind=ListKind.BLACK, repairable=repairable)
    document = decision_document(signed(black))
    assert repair in document
    assert "有效期届满的，自动移出" in document and "予以更正并移出" in document
    assert "申请退出" not in document and "举报" not in document


def test_an_entry_without_a_term_never_promises_an_exit_by_expiry():
    monitoring = ListDefinitionFactory(kind=ListKind.KEY_MONITORING, validity_value=None)
    document = decision_document(signed(monitoring))
    assert "至移出之日止" in document
    assert "有效期届满" not in document and "修复" not in document
    assert "移出条件和程序：经异议核实认定有误的，予以更正并移出。" in document


def announcement(entry: ListEntry) -> str:
    return entry.announcements.get(kind=Announcement.Kind.DECISION).body


def test_the_listing_announcement_publishes_measures_repair_and_exit():
    """What R5 (000 §七) publishes: the measures, credit repair and exit, as decided."""
    MeasureFactory(name="限制参与政府采购", list_kinds=["black"])
    entry = signed(ListDefinitionFactory(kind=ListKind.BLACK), measures=["限制参与政府采购", " "])
    body = announcement(entry)
    assert "相应措施：限制参与政府采购。" in body
    assert "可以依法申请信用修复，信用修复后提前移出" in body
    assert "有效期届满的，自动移出" in body and "移出后在原公告渠道发布移出公告" in body
    # The decision keeps its measures, for any text that must state them later.
    assert entry.events.get(action="sign").data["measures"] == ["限制参与政府采购"]
    assert "§" not in body


def test_a_decision_naming_no_measures_refers_to_the_measures_list():
    entry = signed(ListDefinitionFactory(kind=ListKind.RED))
    assert "相应措施：按照措施清单实施。" in announcement(entry)
    assert "相应措施：按照措施清单实施。" in decision_document(entry)
    assert entry.events.get(action="sign").data["measures"] == []


def test_a_decision_naming_no_measures_states_those_the_measures_list_has_for_the_list():
    """R1: the decision states the measures that follow; R10: only those of the measures list."""
    definition = ListDefinitionFactory(kind=ListKind.BLACK)
    MeasureFactory(name="限制参加政府采购活动", sequence=2, list_kinds=["black"])
    MeasureFactory(name="限制申请财政性资金项目", sequence=1, list_kinds=["black"]).domains.add(
        definition.domain
    )
    MeasureFactory(name="另一领域的措施", list_kinds=["black"]).domains.add(DomainFactory())
    MeasureFactory(name="停用的措施", list_kinds=["black"], is_active=False)
    MeasureFactory(name="红名单激励措施", list_kinds=["red"])
    entry = signed(definition)
    expected = "相应措施：限制申请财政性资金项目；限制参加政府采购活动。"
    assert expected in announcement(entry) and expected in decision_document(entry)
    assert entry.events.get(action="sign").data["measures"] == [
        "限制申请财政性资金项目", "限制参加政府采购活动",
    ]  # fmt: skip


def objection_decided(entry: ListEntry, verb, finding: str, *, action: str) -> str:
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(D(2026, 11, 2)):
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="事实有误")
        verb(entry.pk, actor=officer, finding=finding)
    return entry.events.get(action=action).data["objection_result"]


def test_an_unfounded_objection_is_answered_with_its_remedies():
    """The subject is told the result and its remedies (R6, 002 §二十七); its measures resume
    where the list suspended them."""
    entry = ListEntryFactory(list__kind=ListKind.BLACK, effective=True)
    answer = objection_decided(
        entry, services.uphold_after_verification, "证据不足", action="uphold"
    )
    assert answer.startswith(f"{entry.subject.name}：\n你（单位）对列入{entry.list.name}提出的异议")
    assert "核实结论：证据不足" in answer
    assert (
        f"异议不成立，维持列入{entry.list.name}的决定，核实期间暂停的相关措施恢复实施。" in answer
    )
    assert "行政复议" in answer and "行政诉讼" in answer
    assert "道歉" not in answer


def test_an_unfounded_objection_to_a_candidacy_lets_its_publicity_go_on():
    entry = ListEntryFactory(list__kind=ListKind.BLACK, in_publicity=True)
    answer = objection_decided(
        entry, services.uphold_after_verification, "证据不足", action="uphold"
    )
    assert f"对拟列入{entry.list.name}提出的异议" in answer and "公示继续进行" in answer
    assert "行政复议" in answer


def test_a_founded_objection_is_answered_with_an_apology_and_its_remedies():
    """A wrong listing: corrected, a written apology, reputation restored (000 §十一.3)."""
    entry = ListEntryFactory(list__kind=ListKind.BLACK, in_publicity=True)
    answer = objection_decided(entry, services.reject_listing, "异议成立", action="reject")
    assert f"处理结果：异议成立，不予列入{entry.list.name}。" in answer
    for part in ("书面致歉", "发布更正公告予以澄清", "恢复你（单位）的名誉"):
        assert part in answer
    assert "行政复议" in answer and "§" not in answer


def test_the_subjects_own_founded_objection_is_answered_in_one_letter():
    """The subject objected itself: its answer is the apology, there is no second letter."""
    entry = ListEntryFactory(list__kind=ListKind.BLACK, in_publicity=True)
    objection_decided(entry, services.reject_listing, "异议成立", action="reject")
    assert set(entry.events.get(action="reject").data) == {"objection_result"}


def test_a_meeting_that_decides_not_to_list_answers_no_objection():
    entry = ListEntryFactory(list__kind=ListKind.BLACK, awaiting_signature=True)
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(D(2026, 10, 27)):
        services.reject_listing(entry.pk, actor=officer, finding="经集体审议不予列入")
    assert "objection_result" not in entry.events.get(action="reject").data


def test_a_founded_objection_to_a_listed_subject_reads_as_a_correction():
    entry = ListEntryFactory(list__kind=ListKind.BLACK, effective=True)
    answer = objection_letters.objection_result(entry, "founded", "认定有误")
    assert f"原列入{entry.list.name}的认定予以更正，你（单位）移出该名单。" in answer
    assert "书面致歉" in answer and "行政复议" in answer


def test_a_decision_names_only_measures_the_list_has_for_it_and_a_refusal_changes_nothing():
    """R10: a measure not in the measures list, or not for this kind or domain, would be
    published and never applied by a check: the signature is refused, the entry unchanged."""
    MeasureFactory(name="限制参与政府采购", list_kinds=["black"])
    MeasureFactory(name="红名单激励", list_kinds=["red"])
    definition = ListDefinitionFactory(kind=ListKind.BLACK)
    for named in (["吊销营业执照并没收全部财产"], ["限制参与政府采购", "红名单激励"]):
        with pytest.raises(XinyongError) as refused:
            signed(definition, measures=named)
        assert (refused.value.code, refused.value.status) == ("measure-not-in-list", 422)
        assert named[-1] in refused.value.message
    assert not ListEntry.objects.filter(state="effective").exists()
    assert not Announcement.objects.exists()
