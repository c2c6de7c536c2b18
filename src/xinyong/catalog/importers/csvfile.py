"""CSV files, comma- or tab-separated, UTF-8 or GB18030, read as a stream.

Most lines hold no quote character and are split in C in one call; a line with a quote goes
through the ``csv`` module, which may take further lines for a quoted line break. Lines come
from :class:`~xinyong.catalog.importers.text.Lines`, so an over-long line never fills memory:
its row comes out as a :class:`FlawedRow` and is refused.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from xinyong.catalog.importers.embedded_json import refuse_sensitive_json
from xinyong.catalog.importers.outcomes import FlawedRow
from xinyong.catalog.importers.text import LINE_CAP, Lines
from xinyong.core.errors import XinyongError
from xinyong.core.tables import csv_error_text


class _Feed:
    """Lines for ``csv.reader``: the line already taken first, then the file's next ones."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.first: str | None = None

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        first = self.first
        if first is not None:
            self.first = None
            return first
        return next(self.lines) + "\n"


class CsvTable:
    format = "csv"

    def __init__(self, path: Path, encoding: str, size: int) -> None:
        if csv.field_size_limit() < LINE_CAP + 2:
            csv.field_size_limit(LINE_CAP + 2)  # a line is already capped; let a cell be that long
        self.size = size
        self._lines = Lines(path, encoding)
        self._iter = iter(self._lines)
        first = next(self._iter, None)
        while first is not None and not _has_text(first):
            first = next(self._iter, None)  # blank lines, or delimiters only, before the header
        if first is None:
            raise XinyongError("file-empty", "文件为空：没有表头", status=422)
        if self._lines.cuts:
            raise XinyongError("header-too-long", "表头过长，不是可导入的表格", status=422)
        self.delimiter = "\t" if first.count("\t") > first.count(",") else ","
        try:
            self.header = next(csv.reader([first], delimiter=self.delimiter))
        except csv.Error as exc:  # a lone carriage return or NUL in the header line, say
            message = f"表头无法按 CSV 格式读取：{csv_error_text(exc)}"
            raise XinyongError("file-csv", message, status=422) from exc
        while self.header and not self.header[-1].strip():
            self.header.pop()  # a trailing delimiter, as a sheet's empty columns in Excel

    def progress(self) -> tuple[int, int]:
        return self._lines.bytes_read, self.size

    def rows(self) -> Iterator[list[str]]:
        """The data rows; a row of empty cells only is skipped (not counted as a row).

        Empty cells past the header's width are dropped, as the Excel reader drops a sheet's
        empty columns: a row ending in a delimiter is the row without it. A row with text
        past the header, or with fewer cells than the header, stays as it is and is refused
        (``columns``): a short line is what an unquoted line break leaves, and padding it
        would record half a row.
        """
        lines, source, delimiter = self._iter, self._lines, self.delimiter
        width = len(self.header)
        feed = _Feed(lines)
        reader = csv.reader(feed, delimiter=delimiter)
        cuts = source.cuts
        for line in lines:
            if '"' in line:
                feed.first = line + "\n"
                try:
                    row = next(reader)
                except csv.Error as exc:
                    yield FlawedRow([], "csv-syntax", detail=csv_error_text(exc))
                    continue
                except StopIteration:  # pragma: no cover - the feed holds a line
                    return
            else:
                if not line or (not line.strip() and delimiter not in line):
                    continue
                row = line.split(delimiter)
            if source.cuts != cuts:
                cuts = source.cuts
                yield FlawedRow(row, "cell-too-large", size=source.last_cut_size)
                continue
            if len(row) > width and not any(v.strip() for v in row[width:]):
                del row[width:]
            if not any(row):
                continue
            if '"' in line:
                # JSON text in a cell: its keys too (001 §14). Only a quoted line can hold
                # one: an object's keys are in double quotes.
                row = refuse_sensitive_json(row)
            yield row


def _has_text(line: str) -> bool:
    """Whether a line holds more than whitespace and delimiters."""
    return bool(line.replace(",", "").replace("\t", "").strip())
