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

from xinyong.catalog.importers import header_row
from xinyong.catalog.importers.context import ImportContext
from xinyong.catalog.importers.csvfile import CsvTable
from xinyong.catalog.importers.excel import MAX_BYTES as EXCEL_MAX_BYTES
from xinyong.catalog.importers.excel import ExcelTable
from xinyong.catalog.importers.formats import LAYOUTS, Field, HeaderMap, map_header
from xinyong.catalog.importers.jsonfile import JsonTable
from xinyong.catalog.importers.outcomes import RowResult
from xinyong.catalog.importers.text import FileFacts, inspect_file
from xinyong.catalog.importers.validation import RowChecker
from xinyong.core.errors import XinyongError
from xinyong.core.protection import mask_citizen_ids
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
    header_found: bool  # whether ``header`` reads as one (``header_row``), past any title rows
    warnings: tuple[dict[str, str], ...]  # the reader's, about the file: code and message

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
    """The checker for a file's header; refuses a file in which no row among the first reads
    as a header (``header_row``), one whose header lacks a required column, or one that names
    a field twice (``_refuse_repeated``)."""
    layout = LAYOUTS[kind]
    required = ("subject_name", "document_number", "decision_date")
    if not table.header_found:
        raise _no_header(kind, [layout.field(key) for key in required])
    header_map: HeaderMap = map_header(layout, table.header)
    missing = [key for key in required if not header_map.has(key)]
    if missing:
        labels = "、".join(header_map.layout.field(key).label for key in missing)
        raise XinyongError(
            "file-layout",
            f"表头缺少必需的列：{labels}；请使用{_layout_name(kind)}的字段名",
            status=422,
        )
    _refuse_repeated(header_map, table.header)
    # Only a JSON file's escapes spell a lone surrogate (``RowChecker``).
    surrogates_possible = table.format == "json"
    return RowChecker(table.header, header_map, context, surrogates_possible=surrogates_possible)


def _no_header(kind: str, required: list[Field]) -> XinyongError:
    """No row among the first names the formats' columns: titles only, or a file of other
    columns. Saying which columns are missing would take a title or a data row for the header."""
    names = "、".join(field.new[0] for field in required)
    labels = "、".join(field.label for field in required)
    return XinyongError(
        "file-layout",
        f"在文件的前 {header_row.ROWS_LOOKED_AT} 行（空行不计）中没有找到表头：没有一行写有"
        f"{_layout_name(kind)}的字段名（如 {names}，或 {labels}）；"
        "表头之上至多可有标题、填报单位等说明行",
        status=422,
    )


def _refuse_repeated(header_map: HeaderMap, header: list[str]) -> None:
    """A field named by two columns (CF_WSH twice, or CF_XDR_MC and 行政相对人名称) is refused
    for the whole file: joining the copies would make an identity of two values, a record no
    later file matches, and taking one of them would drop the other's text unseen. Only the
    older edition's two penalty-type columns are one field's two parts (``Field.parts``).

    The header is refused rather than each row whose copies differ: it is one mistake of the
    export, fixed once, and a file whose copies all agree today would fail on the row where
    they first differ. A column's name may be a value taken for a name: masked (R14)."""
    if not header_map.repeated:
        return
    layout = header_map.layout
    groups = []
    for indexes in header_map.repeated:
        names = "、".join(f"“{header[i].strip()}”" for i in indexes)
        keys = [k for k, found in header_map.columns.items() if indexes[0] in found]
        label = layout.field(keys[0]).label if keys else header[indexes[0]].strip()
        groups.append(f"{names}（{label}）")
    raise XinyongError(
        "file-layout",
        mask_citizen_ids(
            f"表头中同一字段出现多列：{'；'.join(groups)}；每个字段只能有一列，"
            "请删去重复的列后重新导入"
        ),
        status=422,
    )


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
