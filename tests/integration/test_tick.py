"""The daily job's derived lists and flags (R3, R6): warnings, escalations, monitoring."""

import datetime as dt
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    CreditRecordFactory,
    DepartmentFactory,
    DomainFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from tests.ticks import tick
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import feed_reads, services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import ChangeFeedItem, EntryState, ExitReason, ListEntry, ListKind

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def warning_list():
    return ListDefinitionFactory(
        kind=ListKind.BIG_DATA_WARNING, validity_value=None,
        recognizing_department=DepartmentFactory(credit_office=True),
    )  # fmt: skip


def key_attention(subject, domain, **kwargs):
    return ListEntryFactory(
        subject=subject, effective=True,
        list=ListDefinitionFactory(kind=ListKind.KEY_ATTENTION, domain=domain), **kwargs,
    )  # fmt: skip


def test_three_key_domains_put_a_subject_on_the_warning_list(warning_list):
    subject, other = SubjectFactory(), SubjectFactory()
    domains = [DomainFactory() for _ in range(3)]
    for domain in domains:
        key_attention(subject, domain)
    key_attention(other, domains[0])
    key_attention(other, domains[1])
    key_attention(other, domains[1])  # the same domain twice counts once
    report = tick(D(2026, 11, 2))
    assert report.warnings_added == 1
    warned = ListEntry.objects.get(list=warning_list)
    # From the day the third domain's key attention took effect, not the day of the run.
    assert (warned.subject, warned.state, warned.effective_on) == (
        subject, EntryState.EFFECTIVE, D(2026, 10, 27),
    )  # fmt: skip
    assert warned.basis == warning_list.legal_basis  # the basis the list was set up under
    assert tick(D(2026, 11, 3)).changed == 0


def test_an_officers_proposal_on_a_list_the_platform_derives_is_refused(warning_list):
    """R3: the big-data warning and key monitoring lists are the daily job's to fill."""
    officer = OfficerFactory(department=warning_list.recognizing_department).user
    monitoring = ListDefinitionFactory(
        kind=ListKind.KEY_MONITORING, recognizing_department=warning_list.recognizing_department
    )
    for derived in (warning_list, monitoring):
        with pytest.raises(XinyongError) as refused:
            services.propose_listing(
                actor=officer, list_definition=derived, subject=SubjectFactory(),
                facts="事实", basis="依据",
            )  # fmt: skip
        assert refused.value.code == "list-derived-by-the-platform"


def test_a_warning_an_officer_took_up_earlier_leaves_the_job_running(warning_list):
    """A candidacy on the warning list (proposed before such proposals were refused) is the
    subject's one live entry there: the job adds no second one, and its other steps run."""
    subject = SubjectFactory()
    for _ in range(3):
        key_attention(subject, DomainFactory())
    ListEntryFactory(list=warning_list, subject=subject, in_publicity=True)
    ending = ListEntryFactory(effective=True, valid_until=D(2026, 10, 31))
    report = tick(D(2026, 11, 2))
    assert (report.warnings_added, report.expired) == (0, 1)
    ending.refresh_from_db()
    assert ending.state == EntryState.EXITED


def test_a_subject_that_no_longer_qualifies_leaves_the_warning_list(warning_list):
    subject = SubjectFactory()
    entries = [key_attention(subject, DomainFactory()) for _ in range(3)]
    tick(D(2026, 11, 2))
    ListEntry.objects.filter(pk=entries[0].pk).update(state=EntryState.EXITED)
    report = tick(D(2026, 11, 9))
    assert report.warnings_ended == 1
    warned = ListEntry.objects.get(list=warning_list)
    assert (warned.state, warned.exited_on) == (EntryState.EXITED, D(2026, 11, 9))


