"""A key-attention listing found wrong counts toward no big-data warning (R3, R6, 003 §四,
000 §十一.3): a warning that rested on it ends as corrected on the day it was found wrong, in
the finding's own step, with its history, audit row and change as any exit, so that a check
that day no longer applies it (R4, R10); one that had already ended is corrected after its
exit, never put back in force; a late run records none from it, and the daily job finds
nothing left to do after a finding."""

import datetime as dt
import html

import pytest
from django.test import Client

from tests.check_clients import check, client_for
from tests.factories import (
    CreditRecordFactory,
    DepartmentFactory,
    DomainFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    MeasureFactory,
    OfficerFactory,
    ScenarioFactory,
    SubjectFactory,
    UserFactory,
)
from tests.ticks import tick
from xinyong.access.models import SubjectAccount
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.listings import feed_reads, selectors, services
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind

pytestmark = pytest.mark.django_db
D = dt.date
LISTED = D(2026, 10, 27)  # the day the factory's effective entries took effect


@pytest.fixture
def warning_list():
    return ListDefinitionFactory(
        kind=ListKind.BIG_DATA_WARNING, validity_value=None,
        recognizing_department=DepartmentFactory(credit_office=True),
    )  # fmt: skip


@pytest.fixture
def subject():
    return SubjectFactory()


def key_attention(subject, **dates):
    """Key attention in a key domain of its own, in force from 10-27 unless dated otherwise."""
    return ListEntryFactory(
        subject=subject, effective=True,
        list=ListDefinitionFactory(kind=ListKind.KEY_ATTENTION, domain=DomainFactory()), **dates,
    )  # fmt: skip


def officer_of(entry):
    return OfficerFactory(department=entry.list.recognizing_department).user


def found_wrong_on(entry, day):
    """The department ends the entry as corrected on ``day`` (R6)."""
    with clock.frozen(day):
        services.exit_entry(entry.pk, actor=officer_of(entry), reason=ExitReason.CORRECTED,
                            note="处罚决定已被撤销")  # fmt: skip


def warnings_of(warning_list):
    return [
        (w.effective_on, w.state, w.exit_reason, w.exited_on)
        for w in ListEntry.objects.filter(list=warning_list).order_by("effective_on", "pk")
    ]


def history_of(entry):
    return [(e.action, e.from_state, e.to_state, e.business_date)
            for e in entry.events.order_by("pk")]  # fmt: skip


def feed_of(entry):
    return [
        (change.kind, change.business_date)
        for change in feed_reads.changes_since(0, 1000)[0]
        if change.entry.pk == entry.pk
    ]


def test_a_warning_resting_on_a_listing_found_wrong_ends_as_corrected(warning_list, subject):
    """Three key domains from 10-27, warned from then; one listing is found wrong on 11-10: the
    subject never rightly qualified, and the warning ends as corrected that day, not as a
    condition that fell away (R6, as key monitoring ends with a black listing found wrong)."""
    first, second, wrong = (key_attention(subject) for _ in range(3))
    assert tick(D(2026, 11, 2)).warnings_added == 1
    [warned] = ListEntry.objects.filter(list=warning_list)
    found_wrong_on(wrong, D(2026, 11, 10))
    assert warnings_of(warning_list) == [
        (LISTED, EntryState.EXITED, ExitReason.CORRECTED, D(2026, 11, 10)),
    ]
    assert tick(D(2026, 11, 12)).changed == 0
    assert history_of(warned) == [
        ("warn", "", EntryState.EFFECTIVE, LISTED),  # the day it took effect, not the run's
        ("exit", EntryState.EFFECTIVE, EntryState.EXITED, D(2026, 11, 10)),
    ]
    assert "列入经核实有误" in warned.events.get(action="exit").reason
    audit = AuditEntry.objects.get(action="listing.exit", object_id=str(warned.pk))
    assert (audit.before["state"], audit.after["exit_reason"]) == ("effective", "corrected")
    assert feed_of(warned) == [("took_effect", LISTED), ("ended", D(2026, 11, 10))]
    assert not warned.announcements.exists()  # a derived list announces nothing (R4)
    assert tick(D(2026, 11, 13)).changed == 0
    for entry in (first, second):
        entry.refresh_from_db()
        assert entry.state == EntryState.EFFECTIVE


