"""JSON files: an array of objects (or ``{"data": [...]}``), or JSON Lines; read as a stream.

An array is cut into its objects with ``json.JSONDecoder.raw_decode`` over a sliding buffer, so
only one object is in memory at a time; an object larger than ``OBJECT_CAP`` characters stops
the import. The columns are every key the objects use, in the order first seen: a first pass
collects them, the second reads the rows. Every row has every column, so a file whose objects
name more than ``MAX_COLUMNS`` keys between them is refused while they are collected (a
million distinct keys made a million columns in every row, and the process ran out of
memory). A nested value is kept as its JSON text, unless a key
inside it names prohibited data (001 §14): then the value is dropped and the row is refused; so
is a string value that holds such JSON as text (``embedded_json``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from xinyong.catalog.importers.embedded_json import refuse_sensitive_json
from xinyong.catalog.importers.formats import nested_sensitive_topic
from xinyong.catalog.importers.outcomes import FlawedRow
from xinyong.catalog.importers.row_text import LONE_SURROGATE, NUL
from xinyong.catalog.importers.text import BLOCK, Lines
from xinyong.core.errors import XinyongError
from xinyong.core.protection import mask_citizen_ids
from xinyong.core.tables import cell_text

OBJECT_CAP = 64 * 1024 * 1024
# Distinct keys, i.e. columns, a file may name: far above any record's fields (a penalty has
# 25), far below what rows of that many cells would cost (R14 secure by default).
MAX_COLUMNS = 1_000
WRAPPERS = ("data", "records", "rows", "items", "list")
_WHITESPACE = " \t\r\n"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # As a spreadsheet's number cell is read: no binary noise, and a number of more than
        # 15 digits (an ID written with a point or an exponent) as the float holds it, which
        # the identifier's check refuses rather than reading digits the float made up.
        return cell_text(value)
    if isinstance(value, int):  # JSON's integers are exact, however long
        return str(value)
    return json.dumps(value, ensure_ascii=False)


class JsonTable:
    format = "json"
    warnings: tuple[dict[str, str], ...] = ()  # about the file as a whole: none to give
    header_found = True  # its objects' keys: a JSON file has no title rows

    def __init__(self, path: Path, encoding: str, size: int) -> None:
        self.path, self.encoding, self.size = path, encoding, size
        self.bytes_read = 0
        self.lines_mode = path.suffix.lower() in (".jsonl", ".ndjson")
        keys: dict[str, None] = {}
        for obj in self._objects():
            if isinstance(obj, dict):
                keys.update(dict.fromkeys(obj))
                if len(keys) > MAX_COLUMNS:
                    raise XinyongError(
                        "json-too-many-columns",
                        f"JSON 记录中的字段名（列）超过 {MAX_COLUMNS:,} 个：每个不同的键都是"
                        "一列；请检查是否把数据写进了键名",
                        status=422,
                    )
        if not keys:
            raise XinyongError("file-empty", "JSON 文件中没有记录（应为对象数组）", status=422)
        _refuse_unstorable_keys(keys)
        self.header = list(keys)

    def progress(self) -> tuple[int, int]:
        return self.bytes_read, self.size

    def rows(self) -> Iterator[list[str]]:
        header = self.header
        for obj in self._objects():
            if not isinstance(obj, dict):
                yield FlawedRow([], "csv-syntax", detail="JSON 数组中的元素不是对象")
                continue
            row = [_text(obj.get(key)) for key in header]
            nested = {
                index: topic
                for index, key in enumerate(header)
                if isinstance(obj.get(key), dict | list)
                and (topic := nested_sensitive_topic(obj[key])) is not None
            }
            if nested:
                # A key inside the value names prohibited data (001 §14): the whole value is
                # left out here, so nothing after the reader ever holds it, and the row is
                # refused.
                for index in nested:
                    row[index] = ""
                yield FlawedRow(row, "sensitive-field", columns=nested)
            elif any(row):
                # A string value may hold JSON text itself, as a CSV cell may (001 §14).
                yield refuse_sensitive_json(row)

    def _objects(self) -> Iterator[Any]:
        self.bytes_read = 0
        if self.lines_mode:
            yield from self._json_lines()
        else:
            yield from self._array()

    def _json_lines(self) -> Iterator[Any]:
        lines = Lines(self.path, self.encoding, line_cap=OBJECT_CAP, delimiters=None)
        for line in lines:
            self.bytes_read = lines.bytes_read
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise _syntax(exc) from exc

    def _array(self) -> Iterator[Any]:
        decoder = json.JSONDecoder()
        encoding = "utf-8-sig" if self.encoding in ("utf-8", "utf8") else self.encoding
        with self.path.open(encoding=encoding, newline="") as stream:
            buffer, eof = "", False

            def fill(buffer: str) -> tuple[str, bool]:
                block = stream.read(BLOCK)
                self.bytes_read = min(self.size, self.bytes_read + len(block.encode(encoding)))
                return buffer + block, not block

            position = 0
            # Find the array: the document itself, or the list under a wrapper key.
            while True:
                buffer, eof = fill(buffer)
                # A BOM, dropped as the CSV reader drops it: UTF-8's by the utf-8-sig codec,
                # GB18030's (84 31 95 33, U+FEFF once decoded) here (DOMAIN.md §5).
                buffer = buffer.removeprefix("\ufeff")
                start = buffer.lstrip(_WHITESPACE)
                if start or eof:
                    break
            if start.startswith("{"):
                position = self._unwrap(buffer)
                if position < 0:
                    raise XinyongError(
                        "json-format", "JSON 文件应为对象数组，或含 data 数组的对象", status=422
                    )
            else:
                position = buffer.find("[")
                if position < 0 or buffer[:position].strip(_WHITESPACE):
                    raise XinyongError(
                        "json-format", "JSON 文件应为对象数组，或含 data 数组的对象", status=422
                    )
            position += 1
            while True:
                while position < len(buffer) and buffer[position] in _WHITESPACE + ",":
                    position += 1
                if position >= len(buffer):
                    if eof:
                        raise XinyongError("json-format", "JSON 数组没有结束", status=422)
                    buffer, eof = fill(buffer[position:])
                    position = 0
                    continue
                if buffer[position] == "]":
                    return
                try:
                    obj, end = decoder.raw_decode(buffer, position)
                except json.JSONDecodeError as exc:
                    if eof:
                        raise _syntax(exc) from exc
                    if len(buffer) - position > OBJECT_CAP:
                        raise XinyongError(
                            "json-object-too-large", "JSON 中有一条记录超过 64 MB", status=422
                        ) from exc
                    buffer, eof = fill(buffer[position:])
                    position = 0
                    continue
                if end == len(buffer) and not eof:  # a number may go on in the next block
                    buffer, eof = fill(buffer[position:])
                    position = 0
                    continue
                yield obj
                position = end

    def _unwrap(self, buffer: str) -> int:
        """Where the array under a wrapper key begins in the buffer, or -1."""
        for key in WRAPPERS:
            at = buffer.find(f'"{key}"')
            if at >= 0:
                bracket = buffer.find("[", at)
                if bracket >= 0 and not buffer[at + len(key) + 2 : bracket].strip(
                    _WHITESPACE + ":"
                ):
                    return bracket
        return -1


def _refuse_unstorable_keys(keys: Iterable[str]) -> None:
    """A key is a column's name, which the job keeps (its columns, its warnings): one holding a
    NUL or a lone surrogate (``\\ud800``), which no stored text can, refuses the file, as a
    header the CSV reader cannot read does. Shown with ␀ and U+FFFD in their place, its first
    40 characters, a citizen ID in it masked (R14) before the cut: cut first, an ID across the
    cut would keep its birth date and no longer read as an ID."""
    for key in keys:
        if NUL in key or LONE_SURROGATE.search(key):
            shown = mask_citizen_ids(key.replace(NUL, "\u2400"))[:40]
            shown = LONE_SURROGATE.sub("\ufffd", shown)
            raise XinyongError(
                "json-key",
                f"JSON 字段名“{shown}”含无法保存的字符（空字符 NUL 或半个 UTF-16 代理对），"
                "字段名即列名，整个文件不予导入：请修正该字段名后重新导入",
                status=422,
            )


def _syntax(exc: json.JSONDecodeError) -> XinyongError:
    return XinyongError("json-format", f"JSON 格式错误：{exc.msg}（第{exc.lineno}行）", status=422)
