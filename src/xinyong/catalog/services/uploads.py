"""Uploaded files: the size the API and the back office take, and where an upload is kept (R9).

An upload is kept under the var directory while its job may resume: an import killed part-way
can be run again from it. It holds citizen IDs and may hold a prohibited column's values, which
are never to be stored (001 §14, R14), so it is deleted once its job has ended, done or failed
(``endings``), and at once when the whole file is refused (``jobs.import_upload``). Nothing
reads it afterwards: a job's report is its rows in the database. A job killed and never resumed
is ended by the daily job after ``XINYONG_IMPORT_ABANDONED_AFTER_DAYS``, and its upload with it;
so is a file no job resumes from, left by a process killed before its job was opened or whose
deletion failed (``abandoned``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from xinyong.core.errors import XinyongError
from xinyong.core.private_folders import private_folder

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


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


def _folder() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def store_upload(chunks: Iterable[bytes], name: str) -> Path:
    """Keep an uploaded file under the var directory, where a resumed import finds it again."""
    folder = private_folder(_folder())  # personal data (R14)
    suffix = Path(name).suffix.lower()[:10]
    target = folder / f"{uuid.uuid4().hex}{suffix}"
    with target.open("wb") as stream:
        for chunk in chunks:
            stream.write(chunk)
    return target


def is_stored_upload(path: str | Path) -> bool:
    """Whether ``path`` is an upload kept here, not a department's own file named on the
    command line."""
    return Path(path).parent.resolve() == _folder().resolve()


def stored_uploads() -> list[Path]:
    """The uploads kept now, none if none was ever kept."""
    folder = _folder()
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def discard_upload(path: str | Path) -> None:
    """Delete a stored upload. A file anywhere else is a department's own, named on the command
    line, and is never touched."""
    if is_stored_upload(path):
        Path(path).unlink(missing_ok=True)
