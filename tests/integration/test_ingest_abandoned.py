"""An import killed and never resumed is ended by the daily job after
``XINYONG_IMPORT_ABANDONED_AFTER_DAYS`` days without progress, and its upload, which holds
citizen IDs and may hold a prohibited column's values, is deleted (R14, 001 §14); a job a
process still runs, or one that moved lately, is never touched."""

import contextlib
import datetime as dt
import io
import os
import socket
import subprocess
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from tests import ingest_imports as imports
from tests.data.ingest import samples
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.catalog import services
from xinyong.catalog.importers.validation import RowChecker
from xinyong.catalog.models import CreditRecord, ImportJob, ImportStatus
from xinyong.catalog.services.abandoned import end_abandoned_imports
from xinyong.catalog.services.locking import LOCK_NAMESPACE
from xinyong.core import clock

pytestmark = pytest.mark.django_db
department, penalty_item = imports.department, imports.penalty_item  # shared fixtures
D = dt.date
LAST_PROGRESS = dt.datetime(2026, 11, 1, 10, 0, tzinfo=clock.CHINA)


@pytest.fixture
def uploads(tmp_path, settings):
    """The folder uploads are kept in, for this test alone; three days without progress."""
    settings.VAR_DIR = tmp_path / "var"
    settings.XINYONG_IMPORT_ABANDONED_AFTER_DAYS = 3
    return settings.VAR_DIR / "imports"


def kept(uploads) -> list[str]:
    return sorted(p.name for p in uploads.iterdir()) if uploads.exists() else []


class Killed(BaseException):
    """Stands for the process being killed part-way: nothing after it runs."""


def rows(count=3):
    return [samples.penalty(n) for n in range(1, count + 1)]


def penalty_bytes(tmp_path, records) -> bytes:
    return samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, records).read_bytes()


def killed_upload(tmp_path, department, monkeypatch, *, last_progress=LAST_PROGRESS):
    """An upload whose process was killed at row two, its first row committed; its last
    progress as given."""
    check = RowChecker.check

    def killed_at_row_two(self, number, cells):
        if number == 2:
            raise Killed
        return check(self, number, cells)

    monkeypatch.setattr(RowChecker, "check", killed_at_row_two)
    with clock.frozen(imports.TODAY), pytest.raises(Killed):
        services.import_upload(
            chunks=[penalty_bytes(tmp_path, rows())], name="p.csv", actor="test",
            kind="penalties", department=department, chunk_rows=1,
        )  # fmt: skip
    monkeypatch.setattr(RowChecker, "check", check)
    job = ImportJob.objects.get(status=ImportStatus.RUNNING)
    ImportJob.objects.filter(pk=job.pk).update(progress_at=last_progress, worker="")
    job.refresh_from_db()
    return job


def daily_job(day):
    with clock.frozen(day):
        return end_abandoned_imports(day)


@pytest.mark.parametrize(
    ("day", "ended"),
    [(D(2026, 11, 3), False), (D(2026, 11, 4), False), (D(2026, 11, 5), True),
     (D(2026, 11, 20), True)],
    ids=["two-days", "three-days-the-limit", "four-days", "weeks"],
)  # fmt: skip
def test_an_import_without_progress_past_the_period_is_ended_and_its_upload_deleted(
    tmp_path, department, penalty_item, uploads, monkeypatch, day, ended
):
    """Last progress on 11-01 at 10:00 (China), three days kept: 11-02, 11-03 and 11-04 are
    the three days (the first not counted, R15); on 11-05 it is abandoned."""
    job = killed_upload(tmp_path, department, monkeypatch)
    upload = job.file_path.rsplit("/", 1)[-1]
    assert kept(uploads) == [upload]

    report = daily_job(day)

    job.refresh_from_db()
    if not ended:
        assert (report.imports_abandoned, job.status, job.error_code) == (0, "running", "")
        assert kept(uploads) == [upload]
        assert not AuditEntry.objects.filter(action="import.fail").exists()
        return
    assert report.imports_abandoned == 1
    assert (job.status, job.error_code, job.rows_done) == (
        ImportStatus.FAILED, "import-abandoned", 1,
    )  # fmt: skip
    assert job.error_message == (
        "导入中断后3天内未再继续（最后进展于2026-11-01），已终止，所上传的文件已删除：已处理的1行"
        "已保存；如需导入其余各行，请重新提交同一文件，已入库的记录不会重复"
    )
    assert job.finished_at is not None
    assert kept(uploads) == []
    audit = AuditEntry.objects.get(action="import.fail", object_id=str(job.pk))
    assert audit.reason == job.error_message
    assert audit.after["code"] == "import-abandoned"
    assert audit.after["abandoned_after_days"] == 3
    assert audit.after["rows_done"] == 1
    assert audit.after["progress_at"].startswith("2026-11-01T10:00:00")
    assert verify_chain().ok
    assert CreditRecord.objects.count() == 1  # its committed row stays recorded


def test_the_period_is_a_setting(
    tmp_path, department, penalty_item, uploads, monkeypatch, settings
):
    settings.XINYONG_IMPORT_ABANDONED_AFTER_DAYS = 10
    job = killed_upload(tmp_path, department, monkeypatch)
    assert daily_job(D(2026, 11, 11)).imports_abandoned == 0
    assert daily_job(D(2026, 11, 12)).imports_abandoned == 1
    job.refresh_from_db()
    assert "10天内未再继续" in job.error_message


