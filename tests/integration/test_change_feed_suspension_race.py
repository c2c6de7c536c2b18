"""A list's objection-suspension setting switched off while a step on one of its entries is taken
at the same moment (R4, R6, R11; ``listings.suspension``).

An objection being recorded waits for the change to commit and then reads the new setting, so
the change feed never says "suspended" for measures that apply. Without the wait, the objection
read the old setting, and the change, which had not seen the objection, wrote no event to
correct it.

The daily job exiting an entry under objection: the change waits for the job and finds the
entry exited, so the feed never says "resumed" after "ended"."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction  # noqa: F401 (connection: skipif)

from tests.admin_clients import save_list_form
from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    UserFactory,
)
from tests.races import first_then, race
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.core import clock
from xinyong.listings import daily_job_lock, feed_reads, services, suspension
from xinyong.listings.models import EntryState, ListDefinition
from xinyong.listings.services.transitions import hold_list_row
from xinyong.listings.tick import run_tick

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
D = dt.date


def _feed(entry) -> list[str]:
    rows, _ = feed_reads.changes_since(0, 100)
    return [change.kind for change in rows if change.entry.pk == entry.pk]


def test_an_objection_recorded_while_the_setting_changes_reads_the_new_setting():
    definition = ListDefinitionFactory(objection_suspends_measures=True)
    entry = ListEntryFactory(list=definition, effective=True)
    officer = OfficerFactory(department=definition.recognizing_department).user
    admin = UserFactory(is_staff=True, is_superuser=True)
    saved, release, objected = threading.Event(), threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def change_setting() -> None:
        try:
            with clock.frozen(D(2026, 10, 20)), transaction.atomic():
                suspension.before_the_change()  # as the admin does, first
                ListDefinition.objects.filter(pk=definition.pk).update(
                    objection_suspends_measures=False
                )
                changed = ListDefinition.objects.get(pk=definition.pk)
                suspension.record_setting_changed(changed, actor=admin)
                saved.set()
                release.wait(10)  # the objection is sent meanwhile
        except BaseException as exc:  # raised again below, in the test's thread
            failures.append(exc)
        finally:
            connections.close_all()

    def object_to_entry() -> None:
        try:
            saved.wait(10)
            with clock.frozen(D(2026, 10, 20)):
                services.record_objection(
                    entry.pk, actor=officer, objector="当事人", grounds="事实有误"
                )
            objected.set()
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change_setting), threading.Thread(target=object_to_entry)]
    for thread in threads:
        thread.start()
    saved.wait(10)
    # The objection waits for the change, whatever the machine's speed: it holds the list's row.
    assert not objected.wait(1)
    release.set()
    for thread in threads:
        thread.join(30)
    assert not failures, failures
    assert objected.is_set()
    entry.refresh_from_db()
    assert entry.verification_due_on is not None and not entry.is_suspended_by_objection
    assert "suspended" not in _feed(entry)


def test_a_setting_changed_while_the_daily_job_exits_the_entry_tells_nothing_after_the_exit(
    admin_client,
):
    """The job exits an entry under objection on the day after its validity (R4), and the
    setting is switched off in the admin meanwhile. The change did not take the job's lock: it
    read the entry as effective, waited for its row and wrote its event once the exit had
    committed, so the feed said "resumed" after "ended" (measures applying again on an entry
    that had left the list) and the history told a step on an exited entry. It now waits for
    the job, first, and finds the entry exited."""
    definition = ListDefinitionFactory(objection_suspends_measures=True)
    entry = ListEntryFactory(list=definition, effective=True, valid_until=D(2026, 10, 26))
    officer = OfficerFactory(department=definition.recognizing_department).user
    with clock.frozen(D(2026, 10, 20)):
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="事实有误")
    outcomes = race(
        *first_then(
            lambda: run_tick(D(2026, 10, 27)),
            lambda: save_list_form(
                admin_client, definition, D(2026, 10, 27), objection_suspends_measures=False
            ),
        )
    )
    assert outcomes == ["ok", "ok"], outcomes
    entry.refresh_from_db()
    definition.refresh_from_db()
    assert entry.state == EntryState.EXITED and not definition.objection_suspends_measures
    assert not entry.events.filter(action="suspension").exists()
    assert _feed(entry) == ["suspended", "ended"]
    assert AuditEntry.objects.filter(action="admin.change").count() == 1
    assert verify_chain().ok


def test_the_change_waits_for_the_daily_job_before_it_writes_the_lists_row(admin_client):
    """The job holds its lock and then reaches the list's row, as its steps on the list's
    entries do (``transitions.hold_list_row``), while the change is saved: the change waits for
    the job before it writes the row, so both commit. Taken after the row, the change held the
    row and waited for the job, which waited for the row: one of the two rolled back."""
    definition = ListDefinitionFactory(objection_suspends_measures=True)
    entry = ListEntryFactory(list=definition, effective=True)
    outcomes = race(
        *first_then(
            daily_job_lock.run_alone,
            lambda: save_list_form(
                admin_client, definition, D(2026, 10, 27), objection_suspends_measures=False
            ),
            after=lambda: hold_list_row(entry.pk),
        )
    )
    assert outcomes == ["ok", "ok"], outcomes
    definition.refresh_from_db()
    assert not definition.objection_suspends_measures
