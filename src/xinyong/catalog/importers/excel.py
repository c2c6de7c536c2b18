"""Excel workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods), the first sheet, through python-calamine.

The first sheet is the one imported; another with records under the same header refuses the
workbook, and others are named in a warning (``other_sheets``). A cell whose text is not what
it holds, an error value or a number too long to be exact, comes in a ``SheetRow``, which the
checker refuses (``excel_errors``, ``core.tables.cell_text``).

calamine reads a whole sheet into memory; it has no streaming reader. Memory therefore grows
with the sheet (about 1.2 bytes per byte of the sheet's XML, measured), so a workbook whose
XML would not fit is refused before it is opened, with a request to send CSV, which is
streamed whatever its size. For the zipped formats (.xlsx, .xlsm, .ods) the zip directory
tells the XML's size; for the binary ones (.xls, .xlsb) the file's size is the measure. A cell
comes back as the text a CSV export would hold (``xinyong.core.tables.cell_text``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from xinyong.catalog.importers.embedded_json import refuse_sensitive_json
from xinyong.catalog.importers.excel_errors import error_cells
from xinyong.catalog.importers.formats import normalize_header
from xinyong.catalog.importers.outcomes import FlawedRow, SheetRow
from xinyong.core.errors import XinyongError
from xinyong.core.protection import mask_citizen_ids
from xinyong.core.tables import cell_text, is_inexact_number, unreadable_excel

MAX_BYTES = 100 * 1024 * 1024  # of sheet XML (or of a binary workbook): about 120 MB in memory
ZIPPED = frozenset({".xlsx", ".xlsm", ".ods"})


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


class ExcelTable:
    format = "excel"

    def __init__(self, path: Path, size: int, *, max_bytes: int = MAX_BYTES) -> None:
        if content_size(path, size) > max_bytes:
            raise XinyongError(
                "excel-too-large",
                f"Excel 工作表过大（超过 {max_bytes // (1024 * 1024)} MB 数据），"
                "请另存为 CSV 后导入（CSV 按流读取，不限大小）",
                status=413,
            )
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_path(str(path))
            sheet = workbook.get_sheet_by_index(0)
            # Rows come from the sheet's first row, columns from its first used one.
            self._first_column = (sheet.start or (0, 0))[1]
            self._rows = enumerate(sheet.iter_rows())
            self.total = sheet.height
            self._errors = error_cells(path)
        except Exception as exc:  # calamine raises its own error types for every kind of bad file
            raise unreadable_excel(path, exc) from exc
        self.done = 0
        header = next(self._rows, None)
        while header is not None and not any(cell_text(v).strip() for v in header[1]):
            header = next(self._rows, None)
        if header is None:
            raise XinyongError("file-empty", "文件为空：没有表头", status=422)
        self.header = [cell_text(v) for v in header[1]]
        while self.header and not self.header[-1].strip():
            self.header.pop()  # sheets often carry formatted but empty columns on the right
        self.warnings = other_sheets(workbook, self.header)

    def progress(self) -> tuple[int, int]:
        return self.done, self.total

    def rows(self) -> Iterator[list[str]]:
        width = len(self.header)
        errors, first_column = self._errors, self._first_column
        for position, raw in self._rows:
            self.done += 1
            row = [cell_text(v) for v in raw]
            if len(row) > width and not any(v.strip() for v in row[width:]):
                del row[width:]
            # Error values by the row's own positions (the sheet's columns may start past A).
            found = (
                _positions(errors[position], first_column, len(row)) if position in errors else {}
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


def _positions(errors: dict[int, str], first_column: int, width: int) -> dict[int, str]:
    return {
        column - first_column: error
        for column, error in errors.items()
        if 0 <= column - first_column < width
    }


def _sheet_row(row: list[str], raw: list[object], errors: dict[int, str]) -> list[str]:
    """The row as a ``SheetRow`` when it holds an error value or a number too long to be
    exact; else as it is (a text that merely contains "E+")."""
    numbers = tuple(index for index, value in enumerate(raw) if is_inexact_number(value))
    if not errors and not numbers:
        return row
    return SheetRow(row, errors=errors, numbers=numbers)


def other_sheets(workbook: Any, header: list[str]) -> tuple[dict[str, str], ...]:
    """The first sheet is the one imported. Another sheet with rows under the same header
    holds records too, which importing the first alone would leave unread and uncounted: the
    workbook is refused, naming the sheets. Other sheets with anything on them (a template's
    instructions, its code lists) are left unread, and a warning names them; empty ones are
    no matter. Names are masked, as any text from the file that a message repeats (R14)."""
    same = [normalize_header(name) for name in header]
    records, unread = [], []
    for index, name in enumerate(workbook.sheet_names[1:], start=1):
        try:
            rows = iter(workbook.get_sheet_by_index(index).iter_rows())
        except Exception:  # a chart sheet, say: nothing that reads as rows
            unread.append(name)
            continue
        first = next((row for row in rows if _has_text(row)), None)
        if first is None:
            continue
        names = [normalize_header(cell_text(v)) for v in first]
        while names and not names[-1]:
            names.pop()
        if names == same and any(_has_text(row) for row in rows):
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


def _has_text(row: list[object]) -> bool:
    return any(cell_text(v).strip() for v in row)


def _quoted(names: list[str]) -> str:
    return "、".join(f"“{name}”" for name in names)