def test_a_check_on_the_day_of_the_finding_no_longer_applies_the_warning(warning_list, subject):
    """Warned from 10-27 on three key domains; one listing is found wrong on 11-10. A check
    that same day, before any run of the daily job, answers clear: the warning ended that day
    as corrected, and its measures stopped at once (R3, R4, R6, R10)."""
    financing = ScenarioFactory(code="financing", name="融资信贷")
    api = client_for(DepartmentFactory(implementing=True, name="人民银行"), ["financing"])
    measure = MeasureFactory(code="P10", name="限制融资授信", list_kinds=["big_data_warning"],
                             targets=["organisation"])  # fmt: skip
    measure.scenarios.add(financing)
    *_, wrong = (key_attention(subject) for _ in range(3))
    tick(D(2026, 11, 2))
    code = subject.reveal_identifier()
    with clock.frozen(D(2026, 11, 9)):
        before = check(api, subject=code, scenario="financing").json()
    assert (before["result"], [m["code"] for m in before["measures"]]) == ("punish", ["P10"])
    found_wrong_on(wrong, D(2026, 11, 10))
    with clock.frozen(D(2026, 11, 10)):
        body = check(api, subject=code, scenario="financing").json()
    assert (body["result"], body["measures"]) == ("clear", [])
    assert [e["list_kind"] for e in body["entries"]] == ["key_attention"] * 2


def test_a_late_run_records_no_warning_from_a_listing_found_wrong(warning_list, subject):
    """The job did not run while the three domains stood; by the time it runs one listing has
    been found wrong: nothing is recorded (it was recorded as a warning that ended 11-10 as no
    longer meeting its condition)."""
    key_attention(subject)
    key_attention(subject)
    found_wrong_on(key_attention(subject), D(2026, 11, 10))
    report = tick(D(2026, 11, 12))
    assert (report.warnings_added, report.warnings_ended) == (0, 0)
    assert warnings_of(warning_list) == []


def test_a_listing_found_wrong_after_its_expiry_counts_no_more(warning_list, subject):
    """An objection open when the key attention expired on 11-11 is found founded on 11-20 (the
    entry's ``correct`` step): the warning from 10-27 rested on it and ends as corrected on
    11-20. The subject has qualified rightly since 11-05, when a fourth domain came: it stays
    warned, by a new warning from the day the wrong one ended."""
    key_attention(subject)
    key_attention(subject)
    expiring = key_attention(subject, valid_until=D(2026, 11, 10))
    key_attention(subject, effective_on=D(2026, 11, 5))
    officer = officer_of(expiring)
    with clock.frozen(D(2026, 11, 2)):
        services.record_objection(expiring.pk, actor=officer, objector=subject.name,
                                  grounds="认定事实错误")  # fmt: skip
    tick(D(2026, 11, 2))
    assert tick(D(2026, 11, 11)).expired == 1
    assert warnings_of(warning_list) == [(LISTED, EntryState.EFFECTIVE, "", None)]
    with clock.frozen(D(2026, 11, 20)):
        services.correct_after_exit(expiring.pk, actor=officer, finding="认定有误")
    expiring.refresh_from_db()
    assert (expiring.exit_reason, expiring.exited_on) == (ExitReason.EXPIRED, D(2026, 11, 11))
    assert warnings_of(warning_list) == [
        (LISTED, EntryState.EXITED, ExitReason.CORRECTED, D(2026, 11, 20)),
        (D(2026, 11, 20), EntryState.EFFECTIVE, "", None),
    ]
    assert tick(D(2026, 11, 23)).changed == 0