def test_a_late_run_dates_the_warning_by_the_entries_not_by_the_run(warning_list):
    """The warning starts the day the subject came to qualify and ends the day it stopped,
    whenever the job runs (R3, R4)."""
    subject = SubjectFactory()
    entries = [key_attention(subject, DomainFactory()) for _ in range(3)]  # from 10-27
    ListEntry.objects.filter(pk=entries[2].pk).update(effective_on=D(2026, 10, 29))
    assert tick(D(2026, 11, 3)).warnings_added == 1  # missed from 10-27 to 11-02
    warned = ListEntry.objects.get(list=warning_list)
    assert warned.effective_on == D(2026, 10, 29)  # the day the third domain counted
    # Its history and the change feed say so too (R11): a department applies it from then.
    assert warned.events.get(action="warn").business_date == D(2026, 10, 29)
    [took_effect] = [c for c in feed_reads.changes_since(0, 100)[0] if c.entry.pk == warned.pk]
    assert (took_effect.kind, took_effect.business_date) == ("took_effect", D(2026, 10, 29))
    ListEntry.objects.filter(pk=entries[0].pk).update(valid_until=D(2026, 11, 5))
    assert tick(D(2026, 11, 12)).warnings_ended == 1  # a missed week caught up
    warned.refresh_from_db()
    assert (warned.state, warned.exited_on) == (EntryState.EXITED, D(2026, 11, 6))
    assert warned.events.get(action="exit").business_date == D(2026, 11, 6)
    assert tick(D(2026, 11, 12)).changed == 0


def test_a_warning_starts_after_the_last_break_in_qualifying(warning_list):
    """Three domains from 2025-06 until one lapsed at the new year and came back in March: the
    subject has qualified since March, and was warned from June to the new year (R3)."""
    subject = SubjectFactory()
    first, second, third = (DomainFactory() for _ in range(3))
    key_attention(subject, first, effective_on=D(2025, 6, 1))
    key_attention(subject, second, effective_on=D(2025, 6, 1))
    ListEntryFactory(
        subject=subject, exited=True, effective_on=D(2025, 6, 1), exited_on=D(2026, 1, 1),
        list=ListDefinitionFactory(kind=ListKind.KEY_ATTENTION, domain=third),
    )  # fmt: skip
    key_attention(subject, third, effective_on=D(2026, 3, 1))
    tick(D(2026, 11, 2))
    warnings = ListEntry.objects.filter(list=warning_list).order_by("effective_on")
    assert [(w.effective_on, w.state, w.exited_on) for w in warnings] == [
        (D(2025, 6, 1), EntryState.EXITED, D(2026, 1, 1)),
        (D(2026, 3, 1), EntryState.EFFECTIVE, None),
    ]


def attention_span(subject, domain, first, ended=None):
    """Key attention in ``domain`` from ``first``; exited on ``ended`` when given."""
    if ended is None:
        return key_attention(subject, domain, effective_on=first)
    return ListEntryFactory(
        subject=subject, exited=True, effective_on=first, exited_on=ended,
        list=ListDefinitionFactory(kind=ListKind.KEY_ATTENTION, domain=domain),
    )  # fmt: skip


def warnings_of(warning_list):
    return [
        (w.effective_on, w.exited_on)
        for w in ListEntry.objects.filter(list=warning_list).order_by("effective_on")
    ]


def test_a_late_run_ends_a_warning_whose_run_ended_and_starts_the_next(warning_list):
    """Missed days in which a domain lapsed and another came: the warning ended the day the
    first lapsed and a new one began the day the next counted, not one warning throughout
    (R3, 003 §四)."""
    subject = SubjectFactory()
    first, second, third, fourth = (DomainFactory() for _ in range(4))
    attention_span(subject, first, D(2026, 10, 27))
    attention_span(subject, second, D(2026, 10, 27))
    lapsing = attention_span(subject, third, D(2026, 10, 27))
    assert tick(D(2026, 11, 2)).warnings_added == 1
    ListEntry.objects.filter(pk=lapsing.pk).update(
        state=EntryState.EXITED, exit_reason=ExitReason.REPAIRED, exited_on=D(2026, 11, 5)
    )
    attention_span(subject, fourth, D(2026, 11, 9))
    report = tick(D(2026, 11, 12))  # missed from 11-03 to 11-11
    assert (report.warnings_added, report.warnings_ended) == (1, 1)
    assert warnings_of(warning_list) == [(D(2026, 10, 27), D(2026, 11, 5)), (D(2026, 11, 9), None)]
    assert tick(D(2026, 11, 12)).changed == 0


