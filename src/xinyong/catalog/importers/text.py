"""Text files: the encoding, the fingerprint, and lines read with flat memory (DOMAIN.md §5).

The encoding is decided over the whole file by ``xinyong.core.tables.detect_encoding``: UTF-8
strictly first (a BOM is dropped), then GB18030, never the reverse. The file's SHA-256 is
taken at the same time on a second thread (hashing releases the interpreter lock); it names
the file for resuming an interrupted import and for recognising a file sent twice.

Lines are cut from fixed-size blocks, so no line can make memory grow: a line longer than
``line_cap`` characters (a 10 MB cell, say) keeps only its first ``line_cap`` characters, the
rest is skipped up to the end of its record, and ``cuts`` counts it so the row can be refused.
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from xinyong.core.errors import XinyongError
from xinyong.core.tables import detect_encoding

BLOCK = 1 << 20
LINE_CAP = 1 << 20  # characters kept of one line; far above any real record


@dataclasses.dataclass(frozen=True)
class FileFacts:
    size: int
    sha256: str
    encoding: str  # "utf-8" or "gb18030" as detected, or "" for a binary file (Excel)


def _sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def inspect_file(path: Path, *, text: bool) -> FileFacts:
    """Size, SHA-256 and, for a text file, its encoding, in one pass over the file."""
    if not path.is_file():
        raise XinyongError("file-unreadable", f"无法读取文件：{path.name}", status=422)
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(_sha256, path)
        encoding = detect_encoding(path) if text else ""
        return FileFacts(path.stat().st_size, digest.result(), encoding)


class Lines:
    """The lines of a text file without their ``\\n``, with CRLF read as LF.

    ``bytes_read`` tells how far the file has been read (for a progress bar); ``cuts`` counts
    the over-long lines so far and ``last_cut_size`` is the length of the last one.
    """

    def __init__(self, path: Path, encoding: str, *, line_cap: int = LINE_CAP) -> None:
        self.path = path
        self.encoding = "utf-8-sig" if encoding in ("utf-8", "utf8") else encoding  # drop a BOM
        self.line_cap = line_cap
        self.bytes_read = 0
        self.cuts = 0
        self.last_cut_size = 0

    def __iter__(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self.encoding)("strict")
        carry = ""
        cut: str | None = None  # the head of an over-long line, given out once its end is found
        quotes = size = 0  # of the over-long record so far: its quote characters, its length
        with self.path.open("rb") as stream:
            while True:
                block = stream.read(BLOCK)
                self.bytes_read += len(block)
                text = decoder.decode(block, final=not block)
                if cut is not None:
                    text, ended, quotes, size = self._skip(text, quotes, size)
                    if not ended and block:
                        continue
                    yield self._give_cut(cut, size)
                    cut = None
                text = carry + text
                if "\r" in text:
                    if text.endswith("\r") and block:
                        text, carry_cr = text[:-1], "\r"
                    else:
                        carry_cr = ""
                    text = text.replace("\r\n", "\n") + carry_cr
                parts = text.split("\n")
                carry = parts.pop()
                yield from parts
                if len(carry) > self.line_cap:
                    cut, quotes, size, carry = (
                        carry[: self.line_cap],
                        carry.count('"'),
                        len(carry),
                        "",
                    )
                if not block:
                    if cut is not None:
                        yield self._give_cut(cut, size)
                    elif carry.rstrip("\r"):
                        yield carry.rstrip("\r")
                    return

    def _give_cut(self, head: str, size: int) -> str:
        """An over-long line's head, a quote closed if one is left open."""
        self.cuts += 1
        self.last_cut_size = size
        return head + '"' if head.count('"') % 2 else head

    @staticmethod
    def _skip(text: str, quotes: int, size: int) -> tuple[str, bool, int, int]:
        """Drop the rest of an over-long record, up to a line end outside quotes.

        Answers the text after it, whether the end was found, and the counts so far.
        """
        start = 0
        while True:
            end = text.find("\n", start)
            if end < 0:
                return "", False, quotes + text.count('"', start), size + len(text) - start
            quotes += text.count('"', start, end)
            size += end - start + 1
            start = end + 1
            if quotes % 2 == 0:
                return text[start:], True, 0, size
