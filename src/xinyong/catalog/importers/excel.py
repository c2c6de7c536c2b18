"""Excel workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods), the first sheet, through python-calamine.

The first sheet is the one imported; another with records under the same header refuses the
workbook, and others are named in a warning (``other_sheets``). A cell whose text is not what
it holds, an error value or a number too long to be exact, comes in a ``SheetRow``, which the
checker refuses (``core.spreadsheet_errors``, ``core.tables.cell_text``).

calamine reads an error value (#N/A, #DIV/0! …) as an empty cell, in every format; so the file
itself is read for them (``core.spreadsheet_errors.sheet_error_cells``), and a row with one
comes as a ``SheetRow``, refused with the error's column and text, never as a row whose cell is
empty or whose required field is missing (R9). Error rows past the last row calamine returns
come after it, as rows of their errors alone.

calamine reads a whole sheet into memory; it has no streaming reader. Memory therefore grows
with the sheet (about 1.2 bytes per byte of the sheet's XML, measured), so a workbook whose
XML would not fit is refused before it is opened, with a request to send CSV, which is
streamed whatever its size. For the zipped formats (.xlsx, .xlsm, .ods) the zip directory
tells the XML's size; for the binary ones (.xls, .xlsb) the file's size is the measure. A cell
comes back as the text a CSV export would hold (``xinyong.core.tables.cell_text``); a cell a
merged range covers, as the range's value (``core.merged_cells``).

Nor does the XML's size bound the memory: calamine holds a sheet as the whole rectangle from
its first cell with a value to its last, 32 bytes a cell, empty or not. Two cells, A1 and
XFD1048576, in a file of 1.6 KB ask for 550 GB and the process aborts; A1 and ZZ200000 take
4.4 GB. OpenDocument says as much in a few bytes ("this cell, 16,384 times"), and .xls and
.xlsb name a cell's column in 16 and 32 bits. python-calamine tells a sheet's size only once it
has read it, so every workbook is first read by a child process whose memory is capped at the
budget (``cells_when_read``): it reports each sheet's rows × columns, or dies trying, and the
workbook is refused when its sheets hold more than ``MAX_CELLS`` (R14 secure by default; R9,
R11: one upload must not stop a server's imports and checks). Reading the sheet's XML here to
find its extent instead, as ``core.spreadsheet_errors`` reads it for error values, would cover
.xlsx and .xlsm only, would have to follow calamine's rules for cells without a reference, and
took longer than calamine's own read (1.7 to 3.2 s against 1.3 s for 100 MB of XML, measured).
"""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from xinyong.catalog.importers import header_row
from xinyong.catalog.importers.embedded_json import refuse_sensitive_json
from xinyong.catalog.importers.formats import normalize_header
from xinyong.catalog.importers.outcomes import FlawedRow, SheetRow
from xinyong.core import table_header
from xinyong.core.errors import XinyongError
from xinyong.core.merged_cells import MergedCells
from xinyong.core.protection import mask_citizen_ids
from xinyong.core.spreadsheet_errors import error_rows_after, errors_in_row, sheet_error_cells
from xinyong.core.tables import (
    MAX_CELLS,
    cell_text,
    is_excel,
    is_inexact_number,
    too_many_cells,
    unreadable_excel,
)

MAX_BYTES = 100 * 1024 * 1024  # of sheet XML (or of a binary workbook): about 120 MB in memory
ZIPPED = frozenset({".xlsx", ".xlsm", ".ods"})
CELL_BYTES = 32  # calamine's cell value; A1 to ZZ200000 asked for 140,400,000 × 32 bytes
_HEADROOM = 128 * 1024 * 1024  # the measuring process's own needs beyond the cells

# Run by ``sys.executable``: reads the workbook as ExcelTable will (all its sheets), under a
# cap on its address space, and prints each sheet's rows × columns. Out of memory, calamine
# aborts the process (or Python raises MemoryError); an unreadable file is said as an error.
_MEASURE = """\
import json, resource, sys
from python_calamine import CalamineWorkbook

path, allowance = sys.argv[1], int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
try:
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (mapped + allowance, mapped + allowance))
except (OSError, ValueError):
    pass  # no such cap here: the parent is still spared whatever the reading costs
try:
    book = CalamineWorkbook.from_path(path)
except MemoryError:
    raise
except Exception as exc:
    print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
    sys.exit(0)
cells = []
for index in range(len(book.sheet_names)):
    try:
        sheet = book.get_sheet_by_index(index)
    except MemoryError:
        raise
    except Exception:
        continue  # a chart sheet, say: ExcelTable reads no rows from it either
    cells.append(sheet.height * sheet.width)
    del sheet
print(json.dumps({"cells": cells}))
"""


