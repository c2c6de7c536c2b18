"""Small workbooks with error cells in the formats that keep cells outside XML attributes
(.xls, .xlsb, .ods), written at run time from rows, without extra libraries.

A row is a list of cells: ``None`` (no cell), a ``str``, a ``float``, or an ``Error``. How an
error is written follows the producers that write it:

- .xls (BIFF8 in an OLE2 compound file): ``formula=True`` is a FORMULA record whose cached
  result is the error (what Excel and WPS write for ``=1/0``); else a BOOLERR record (an error
  typed as a constant). ``mini=True`` puts the Workbook stream in the compound file's mini
  stream, as some writers do for streams under 4,096 bytes.
- .xlsb: ``formula=True`` is BrtFmlaError, else BrtCellError (MS-XLSB 2.4.*).
- .ods: ``formula=True`` is a formula cell as LibreOffice saves one whose result is an error
  (``office:value-type="string" office:string-value="" calcext:value-type="error"``, the
  error's text in ``text:p``); else the same without ``office:value-type``.

Each writer takes ``more``: further sheets after the first, as (name, rows).
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

# The error codes of BIFF8 and XLSB (MS-XLS 2.5.97.2 BErr).
CODES = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D,
         "#NUM!": 0x24, "#N/A": 0x2A}  # fmt: skip


@dataclass(frozen=True)
class Error:
    text: str
    formula: bool = True


Cell = None | str | float | Error


# -- .xls -----------------------------------------------------------------------------------------


def _biff(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _xls_cell(row: int, column: int, value: Cell) -> bytes:
    head = struct.pack("<HHH", row, column, 0)
    if isinstance(value, str):  # LABEL: an XLUnicodeString, UTF-16
        return _biff(0x0204, head + struct.pack("<HB", len(value), 1) + value.encode("utf-16-le"))
    if isinstance(value, float):
        return _biff(0x0203, head + struct.pack("<d", value))
    assert isinstance(value, Error)
    code = CODES[value.text]
    if not value.formula:
        return _biff(0x0205, head + bytes([code, 1]))
    result = bytes([2, 0, code, 0, 0, 0, 0xFF, 0xFF])  # an error result (MS-XLS 2.5.133)
    formula = bytes([0x1E, 1, 0, 0x1E, 0, 0, 0x06])  # =1/0: PtgInt 1, PtgInt 0, PtgDiv
    return _biff(0x0006, head + result + struct.pack("<HIH", 0, 0, len(formula)) + formula)


# A merged range: first row, first column, last row, last column, counted from 0.
Merged = tuple[int, int, int, int]


def _xls_bof(kind: int) -> bytes:
    return _biff(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0206))


def _xls_sheet(rows: list[list[Cell]], merged: tuple[Merged, ...] = ()) -> bytes:
    width = max((len(row) for row in rows), default=0)
    body = _xls_bof(0x0010) + _biff(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    for r, row in enumerate(rows):
        body += b"".join(_xls_cell(r, c, v) for c, v in enumerate(row) if v is not None)
    if merged:  # MERGEDCELLS (MS-XLS 2.4.168): Ref8U each
        ranges = b"".join(struct.pack("<HHHH", r0, r1, c0, c1) for r0, c0, r1, c1 in merged)
        body += _biff(0x00E5, struct.pack("<H", len(merged)) + ranges)
    return body + _biff(0x000A)


def _xls_stream(
    rows: list[list[Cell]], sheet: str, merged: tuple[Merged, ...] = (),
    more: Sequence[tuple[str, list[list[Cell]]]] = (),
) -> bytes:  # fmt: skip
    names = [struct.pack("<BB", len(n), 1) + n.encode("utf-16-le") for n in (sheet, *dict(more))]
    bodies = [_xls_sheet(rows, merged), *(_xls_sheet(more_rows) for _, more_rows in more)]
    xf = _biff(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    head = _xls_bof(0x0005) + _biff(0x0042, struct.pack("<H", 1200)) + xf * 16
    sheet_at = len(head) + sum(len(_biff(0x0085, b"\0" * (6 + len(n)))) for n in names)
    sheet_at += len(_biff(0x000A))
    bounds = b""
    for name, body in zip(names, bodies, strict=True):  # BOUNDSHEET: where each sheet begins
        bounds += _biff(0x0085, struct.pack("<IBB", sheet_at, 0, 0) + name)
        sheet_at += len(body)
    return head + bounds + _biff(0x000A) + b"".join(bodies)


def _compound(stream: bytes, *, mini: bool) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding one stream, "Workbook"."""
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    if not mini:
        stream = stream.ljust(4096, b"\0")  # under the cutoff it would belong in the mini stream
    chains: list[bytes] = []  # each sector after the FAT (0) and the directory (1)
    fat = [fat_sector, end]

    def allocate(data: bytes) -> int:
        first = 2 + len(chains)
        pieces = [data[i : i + 512].ljust(512, b"\0") for i in range(0, len(data), 512)]
        chains.extend(pieces)
        fat.extend(range(first + 1, first + len(pieces)))
        fat.append(end)
        return first

    if mini:
        sectors = (len(stream) + 63) // 64
        mini_fat = [*range(1, sectors), end]
        mini_fat_at = allocate(struct.pack(f"<{len(mini_fat)}I", *mini_fat))
        root_start, root_size = allocate(stream.ljust(sectors * 64, b"\0")), sectors * 64
        start, mini_fat_count = 0, 1
    else:
        start, mini_fat_at, mini_fat_count = allocate(stream), end, 0
        root_start, root_size = end, 0
    assert len(fat) <= 128

    def entry(name: str, kind: int, child: int, begin: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", no_stream, no_stream, child) + b"\0" * 36
                + struct.pack("<IQ", begin, size))  # fmt: skip

    root = entry("Root Entry", 5, 1, root_start, root_size)
    directory = (root + entry("Workbook", 2, no_stream, start, len(stream))).ljust(512, b"\0")
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 16
              + struct.pack("<HHHHH", 0x003E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, mini_fat_at, mini_fat_count, end, 0)
              + struct.pack("<109I", 0, *[free] * 108))  # fmt: skip
    fat_bytes = struct.pack("<128I", *fat, *[free] * (128 - len(fat)))
    return header + fat_bytes + directory + b"".join(chains)


