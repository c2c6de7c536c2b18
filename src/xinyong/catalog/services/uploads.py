"""Uploaded files: the size the API and the back office take, and where an upload is kept (R9).

An upload is kept under the var directory, where an import killed part-way finds it again when
it resumes.
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


def store_upload(chunks: Iterable[bytes], name: str) -> Path:
    """Keep an uploaded file under the var directory, where a resumed import finds it again."""
    folder = private_folder(Path(settings.VAR_DIR) / "imports")  # personal data (R14)
    suffix = Path(name).suffix.lower()[:10]
    target = folder / f"{uuid.uuid4().hex}{suffix}"
    with target.open("wb") as stream:
        for chunk in chunks:
            stream.write(chunk)
    return target
