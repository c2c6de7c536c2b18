"""An online objection takes its locks in the order every step on an entry takes them (R6; row
locks, PostgreSQL): the daily job's lock shared, the list's row, then the entry
(``listings.services.transitions``).

It used to lock the entry first, to refuse a second objection while one is verified, and the
list's row after it, inside ``record_objection``. A writer holding the list's row exclusively, as
a change of the list's objection-suspension setting does (it updates the row), that then reached
the entry, waited for the objection while the objection waited for it: a deadlock, one of the two
rolled back. The objection now waits for the list's row before it takes the entry, and still
refuses a second objection once it holds the entry.

Steps hold the list's row in share mode, which the objection's share lock does not wait for: a
step holding the row and waiting for the entry never met the objection in a circle, in either
order. The last test keeps it so.

Each test lets the other writer take the list's row first, in one transaction, and reach the
entry only once the objection waits for a lock or holds the entry: the order that went wrong,
every time."""

import threading

import pytest
from django.db import connection, transaction  # noqa: F401 (connection: skipif)

from tests import subject_remedies as shared
from tests.factories import ListDefinitionFactory, ListEntryFactory, OfficerFactory
from tests.races import first_then, race, until_another_waits
from tests.subject_remedies import account_of
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.listings import daily_job_lock
from xinyong.listings import services as listings
from xinyong.listings.models import ListDefinition, ListEntry
from xinyong.listings.services.transitions import hold_list_row
from xinyong.remedies import services as remedies
from xinyong.remedies.models import OnlineObjection

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
stored_files = shared.stored_files  # the shared fixture


def _entry():
    definition = ListDefinitionFactory(objection_suspends_measures=True)
    return ListEntryFactory(list=definition, effective=True)


def _objecting(entry):
    """The subject's online objection to its entry, as a call for ``race``."""
    user = account_of(entry.subject)
    return lambda: remedies.object_to_entry(entry.pk, actor=user, grounds="处罚决定已被撤销")


def _setting_switched_off(entry):
    """What a change of the list's setting takes: its row, updated (``listings.suspension``)."""
    return lambda: ListDefinition.objects.filter(pk=entry.list_id).update(
        objection_suspends_measures=False
    )


def _entry_locked_as_a_step(entry):
    return lambda: ListEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)


def _paper_objection(entry):
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    return lambda: listings.record_objection(
        entry.pk, actor=officer, objector="当事人", grounds="事实有误"
    )


def test_an_objection_sent_while_the_list_row_is_held_waits_then_reads_the_new_setting():
    """The objection held the entry and waited for the list's row; the change held the row and
    waited for the entry: a deadlock, one of the two rolled back."""
    entry = _entry()
    outcomes = race(
        *first_then(
            _setting_switched_off(entry),
            _objecting(entry),
            after=_entry_locked_as_a_step(entry),
        )
    )
    assert outcomes == ["ok", "ok"], outcomes
    entry.refresh_from_db()
    assert entry.verification_due_on is not None
    assert not entry.is_suspended_by_objection  # read after the change committed (R6)
    assert OnlineObjection.objects.filter(entry=entry).count() == 1
    assert verify_chain().ok


def test_an_objection_that_waited_for_the_list_row_is_refused_when_another_was_registered():
    """One objection is verified at a time (R6): the online one, waiting for the list's row
    while an objection on paper is registered under it, then finds that one and is refused."""
    entry = _entry()
    outcomes = race(
        *first_then(
            _setting_switched_off(entry),
            _objecting(entry),
            after=_paper_objection(entry),
        )
    )
    assert outcomes == ["ok", "objection-pending"], outcomes
    assert entry.events.filter(action="object").count() == 1
    assert not OnlineObjection.objects.filter(entry=entry).exists()
    assert AuditEntry.objects.filter(action="listing.object").count() == 1
    assert verify_chain().ok


def test_a_step_holding_the_list_row_in_share_mode_and_the_objection_both_go_through(
    monkeypatch,
):
    """A step holds the list's row in share mode, then waits for the entry, while the objection
    holds the entry and goes on to the list's row (once in its own share mode, now again inside
    ``record_objection``): share locks do not wait for each other, so the objection commits and
    the step then takes the entry."""
    entry = _entry()
    entry_held, done = threading.Event(), threading.Event()
    recording = listings.record_objection

    def record_once_the_step_waits(*args, **kwargs):
        # The objection holds the entry here: it goes on once the step waits for it.
        entry_held.set()
        until_another_waits(done)
        return recording(*args, **kwargs)

    monkeypatch.setattr(listings, "record_objection", record_once_the_step_waits)

    def step():
        with transaction.atomic():
            daily_job_lock.wait_for_the_daily_job()
            hold_list_row(entry.pk)
            taken.set()
            assert entry_held.wait(10)
            _entry_locked_as_a_step(entry)()

    taken = threading.Event()
    objecting = _objecting(entry)

    def objection():
        assert taken.wait(10)
        try:
            objecting()
        finally:
            done.set()

    outcomes = race(step, objection)
    assert outcomes == ["ok", "ok"], outcomes
    assert OnlineObjection.objects.filter(entry=entry).count() == 1
    assert verify_chain().ok
