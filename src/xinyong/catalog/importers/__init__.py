"""Importers: read a department's file and check every row; they never write (STYLE.md).

``open_table`` picks the reader by the file's suffix (CSV, Excel, JSON); ``check_rows`` runs the
row checks over it and yields one :class:`RowResult` per data row, numbered from 1 (the header
is not a data row; wholly empty rows are skipped and not numbered).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Protocol

from xinyong.catalog.importers.context import ImportContext
from xinyong.catalog.importers.csvfile import CsvTable
from xinyong.catalog.importers.excel import MAX_BYTES as EXCEL_MAX_BYTES
from xinyong.catalog.importers.excel import ExcelTable
from xinyong.catalog.importers.formats import LAYOUTS, HeaderMap, map_header
from xinyong.catalog.importers.jsonfile import JsonTable
from xinyong.catalog.importers.outcomes import RowResult
from xinyong.catalog.importers.text import FileFacts, inspect_file
from xinyong.catalog.importers.validation import RowChecker
from xinyong.core.errors import XinyongError
from xinyong.core.tables import is_excel

__all__ = [
    "FileFacts",
    "ImportContext",
    "RowChecker",
    "RowResult",
    "Table",
    "check_rows",
    "file_format",
    "inspect",
    "open_table",
    "prepare",
]

JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})


class Table(Protocol):
    format: str
    header: list[str]

    def rows(self) -> Iterator[list[str]]: ...

    def progress(self) -> tuple[int, int]: ...


def file_format(path: Path) -> str:
    if is_excel(path):
        return "excel"
    if path.suffix.lower() in JSON_SUFFIXES:
        return "json"
    return "csv"


def inspect(path: Path) -> FileFacts:
    """Size, SHA-256 and encoding of a file, in one pass."""
    return inspect_file(path, text=file_format(path) != "excel")


def open_table(path: Path, facts: FileFacts, *, excel_max_bytes: int = EXCEL_MAX_BYTES) -> Table:
    kind = file_format(path)
    if kind == "excel":
        return ExcelTable(path, facts.size, max_bytes=excel_max_bytes)
    if kind == "json":
        return JsonTable(path, facts.encoding, facts.size)
    return CsvTable(path, facts.encoding, facts.size)


def prepare(table: Table, kind: str, context: ImportContext) -> RowChecker:
    """The checker for a file's header; refuses a file that is not in the layout at all."""
    header_map: HeaderMap = map_header(LAYOUTS[kind], table.header)
    required = ("subject_name", "document_number", "decision_date")
    missing = [key for key in required if not header_map.has(key)]
    if missing:
        labels = "、".join(header_map.layout.field(key).label for key in missing)
        raise XinyongError(
            "file-layout",
            f"表头缺少必需的列：{labels}；请使用{_layout_name(kind)}的字段名",
            status=422,
        )
    return RowChecker(table.header, header_map, context)


def check_rows(table: Table, checker: RowChecker, *, skip: int = 0) -> Iterator[RowResult]:
    """Every data row's result, after the first ``skip`` rows (already done before a crash)."""
    check = checker.check
    rows = table.rows()
    if skip:
        rows = islice(rows, skip, None)
    for number, cells in enumerate(rows, start=skip + 1):
        yield check(number, cells)


def _layout_name(kind: str) -> str:
    return {
        "penalties": "行政处罚（CF_）",
        "licences": "行政许可（XK_）",
        "records": "通用信用信息",
    }[kind]
