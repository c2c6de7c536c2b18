"""Key monitoring after a black-list exit (R3, 002 §二十一): one live entry per subject and list.

A subject monitored already is monitored on to the later end; the daily job and an officer's
exit date it from the exit, which for expiry is the day after the last day of validity (R4).
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from tests.check_clients import check
from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    MeasureFactory,
    OfficerFactory,
    SubjectFactory,
)
from tests.ticks import tick
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.listings import feed_reads, services
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind
from xinyong.measures.models import MeasureOutcome, Scenario

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def monitoring():
    return ListDefinitionFactory(
        kind=ListKind.KEY_MONITORING, validity_value=None,
        recognizing_department=DepartmentFactory(credit_office=True),
    )  # fmt: skip


def black_entry(subject, months=6, **kwargs):
    black = ListDefinitionFactory(kind=ListKind.BLACK, monitoring_months=months)
    return ListEntryFactory(subject=subject, list=black, effective=True, **kwargs)


def monitored_since(subject, monitoring, start, until):
    return ListEntryFactory(
        subject=subject, list=monitoring, state=EntryState.EFFECTIVE, effective_on=start,
        valid_until=until,
    )  # fmt: skip


def test_two_black_exits_of_one_subject_on_one_day_start_one_monitoring(monitoring):
    subject = SubjectFactory()
    black_entry(subject, months=6, valid_until=D(2026, 10, 31))
    black_entry(subject, months=12, valid_until=D(2026, 10, 31))
    report = tick(D(2026, 11, 1))
    assert (report.expired, report.monitoring_started) == (2, 1)
    monitored = ListEntry.objects.get(list=monitoring)
    assert (monitored.effective_on, monitored.valid_until) == (D(2026, 11, 1), D(2027, 11, 1))


def test_a_black_exit_extends_the_monitoring_under_way(monitoring):
    subject = SubjectFactory()
    live = monitored_since(subject, monitoring, D(2026, 6, 1), D(2027, 3, 1))
    black = black_entry(subject, valid_until=D(2026, 10, 31))
    report = tick(D(2026, 11, 3))
    assert (report.expired, report.monitoring_started, report.monitoring_extended) == (1, 0, 1)
    live.refresh_from_db()
    assert (live.state, live.effective_on, live.valid_until) == (
        EntryState.EFFECTIVE, D(2026, 6, 1), D(2027, 5, 1),
    )  # fmt: skip
    event = live.events.get(action="extend")
    assert (event.from_state, event.to_state, event.actor) == ("effective", "effective", "system")
    assert event.data == {
        "origin": black.pk, "valid_until_before": "2027-03-01", "valid_until": "2027-05-01",
    }  # fmt: skip
    assert tick(D(2026, 11, 3)).changed == 0


def test_monitoring_that_runs_longer_is_left_as_it_is(monitoring):
    subject = SubjectFactory()
    live = monitored_since(subject, monitoring, D(2026, 6, 1), D(2027, 6, 1))
    black_entry(subject, valid_until=D(2026, 10, 31))
    report = tick(D(2026, 11, 1))
    assert (report.expired, report.monitoring_started, report.monitoring_extended) == (1, 0, 0)
    live.refresh_from_db()
    assert (live.valid_until, live.version) == (D(2027, 6, 1), 1)


def test_a_colliding_subject_does_not_hold_up_the_rest_of_the_job(monitoring):
    subject = SubjectFactory()
    black_entry(subject, valid_until=D(2026, 10, 31))
    black_entry(subject, valid_until=D(2026, 10, 31))
    candidate = ListEntryFactory(in_publicity=True)  # publicity ended on 10-26
    call_command("tick", "--date", "2026-11-01", stdout=io.StringIO())
    candidate.refresh_from_db()
    assert candidate.state == EntryState.AWAITING_SIGNATURE


def test_a_job_run_long_after_the_monitoring_ended_leaves_nothing_for_a_second_run(monitoring):
    first = black_entry(SubjectFactory(), months=1, valid_until=D(2026, 10, 31))
    report = tick(D(2027, 1, 15))  # monitoring from 11-01 to 12-01 is over before the run
    assert (report.expired, report.monitoring_started) == (2, 1)
    monitored = ListEntry.objects.get(origin=first)
    assert (monitored.state, monitored.exited_on) == (EntryState.EXITED, D(2026, 12, 2))
    assert tick(D(2027, 1, 15)).changed == 0


def test_monitoring_ended_within_missed_days_is_not_extended_by_a_later_exit(monitoring):
    """As daily runs would have it: the first monitoring ends, the later exit starts its own."""
    subject = SubjectFactory()
    first = black_entry(subject, months=1, valid_until=D(2026, 10, 31))
    second = black_entry(subject, months=1, valid_until=D(2026, 12, 31))
    report = tick(D(2027, 3, 1))
    assert (report.monitoring_started, report.monitoring_extended) == (2, 0)
    spans = ListEntry.objects.filter(list=monitoring).order_by("effective_on")
    assert list(spans.values_list("origin", "effective_on", "valid_until", "exited_on")) == [
        (first.pk, D(2026, 11, 1), D(2026, 12, 1), D(2026, 12, 2)),
        (second.pk, D(2027, 1, 1), D(2027, 2, 1), D(2027, 2, 2)),
    ]
    assert tick(D(2027, 3, 1)).changed == 0


def test_an_officers_exit_extends_the_monitoring_under_way(monitoring):
    subject = SubjectFactory()
    live = monitored_since(subject, monitoring, D(2026, 6, 1), D(2027, 3, 1))
    black = black_entry(subject)
    officer = OfficerFactory(department=black.list.recognizing_department).user
    with clock.frozen(D(2026, 11, 2)):
        exited = services.exit_entry(black.pk, actor=officer, reason=ExitReason.REPAIRED)
    assert exited.state == EntryState.EXITED
    live.refresh_from_db()
    assert (live.valid_until, live.version) == (D(2027, 5, 2), 2)
    assert not ListEntry.objects.filter(origin=black).exists()
    event = live.events.get(action="extend")
    assert (event.business_date, event.data["origin"]) == (D(2026, 11, 2), black.pk)
    audit = AuditEntry.objects.get(action="listing.extend")
    assert (audit.before["valid_until"], audit.after["valid_until"]) == (
        "2027-03-01", "2027-05-02",
    )  # fmt: skip


def test_an_officers_exit_for_expiry_is_dated_as_the_job_dates_it(monitoring):
    black = black_entry(SubjectFactory(), valid_until=D(2026, 10, 31))
    officer = OfficerFactory(department=black.list.recognizing_department).user
    with clock.frozen(D(2026, 11, 9)):
        exited = services.exit_entry(black.pk, actor=officer, reason=ExitReason.EXPIRED)
    assert exited.exited_on == D(2026, 11, 1)
    monitored = ListEntry.objects.get(origin=black)
    assert (monitored.effective_on, monitored.valid_until) == (D(2026, 11, 1), D(2027, 5, 1))
    notice = exited.announcements.get(kind="exit")
    assert notice.published_on == D(2026, 11, 9)  # published the day it was, for 11-01
    ended = [c for c in feed_reads.changes_since(0, 100)[0] if c.entry.pk == black.pk]
    assert [(c.kind, c.business_date) for c in ended][-1] == ("ended", D(2026, 11, 1))
    # The monitoring applies from the exit's day, and the feed says so (R11).
    started = [c for c in feed_reads.changes_since(0, 100)[0] if c.entry.pk == monitored.pk]
    assert [(c.kind, c.business_date) for c in started] == [("took_effect", D(2026, 11, 1))]


@pytest.mark.parametrize(
    ("reason", "exit_day", "valid_until"),
    [
        (ExitReason.REPAIRED, D(2026, 11, 5), None),
        (ExitReason.EXPIRED, D(2026, 11, 1), D(2026, 10, 31)),
    ],
)
def test_an_officers_exit_after_the_monitoring_ended_starts_a_new_one(
    monitoring, reason, exit_day, valid_until
):
    """R3, R4: monitoring that ended before the exit, which the daily job has not exited yet,
    exits by expiry the day after its last day; the new monitoring starts on the exit day. It
    is not extended over the days between, which no monitoring covered."""
    subject = SubjectFactory()
    ended = monitored_since(subject, monitoring, D(2026, 5, 1), D(2026, 10, 20))
    black = black_entry(subject, valid_until=valid_until or D(2027, 6, 30))
    officer = OfficerFactory(department=black.list.recognizing_department).user
    with clock.frozen(D(2026, 11, 5)):
        services.exit_entry(black.pk, actor=officer, reason=reason)
    ended.refresh_from_db()
    assert (ended.state, ended.exit_reason, ended.exited_on, ended.valid_until) == (
        EntryState.EXITED, ExitReason.EXPIRED, D(2026, 10, 21), D(2026, 10, 20),
    )  # fmt: skip
    started = ListEntry.objects.get(list=monitoring, origin=black)
    assert (started.state, started.effective_on) == (EntryState.EFFECTIVE, exit_day)
    assert tick(D(2026, 11, 6)).monitoring_extended == 0


def test_a_late_run_tells_each_step_on_the_day_it_took_effect(monitoring):
    """R4, R11, R15: the job missed 11-01 to 11-03. The exits it records, the monitoring they
    start and the monitoring they run on are told on the day they took effect, 11-01, as daily
    runs would have told them, not on the day of the run; the feed's order stays the order of
    writing. An exit that requires monitoring no longer than the entry runs is kept in its
    history on that day too."""
    first = black_entry(SubjectFactory(), valid_until=D(2026, 10, 31))
    subject = SubjectFactory()
    live = monitored_since(subject, monitoring, D(2026, 6, 1), D(2027, 3, 1))
    running_on = black_entry(subject, valid_until=D(2026, 10, 31))
    required = black_entry(subject, months=1, valid_until=D(2026, 10, 31))
    report = tick(D(2026, 11, 4))
    assert (report.expired, report.monitoring_started, report.monitoring_extended) == (3, 1, 1)
    started = ListEntry.objects.get(origin=first)
    changes = feed_reads.changes_since(0, 100)[0]
    assert [c.cursor for c in changes] == sorted(c.cursor for c in changes)
    told = {(c.entry.pk, c.kind): c.business_date for c in changes}
    exit_day = D(2026, 11, 1)
    assert told == {
        (first.pk, "ended"): exit_day, (running_on.pk, "ended"): exit_day,
        (required.pk, "ended"): exit_day, (started.pk, "took_effect"): exit_day,
        (live.pk, "extended"): exit_day,
    }  # fmt: skip
    assert started.events.get().business_date == exit_day
    again = live.events.get(action="monitor_again")
    assert (again.data["origin"], again.business_date) == (required.pk, exit_day)


def test_a_measure_applied_after_a_late_run_counts_the_monitoring_it_ran_on(monitoring, api):
    """R4, R11, R15: a check on 11-02 answered monitoring that ends on 11-03; the job, not run
    since 10-31, runs it on to 2027 on 11-04 for an exit of 11-01, dated that day. A measure
    applied on 11-05 on that check is reported applied: the report counts the extension
    recorded after the check, though dated before it."""
    measure = MeasureFactory(
        code="monitor-closely", list_kinds=["key_monitoring"], targets=["organisation"]
    )
    measure.scenarios.add(Scenario.objects.get(code="government_procurement"))
    subject = SubjectFactory()
    monitored_since(subject, monitoring, D(2026, 6, 1), D(2026, 11, 3))
    black_entry(subject, valid_until=D(2026, 10, 31))
    with clock.frozen(D(2026, 11, 2)):
        answer = check(
            api, subject=subject.reveal_identifier(), scenario="government_procurement"
        ).json()
    assert [m["code"] for m in answer["measures"]] == ["monitor-closely"]
    assert tick(D(2026, 11, 4)).monitoring_extended == 1
    with clock.frozen(D(2026, 11, 6)):
        reported = api.post(
            f"/api/v1/checks/{answer['check_id']}/feedback",
            {"business_reference": "CG-1", "applied_on": "2026-11-05",
             "measures": [{"measure": "monitor-closely", "applied": True, "reason": ""}]},
            content_type="application/json",
        )  # fmt: skip
    assert reported.status_code == 201, reported.json()


def _watched(monitoring):
    """A mandatory procurement measure on key monitoring, and a company whose black entry's
    last day was 11-22 (six months' monitoring from 11-23), the daily job not yet run."""
    watch = MeasureFactory(code="watch", list_kinds=["key_monitoring"], targets=["organisation"])
    watch.scenarios.add(Scenario.objects.get(code="government_procurement"))
    return black_entry(SubjectFactory(), valid_until=D(2026, 11, 22))


def _report(api, check_id, reference, *measures):
    return api.post(
        f"/api/v1/checks/{check_id}/feedback",
        {"business_reference": reference,
         "measures": [{"measure": code, "applied": True, "reason": ""} for code in measures]},
        content_type="application/json",
    )  # fmt: skip


def test_a_monitoring_answered_before_the_job_is_reported_by_the_entry_it_becomes(monitoring, api):
    """R3, R4, R11: a check on 11-23, before the job, answers the key monitoring the black
    entry's expiry starts, with no entry yet. Its mandatory measure binds: left out, the report
    is refused; applied, it is accepted, before the job (the expiry makes it due) and after it
    (the monitoring entry the job recorded for that black entry, which the outcome counts)."""
    black = _watched(monitoring)
    with clock.frozen(D(2026, 11, 23)):
        answer = check(
            api, subject=black.subject.reveal_identifier(), scenario="government_procurement"
        ).json()
        assert [(m["code"], m["entry_id"]) for m in answer["measures"]] == [("watch", None)]
        left_out = _report(api, answer["check_id"], "CG-0")
        assert (left_out.status_code, left_out.json()["code"]) == (
            422, "mandatory-measure-unreported",
        )  # fmt: skip
        before = _report(api, answer["check_id"], "CG-1", "watch")
        assert before.status_code == 201, before.json()
    tick(D(2026, 11, 23))
    recorded = ListEntry.objects.get(list=monitoring, subject=black.subject)
    assert recorded.origin_id == black.pk
    with clock.frozen(D(2026, 11, 24)):
        after = _report(api, answer["check_id"], "CG-2", "watch")
    assert after.status_code == 201, after.json()
    outcome = MeasureOutcome.objects.get(feedback_id=after.json()["id"])
    assert list(outcome.entries.values_list("pk", flat=True)) == [recorded.pk]


def test_a_monitoring_whose_black_entry_was_found_wrong_is_not_applied(monitoring, api):
    """R4, R6: the black entry found wrong before the job ran starts no monitoring: a measure
    the check answered on it is no longer in force."""
    black = _watched(monitoring)
    with clock.frozen(D(2026, 11, 23)):
        answer = check(
            api, subject=black.subject.reveal_identifier(), scenario="government_procurement"
        ).json()
    ListEntry.objects.filter(pk=black.pk).update(
        state=EntryState.EXITED, exit_reason=ExitReason.CORRECTED, exited_on=D(2026, 11, 23)
    )
    with clock.frozen(D(2026, 11, 23)):
        refused = _report(api, answer["check_id"], "CG-1", "watch")
    assert (refused.status_code, refused.json()["code"]) == (422, "measure-no-longer-in-force")
