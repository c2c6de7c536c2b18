"""Collecting credit information from departments' files (R9, R13, 001 §14).

``import_file`` is the one way in, for the command line, the API and the back office. A file is
known by its SHA-256: sent again once done, nothing is added; found half done (its process was
killed), it resumes after the last committed chunk. Every chunk commits its records, its
report rows and the job's checkpoint and counters in one transaction, and records are inserted
with ``ON CONFLICT DO NOTHING`` on their identity, so however often an import is killed and
started again the file's rows end up recorded exactly once.

Audit rows: the start of a job, its end (with its counters), a failure, and every refusal of
information outside the catalog (R13).
"""

from __future__ import annotations

import gc
import os
import socket
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from xinyong.audit import services as audit
from xinyong.catalog import importers, selectors
from xinyong.catalog.bulk import ChunkWriter
from xinyong.catalog.importers import forked
from xinyong.catalog.importers.formats import EDITION_LABELS, HeaderMap
from xinyong.catalog.importers.outcomes import Problem, RowResult, problem
from xinyong.catalog.importers.subject_checks import NATURAL_PERSON, SUBJECT_KINDS
from xinyong.catalog.importers.validation import RowChecker
from xinyong.catalog.models import CatalogItem, ImportJob, ImportKind, ImportStatus, ReportRow
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.prefetch import read_ahead
from xinyong.core.protection import mask_citizen_ids_in
from xinyong.subjects.models import Department

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
# Rows per transaction. Memory goes with it (a checked row takes about 3 KB until written):
# 10,000 keeps an import of any size under 300 MB with one chunk read ahead (231 MB at 1M rows).
CHUNK_ROWS = 10_000
READ_AHEAD = 1  # chunks checked and waiting while one is written
SWITCH_INTERVAL = 0.0005  # seconds: how long the reader may keep the interpreter lock
LOCK_NAMESPACE = 0x58590001  # pg advisory locks: (namespace, job id)
LOCK_WAIT_SECONDS = 60
KIND_NAMES = {"licences": "行政许可", "penalties": "行政处罚", "records": "信用信息"}
CATALOG_CODES = ("not-in-catalog", "catalog-subject-kind")
_LATE, _STATUS = 15, 5  # positions in an accepted row (validation.STAGE_COLUMNS)

COUNTERS = (
    "rows_done", "accepted", "inserted", "already_recorded", "quarantined",
    "quarantined_by_reason", "subjects_created", "identifiers_for_review", "late",
)  # fmt: skip

T = TypeVar("T")
Progress = Callable[[ImportJob, tuple[int, int]], None]


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _counters(job: ImportJob) -> dict[str, Any]:
    return {name: getattr(job, name) for name in COUNTERS}


# -- the way in ------------------------------------------------------------------------------


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
    _claim(job)
    try:
        if job.status != ImportStatus.RUNNING:  # finished by the process we waited for
            return job
        return _run(job, path, facts, actor=actor, on_progress=on_progress,
                    chunk_rows=chunk_rows, fork_min_bytes=fork_min_bytes)  # fmt: skip
    finally:
        _release(job)


def max_upload_bytes() -> int:
    """The largest file the API and the back office take (``XINYONG_IMPORT_MAX_UPLOAD_BYTES``)."""
    default = getattr(settings, "XINYONG_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    return int(getattr(settings, "XINYONG_IMPORT_MAX_UPLOAD_BYTES", default))


def upload_too_large(limit: int) -> XinyongError:
    return XinyongError(
        "upload-too-large",
        f"上传文件超过 {limit // (1024 * 1024)} MB 上限，请分批上传或改用命令行导入",
        status=413,
        limit_bytes=limit,
    )


def store_upload(chunks: Iterable[bytes], name: str) -> Path:
    """Keep an uploaded file under the var directory, where a resumed import finds it again."""
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(name).suffix.lower()[:10]
    target = folder / f"{uuid.uuid4().hex}{suffix}"
    with target.open("wb") as stream:
        for chunk in chunks:
            stream.write(chunk)
    return target


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
    where = f"“{item_code}”" if item_code else ""
    message = f"公共信用信息目录中没有本部门可报送的{label}条目{where}，目录外信息不予归集"
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind, department=department, status=ImportStatus.FAILED,
            actor=audit.describe_actor(actor)[0], file_name=file_name or path.name,
            file_path=str(path), file_size=facts.size, file_sha256=facts.sha256,
            file_format=importers.file_format(path), encoding=facts.encoding,
            business_date=clock.today(), error_code="not-in-catalog", error_message=message,
            finished_at=timezone.now(),
        )  # fmt: skip
        audit.record(
            actor=actor, action="catalog.refused", obj=job,
            after={"kind": kind, "item": item_code or "", "file": job.file_name}, reason=message,
        )  # fmt: skip
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
    """The job for this file: the one done or running, or a new one."""
    same_file = ImportJob.objects.filter(department=department, kind=kind, file_sha256=facts.sha256)
    for _attempt in range(2):
        existing = same_file.exclude(status=ImportStatus.FAILED).order_by("-id").first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                job = ImportJob.objects.create(
                    kind=kind, department=department, catalog_item=item,
                    actor=audit.describe_actor(actor)[0], file_name=file_name or path.name,
                    file_path=str(path), file_size=facts.size, file_sha256=facts.sha256,
                    file_format=importers.file_format(path), encoding=facts.encoding,
                    business_date=clock.today(),
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


# -- one process at a time per job -----------------------------------------------------------


def _alive(worker: str) -> bool:
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another user's live process
        return True
    return True


def _claim(job: ImportJob) -> None:
    """Become the one process running ``job``, waiting a while for a previous one to go.

    PostgreSQL: a session advisory lock, which the server drops with the session of a killed
    process; the session checks every second that its client is still there, so a killed
    process's last statement is cut short. SQLite: the previous process's id, if it still runs.
    """
    if connection.vendor == "postgresql":
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, job.pk])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() > deadline:
                    raise XinyongError("import-running", "同一文件正在另一进程中导入", status=409)
                time.sleep(0.5)
            cursor.execute("SET client_connection_check_interval = 1000")
    else:
        with transaction.atomic():
            current = ImportJob.objects.select_for_update().get(pk=job.pk)
            if current.worker and _alive(current.worker):
                raise XinyongError("import-running", "同一文件正在另一进程中导入", status=409)
            ImportJob.objects.filter(pk=job.pk).update(worker=_worker())
    job.refresh_from_db()
    if job.status != ImportStatus.RUNNING:
        return
    job.worker = _worker()
    job.runs += 1
    job.started_at = job.started_at or timezone.now()
    job.save(update_fields=["worker", "runs", "started_at"])


