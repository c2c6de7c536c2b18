"""A large file on two cores: its second half screened by a forked copy of the process.

CPython runs one thread of Python at a time, and a million rows of look-ups and formatting keep
one core busy; the machine has more. Once the whole subject table is in memory, ``fork`` gives a
second process the same map without reading it again (its pages are shared until written). The
child screens the second half of the file into a file of its own; the parent screens the first
half, then appends the child's rows, so the output keeps the input's order.

Only where this is safe: the table mode (the child never touches the database: the parent's
connection is dropped in the child, never used), no name column (name matching may query), a
CSV file without quotes (a quoted cell may hold a line break, so a byte offset might fall inside
a row), the main thread of a process with no other thread, outside any transaction.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xinyong.core import idcheck
from xinyong.core.errors import XinyongError
from xinyong.core.tables import is_excel, read_records
from xinyong.forking import fork_is_safe, leave_connections

SPLIT_MIN_BYTES = 8 << 20  # some 200,000 rows: below, a fork costs more than it saves


def split_point(source: Path, *, min_bytes: int = SPLIT_MIN_BYTES) -> tuple[int, int] | None:
    """(byte offset where the second half starts, lines before it), or None."""
    if is_excel(source) or source.stat().st_size < min_bytes or not fork_is_safe():
        return None
    middle, position, lines, offset = source.stat().st_size // 2, 0, 0, None
    split_crlf = False  # the last block ended between the CR and the LF of one line end
    with source.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            # Quotes may hide line breaks; a lone CR ends a line for Python but not for the count.
            if split_crlf and not block.startswith(b"\n"):
                return None
            split_crlf = block.endswith(b"\r")
            if b'"' in block or block.count(b"\r") - split_crlf != block.count(b"\r\n"):
                return None
            if offset is None and position + len(block) > middle:
                at = block.find(b"\n", max(middle - position, 0))  # never inside a character
                if at >= 0:
                    offset = position + at + 1
                    lines += block.count(b"\n", 0, at + 1)
                else:
                    lines += block.count(b"\n")
            elif offset is None:
                lines += block.count(b"\n")
            position += len(block)
    return (offset, lines) if offset is not None and offset < position else None


def start_second_half(
    run: Any, source: Path, offset: int, part: Path, screen: Callable[..., None]
) -> tuple[int, int]:
    """Fork; the child screens from ``offset`` into ``part`` and reports its counters."""
    idcheck.warm_up()  # read once here, not in each half
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    code, payload = 1, {}
    try:  # the child: never returns, never touches the parent's files or connection
        os.close(read_end)
        leave_connections()  # held, never closed: they are the parent's
        run.report = type(run.report)(lookup=run.report.lookup)
        with part.open("w", encoding="utf-8", newline="") as out:
            screen(run, read_records(source, start=offset), out, None)
        code, payload = 0, {"report": run.report.counts()}
    except XinyongError as exc:
        payload = {"code": exc.code, "message": exc.message}
    except BaseException as exc:  # whatever it was, the parent must learn of it
        payload = {"code": "screening-failed", "message": f"{type(exc).__name__}: {exc}"}
    finally:
        os.write(write_end, json.dumps(payload).encode())
        os._exit(code)


def finish_second_half(pid: int, read_end: int, run: Any, part: Path, stream: Any) -> None:
    """Wait for the child, add its counters, append its rows."""
    with os.fdopen(read_end, "rb") as pipe:
        payload = json.loads(pipe.read() or b"{}")
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or "report" not in payload:
        message = payload.get("message", "后半部分核查进程异常退出")
        raise XinyongError(payload.get("code", "screening-failed"), message, status=500)
    run.report.add(payload["report"])
    stream.flush()
    append(part, stream.buffer)


def append(part: Path, target: Any) -> None:
    """``part``'s bytes after what ``target`` (a binary file) holds: copied by the kernel where it
    can (``copy_file_range``, without passing through this process: some 0.03 s less for half
    a million rows), else read and written here."""
    target.flush()
    with part.open("rb") as rows:
        left = os.fstat(rows.fileno()).st_size
        copy = getattr(os, "copy_file_range", None)
        try:
            while copy is not None and left > 0:  # each file's own position moves on
                copied = copy(rows.fileno(), target.fileno(), left)
                if not copied:
                    break
                left -= copied
        except OSError:  # not between these files (another file system, an old kernel)
            pass
        shutil.copyfileobj(rows, target, 1 << 20)  # what is left, from where the copy stopped
