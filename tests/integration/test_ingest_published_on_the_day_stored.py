"""A record is public from the day its row was stored, not the day its import job opened: a job
killed and resumed days later, or a chunk committed after midnight, stamps each chunk with the
business day it commits on and counts its lateness then; the command line cannot date an
import in the past (R9, R15; issue: "publication", "timeliness").

Decided Monday 2026-11-02, a penalty is due to be public by Wednesday 11-11 (7 working days).
"""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory, OfficerFactory
from xinyong.catalog import selectors, services
from xinyong.catalog.models import CreditRecord, ImportJob, ImportStatus, RecordFormat
from xinyong.core import clock

pytestmark = pytest.mark.django_db
D = dt.date
DUE = D(2026, 11, 11)


@pytest.fixture
def department():
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    return DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)


class Interrupted(Exception):
    """Stands for the process being killed right after a chunk committed."""


def stop(job, position):
    raise Interrupted


def run(path, department, **options):
    return services.import_file(actor="t", kind="penalties", path=path, department=department,
                                **options)  # fmt: skip


def stamped():
    return list(
        CreditRecord.objects.order_by("import_row").values_list(
            "import_row", "published_on", "workdays_late"
        )
    )


def test_a_job_resumed_days_later_stamps_the_rows_it_stores_then(tmp_path, department):
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS,
                             [samples.penalty(n) for n in range(1, 7)])  # fmt: skip
    with clock.frozen(D(2026, 11, 10)), pytest.raises(Interrupted):
        run(path, department, chunk_rows=3, on_progress=stop)
    with clock.frozen(D(2026, 11, 25)):
        job = run(path, department, chunk_rows=3)
    assert (job.status, job.runs, job.business_date) == (ImportStatus.DONE, 2, D(2026, 11, 10))
    # 11-12 to 11-25: ten working days after the due day.
    first, resumed = [(D(2026, 11, 10), 0)] * 3, [(D(2026, 11, 25), 10)] * 3
    assert [row[1:] for row in stamped()] == first + resumed
    assert (job.inserted, job.late, job.last_collected_on) == (6, 3, D(2026, 11, 25))
    november = selectors.timeliness(department)[0]
    assert (november["total"], november["on_time"], november["late"]) == (6, 3, 3)
    client = Client()
    client.force_login(OfficerFactory(department=department).user)
    with clock.frozen(D(2026, 11, 25)):
        answer = client.get(f"/api/v1/imports/{job.pk}").json()
        page = client.get(f"/office/imports/{job.pk}/").content.decode()
    assert (answer["business_date"], answer["last_collected_on"]) == ("2026-11-10", "2026-11-25")
    assert (answer["published_late"], answer["inserted"]) == (3, 6)
    assert '<dd data-field="last-collected-on">2026-11-25</dd>' in page and "最后入库日期" in page


def test_a_chunk_committed_after_midnight_is_stamped_with_the_new_day(
    tmp_path, department, monkeypatch
):
    """The business clock moves while the import runs: the chunk committed on the due day is on
    time, the one committed the day after is late by a working day."""
    monkeypatch.setenv("XINYONG_TODAY", DUE.isoformat())
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS,
                             [samples.penalty(n) for n in range(1, 5)])  # fmt: skip

    def midnight(job, position):
        monkeypatch.setenv("XINYONG_TODAY", (DUE + dt.timedelta(days=1)).isoformat())

    job = run(path, department, chunk_rows=2, on_progress=midnight)
    assert stamped() == [(1, DUE, 0), (2, DUE, 0), (3, DUE + dt.timedelta(1), 1),
                         (4, DUE + dt.timedelta(1), 1)]  # fmt: skip
    assert (job.business_date, job.last_collected_on, job.late) == (DUE, DUE + dt.timedelta(1), 2)


def test_a_window_over_by_the_day_a_chunk_commits_is_never_shown(tmp_path, department, monkeypatch):
    """A licence valid until the day the run starts is shown if stored that day; stored the
    day after, its window is over: never public, its sharing stopped (R8, R9)."""
    CatalogItemFactory(code="administrative-licence", record_format=RecordFormat.LICENCE,
                       provider=None)  # fmt: skip
    monkeypatch.setenv("XINYONG_TODAY", "2026-11-20")
    rows = [samples.licence(n, XK_YXQZI="2026-11-20") for n in (1, 2)]
    path = samples.write_csv(tmp_path / "l.csv", samples.LICENCE_FIELDS, rows)

    def midnight(job, position):
        monkeypatch.setenv("XINYONG_TODAY", "2026-11-21")

    services.import_file(actor="t", kind="licences", path=path, department=department,
                         chunk_rows=1, on_progress=midnight)  # fmt: skip
    shown, over = CreditRecord.objects.order_by("import_row")
    assert (shown.published_on, shown.publication_ended_on) == (D(2026, 11, 20), None)
    assert (over.published_on, over.publication_ended_on) == (None, None)
    assert over.sharing_stopped_on == D(2026, 11, 21)


def test_a_resumed_jobs_late_count_follows_the_notice_of_the_year_it_was_resumed_in(
    tmp_path, department
):
    """Opened in November 2026, resumed on 2027-01-08 with a decision of 2026-12-28: its late
    count rests on 2027's days off, provisional until that notice, then counted again (R15)."""
    rows = [samples.penalty(1), samples.penalty(2, CF_JDRQ="2026-12-28")]
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)
    with clock.frozen(D(2026, 11, 10)), pytest.raises(Interrupted):
        run(path, department, chunk_rows=1, on_progress=stop)
    # The December decision is in the future on 11-10: the job resumes after the new year.
    with clock.frozen(D(2027, 1, 8)):
        job = run(path, department, chunk_rows=1)
    assert (job.late, job.quarantined) == (1, 0)  # due 01-07 as far as is known
    client = Client()
    client.force_login(OfficerFactory(department=department).user)
    with clock.frozen(D(2027, 1, 20)):
        assert client.get(f"/api/v1/imports/{job.pk}").json()["published_late_provisional"]
    notice = tmp_path / "2027.csv"
    notice.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,元旦\n", encoding="utf-8"
    )
    call_command("calendar", "load", str(notice), stdout=io.StringIO())
    job.refresh_from_db()
    assert job.late == 0  # with 01-04 off, due 01-08: on time
    with clock.frozen(D(2027, 1, 20)):
        answer = client.get(f"/api/v1/imports/{job.pk}").json()
    assert (answer["published_late"], answer["published_late_provisional"]) == (0, False)


def test_the_command_refuses_a_business_date_before_today(tmp_path, department):
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, [samples.penalty(1)])

    def command(*options):
        call_command("import", "penalties", str(path), "--department", "hz-scjg", "--no-progress",
                     *options, stdout=io.StringIO())  # fmt: skip

    with clock.frozen(D(2026, 11, 25)):
        with pytest.raises(CommandError, match="import-date-past"):
            command("--date", "2026-11-10")
        assert not ImportJob.objects.exists()
        command("--date", "2026-11-25")
    assert CreditRecord.objects.get().published_on == D(2026, 11, 25)
