"""A repair application, or a decision on one, at the moment what it applies for ends (R8, R4,
R6; row locks, PostgreSQL).

Every writer locks in one order: for an entry, the daily job's lock, the list's row and the
entry, then the applications; for a record, the record, then the applications. So an
application sent while its entry exits or its record is revoked either commits first, and the
end closes it, or waits and is refused: none is left open on an ended target, which no one could
then decide or close. A decision waits for an end under way and finds the application closed,
where it used to hold the application while the end waited for it (a deadlock).

Each test lets the end take its locks first, in one transaction, and commit only once the other
verb waits for one of them: the order is then the one that went wrong, every time."""

import datetime as dt

import pytest
from django.db import connection  # noqa: F401 (read by the skipif condition)

from tests import subject_remedies as shared
from tests.factories import (
    CreditRecordFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    UserFactory,
)
from tests.races import first_then, race
from tests.subject_remedies import account_of, materials
from xinyong.audit.selectors import verify_chain
from xinyong.catalog.models import CreditRecord
from xinyong.listings import daily_job_lock
from xinyong.listings import services as listings
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind
from xinyong.listings.tick import run_tick
from xinyong.remedies import record_objections, repair_closures, repairs
from xinyong.remedies.models import RecordObjection, RepairApplication, RepairState
from xinyong.remedies.repair_workflow import RepairAction

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
D = dt.date
TODAY = D(2026, 10, 27)  # the day ``race`` runs on: the entries' last day of validity
NEXT = D(2026, 10, 28)  # the daily job's run that expires them
stored_files = shared.stored_files  # the shared fixture


def _entry():
    black = ListDefinitionFactory(kind=ListKind.BLACK, repairable=True)
    return ListEntryFactory(list=black, effective=True, valid_until=TODAY)


def _record():
    return CreditRecordFactory(
        content={"CF_SY": "未按规定公示年度报告"}, decision_date=D(2026, 6, 1),
        published_on=D(2026, 6, 3), publication_ends_on=D(2027, 9, 1),
        sharing_ends_on=D(2027, 9, 1),
    )  # fmt: skip


def _objection(record):
    return RecordObjection.objects.create(
        record=record, department=record.department, objector=record.subject.name,
        grounds="事实有误", received_on=D(2026, 10, 20), due_on=D(2026, 11, 9),
    )  # fmt: skip


def _applied(target, department):
    """An application submitted before the race, for an entry or a record."""
    field = "entry" if isinstance(target, ListEntry) else "record"
    return RepairApplication.objects.create(
        subject=target.subject, department=department, account=UserFactory(),
        corrected="已整改", submitted_on=D(2026, 10, 20), **{field: target},
    )  # fmt: skip


def _revoked(objection):
    """The record's objection found founded, the record revoked (R6)."""
    officer = OfficerFactory(department=objection.department).user
    return lambda: record_objections.decide(
        objection.pk, actor=officer, finding="founded", statement="成立", outcome="revoke"
    )


def _corrected(entry):
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    return lambda: listings.exit_entry(
        entry.pk, actor=officer, reason=ExitReason.CORRECTED, note="认定有误"
    )


def _expired_by_the_daily_job(entry):
    return lambda: run_tick(NEXT)


@pytest.mark.parametrize(
    ("end", "reason"),
    [(_corrected, ExitReason.CORRECTED), (_expired_by_the_daily_job, ExitReason.EXPIRED)],
)
def test_an_application_sent_while_its_entry_exits_is_refused_not_left_open(end, reason):
    """Read unlocked, the entry was still in force; the exit closed the applications it saw and
    the one inserted after it stayed open on an exited entry, forever."""
    entry = _entry()
    subject_account = account_of(entry.subject)
    outcomes = race(
        *first_then(
            end(entry),
            lambda: repairs.apply_for_entry(
                entry.pk, actor=subject_account, corrected="已整改", materials=materials()
            ),
        )
    )
    assert outcomes == ["ok", "repair-entry-not-effective"], outcomes
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, reason)
    assert not RepairApplication.objects.filter(entry=entry).exists()
    assert verify_chain().ok


