"""The way in: ``import_file``, and ``import_upload`` for an uploaded file; the job for a file,
and the refusal of a file outside the catalog (R9, R13, 001 §14).

A file is known by its SHA-256 and the catalog item it is sent under: sent again once done,
nothing is added (checked again as a new job when rows were quarantined); found half done (its
process was killed), it resumes after the last committed chunk. Audit rows: the start of a job
and every refusal of a file outside the catalog (R13).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from xinyong.audit import services as audit
from xinyong.catalog import importers, selectors
from xinyong.catalog.importers import forked
from xinyong.catalog.models import CatalogItem, ImportJob, ImportKind, ImportStatus
from xinyong.catalog.services.locking import claim, release
from xinyong.catalog.services.run import CHUNK_ROWS, Progress, run
from xinyong.catalog.services.uploads import discard_upload, store_upload
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.protection import mask_citizen_ids
from xinyong.subjects.models import Department

KIND_NAMES = {"licences": "行政许可", "penalties": "行政处罚", "records": "信用信息"}
ECHOED_ITEM_CHARACTERS = 64  # of the catalog item a request asked for, in a refusal


def _file_name(file_name: str | None, path: Path) -> str:
    """The name a job keeps of its file: the uploaded file's, or the one named on the command
    line. A sender names a file as it likes, after the person it is about too: a citizen ID in
    the name is masked, for the name is shown on the job's page, the list of imports and the
    API's answers, and written in the job's audit rows (R14)."""
    return mask_citizen_ids(file_name or path.name)


def _echoed_item(item_code: str) -> str:
    """The catalog item a request asked for, as a refusal echoes it: free text from the request,
    kept in the failed job and its audit row, so a citizen ID in it is masked (R14) and only its
    first ``ECHOED_ITEM_CHARACTERS`` characters are kept. Masked before the cut, which could
    otherwise leave part of an ID that no longer reads as one."""
    shown = mask_citizen_ids(item_code)
    if len(shown) > ECHOED_ITEM_CHARACTERS:
        return shown[:ECHOED_ITEM_CHARACTERS] + "…"
    return shown


def import_file(
    *,
    actor: Any,
    kind: str,
    path: str | Path,
    department: Department,
    item_code: str | None = None,
    file_name: str | None = None,
    on_progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
    fork_min_bytes: int = forked.NEVER,
) -> ImportJob:
    """Import a file of licences, penalties or other catalog information for ``department``.

    Answers the job: done (also when the same file was done before), or failed with its reason.
    Refusals of the whole file raise ``XinyongError`` after the failed job is recorded. A file
    of at least ``fork_min_bytes`` is checked by a forked child where that is safe
    (``importers.forked``): the command line asks for it, while a web server's process, whose
    server manages its processes, never forks.
    """
    path = Path(path)
    if kind not in ImportKind.values:
        raise XinyongError("import-kind", f"导入类别无效：{kind}", status=422)
    facts = importers.inspect(path)
    item = None
    if kind != ImportKind.RECORDS:
        item = selectors.catalog_item_for(kind, department, item_code)
        if item is None:
            _refuse_outside_catalog(
                actor=actor, kind=kind, department=department, path=path, facts=facts,
                file_name=file_name, item_code=item_code,
            )  # fmt: skip
    job = _open_job(actor=actor, kind=kind, department=department, item=item, path=path,
                    facts=facts, file_name=file_name)  # fmt: skip
    if job.status == ImportStatus.DONE:
        return job
    claim(job)
    try:
        if job.status != ImportStatus.RUNNING:  # finished by the process we waited for
            return job
        return run(job, path, facts, actor=actor, on_progress=on_progress,
                    chunk_rows=chunk_rows, fork_min_bytes=fork_min_bytes)  # fmt: skip
    finally:
        release(job)


def import_upload(*, chunks: Iterable[bytes], name: str, **options: Any) -> ImportJob:
    """``import_file`` for a file uploaded through the API or the back office (``options`` as
    there): stored while its job may resume, deleted as soon as none can (``uploads``).

    A job ended, done or failed, deletes its own file (``endings``); this copy goes too unless
    a job still running was opened on it: the same file done before, one refused whole (its
    layout, the catalog, a prohibited column), one another process is importing, or a resumed
    job, which keeps the copy it was first opened on."""
    path = store_upload(chunks, name)
    try:
        return import_file(path=path, file_name=name, **options)
    finally:
        if not _resumable_from(path):
            discard_upload(path)


def _resumable_from(path: Path) -> bool:
    try:
        running = ImportJob.objects.filter(status=ImportStatus.RUNNING, file_path=str(path))
        return running.exists()
    except DatabaseError:  # the database is out of reach: a job may yet resume from it
        return True


def _refuse_outside_catalog(
    *,
    actor: Any,
    kind: str,
    department: Department,
    path: Path,
    facts: importers.FileFacts,
    file_name: str | None,
    item_code: str | None,
) -> None:
    """No catalog item takes this file: refused, with a failed job and an audit row (R13)."""
    label = KIND_NAMES[kind]
    item = _echoed_item(item_code) if item_code else ""
    where = f"“{item}”" if item else ""
    message = f"公共信用信息目录中没有本部门可报送的{label}条目{where}，目录外信息不予归集"
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind, department=department, status=ImportStatus.FAILED,
            actor=audit.describe_actor(actor)[0], file_name=_file_name(file_name, path),
            file_path=str(path), file_size=facts.size, file_sha256=facts.sha256,
            file_format=importers.file_format(path), encoding=facts.encoding,
            business_date=clock.today(), error_code="not-in-catalog", error_message=message,
            finished_at=timezone.now(),
        )  # fmt: skip
        audit.record(
            actor=actor, action="catalog.refused", obj=job,
            after={"kind": kind, "item": item, "file": job.file_name}, reason=message,
        )  # fmt: skip
    discard_upload(path)
    raise XinyongError("not-in-catalog", message, status=422, job=job.pk)


def _open_job(
    *,
    actor: Any,
    kind: str,
    department: Department,
    item: CatalogItem | None,
    path: Path,
    facts: importers.FileFacts,
    file_name: str | None,
) -> ImportJob:
    """The job for this file under this catalog item: the one running (to resume), the one
    done when it quarantined nothing (the file sent again adds nothing), or a new one. The item
    counts: it decides which rows are taken (the subjects it records, its tiers), so the same
    file sent under another item is checked again (R13).

    A file whose last job quarantined rows is checked again as a new job: a row may have been
    refused for the platform's own settings — a penalty type the table lacked, a tier without
    its publication rule (whose message asks for the file again once it is set), a catalog
    item that did not take the subject or was not there — which the credit office may have
    set since (R9, R13). The rows recorded before count as already recorded: a record's
    identity is never recorded twice (``catalog.bulk``)."""
    same_file = ImportJob.objects.filter(
        department=department, kind=kind, catalog_item=item, file_sha256=facts.sha256
    )
    for _attempt in range(2):
        existing = same_file.exclude(status=ImportStatus.FAILED).order_by("-id").first()
        if existing is not None and not _checked_again(existing):
            return existing
        try:
            with transaction.atomic():
                job = ImportJob.objects.create(
                    kind=kind, department=department, catalog_item=item,
                    actor=audit.describe_actor(actor)[0], file_name=_file_name(file_name, path),
                    file_path=str(path), file_size=facts.size, file_sha256=facts.sha256,
                    file_format=importers.file_format(path), encoding=facts.encoding,
                    business_date=clock.today(), progress_at=timezone.now(),
                )  # fmt: skip
                audit.record(
                    actor=actor, action="import.start", obj=job,
                    after={"kind": kind, "file": job.file_name, "sha256": facts.sha256,
                           "size": facts.size, "item": item.code if item else ""},
                )  # fmt: skip
            return job
        except IntegrityError:  # another process opened it just now: take that one
            continue
    raise XinyongError("import-running", "同一文件正在另一进程中导入", status=409)


def _checked_again(job: ImportJob) -> bool:
    """Whether the same file sent again is read as a new job rather than answered by ``job``:
    ``job`` done with rows quarantined (see ``_open_job``). A running job resumes."""
    return job.status == ImportStatus.DONE and job.quarantined > 0
