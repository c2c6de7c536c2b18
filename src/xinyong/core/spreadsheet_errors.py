"""Where a workbook's first sheet holds error values (#N/A, #DIV/0!, #VALUE! …), read from the
file itself (R9, R10: an error is no value, and no empty cell either).

python-calamine (0.9.1, measured) gives no way to tell an error value (#N/A, #DIV/0!, #VALUE!,
#REF!, #NAME?, #NUM!, #NULL!) from an empty cell, in any format: it hands calamine's error cells
to Python as "", with no option (``to_python``, ``iter_rows``) that keeps them. In .xlsx and
.xlsm an error cell (``t="e"``) is ""; in .xls an error typed as a value (BOOLERR) and a
formula's cached error result are "", and so is an .xlsb BrtCellError; an .xlsb formula whose
result is an error (BrtFmlaError) calamine does not read at all, so a last row of them alone is
past the sheet it returns. In .ods, LibreOffice's error cell (``office:value-type="string"
office:string-value="" calcext:value-type="error"``) is ""; without a value type it is no cell
at all; one typed as a number is read as its number (0).

So each format is read here for them (``sheet_error_cells``): the sheet's XML for .xlsx and
.xlsm, the first sheet's records for .xls (BIFF8 in an OLE2 compound file, opened with
``olefile``) and .xlsb (BIFF12), ``content.xml`` for .ods (the ``calcext:value-type``
attribute). One pass that only looks for the error's mark settles almost every workbook; a part
that has it is read again to find each error's cell. Readers of the rows (the importer's
``ExcelTable``, ``core.tables`` for the commands) place each error by its row and column
(``errors_in_row``, ``error_rows_after``).

An upload is untrusted (R14 secure by default; R11: one file must not stop the process reading
it): XML is read by expat as a stream, without a tree, a DTD or more than ``MAX_DEPTH`` levels,
a zipped part only when stored or deflated, within the size its directory declares
(``core.zipped_xml``); an .xlsb
record's data only as far as its fields, the rest skipped as it streams by; at most
``max_cells`` error cells are held. A file these readers cannot follow is refused as unreadable,
as a workbook calamine cannot open is.
"""

from __future__ import annotations

import lzma
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Container, Iterator
from pathlib import Path
from typing import IO
from xml.parsers import expat

import olefile

from xinyong.core.ods_content import FirstTable, read_content
from xinyong.core.protection import mask_citizen_ids
from xinyong.core.tables import too_many_cells, unreadable_excel
from xinyong.core.zipped_xml import BLOCK, Done, Xml, local_name, member, mentions

# Row → column → the error's text, both counted from 0 from the sheet's A1.
ErrorCells = dict[int, dict[int, str]]

# The error codes of BIFF8 and BIFF12 (MS-XLS 2.5.97.2, MS-XLSB 2.5.97.2: BErr).
_ERROR_CODES = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
                0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}  # fmt: skip
UNNAMED = "（未注明类型）"  # an error cell whose text the file does not give
_ERROR_TEXT_LIMIT = 32  # an error's text is the file's: a longer one is no error's name
# What a reader raises for a file that is broken or made to break it (a zipped member in a
# compression it does not read raises NotImplementedError; olefile's own errors are OSErrors;
# RecursionError, a RuntimeError, from olefile's walk of a directory nested too deeply).
_BROKEN = (OSError, EOFError, ValueError, KeyError, IndexError, OverflowError, RuntimeError,
           NotImplementedError, struct.error, zipfile.BadZipFile, zlib.error, lzma.LZMAError,
           expat.ExpatError)  # fmt: skip