def content_size(path: Path, size: int) -> int:
    """What calamine will hold: the XML's size for zipped formats, else the file's."""
    if path.suffix.lower() in ZIPPED and zipfile.is_zipfile(path):
        # ``is_zipfile`` finds only the archive's end record: the directory it points to may
        # still be broken, and the file then is no workbook either.
        try:
            with zipfile.ZipFile(path) as archive:
                return sum(member.file_size for member in archive.infolist())
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise unreadable_excel(path, exc) from exc
    return size


def refuse_too_large(
    path: Path, size: int, *, max_bytes: int = MAX_BYTES, max_cells: int = MAX_CELLS
) -> None:
    """Refuse a workbook whose data, or whose sheets' cells, would not fit in memory once
    read; the screening upload asks this too, before it stores a job."""
    content = content_size(path, size)
    if content > max_bytes:
        raise XinyongError(
            "excel-too-large",
            f"Excel 工作表过大（超过 {max_bytes // (1024 * 1024)} MB 数据），"
            "请另存为 CSV 后导入（CSV 按流读取，不限大小）",
            status=413,
        )
    cells = cells_when_read(path, content=content, max_cells=max_cells)
    if cells > max_cells:
        raise too_many_cells(cells, max_cells)


def refuse_too_large_file(path: str | Path) -> None:
    """The budget of ``refuse_too_large`` for a file an operator names on the command line
    (``xinyong screen``, ``xinyong measures load``), which is read through
    ``core.tables.read_records`` rather than ``ExcelTable``: asked before the file is read, so
    that two cells far apart are refused with the reason instead of aborting the command
    (R14, R11). A file that is no workbook, or that does not exist, is left to the reader,
    which says what is wrong with it."""
    path = Path(path)
    if is_excel(path) and path.is_file():
        refuse_too_large(path, path.stat().st_size)


def cells_when_read(path: Path, *, content: int, max_cells: int = MAX_CELLS) -> float:
    """How many cells calamine holds for the workbook's sheets (their rectangles, summed:
    ExcelTable reads them all), measured by a child process whose memory is capped a little
    above what ``max_cells`` take; infinite when it ran out of memory. A workbook calamine
    cannot read is refused here as unreadable, in the words ExcelTable would use."""
    allowance = max_cells * CELL_BYTES + 4 * content + _HEADROOM
    measured = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), str(allowance)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if measured.returncode == 0:
        answer = json.loads(measured.stdout)
        if "Cell limit exceeded" in answer.get("error", ""):  # calamine's own cap (.ods)
            return math.inf
        if "error" in answer:
            raise unreadable_excel(path, _ReadError(answer["error"]))
        return sum(answer["cells"])
    said = measured.stderr
    if "memory allocation of" in said or "MemoryError" in said or measured.returncode == -9:
        return math.inf
    raise unreadable_excel(path, _ReadError(said.strip()[-2000:] or f"exit {measured.returncode}"))


class _ReadError(Exception):
    """What the measuring process said of a workbook it could not read (logged, not shown)."""