def write_xls(
    path: Path, rows: list[list[Cell]], *, sheet: str = "Sheet1", mini: bool = False,
    merged: tuple[Merged, ...] = (), more: Sequence[tuple[str, list[list[Cell]]]] = (),
) -> Path:  # fmt: skip
    path.write_bytes(_compound(_xls_stream(rows, sheet, merged, more), mini=mini))
    return path


# -- .xlsb ----------------------------------------------------------------------------------------


def _record(kind: int, body: bytes = b"") -> bytes:
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size, encoded = len(body), bytearray()
    while True:
        encoded.append((size & 0x7F) | (0x80 if size >= 0x80 else 0))
        size >>= 7
        if not size:
            break
    return head + bytes(encoded) + body


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def _xlsb_cell(column: int, value: Cell) -> bytes:
    head = struct.pack("<II", column, 0)
    if isinstance(value, str):
        return _record(0x0006, head + _wide(value))  # BrtCellSt
    if isinstance(value, float):
        return _record(0x0005, head + struct.pack("<d", value))  # BrtCellReal
    assert isinstance(value, Error)
    code = CODES[value.text]
    if not value.formula:
        return _record(0x0003, head + bytes([code]))  # BrtCellError
    formula = bytes([0x1E, 1, 0, 0x1E, 0, 0, 0x06])  # =1/0
    body = head + bytes([code]) + struct.pack("<HI", 0, len(formula)) + formula + b"\0" * 4
    return _record(0x000B, body)  # BrtFmlaError


_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="{target}" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/{kind}"/></Relationships>'
)


