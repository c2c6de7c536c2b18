"""Text files: the encoding, the fingerprint, and lines read with flat memory (DOMAIN.md §5).

The encoding is decided over the whole file by ``xinyong.core.tables.detect_encoding``: UTF-8
strictly first, then GB18030, never the reverse; a BOM is dropped in either (GB18030's,
84 31 95 33, decodes to U+FEFF). The file's SHA-256 is
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
from xinyong.core.tables import LINE_CAP, detect_encoding

BLOCK = 1 << 20


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

    Where an over-long line's record ends (see ``_RecordEnd``): for CSV (``delimiters`` set, by
    default a comma or a tab; the CSV reader sets its own once it has read the header) at the
    first line end outside a quoted cell, when its quoted cells are well-formed; otherwise, a
    quote left open or a cell closed and followed by text, at the line's own end, and the lines
    read past it are read again (R9: a quote left open in a 10 MB line must not take every line
    after it). For JSON lines (``delimiters=None``) always at the line's own end: a JSON string
    holds no line break.
    """

    def __init__(
        self, path: Path, encoding: str, *, line_cap: int = LINE_CAP,
        delimiters: str | None = ",\t",
    ) -> None:  # fmt: skip
        self.path = path
        self.encoding = "utf-8-sig" if encoding in ("utf-8", "utf8") else encoding  # drop a BOM
        self.line_cap = line_cap
        self.delimiters = delimiters
        self.bytes_read = 0
        self.cuts = 0
        self.last_cut_size = 0

    def __iter__(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self.encoding)("strict")
        # A BOM is dropped in GB18030 too, whose BOM (84 31 95 33) decodes to U+FEFF: the
        # utf-8-sig codec drops UTF-8's (DOMAIN.md §5).
        at_start = self.encoding != "utf-8-sig"
        carry = ""
        cut: str | None = None  # the head of an over-long line, given out once its end is found
        end: _RecordEnd | None = None  # where the over-long record ends, read as it comes
        with self.path.open("rb") as stream:
            while True:
                block = stream.read(BLOCK)
                self.bytes_read += len(block)
                text = decoder.decode(block, final=not block)
                if at_start and text:
                    text, at_start = text.removeprefix("\ufeff"), False
                if cut is not None and end is not None:
                    # A line end is one byte in UTF-8 and GB18030 alike (no byte of a longer
                    # character is 0x0A), so the first one past the head is found in the bytes.
                    end.note_line_end(self.bytes_read - len(block), block)
                    text, ended = end.skip(text)
                    if not ended:
                        if block:
                            continue
                        end.at_file_end()
                    if end.read_again_from is not None:
                        # Read again from the line's own end, with a decoder that keeps a
                        # U+FEFF there (the BOM is only ever at the file's start).
                        stream.seek(end.read_again_from)
                        self.bytes_read = end.read_again_from
                        decoder = codecs.getincrementaldecoder(
                            "utf-8" if self.encoding == "utf-8-sig" else self.encoding
                        )("strict")
                        yield self._give_cut(cut, end.line_size or end.size)
                        cut, end, carry = None, None, ""
                        continue
                    yield self._give_cut(cut, end.size)
                    cut, end = None, None
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
                    cut = carry[: self.line_cap]
                    end = _RecordEnd(self.delimiters)
                    end.skip(carry)  # the head, from the line's start: no line end in it
                    carry = ""
                if not block:
                    if cut is not None:
                        yield self._give_cut(cut, end.size if end is not None else len(cut))
                    elif carry.rstrip("\r"):
                        yield carry.rstrip("\r")
                    return

    def _give_cut(self, head: str, size: int) -> str:
        """An over-long line's head, a quote closed if one is left open."""
        self.cuts += 1
        self.last_cut_size = size
        return head + '"' if head.count('"') % 2 else head


_MORE, _ENDED, _MALFORMED = range(3)


