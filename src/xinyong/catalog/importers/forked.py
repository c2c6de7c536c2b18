"""Checking an import's rows in a forked process while this one writes them.

Checking a row (parsing, identifiers, dates, tiers, masking, the content's JSON) is Python,
and so is most of writing it on SQLite: in one process the two take turns on one core while
the machine has more. Once the checker is built (its catalog, calendar and keys read), ``fork``
gives a child the same checker without reading anything again. The child reads and checks the
file and sends each chunk of results down a pipe; this process stores them, chunk by chunk,
exactly as it stores the chunks it checks itself, so the checkpoint, the counters and the
report are the same whichever process checked.

Nothing is lost either way. The child writes nothing but the pipe. If this process dies, the
child's next write fails and it ends; if the child dies, this process finds the pipe closed
before the end and fails the job, which the same command resumes after its last committed
chunk. The child never uses nor closes the database connections it inherits: they belong to
this process (``xinyong.forking``, which also says when a fork is safe).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import struct
import sys
import traceback
from collections.abc import Iterator
from itertools import islice
from typing import Any, BinaryIO

from django.db import connection

from xinyong.catalog.importers import check_rows
from xinyong.catalog.importers.outcomes import RowResult
from xinyong.catalog.importers.validation import RowChecker
from xinyong.core.errors import XinyongError
from xinyong.forking import fork_is_safe, leave_connections

# A message: its kind (one byte), the length of its body (eight bytes), the body (a pickle).
_HEAD = struct.Struct("!cQ")
_CHUNK, _END, _REFUSED, _FAILED = b"C", b"E", b"R", b"F"
MIN_BYTES = 2 << 20  # below some 5,000 rows, the fork costs more than it saves
NEVER = sys.maxsize  # as the smallest file forked: none is
# Rows per message, and so per commit: two processes each hold a chunk or two, and smaller ones
# flow better through the pipe. At 300,000 rows on SQLite, 5,000 took the two processes' peak
# from 368 MB (at 10,000) to 255 MB, and was no slower; 2,500 gave 196 MB at about the same
# speed on a noisy machine, with twice the commits.
CHUNK_ROWS = 5_000
_PR_SET_PDEATHSIG = 1  # prctl(2)


class CheckerLost(XinyongError):
    """The child ended before the end of the file: killed, or out of memory. The job is left
    running from its last committed chunk, as if this process had been killed, so the same
    import started again goes on from there."""

    def __init__(self) -> None:
        super().__init__(
            "import-interrupted",
            "行校验进程意外退出；已提交的行均已保存，重新导入同一文件将从中断处继续",
            status=503,
        )


def default_min_bytes() -> int:
    """The smallest file checked by a forked child by default: on SQLite, ``MIN_BYTES``; on
    PostgreSQL, none. There the server already takes the second core (a thread checks while the
    server stores), and a forked checker measured no faster while the two processes took half
    as much memory again (300 MB against 210 MB at 100,000 rows, past the import's 300 MB)."""
    return MIN_BYTES if connection.vendor == "sqlite" else NEVER


def possible(size: int, *, min_bytes: int) -> bool:
    """Whether a file of ``size`` bytes is checked in a forked process here; ``min_bytes`` is
    the smallest file that is."""
    return size >= min_bytes and fork_is_safe()


class ForkedChecks:
    """The results of ``checker`` over ``table``'s rows after ``skip``, in chunks, checked by a
    forked child; ``progress()`` is the child's position in the file as of the last chunk.

    ``start`` answers None where the pipe or the fork cannot be made (a process limit, no
    memory to spare): the caller then checks in process, as on a small file.
    """

    @classmethod
    def start(
        cls, table: Any, checker: RowChecker, *, skip: int, chunk_rows: int
    ) -> ForkedChecks | None:
        try:
            return cls(table, checker, skip=skip, chunk_rows=chunk_rows)
        except OSError:
            return None

    def __init__(self, table: Any, checker: RowChecker, *, skip: int, chunk_rows: int) -> None:
        self._progress: tuple[int, int] = (0, 0)
        parent = os.getpid()
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:  # the child: whatever happens, it leaves here and never unwinds into
            try:  # the parent's code (which would use the parent's connections)
                _child(table, checker, skip, chunk_rows, read_end, write_end, parent)
            finally:
                os._exit(1)
        os.close(write_end)
        self._pid: int | None = pid
        self._pipe: BinaryIO = os.fdopen(read_end, "rb", buffering=1 << 20)

    def progress(self) -> tuple[int, int]:
        return self._progress

    def __iter__(self) -> Iterator[list[RowResult]]:
        try:
            while True:
                kind, body = self._receive()
                if kind == _CHUNK:
                    rows, self._progress = body
                    yield [RowResult._make(row) for row in rows]
                elif kind == _END:
                    return
                elif kind == _REFUSED:
                    code, message, status, details = body
                    raise XinyongError(code, message, status=status, **details)
                else:  # a failure checked in this process would have raised here too
                    raise RuntimeError(f"the forked row checker failed:\n{body}")
        finally:
            self.close()

    def _receive(self) -> tuple[bytes, Any]:
        head = self._pipe.read(_HEAD.size)
        if len(head) < _HEAD.size:
            raise CheckerLost
        kind, length = _HEAD.unpack(head)
        body = self._pipe.read(length)
        if len(body) < length:
            raise CheckerLost
        return kind, pickle.loads(body)

    def close(self) -> None:
        """Stop the child, whatever it is doing, and reap it (called when iteration ends)."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        self._pipe.close()
        with contextlib.suppress(ProcessLookupError):  # gone already, most often
            os.kill(pid, signal.SIGKILL)  # it has nothing to save
        os.waitpid(pid, 0)


def _child(
    table: Any, checker: RowChecker, skip: int, chunk_rows: int, read_end: int, write_end: int,
    parent: int,
) -> None:  # fmt: skip
    status = 1
    try:
        leave_connections()
        os.close(read_end)
        _die_with(parent)
        with os.fdopen(write_end, "wb", buffering=1 << 20) as pipe:
            try:
                rows = check_rows(table, checker, skip=skip)  # as this process would
                while chunk := list(islice(rows, chunk_rows)):
                    _send(pipe, _CHUNK, ([tuple(row) for row in chunk], table.progress()))
                _send(pipe, _END, None)
                status = 0
            except XinyongError as refused:  # the file turned out unreadable part-way
                _send(pipe, _REFUSED,
                      (refused.code, refused.message, refused.status, refused.details))  # fmt: skip
            except BrokenPipeError:
                raise
            except Exception:  # whatever it was, the parent must learn of it
                _send(pipe, _FAILED, traceback.format_exc())
    except BaseException:  # the parent is gone (a broken pipe), or the child was interrupted
        pass
    finally:
        os._exit(status)


def _die_with(parent: int) -> None:
    """Be killed when the parent dies (Linux's PR_SET_PDEATHSIG), rather than check on until the
    next write to the pipe fails; and leave at once if it is already gone."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the next write tells
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _send(pipe: BinaryIO, kind: bytes, body: Any) -> None:
    data = pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_HEAD.pack(kind, len(data)))
    pipe.write(data)
    pipe.flush()
