"""A red entry wrongly ended and reinstated twice: its decision record left stopped by either
exit is public and shared again (R2, R4, R6; 000 §十一.3; ``catalog.reinstated``).

An import storing the decision while the first black listing was found wrong may store the
record stopped from the first exit day after the reinstatement looked for it. If the entry is
ended again before the daily job's run, the second exit keeps that earlier stop (a record
already stopped keeps its day), and the second reinstatement, as the daily job after it, read
only the exit it undid: a stop from before that exit was taken for the record's own, and the
record stayed stopped while its entry was in force. Every exit the entry's reinstatements
undid is the entry's, so a stop from the first on is undone; a stop from before the first
still keeps its day.
"""

import datetime as dt

import pytest

from tests.factories import ListDefinitionFactory, ListEntryFactory, OfficerFactory
from tests.integration.test_reinstated_record_resumed_by_the_daily_job import (
    reinstated_with_a_late_record,
    stops,
)
from tests.integration.test_reinstated_red_entry_as_if_never_exited import (
    SIGNED,
    red_list,  # noqa: F401 (a fixture)
)
from xinyong.audit.models import AuditEntry
from xinyong.catalog.tick import end_record_publication
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import EntryState, ExitReason, ListKind

pytestmark = pytest.mark.django_db
D = dt.date
SIGNED_AGAIN = D(2026, 11, 18)  # a second black listing ends the entry again
FOUND_WRONG_AGAIN = D(2026, 11, 20)
RUN = D(2026, 11, 21)


def blacklisted_again(subject):
    """A second black listing of ``subject``, signed on SIGNED_AGAIN and found wrong, while in
    force, on FOUND_WRONG_AGAIN: the red entry ends and is reinstated a second time."""
    black = ListEntryFactory(
        subject=subject, list=ListDefinitionFactory(kind=ListKind.BLACK), awaiting_signature=True
    )
    officer = OfficerFactory(department=black.list.recognizing_department, signer=True).user
    with clock.frozen(SIGNED_AGAIN):
        services.sign_decision(black.pk, actor=officer)
    with clock.frozen(FOUND_WRONG_AGAIN):
        services.exit_entry(black.pk, actor=officer, reason=ExitReason.CORRECTED, note="有误")


def test_the_second_reinstatement_resumes_a_stop_of_the_first_exit(red_list):  # noqa: F811
    entry, record = reinstated_with_a_late_record(red_list)
    blacklisted_again(entry.subject)
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE and entry.exited_on is None
    assert stops(record) == (None, None)
    event = entry.events.filter(action="reinstate").latest("id")
    assert event.data["records_resumed"] == [record.pk]


def test_the_daily_job_resumes_a_stop_of_an_earlier_undone_exit(red_list):  # noqa: F811
    """The record stored stopped from the first exit day after both reinstatements looked."""
    entry, record = reinstated_with_a_late_record(red_list)
    stopped = (record.publication_ended_on, record.sharing_stopped_on)
    record.delete()
    blacklisted_again(entry.subject)
    record.pk = None
    record.publication_ended_on, record.sharing_stopped_on = stopped
    record.save()
    report = end_record_publication(RUN)
    assert stops(record) == (None, None)
    assert "entry_records_resumed: 1" in report.lines()
    audit = AuditEntry.objects.filter(action="catalog.tick").latest("seq")
    resumed = audit.after["entry_records_resumed"][str(record.pk)]
    assert resumed["entry"] == entry.pk
    assert resumed["publication_ended_on"] == SIGNED.isoformat()
    assert end_record_publication(RUN).changed == 0


def test_a_stop_before_the_first_exit_keeps_its_day(red_list):  # noqa: F811
    before = D(2026, 10, 30)
    entry, record = reinstated_with_a_late_record(
        red_list, publication_ended_on=before, sharing_stopped_on=before
    )
    blacklisted_again(entry.subject)
    assert stops(record) == (before, before)
    assert end_record_publication(RUN).changed == 0
    assert stops(record) == (before, before)
