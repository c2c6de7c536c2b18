"""Evidence files sent with an objection: what is taken, and where it is kept (R6, R14).

Only PDF, JPEG and PNG files are taken, each recognised by its first bytes as well as its name,
so that a renamed file of another kind is refused; each is bounded in size and an objection in
number. Files are kept through Django's storage under the data directory, which the web server
never serves, readable by the serving account alone (the settings' FILE_UPLOAD_PERMISSIONS and
FILE_UPLOAD_DIRECTORY_PERMISSIONS): a subject gets its own files back through the portal alone.
A file is kept on disk under a name of ours, and its sender's name for it kept masked (R14).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse

from xinyong.core.errors import XinyongError
from xinyong.core.protection import mask_citizen_ids

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
# What a subject's portal form may send at all: its files and a margin for the form's fields
# and the multipart framing. The server refuses a larger body before reading it.
MAX_REQUEST_BYTES = MAX_FILES * MAX_FILE_BYTES + 1024 * 1024


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    magic: bytes


KINDS = {
    ".pdf": Kind("PDF", "application/pdf", b"%PDF-"),
    ".jpg": Kind("JPG", "image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": Kind("JPG", "image/jpeg", b"\xff\xd8\xff"),
    ".png": Kind("PNG", "image/png", b"\x89PNG\r\n\x1a\n"),
}
ACCEPT = ",".join(KINDS)  # the file input's hint to the browser


def storage() -> Storage:
    """Where evidence is kept: the data directory, read at each call (tests move it)."""
    return FileSystemStorage(location=Path(settings.VAR_DIR) / "objection-evidence")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def kind_of(upload: UploadedFile) -> Kind:
    """The file's kind, or a refusal that names the file and says what is taken."""
    name = upload.name or ""
    kind = KINDS.get(PurePath(name).suffix.lower())
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise XinyongError(
            "evidence-too-large",
            f"文件“{name}”过大（{_megabytes(upload.size)}），每个文件不能超过 "
            f"{_megabytes(MAX_FILE_BYTES)}",
            status=422,
        )
    if kind is not None:
        upload.seek(0)
        head = upload.read(len(kind.magic))
        upload.seek(0)
        if head == kind.magic:
            return kind
    raise XinyongError(
        "evidence-type-not-allowed",
        f"文件“{name}”的类型不受支持，证据材料只接受 PDF、JPG、PNG 文件",
        status=422,
    )


def check(uploads: Sequence[UploadedFile]) -> list[Kind]:
    """Each file's kind, after the number of files and every file passed (R6)."""
    if len(uploads) > MAX_FILES:
        raise XinyongError(
            "too-many-evidence-files", f"每次异议最多提交 {MAX_FILES} 个证据文件", status=422
        )
    return [kind_of(upload) for upload in uploads]


def keep(upload: UploadedFile, folder: int | str, kind: Kind) -> str:
    """Store one file under a name of ours (never the sender's) and answer that name; an
    objection's files go under its entry's id, a repair application's under ``repairs/<id>``."""
    suffix = ".jpg" if kind.content_type == "image/jpeg" else f".{kind.label.lower()}"
    return storage().save(f"{folder}/{uuid.uuid4().hex}{suffix}", upload)


def kept_name(upload: UploadedFile) -> str:
    """The name a file is known by: its sender's, which may be after a person (a photo of an ID
    card named by its number), so a citizen ID in it is masked (R14, 001 §13-14). It is shown on
    the subject's and the office's pages, in the API's answers and as a download's name.
    Masked before the cut to the column's length: cut first, part of an ID would be left that
    no longer reads as one."""
    return mask_citizen_ids(upload.name or "")[-255:]


def download(stored: Any) -> FileResponse:
    """A kept file (evidence, a repair material) back as a download under the name it was kept
    with (``kept_name``), never shown inline: the browser does not render what a subject
    uploaded."""
    return FileResponse(
        storage().open(stored.stored_name, "rb"), as_attachment=True,
        filename=stored.file_name, content_type=stored.content_type,
    )  # fmt: skip


@contextlib.contextmanager
def kept_only_if_taken() -> Iterator[list[str]]:
    """The stored names of the files ``store`` keeps inside the block; if the block fails (the
    row they belong to is not taken), the files go too: none is left without its row."""
    kept: list[str] = []
    try:
        yield kept
    except BaseException:
        for name in kept:
            storage().delete(name)
        raise


def store(model: Any, upload: UploadedFile, found: Kind, folder: int | str, kept: list[str],
          **owner: Any) -> Any:  # fmt: skip
    """Keep ``upload``, of the kind ``found`` (``check``), and its row of ``model`` (a
    ``StoredFile``) with ``owner``'s fields; its name joins ``kept`` (``kept_only_if_taken``)."""
    kept.append(keep(upload, folder, found))
    return model.objects.create(
        stored_name=kept[-1], file_name=kept_name(upload),
        content_type=found.content_type, size=upload.size or 0, **owner,
    )  # fmt: skip