def _release(job: ImportJob) -> None:
    if connection.vendor == "postgresql" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, job.pk])
            cursor.execute("RESET client_connection_check_interval")


# -- the run ---------------------------------------------------------------------------------


def _warnings(header_map: HeaderMap, header: list[str]) -> list[dict[str, str]]:
    """Column names only: the values of a prohibited column are never kept anywhere."""
    notes = []
    if header_map.sensitive:
        names = "、".join(f"{header[i]}（{topic}）" for i, topic in header_map.sensitive.items())
        notes.append({
            "code": "sensitive-columns",
            "message": f"文件含禁止采集的敏感个人信息列：{names}；该列内容一律不保存，"
                       "填写了该列的行整行拒收（湘政办发〔2021〕54号 第14项）",
        })  # fmt: skip
    if header_map.unknown and not header_map.layout.keep_unknown:
        names = "、".join(header[i] for i in header_map.unknown)
        notes.append({"code": "unknown-columns", "message": f"以下列不属于本格式，未导入：{names}"})
    return notes


def _run(
    job: ImportJob, path: Path, facts: importers.FileFacts, *, actor: Any,
    on_progress: Progress | None, chunk_rows: int, fork_min_bytes: int,
) -> ImportJob:  # fmt: skip
    try:
        table = importers.open_table(
            path, facts, excel_max_bytes=getattr(settings, "XINYONG_IMPORT_EXCEL_MAX_BYTES",
                                                 importers.EXCEL_MAX_BYTES),
        )  # fmt: skip
        checker = importers.prepare(table, job.kind, selectors.import_context(job))
    except XinyongError as refused:
        _fail(job, refused, actor=actor)
        raise
    job.file_format = table.format
    job.edition = checker.map.edition
    job.columns = list(checker.report_header)
    job.warnings = _warnings(checker.map, table.header)
    job.save(update_fields=["file_format", "edition", "columns", "warnings"])
    job.resumed_from = job.rows_done  # type: ignore[attr-defined]  # for the caller's rows/s
    # Millions of short-lived rows and no reference cycles among them: the cyclic collector
    # would only rescan them again and again (it cost a third of the run).
    collecting, switch_interval = gc.isenabled(), sys.getswitchinterval()
    gc.disable()
    writer = ChunkWriter(job_id=job.pk, department_id=job.department_id, today=job.business_date)
    checking: forked.ForkedChecks | None = None
    try:
        if forked.possible(facts.size, min_bytes=fork_min_bytes):
            # Checked on another core by a forked child, while this process writes.
            checking = forked.ForkedChecks.start(
                table, checker, skip=job.rows_done, chunk_rows=min(chunk_rows, forked.CHUNK_ROWS)
            )
        if checking is not None:
            chunks, progress = iter(checking), checking.progress
        else:
            results = importers.check_rows(table, checker, skip=job.rows_done)
            chunks, progress = _chunks(results, chunk_rows), table.progress
        # SQLite's writes hold the interpreter lock in many short stretches, which a second
        # busy thread would make wait each time; PostgreSQL's are the server's, so overlap.
        if checking is None and connection.vendor == "postgresql":
            chunks = read_ahead(chunks, depth=READ_AHEAD, name="xinyong-import-reader")
            # The writing thread gives up the interpreter lock at every round trip, and then
            # waits for the busy reader to hand it back: by default up to 5 ms each time,
            # which had made a TRUNCATE of the stage take 75 ms.
            sys.setswitchinterval(SWITCH_INTERVAL)
        for chunk in chunks:
            _commit_chunk(job, writer, checker, chunk)
            if on_progress is not None:
                on_progress(job, progress())
    except forked.CheckerLost:  # left running from its last chunk, as after a kill: resumable
        raise
    except XinyongError as refused:  # the file turned out unreadable part-way
        _fail(job, refused, actor=actor)
        raise
    finally:
        if checking is not None:
            checking.close()
        writer.close()
        sys.setswitchinterval(switch_interval)
        if collecting:
            gc.enable()
    return _finish(job, actor=actor)


