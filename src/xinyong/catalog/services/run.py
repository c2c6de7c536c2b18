"""The run of an import job: the file checked row by row, in chunks committed one by one
(R9, 001 §14).

It starts after the last committed chunk, so a job killed part-way resumes where it stopped.
A large file is checked by a forked child on another core while this process writes
(``importers.forked``); on PostgreSQL a thread reads ahead instead.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection

from xinyong.catalog import importers, selectors
from xinyong.catalog.bulk import ChunkWriter
from xinyong.catalog.importers import forked
from xinyong.catalog.importers.formats import HeaderMap
from xinyong.catalog.importers.validation import RowChecker
from xinyong.catalog.models import ImportJob
from xinyong.catalog.same_decision import stated_by
from xinyong.catalog.services.checkpoints import COUNTERS, commit_chunk
from xinyong.catalog.services.endings import fail, finish
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.prefetch import read_ahead
from xinyong.core.protection import mask_citizen_ids

# Rows per transaction. Memory goes with it (a checked row takes about 3 KB until written):
# 10,000 keeps an import of any size under 300 MB with one chunk read ahead (231 MB at 1M rows).
CHUNK_ROWS = 10_000
READ_AHEAD = 1  # chunks checked and waiting while one is written
SWITCH_INTERVAL = 0.0005  # seconds: how long the reader may keep the interpreter lock

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


def _outside_catalog(
    header_map: HeaderMap, header: list[str], data_items: frozenset[str]
) -> list[str]:
    """The names of the columns a file brings that no row keeps: in a penalty or licence file,
    every column outside the national format; in a records file, those beyond its format's
    fields that no catalog item the department records under states among its data items
    (R13, 001 §三(二)). A column without a name is named by its position."""
    if header_map.layout.keep_unknown:
        dropped = [i for i in header_map.unknown if header[i].strip() not in data_items]
    else:
        dropped = list(header_map.unknown)
    return [header[i].strip() or f"第{i + 1}列（无列名）" for i in dropped]


def _warnings(
    header_map: HeaderMap, header: list[str], data_items: frozenset[str] = frozenset()
) -> list[dict[str, str]]:
    """Column names only: the values of a prohibited column are never kept anywhere.

    Other records keep a column beyond the format's fields only where the row's catalog item
    lists it among its data items (R13); ``data_items`` are all the items' the department may
    record under, so a column outside them is kept for no row.

    A name may still be a value (a data row taken for the header, a citizen ID typed as a
    column's name): masked like any message that echoes a file (R14)."""
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
    elif header_map.unknown:
        outside = [header[i] for i in header_map.unknown if header[i].strip() not in data_items]
        if outside:
            notes.append({
                "code": "columns-not-in-catalog",
                "message": f"以下列不在目录事项列明的数据项中，未保存：{'、'.join(outside)}；"
                           "其他列只为列明该数据项的目录事项的记录保存",
            })  # fmt: skip
    return [{**note, "message": mask_citizen_ids(note["message"])} for note in notes]


def _describe_columns(job: ImportJob, table: importers.Table, checker: RowChecker) -> list[str]:
    """The job's format, edition, columns and warnings, read from the header (again on a
    resumed run); answers the columns no row keeps, so the job's end can name them (R13).

    A name may be a value (R14): the columns are masked like the warnings, one name for one, so
    that the report they head (``selectors.report_lines``) and the job's page still put each
    name over its own values, which are masked too."""
    job.file_format = table.format
    job.edition = checker.map.edition
    job.columns = [mask_citizen_ids(name) for name in checker.report_header]  # one for one
    stated = frozenset().union(*(item.data_items for item in checker.context.items.values()))
    job.warnings = [*_warnings(checker.map, table.header, stated), *table.warnings]
    job.save(update_fields=["file_format", "edition", "columns", "warnings"])
    return [mask_citizen_ids(name) for name in _outside_catalog(checker.map, table.header, stated)]


def _fault(fault: Exception, job: ImportJob) -> XinyongError:
    """The job's reason for a fault of the platform's own: its kind, not its text, which may
    quote a row's values (R14); the text goes to the log with the exception."""
    return XinyongError(
        "import-fault",
        f"导入时发生内部错误（{type(fault).__name__}），已停止：已处理的{job.rows_done}行"
        "已保存；请联系平台运维人员，修复后重新导入同一文件，已入库的记录不会重复",
        status=500,
    )


def _same_file_jobs(job: ImportJob) -> frozenset[int]:
    """The department's earlier jobs of the same file, whose records tell a row repeated in
    the file from one recorded before it (``bulk.ChunkWriter``)."""
    earlier = ImportJob.objects.filter(
        department_id=job.department_id, file_sha256=job.file_sha256, pk__lt=job.pk
    )
    return frozenset(earlier.values_list("pk", flat=True))


def run(
    job: ImportJob, path: Path, facts: importers.FileFacts, *, actor: Any,
    on_progress: Progress | None, chunk_rows: int, fork_min_bytes: int,
) -> ImportJob:  # fmt: skip
    try:
        table = importers.open_table(
            path, facts, excel_max_bytes=getattr(settings, "XINYONG_IMPORT_EXCEL_MAX_BYTES",
                                                 importers.EXCEL_MAX_BYTES),
        )  # fmt: skip
        # Checked on the day the run reads them: a resumed job's rows on the day it resumed.
        context = selectors.import_context(job, clock.today())
        checker = importers.prepare(table, job.kind, context)
        refused_columns = _describe_columns(job, table, checker)
    except XinyongError as refused:
        fail(job, refused, actor=actor)
        raise
    except Exception as fault:  # the same header would meet it again at every resumption
        fail(job, _fault(fault, job), actor=actor)
        raise
    job.resumed_from = job.rows_done  # type: ignore[attr-defined]  # for the caller's rows/s
    # Millions of short-lived rows and no reference cycles among them: the cyclic collector
    # would only rescan them again and again (it cost a third of the run).
    collecting, switch_interval = gc.isenabled(), sys.getswitchinterval()
    gc.disable()
    writer = ChunkWriter(job_id=job.pk, department_id=job.department_id,
                         stated=stated_by(checker.map.layout, checker.text.content_keys),
                         same_file_jobs=_same_file_jobs(job),
                         file_sha256=job.file_sha256)  # fmt: skip
    checking: forked.ForkedChecks | None = None
    in_callback = False
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
            commit_chunk(job, writer, checker, chunk)
            if on_progress is not None:
                in_callback = True
                on_progress(job, progress())
                in_callback = False
    except forked.CheckerLost:  # left running from its last chunk, as after a kill: resumable
        raise
    except XinyongError as refused:  # the file turned out unreadable part-way
        fail(job, refused, actor=actor)
        raise
    except Exception as fault:
        # A fault of our own while a chunk was checked or written would meet the same row
        # again at every resumption: the job ends failed, the file sent again is a new job
        # that records nothing twice. The caller's progress callback raising stops the run
        # as a kill does (an interrupted command line): the job stays running, to resume.
        if not in_callback:
            job.refresh_from_db(fields=COUNTERS)  # as the last chunk committed left them
            fail(job, _fault(fault, job), actor=actor)
        raise
    finally:
        if checking is not None:
            checking.close()
        writer.close()
        sys.setswitchinterval(switch_interval)
        if collecting:
            gc.enable()
    return finish(job, actor=actor, refused_columns=refused_columns)
