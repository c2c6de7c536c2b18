"""A list decision's record that arrives after its entry ended arrives stopped from the exit day:
neither public nor shared, as it would be had it been recorded before the exit (R4, R8, 000
§十.3, 001 §12). One recorded before the exit stops with it, and a reinstatement undoes the stop
however the record came (R6, 000 §十一.3)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.data.ingest import samples
from tests.factories import (
    CatalogItemFactory,
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
)
from xinyong.catalog import listing_records, selectors
from xinyong.catalog import services as catalog
from xinyong.catalog.importers.validation import STAGE_COLUMNS
from xinyong.catalog.models import CreditRecord, ImportJob, InfoKind
from xinyong.catalog.tick import end_record_publication
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import EntryState, ExitReason, ListKind

pytestmark = pytest.mark.django_db
D = dt.date
IMPORTED = D(2026, 11, 20)  # a Friday
HEADER = ["ITEM", "SUBJECT_NAME", "SUBJECT_KIND", "USCC", "DOCUMENT_NUMBER", "DECISION_DATE",
          "ISSUING_BODY", "VALID_UNTIL"]  # fmt: skip


@pytest.fixture
def department():
    department = DepartmentFactory(code="zj-scjg", name="浙江省市场监督管理局")
    CatalogItemFactory(code="serious-dishonesty", info_kind=InfoKind.SERIOUS_DISHONESTY,
                       provider=None, publication_months_min=12,
                       publication_months_max=36)  # fmt: skip
    CatalogItemFactory(code="contract-honour", info_kind=InfoKind.HONOUR, provider=department,
                       publication_months_max=24)  # fmt: skip
    return department


def ended(department, kind, reason, exited_on, **fields):
    """An entry of ``department``'s list of ``kind`` that ended on ``exited_on`` for
    ``reason``."""
    values = {
        "list": ListDefinitionFactory(kind=kind, recognizing_department=department),
        "state": EntryState.EXITED, "exit_reason": reason,
        "decision_document_number": f"浙市监〔2026〕{reason}号",
        "effective_on": D(2026, 2, 10), "valid_until": D(2029, 2, 9), "exited_on": exited_on,
    }  # fmt: skip
    values.update(fields)
    return ListEntryFactory(**values)


def row(entry, item, **changes):
    subject = entry.subject
    values = {
        "ITEM": item, "SUBJECT_NAME": subject.name, "SUBJECT_KIND": "法人",
        "USCC": subject.identifier, "DOCUMENT_NUMBER": entry.decision_document_number,
        "DECISION_DATE": entry.effective_on.isoformat(), "ISSUING_BODY": "浙江省市场监督管理局",
        "VALID_UNTIL": entry.valid_until.isoformat(),
    }  # fmt: skip
    values.update(changes)
    return values


def imported(tmp_path, department, rows, day=IMPORTED):
    path = samples.write_csv(tmp_path / f"rec-{day}.csv", HEADER, rows)
    with clock.frozen(day):
        job = catalog.import_file(actor="t", kind="records", path=path, department=department)
    assert job.inserted == len(rows), job.quarantined_by_reason
    return job


def stops(entry):
    record = CreditRecord.objects.get(
        document_number=entry.decision_document_number, subject=entry.subject
    )
    return record.published_on, record.publication_ended_on, record.sharing_stopped_on


def shared(entry, day=IMPORTED) -> bool:
    return CreditRecord.objects.filter(
        selectors.shared_on(day), document_number=entry.decision_document_number,
        subject=entry.subject,
    ).exists()  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "item", "reason"),
    [
        (ListKind.BLACK, "serious-dishonesty", ExitReason.CORRECTED),
        (ListKind.BLACK, "serious-dishonesty", ExitReason.REPAIRED),
        (ListKind.BLACK, "serious-dishonesty", ExitReason.EXPIRED),
        (ListKind.KEY_ATTENTION, "serious-dishonesty", ExitReason.CORRECTED),
        (ListKind.RED, "contract-honour", ExitReason.REQUESTED),
        (ListKind.RED, "contract-honour", ExitReason.CORRECTED),
    ],
)
def test_a_decision_imported_after_its_entry_ended_arrives_stopped_from_the_exit_day(
    tmp_path, department, kind, item, reason
):
    exit_day = D(2026, 5, 12)
    entry = ended(department, kind, reason, exit_day)
    other = ended(department, kind, reason, exit_day, decision_document_number="浙市监〔2026〕9号")
    unrelated = ListEntryFactory(effective=True, subject=other.subject)  # another department's
    imported(tmp_path, department, [
        row(entry, item),
        # The same number about another subject, and another number of this subject.
        row(other, item, DOCUMENT_NUMBER=entry.decision_document_number),
        row(entry, item, DOCUMENT_NUMBER="浙市监〔2026〕10号"),
        row(unrelated, item),
    ])  # fmt: skip
    assert stops(entry) == (IMPORTED, exit_day, exit_day)
    assert not shared(entry)
    still = CreditRecord.objects.exclude(
        document_number=entry.decision_document_number, subject=entry.subject
    )
    assert still.count() == 3
    assert not still.exclude(publication_ended_on=None, sharing_stopped_on=None).exists()


def test_an_exit_by_the_officer_then_the_import(tmp_path, department):
    """The exit the repro took: a red entry left on request, then its decision sent."""
    entry = ListEntryFactory(
        list=ListDefinitionFactory(kind=ListKind.RED, recognizing_department=department),
        effective=True, decision_document_number="浙市监信认〔2026〕47号",
    )  # fmt: skip
    officer = OfficerFactory(department=department).user
    with clock.frozen(D(2026, 11, 16)):
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.REQUESTED)
    imported(tmp_path, department, [row(entry, "contract-honour")])
    assert stops(entry) == (IMPORTED, D(2026, 11, 16), D(2026, 11, 16))


def test_a_window_ended_after_the_exit_stops_from_the_exit_day(tmp_path, department):
    """The record's own window ended between the exit and the import: it stops from the exit,
    the earlier day, as it would have had it been recorded before; one never shown is not
    ended, only unshared."""
    entry = ended(department, ListKind.BLACK, ExitReason.CORRECTED, D(2026, 3, 2))
    imported(tmp_path, department, [row(entry, "serious-dishonesty", VALID_UNTIL="2026-06-30")])
    assert stops(entry) == (None, None, D(2026, 3, 2))


def test_a_window_ended_before_the_exit_keeps_its_own_day(tmp_path, department):
    entry = ended(department, ListKind.BLACK, ExitReason.EXPIRED, D(2026, 7, 1))
    imported(tmp_path, department, [row(entry, "serious-dishonesty", VALID_UNTIL="2026-03-31")])
    assert stops(entry) == (None, None, D(2026, 4, 1))


def test_an_entry_in_force_leaves_the_record_public_until_it_exits(tmp_path, department):
    entry = ListEntryFactory(
        list=ListDefinitionFactory(kind=ListKind.BLACK, recognizing_department=department),
        effective=True,
    )  # fmt: skip
    imported(tmp_path, department, [row(entry, "serious-dishonesty")])
    assert stops(entry) == (IMPORTED, None, None) and shared(entry)
    officer = OfficerFactory(department=department).user
    with clock.frozen(D(2026, 11, 23)):
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED)
    assert stops(entry) == (IMPORTED, D(2026, 11, 23), D(2026, 11, 23))


def test_a_red_entry_reinstated_after_a_wrong_blacklisting_resumes_its_record(tmp_path, department):
    """The red entry ended by the black listing (R2); its record comes while it is out, stopped
    from that day; the black listing found wrong puts the red entry back in force, and its
    record with it (R6, 000 §十一.3)."""
    red = ListEntryFactory(
        list=ListDefinitionFactory(kind=ListKind.RED, recognizing_department=department),
        effective=True, decision_document_number="浙市监信认〔2026〕47号",
    )  # fmt: skip
    black = ListEntryFactory(
        subject=red.subject, list=ListDefinitionFactory(kind=ListKind.BLACK),
        awaiting_signature=True,
    )  # fmt: skip
    officer = OfficerFactory(department=black.list.recognizing_department, signer=True).user
    with clock.frozen(D(2026, 11, 2)):
        services.sign_decision(black.pk, actor=officer)
    red.refresh_from_db()
    assert (red.exit_reason, red.exited_on) == (ExitReason.BLACKLISTED, D(2026, 11, 2))
    imported(tmp_path, department, [row(red, "contract-honour")], day=D(2026, 11, 5))
    assert stops(red) == (D(2026, 11, 5), D(2026, 11, 2), D(2026, 11, 2))
    with clock.frozen(D(2026, 11, 16)):
        services.exit_entry(black.pk, actor=officer, reason=ExitReason.CORRECTED, note="有误")
    red.refresh_from_db()
    assert red.state == EntryState.EFFECTIVE
    assert stops(red) == (D(2026, 11, 5), None, None) and shared(red, D(2026, 11, 16))


def test_a_chunk_with_no_ended_decision_costs_one_lookup(tmp_path, department):
    """The common chunk: one query finds no ended decision among its rows, and nothing else
    is read or written for them."""
    entry = ListEntryFactory(
        list=ListDefinitionFactory(kind=ListKind.BLACK, recognizing_department=department),
        effective=True,
    )  # fmt: skip
    staged = [None] * len(STAGE_COLUMNS)
    staged[STAGE_COLUMNS.index("document_number")] = entry.decision_document_number
    staged[STAGE_COLUMNS.index("identifier_digest")] = entry.subject.identifier_digest
    job = ImportJob(pk=1, department=department)
    with CaptureQueriesContext(connection) as queries:
        assert listing_records.stop_arrivals(job, [tuple(staged)]) == 0
    assert len(queries) == 1


def test_the_daily_job_stops_a_record_its_entrys_exit_missed_from_its_own_day(tmp_path, department):
    """A record an import stored as the exit committed, seen by neither (PostgreSQL), or let
    through before records arrived stopped: public until the daily job finds it, so stopped
    from the job's day; a revoked record, another subject's and an entry in force are left."""
    entry = ListEntryFactory(
        list=ListDefinitionFactory(kind=ListKind.BLACK, recognizing_department=department),
        effective=True,
    )  # fmt: skip
    live = ListEntryFactory(list=entry.list, effective=True,
                            decision_document_number="浙市监〔2026〕77号")  # fmt: skip
    imported(tmp_path, department, [row(entry, "serious-dishonesty"),
                                    row(live, "serious-dishonesty")])  # fmt: skip
    # The exit as a concurrent one leaves it: the entry ended, its record untouched.
    type(entry).objects.filter(pk=entry.pk).update(
        state=EntryState.EXITED, exit_reason=ExitReason.CORRECTED, exited_on=D(2026, 11, 23)
    )
    assert end_record_publication(D(2026, 11, 22)).changed == 0  # before the exit: nothing
    report = end_record_publication(D(2026, 11, 24))
    assert (report.entry_records_publication_ended, report.entry_records_sharing_stopped) == (1, 1)
    assert stops(entry) == (IMPORTED, D(2026, 11, 24), D(2026, 11, 24))
    assert stops(live) == (IMPORTED, None, None)
    assert end_record_publication(D(2026, 11, 25)).changed == 0


def test_a_reinstatement_undoes_the_daily_jobs_stop_too(tmp_path, department):
    """The daily job's stop of a missed record is the exit's as much as the exit's own: the red
    entry put back in force has its record public and shared again (R6, 000 §十一.3)."""
    red = ListEntryFactory(
        list=ListDefinitionFactory(kind=ListKind.RED, recognizing_department=department),
        effective=True, decision_document_number="浙市监信认〔2026〕47号",
    )  # fmt: skip
    imported(tmp_path, department, [row(red, "contract-honour")], day=D(2026, 10, 30))
    black = ListEntryFactory(
        subject=red.subject, list=ListDefinitionFactory(kind=ListKind.BLACK),
        awaiting_signature=True,
    )  # fmt: skip
    officer = OfficerFactory(department=black.list.recognizing_department, signer=True).user
    with clock.frozen(D(2026, 11, 2)):
        services.sign_decision(black.pk, actor=officer)
    # As if the exit had missed it: the record public again, until the daily job finds it.
    CreditRecord.objects.filter(subject=red.subject).update(
        publication_ended_on=None, sharing_stopped_on=None
    )
    end_record_publication(D(2026, 11, 4))
    assert stops(red) == (D(2026, 10, 30), D(2026, 11, 4), D(2026, 11, 4))
    with clock.frozen(D(2026, 11, 16)):
        services.exit_entry(black.pk, actor=officer, reason=ExitReason.CORRECTED, note="有误")
    assert stops(red) == (D(2026, 10, 30), None, None) and shared(red, D(2026, 11, 16))
