"""One process at a time per import job (R9, 001 §14).

A job killed part-way is resumed by the next process that imports the same file; while another
process still runs it, the newcomer waits a while (PostgreSQL) or is refused (SQLite).
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Iterator

from django.db import connection, transaction
from django.utils import timezone

from xinyong.catalog.models import ImportJob, ImportStatus
from xinyong.core.errors import XinyongError

LOCK_NAMESPACE = 0x58590001  # pg advisory locks: (namespace, job id)
LOCK_WAIT_SECONDS = 60


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


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


def claim(job: ImportJob) -> None:
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
            # Progress at once, in the same write: the daily job ends only a job whose last
            # progress is days old (``abandoned``), so it either ended it before (the status
            # read next says so) or now finds it under way.
            ImportJob.objects.filter(pk=job.pk).update(worker=_worker(), progress_at=timezone.now())
    job.refresh_from_db()
    if job.status != ImportStatus.RUNNING:
        return
    job.worker = _worker()
    job.runs += 1
    job.started_at = job.started_at or timezone.now()
    job.progress_at = timezone.now()
    job.save(update_fields=["worker", "runs", "started_at", "progress_at"])


@contextlib.contextmanager
def if_no_process_runs(job: ImportJob) -> Iterator[bool]:
    """Whether no process runs ``job`` now, and none starts to while the block runs (the daily
    job ending it, ``abandoned``). PostgreSQL: its lock, taken without waiting and held till
    the block ends, so a process come to resume it meanwhile waits and then finds it ended.
    SQLite: its last process is gone; one claiming it meanwhile writes its progress in the same
    write as its claim, which the block's write, conditional on old progress, then misses."""
    if connection.vendor != "postgresql":
        yield not (job.worker and _alive(job.worker))
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, job.pk])
        free = bool(cursor.fetchone()[0])
    try:
        yield free
    finally:
        if free:
            release(job)


def release(job: ImportJob) -> None:
    if connection.vendor == "postgresql" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, job.pk])
            cursor.execute("RESET client_connection_check_interval")
