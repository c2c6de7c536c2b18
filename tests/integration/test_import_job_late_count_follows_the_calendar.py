"""An import job's count of records published late rests on the holiday schedule (R9, R15): it
is marked provisional while a year it depends on has no notice loaded, and counted again from
the job's records when the notice is, so that it agrees with the records and the timeliness."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory, OfficerFactory
from xinyong.catalog import selectors, services
from xinyong.catalog.models import ImportJob, RecordFormat
from xinyong.catalog.receivers import recompute_publication_deadlines
from xinyong.core import clock

pytestmark = pytest.mark.django_db
D = dt.date
MARKED = 'data-field="late-provisional"'


@pytest.fixture
def department():
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    return DepartmentFactory(code="hz-scjg")


@pytest.fixture
def officer(department) -> Client:
    client = Client()
    client.force_login(OfficerFactory(department=department).user)
    return client


def _import(tmp_path, department, decided: list[str], *, today: dt.date) -> ImportJob:
    rows = [samples.penalty(n, CF_JDRQ=day) for n, day in enumerate(decided, start=1)]
    path = samples.write_csv(tmp_path / f"{today}.csv", samples.PENALTY_FIELDS, rows)
    with clock.frozen(today):
        return services.import_file(actor="t", kind="penalties", path=path, department=department)


def _load_2027(tmp_path) -> None:
    """2027's notice, giving Monday 01-04 off besides New Year's Day."""
    notice = tmp_path / "2027.csv"
    notice.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,元旦\n", encoding="utf-8"
    )
    call_command("calendar", "load", str(notice), stdout=io.StringIO())


def _seen(officer: Client, job: ImportJob) -> tuple[dict, str, str]:
    with clock.frozen(D(2027, 1, 20)):
        answer = officer.get(f"/api/v1/imports/{job.pk}").json()
        page = officer.get(f"/office/imports/{job.pk}/").content.decode()
        listing = officer.get("/office/imports/").content.decode()
    return answer, page, listing


def test_the_late_count_is_provisional_until_the_notice_and_then_counted_again(
    tmp_path, department, officer
):
    """Decided 2026-12-28, collected 2027-01-08 before 2027's notice: due 01-07 as far as is
    known, 1 day late; with 01-04 off per the notice, due 01-08 and on time (R9, R15)."""
    job = _import(tmp_path, department, ["2026-12-28", "2026-06-01"], today=D(2027, 1, 8))
    answer, page, _ = _seen(officer, job)
    assert (answer["published_late"], answer["published_late_provisional"]) == (2, True)
    assert MARKED in page

    _load_2027(tmp_path)

    job.refresh_from_db()
    assert job.late == 1  # the June decision is late whatever 2027's days off
    answer, page, _ = _seen(officer, job)
    assert (answer["published_late"], answer["published_late_provisional"]) == (1, False)
    assert MARKED not in page
    december = next(row for row in selectors.timeliness() if row["month"] == "2026-12")
    assert december["late"] == 0


def test_a_job_on_known_days_is_final_and_keeps_its_count(tmp_path, department, officer):
    _load_2027(tmp_path)
    job = _import(tmp_path, department, ["2027-03-01", "2027-03-10"], today=D(2027, 3, 12))
    answer, page, listing = _seen(officer, job)
    assert (answer["published_late"], answer["published_late_provisional"]) == (1, False)
    assert MARKED not in page and MARKED not in listing
    _load_2027(tmp_path)  # loaded again, unchanged
    job.refresh_from_db()
    assert job.late == 1


def test_the_jobs_list_marks_a_provisional_late_count(tmp_path, department, officer):
    _import(tmp_path, department, ["2026-12-28"], today=D(2027, 1, 8))
    _, _, listing = _seen(officer, ImportJob.objects.get())
    assert MARKED in listing


def _revoke(department, document_number: str, *, on: dt.date) -> None:
    """R6: the subject objects to the record, the department finds it founded and revokes it."""
    from tests.factories import UserFactory
    from xinyong.access.models import SubjectAccount
    from xinyong.catalog.models import CreditRecord
    from xinyong.remedies import record_objections
    from xinyong.remedies.record_objections import Finding

    wrong = CreditRecord.objects.get(document_number=document_number, revoked_on__isnull=True)
    account = UserFactory()
    SubjectAccount.objects.create(user=account, subject=wrong.subject)
    with clock.frozen(on):
        objection = record_objections.object_to_record(wrong.pk, actor=account, grounds="金额有误")
        record_objections.decide(
            objection.pk, actor=OfficerFactory(department=department).user,
            finding=Finding.FOUNDED, statement="罚款金额有误，予以撤销", outcome="revoke",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("first_collected", "first_late"), [(D(2026, 11, 5), 0), (D(2026, 11, 20), 1)]
)
def test_a_decision_sent_again_after_its_revocation_is_not_late_in_its_job(
    tmp_path, department, first_collected, first_late
):
    """The right decision sent in place of a revoked one (same number, subject and decision
    date) is the decision first published in an earlier job, which counted it, late or not:
    the job that corrects it does not count it late (R9), when it runs or when the schedule
    changes and the jobs are counted again (R15). Decision 2, sent with it, is late."""
    first = _import(tmp_path, department, ["2026-11-02"], today=first_collected)
    assert first.late == first_late
    _revoke(department, samples.penalty(1)["CF_WSH"], on=D(2026, 11, 24))
    rows = [samples.penalty(1, CF_NR="罚款人民币伍仟元", CF_NR_FK="0.5"), samples.penalty(2)]
    path = samples.write_csv(tmp_path / "again.csv", samples.PENALTY_FIELDS, rows)
    with clock.frozen(D(2026, 11, 25)):
        again = services.import_file(actor="t", kind="penalties", path=path, department=department)
    assert (again.inserted, again.late) == (2, 1)
    with transaction.atomic():  # as a calendar load calls it
        recompute_publication_deadlines(None, years=[2026])
    first.refresh_from_db()
    again.refresh_from_db()
    assert (first.late, again.late) == (first_late, 1)