def _names_natural_person(checker: RowChecker, cells: list[str]) -> bool:
    """Whether a reported row's subject is a natural person: its kind says so or, in the older
    edition that has no kind column, it gives an ID number and no organisation's code (R14).
    Read from the cells as they came, however flawed the row."""
    columns = checker.map.columns

    def text(key: str) -> str:
        indexes = columns.get(key) or ()
        return str(cells[indexes[0]]).strip() if indexes and indexes[0] < len(cells) else ""

    if "subject_kind" in columns:
        return SUBJECT_KINDS.get(text("subject_kind")) == NATURAL_PERSON
    return bool(text("person_id")) and not text("uscc")


def _report_row(
    job: ImportJob,
    checker: RowChecker,
    result: RowResult,
    outcome: str,
    problems: Iterable[Problem],
) -> ReportRow:
    return ReportRow(
        job=job, row_number=result.number, outcome=outcome,
        reasons=[mask_citizen_ids_in(p._asdict()) for p in problems],
        values=list(result.values or ()),
        names_natural_person=_names_natural_person(checker, result.cells),
    )  # fmt: skip


def _commit_chunk(
    job: ImportJob, writer: ChunkWriter, checker: RowChecker, chunk: list[RowResult]
) -> None:
    """One chunk: its records, its report rows, the checkpoint and counters, all or nothing."""
    records = [result.record for result in chunk if result.record is not None]
    report: dict[int, ReportRow] = {}
    reasons: Counter[str] = Counter()
    quarantined = 0
    for result in chunk:
        if not result.problems:
            continue
        if result.record is None:
            quarantined += 1
            reasons.update({p.code for p in result.problems})
            report[result.number] = _report_row(
                job, checker, result, ReportRow.Outcome.QUARANTINED, result.problems
            )
        else:
            report[result.number] = _report_row(
                job, checker, result, ReportRow.Outcome.REVIEW, result.problems
            )
    with transaction.atomic():
        outcome = writer.write(records)
        by_number = {result.number: result for result in chunk} if outcome.duplicates else {}
        for number, first in outcome.duplicates.items():
            result = by_number[number]
            result = result._replace(values=checker.report_values(result.cells))
            duplicate = [problem("duplicate-in-file", row=first)]
            report[number] = _report_row(
                job, checker, result, ReportRow.Outcome.QUARANTINED, duplicate
            )
            reasons["duplicate-in-file"] += 1
        ReportRow.objects.bulk_create(report.values(), ignore_conflicts=True)
        not_new = set(outcome.duplicates) | set(outcome.already_recorded)
        job.rows_done += len(chunk)
        job.accepted += len(records) - len(outcome.duplicates)
        job.inserted += outcome.inserted
        job.already_recorded += len(outcome.already_recorded)
        job.quarantined += quarantined + len(outcome.duplicates)
        merged = Counter(job.quarantined_by_reason)
        merged.update(reasons)
        job.quarantined_by_reason = dict(sorted(merged.items()))
        job.subjects_created += outcome.subjects_created
        job.identifiers_for_review += sum(
            1 for r in records if r[_STATUS] == "review" and r[0] not in outcome.duplicates
        )
        job.late += sum(1 for r in records if r[_LATE] and r[0] not in not_new)
        job.save(update_fields=list(_counters(job)))


def _finish(job: ImportJob, *, actor: Any) -> ImportJob:
    with transaction.atomic():
        job.status = ImportStatus.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])
        counters = _counters(job)
        audit.record(actor=actor, action="import.finish", obj=job, after=counters)
        refused = {code: job.quarantined_by_reason.get(code, 0) for code in CATALOG_CODES}
        if any(refused.values()):
            numbers = _catalog_refused_rows(job, limit=100)
            audit.record(
                actor=actor, action="catalog.refused", obj=job,
                after={"rows": sum(refused.values()), "by_reason": refused, "row_numbers": numbers},
                reason="目录外信息不予归集",
            )  # fmt: skip
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


def _fail(job: ImportJob, refused: XinyongError, *, actor: Any) -> None:
    with transaction.atomic():
        job.status = ImportStatus.FAILED
        job.error_code = refused.code
        job.error_message = refused.message
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error_code", "error_message", "finished_at"])
        audit.record(
            actor=actor, action="import.fail", obj=job,
            after={"code": refused.code, **_counters(job)}, reason=refused.message,
        )  # fmt: skip


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