class _RecordEnd:
    """Where an over-long line's record ends, read block by block without keeping the blocks.

    CSV as the reader reads it when strict: a quote opens a quoted cell only at a cell's start
    (elsewhere it is a character of the cell), two quotes inside one are a quote, and a quote
    closing one is followed by a delimiter or the line's end. A line end outside a quoted cell
    ends the record. Anything else (a closing quote followed by text: in fact the opening quote
    of another cell, the one left open having never closed; or the end of the file inside a
    quoted cell) means the record is the line alone: it ends at the line's own end
    (``read_again_from``, a byte offset), and the lines read past it are rows of their own.

    ``size`` counts the record's characters, as far as it is known to go, without the line end
    that ends it.
    """

    __slots__ = (
        "at_cell_start", "delimiters", "first_line_end", "in_quotes", "line_size", "quote_seen",
        "read_again_from", "size", "whole_line",
    )  # fmt: skip

    def __init__(self, delimiters: str | None) -> None:
        self.delimiters = delimiters or ""
        self.whole_line = delimiters is None  # JSON lines: no quoting across lines
        self.in_quotes = False
        self.quote_seen = False  # inside a quoted cell, a quote was the last character read
        self.at_cell_start = True
        self.size = 0
        self.line_size: int | None = None  # the characters of the line itself, once known
        self.first_line_end: int | None = None  # the byte offset just past the line's own end
        self.read_again_from: int | None = None

    def note_line_end(self, offset: int, block: bytes) -> None:
        """Remember where the over-long line itself ends: its first line end, in bytes."""
        if self.first_line_end is None:
            at = block.find(b"\n")
            if at >= 0:
                self.first_line_end = offset + at + 1

    def at_file_end(self) -> None:
        """The file ended inside a quoted cell: the record is the line alone."""
        if not self.whole_line and self.first_line_end is not None:
            self.read_again_from = self.first_line_end

    def skip(self, text: str) -> tuple[str, bool]:
        """Drop the record's part in ``text``: the text after the record, and whether it ended."""
        if self.line_size is None and (line_end := text.find("\n")) >= 0:
            self.line_size = self.size + line_end
        state, at = (_MALFORMED, 0) if self.whole_line else self._scan(text)
        if state == _MALFORMED:
            if self.first_line_end is not None and not self.whole_line:
                self.read_again_from = self.first_line_end  # the line was the whole record
                return "", True
            self.whole_line = True  # the line's own end, not yet read, ends the record
            line_end = text.find("\n")
            if line_end < 0:
                self.size += len(text)
                return "", False
            self.size += line_end
            return text[line_end + 1 :], True
        self.size += at - 1 if state == _ENDED else at  # the line end that ends it not counted
        return text[at:], state == _ENDED

    def _scan(self, text: str) -> tuple[int, int]:
        """How far the record goes in ``text``: (_ENDED, just past its line end), (_MORE,
        len(text)) or (_MALFORMED, where)."""
        delimiters, position, length = self.delimiters, 0, len(text)
        while position < length:
            if self.quote_seen:
                self.quote_seen = False
                character = text[position]
                if character == '"':  # two quotes: a quote inside the cell
                    position += 1
                    continue
                if character not in delimiters and character not in "\r\n":
                    return _MALFORMED, position
                self.in_quotes = False  # the quote closed the cell; the character is read below
                continue
            if self.in_quotes:
                quote = text.find('"', position)
                if quote < 0:
                    return _MORE, length
                self.quote_seen, position = True, quote + 1
                continue
            line_end, quote = text.find("\n", position), text.find('"', position)
            if quote < 0 or 0 <= line_end < quote:
                if line_end >= 0:
                    return _ENDED, line_end + 1
                self.at_cell_start = text[-1] in delimiters
                return _MORE, length
            starts_cell = text[quote - 1] in delimiters if quote > 0 else self.at_cell_start
            self.in_quotes = starts_cell  # elsewhere a quote is a character of its cell
            position = quote + 1
        self.at_cell_start = False
        return _MORE, length