class ExcelTable:
    format = "excel"

    def __init__(
        self, path: Path, size: int, *, max_bytes: int = MAX_BYTES, max_cells: int = MAX_CELLS
    ) -> None:
        refuse_too_large(path, size, max_bytes=max_bytes, max_cells=max_cells)
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_path(str(path))
            sheet = workbook.get_sheet_by_index(0)
            # Rows come from the sheet's first row, columns from its first used one.
            self._first_column = (sheet.start or (0, 0))[1]
            self._rows = self._filled(enumerate(sheet.iter_rows()))
            self.total = sheet.height
        except Exception as exc:  # calamine raises its own error types for every kind of bad file
            raise unreadable_excel(path, exc) from exc
        self._errors = sheet_error_cells(path, max_cells=max_cells)
        self._merged = MergedCells.of(path, sheet, max_cells=max_cells)
        self.done = 0
        # Title rows above the header, merged across or not, are read and left (``header_row``).
        header, self.header_found, read_on = header_row.find_header(
            self._rows, cells=lambda record: _texts_of(record[1])
        )
        self._rows = itertools.chain(read_on, self._rows)
        if header is None:
            raise XinyongError("file-empty", "文件为空：没有表头", status=422)
        self._last = header[0]
        self.header = [cell_text(v) for v in header[1]]
        while self.header and not self.header[-1].strip():
            self.header.pop()  # sheets often carry formatted but empty columns on the right
        self.warnings = other_sheets(workbook, self.header)
        if self.header_found:
            self._rows = self._past_the_titles(self._rows)

    def progress(self) -> tuple[int, int]:
        return self.done, self.total

    def _past_the_titles(self, rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
        """The rows under the header, less the first filled one when it names the header's
        columns again, their titles under their codes, which is part of the header
        (``header_row.names_the_headers_columns``)."""
        read = []
        for record in rows:
            read.append(record)
            if not _has_text(record[1]):
                continue
            if header_row.names_the_headers_columns(self.header, _texts_of(record[1])):
                read.pop()
                self._errors.pop(record[0], None)  # nor is an error value in it a row's
            break
        return itertools.chain(read, rows)

    def _filled(self, rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
        """The sheet's rows with a merged range's value in every cell it covers, and its error
        value, if it is one, among the row's errors (``core.merged_cells``)."""
        for position, raw in rows:
            if self._merged is not None:
                found = self._merged.fill(position, raw, self._errors.get(position))
                if found:
                    self._errors[position] = found
                else:
                    self._errors.pop(position, None)
            yield position, raw

    def rows(self) -> Iterator[list[str]]:
        width = len(self.header)
        errors, first_column = self._errors, self._first_column
        for position, raw in self._rows:
            self.done += 1
            self._last = position
            row = [cell_text(v) for v in raw]
            if len(row) > width and not any(v.strip() for v in row[width:]):
                del row[width:]
            # Error values by the row's own positions (the sheet's columns may start past A).
            found = (
                errors_in_row(errors[position], first_column, len(row))
                if position in errors
                else {}
            )
            if not any(row) and not found:
                continue
            checked = refuse_sensitive_json(row)  # JSON text in a cell: its keys too (001 §14)
            if type(checked) is FlawedRow:
                yield checked
            elif found or "E+" in "".join(row):  # see ``SheetRow``
                yield _sheet_row(row, raw, found)
            else:
                yield row
        for found in error_rows_after(errors, self._last, first_column, width):
            self.done += 1
            yield SheetRow([""] * width, errors=found, numbers=())


def _sheet_row(row: list[str], raw: list[object], errors: dict[int, str]) -> list[str]:
    """The row as a ``SheetRow`` when it holds an error value or a number too long to be
    exact; else as it is (a text that merely contains "E+")."""
    numbers = tuple(index for index, value in enumerate(raw) if is_inexact_number(value))
    if not errors and not numbers:
        return row
    return SheetRow(row, errors=errors, numbers=numbers)


def other_sheets(workbook: Any, header: list[str]) -> tuple[dict[str, str], ...]:
    """The first sheet is the one imported. Another sheet with rows under the same header
    (below titles of its own or not, as ``header_row`` finds the first's) holds records too,
    which importing the first alone would leave unread and uncounted: the workbook is refused,
    naming the sheets. Other sheets with anything on them (a template's instructions, its code
    lists) are left unread, and a warning names them; empty ones are no matter. Names are
    masked, as any text from the file that a message repeats (R14)."""
    same = [normalize_header(name) for name in header]
    records, unread = [], []
    for index, name in enumerate(workbook.sheet_names[1:], start=1):
        try:
            rows = iter(workbook.get_sheet_by_index(index).iter_rows())
        except Exception:  # a chart sheet, say: nothing that reads as rows
            unread.append(name)
            continue
        first, _ = table_header.find_header(rows, lambda row: _names(row) == same, _texts_of)
        if first is None:
            continue
        if _names(first) == same and any(_has_text(row) for row in rows):
            records.append(name)
        else:
            unread.append(name)
    if records:
        raise XinyongError(
            "excel-several-sheets",
            mask_citizen_ids(
                f"工作簿中除第一个工作表外，工作表{_quoted(records)}也有同一表头下的数据行；"
                "每次只导入第一个工作表，为免漏导，请把各表的数据合并到第一个工作表，"
                "或分别另存为文件后导入"
            ),
            status=422,
        )
    if not unread:
        return ()
    message = (
        f"只导入了第一个工作表“{workbook.sheet_names[0]}”；以下工作表不是同一表头下的数据，"
        f"未读取：{_quoted(unread)}"
    )
    return ({"code": "sheets-not-read", "message": mask_citizen_ids(message)},)


def _names(row: list[object]) -> list[str]:
    """A row as a header's names, compared: normalised, empty columns on the right dropped."""
    names = [normalize_header(cell_text(v)) for v in row]
    while names and not names[-1]:
        names.pop()
    return names


def _texts_of(row: list[object]) -> list[str]:
    return [cell_text(v) for v in row]


def _has_text(row: list[object]) -> bool:
    return any(cell_text(v).strip() for v in row)


def _quoted(names: list[str]) -> str:
    return "、".join(f"“{name}”" for name in names)
