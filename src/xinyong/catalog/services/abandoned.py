"""The daily job's step for imports killed and never resumed: ended, and their uploads deleted
(R14, 001 §14).

A job whose process was killed (kill -9, a machine restarted) stays running so that the same
file sent again resumes it, and its upload stays for that (``uploads``). An upload holds citizen
IDs and may hold a prohibited column's values, so it is not kept for ever: a job with no
progress for ``XINYONG_IMPORT_ABANDONED_AFTER_DAYS`` natural days is ended as failed
(``import-abandoned``), with its audit row as any failure has, and its upload deleted. Its
committed rows stay recorded; the file sent again is a new job that records none of them twice.

Days are counted from the day of the job's last progress (China time) to the job's day, the
first not counted (R15): with 3, a job last seen on 11-01 is kept on 11-04 and ended on 11-05.
They are counted on the clock too, so a run for a day ahead (``--date`` in a demo) ends no job
that has not in fact stood still that long. A job a process still runs is never touched,
however old its progress (``locking.if_no_process_runs``).

Then any stored upload no running job resumes from, older than the same period, is deleted: a
process killed between storing an upload and opening its job, or a deletion that failed, left
it. Running again finds nothing to do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xinyong.audit import services as audit
from xinyong.catalog.models import ImportJob, ImportStatus
from xinyong.catalog.services.checkpoints import job_counters
from xinyong.catalog.services.locking import if_no_process_runs
from xinyong.catalog.services.uploads import discard_upload, is_stored_upload, stored_uploads
from xinyong.core import clock
from xinyong.listings import daily_job_lock

logger = logging.getLogger(__name__)

ABANDONED_AFTER_DAYS = 3
ABANDONED = "import-abandoned"


def abandoned_after_days() -> int:
    """Natural days without progress after which a running import counts as abandoned
    (``XINYONG_IMPORT_ABANDONED_AFTER_DAYS``)."""
    return int(getattr(settings, "XINYONG_IMPORT_ABANDONED_AFTER_DAYS", ABANDONED_AFTER_DAYS))


@dataclasses.dataclass
class AbandonedImportsReport:
    day: dt.date
    imports_abandoned: int = 0
    import_uploads_removed: int = 0

    def lines(self) -> list[str]:
        return [
            f"imports_abandoned: {self.imports_abandoned}",
            f"import_uploads_removed: {self.import_uploads_removed}",
        ]


def idle_since(day: dt.date, days: int) -> dt.datetime:
    """The moment before which a job's last progress makes it abandoned on ``day``: the start
    of the day ``days`` before (China time), or the clock less ``days``, whichever is earlier."""
    by_day = dt.datetime.combine(day - dt.timedelta(days=days), dt.time.min, tzinfo=clock.CHINA)
    return min(by_day, timezone.now() - dt.timedelta(days=days))


def end_abandoned_imports(day: dt.date) -> AbandonedImportsReport:
    """End the imports abandoned on ``day`` and delete their uploads, then the uploads left by
    no job (see the module)."""
    report = AbandonedImportsReport(day)
    days = abandoned_after_days()
    before = idle_since(day, days)
    stale = ImportJob.objects.filter(status=ImportStatus.RUNNING, progress_at__lt=before)
    for job in stale.order_by("pk"):
        report.imports_abandoned += _abandon(job, before=before, days=days)
    report.import_uploads_removed = _remove_left_uploads(day, before)
    return report


def _abandon(job: ImportJob, *, before: dt.datetime, days: int) -> bool:
    """One job ended as abandoned, in one transaction with its audit row; False when a process
    runs it, or it moved on or ended meanwhile."""
    last = timezone.localtime(job.progress_at, clock.CHINA)
    stored = is_stored_upload(job.file_path)
    message = (
        f"导入中断后{days}天内未再继续（最后进展于{last:%Y-%m-%d}），已终止"
        f"{'，所上传的文件已删除' if stored else ''}：已处理的{job.rows_done}行已保存；"
        "如需导入其余各行，请重新提交同一文件，已入库的记录不会重复"
    )
    with if_no_process_runs(job) as free:
        if not free:
            return False
        with transaction.atomic():
            daily_job_lock.wait_for_the_daily_job()  # first, before any row, as ``endings``
            ended = ImportJob.objects.filter(
                pk=job.pk, status=ImportStatus.RUNNING, progress_at__lt=before
            ).update(
                status=ImportStatus.FAILED, error_code=ABANDONED, error_message=message,
                finished_at=timezone.now(),
            )  # fmt: skip
            if not ended:
                return False
            job.refresh_from_db()
            audit.record(
                actor=None, action="import.fail", obj=job,
                after={"code": ABANDONED, "progress_at": last.isoformat(),
                       "abandoned_after_days": days, **job_counters(job)},
                reason=message,
            )  # fmt: skip
    _delete(job.file_path)
    return True


def _remove_left_uploads(day: dt.date, before: dt.datetime) -> int:
    """The stored uploads no running job resumes from, last written before ``before``."""
    kept = {
        Path(path).name
        for path in ImportJob.objects.filter(status=ImportStatus.RUNNING).values_list(
            "file_path", flat=True
        )
        if is_stored_upload(path)
    }
    removed = 0
    for path in stored_uploads():
        try:
            written = path.stat().st_mtime
        except FileNotFoundError:  # deleted meanwhile, by its job's end
            continue
        if path.name not in kept and written < before.timestamp():
            removed += _delete(path)
    if removed:
        with transaction.atomic():
            audit.record(
                actor=None, action="import.uploads_removed",
                obj=("catalog.imports", day.isoformat()), after={"files": removed},
                reason="无导入作业可续的上传文件已删除",
            )  # fmt: skip
    return removed


def _delete(path: str | Path) -> bool:
    """A stored upload deleted; one that cannot be is logged and left to the next run, which
    finds it among the uploads no job resumes from."""
    try:
        discard_upload(path)
    except OSError:
        logger.exception("an import's stored upload could not be deleted: %s", Path(path).name)
        return False
    return True