def sheet_error_cells(path: Path, *, max_cells: int) -> ErrorCells:
    """The first sheet's error cells in every format python-calamine reads, which reads each as
    an empty cell; none for another format. More than ``max_cells`` of them refuse the
    workbook as too large (R14): some are cells calamine leaves out of the sheet it holds, so
    its measure does not bound them. A file that cannot be followed is refused as unreadable
    (``file-unreadable``); time and memory stay within what the file's size allows, which
    the callers bound first (``catalog.importers.excel.refuse_too_large``)."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        return {}
    found = _Found(max_cells)
    try:
        reader(path, found)
    except _BROKEN as exc:
        raise unreadable_excel(path, exc) from exc
    return found.cells


def errors_in_row(errors: dict[int, str], first_column: int, width: int) -> dict[int, str]:
    """A sheet row's error cells by the row's own positions: a reader's rows begin at the
    sheet's first used column, and are ``width`` cells wide."""
    return {
        column - first_column: error
        for column, error in errors.items()
        if 0 <= column - first_column < width
    }


def error_rows_after(
    errors: ErrorCells, last: int, first_column: int, width: int
) -> Iterator[dict[int, str]]:
    """The error cells of each row past ``last``, the last row calamine returns, in order:
    cells it leaves out (an .xlsb formula's, an .ods cell's without a value type) of rows that
    hold nothing else, which come as rows of their errors alone."""
    for position in sorted(p for p in errors if p > last):
        found = errors_in_row(errors[position], first_column, width)
        if found:
            yield found


class _Found:
    """Error cells as they are found, at most ``limit`` of them."""

    def __init__(self, limit: int) -> None:
        self.cells: ErrorCells = {}
        self.count = 0
        self.limit = limit

    def add(self, row: int, column: int, text: str, *, rows: int = 1, columns: int = 1) -> None:
        """The cell, or the block of ``rows`` × ``columns`` cells from it (.ods writes equal
        neighbours once, with a count), refused whole when it would pass the limit."""
        self.count += rows * columns
        if self.count > self.limit:
            raise too_many_cells(float("inf"), self.limit)
        for at in range(row, row + rows):
            cells = self.cells.setdefault(at, {})
            for next_column in range(column, column + columns):
                cells[next_column] = text


def _error_text(text: str) -> str:
    """The error's text as the file gives it, masked as any text from the file that a message
    repeats (R14); a text too long for an error's name as unnamed."""
    text = text.strip()
    return mask_citizen_ids(text) if 0 < len(text) <= _ERROR_TEXT_LIMIT else UNNAMED


def _relationship_target(archive: zipfile.ZipFile, rels: str, wanted: str) -> str | None:
    """The part a package relationship of that id points to, as a zip member's name."""
    target: list[str] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if local_name(name) == "Relationship" and attributes.get("Id") == wanted:
            target.append(attributes.get("Target", ""))
            raise Done

    with member(archive, rels) as stream:
        Xml(start, lambda _: None).read(stream)
    if not target:
        return None
    if target[0].startswith("/"):
        return target[0].lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(posixpath.dirname(rels)),
                                             target[0]))  # fmt: skip


# -- .xlsx, .xlsm: a cell of ``t="e"``, its text in ``v`` -----------------------------------------

_XLSX_ERROR = re.compile(rb"""\bt\s*=\s*["']e["']""")
_CELL_COLUMN = re.compile(r"[A-Z]+")


def _xlsx_errors(path: Path, found: _Found) -> None:
    with zipfile.ZipFile(path) as archive:
        part = _xlsx_first_sheet(archive)
        if part is None:
            return
        with member(archive, part) as stream:
            if not mentions(stream, _XLSX_ERROR):
                return
        with member(archive, part) as stream:
            _XlsxSheet(found).read(stream)