def _xlsb_sheet(rows: list[list[Cell]], merged: tuple[Merged, ...] = ()) -> bytes:
    width = max((len(row) for row in rows), default=1)
    records = [_record(0x0081), _record(0x0094, struct.pack("<IIII", 0, len(rows), 0, width)),
               _record(0x0091)]  # BrtBeginSheet, BrtWsDim, BrtBeginSheetData  # fmt: skip
    for r, row in enumerate(rows):
        records.append(_record(0x0000, struct.pack("<IIHBBBB", r, 0, 0x12C, 0, 0, 0, 0)))
        records += (_xlsb_cell(c, v) for c, v in enumerate(row) if v is not None)
    records.append(_record(0x0092))  # BrtEndSheetData
    if merged:  # BrtBeginMergeCells, BrtMergeCell (an RfX each), BrtEndMergeCells
        records.append(_record(0x00B1, struct.pack("<I", len(merged))))
        records += (_record(0x00B0, struct.pack("<IIII", r0, r1, c0, c1))
                    for r0, c0, r1, c1 in merged)  # fmt: skip
        records.append(_record(0x00B2))
    return b"".join(records) + _record(0x0082)


def write_xlsb(
    path: Path, rows: list[list[Cell]], *, sheet: str = "Sheet1", merged: tuple[Merged, ...] = (),
    more: Sequence[tuple[str, list[list[Cell]]]] = (),
) -> Path:  # fmt: skip
    sheets = [(sheet, _xlsb_sheet(rows, merged))]
    sheets += [(name, _xlsb_sheet(more_rows)) for name, more_rows in more]
    bundles = b"".join(  # BrtBundleSh: each sheet's id, its relationship and its name
        _record(0x009C, struct.pack("<II", 0, n) + _wide(f"rId{n}") + _wide(name))
        for n, (name, _) in enumerate(sheets, start=1)
    )
    book = (_record(0x0083) + _record(0x0099, struct.pack("<III", 0, 0, 0xFFFFFFFF) + _wide(""))
            + _record(0x008F) + bundles + _record(0x0090)
            + _record(0x009D, b"\0" * 26) + _record(0x0084))  # fmt: skip
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.bin"'
        ' ContentType="application/vnd.ms-excel.worksheet"/>'
        for n in range(1, len(sheets) + 1)
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="bin"'
        ' ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
        '<Default Extension="rels"'
        ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f"{overrides}</Types>"
    )
    relationships = "".join(
        f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.bin" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        for n in range(1, len(sheets) + 1)
    )
    sheet_rels = _RELS.split("<Relationship ")[0] + relationships + "</Relationships>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(
            "_rels/.rels", _RELS.format(target="xl/workbook.bin", kind="officeDocument")
        )
        archive.writestr("xl/workbook.bin", book)
        archive.writestr("xl/_rels/workbook.bin.rels", sheet_rels)
        for n, (_, part) in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.bin", part)
    return path


# -- .ods -----------------------------------------------------------------------------------------


def _ods_cell(value: Cell) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, str):
        text = f"<text:p>{escape(value)}</text:p>"
        return f'<table:table-cell office:value-type="string">{text}</table:table-cell>'
    if isinstance(value, float):
        return f'<table:table-cell office:value-type="float" office:value="{value!r}"/>'
    typed = ' office:value-type="string" office:string-value=""' if value.formula else ""
    return (f'<table:table-cell table:formula="of:=1/0"{typed} calcext:value-type="error">'
            f"<text:p>{escape(value.text)}</text:p></table:table-cell>")  # fmt: skip


def _ods_table(name: str, rows: Sequence[list[Cell] | str]) -> str:
    body = "".join(
        row if isinstance(row, str)
        else "<table:table-row>" + "".join(map(_ods_cell, row)) + "</table:table-row>"
        for row in rows
    )  # fmt: skip
    return f"<table:table table:name={quoteattr(name)}>{body}</table:table>"


def write_ods(
    path: Path, rows: list[list[Cell] | str], *, sheet: str = "Sheet1",
    more: Sequence[tuple[str, list[list[Cell]]]] = (),
) -> Path:  # fmt: skip
    """A row given as a ``str`` is the ``table:table-row`` element's XML, as it is."""
    tables = _ods_table(sheet, rows) + "".join(_ods_table(n, more_rows) for n, more_rows in more)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
        ' office:version="1.3"><office:body><office:spreadsheet>'
        f"{tables}"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
        ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


WRITERS = {".xls": write_xls, ".xlsb": write_xlsb, ".ods": write_ods}
