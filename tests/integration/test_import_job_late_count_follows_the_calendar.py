"""An import job's count of records published late rests on the holiday schedule (R9, R15): it
is marked provisional while a year it depends on has no notice loaded, and counted again from
the job's records when the notice is, so that it agrees with the records and the timeliness."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory, OfficerFactory
from xinyong.catalog import selectors, services
from xinyong.catalog.models import ImportJob, RecordFormat
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
