"""A list decision's record imported while an exit of its entry commits stops with the entry:
at once when one of the two sees the other, else on the daily job's next run, from that day
(R4, R8, 000 §十.3; PostgreSQL's row locks, ``listing_records.stop_missed``).

Neither side waits for the other: a chunk naming a red entry and the black entry that ended it,
stored while an officer corrects that black listing (which takes the black entry, then the red
one to restore it, R2, R6), must not deadlock with it."""

import datetime as dt

import pytest
from django.db import connection  # noqa: F401 (read by the skipif condition)

from tests.data.ingest import samples
from tests.factories import (
    CatalogItemFactory,
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
)
from tests.races import first_then, race
from xinyong.catalog import services as catalog
from xinyong.catalog.models import CreditRecord, ImportJob, InfoKind
from xinyong.catalog.tick import end_record_publication
from xinyong.listings import services
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
D = dt.date
TODAY = D(2026, 10, 27)  # the day ``race`` runs its calls on
NEXT_DAY = D(2026, 10, 28)
HEADER = ["ITEM", "SUBJECT_NAME", "SUBJECT_KIND", "USCC", "DOCUMENT_NUMBER", "DECISION_DATE",
          "ISSUING_BODY", "VALID_UNTIL"]  # fmt: skip


@pytest.fixture
def department():
    department = DepartmentFactory(code="zj-scjg", name="浙江省市场监督管理局")
    CatalogItemFactory(code="contract-honour", info_kind=InfoKind.HONOUR, provider=department,
                       publication_months_max=24)  # fmt: skip
    return department


def _red(department, **fields):
    return ListEntryFactory(
        list=ListDefinitionFactory(kind=ListKind.RED, recognizing_department=department),
        decision_document_number="浙市监信认〔2026〕47号", effective_on=D(2026, 9, 1), **fields,
    )  # fmt: skip


def _import(tmp_path, department, *entries):
    path = samples.write_csv(tmp_path / "honours.csv", HEADER, [{
        "ITEM": "contract-honour", "SUBJECT_NAME": e.subject.name, "SUBJECT_KIND": "法人",
        "USCC": e.subject.identifier, "DOCUMENT_NUMBER": e.decision_document_number,
        "DECISION_DATE": "2026-09-01", "ISSUING_BODY": "浙江省市场监督管理局",
    } for e in entries])  # fmt: skip
    return lambda: catalog.import_file(actor="t", kind="records", path=path, department=department)


def _stops(entry):
    record = CreditRecord.objects.get(
        document_number=entry.decision_document_number, subject=entry.subject
    )
    return record.publication_ended_on, record.sharing_stopped_on


@pytest.mark.parametrize("exit_first", [True, False])
def test_a_record_stored_as_its_entry_exits_stops_by_the_next_daily_run(
    tmp_path, department, exit_first
):
    entry = _red(department, effective=True)
    officer = OfficerFactory(department=department).user
    exit_ = lambda: services.exit_entry(entry.pk, actor=officer, reason=ExitReason.REQUESTED)  # noqa: E731
    store = _import(tmp_path, department, entry)
    outcomes = race(*first_then(exit_, store) if exit_first else first_then(store, exit_))
    assert outcomes == ["ok", "ok"]
    stops = _stops(entry)
    # Seen by one side: stopped from the exit day. Missed by both: public until the daily job.
    assert stops in {(TODAY, TODAY), (None, None)}
    report = end_record_publication(NEXT_DAY)
    assert _stops(entry) == (stops if stops[0] else (NEXT_DAY, NEXT_DAY))
    assert report.entry_records_publication_ended == (0 if stops[0] else 1)
    assert end_record_publication(NEXT_DAY).changed == 0  # a second run finds nothing


def test_a_chunk_and_the_correction_of_a_black_listing_do_not_deadlock(tmp_path, department):
    """The red entry ended by the black listing (R2) and the black entry's decision come in one
    chunk while an officer corrects the black listing, which restores the red entry (R6)."""
    red = _red(department, state=EntryState.EXITED, exit_reason=ExitReason.BLACKLISTED,
               exited_on=D(2026, 10, 20), valid_until=D(2029, 8, 31))  # fmt: skip
    black = ListEntryFactory(
        subject=red.subject, effective=True, effective_on=D(2026, 10, 20),
        list=ListDefinitionFactory(kind=ListKind.BLACK, recognizing_department=department),
        decision_document_number="浙市监信认〔2026〕48号",
    )  # fmt: skip
    officer = OfficerFactory(department=department).user

    def hold_black():
        list(ListEntry.objects.select_for_update().filter(pk=black.pk))

    def correct():
        services.exit_entry(black.pk, actor=officer, reason=ExitReason.CORRECTED, note="核实有误")

    outcomes = race(*first_then(hold_black, _import(tmp_path, department, red, black),
                                after=correct))  # fmt: skip
    assert outcomes == ["ok", "ok"]
    assert ImportJob.objects.get().status == "done"
    black.refresh_from_db()
    assert black.exit_reason == ExitReason.CORRECTED
    end_record_publication(NEXT_DAY)
    assert _stops(black)[1] in {TODAY, NEXT_DAY}
