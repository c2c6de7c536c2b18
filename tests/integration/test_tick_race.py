"""The daily job beside an officer's step on an entry it expires (R4, R6, R11): the job locks
the entries before it writes anything, so the change feed and the announcements tell what
happened in the order it happened, once. Two runs at once expire each entry once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction  # noqa: F401 (connection: skipif)

from tests.factories import ListDefinitionFactory, ListEntryFactory, OfficerFactory
from tests.races import in_thread
from xinyong.core import clock
from xinyong.listings import daily_job_lock, feed_reads, services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ListEntry
from xinyong.listings.tick import run_tick

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
D = dt.date


def _kinds(entry) -> list[str]:
    rows, _ = feed_reads.changes_since(0, 100)
    return [change.kind for change in rows if change.entry.pk == entry.pk]


def _tick(day: dt.date) -> None:
    with clock.frozen(day):
        run_tick(day)


def test_an_objection_found_unfounded_while_the_job_waits_comes_before_the_exit_in_the_feed():
    """The officer's step holds the entry when the job starts; the job waits, then exits the
    entry after it: the feed says resumed, then ended (before, it said ended, then resumed)."""
    definition = ListDefinitionFactory(objection_suspends_measures=True)
    entry = ListEntryFactory(list=definition, effective=True, valid_until=D(2026, 10, 31))
    officer = OfficerFactory(department=definition.recognizing_department).user
    with clock.frozen(D(2026, 10, 20)):
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="事实有误")
    held, go = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def decide() -> None:
        with clock.frozen(D(2026, 10, 31)), transaction.atomic():
            daily_job_lock.wait_for_the_daily_job()  # as every step does first
            ListEntry.objects.select_for_update().get(pk=entry.pk)
            held.set()
            go.wait(10)  # the job has started meanwhile
            services.uphold_after_verification(entry.pk, actor=officer, finding="异议不成立")

    officer_step = in_thread(decide, failures)
    held.wait(10)
    job = in_thread(lambda: _tick(D(2026, 11, 1)), failures)
    job.join(1)
    assert job.is_alive()  # it waits for the officer's step, whatever the machine's speed
    go.set()
    officer_step.join(20)
    job.join(20)
    assert not failures, failures
    assert _kinds(entry)[-2:] == ["resumed", "ended"]
    entry.refresh_from_db()
    assert (entry.state, entry.exited_on) == (EntryState.EXITED, D(2026, 11, 1))
    assert entry.events.filter(action="exit").count() == 1


def test_two_runs_at_once_expire_an_entry_once():
    entry = ListEntryFactory(effective=True, valid_until=D(2026, 10, 31))
    failures: list[BaseException] = []
    runs = [in_thread(lambda: _tick(D(2026, 11, 2)), failures) for _ in range(2)]
    for run in runs:
        run.join(30)
    assert not failures, failures
    assert entry.events.filter(action="exit").count() == 1
    assert Announcement.objects.filter(entry=entry, kind=Announcement.Kind.EXIT).count() == 1
    assert _kinds(entry).count("ended") == 1


def test_the_job_waits_for_a_step_under_way_and_a_step_waits_for_the_job():
    """R3, R4: what the job reads stays true until it commits (``daily_job_lock``)."""
    entry = ListEntryFactory(effective=True, valid_until=D(2026, 10, 31))
    held, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def step_under_way() -> None:
        with transaction.atomic():
            daily_job_lock.wait_for_the_daily_job()
            held.set()
            release.wait(10)

    step = in_thread(step_under_way, failures)
    held.wait(10)
    job = in_thread(lambda: _tick(D(2026, 11, 2)), failures)
    job.join(1)
    assert job.is_alive()  # the job waits for the step
    release.set()
    step.join(20)
    job.join(20)
    assert not failures, failures
    entry.refresh_from_db()
    assert entry.state == EntryState.EXITED

    with transaction.atomic():  # now the job holds the lock, and a step waits for it
        daily_job_lock.run_alone()
        waiting = in_thread(
            lambda: services.record_objection(
                ListEntryFactory(effective=True).pk,
                actor=None,
                objector="当事人",
                grounds="事实有误",
                system=True,
            ),
            failures,
        )
        waiting.join(1)
        assert waiting.is_alive()
    waiting.join(20)
    assert not failures, failures