def _xlsx_first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The zip member of the workbook's first sheet, as the workbook lists its sheets (the
    order python-calamine reads them in)."""
    relationship: list[str] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if local_name(name) == "sheet":
            # r:id, in the relationships namespace of transitional or of strict OOXML
            relationship.extend(
                v for k, v in attributes.items() if "}" in k and local_name(k) == "id"
            )
            raise Done

    with member(archive, "xl/workbook.xml") as stream:
        Xml(start, lambda _: None).read(stream)
    if not relationship:
        return None
    return _relationship_target(archive, "xl/_rels/workbook.xml.rels", relationship[0])


class _XlsxSheet:
    """Every error cell's position and text. A cell or row without its reference (which the
    format allows) follows the one before it."""

    def __init__(self, found: _Found) -> None:
        self.found = found
        self.row = self.column = -1
        self.error = False
        self.values: list[str] = []
        self.xml = Xml(self.start, self.end)

    def read(self, stream: IO[bytes]) -> None:
        self.xml.read(stream)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        name = local_name(name)
        if name == "c":
            reference = attributes.get("r")
            self.column = _column(reference) if reference else self.column + 1
            self.error, self.values = attributes.get("t") == "e", []
        elif name == "v" and self.error:
            self.xml.collect(_ERROR_TEXT_LIMIT)
        elif name == "row":
            number = attributes.get("r")
            self.row, self.column = (int(number) - 1 if number else self.row + 1), -1

    def end(self, name: str) -> None:
        if not self.error:
            return
        name = local_name(name)
        if name == "v":
            self.values.append(self.xml.collected())
        elif name == "c":
            self.found.add(self.row, self.column, _error_text("".join(self.values)))
            self.error = False


def _column(reference: str) -> int:
    """The column of a cell reference (B7 → 1)."""
    match = _CELL_COLUMN.match(reference)
    if match is None:
        raise ValueError(f"not a cell reference: {reference[:20]!r}")
    number = 0
    for letter in match.group():
        number = number * 26 + ord(letter) - 64
    return number - 1


# -- .ods: ``calcext:value-type="error"``, the error's text in ``text:p`` -------------------------

_ODS_ERROR = re.compile(rb"""value-type\s*=\s*["']error["']""")
_TEXT_P = "urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"


def _ods_errors(path: Path, found: _Found) -> None:
    read_content(path, _ODS_ERROR, lambda: _OdsTable(found))


class _OdsTable(FirstTable):
    """The first table's error cells, where ``FirstTable`` counts them. What a cell holds is
    not the sheet's rows and cells; of it only the text of its own paragraphs is read (a
    comment's text is not the cell's)."""

    def __init__(self, found: _Found) -> None:
        super().__init__()
        self.found = found
        self.error = False
        self.paragraphs: list[str] = []

    def cell(self, name: str, attributes: dict[str, str]) -> None:
        self.error = any(
            local_name(k) == "value-type" and v == "error" for k, v in attributes.items()
        )
        self.paragraphs = []

    def inside(self, name: str, depth: int) -> None:
        if self.error and name == _TEXT_P and depth == self.cell_depth + 1:
            self.xml.collect(_ERROR_TEXT_LIMIT)

    def inside_end(self, name: str, depth: int) -> None:
        if self.error and name == _TEXT_P and depth == self.cell_depth + 1:
            self.paragraphs.append(self.xml.collected())

    def cell_end(self) -> None:
        if self.error:
            text = _error_text("".join(self.paragraphs))
            self.found.add(self.row, self.column, text, rows=self.rows, columns=self.columns)
        self.error = False


# -- .xlsb: BrtCellError, an error typed as a value; BrtFmlaError, a formula whose result is an
# error (MS-XLSB 2.4.*) ---------------------------------------------------------------------------

_XLSB_ROW, _XLSB_CELL_ERROR, _XLSB_FORMULA_ERROR, _XLSB_SHEET_DATA_END = 0x00, 0x03, 0x0B, 0x92
_XLSB_BUNDLE_SHEET, _XLSB_BUNDLE_SHEETS_END = 0x9C, 0x90
_XLSB_MAX_ROW = 0x100000  # calamine ends the sheet at a row past Excel's last
_XLSB_KEPT = 4096  # of a record's data: the fields read here are at its start


def _xlsb_errors(path: Path, found: _Found) -> None:
    with zipfile.ZipFile(path) as archive:
        part = _xlsb_first_sheet(archive)
        if part is None:
            return
        with member(archive, part) as stream:
            row = 0
            wanted = {_XLSB_ROW, _XLSB_CELL_ERROR, _XLSB_FORMULA_ERROR}
            for kind, body in _xlsb_records(stream, wanted):
                if kind == _XLSB_ROW:
                    row = int.from_bytes(body[:4], "little")
                    if row > _XLSB_MAX_ROW:
                        return
                elif kind == _XLSB_SHEET_DATA_END:
                    return
                elif kind in wanted and len(body) > 8:  # the column, the style, the error
                    column = int.from_bytes(body[:4], "little")
                    found.add(row, column, _ERROR_CODES.get(body[8], UNNAMED))


def _xlsb_first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The zip member of the workbook's first sheet (BrtBundleSh), as calamine finds it."""
    with member(archive, "xl/workbook.bin") as stream:
        for kind, body in _xlsb_records(stream, {_XLSB_BUNDLE_SHEET}):
            if kind == _XLSB_BUNDLE_SHEETS_END:
                return None
            if kind != _XLSB_BUNDLE_SHEET or len(body) < 12:
                continue
            length = int.from_bytes(body[8:12], "little")
            if length == 0xFFFFFFFF:  # no part: calamine lists no such sheet either
                continue
            relationship = body[12 : 12 + 2 * length].decode("utf-16-le")
            return _relationship_target(archive, "xl/_rels/workbook.bin.rels", relationship)
    return None


def _xlsb_records(stream: IO[bytes], wanted: Container[int]) -> Iterator[tuple[int, bytes]]:
    """Each BIFF12 record's type, and the first ``_XLSB_KEPT`` bytes of its data when its type
    is ``wanted`` (MS-XLSB 2.1.4: a type of one or two bytes, a size of one to four, seven
    bits a byte). The rest of a record is skipped as it is read: memory stays flat whatever
    size a record claims. A record cut short by the part's end is a broken file."""
    buffer, at = b"", 0
    while True:
        if len(buffer) - at < 6:
            buffer, at = buffer[at:] + stream.read(BLOCK), 0
            if not buffer:
                return
        end = len(buffer)
        kind = buffer[at]
        at += 1
        if kind & 0x80:
            if at == end or buffer[at] & 0x80:
                raise ValueError("a record type cut short or longer than two bytes")
            kind = (kind & 0x7F) | buffer[at] << 7
            at += 1
        size = 0
        for shift in (0, 7, 14, 21):
            if at == end:
                raise ValueError("a record size cut short by the part's end")
            byte = buffer[at]
            at += 1
            size |= (byte & 0x7F) << shift
            if not byte & 0x80:
                break
        else:
            raise ValueError("a record size longer than four bytes")
        body = b""
        if kind in wanted:
            kept = min(size, _XLSB_KEPT)
            while at + kept > len(buffer):
                more = stream.read(BLOCK)
                if not more:
                    raise ValueError("a record runs past the end of its part")
                buffer, at = buffer[at:] + more, 0
            body = buffer[at : at + kept]
        if at + size <= len(buffer):
            at += size
        else:
            left = size - (len(buffer) - at)
            buffer, at = b"", 0
            while left:
                skipped = len(stream.read(min(left, BLOCK)))
                if not skipped:
                    raise ValueError("a record runs past the end of its part")
                left -= skipped
        yield kind, body


# -- .xls: BOOLERR, an error typed as a value, and FORMULA whose cached result is an error
# (MS-XLS 2.4.24, 2.4.127, 2.5.133), in the first sheet's part of the Workbook stream ------------

_BIFF_BOF, _BIFF_EOF, _BIFF_BOUNDSHEET = 0x0809, 0x000A, 0x0085
_BIFF_BOOLERR, _BIFF_FORMULA = 0x0205, 0x0006
_BIFF_WANTED = frozenset({_BIFF_BOF, _BIFF_EOF, _BIFF_BOUNDSHEET, _BIFF_BOOLERR, _BIFF_FORMULA})
_FAT_SLACK = 8  # FAT sectors past those a file's sectors need (``_refuse_overlong_fat``)


def _xls_errors(path: Path, found: _Found) -> None:
    with path.open("rb") as file:
        _refuse_overlong_fat(file)
        # Any defect olefile finds that is more than cosmetic refuses the file: one it would
        # pass over (a stream longer than its table, a chain that loops) is read on and on.
        ole = olefile.OleFileIO(file, raise_defects=olefile.DEFECT_INCORRECT)
        try:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)  # BIFF8, BIFF5
            if name is None or ole.get_type(name) != olefile.STGTY_STREAM:
                raise ValueError("no Workbook stream")
            with ole.openstream(name) as stream:
                data = stream.read()
        finally:
            ole.close()
    _read_biff(data, found)