def test_a_warning_that_stands_without_the_listing_found_wrong_is_kept(warning_list, subject):
    """Four key domains; one found wrong leaves three, from the same day: the warning was
    right, and stays."""
    for _ in range(3):
        key_attention(subject)
    wrong = key_attention(subject)
    tick(D(2026, 11, 2))
    found_wrong_on(wrong, D(2026, 11, 10))
    assert tick(D(2026, 11, 12)).changed == 0
    assert warnings_of(warning_list) == [(LISTED, EntryState.EFFECTIVE, "", None)]


def test_a_domain_that_lapses_still_ends_the_warning_as_no_longer_met(warning_list, subject):
    """The other end path is unchanged: a key attention repaired on 11-05 ends the warning that
    day, its condition no longer met (R3, R4)."""
    key_attention(subject)
    key_attention(subject)
    lapsing = key_attention(subject)
    tick(D(2026, 11, 2))
    ListEntry.objects.filter(pk=lapsing.pk).update(
        state=EntryState.EXITED, exit_reason=ExitReason.REPAIRED, exited_on=D(2026, 11, 5)
    )
    tick(D(2026, 11, 12))
    assert warnings_of(warning_list) == [
        (LISTED, EntryState.EXITED, ExitReason.CONDITION_NO_LONGER_MET, D(2026, 11, 5)),
    ]


def test_a_key_attention_listing_found_wrong_after_its_expiry_proposes_no_black_listing(subject):
    """The rule the warnings share with black-list proposals: a serious record dated within
    the validity of key attention whose listing was found wrong after its exit is no ground
    for a proposal (R3, R6)."""
    domain = DomainFactory()
    ListDefinitionFactory(kind=ListKind.BLACK, domain=domain)
    expiring = ListEntryFactory(
        subject=subject, effective=True, valid_until=D(2026, 11, 10),
        list=ListDefinitionFactory(kind=ListKind.KEY_ATTENTION, domain=domain),
    )  # fmt: skip
    officer = officer_of(expiring)
    with clock.frozen(D(2026, 11, 2)):
        services.record_objection(expiring.pk, actor=officer, objector=subject.name,
                                  grounds="认定事实错误")  # fmt: skip
    assert tick(D(2026, 11, 11)).expired == 1
    with clock.frozen(D(2026, 11, 20)):
        services.correct_after_exit(expiring.pk, actor=officer, finding="认定有误")
    CreditRecordFactory(subject=subject, is_serious=True, decision_date=D(2026, 11, 3))
    assert tick(D(2026, 11, 23)).proposals == 0


def test_a_warning_that_ended_before_a_listing_behind_it_was_found_wrong_is_corrected(
    warning_list, subject
):
    """Three key domains from 10-27, warned from then; one expires on 11-05 and the warning
    ends that day, its condition no longer met. On 11-10 another of the three is found wrong:
    the subject never rightly qualified, so the record of the warning is corrected that day
    (a ``correct`` step, as after any exit of another kind), while its exit stands as it was
    (R3, R4, R6, 000 §十一.3): not put back in force, nothing deleted, nothing new fed to the
    departments, whose measures stopped on 11-05."""
    key_attention(subject, valid_until=D(2026, 11, 4))
    key_attention(subject)
    wrong = key_attention(subject)
    tick(D(2026, 11, 2))
    assert tick(D(2026, 11, 6)).warnings_ended == 1
    [warned] = ListEntry.objects.filter(list=warning_list)
    found_wrong_on(wrong, D(2026, 11, 10))
    assert warnings_of(warning_list) == [
        (LISTED, EntryState.EXITED, ExitReason.CONDITION_NO_LONGER_MET, D(2026, 11, 5)),
    ]
    assert history_of(warned) == [
        ("warn", "", EntryState.EFFECTIVE, LISTED),  # the day it took effect, not the run's
        ("exit", EntryState.EFFECTIVE, EntryState.EXITED, D(2026, 11, 5)),
        ("correct", EntryState.EXITED, EntryState.EXITED, D(2026, 11, 10)),
    ]
    assert tick(D(2026, 11, 12)).changed == 0
    correction = warned.events.get(action="correct")
    assert correction.reason == f"所依据的{wrong.list.name}列入经核实有误"
    assert correction.data["found_wrong"] == wrong.pk
    assert "书面致歉" in correction.data["result_to_subject"]  # as for one ended as corrected
    assert ListEntry.objects.filter(selectors.corrected_after_exit(), pk=warned.pk).exists()
    audit = AuditEntry.objects.get(action="listing.correct", object_id=str(warned.pk))
    assert audit.after["exit_reason"] == ExitReason.CONDITION_NO_LONGER_MET
    assert feed_of(warned) == [("took_effect", LISTED), ("ended", D(2026, 11, 5))]
    assert tick(D(2026, 11, 13)).changed == 0
    assert warned.events.filter(action="correct").count() == 1


