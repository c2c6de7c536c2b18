"""A listing decision on the platform only as another department's copy stops and resumes with
its entry (R4, R6, 000 §十.3, §十一.3; ADR 6).

The provincial credit centre forwarded the regulator's black-list decision; the regulator never
sent its own record. That copy is the entry's decision all the same: the entry's document
number, subject and recognizing department as the issuing body (by its code where both give a
valid one, else by its folded name), the decision dated the day the entry took effect, under
the list's catalog item where the list names one. It stops when the entry ends, arrives
stopped after the exit, is stopped by the daily job when missed, and resumes on
reinstatement. Another subject, number, body or date is another decision, and stays."""

import datetime as dt

import pytest

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.factories import (
    CatalogItemFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    make_uscc,
)
from xinyong.catalog import listing_records, services
from xinyong.catalog.models import CreditRecord, InfoKind
from xinyong.core import clock
from xinyong.listings.models import EntryState, ListKind

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
EXITED = dt.date(2026, 11, 10)
REGULATOR = samples.AUTHORITY  # 杭州市市场监督管理局, the decision maker
HEADER = ["ITEM", "SUBJECT_NAME", "SUBJECT_KIND", "USCC", "DOCUMENT_NUMBER", "DECISION_DATE",
          "ISSUING_BODY"]  # fmt: skip


@pytest.fixture(autouse=True)
def business_date():
    with clock.frozen(TODAY):
        yield


regulator, centre = imports.regulator, imports.centre  # the shared fixtures


@pytest.fixture
def black_entry(regulator):
    """The regulator's black-list entry of subject 1, decided on 11-02 under 杭市监信〔2026〕1号,
    published under the serious-dishonesty item."""
    item = CatalogItemFactory(code="serious-dishonesty", info_kind=InfoKind.SERIOUS_DISHONESTY,
                              provider=None, publication_months_max=36)  # fmt: skip
    CatalogItemFactory(code="other-item", info_kind=InfoKind.SERIOUS_DISHONESTY, provider=None,
                       publication_months_max=36)  # fmt: skip
    return ListEntryFactory(
        list=ListDefinitionFactory(
            kind=ListKind.BLACK, recognizing_department=regulator, catalog_item=item
        ),
        subject__identifier=make_uscc(1), state=EntryState.EFFECTIVE,
        decision_document_number="杭市监信〔2026〕1号", effective_on=dt.date(2026, 11, 2),
    )  # fmt: skip


def forward(tmp_path, centre, entry, **changes):
    """The centre sends the entry's decision on (as it states it, but for ``changes``)."""
    row = {
        "ITEM": "serious-dishonesty", "SUBJECT_NAME": entry.subject.name, "SUBJECT_KIND": "法人",
        "USCC": entry.subject.identifier, "DOCUMENT_NUMBER": entry.decision_document_number,
        "DECISION_DATE": "2026-11-02", "ISSUING_BODY": REGULATOR, **changes,
    }  # fmt: skip
    path = samples.write_csv(tmp_path / f"centre-{len(changes)}.csv", HEADER, [row])
    job = services.import_file(actor="t", kind="records", path=path, department=centre)
    assert job.inserted == 1
    return CreditRecord.objects.get(import_job=job)


def stops(record):
    record.refresh_from_db()
    return (record.publication_ended_on, record.sharing_stopped_on)


def decision(entry, exited_on=EXITED):
    return listing_records.Decision(
        entry.list.recognizing_department_id, entry.decision_document_number, entry.subject_id,
        exited_on,
    )  # fmt: skip


def exited(entry, on=EXITED):
    entry.state, entry.exited_on = EntryState.EXITED, on
    entry.save(update_fields=["state", "exited_on"])


def test_the_only_copy_stops_on_exit_and_resumes_on_reinstatement(tmp_path, centre, black_entry):
    copy = forward(tmp_path, centre, black_entry)
    assert copy.published_on is not None and stops(copy) == (None, None)
    assert listing_records.stop_records([decision(black_entry)]) == 2
    assert stops(copy) == (EXITED, EXITED)
    assert listing_records.resume_records(decision(black_entry), TODAY) == [copy.pk]
    assert stops(copy) == (None, None)


@pytest.mark.parametrize(
    "changes",
    [
        {"ISSUING_BODY": "杭州市生态环境局"},  # another body's decision under the number
        {"DECISION_DATE": "2026-11-03"},  # another day: not the decision the entry took
        {"ITEM": "other-item"},  # not the list's item
        {"DOCUMENT_NUMBER": "杭市监信〔2026〕2号"},
        {"ISSUING_BODY": "无"},  # a placeholder identifies no body
    ],
)
def test_another_decision_stays(tmp_path, centre, black_entry, changes):
    other = forward(tmp_path, centre, black_entry, **changes)
    listing_records.stop_records([decision(black_entry)])
    exited(black_entry)
    listing_records.stop_missed(TODAY)
    assert stops(other) == (None, None)


def test_another_subjects_decision_under_the_number_stays(tmp_path, centre, black_entry):
    other = ListEntryFactory(subject__identifier=make_uscc(2), state=EntryState.EFFECTIVE,
                             decision_document_number="x")  # fmt: skip
    record = forward(tmp_path, centre, black_entry, USCC=other.subject.identifier,
                     SUBJECT_NAME=other.subject.name)  # fmt: skip
    listing_records.stop_records([decision(black_entry)])
    assert stops(record) == (None, None)


def test_the_body_by_its_folded_name(tmp_path, centre, black_entry):
    copy = forward(tmp_path, centre, black_entry, ISSUING_BODY="杭州市 市場監督管理局")
    listing_records.stop_records([decision(black_entry)])
    assert stops(copy) == (EXITED, EXITED)


def test_the_copy_arriving_after_the_exit_arrives_stopped(tmp_path, centre, black_entry):
    exited(black_entry)
    copy = forward(tmp_path, centre, black_entry)
    assert stops(copy) == (EXITED, EXITED)


def test_another_decision_arriving_after_the_exit_stays(tmp_path, centre, black_entry):
    exited(black_entry)
    other = forward(tmp_path, centre, black_entry, DECISION_DATE="2026-11-03")
    assert stops(other) == (None, None)


def test_the_daily_job_stops_the_only_copy_missed(tmp_path, centre, black_entry):
    copy = forward(tmp_path, centre, black_entry)
    exited(black_entry)
    assert listing_records.stop_missed(TODAY) == (1, 1)
    assert stops(copy) == (TODAY, TODAY)
    assert listing_records.stop_missed(TODAY) == (0, 0)  # a second run finds nothing


def test_the_departments_own_record_decides_when_there_is_one(
    tmp_path, regulator, centre, black_entry
):
    """With the regulator's own record, the copies are its record's (its date, its item), as
    before: a copy dated otherwise than the entry's effective day still follows it."""
    copy = forward(tmp_path, centre, black_entry, DECISION_DATE="2026-11-01")
    row = {
        "ITEM": "serious-dishonesty", "SUBJECT_NAME": black_entry.subject.name,
        "SUBJECT_KIND": "法人", "USCC": black_entry.subject.identifier,
        "DOCUMENT_NUMBER": black_entry.decision_document_number, "DECISION_DATE": "2026-11-01",
        "ISSUING_BODY": REGULATOR,
    }  # fmt: skip
    path = samples.write_csv(tmp_path / "own.csv", HEADER, [row])
    assert services.import_file(actor="t", kind="records", path=path,
                                department=regulator).inserted == 1  # fmt: skip
    listing_records.stop_records([decision(black_entry)])
    assert stops(copy) == (EXITED, EXITED)