def _refuse_overlong_fat(file: IO[bytes]) -> None:
    """A header that counts more FAT sectors than the file's sectors need refuses the file:
    olefile reads as many as the header counts, following a DIFAT chain that may loop, and
    joins each to the table read so far (measured: a 5.6 KB file so made ran for over ten
    minutes). A FAT sector describes a sector's worth of sectors (MS-CFB 2.2); a few more are
    let pass, for a writer that leaves free sectors at the end unwritten (LibreOffice's
    36.8 MB .xls has exactly the 562 its 71,882 sectors need)."""
    header = file.read(512)
    if len(header) < 512:
        raise ValueError("no compound file header")
    (shift,) = struct.unpack_from("<H", header, 0x1E)
    if shift not in (9, 12):
        raise ValueError("unknown sector size")
    size = 1 << shift
    sectors = -(-file.seek(0, 2) // size) - 1
    (fat_sectors,) = struct.unpack_from("<I", header, 0x2C)
    if fat_sectors > sectors // (size // 4) + _FAT_SLACK:
        raise ValueError(f"{fat_sectors} FAT sectors for a file of {sectors} sectors")
    file.seek(0)


def _read_biff(data: bytes, found: _Found) -> None:
    """The first sheet's error cells: its records begin where the first BOUNDSHEET says, and
    end at the EOF that closes its BOF (a chart's records nest inside the sheet's own)."""
    sheet_at: int | None = None
    depth = 0
    for offset, kind, body in _biff_records(data):
        if sheet_at is None or offset < sheet_at:
            if sheet_at is None and kind == _BIFF_BOUNDSHEET and len(body) >= 4:
                sheet_at = int.from_bytes(body[:4], "little")
            continue
        if offset > sheet_at and not depth:
            raise ValueError("the first sheet does not begin at a record")
        if kind == _BIFF_BOF:
            depth += 1
        elif kind == _BIFF_EOF:
            depth -= 1
            if depth <= 0:
                return
        elif depth != 1 or len(body) < 8:
            continue
        elif kind == _BIFF_BOOLERR and body[7] == 1:
            row, column = struct.unpack_from("<HH", body)
            found.add(row, column, _ERROR_CODES.get(body[6], UNNAMED))
        elif (
            kind == _BIFF_FORMULA
            and len(body) >= 14
            and body[6] == 2
            and body[12:14] == b"\xff\xff"
        ):
            row, column = struct.unpack_from("<HH", body)
            found.add(row, column, _ERROR_CODES.get(body[8], UNNAMED))


def _biff_records(data: bytes) -> Iterator[tuple[int, int, bytes]]:
    """Each BIFF record's offset in its stream, its type, and its data when it may be one read
    here (a cell's, a sheet's bounds). A record that runs past the stream's end is a broken
    file; a stream may end in a few bytes of padding, which are no record."""
    at, end = 0, len(data)
    while at + 4 <= end:
        kind, size = struct.unpack_from("<HH", data, at)
        if at + 4 + size > end:
            raise ValueError("a record runs past the end of its stream")
        yield at, kind, (data[at + 4 : at + 4 + size] if kind in _BIFF_WANTED else b"")
        at += 4 + size


_READERS: dict[str, Callable[[Path, _Found], None]] = {
    ".xlsx": _xlsx_errors, ".xlsm": _xlsx_errors, ".xlsb": _xlsb_errors, ".xls": _xls_errors,
    ".ods": _ods_errors,
}  # fmt: skip