def test_a_warning_that_began_and_ended_in_missed_days_is_recorded(warning_list):
    """Three domains from 11-04 to 11-07, while the job did not run: the warning is recorded
    with its days, and its history and the change feed say it began and ended (R3, R11)."""
    subject = SubjectFactory()
    attention_span(subject, DomainFactory(), D(2026, 10, 1))
    attention_span(subject, DomainFactory(), D(2026, 10, 1))
    assert tick(D(2026, 11, 2)).changed == 0
    attention_span(subject, DomainFactory(), D(2026, 11, 4), ended=D(2026, 11, 7))
    report = tick(D(2026, 11, 12))
    assert (report.warnings_added, report.warnings_ended) == (1, 1)
    warned = ListEntry.objects.get(list=warning_list)
    assert (warned.state, warned.exit_reason, warned.effective_on, warned.exited_on) == (
        EntryState.EXITED, ExitReason.CONDITION_NO_LONGER_MET, D(2026, 11, 4), D(2026, 11, 7),
    )  # fmt: skip
    history = [(e.action, e.from_state, e.to_state, e.business_date)
               for e in warned.events.order_by("pk")]  # fmt: skip
    assert history == [
        ("warn", "", EntryState.EFFECTIVE, D(2026, 11, 4)),
        ("exit", EntryState.EFFECTIVE, EntryState.EXITED, D(2026, 11, 7)),
    ]
    assert ChangeFeedItem.objects.filter(event__entry=warned).count() == 2
    assert tick(D(2026, 11, 13)).changed == 0


def test_an_officers_candidacy_still_leaves_past_runs_to_the_job(warning_list):
    """A candidacy on the warning list is the subject's one live entry: the job starts no
    warning beside it, but a run already over is recorded (it is not live)."""
    subject = SubjectFactory()
    attention_span(subject, DomainFactory(), D(2026, 10, 1))
    attention_span(subject, DomainFactory(), D(2026, 10, 1))
    attention_span(subject, DomainFactory(), D(2026, 10, 5), ended=D(2026, 10, 9))
    attention_span(subject, DomainFactory(), D(2026, 10, 20))
    ListEntryFactory(list=warning_list, subject=subject, in_publicity=True)
    tick(D(2026, 11, 2))
    recorded = ListEntry.objects.filter(list=warning_list, state=EntryState.EXITED)
    assert [(w.effective_on, w.exited_on) for w in recorded] == [(D(2026, 10, 5), D(2026, 10, 9))]
    assert not ListEntry.objects.filter(list=warning_list, state=EntryState.EFFECTIVE).exists()


SPAN_DAYS = st.tuples(st.integers(0, 24), st.one_of(st.none(), st.integers(1, 12)))