def test_the_daily_job_run_again_or_with_the_file_gone_changes_nothing_more(
    tmp_path, department, penalty_item, uploads, monkeypatch
):
    job = killed_upload(tmp_path, department, monkeypatch)
    (uploads / job.file_path.rsplit("/", 1)[-1]).unlink()  # gone already, whatever took it

    assert daily_job(D(2026, 11, 5)).imports_abandoned == 1
    assert daily_job(D(2026, 11, 5)).imports_abandoned == 0
    assert daily_job(D(2026, 11, 6)).imports_abandoned == 0

    job.refresh_from_db()
    assert (job.status, job.error_code) == (ImportStatus.FAILED, "import-abandoned")
    assert AuditEntry.objects.filter(action="import.fail", object_id=str(job.pk)).count() == 1


def test_a_job_that_moved_lately_is_untouched(
    tmp_path, department, penalty_item, uploads, monkeypatch
):
    """A job resumed yesterday that was killed again: its last progress counts, not its start."""
    job = killed_upload(tmp_path, department, monkeypatch,
                        last_progress=dt.datetime(2026, 11, 4, 9, tzinfo=clock.CHINA))  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(started_at=LAST_PROGRESS - dt.timedelta(days=30))
    assert daily_job(D(2026, 11, 5)).imports_abandoned == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and len(kept(uploads)) == 1


def test_a_run_for_a_day_ahead_ends_no_job_idle_for_less_in_fact(
    tmp_path, department, penalty_item, uploads, monkeypatch
):
    """A demo's ``tick --date`` a month ahead: the job stood still an hour, not three days."""
    job = killed_upload(tmp_path, department, monkeypatch,
                        last_progress=timezone.now() - dt.timedelta(hours=1))  # fmt: skip
    assert daily_job(clock.today() + dt.timedelta(days=30)).imports_abandoned == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and len(kept(uploads)) == 1


@contextlib.contextmanager
def run_by_another_process(job):
    """The job held by a live process: its advisory lock held by another session (PostgreSQL),
    or its worker a process that still runs (SQLite)."""
    if connection.vendor != "postgresql":
        process = subprocess.Popen(["sleep", "60"])  # a live process, nothing more
        try:
            ImportJob.objects.filter(pk=job.pk).update(
                worker=f"{socket.gethostname()}:{process.pid}"
            )
            yield
        finally:
            process.kill()
            process.wait()
        return
    held, done = threading.Event(), threading.Event()

    def hold():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, job.pk])
                held.set()
                done.wait(30)
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, job.pk])
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert held.wait(30)
        yield
    finally:
        done.set()
        thread.join(30)


def test_a_job_a_process_still_runs_is_untouched_however_old_its_progress(
    tmp_path, department, penalty_item, uploads, monkeypatch
):
    job = killed_upload(tmp_path, department, monkeypatch)
    with run_by_another_process(job):
        assert daily_job(D(2026, 11, 20)).imports_abandoned == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and len(kept(uploads)) == 1
    assert daily_job(D(2026, 11, 20)).imports_abandoned == 1  # its process gone since


def test_the_file_sent_again_after_is_a_new_job_that_records_nothing_twice(
    tmp_path, department, penalty_item, uploads, monkeypatch
):
    job = killed_upload(tmp_path, department, monkeypatch)
    daily_job(D(2026, 11, 5))
    with clock.frozen(imports.TODAY):
        again = services.import_upload(
            chunks=[penalty_bytes(tmp_path, rows())], name="p.csv", actor="test",
            kind="penalties", department=department,
        )  # fmt: skip
    assert again.pk != job.pk
    assert (again.status, again.inserted, again.already_recorded) == ("done", 2, 1)
    assert CreditRecord.objects.count() == 3 and kept(uploads) == []


def test_uploads_no_job_resumes_from_are_deleted_after_the_period(
    tmp_path, department, penalty_item, uploads, monkeypatch
):
    """A process killed after storing an upload and before opening its job left the first;
    a running job's upload and a fresh one stay."""
    job = killed_upload(tmp_path, department, monkeypatch,
                        last_progress=timezone.now() - dt.timedelta(hours=1))  # fmt: skip
    left, fresh = uploads / "0123456789abcdef.csv", uploads / "fedcba9876543210.csv"
    left.write_bytes(b"CF_XDR_MC\n")
    fresh.write_bytes(b"CF_XDR_MC\n")
    long_ago = (timezone.now() - dt.timedelta(days=4)).timestamp()
    os.utime(left, (long_ago, long_ago))
    os.utime(uploads / job.file_path.rsplit("/", 1)[-1], (long_ago, long_ago))

    report = daily_job(clock.today())

    assert (report.imports_abandoned, report.import_uploads_removed) == (0, 1)
    assert kept(uploads) == sorted([job.file_path.rsplit("/", 1)[-1], fresh.name])
    removed = AuditEntry.objects.get(action="import.uploads_removed")
    assert removed.after == {"files": 1}
    assert daily_job(clock.today()).import_uploads_removed == 0


def test_the_tick_command_prints_the_step(tmp_path, department, penalty_item, uploads, monkeypatch):
    killed_upload(tmp_path, department, monkeypatch)
    out = io.StringIO()
    call_command("tick", "--date", "2026-11-05", stdout=out)
    assert "imports_abandoned: 1" in out.getvalue().splitlines()
    assert "import_uploads_removed: 0" in out.getvalue().splitlines()
    assert kept(uploads) == []
