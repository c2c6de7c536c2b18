"""A decision's document number written another way is the same decision (R9, R4, issue 5 §3).

Exports write the year's brackets in several kinds (〔〕 [] 【】 （） ［］ ﹝﹞) and digits
full-width. A record stores the number's canonical form, and a list entry keeps it as its
decision's key beside the number as written (``core.document_numbers``), so that the
department sending its decision again adds nothing, another department's copy is recorded by
the first, and an ended listing's decision sent again stays stopped. The record's content
keeps the cell as the department wrote it, and pages show that; a list entry publishes its
number as written (a court's case number keeps its （）, 案号).
"""

import datetime as dt

import pytest

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.factories import (
    CatalogItemFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    make_uscc,
)
from xinyong.catalog import listing_records, selectors, services
from xinyong.catalog.models import CreditRecord, InfoKind, RecordFormat
from xinyong.core import clock
from xinyong.listings import services as listings
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.portal.double_publicity import public_on

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
REGULATOR = samples.AUTHORITY
NUMBER = "杭市监处罚〔2026〕1号"  # ``samples.penalty(1)``'s
WRITTEN_OTHERWISE = ["杭市监处罚[2026]1号", "杭市监处罚（2026）1号", "杭市监处罚〔２０２６〕1号",
                     "杭市监处罚【2026】1号", "杭市监处罚 ( 2026 ) 1号"]  # fmt: skip


@pytest.fixture(autouse=True)
def business_date():
    with clock.frozen(TODAY):
        yield


regulator, centre = imports.regulator, imports.centre  # the shared fixtures


@pytest.fixture(autouse=True)
def items():
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip


def send(tmp_path, department, rows, *, name="p.csv"):
    path = samples.write_csv(tmp_path / name, samples.PENALTY_FIELDS, rows)
    return services.import_file(actor="t", kind="penalties", path=path, department=department)


def counted(job):
    return (job.rows_done, job.accepted, job.inserted, job.already_recorded, job.quarantined)


def told(job):
    return {row.row_number: [r["code"] for r in row.reasons] for row in job.report_rows.all()}


@pytest.fixture
def recorded(tmp_path, regulator):
    job = send(tmp_path, regulator, [samples.penalty(1)], name="own.csv")
    assert job.inserted == 1
    return CreditRecord.objects.get()


@pytest.mark.parametrize("written", WRITTEN_OTHERWISE)
def test_the_department_sending_it_again_written_otherwise_adds_nothing(
    tmp_path, regulator, recorded, written
):
    job = send(tmp_path, regulator, [samples.penalty(1, CF_WSH=written)])
    assert counted(job) == (1, 1, 0, 1, 0)
    assert list(CreditRecord.objects.values_list("pk", "document_number")) == [
        (recorded.pk, NUMBER)
    ]


def test_written_otherwise_in_one_file_is_a_duplicate_row(tmp_path, regulator):
    rows = [samples.penalty(1)] + [samples.penalty(1, CF_WSH=w) for w in WRITTEN_OTHERWISE]
    job = send(tmp_path, regulator, rows)
    assert (job.inserted, job.quarantined) == (1, len(WRITTEN_OTHERWISE))
    assert set(map(tuple, told(job).values())) == {("duplicate-in-file",)}
    assert CreditRecord.objects.count() == 1


def test_another_number_is_another_decision(tmp_path, regulator, recorded):
    rows = [samples.penalty(1, CF_WSH="杭市监处罚[2026]11号"),
            samples.penalty(1, CF_WSH="杭市监处罚[2025]1号")]  # fmt: skip
    assert send(tmp_path, regulator, rows).inserted == 2


@pytest.mark.parametrize("written", WRITTEN_OTHERWISE)
def test_another_departments_copy_written_otherwise_is_recorded_by_the_first(
    tmp_path, centre, recorded, written
):
    job = send(tmp_path, centre, [samples.penalty(1, CF_WSH=written)])
    assert counted(job) == (1, 1, 0, 1, 0)
    assert told(job) == {1: ["recorded-by-another-department"]}
    assert CreditRecord.objects.count() == 1