def test_an_application_sent_while_its_record_is_revoked_is_refused_not_left_open():
    """The revocation locks the record with no key change, which the application's reference
    to it did not wait for: it was inserted after the revocation closed the open ones."""
    record = _record()
    objection = _objection(record)
    subject_account = account_of(record.subject)
    outcomes = race(
        *first_then(
            _revoked(objection),
            lambda: repairs.apply_for_record(
                record.pk, actor=subject_account, corrected="已整改", materials=materials()
            ),
        )
    )
    assert outcomes == ["ok", "repair-record-revoked"], outcomes
    record.refresh_from_db()
    assert record.revoked_on == TODAY
    assert not RepairApplication.objects.filter(record=record).exists()
    assert verify_chain().ok


def _locks_as_a_step(entry):
    """What a step on the entry takes first (``listings.services.transitions``)."""

    def hold():
        daily_job_lock.wait_for_the_daily_job()
        ListEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)

    return hold


def _accept(application):
    officer = OfficerFactory(department=application.department).user
    return lambda: repairs.decide_repair(
        application.pk, actor=officer, action=RepairAction.ACCEPT, reasons="准予修复"
    )


def _closed_with(application, reasons):
    application.refresh_from_db()
    assert (application.state, application.reasons) == (RepairState.CLOSED, reasons)


def test_a_repair_accepted_while_its_entry_is_corrected_waits_and_finds_it_closed():
    """The correction holds the entry, then closes the application; the decision held the
    application, then waited for the entry: a deadlock, one of the two rolled back."""
    entry = _entry()
    application = _applied(entry, entry.list.recognizing_department)
    outcomes = race(
        *first_then(_locks_as_a_step(entry), _accept(application), after=_corrected(entry))
    )
    assert outcomes == ["ok", "repair-already-decided"], outcomes
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.CORRECTED)
    _closed_with(application, repair_closures.entry_ended_text(ExitReason.CORRECTED, TODAY))
    assert verify_chain().ok


def test_a_repair_accepted_on_the_last_day_while_the_daily_job_runs_finds_it_closed():
    """The officer decides on the entry's last day while the nightly job runs for the next one:
    the job holds its lock, then closes the application of the entry it expires; the decision
    held the application, then waited for the job (a deadlock that could abort the job)."""
    entry = _entry()
    application = _applied(entry, entry.list.recognizing_department)

    outcomes = race(
        *first_then(
            daily_job_lock.run_alone,  # what the job takes first
            _accept(application),
            after=lambda: run_tick(NEXT),
        )
    )
    assert outcomes == ["ok", "repair-already-decided"], outcomes
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.EXPIRED)
    _closed_with(application, repair_closures.entry_ended_text(ExitReason.EXPIRED, NEXT))
    assert verify_chain().ok


def test_a_repair_accepted_while_its_record_is_revoked_waits_and_finds_it_closed():
    """The revocation holds the record, then closes the application; the decision held the
    application, then waited for the record (a deadlock)."""
    record = _record()
    objection = _objection(record)
    application = _applied(record, record.department)
    outcomes = race(
        *first_then(
            # what the revocation takes before the application: the record, with no key change
            lambda: CreditRecord.objects.select_for_update(no_key=True).get(pk=record.pk),
            _accept(application),
            after=_revoked(objection),
        )
    )
    assert outcomes == ["ok", "repair-already-decided"], outcomes
    record.refresh_from_db()
    assert (record.revoked_on, record.sharing_stopped_on) == (TODAY, TODAY)
    _closed_with(application, repair_closures.record_revoked_text(TODAY))
    assert verify_chain().ok


def test_the_daily_jobs_closing_of_ended_records_does_not_lock_the_records():
    """A decision locks the record, then the application; the job's closing of applications
    on records past both windows locked the application with the record in one statement, the
    other way round (a deadlock). It locks the applications alone."""
    record = CreditRecordFactory(
        decision_date=D(2025, 6, 1), published_on=D(2025, 6, 3),
        publication_ends_on=D(2026, 10, 1), sharing_ends_on=D(2026, 10, 1),
    )  # fmt: skip
    application = _applied(record, record.department)

    outcomes = race(
        *first_then(  # the locks a decision takes, in its order
            lambda: CreditRecord.objects.select_for_update(no_key=True).get(pk=record.pk),
            lambda: repair_closures.close_for_ended_records(TODAY),
            after=lambda: RepairApplication.objects.select_for_update().get(pk=application.pk),
        )
    )
    assert outcomes == ["ok", "ok"], outcomes
    _closed_with(application, repair_closures.RECORD_ENDED_TEXT)


