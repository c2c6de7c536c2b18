"""A black-list decision signed while the subject's red-list entry is ended at the same moment
(R2, R4): the signature waits for the exit, then ends only the red entries still in force; the
red entry keeps the exit its officer gave it. Before, the signature listed the red entries
unlocked and then tried to end one already ended: the whole signature was refused."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction  # noqa: F401 (connection: skipif)

from tests.factories import ListDefinitionFactory, ListEntryFactory, OfficerFactory, SubjectFactory
from tests.races import in_thread
from xinyong.audit.selectors import verify_chain
from xinyong.listings import daily_job_lock, services
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
TODAY = dt.date(2026, 10, 27)


def _in_thread(work, failures, done=None):
    """``tests.races.in_thread`` on this module's business day."""
    return in_thread(work, failures, day=TODAY, done=done)


def test_a_black_signature_while_the_red_entry_exits_signs_and_keeps_that_exit():
    red = ListDefinitionFactory(kind=ListKind.RED)
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    red_officer = OfficerFactory(department=red.recognizing_department).user
    signer = OfficerFactory(department=black.recognizing_department, signer=True).user
    subject = SubjectFactory()
    red_entry = ListEntryFactory(list=red, subject=subject, effective=True)
    other_red = ListEntryFactory(
        list=ListDefinitionFactory(kind=ListKind.RED), subject=subject, effective=True
    )
    black_entry = ListEntryFactory(list=black, subject=subject, awaiting_signature=True)
    held, go, signed = threading.Event(), threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def exit_red() -> None:
        with transaction.atomic():
            daily_job_lock.wait_for_the_daily_job()  # as every step does first
            ListEntry.objects.select_for_update().get(pk=red_entry.pk)
            held.set()
            go.wait(10)  # the signature has started meanwhile
            services.exit_entry(
                red_entry.pk, actor=red_officer, reason=ExitReason.REQUESTED, note="本人申请"
            )

    exiting = _in_thread(exit_red, failures)
    held.wait(10)
    signing = _in_thread(
        lambda: services.sign_decision(black_entry.pk, actor=signer), failures, done=signed
    )
    assert not signed.wait(1)  # it waits for the exit, whatever the machine's speed
    go.set()
    exiting.join(20)
    signing.join(20)
    assert not failures, failures
    black_entry.refresh_from_db()
    red_entry.refresh_from_db()
    other_red.refresh_from_db()
    assert black_entry.state == EntryState.EFFECTIVE
    assert (red_entry.state, red_entry.exit_reason) == (EntryState.EXITED, ExitReason.REQUESTED)
    assert red_entry.events.filter(action="exit").count() == 1
    assert (other_red.state, other_red.exit_reason) == (EntryState.EXITED, ExitReason.BLACKLISTED)
    assert verify_chain().ok
