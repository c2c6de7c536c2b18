"""The record a listing decision rests on stops with its entry: no longer public, no longer
shared, from the exit day, whoever ends the entry (R4, 000 §十.3, 001 §12)."""

import datetime as dt

import pytest

from tests.factories import (
    CatalogItemFactory,
    CreditRecordFactory,
    ListEntryFactory,
    OfficerFactory,
)
from xinyong.catalog import selectors
from xinyong.catalog.models import CreditRecord
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import ExitReason
from xinyong.listings.tick import run_tick

pytestmark = pytest.mark.django_db
D = dt.date


def record_of(entry, **fields):
    """The serious-dishonesty record the entry's decision put on the subject's record."""
    department = entry.list.recognizing_department
    values = {
        "catalog_item": CatalogItemFactory(provider=department), "subject": entry.subject,
        "department": department, "document_number": entry.decision_document_number,
        "decision_date": entry.effective_on, "published_on": entry.effective_on,
        "publication_ends_on": entry.valid_until, "sharing_ends_on": entry.valid_until,
    }  # fmt: skip
    values.update(fields)
    return CreditRecordFactory(**values)


def shared(record) -> bool:
    return CreditRecord.objects.filter(selectors.shared_on(clock.today()), pk=record.pk).exists()


@pytest.mark.parametrize("reason", [ExitReason.CORRECTED, ExitReason.REPAIRED])
def test_an_officers_exit_stops_the_decisions_record_that_day(reason):
    entry = ListEntryFactory(effective=True)
    record = record_of(entry)
    other = record_of(entry, document_number="杭市监处罚〔2026〕9号")  # another decision
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(D(2026, 11, 23)):
        assert shared(record)
        services.exit_entry(entry.pk, actor=officer, reason=reason)
        assert not shared(record) and shared(other)
    record.refresh_from_db()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (D(2026, 11, 23),) * 2
    other.refresh_from_db()
    assert (other.publication_ended_on, other.sharing_stopped_on) == (None, None)


def test_a_record_already_stopped_keeps_its_day_and_one_never_shown_is_not_ended():
    entry = ListEntryFactory(effective=True)
    record = record_of(entry, sharing_stopped_on=D(2026, 11, 2), published_on=None)
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(D(2026, 11, 23)):
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED)
    record.refresh_from_db()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (None, D(2026, 11, 2))


def test_an_expiry_by_the_daily_job_stops_the_record_from_the_exit_day():
    """Validity through 2026-11-20 (a Friday): the entry exits on the 21st, and a job that only
    runs on the 23rd dates the record's end from the exit, not from its run."""
    entry = ListEntryFactory(effective=True, valid_until=D(2026, 11, 20))
    record = record_of(entry, publication_ends_on=D(2027, 10, 27), sharing_ends_on=None)
    run_tick(D(2026, 11, 23))
    record.refresh_from_db()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (D(2026, 11, 21),) * 2
    assert run_tick(D(2026, 11, 23)).changed == 0  # a second run the same day changes nothing


def test_an_entry_without_a_decision_number_touches_no_record():
    entry = ListEntryFactory(effective=True, decision_document_number="")
    record = record_of(entry, document_number="")
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(D(2026, 11, 23)):
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED)
    record.refresh_from_db()
    assert record.sharing_stopped_on is None
