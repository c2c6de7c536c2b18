"""Zipped XML parts of an untrusted workbook, read as a stream (R14 secure by default; R11: one
file must not stop the process reading it): a zipped part only when stored or deflated, within
the size its directory declares (``member``); XML read by expat without a tree, a DTD or more
than ``MAX_DEPTH`` levels (``Xml``). Shared by the readers of what python-calamine does not give:
error values (``core.spreadsheet_errors``) and merged ranges (``core.merged_cells``).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from typing import IO
from xml.parsers import expat

BLOCK = 1 << 20
OVERLAP = 16  # bytes kept between blocks, so that an attribute cut in two is still found
MAX_DEPTH = 256  # levels of XML; a sheet's cell text nests a few, never hundreds


def member(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A zipped part, read within the size its directory declares (``zipfile`` stops there).
    Only stored and deflated parts, which every spreadsheet writer makes: another method's
    decompressor takes its input whole, however much it expands to."""
    info = archive.getinfo(name)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ValueError(f"{name} is compressed by method {info.compress_type}")
    return archive.open(info)


def mentions(stream: IO[bytes], pattern: re.Pattern[bytes]) -> bool:
    """Whether the part holds ``pattern`` anywhere, read block by block: one pass that only
    looks for a mark settles most parts before any is parsed."""
    tail = b""
    for block in iter(lambda: stream.read(BLOCK), b""):
        if pattern.search(tail + block):
            return True
        tail = block[-OVERLAP:]
    return False


class Done(Exception):
    """Raised by a handler when what it wanted is read: the rest of the XML is not."""


class Xml:
    """One XML stream read by expat, start to end, without building a tree: ``start(name,
    attributes)`` and ``end(name)`` see each element, names as ``namespace}local``; a handler
    that has what it wants raises ``Done``. A DTD (and so any entity it declares) and nesting
    past ``MAX_DEPTH`` refuse the file; no spreadsheet writer makes either. ``collect`` starts
    gathering character data until ``collected``, a little past ``limit`` characters (the short
    texts read so, an error's name, need no more)."""

    def __init__(
        self, start: Callable[[str, dict[str, str]], None], end: Callable[[str], None]
    ) -> None:
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.buffer_text = True
        self.depth, self.on_start, self.on_end = 0, start, end
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.text: list[str] = []
        self.length = self.limit = 0

    def read(self, stream: IO[bytes]) -> None:
        parse = self.parser.Parse
        try:
            for block in iter(lambda: stream.read(BLOCK), b""):
                parse(block, False)
            parse(b"", True)
        except Done:
            pass

    def collect(self, limit: int) -> None:
        self.text, self.length, self.limit = [], 0, limit
        self.parser.CharacterDataHandler = self._character_data

    def collected(self) -> str:
        self.parser.CharacterDataHandler = None
        return "".join(self.text)

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ValueError(f"XML nested more than {MAX_DEPTH} levels deep")
        self.on_start(name, attributes)

    def _end(self, name: str) -> None:
        self.depth -= 1
        self.on_end(name)

    def _character_data(self, data: str) -> None:
        if self.length <= self.limit:
            self.text.append(data)
            self.length += len(data)

    @staticmethod
    def _doctype(*_: object) -> None:
        raise ValueError("a document type declaration")


def local_name(name: str) -> str:
    """An element's name without its namespace (strict and transitional OOXML differ)."""
    return name.rpartition("}")[2]