@settings(
    max_examples=12, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
# Spans start by day 24 and last at most 12 days: a run up to 13 days after day 24 sees every
# one of them ended or still running, and each day more only adds daily runs to compare.
@given(spans=st.lists(st.tuples(st.integers(0, 3), SPAN_DAYS), min_size=3, max_size=8),
       gap=st.integers(1, 13))  # fmt: skip
def test_a_late_run_records_the_warnings_daily_runs_would_have(warning_list, spans, gap):
    """Whatever key attention came and went, one run after missed days leaves the warnings
    (their first and last days) that a run every day would have left (R3, R4, R15)."""
    start = D(2026, 10, 1)
    domains = [DomainFactory() for _ in range(4)]

    def outcome(days):
        with transaction.atomic():
            subject = SubjectFactory()
            for domain, (offset, length) in spans:
                first = start + dt.timedelta(days=offset)
                ended = None if length is None else first + dt.timedelta(days=length)
                attention_span(subject, domains[domain], first, ended)
            for day in days:
                tick(day)
            found = warnings_of(warning_list)
            transaction.set_rollback(True)
        return found

    last = start + dt.timedelta(days=24 + gap)
    daily = outcome([start + dt.timedelta(days=n) for n in range((last - start).days + 1)])
    late = outcome([last])
    assert late == daily
    assert all(a[1] is not None and a[1] <= b[0] for a, b in itertools.pairwise(late))


def test_domains_that_are_not_key_domains_do_not_count(warning_list):
    subject = SubjectFactory()
    for _ in range(3):
        key_attention(subject, DomainFactory(is_key_domain=False))
    assert tick(D(2026, 11, 2)).warnings_added == 0


def test_a_serious_record_during_key_attention_is_proposed_never_listed():
    domain = DomainFactory()
    black = ListDefinitionFactory(kind=ListKind.BLACK, domain=domain)
    attention = ListEntryFactory(
        effective=True, effective_on=D(2026, 3, 1), valid_until=D(2027, 3, 1),
        list=ListDefinitionFactory(kind=ListKind.KEY_ATTENTION, domain=domain),
    )  # fmt: skip
    CreditRecordFactory(subject=attention.subject, is_serious=True, decision_date=D(2026, 2, 1))
    assert tick(D(2026, 11, 2)).proposals == 0  # before key attention began: not this rule
    CreditRecordFactory(subject=attention.subject, is_serious=True, decision_date=D(2026, 10, 1))
    CreditRecordFactory(subject=attention.subject, is_serious=False, decision_date=D(2026, 10, 2))
    assert tick(D(2026, 11, 3)).proposals == 1
    proposal = ListEntry.objects.get(list=black)
    assert (proposal.state, proposal.origin) == (EntryState.DRAFT, attention)
    assert proposal.events.get().action == "propose"
    assert tick(D(2026, 11, 4)).proposals == 0  # once


def test_a_late_run_still_proposes_for_a_serious_record_during_validity():
    """Key attention valid to 11-05, a serious record of 11-02, the job first run on 11-09: the
    record fell within the validity, so it is proposed as a daily run would have (R3)."""
    domain = DomainFactory()
    black = ListDefinitionFactory(kind=ListKind.BLACK, domain=domain)
    attention = ListEntryFactory(
        effective=True, effective_on=D(2026, 3, 1), valid_until=D(2026, 11, 5),
        list=ListDefinitionFactory(kind=ListKind.KEY_ATTENTION, domain=domain),
    )  # fmt: skip
    CreditRecordFactory(subject=attention.subject, is_serious=True, decision_date=D(2026, 11, 2))
    report = tick(D(2026, 11, 9))
    assert (report.proposals, report.expired) == (1, 1)
    assert ListEntry.objects.get(list=black).origin == attention
    assert tick(D(2026, 11, 9)).changed == 0


def _attention_with_black_list(**dates):
    domain = DomainFactory()
    black = ListDefinitionFactory(kind=ListKind.BLACK, domain=domain)
    attention = ListEntryFactory(
        list=ListDefinitionFactory(kind=ListKind.KEY_ATTENTION, domain=domain), **dates
    )
    return attention, black


def serious(entry, day):
    return CreditRecordFactory(subject=entry.subject, is_serious=True, decision_date=day)


def test_a_record_entered_after_key_attention_expired_is_proposed_by_its_decision_date():
    """Key attention from 03-01 through 11-05, expired by the job on 11-09 before any record was
    entered: what counts is whether the record's decision date lies within the validity."""
    attention, black = _attention_with_black_list(
        effective=True, effective_on=D(2026, 3, 1), valid_until=D(2026, 11, 5)
    )
    assert tick(D(2026, 11, 9)).expired == 1
    serious(attention, D(2026, 2, 28))  # the day before it took effect
    serious(attention, D(2026, 11, 6))  # the day it exited
    assert tick(D(2026, 11, 10)).proposals == 0
    serious(attention, D(2026, 11, 5))  # its last day of validity, entered late
    assert tick(D(2026, 11, 11)).proposals == 1
    proposal = ListEntry.objects.get(list=black)
    assert (proposal.state, proposal.origin, proposal.proposed_on) == (
        EntryState.DRAFT, attention, D(2026, 11, 11),
    )  # fmt: skip
    assert tick(D(2026, 11, 11)).changed == 0
    assert tick(D(2026, 11, 12)).proposals == 0


def test_the_first_day_of_key_attention_counts():
    attention, _ = _attention_with_black_list(
        exited=True, effective_on=D(2026, 3, 1), valid_until=D(2026, 11, 5),
        exited_on=D(2026, 11, 6),
    )  # fmt: skip
    serious(attention, D(2026, 3, 1))
    assert tick(D(2026, 12, 1)).proposals == 1


def test_after_an_early_exit_only_records_dated_before_it_count():
    attention, _ = _attention_with_black_list(
        exited=True, exit_reason=ExitReason.REPAIRED, effective_on=D(2026, 3, 1),
        valid_until=D(2027, 3, 1), exited_on=D(2026, 9, 15),
    )  # fmt: skip
    serious(attention, D(2026, 9, 15))  # the day of the exit: no longer under key attention
    assert tick(D(2026, 12, 1)).proposals == 0
    serious(attention, D(2026, 9, 14))
    assert tick(D(2026, 12, 2)).proposals == 1


def test_key_attention_found_wrong_never_leads_to_a_proposal():
    attention, _ = _attention_with_black_list(
        exited=True, exit_reason=ExitReason.CORRECTED, effective_on=D(2026, 3, 1),
        valid_until=D(2027, 3, 1), exited_on=D(2026, 9, 15),
    )  # fmt: skip
    serious(attention, D(2026, 6, 1))
    assert tick(D(2026, 12, 1)).proposals == 0


def test_a_subject_is_not_proposed_twice_for_conduct_already_before_the_department():
    attention, black = _attention_with_black_list(
        effective=True, effective_on=D(2026, 3, 1), valid_until=D(2027, 3, 1)
    )
    serious(attention, D(2026, 10, 1))
    assert tick(D(2026, 11, 2)).proposals == 1
    # The department decides not to list: the next runs do not propose it again, even once the
    # key attention has expired and another serious record of its validity is entered.
    ListEntry.objects.filter(list=black).update(state=EntryState.REJECTED)
    assert tick(D(2026, 11, 3)).proposals == 0
    serious(attention, D(2027, 2, 1))
    assert tick(D(2027, 3, 10)).proposals == 0


def test_an_officers_black_list_proposal_since_the_record_counts_as_the_proposal():
    """Proposed by hand after the conduct and rejected: the job does not propose it again."""
    attention, black = _attention_with_black_list(
        effective=True, effective_on=D(2026, 3, 1), valid_until=D(2026, 11, 5)
    )
    serious(attention, D(2026, 10, 1))
    ListEntryFactory(subject=attention.subject, list=black, proposed_on=D(2026, 10, 1),
                     state=EntryState.REJECTED)  # fmt: skip
    assert tick(D(2026, 11, 9)).proposals == 0
    ListEntry.objects.filter(list=black).update(proposed_on=D(2026, 9, 30))  # before it
    assert tick(D(2026, 11, 10)).proposals == 1


def test_expired_black_entries_start_key_monitoring():
    black = ListDefinitionFactory(kind=ListKind.BLACK, monitoring_months=6)
    monitoring = ListDefinitionFactory(
        kind=ListKind.KEY_MONITORING, validity_value=None,
        recognizing_department=DepartmentFactory(credit_office=True),
    )  # fmt: skip
    entry = ListEntryFactory(list=black, effective=True, valid_until=D(2026, 10, 31))
    report = tick(D(2026, 11, 5))
    assert (report.expired, report.monitoring_started) == (1, 1)
    monitored = ListEntry.objects.get(list=monitoring)
    assert (monitored.origin, monitored.effective_on, monitored.valid_until) == (
        entry, D(2026, 11, 1), D(2027, 5, 1),
    )  # fmt: skip
    report = tick(D(2027, 5, 2))
    monitored.refresh_from_db()
    assert (monitored.state, monitored.exit_reason) == (EntryState.EXITED, ExitReason.EXPIRED)


def test_an_exit_announcement_follows_the_listing_notice_and_is_dated_when_published():
    """On the listing's channel, following its last notice (R4); published the day the job
    ran, while its text gives the exit date the rule sets."""
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    signer = OfficerFactory(department=black.recognizing_department, signer=True).user
    entry = ListEntryFactory(list=black, awaiting_signature=True, channel="gazette")
    with clock.frozen(D(2026, 10, 27)):
        services.sign_decision(entry.pk, actor=signer)
    ListEntry.objects.filter(pk=entry.pk).update(valid_until=D(2026, 11, 1))
    tick(D(2026, 11, 9))
    decision = entry.announcements.get(kind=Announcement.Kind.DECISION)
    exit_ = entry.announcements.get(kind=Announcement.Kind.EXIT)
    assert (exit_.channel, exit_.follows, exit_.published_on) == (
        "gazette", decision, D(2026, 11, 9),
    )  # fmt: skip
    assert "2026年11月2日" in exit_.body


def test_verification_deadlines_are_flagged():
    def objected(due):
        ListEntryFactory(state=EntryState.UNDER_VERIFICATION, verification_due_on=due)

    objected(D(2026, 11, 20))  # overdue on the 23rd
    objected(D(2026, 11, 25))  # within 3 working days
    objected(D(2026, 11, 26))  # the third working day after Monday the 23rd
    objected(D(2026, 11, 27))
    report = tick(D(2026, 11, 23))
    assert (report.overdue, report.due_soon) == (1, 2)


def test_objections_to_effective_entries_are_flagged_too():
    """An objection to an effective entry keeps it effective while verified; its deadline is
    counted like a candidacy's (R6), and an effective entry with no objection is not."""
    ListEntryFactory(effective=True, verification_due_on=D(2026, 11, 20))  # overdue on the 23rd
    ListEntryFactory(effective=True, verification_due_on=D(2026, 11, 26))  # third working day
    ListEntryFactory(effective=True)
    report = tick(D(2026, 11, 23))
    assert (report.overdue, report.due_soon) == (1, 1)
    assert not AuditEntry.objects.exists()  # flags change nothing, so nothing is audited


def _objection(record, state="verifying"):
    from xinyong.remedies.models import RecordObjection

    return RecordObjection.objects.create(
        record=record, department=record.department, objector="当事人", grounds="有误",
        received_on=D(2026, 10, 20), due_on=D(2026, 11, 9), state=state,
        outcome="revoke" if state == "founded" else "",
    )  # fmt: skip


def test_a_serious_record_under_objection_waits_for_the_finding():
    """R6: what rests on a record under objection is suspended; an unfounded objection lets
    the next run propose, as for a record just entered (R3)."""
    attention, black = _attention_with_black_list(
        effective=True, effective_on=D(2026, 3, 1), valid_until=D(2027, 3, 1)
    )
    objection = _objection(serious(attention, D(2026, 10, 1)))
    assert tick(D(2026, 11, 2)).proposals == 0
    objection.state = "unfounded"
    objection.save()
    assert tick(D(2026, 11, 3)).proposals == 1
    assert ListEntry.objects.get(list=black).origin == attention


def test_a_record_no_longer_shared_is_never_proposed_on():
    """A serious record revoked by a founded objection, or repaired, stopped being shared: it
    counts against nobody (R4, R8), while another, still shared, does."""
    attention, _ = _attention_with_black_list(
        effective=True, effective_on=D(2026, 3, 1), valid_until=D(2027, 3, 1)
    )
    revoked = serious(attention, D(2026, 10, 1))
    revoked.sharing_stopped_on = D(2026, 10, 20)
    revoked.save()
    _objection(revoked, state="founded")
    assert tick(D(2026, 11, 2)).proposals == 0
    serious(attention, D(2026, 10, 5))
    assert tick(D(2026, 11, 3)).proposals == 1


def test_a_record_whose_sharing_ended_counts_no_more_before_the_job_stops_it():
    """Its sharing ended the day before: the proposal step runs before the step that stops
    the record's sharing, and must read the end itself (R4, R8)."""
    attention, _ = _attention_with_black_list(
        effective=True, effective_on=D(2026, 3, 1), valid_until=D(2027, 3, 1)
    )
    record = serious(attention, D(2026, 10, 1))
    record.sharing_ends_on = D(2026, 11, 1)
    record.save()
    assert tick(D(2026, 11, 2)).proposals == 0
