"""The end of an import job: done, with its audit rows, or failed, and its summary (R9, R13).
An ended job's upload is deleted (``uploads``).

Audit rows: the end of a job (with its counters), a failure, and what of the file was refused
as information outside the catalog (R13): its rows, and its columns by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinyong.audit import services as audit
from xinyong.catalog.importers.formats import EDITION_LABELS
from xinyong.catalog.models import ImportJob, ImportStatus, ReportRow
from xinyong.catalog.services.checkpoints import job_counters
from xinyong.catalog.services.uploads import discard_upload
from xinyong.core.errors import XinyongError
from xinyong.listings import daily_job_lock

CATALOG_CODES = ("not-in-catalog", "catalog-subject-kind")


def finish(job: ImportJob, *, actor: Any, refused_columns: Sequence[str] = ()) -> ImportJob:
    """The job done, with its audit rows, in one transaction.

    ``refused_columns``: the columns dropped from every row, never kept (the warnings
    ``unknown-columns`` and ``columns-not-in-catalog``): a penalty or licence file's columns
    outside the national format, and a records file's that no catalog item states among its
    data items. Recording outside
    the catalog is refused and leaves an audit entry (R13, 001 §三(二)): one row naming the
    columns, never a value of them. It is written with the job's end, so a job killed part-way
    and resumed writes it once, when it finally ends, and a job already done is never finished
    again (``jobs.import_file``).

    The daily job's lock is taken shared first, before the job's row: a change of the holiday
    calendar holds it, writes its audit row, then counts the job's late records again
    (``catalog.receivers``); the end, holding the job's row while it waited for that audit row,
    deadlocked with it. The late count is read again under the lock, as a change left it.
    """
    with transaction.atomic():
        daily_job_lock.wait_for_the_daily_job()  # first, before any row
        job.refresh_from_db(fields=["late"])
        job.status = ImportStatus.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])
        counters = job_counters(job)
        audit.record(actor=actor, action="import.finish", obj=job, after=counters)
        refused = {code: job.quarantined_by_reason.get(code, 0) for code in CATALOG_CODES}
        if any(refused.values()):
            numbers = _catalog_refused_rows(job, limit=100)
            audit.record(
                actor=actor, action="catalog.refused", obj=job,
                after={"rows": sum(refused.values()), "by_reason": refused, "row_numbers": numbers},
                reason="目录外信息不予归集",
            )  # fmt: skip
        if refused_columns:
            audit.record(
                actor=actor, action="catalog.refused", obj=job,
                after={"columns": list(refused_columns)}, reason="目录外数据项不予归集",
            )  # fmt: skip
    discard_upload(job.file_path)  # nothing resumes a job done
    return job


def _catalog_refused_rows(job: ImportJob, *, limit: int) -> list[int]:
    rows = job.report_rows.filter(outcome=ReportRow.Outcome.QUARANTINED).order_by("row_number")
    numbers: list[int] = []
    for number, reasons in rows.values_list("row_number", "reasons").iterator(chunk_size=2000):
        if any(reason["code"] in CATALOG_CODES for reason in reasons):
            numbers.append(number)
            if len(numbers) >= limit:
                break
    return numbers


def fail(job: ImportJob, refused: XinyongError, *, actor: Any) -> None:
    """The job failed, with its audit row; the daily job's lock first, as ``finish`` takes it."""
    with transaction.atomic():
        daily_job_lock.wait_for_the_daily_job()  # first, before any row
        job.refresh_from_db(fields=["late"])
        job.status = ImportStatus.FAILED
        job.error_code = refused.code
        job.error_message = refused.message
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error_code", "error_message", "finished_at"])
        audit.record(
            actor=actor, action="import.fail", obj=job,
            after={"code": refused.code, **job_counters(job)}, reason=refused.message,
        )  # fmt: skip
    discard_upload(job.file_path)  # nor one failed: the file sent again is a new job


def describe(job: ImportJob) -> list[tuple[str, Any]]:
    """The job's summary as (name, value) pairs, for the command line and the page."""
    lines: list[tuple[str, Any]] = [
        ("job", job.pk), ("status", job.status), ("file", job.file_name),
        ("format", job.file_format), ("encoding", job.encoding),
        ("edition", EDITION_LABELS.get(job.edition, job.edition)),
        ("rows", job.rows_done), ("accepted", job.accepted), ("inserted", job.inserted),
        ("already_recorded", job.already_recorded), ("quarantined", job.quarantined),
    ]  # fmt: skip
    lines += [(f"quarantined[{code}]", n) for code, n in job.quarantined_by_reason.items()]
    lines += [
        ("subjects_created", job.subjects_created),
        ("identifiers_for_review", job.identifiers_for_review),
        ("published_late", job.late),
    ]
    if job.error_code:
        lines.append(("error", f"{job.error_code}: {job.error_message}"))
    lines += [(f"warning[{w['code']}]", w["message"]) for w in job.warnings]
    return lines
