"""An import under way while the holiday schedule changes (R9, R15).

A record's due day to be public, and the working days it came late, are counted on the
calendar when the record is written; a change of the schedule counts again those committed
before it, and the late counts of their jobs (``catalog.receivers``). The import read the
calendar once, before its first chunk: the chunks committed after a notice was loaded kept the
old days for good, and the job's count, saved again from memory at each chunk, undid the
recount of the earlier ones. Each chunk now waits for a change under way (the daily job's lock,
shared) and counts on the calendar in force; the job's end waits for it too, where it held the
job's row while the change, holding the audit chain's head, waited to count the job again (a
deadlock).
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading
import time

import pytest
from django.apps import apps
from django.db import connection, transaction

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory
from tests.races import in_thread, until_another_waits
from xinyong.audit.selectors import verify_chain
from xinyong.calendars import services as calendar_services
from xinyong.calendars.models import CalendarYear
from xinyong.catalog import services
from xinyong.catalog.models import CreditRecord, ImportJob, PenaltyType, RecordFormat
from xinyong.catalog.services import endings
from xinyong.core import clock

D = dt.date
COLLECTED = D(2027, 1, 8)
# Decided 2026-12-28: 7 working days end 2027-01-07 as estimated before 2027's notice (1 day
# late when collected on 01-08), and 01-08 once the notice gives Monday 01-04 off (on time).
DECIDED = "2026-12-28"
NOTICE_2027 = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,元旦\n"


def _in_thread(work, failures, done=None):
    """``tests.races.in_thread`` on this module's business day."""
    return in_thread(work, failures, day=COLLECTED, done=done)


@pytest.fixture
def department():
    if not PenaltyType.objects.exists():  # a transactional test's flush emptied what it seeds
        seeding = importlib.import_module(
            "xinyong.catalog.migrations.0003_penalty_types_and_publication_rules"
        )
        seeding.seed(apps, None)
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    CalendarYear.objects.filter(year__gte=2027).delete()
    return DepartmentFactory(code="hz-scjg")


@pytest.fixture
def notice(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(NOTICE_2027, encoding="utf-8")
    return path


def _file(tmp_path, rows: int):
    penalties = [samples.penalty(n, CF_JDRQ=DECIDED) for n in range(1, rows + 1)]
    return samples.write_csv(tmp_path / "penalties.csv", samples.PENALTY_FIELDS, penalties)


def _import(path, department, **options) -> ImportJob:
    with clock.frozen(COLLECTED):
        return services.import_file(
            actor="t", kind="penalties", path=path, department=department, **options
        )


def _on_the_notice(job: ImportJob) -> None:
    records = CreditRecord.objects.filter(import_job=job)
    assert {(r.publication_due_on, r.workdays_late) for r in records} == {(D(2027, 1, 8), 0)}
    job.refresh_from_db()
    assert job.late == 0


@pytest.mark.django_db
def test_chunks_written_after_a_notice_is_loaded_count_on_it(tmp_path, department, notice):
    """The notice is loaded once the first of two chunks is committed: the load counts that
    one again, and the second is written on the notice (it kept the estimate, 1 day late, and
    the job's count said 2 where the records said 0)."""
    loaded = []

    def load_after_the_first_chunk(job, progress) -> None:
        if not loaded:
            loaded.append(calendar_services.load_calendar_file(notice, actor=None))

    job = _import(
        _file(tmp_path, 2), department, chunk_rows=1, on_progress=load_after_the_first_chunk
    )
    assert loaded and (job.rows_done, job.inserted) == (2, 2)
    assert job.late == 0  # as the job's end tells it
    _on_the_notice(job)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_a_chunk_written_while_a_notice_loads_waits_and_counts_on_it(tmp_path, department, notice):
    """The load is under way, not yet committed, when the second chunk is written: the chunk
    waits for it, then counts on the notice (it read the calendar the load had not committed,
    and committed after the load had counted the first chunk again)."""
    import_done, load_done = threading.Event(), threading.Event()
    failures: list[BaseException] = []
    threads: list[threading.Thread] = []

    def load() -> None:
        with transaction.atomic():
            calendar_services.load_calendar_file(notice, actor=None)
            until_another_waits(import_done)  # the chunk waits for the load

    def start_the_load_after_the_first_chunk(job, progress) -> None:
        if not threads:
            threads.append(_in_thread(load, failures, load_done))
            # The load holds its lock before it reads the calendar; the chunk comes after.
            while not load_done.is_set() and not _load_holds_its_lock():
                time.sleep(0.02)

    path = _file(tmp_path, 2)
    importing = _in_thread(
        lambda: _import(
            path, department, chunk_rows=1, on_progress=start_the_load_after_the_first_chunk
        ),
        failures, import_done,
    )  # fmt: skip
    importing.join(60)
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    _on_the_notice(ImportJob.objects.get())
    assert verify_chain().ok


def _load_holds_its_lock() -> bool:
    """Whether a session holds the daily job's lock exclusively (a change of the calendar)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND mode = 'ExclusiveLock' AND classid = %s",
            [0x58590003],
        )
        return bool(cursor.fetchone()[0])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_a_job_ending_while_a_notice_loads_does_not_deadlock(
    tmp_path, department, notice, monkeypatch
):
    """The job's end wrote its row, then asked for the audit chain's head; the load, holding
    that head, counted the job's late records again and waited for its row: a deadlock. The end
    waits for the load's lock first, as a step does, and the load for it."""
    ending, import_done, load_done = threading.Event(), threading.Event(), threading.Event()
    failures: list[BaseException] = []
    real = endings.job_counters

    def pausing(job):
        # Inside the end's transaction, its row written: until the load waits for it.
        ending.set()
        until_another_waits(load_done)
        return real(job)

    monkeypatch.setattr(endings, "job_counters", pausing)
    path = _file(tmp_path, 1)
    importing = _in_thread(lambda: _import(path, department), failures, import_done)
    assert ending.wait(30)
    loading = _in_thread(
        lambda: calendar_services.load_calendar_file(notice, actor=None), failures, load_done
    )
    importing.join(60)
    loading.join(60)
    assert not failures, failures
    job = ImportJob.objects.get()
    assert job.status == "done"
    _on_the_notice(job)  # the load, after the end, counted the job again
    assert verify_chain().ok