def test_the_number_is_shown_as_the_department_wrote_it(tmp_path, regulator):
    send(tmp_path, regulator, [samples.penalty(1, CF_WSH="杭市监处罚[2026]1号")])
    record = CreditRecord.objects.get()
    assert record.document_number == NUMBER
    assert record.shown_document_number == "杭市监处罚[2026]1号"
    assert record.content["CF_WSH"] == "杭市监处罚[2026]1号"


# An ended black listing's decision, stopped with its entry, sent again with other brackets.

RECORD_HEADER = ["ITEM", "SUBJECT_NAME", "SUBJECT_KIND", "USCC", "DOCUMENT_NUMBER",
                 "DECISION_DATE", "ISSUING_BODY"]  # fmt: skip
LISTED = "浙市监信列〔2025〕43号"
EXITED = dt.date(2026, 11, 10)


@pytest.fixture
def black_entry(regulator):
    CatalogItemFactory(code="serious-dishonesty", info_kind=InfoKind.SERIOUS_DISHONESTY,
                       provider=None, publication_months_max=36)  # fmt: skip
    return ListEntryFactory(
        list=ListDefinitionFactory(kind=ListKind.BLACK, recognizing_department=regulator),
        subject__identifier=make_uscc(1), state=EntryState.EXITED, exited_on=EXITED,
        decision_document_number=LISTED, effective_on=dt.date(2025, 11, 3),
    )  # fmt: skip


def send_listing(tmp_path, department, entry, number, name):
    row = {
        "ITEM": "serious-dishonesty", "SUBJECT_NAME": entry.subject.name, "SUBJECT_KIND": "法人",
        "USCC": entry.subject.identifier, "DOCUMENT_NUMBER": number,
        "DECISION_DATE": "2025-11-03", "ISSUING_BODY": REGULATOR,
    }  # fmt: skip
    path = samples.write_csv(tmp_path / name, RECORD_HEADER, [row])
    return services.import_file(actor="t", kind="records", path=path, department=department)


def public_or_shared(entry):
    of_subject = CreditRecord.objects.filter(subject=entry.subject)
    return (of_subject.filter(public_on(TODAY)).count(),
            of_subject.filter(selectors.shared_on(TODAY)).count())  # fmt: skip


def test_the_listings_own_decision_written_otherwise_arrives_stopped(
    tmp_path, regulator, black_entry
):
    job = send_listing(tmp_path, regulator, black_entry, "浙市监信列[2025]43号", "own.csv")
    assert job.inserted == 1
    record = CreditRecord.objects.get()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (EXITED, EXITED)
    assert public_or_shared(black_entry) == (0, 0)


@pytest.mark.parametrize("written", ["浙市监信列[2025]43号", "浙市监信列（２０２５）43号"])
def test_an_ended_listings_decision_sent_on_written_otherwise_stays_stopped(
    tmp_path, regulator, centre, black_entry, written
):
    assert send_listing(tmp_path, regulator, black_entry, LISTED, "own.csv").inserted == 1
    job = send_listing(tmp_path, centre, black_entry, written, "centre.csv")
    assert counted(job) == (1, 1, 0, 1, 0)
    assert CreditRecord.objects.count() == 1
    assert public_or_shared(black_entry) == (0, 0)
    listing_records.stop_missed(TODAY)  # the daily job finds nothing left either
    assert public_or_shared(black_entry) == (0, 0)


def test_a_decision_signed_under_a_number_written_otherwise_keeps_it_and_its_key(regulator):
    definition = ListDefinitionFactory(kind=ListKind.BLACK, recognizing_department=regulator,
                                       validity_value=3)  # fmt: skip
    signer = OfficerFactory(department=regulator, signer=True).user
    entry = ListEntryFactory(list=definition, awaiting_signature=True)
    with clock.frozen(dt.date(2026, 10, 27)):
        signed = listings.sign_decision(
            entry.pk, actor=signer, decision_document_number=" 浙市监信列［２０２６］7号 "
        )
    assert signed.decision_document_number == "浙市监信列［２０２６］7号"
    signed.refresh_from_db()
    assert signed.decision_number_key == "浙市监信列〔2026〕7号"


# A court's case number (案号) is published with its （）, and still finds its records.