def test_the_subject_reads_the_apology_for_a_warning_corrected_after_its_exit(
    warning_list, subject
):
    """The written apology a warning corrected after its exit owes the subject is on the
    subject's own page, as the one for an entry ended as corrected is (R6, 000 §十一.3): the
    platform found it wrong with no objection to answer it with."""
    key_attention(subject, valid_until=D(2026, 11, 4))
    key_attention(subject)
    wrong = key_attention(subject)
    tick(D(2026, 11, 2))
    tick(D(2026, 11, 6))
    [warned] = ListEntry.objects.filter(list=warning_list)
    found_wrong_on(wrong, D(2026, 11, 10))
    tick(D(2026, 11, 12))
    letter = warned.events.get(action="correct").data["result_to_subject"]
    user = UserFactory(username="zhuti")
    SubjectAccount.objects.create(user=user, subject=subject)
    client = Client()
    client.force_login(user)
    with clock.frozen(D(2026, 11, 12)):
        page = client.get("/my/").content.decode()
    assert f'data-correction="{warned.pk}"' in page
    shown = page.split(f'data-correction="{warned.pk}"')[1].split("</pre>")[0]
    assert html.unescape(shown.split("<pre>")[1]) == letter


def test_a_warning_ended_before_its_listing_was_found_wrong_after_its_expiry(warning_list, subject):
    """The key attention whose expiry ended the warning on 11-11 is found wrong on 11-20 on
    the objection open at its expiry (its own ``correct`` step): the warning, which it helped
    put on the list, is corrected on 11-20 too, and stays ended on 11-11 (R3, R4, R6)."""
    key_attention(subject)
    key_attention(subject)
    expiring = key_attention(subject, valid_until=D(2026, 11, 10))
    officer = officer_of(expiring)
    with clock.frozen(D(2026, 11, 2)):
        services.record_objection(expiring.pk, actor=officer, objector=subject.name,
                                  grounds="认定事实错误")  # fmt: skip
    tick(D(2026, 11, 2))
    tick(D(2026, 11, 11))
    with clock.frozen(D(2026, 11, 20)):
        services.correct_after_exit(expiring.pk, actor=officer, finding="认定有误")
    [warned] = ListEntry.objects.filter(list=warning_list)
    assert warnings_of(warning_list) == [
        (LISTED, EntryState.EXITED, ExitReason.CONDITION_NO_LONGER_MET, D(2026, 11, 11)),
    ]
    assert history_of(warned)[-1] == (
        "correct",
        EntryState.EXITED,
        EntryState.EXITED,
        D(2026, 11, 20),
    )
    assert tick(D(2026, 11, 23)).changed == 0


