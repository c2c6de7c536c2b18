"""CSV files, comma- or tab-separated, UTF-8 or GB18030, read as a stream.

Most lines hold no quote character and are split in C in one call; a line with a quote goes
through the ``csv`` module, which may take further lines for a quoted line break. Lines come
from :class:`~xinyong.catalog.importers.text.Lines`, so an over-long line never fills memory:
its row comes out as a :class:`FlawedRow` and is refused.

A quote left open swallows lines: the ``csv`` module reads on, over every following line, up to
the next quote character in the file (or its 1 MB cell limit), and the rows in between would
never be counted nor named in the report (R9: every row accounted for). So a record read over
several lines is one row only when it is well-formed CSV with the header's width, which a real
quoted line break is; otherwise its first line, whose quote was left open, is refused on its
own (``quote-unclosed``) and the lines it took are read again, each as the start of a record,
as they would have been read had that quote been closed. Rows are counted as they come out of
``rows``, the same on every run, so an import resumed after a kill skips exactly the rows it
committed, lines read again included.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from xinyong.catalog.importers import header_row
from xinyong.catalog.importers.embedded_json import refuse_sensitive_json, sensitive_json_cells
from xinyong.catalog.importers.outcomes import FlawedRow, TrimmedRow
from xinyong.catalog.importers.text import LINE_CAP, Lines
from xinyong.core.errors import XinyongError
from xinyong.core.tables import csv_error_text

# A physical line of the file, and the length of the original line when it was cut (else 0).
Entry = tuple[str, int]


class _Feed:
    """Lines for ``csv.reader``: the line already taken first, then lines given back to be read
    again, then the file's next ones. ``taken`` holds the lines of the record being read, so
    that they can be given back: a quote left open takes at most the reader's cell limit of
    them (about 1 MB) before the reader gives up, so memory stays flat."""

    def __init__(self, lines: Iterator[str], source: Lines, pending: deque[Entry]) -> None:
        self.lines = lines
        self.source = source
        self.pending = pending
        self.first: str | None = None
        self.taken: list[Entry] = []
        self.read_on = False  # the reader asked for more than the first line: it left a quote open
        self.cut = 0  # the size of the last over-long line taken

    def start(self, entry: Entry) -> None:
        self.first = entry[0] + "\n"
        self.taken = [entry]
        self.read_on = False
        self.cut = entry[1]

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        first = self.first
        if first is not None:
            self.first = None
            return first
        self.read_on = True
        if self.pending:
            entry = self.pending.popleft()
        else:
            cuts = self.source.cuts
            line = next(self.lines)  # at the end of the file, the reader ends the record
            entry = (line, self.source.last_cut_size if self.source.cuts != cuts else 0)
        if entry[1]:
            self.cut = entry[1]
        self.taken.append(entry)
        return entry[0] + "\n"


class CsvTable:
    format = "csv"
    warnings: tuple[dict[str, str], ...] = ()  # about the file as a whole: none to give

    def __init__(self, path: Path, encoding: str, size: int) -> None:
        if csv.field_size_limit() < LINE_CAP + 2:
            csv.field_size_limit(LINE_CAP + 2)  # a line is already capped; let a cell be that long
        self.size = size
        self._lines = Lines(path, encoding)
        self._iter = iter(self._lines)
        # Title rows above the header are read and left (``header_row``): a few lines at most.
        found, self.header_found, read_on = header_row.find_header(
            self._head_lines(), cells=_cells_of
        )
        if found is None:
            raise XinyongError("file-empty", "文件为空：没有表头", status=422)
        first, cut, cells = found
        if cut:
            raise XinyongError("header-too-long", "表头过长，不是可导入的表格", status=422)
        self.delimiter = _delimiter_of(first)
        self._lines.delimiters = self.delimiter  # where an over-long line's quoted cells end
        if isinstance(cells, csv.Error):  # a lone carriage return or NUL in the header line, say
            message = f"表头无法按 CSV 格式读取：{csv_error_text(cells)}"
            raise XinyongError("file-csv", message, status=422) from cells
        self.header = cells
        while self.header and not self.header[-1].strip():
            self.header.pop()  # a trailing delimiter, as a sheet's empty columns in Excel
        # Lines given back, read before the file's next: first those read past a first line
        # that is no header (``header_row.find_header``), to be read as rows.
        self._pending: deque[Entry] = deque((line, cut) for line, cut, _ in read_on)
        if self.header_found:
            self._pending.extend(self._past_the_titles())
        self._feed = _Feed(self._iter, self._lines, self._pending)
        self._reader = csv.reader(self._feed, delimiter=self.delimiter)

    def progress(self) -> tuple[int, int]:
        return self._lines.bytes_read, self.size

    def _past_the_titles(self) -> list[Entry]:
        """The line under the header read, to be read as the first row; none when it names the
        header's columns again, their titles under their codes, which is part of the header
        (``header_row.names_the_headers_columns``). Blank lines before it are no rows."""
        for line, cut, cells in self._head_lines():
            if not _has_text(line):
                continue
            if cut or isinstance(cells, csv.Error):
                return [(line, cut)]
            return [] if header_row.names_the_headers_columns(self.header, cells) else [(line, cut)]
        return []

    def _head_lines(self) -> Iterator[_HeadLine]:
        """The file's lines from its start, each with its cut size and its cells (or why the
        ``csv`` module could not read it), until the header is found among them."""
        source, cuts = self._lines, self._lines.cuts
        for line in self._iter:
            cut = source.last_cut_size if source.cuts != cuts else 0
            cuts = source.cuts
            if not _has_text(line):
                yield line, cut, []  # blank lines, or delimiters only, before the header
                continue
            try:
                cells: list[str] | csv.Error = next(
                    csv.reader([line], delimiter=_delimiter_of(line))
                )
            except csv.Error as exc:
                cells = exc
            yield line, cut, cells

    def rows(self) -> Iterator[list[str]]:
        """The data rows; a row of empty cells only is skipped (not counted as a row).

        Empty cells past the header's width are dropped, as the Excel reader drops a sheet's
        empty columns: a row ending in a delimiter is the row without it, a ``TrimmedRow``
        (see there why it is marked). A row with text
        past the header, or with fewer cells than the header, stays as it is and is refused
        (``columns``): a short line is what an unquoted line break leaves, and padding it
        would record half a row. A line with a quote, or an over-long one, is read by
        ``_record``, which may take further lines or give some back (see the module's note).
        """
        lines, source, delimiter = self._iter, self._lines, self.delimiter
        width = len(self.header)
        pending, record = self._pending, self._record
        while pending:  # lines read past the first when looking for the header
            row = record(pending.popleft())
            if row is not None:
                yield row
        cuts = source.cuts
        for line in lines:
            if '"' in line or source.cuts != cuts:
                row = record((line, source.last_cut_size if source.cuts != cuts else 0))
                if row is not None:
                    yield row
                while pending:  # lines given back by a record that was not one
                    row = record(pending.popleft())
                    if row is not None:
                        yield row
                cuts = source.cuts  # lines the reader took were cut or not on their own
                continue
            if not line or (not line.strip() and delimiter not in line):
                continue
            row = line.split(delimiter)
            if len(row) > width and not any(v.strip() for v in row[width:]):
                row = TrimmedRow(row[:width])
            if not any(row):
                continue
            yield row

    def _record(self, entry: Entry) -> list[str] | None:
        """The row that starts at a line: one with a quote, an over-long one, or one given back
        (see ``_reread``); None for a line with no text, which is no row."""
        line, cut = entry
        delimiter, width = self.delimiter, len(self.header)
        if '"' not in line:  # read as ``rows`` reads it
            if not line or (not line.strip() and delimiter not in line):
                return None
            row = line.split(delimiter)
            if cut:
                return FlawedRow(row, "cell-too-large", size=cut)
            if len(row) > width and not any(v.strip() for v in row[width:]):
                row = TrimmedRow(row[:width])
            return row if any(row) else None
        feed = self._feed
        feed.start(entry)
        try:
            row = next(self._reader)
        except csv.Error as exc:
            if feed.read_on:  # a quote left open ran into the cell limit, say
                return self._reread(feed.taken)
            return FlawedRow([], "csv-syntax", detail=csv_error_text(exc))
        if len(row) > width and not any(v.strip() for v in row[width:]):
            row = TrimmedRow(row[:width])
        if feed.read_on and (len(row) != width or not self._well_formed(feed.taken)):
            return self._reread(feed.taken)
        if feed.cut:
            return FlawedRow(row, "cell-too-large", size=feed.cut)
        if not any(row):
            return None
        # JSON text in a cell: its keys too (001 §14). Only a quoted line can hold one: an
        # object's keys are in double quotes.
        checked = refuse_sensitive_json(row)
        if isinstance(checked, FlawedRow) and type(row) is TrimmedRow:
            checked.details["trimmed"] = True  # still written wider (``outcomes.written_wider``)
        return checked

    def _well_formed(self, taken: list[Entry]) -> bool:
        """Whether a record read over several lines is well-formed CSV: each quoted cell closed
        and followed by a delimiter or the line's end. A quote left open closes, if ever, at
        the next quote in the file, the opening one of another cell, which text follows."""
        strict = csv.reader(
            (line + "\n" for line, _ in taken), delimiter=self.delimiter, strict=True
        )
        try:
            next(strict)
        except (csv.Error, StopIteration):
            return False
        return True

    def _reread(self, taken: list[Entry]) -> FlawedRow:
        """The first line of a record that is no real multi-line record, refused on its own as
        a quote left open (``quote-unclosed``); the lines it took are given back, to be read
        again as the rows they are (R9)."""
        (line, cut), rest = taken[0], taken[1:]
        self._pending.extendleft(reversed(rest))  # before any given back earlier
        try:
            cells = next(csv.reader([line], delimiter=self.delimiter))
        except csv.Error:  # a lone carriage return, say: nothing of the line is shown
            cells = []
        if cut:
            return FlawedRow(cells, "cell-too-large", size=cut)
        for index in sensitive_json_cells(cells):  # 001 §14, as for any quoted line
            cells[index] = ""
        return FlawedRow(cells, "quote-unclosed")


# A line read for the header: its text, its size when it was cut (else 0), and its cells.
_HeadLine = tuple[str, int, "list[str] | csv.Error"]


def _cells_of(head: _HeadLine) -> list[str]:
    """A line's cells as the header finder reads them: one unreadable by the ``csv`` module
    is its text in one cell, never a header."""
    cells = head[2]
    return [head[0]] if isinstance(cells, csv.Error) else cells


def _delimiter_of(line: str) -> str:
    """A tab when the line holds more tabs than commas, else a comma: decided on the header's
    line, since a title above it may hold neither."""
    return "\t" if line.count("\t") > line.count(",") else ","


def _has_text(line: str) -> bool:
    """Whether a line holds more than whitespace and delimiters."""
    return bool(line.replace(",", "").replace("\t", "").strip())
