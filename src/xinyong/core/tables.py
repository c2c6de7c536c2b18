"""Reading the tables departments send: CSV in UTF-8 or GB18030/GBK, and Excel (DOMAIN.md §5).

CSV is decoded UTF-8 strictly first (a BOM is dropped), then GB18030 — never the reverse: almost
any bytes decode as GB18030, so a UTF-8 file tried that way first would be read as nonsense. The
encoding is decided by streaming over the file, so memory stays flat however large it is.

Excel (.xlsx, .xlsm, .xlsb, .xls, .ods) is read with python-calamine, the first sheet only; a
workbook with anything on another sheet is refused (``refuse_other_sheets``), as its rows would
otherwise go unread without a word. Every
cell comes back as text, as it would from a CSV export, but a number too long to be exact
(``cell_text``), and a merged range's value in every cell it covers (``core.merged_cells``).
calamine reads an error value (#N/A …) as an empty cell: a row with one comes
as an ``ErrorRecord`` that names it (``core.spreadsheet_errors``), so that no caller takes it for
an empty cell (R9, R10).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import itertools
import logging
import math
import operator
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from xinyong.core.errors import XinyongError

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
_BLOCK = 1 << 20
# Cells calamine may hold, counting the empty ones inside each sheet's rectangle: as many as
# the sheet XML that the importer's MAX_BYTES admits can really fill (some 25–30 bytes of XML a
# cell: 100 MB is 3–4 million cells, 160,000 rows of a penalty file's 25 fields), so that a
# sparse file costs a worker no more than a full one could, 128 MB at 32 bytes a cell. A larger
# file is imported as CSV, which is read as a stream whatever its size.
MAX_CELLS = 4 * 1024 * 1024
# Characters of one line of a text file that a reader keeps, far above any real record: a
# longer one is never held whole nor split into cells, but refused as a row of its own
# (here ``OverlongRecord``; the importer's ``catalog.importers.text.Lines``), so that no line,
# however long, makes memory grow (R14 secure by default: an upload may be 200 MB of one line).
LINE_CAP = 1 << 20

logger = logging.getLogger(__name__)


def is_excel(path: str | Path) -> bool:
    return Path(path).suffix.lower() in EXCEL_SUFFIXES


def unreadable_excel(path: str | Path, exc: Exception) -> XinyongError:
    """The refusal of a workbook the reader cannot open, said in terms an officer can act on.

    The reader's own text (``invalid Zip archive: Could not find EOCD``) is logged for
    support, not shown: it names the library's internals, not what is wrong with the file.
    """
    path = Path(path)
    logger.warning("cannot read %s as a workbook: %s", path.name, exc)
    suffix = path.suffix.lower() or ".xlsx"
    return XinyongError(
        "file-unreadable",
        f"文件不是有效的 Excel 文件（{suffix}），可能已损坏或并非 Excel 格式",
        status=422,
    )


def too_many_cells(cells: float, max_cells: int) -> XinyongError:
    """The refusal of a workbook whose cells would not fit in memory once read (R14)."""
    counted = "" if math.isinf(cells) else f"共 {int(cells):,} 个单元格，"
    return XinyongError(
        "excel-too-many-cells",
        f"Excel 工作簿的数据区域过大：{counted}超过上限 {max_cells:,} 个单元格（从第一个到"
        "最后一个有内容的单元格，其间的空白单元格同样占用内存）；请删除远离数据的单元格，"
        "或另存为 CSV 后导入（CSV 按流读取，不限大小）",
        status=422,
    )


def _decodes_as(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(_BLOCK), b""):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: str | Path) -> str:
    """``utf-8`` or ``gb18030``, whichever decodes the whole file, UTF-8 first."""
    path = Path(path)
    for encoding in ("utf-8", "gb18030"):
        if _decodes_as(path, encoding):
            return encoding
    raise XinyongError("file-encoding", "文件编码无法识别：应为 UTF-8 或 GB18030", status=422)


# Digits a spreadsheet's number keeps: Excel, WPS and LibreOffice store a double and show 15
# significant digits; an 18-digit ID typed as a number has lost its last ones for good.
EXACT_DIGITS = 15
_INEXACT_FROM = 10**EXACT_DIGITS


def is_inexact_number(value: object) -> bool:
    """Whether a cell is a number of more than 15 digits, which a spreadsheet cannot hold
    exactly (see ``cell_text``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return abs(value) >= _INEXACT_FROM


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV export would hold (1.0 → "1", dates in ISO form).

    A number of more than 15 digits as the spreadsheet shows it, 15 significant digits in
    E notation (3.30106199003073E+17): the digits past them are not the ones typed, so none
    is made up (DOMAIN.md §4: an ID number altered that way may still pass its check digit,
    and name another person). The importer refuses such a cell in an identifier's column
    (``importers.validation``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if is_inexact_number(value):
        return f"{value:.{EXACT_DIGITS}G}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def _float_text(value: float) -> str:
    """A fraction as the spreadsheet shows it and a CSV export writes it: its 15 significant
    digits, never in E notation (0.1 + 0.2 → 0.3, not 0.30000000000000004; 0.00005, not
    5e-05). The digits past the 15th are the binary float's, not the ones typed or decided:
    an amount would otherwise read as more precise than the column holds. A JSON file's
    numbers are such floats too (a serializer writes 105.18 / 10000 as 0.010518000000000001)."""
    text = f"{value:.{EXACT_DIGITS}g}"
    if "e" in text:
        text = format(Decimal(text), "f")
    return text


class ErrorRecord(list):
    """A spreadsheet row with error values (#N/A, #DIV/0! …), which read as empty cells:
    ``errors`` holds each one's text by its position in the row."""

    def __init__(self, cells: list[str], errors: dict[int, str]) -> None:
        super().__init__(cells)
        self.errors = errors


def other_sheets_filled(workbook: Any) -> list[str]:
    """The names of the sheets after the first that hold anything but blank cells; a sheet
    with no cells to read (a chart sheet) holds nothing here either."""
    filled = []
    for index, name in enumerate(workbook.sheet_names[1:], start=1):
        try:
            rows = workbook.get_sheet_by_index(index).iter_rows()
        except Exception:  # a chart sheet, say: nothing that reads as rows
            continue
        if any(cell_text(value).strip() for row in rows for value in row):
            filled.append(name)
    return filled


def several_sheets(first: str, filled: list[str]) -> XinyongError:
    """The refusal of a workbook with data past its first sheet (``refuse_other_sheets``);
    sheet names are text from the file, masked as any such text a message repeats (R14)."""
    from xinyong.core.protection import mask_citizen_ids

    others = "、".join(f"“{name}”" for name in filled)
    return XinyongError(
        "excel-several-sheets",
        mask_citizen_ids(
            f"只读取第一个工作表“{first}”，但工作表{others}也有内容：为免其中的数据漏读，"
            "请把数据合并到第一个工作表，或删除其他工作表（也可分别另存为文件后提交）"
        ),
        status=422,
    )


def refuse_other_sheets(workbook: Any) -> None:
    """Refuse a workbook that holds anything past its first sheet, which is the only one read.

    A file read whole by a command or a job (batch screening, the measures list) answers
    every row it holds, and says of each one it cannot answer why (issue 4 item 6, R10): rows
    on a second sheet would be dropped without a word. Nor can it tell a sheet of notes from
    rows under another header, or say to an upload that a sheet went unread, as the catalog
    importer's result does (``catalog.importers.excel.other_sheets``): so any sheet with text
    refuses the workbook. Empty sheets (a default Sheet2, cells formatted but blank) do not."""
    filled = other_sheets_filled(workbook)
    if filled:
        raise several_sheets(workbook.sheet_names[0], filled)


def refuse_several_sheets(path: str | Path) -> None:
    """``refuse_other_sheets`` for a workbook file, before it is taken (an upload); a file that
    is no workbook is left to the reader, which says what is wrong with it. Only the sheets
    after the first are read: a list on one sheet costs little more than opening it."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every kind of bad file
        raise unreadable_excel(path, exc) from exc
    refuse_other_sheets(workbook)


def _excel_rows(path: Path) -> Iterator[list[str]]:
    # Loaded with the first workbook read: a CSV-only process never needs either reader.
    from python_calamine import CalamineWorkbook

    from xinyong.core.merged_cells import MergedCells
    from xinyong.core.spreadsheet_errors import error_rows_after, errors_in_row, sheet_error_cells

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every kind of bad file
        raise unreadable_excel(path, exc) from exc
    refuse_other_sheets(workbook)
    try:
        sheet = workbook.get_sheet_by_index(0)
        # Rows are counted from the sheet's A1, columns from its first used one.
        first_column, width = (sheet.start or (0, 0))[1], sheet.width
        rows = sheet.iter_rows()
    except Exception as exc:  # calamine raises its own error types for every kind of bad file
        raise unreadable_excel(path, exc) from exc
    errors = sheet_error_cells(path, max_cells=MAX_CELLS)
    merged = MergedCells.of(path, sheet, max_cells=MAX_CELLS)
    if not errors and merged is None:
        for row in rows:
            yield [cell_text(value) for value in row]
        return
    position = -1
    for position, row in enumerate(rows):
        found = errors.get(position)  # the one step a row of a workbook with errors adds
        if merged is not None:  # a merged range's value in every cell it covers
            found = merged.fill(position, row, found)
        cells = [cell_text(value) for value in row]
        if found and (inside := errors_in_row(found, first_column, len(cells))):
            yield ErrorRecord(cells, inside)
        else:
            yield cells
    for found in error_rows_after(errors, position, first_column, width):
        yield ErrorRecord([""] * width, found)


UNREADABLE_QUOTES = "引号未闭合或使用不规范（引号须成对，单元格内的引号须写作两个）"


class MalformedRecord(list):
    """In place of a record's cells: a line whose quotes the csv module cannot read strictly
    (a quote left open, a quote inside a quoted cell not doubled). Its one cell is the line as
    it came, without its end; ``reason`` says what is wrong, in Chinese, ``code`` in a word."""

    code: str = "quote-unclosed"
    reason: str = UNREADABLE_QUOTES


# What of an over-long line a record keeps: enough for its caller to know the row again.
OVERLONG_HEAD = 200


class OverlongRecord(MalformedRecord):
    """In place of a line longer than ``LINE_CAP`` characters: its one cell is the line's first
    ``OVERLONG_HEAD`` characters; ``size`` counts the line's characters (without its end). The
    rest was skipped as it was read, never held: the line is not split into cells."""

    code = "row-too-long"

    def __init__(self, head: str, size: int) -> None:
        super().__init__([head[:OVERLONG_HEAD]])
        self.size = size
        self.reason = (
            f"过长：共 {size:,} 个字符，超过上限 {LINE_CAP:,} 个字符，未读取；"
            f"此处只保留其开头 {OVERLONG_HEAD} 个字符"
        )


# A quoted cell may hold line ends (an address typed on two lines); one that runs on for more
# lines than this, or past ``LINE_CAP`` characters, is a quote left open, not a cell.
QUOTED_LINES_LIMIT = 100
# What one read of a line asks for: ``LINE_CAP`` characters and a line end of two ("\r\n").
_LINE_READ = LINE_CAP + 2


def _overlong(line: str) -> bool:
    """Whether a line read (with its end, if the read reached it) holds more than
    ``LINE_CAP`` characters."""
    return len(line.rstrip("\r\n")) > LINE_CAP


def _skip_the_rest(head: str, readline: Callable[[int], str]) -> tuple[OverlongRecord, list[str]]:
    """The record of an over-long line whose first characters are ``head`` (a read of
    ``_LINE_READ``), the rest read in blocks and dropped up to the line's end; and a line read
    past it, to read again (after a lone CR, which ends a line, the line after it)."""
    size, piece, asked = len(head), head, _LINE_READ
    while piece and piece[-1] not in "\r\n":
        piece, asked = readline(_BLOCK), _BLOCK
        size += len(piece)
    size -= len(piece) - len(piece.rstrip("\r\n"))  # the line end is no character of it
    again = []
    # A read that stopped at its limit on a CR may have cut a CRLF in two; else a lone CR.
    if piece.endswith("\r") and len(piece) == asked:
        after = readline(_LINE_READ)
        if after and after != "\n":
            again.append(after)
    return OverlongRecord(head, size), again


class _RunsOn(Exception):
    """A quoted record runs on past ``QUOTED_LINES_LIMIT`` lines or ``LINE_CAP`` characters
    (an over-long line taken among them is the last)."""


# What of a quoted record longer than ``LINE_CAP`` is held, in characters, to be read again if
# its quote never closes; past it its lines are counted as read, and read again from the file.
QUOTED_RECORD_CAP = 8 * LINE_CAP


def _ends_record(line: str, quoted: bool) -> bool | None:
    """Whether one line of a record (its end included) ends it, read as the csv module reads it
    strictly, from inside a quoted cell when ``quoted``: True where the line ends outside a
    quoted cell, False where a quoted cell runs on, None where it cannot be read strictly (a
    closing quote followed by anything but a comma or the line's end). A quote opens a cell
    only at its start, and two quotes inside are one."""
    body = line.rstrip("\r\n")
    at, size = 0, len(body)
    while True:
        if quoted:
            close = body.find('"', at)
            if close < 0:
                return False
            if body.startswith('""', close):
                at = close + 2
                continue
            at, quoted = close + 1, False
            if at == size:
                return True
            if body[at] != ",":
                return None
            at += 1
        if body.startswith('"', at):
            at, quoted = at + 1, True
            continue
        comma = body.find(",", at)
        if comma < 0:
            return True
        at = comma + 1


def _overlong_quoted(
    taken: list[str], rest: Iterator[str]
) -> tuple[OverlongRecord, list[str]] | None:
    """A quoted record that ran past ``LINE_CAP`` characters within ``QUOTED_LINES_LIMIT``
    lines, its lines so far ``taken``: read on from ``rest`` to where it ends (``_ends_record``),
    one ``OverlongRecord`` of them all and the lines taken past it; None when it does not end
    within those lines, takes an over-long line, or cannot be read strictly: then it is a quote
    left open, as a shorter one is (``_quoted_record``). Lines are held up to
    ``QUOTED_RECORD_CAP`` characters, to be read again; past them they are only counted, and
    ``rest`` (``_Lines``) is taken back to the first of them if the quote does not close."""
    quoted, size, index, counted, mark = False, 0, 0, 0, None
    while True:
        if index == len(taken) + counted:
            if index >= QUOTED_LINES_LIMIT:
                more = None
            elif size > QUOTED_RECORD_CAP and mark is None:
                mark = rest.mark() if isinstance(rest, _Lines) else None
                more = None if mark is None else next(rest, None)
            else:
                more = next(rest, None)
            if more is None:
                return _given_up(rest, mark)
            if mark is None:
                taken.append(more)
            else:
                counted += 1  # past the cap: counted, not held
            line = more
        else:
            line = taken[index]
        ends = None if _overlong(line) else _ends_record(line, quoted)
        if ends is None:
            return _given_up(rest, mark)
        size += len(line)
        index += 1
        if ends:
            size -= len(line) - len(line.rstrip("\r\n"))  # its end is no character of it
            return OverlongRecord(taken[0].rstrip("\r\n"), size), taken[index:]
        quoted = True


def _given_up(rest: Iterator[str], mark: Any) -> None:
    """None, once ``rest`` is taken back to ``mark`` (where lines stopped being held)."""
    if mark is not None:
        rest.rewind(mark)
    return None


class _Lines:
    """The lines of a text stream, read with a limit, after lines to read again; ``source``
    is what to iterate (the stream's own reads, in C, when there is nothing to read again).
    ``mark`` and ``rewind`` take the reading back to a line already read, so that lines past
    ``QUOTED_RECORD_CAP`` need not be held to be read again."""

    def __init__(self, stream: io.TextIOWrapper) -> None:
        self._stream = stream
        self._again: list[str] = []
        self._left: Iterator[str] = iter(self._again)
        self._reads()

    def _reads(self) -> None:
        self._read = iter(functools.partial(self._stream.readline, _LINE_READ), "")
        self.source: Iterator[str] = self._read

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        return next(self.source)

    def _pending(self) -> list[str]:
        left = operator.length_hint(self._left)
        return self._again[len(self._again) - left :] if left else []

    def read_again(self, lines: list[str]) -> None:
        """Read ``lines`` next, then those that were next."""
        self._again = lines + self._pending()
        self._left = iter(self._again)
        self.source = itertools.chain(self._left, self._read)

    def mark(self) -> tuple[list[str], int]:
        return self._pending(), self._stream.tell()

    def rewind(self, mark: tuple[list[str], int]) -> None:
        pending, position = mark
        self._stream.seek(position)
        self._reads()
        self._again, self._left = [], iter(())
        self.read_again(pending)


def _quoted_record(line: str, rest: Iterator[str]) -> tuple[list[str], list[str]]:
    """The record beginning with ``line``, read strictly, taking more lines from ``rest`` while
    a quoted cell runs on; and the lines to read again. A record that cannot be read strictly
    is its own line alone (``MalformedRecord``), and the lines taken past it are read again:
    one quote left open never swallows the rows after it (issue 4 item 6, as R9's import).
    An over-long line taken is the last one given back, its rest not yet read: read again,
    it is an ``OverlongRecord``. A record whose quoted cells close, but past ``LINE_CAP``
    characters in all, is one ``OverlongRecord`` (``_overlong_quoted``): read again, its lines
    after the first would be rows the file does not have."""
    taken = [line]
    size = [len(line)]

    def lines() -> Iterator[str]:
        yield line
        for more in rest:
            taken.append(more)
            size[0] += len(more)
            if len(taken) > QUOTED_LINES_LIMIT or size[0] > LINE_CAP:
                raise _RunsOn
            yield more

    try:
        return next(csv.reader(lines(), strict=True)), []
    except csv.Error:
        pass
    except _RunsOn:
        if len(taken) <= QUOTED_LINES_LIMIT:
            ends = _overlong_quoted(taken, rest)
            if ends is not None:
                return ends
    malformed = MalformedRecord([line.rstrip("\r\n")])
    return malformed, taken[1:]


def read_records(path: str | Path, *, start: int = 0) -> Iterator[tuple[list[str], str | None]]:
    """Every record of the file, the header first: its cells, and for a CSV line without quotes
    the line itself (without its end), which a writer may copy as it is; streamed for CSV.
    ``start`` is a byte offset where a line begins, to read a CSV file from there on.

    A CSV record with quotes is read strictly (``_quoted_record``): one that cannot be read is
    a ``MalformedRecord`` of its own line, and the lines after it are read as their own
    records. A line longer than ``LINE_CAP`` characters is an ``OverlongRecord``, read past
    in blocks: memory stays flat whatever the lines hold. Excel files are read by calamine into
    memory (a sheet holds at most 1,048,576
    rows), every cell between a sheet's first and last: a caller refuses a workbook too large
    for that before reading it (``catalog.importers.excel.refuse_too_large_file``). A sheet row
    with error values is an ``ErrorRecord``, and so is a row of them past the last that calamine
    reads; a workbook with more of them than ``MAX_CELLS`` is refused.
    """
    path = Path(path)
    if not path.is_file():
        raise XinyongError("file-unreadable", f"无法读取文件：{path.name}", status=422)
    if is_excel(path):
        for cells in _excel_rows(path):
            yield cells, None
        return
    # A quoted cell may be as long as a line (``_quoted_record`` bounds it): not the csv
    # module's own 128 KiB, past which it would be a malformed line.
    if csv.field_size_limit() < _LINE_READ:
        csv.field_size_limit(_LINE_READ)
    encoding = detect_encoding(path)
    binary = path.open("rb")
    binary.seek(start)
    with io.TextIOWrapper(binary, encoding=encoding, newline="") as stream:
        # A BOM is skipped by hand: the utf-8-sig codec decodes in Python, several times slower.
        if not start and stream.read(1) != "\ufeff":
            stream.seek(0)
        # Read with a limit, so that no line is held longer than that (``OverlongRecord``).
        lines = _Lines(stream)
        while True:
            for line in lines.source:
                if len(line) > LINE_CAP and _overlong(line):  # rare: one test in C first
                    # The last line read from the stream, read again or not: its rest is next.
                    record, again = _skip_the_rest(line, stream.readline)
                    yield record, None
                elif '"' in line:  # quoted cells, maybe over several lines: the csv module
                    cells, again = _quoted_record(line, lines)
                    yield cells, None
                else:  # the common case, split in C
                    text = line.rstrip("\r\n")
                    yield (text.split(",") if text else []), text
                    continue
                # Lines read past a record are read again; a record read past the cap of its
                # quoted lines may have taken the reading back (``_overlong_quoted``).
                lines.read_again(again)
                break
            else:
                return


# What the csv module's errors mean, for an officer who cannot read Python's English.
_CSV_ERRORS = (
    ("field larger than field limit", "单元格内容超过上限"),
    ("new-line character seen in unquoted field", "未加引号的单元格中含换行符"),
    ("line contains nul", "含空字符（NUL）"),
    ("expected after", "引号之后缺少分隔符"),
    ("unexpected end of data", "引号未闭合，文件意外结束"),
)


def csv_error_text(exc: csv.Error) -> str:
    """A csv module error in Chinese; one this table does not know, in general words."""
    text = str(exc).lower()
    for phrase, meaning in _CSV_ERRORS:
        if phrase in text:
            return meaning
    return "无法按 CSV 格式读取"


def read_rows(path: str | Path) -> Iterator[list[str]]:
    """Every record's cells, the header first (see ``read_records``); a record that cannot be
    read refuses the file, naming its record number and what is wrong. A sheet row with error
    values comes as the ``ErrorRecord`` it is, for the caller to refuse."""
    for number, (cells, _) in enumerate(read_records(path), start=1):
        if isinstance(cells, MalformedRecord):
            raise XinyongError(
                "file-csv", f"CSV 格式错误：第 {number} 条记录{cells.reason}", status=422
            )
        yield cells


# A spreadsheet reads a cell starting with one of these as a formula, so that a text someone
# typed ("=HYPERLINK(…)", "@SUM(…)") would run when a reviewer opens the export (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe_text(text: str) -> str:
    """A text a spreadsheet would read as a formula, with a leading apostrophe, which Excel and
    WPS show as text and do not print; any other text as it is."""
    return f"'{text}" if len(text) > 1 and text.startswith(FORMULA_STARTS) else text


def spreadsheet_safe(row: Iterable[object]) -> list[object]:
    """A row for a CSV export: each text as ``spreadsheet_safe_text`` gives it; other cells
    are kept."""
    return [spreadsheet_safe_text(cell) if isinstance(cell, str) else cell for cell in row]