CASE_NUMBER = "（2026）浙0106执123号"
SIGNED, EXITED_ON = dt.date(2026, 11, 2), dt.date(2026, 11, 10)


@pytest.fixture
def court_entry(regulator):
    """A black entry signed under a case number; the regulator stands for the court."""
    CatalogItemFactory(code="serious-dishonesty", info_kind=InfoKind.SERIOUS_DISHONESTY,
                       provider=None, publication_months_max=36)  # fmt: skip
    definition = ListDefinitionFactory(kind=ListKind.BLACK, recognizing_department=regulator,
                                       validity_value=3)  # fmt: skip
    entry = ListEntryFactory(list=definition, awaiting_signature=True,
                             subject__identifier=make_uscc(1))  # fmt: skip
    signer = OfficerFactory(department=regulator, signer=True).user
    with clock.frozen(SIGNED):
        return listings.sign_decision(entry.pk, actor=signer, decision_document_number=CASE_NUMBER)


def court_record(tmp_path, department, entry, number, name):
    row = {
        "ITEM": "serious-dishonesty", "SUBJECT_NAME": entry.subject.name, "SUBJECT_KIND": "法人",
        "USCC": entry.subject.identifier, "DOCUMENT_NUMBER": number,
        "DECISION_DATE": SIGNED.isoformat(), "ISSUING_BODY": REGULATOR,
    }  # fmt: skip
    path = samples.write_csv(tmp_path / name, RECORD_HEADER, [row])
    return services.import_file(actor="t", kind="records", path=path, department=department)


def exit_court_entry(entry, department):
    officer = OfficerFactory(department=department).user
    with clock.frozen(EXITED_ON):
        listings.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED)


def test_a_case_number_is_published_with_its_brackets_as_the_court_wrote_it(court_entry):
    from xinyong.listings.decision_records import Announcement

    assert court_entry.decision_document_number == CASE_NUMBER
    document = court_entry.events.get(action="sign").data["decision_document"]
    announcement = Announcement.objects.get(entry=court_entry, kind=Announcement.Kind.DECISION)
    for text in (document, announcement.body):
        assert CASE_NUMBER in text
        assert "〔2026〕浙0106执123号" not in text


@pytest.mark.parametrize("written", ["〔2026〕浙0106执123号", "[2026]浙0106执123号"])
def test_a_case_numbers_record_sent_otherwise_stops_on_the_exit(
    tmp_path, regulator, court_entry, written
):
    with clock.frozen(SIGNED + dt.timedelta(days=1)):
        assert court_record(tmp_path, regulator, court_entry, written, "own.csv").inserted == 1
    exit_court_entry(court_entry, regulator)
    record = CreditRecord.objects.get()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (EXITED_ON, EXITED_ON)
    assert public_or_shared(court_entry) == (0, 0)


@pytest.mark.parametrize("written", ["〔2026〕浙0106执123号", "[2026]浙0106执123号"])
def test_a_case_numbers_record_sent_otherwise_after_the_exit_arrives_stopped(
    tmp_path, regulator, court_entry, written
):
    exit_court_entry(court_entry, regulator)
    assert court_record(tmp_path, regulator, court_entry, written, "own.csv").inserted == 1
    record = CreditRecord.objects.get()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (EXITED_ON, EXITED_ON)
    assert public_or_shared(court_entry) == (0, 0)


@pytest.mark.parametrize("written", ["杭市监处罚[2026]1号", "杭市监处罚（２０２６）1号"])
def test_a_revoked_decision_sent_again_written_otherwise_stays_revoked(
    tmp_path, regulator, centre, recorded, written
):
    """The revoked decision's statement compares its number as the identity does (R6)."""
    from tests.integration.test_ingest_import import revoke_on_founded_objection

    revoke_on_founded_objection(recorded, regulator)
    for department in (regulator, centre):
        job = send(tmp_path, department, [samples.penalty(1, CF_WSH=written)],
                   name=f"{department.code}.csv")  # fmt: skip
        assert counted(job) == (1, 1, 0, 1, 0)
    assert list(CreditRecord.objects.values_list("pk", flat=True)) == [recorded.pk]
    assert not CreditRecord.objects.filter(revoked_on__isnull=True).exists()