def test_an_ended_warning_under_objection_waits_for_the_officers_finding(warning_list, subject):
    """An objection to the warning is being verified when it ends on 11-05: the listing behind
    it found wrong on 11-10 leaves it to the credit office's finding, which answers the
    objection (R6); an unfounded one on 11-16 lets the job correct it then, from the finding
    on the listing (R3, R6)."""
    key_attention(subject, valid_until=D(2026, 11, 4))
    key_attention(subject)
    wrong = key_attention(subject)
    tick(D(2026, 11, 2))
    [warned] = ListEntry.objects.filter(list=warning_list)
    office = officer_of(warned)
    with clock.frozen(D(2026, 11, 3)):
        services.record_objection(warned.pk, actor=office, objector=subject.name,
                                  grounds="不符合转入条件")  # fmt: skip
    tick(D(2026, 11, 6))
    found_wrong_on(wrong, D(2026, 11, 10))
    assert tick(D(2026, 11, 12)).warnings_corrected == 0
    with clock.frozen(D(2026, 11, 16)):
        services.uphold_after_verification(warned.pk, actor=office, finding="转入时符合条件")
    assert tick(D(2026, 11, 17)).warnings_corrected == 1
    assert history_of(warned)[-1] == (
        "correct",
        EntryState.EXITED,
        EntryState.EXITED,
        D(2026, 11, 16),
    )


def test_an_ended_warning_whose_first_day_stands_without_the_listing_is_left_as_it_ended(
    warning_list, subject
):
    """Four key domains from 10-27; one expires on 11-05, leaving three, another on 11-08, and
    the warning ends then. The fourth, found wrong on 11-10, was not needed to put the subject
    on the list on 10-27: the warning was rightly made, and is left as it ended, as one in
    force would be kept (R3, R6)."""
    key_attention(subject, valid_until=D(2026, 11, 4))
    key_attention(subject, valid_until=D(2026, 11, 7))
    key_attention(subject)
    wrong = key_attention(subject)
    tick(D(2026, 11, 2))
    tick(D(2026, 11, 9))
    found_wrong_on(wrong, D(2026, 11, 10))
    assert tick(D(2026, 11, 12)).changed == 0
    assert warnings_of(warning_list) == [
        (LISTED, EntryState.EXITED, ExitReason.CONDITION_NO_LONGER_MET, D(2026, 11, 8)),
    ]
    assert (
        not ListEntry.objects.filter(list=warning_list)
        .filter(selectors.corrected_after_exit())
        .exists()
    )


def test_a_black_list_proposal_that_ended_before_its_key_attention_was_found_wrong(subject):
    """The symmetric case for proposals (R3, R6; 003 §四): a proposal withdrawn before the key
    attention it came from is found wrong stays as the department left it, and none is made
    again. A proposal is a draft, never a listing: it said nothing the record keeps as met."""
    domain = DomainFactory()
    ListDefinitionFactory(kind=ListKind.BLACK, domain=domain)
    entry = ListEntryFactory(
        subject=subject, effective=True,
        list=ListDefinitionFactory(kind=ListKind.KEY_ATTENTION, domain=domain),
    )  # fmt: skip
    CreditRecordFactory(subject=subject, is_serious=True, decision_date=D(2026, 11, 3))
    assert tick(D(2026, 11, 4)).proposals == 1
    [proposal] = entry.consequences.all()
    black_officer = OfficerFactory(department=proposal.list.recognizing_department).user
    with clock.frozen(D(2026, 11, 5)):
        services.withdraw_listing(proposal.pk, actor=black_officer, reason="不予提请")
    found_wrong_on(entry, D(2026, 11, 10))
    assert tick(D(2026, 11, 12)).changed == 0
    proposal.refresh_from_db()
    assert proposal.state == EntryState.WITHDRAWN
    assert history_of(proposal) == [
        ("propose", "", EntryState.DRAFT, D(2026, 11, 4)),
        ("withdraw", EntryState.DRAFT, EntryState.WITHDRAWN, D(2026, 11, 5)),
    ]
    assert ListEntry.objects.filter(list__kind=ListKind.BLACK).count() == 1
