"""A red entry's decision record left stopped by its undone exit resumes on the daily job's run
(R2, R4, R6; 000 §十一.3; ``listing_records.resume_reinstated``).

An import storing the red entry's decision while the black listing that ended the entry is
found wrong may read the entry as exited and store the record stopped from the exit day, while
the reinstatement, not seeing the record yet, resumes nothing. The daily job resumes it: the
entry is in force again, the stop is dated on or after the exit its reinstatement undid, and
nothing else stops it. Its own window's end keeps stopping it (the day after the end), a stop
from before the undone exit keeps its day, and an exited entry under the same decision keeps
it stopped. The run's audit row names the records resumed with what they were."""

import datetime as dt

import pytest

from tests.factories import DepartmentFactory, ListEntryFactory
from tests.integration.test_reinstated_red_entry_as_if_never_exited import (
    RED_LAST_DAY,
    SIGNED,
    listed,
    red_list,  # noqa: F401 (a fixture)
    wrongly_blacklisted,
)
from xinyong.audit.models import AuditEntry
from xinyong.catalog.models import CreditRecord
from xinyong.catalog.tick import end_record_publication
from xinyong.listings.models import EntryState

pytestmark = pytest.mark.django_db
D = dt.date
RUN = D(2026, 11, 17)  # the daily job's run after the correction of 11-16


def reinstated_with_a_late_record(red_list, **stops):  # noqa: F811 (the fixture's value)
    """A red entry ended by a wrongful blacklisting on SIGNED and reinstated, whose decision
    record was stored stopped from the exit day after the reinstatement had looked for it."""
    entry, record = listed(red_list)
    record.delete()  # not there yet when the black listing ends the entry and is corrected
    wrongly_blacklisted(entry.subject, "while in force")
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE and entry.exited_on is None
    record.pk = None
    record.publication_ended_on = record.sharing_stopped_on = SIGNED
    for column, day in stops.items():
        setattr(record, column, day)
    record.save()
    return entry, record


def stops(record):
    record.refresh_from_db()
    return (record.publication_ended_on, record.sharing_stopped_on)


def test_the_daily_job_resumes_it(red_list):  # noqa: F811
    entry, record = reinstated_with_a_late_record(red_list)
    report = end_record_publication(RUN)
    assert stops(record) == (None, None)
    assert "entry_records_resumed: 1" in report.lines()
    audit = AuditEntry.objects.filter(action="catalog.tick").latest("seq")
    assert audit.after["entry_records_resumed"] == {
        str(record.pk): {
            "entry": entry.pk, "exit_undone": SIGNED.isoformat(),
            "publication_ended_on": SIGNED.isoformat(), "sharing_stopped_on": SIGNED.isoformat(),
        }
    }  # fmt: skip
    assert end_record_publication(RUN).changed == 0  # a second run finds nothing


def test_its_window_ended_meanwhile_stops_the_day_after(red_list):  # noqa: F811
    _, record = reinstated_with_a_late_record(red_list)
    record.publication_ends_on = record.sharing_ends_on = D(2026, 11, 14)
    record.save(update_fields=["publication_ends_on", "sharing_ends_on"])
    end_record_publication(RUN)
    assert stops(record) == (D(2026, 11, 15), D(2026, 11, 15))
    assert end_record_publication(RUN).changed == 0


def test_a_stop_before_the_undone_exit_keeps_its_day(red_list):  # noqa: F811
    before = D(2026, 10, 30)
    _, record = reinstated_with_a_late_record(
        red_list, publication_ended_on=before, sharing_stopped_on=before
    )
    assert end_record_publication(RUN).changed == 0
    assert stops(record) == (before, before)


def test_an_exited_entry_under_the_same_decision_keeps_it_stopped(red_list):  # noqa: F811
    entry, record = reinstated_with_a_late_record(red_list)
    ListEntryFactory(
        list__recognizing_department=red_list.recognizing_department, subject=entry.subject,
        decision_document_number=entry.decision_document_number, state=EntryState.EXITED,
        effective_on=D(2026, 10, 27), exited_on=SIGNED,
    )  # fmt: skip
    end_record_publication(RUN)
    assert stops(record) == (SIGNED, SIGNED)


def test_the_last_day_of_the_red_entry_unchanged(red_list):  # noqa: F811
    entry, _ = reinstated_with_a_late_record(red_list)
    end_record_publication(RUN)
    entry.refresh_from_db()
    assert entry.valid_until == RED_LAST_DAY and entry.state == EntryState.EFFECTIVE
    assert CreditRecord.objects.filter(subject=entry.subject).count() == 1


def test_the_only_copy_another_department_holds_is_resumed(red_list):  # noqa: F811
    """The decision forwarded by the provincial centre, the red list's department holding none
    (``listing_records``: told from the entry)."""
    centre = DepartmentFactory(code="zj-xyzx", name="浙江省公共信用信息中心")
    body = red_list.recognizing_department.name
    _, record = reinstated_with_a_late_record(red_list, department=centre, issuing_body=body)
    assert "entry_records_resumed: 1" in end_record_publication(RUN).lines()
    assert stops(record) == (None, None)
