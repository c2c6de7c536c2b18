"""How long the platform keeps a screening's files: no longer than the job needs them (R14).

A screening's files name persons in clear: the upload holds the caller's citizen IDs, and the
result echoes every row as sent. The job's row is its registration (R14) and is kept for ever;
the files are not:

- An API job's upload is deleted as soon as the job has ended, done or failed: an ended job is
  never run again. A job still running keeps it, also when its run died, since the sweep runs
  it again from it (``screening_jobs.MAX_ATTEMPTS``); the sweep ending it for good deletes it.
- A finished job's result and the persons kept beside it for its downloads are kept
  ``XINYONG_SCREENING_RESULT_DAYS`` natural days after the day it finished, that day not
  counted (R15): with 7, a job finished on 11-01 is handed over through 11-08 and answers
  ``410 screening-result-expired`` from 11-09, when the daily job deletes its files, with one
  audit row for the run naming how many jobs' files went.
- Only what the platform stored itself under its screening folder is deleted. A command-line
  job reads the operator's file and writes where they asked: both stay theirs; only the persons
  the platform kept beside it go, and its result is no longer handed over through the API.

Days are counted on the clock too (as ``catalog.services.abandoned`` counts them), so a daily
job run for a day ahead (``--date`` in a demo) deletes nothing that has not in fact been kept
its days.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xinyong.audit import services as audit
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.measures.models import ScreeningJob

log = logging.getLogger(__name__)
RESULT_DAYS = 7
EXPIRED = "screening-result-expired"


def result_days() -> int:
    """Natural days a finished job's result is kept (``XINYONG_SCREENING_RESULT_DAYS``)."""
    return int(getattr(settings, "XINYONG_SCREENING_RESULT_DAYS", RESULT_DAYS))


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=clock.CHINA)


def _china_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, clock.CHINA).date()


def _kept_until(day: dt.date) -> dt.datetime:
    """Jobs finished before this moment have had their days on ``day``, as on the clock."""
    counted = min(day, _china_day(timezone.now()))
    return _start_of(counted - dt.timedelta(days=result_days()))


def expires_at(job: ScreeningJob) -> dt.datetime | None:
    """When a done job's result stops being handed over (the start of that day, China time);
    None for a job with no result."""
    if job.status != ScreeningJob.Status.DONE or job.finished_at is None:
        return None
    return _start_of(_china_day(job.finished_at) + dt.timedelta(days=result_days() + 1))


def expired(job: ScreeningJob) -> bool:
    """The job's result is past its days, on the business date and on the clock, or gone."""
    if job.result_removed_at is not None:
        return True
    if expires_at(job) is None:  # no result, or not finished
        return False
    return job.finished_at < _kept_until(clock.today())


def expired_error(job: ScreeningJob) -> XinyongError:
    days = result_days()
    gone = "不再通过接口提供" if job.from_command_line else "已删除"
    return XinyongError(
        EXPIRED,
        f"核查结果按数据保留规定仅保留至任务完成后 {days} 天，已超过保留期限，{gone}；"
        "如仍需要，请重新提交核查",
        status=410,
    )


def is_platform_file(path: str | Path) -> bool:
    """A file the platform stored itself under its screening folder; nothing else is ever
    deleted (a command-line job's input and result are the operator's)."""
    from xinyong.measures.screening_jobs import screenings_path

    return Path(path).resolve().is_relative_to(screenings_path().resolve())


def discard_input(job: ScreeningJob) -> None:
    """Delete an ended job's upload: no run of it reads it again. One that cannot be deleted
    is logged and left to the daily job (``remove_expired``)."""
    if job.status in (ScreeningJob.Status.DONE, ScreeningJob.Status.FAILED):
        _delete(job.input_path)


def _delete(path: str | Path) -> bool:
    """A platform file deleted (True when it is gone); another's is left as it is."""
    if not path or not is_platform_file(path):
        return True
    try:
        Path(path).unlink(missing_ok=True)
    except OSError:
        log.exception("a screening file could not be deleted: %s", Path(path).name)
        return False
    return True


@dataclasses.dataclass
class RetentionReport:
    day: dt.date
    screening_results_removed: int = 0
    screening_files_removed: int = 0

    def lines(self) -> list[str]:
        return [f"screening_results_removed: {self.screening_results_removed}",
                f"screening_files_removed: {self.screening_files_removed}"]  # fmt: skip


def remove_expired(day: dt.date) -> RetentionReport:
    """The daily job's step: delete the files of the jobs finished past their days on ``day``
    (their result where the platform wrote it, the persons kept beside it, an upload whose
    deletion failed), mark each job, and write one audit row for the run."""
    from xinyong.measures.screening_jobs import persons_path

    report = RetentionReport(day)
    days = result_days()
    due = ScreeningJob.objects.filter(
        status=ScreeningJob.Status.DONE, finished_at__lt=_kept_until(day),
        result_removed_at__isnull=True,
    ).order_by("finished_at")  # fmt: skip
    removed = []
    for job in due:
        paths = [job.input_path, persons_path(job)]
        if not job.from_command_line:
            paths.append(job.output_path)
        if all([_delete(path) for path in paths]):
            removed.append(job.pk)
    strays = _remove_strays(_kept_until(day))
    if removed or strays:
        after = {"jobs": len(removed), "result_days": days} | ({"other_files": strays}
                                                               if strays else {})  # fmt: skip
        with transaction.atomic():
            ScreeningJob.objects.filter(pk__in=removed).update(result_removed_at=timezone.now())
            audit.record(
                actor=None, action="screening.results_removed",
                obj=("measures.screenings", day.isoformat()), after=after,
                reason=f"核查任务完成 {days} 天后，平台保存的核查文件已按数据保留规定删除",
            )  # fmt: skip
    report.screening_results_removed = len(removed)
    report.screening_files_removed = strays
    return report


def _remove_strays(before: dt.datetime) -> int:
    """Delete the files of the screening folder that no job needs any more, last written before
    ``before``: an upload whose job was never registered (its process killed between the two)
    or whose deletion failed, a run's file its process left. A job queued or running needs its
    upload and its runs' files (named after its result); a done job its result and persons
    until the daily job removes them."""
    from xinyong.measures.screening_jobs import screenings_path

    needed: set[str] = set()
    prefixes: list[str] = []
    Status = ScreeningJob.Status
    for pk, status, source, target in ScreeningJob.objects.filter(
        Q(status__in=[Status.QUEUED, Status.RUNNING])
        | Q(status=Status.DONE, result_removed_at__isnull=True)
    ).values_list("pk", "status", "input_path", "output_path"):
        needed |= {Path(source).name, Path(target).name, f"{pk}.persons.json"}
        if status != Status.DONE:
            prefixes.append(f"{Path(target).name}.")
    try:
        files = [path for path in screenings_path().iterdir() if path.is_file()]
    except OSError:  # no folder yet: nothing stored
        return 0
    removed = 0
    for path in files:
        if path.name in needed or path.name.startswith(tuple(prefixes)):
            continue
        try:
            written = path.stat().st_mtime
        except FileNotFoundError:  # deleted meanwhile, by its job's end
            continue
        if written < before.timestamp() and _delete(path):
            removed += 1
    return removed
