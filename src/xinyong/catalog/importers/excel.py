"""Excel workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods), the first sheet, through python-calamine.

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

from xinyong.catalog.importers.embedded_json import refuse_sensitive_json
from xinyong.core.errors import XinyongError
from xinyong.core.tables import cell_text, unreadable_excel

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
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            self._rows = sheet.iter_rows()
            self.total = sheet.height
        except Exception as exc:  # calamine raises its own error types for every kind of bad file
            raise unreadable_excel(path, exc) from exc
        self.done = 0
        header = next(self._rows, None)
        while header is not None and not any(cell_text(v).strip() for v in header):
            header = next(self._rows, None)
        if header is None:
            raise XinyongError("file-empty", "文件为空：没有表头", status=422)
        self.header = [cell_text(v) for v in header]
        while self.header and not self.header[-1].strip():
            self.header.pop()  # sheets often carry formatted but empty columns on the right

    def progress(self) -> tuple[int, int]:
        return self.done, self.total

    def rows(self) -> Iterator[list[str]]:
        width = len(self.header)
        for raw in self._rows:
            self.done += 1
            row = [cell_text(v) for v in raw]
            if len(row) > width and not any(v.strip() for v in row[width:]):
                del row[width:]
            if not any(row):
                continue
            yield refuse_sensitive_json(row)  # JSON text in a cell: its keys too (001 §14)