def test_an_application_sent_while_its_record_becomes_a_decision_is_refused_not_left_open():
    """The signature closed the open applications of the decision's records without locking the
    records: an application checked before the signature committed, and inserted after its
    closing, stayed open on a listing's decision, which no decision may accept or reject
    (``record-is-a-listing``) and nothing closed. The signature locks the records first, as a
    revocation does: the application waits for it, and reads the record as a decision."""
    record = _record()
    definition = ListDefinitionFactory(
        kind=ListKind.BLACK, recognizing_department=record.department, repairable=True
    )
    entry = ListEntryFactory(list=definition, subject=record.subject, awaiting_signature=True)
    signer = OfficerFactory(department=record.department, signer=True).user
    subject_account = account_of(record.subject)
    outcomes = race(
        *first_then(
            lambda: listings.sign_decision(
                entry.pk, actor=signer, decision_document_number=record.document_number
            ),
            lambda: repairs.apply_for_record(
                record.pk, actor=subject_account, corrected="已整改", materials=materials()
            ),
        )
    )
    assert outcomes == ["ok", "record-is-a-listing"], outcomes
    entry.refresh_from_db()
    assert (entry.state, entry.decision_document_number) == (
        EntryState.EFFECTIVE, record.document_number
    )  # fmt: skip
    assert not RepairApplication.objects.filter(record=record).exists()
    assert verify_chain().ok


# A holiday notice for 2027 that gives Monday 01-04 off besides New Year's Day: a decision of
# 2026-12-28 is due 2027-01-07 before it (7 working days as estimated) and 01-08 after.
NOTICE_2027 = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,元旦\n"


def _record_the_notice_recounts():
    """Shared to 2028, never public (no minimum): its due day is counted again by the load."""
    return CreditRecordFactory(
        decision_date=D(2026, 12, 28), publication_due_on=D(2027, 1, 7), published_on=None,
        sharing_ends_on=D(2028, 1, 1),
    )  # fmt: skip


def _rejected(application):
    officer = OfficerFactory(department=application.department).user
    return lambda: repairs.decide_repair(
        application.pk, actor=officer, action=RepairAction.REJECT, reasons="不予修复的理由"
    )


@pytest.mark.parametrize("verb", ["apply", "decide"])
def test_a_record_repair_beside_a_holiday_notice_load_waits_instead_of_deadlocking(tmp_path, verb):
    """A repair application, or a decision on one, holds the record, then writes its audit row;
    the load writes its audit row, then counts the record's due day again (the catalog's
    receiver). Without the daily job's lock, taken first by both, each waited for the other: a
    deadlock, one of the two rolled back."""
    from xinyong.calendars import services as calendar_services
    from xinyong.calendars.models import CalendarYear

    CalendarYear.objects.filter(year__gte=2027).delete()
    notice = tmp_path / "2027.csv"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    record = _record_the_notice_recounts()
    if verb == "apply":
        subject_account = account_of(record.subject)
        rest = lambda: repairs.apply_for_record(  # noqa: E731
            record.pk, actor=subject_account, corrected="已整改", materials=materials()
        )
    else:
        rest = _rejected(_applied(record, record.department))
    outcomes = race(
        *first_then(
            lambda: repairs._record_held(record.pk),  # what the verb takes first
            lambda: calendar_services.load_calendar_file(notice, actor=None),
            after=rest,
        )
    )
    assert outcomes == ["ok", "ok"], outcomes
    record.refresh_from_db()
    assert record.publication_due_on == D(2027, 1, 8)  # counted again on the notice
    application = RepairApplication.objects.get(record=record)
    expected = RepairState.SUBMITTED if verb == "apply" else RepairState.REJECTED
    assert application.state == expected
    assert verify_chain().ok
