"""Where a workbook's first sheet holds error values (#N/A, #VALUE!, #REF! …).

python-calamine reads an error cell as an empty one, as it does a blank cell: a fine whose
formula failed would be recorded as no fine. So the sheet's XML is read for them here, for the
formats that keep a cell's type in XML (.xlsx, .xlsm: ``t="e"``). One pass over the XML,
which only looks for that attribute, settles almost every workbook; a sheet that has it is
read again, streamed, to find each error's cell.

The other formats (.xls, .xlsb, .ods) keep their cells in forms this module does not read: an
error cell there is still read as empty (python-calamine gives no way to tell).
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import IO

XML_FORMATS = frozenset({".xlsx", ".xlsm"})
_BLOCK = 1 << 20
_ERROR_TYPE = re.compile(rb"""\bt\s*=\s*["']e["']""")
_OVERLAP = 16  # bytes kept between blocks, so that an attribute cut in two is still found
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL_COLUMN = re.compile(r"[A-Z]+")

# Row → column → the error's text, both counted from 0 from the sheet's A1.
ErrorCells = dict[int, dict[int, str]]


def error_cells(path: Path) -> ErrorCells:
    """The first sheet's error cells; none for a format not read here. Raises what the zip
    and XML readers raise for a broken file (the caller refuses it as unreadable)."""
    if path.suffix.lower() not in XML_FORMATS:
        return {}
    with zipfile.ZipFile(path) as archive:
        part = first_sheet_part(archive)
        if part is None:
            return {}
        with archive.open(part) as stream:
            if not _mentions_errors(stream):
                return {}
        with archive.open(part) as stream:
            return _read_errors(stream)


def first_sheet_part(archive: zipfile.ZipFile) -> str | None:
    """The zip member of the workbook's first sheet, as the workbook lists its sheets (the
    order python-calamine reads them in)."""
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    sheet = next((e for e in workbook.iter() if _local(e.tag) == "sheet"), None)
    if sheet is None:
        return None
    relationship = sheet.get(_RELATIONSHIP_ID)
    relations = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for relation in relations.iter():
        if _local(relation.tag) == "Relationship" and relation.get("Id") == relationship:
            target = relation.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def _mentions_errors(stream: IO[bytes]) -> bool:
    tail = b""
    for block in iter(lambda: stream.read(_BLOCK), b""):
        if _ERROR_TYPE.search(tail + block):
            return True
        tail = block[-_OVERLAP:]
    return False


def _read_errors(stream: IO[bytes]) -> ErrorCells:
    """Every error cell's position and text. A cell or row without its reference (which the
    format allows) follows the one before it. Each row is dropped once read: memory stays flat."""
    found: ErrorCells = {}
    row = column = -1
    rows_parent = None
    for event, element in ET.iterparse(stream, events=("start", "end")):
        name = _local(element.tag)
        if event == "start":
            if name == "sheetData":
                rows_parent = element
            elif name == "row":
                number = element.get("r")
                row, column = (int(number) - 1 if number else row + 1), -1
            elif name == "c":
                reference = element.get("r")
                column = _column(reference) if reference else column + 1
            continue
        if name == "c" and element.get("t") == "e":
            text = "".join(
                (child.text or "").strip() for child in element if _local(child.tag) == "v"
            )
            found.setdefault(row, {})[column] = text or "（未注明类型）"
        elif name == "row" and rows_parent is not None:
            rows_parent.remove(element)
    return found


def _column(reference: str) -> int:
    """The column of a cell reference (B7 → 1)."""
    match = _CELL_COLUMN.match(reference)
    if match is None:
        raise ValueError(f"not a cell reference: {reference!r}")
    number = 0
    for letter in match.group():
        number = number * 26 + ord(letter) - 64
    return number - 1


def _local(tag: str) -> str:
    """An element's name without its namespace (strict and transitional OOXML differ)."""
    return tag.rsplit("}", 1)[-1]
