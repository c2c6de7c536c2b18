"""A key-attention listing found wrong counts toward no big-data warning (R3, R6, 003 §四,
000 §十一.3): a warning that rested on it ends as corrected on the day it was found wrong,
with its history, audit row and change as any exit; a late run records none from it."""

import datetime as dt

import pytest

from tests.factories import (
    CreditRecordFactory,
    DepartmentFactory,
    DomainFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.listings import selectors, services
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind
from xinyong.listings.tick import run_tick

pytestmark = pytest.mark.django_db
D = dt.date
LISTED = D(2026, 10, 27)  # the day the factory's effective entries took effect


def tick(day):
    with clock.frozen(day):
        return run_tick(day)


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
        for change in selectors.changes_since(0, 1000)[0]
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
    report = tick(D(2026, 11, 12))
    assert (report.warnings_added, report.warnings_ended) == (0, 1)
    assert warnings_of(warning_list) == [
        (LISTED, EntryState.EXITED, ExitReason.CORRECTED, D(2026, 11, 10)),
    ]
    assert history_of(warned) == [
        ("warn", "", EntryState.EFFECTIVE, D(2026, 11, 2)),
        ("exit", EntryState.EFFECTIVE, EntryState.EXITED, D(2026, 11, 10)),
    ]
    assert "列入经核实有误" in warned.events.get(action="exit").reason
    audit = AuditEntry.objects.get(action="listing.exit", object_id=str(warned.pk))
    assert (audit.before["state"], audit.after["exit_reason"]) == ("effective", "corrected")
    assert feed_of(warned) == [("took_effect", D(2026, 11, 2)), ("ended", D(2026, 11, 10))]
    assert not warned.announcements.exists()  # a derived list announces nothing (R4)
    assert tick(D(2026, 11, 13)).changed == 0
    for entry in (first, second):
        entry.refresh_from_db()
        assert entry.state == EntryState.EFFECTIVE


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
    report = tick(D(2026, 11, 23))
    assert (report.warnings_added, report.warnings_ended) == (1, 1)
    assert warnings_of(warning_list) == [
        (LISTED, EntryState.EXITED, ExitReason.CORRECTED, D(2026, 11, 20)),
        (D(2026, 11, 20), EntryState.EFFECTIVE, "", None),
    ]
    assert tick(D(2026, 11, 24)).changed == 0


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
