"""Reading a workbook's error cells from an untrusted file (R14 secure by default; R11): every
reader ends soon, in little memory, and a file it cannot follow is refused as unreadable, never
with another exception. Malformed files are made by cutting and corrupting good ones."""

import io
import signal
import struct
import time
import tracemalloc
import zipfile
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from tests.data.ingest.error_workbooks import Error, write_ods, write_xls, write_xlsb
from xinyong.core import spreadsheet_errors
from xinyong.core.errors import XinyongError
from xinyong.core.spreadsheet_errors import sheet_error_cells

ROWS = [["name", "fine"], ["x", Error("#N/A")], ["y", Error("#DIV/0!", formula=False)]]
FOUND = {1: {1: "#N/A"}, 2: {1: "#DIV/0!"}}
ZIPPED_PART = {".xlsx": "xl/worksheets/sheet1.xml", ".xlsb": "xl/worksheets/sheet1.bin",
               ".ods": "content.xml"}  # fmt: skip
BUDGET = 1000
DATA = Path(__file__).parents[1] / "data" / "ingest"


class TookTooLong(BaseException):
    """Not an Exception: no reader's handler can take it for a broken file."""


@contextmanager
def at_most(seconds):
    def stop(*_):
        raise TookTooLong(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def write_xlsx(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([v.text if isinstance(v, Error) else v for v in row])
    book.save(path)
    return path


WRITERS = {".xlsx": write_xlsx, ".xls": write_xls, ".xlsb": write_xlsb, ".ods": write_ods}


def write(tmp_path, suffix, rows=ROWS):
    return WRITERS[suffix](tmp_path / f"t{suffix}", rows)


def read(path):
    with at_most(20):
        return sheet_error_cells(path, max_cells=BUDGET)


def refused(path):
    with pytest.raises(XinyongError) as caught:
        read(path)
    return caught.value.code


def with_part(path, name, content, compress_type=zipfile.ZIP_DEFLATED):
    """The zipped workbook again, its part ``name`` replaced."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = content if info.filename == name else source.read(info)
            kind = compress_type if info.filename == name else info.compress_type
            archive.writestr(info.filename, data, kind)
    return path


def part(path, name):
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


@pytest.mark.parametrize("suffix", list(WRITERS))
def test_each_format_gives_its_error_cells(tmp_path, suffix):
    assert read(write(tmp_path, suffix)) == FOUND


@pytest.mark.parametrize(
    ("suffix", "last"),
    [(".xls", "#VALUE!"), (".xlsx", "#VALUE!"), (".ods", "Err:502")],
)
def test_workbooks_as_libreoffice_writes_them(suffix, last):
    """libreoffice-errors.fods (=1/0, =NA(), text plus a number, =SQRT(-1)) converted by
    LibreOffice 7.4 (``soffice --headless --convert-to``): the results it computed and saved
    are read, and calamine reads each of those cells as empty."""
    path = DATA / f"libreoffice-errors{suffix}"
    assert read(path) == {1: {1: "#DIV/0!"}, 2: {2: "#N/A"}, 3: {0: "#VALUE!", 1: last}}
    assert list(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())[1:] == [
        ["x", "", 1], ["y", 2, ""], ["", "", ""],
    ]  # fmt: skip


@pytest.mark.parametrize("suffix", list(WRITERS))
@pytest.mark.parametrize("kept", [0.1, 0.5, 0.9, -1])
def test_a_truncated_file_is_refused_as_unreadable(tmp_path, suffix, kept):
    path = write(tmp_path, suffix)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * kept)] if kept > 0 else data[:-1])
    assert refused(path) == "file-unreadable"


@pytest.mark.parametrize(
    ("suffix", "mark"),
    [(".xlsb", b"\x0b"), (".ods", b'value-type="error"'), (".xlsx", b't="e"')],
)
def test_a_part_cut_short_is_refused_as_unreadable(tmp_path, suffix, mark):
    """The zip is whole, its sheet cut inside the record or the element of its first error."""
    path = write(tmp_path, suffix)
    sheet = part(path, ZIPPED_PART[suffix])
    cut = sheet[: sheet.index(mark) + len(mark) + 2]
    assert refused(with_part(path, ZIPPED_PART[suffix], cut)) == "file-unreadable"


def test_an_xls_record_whose_length_points_past_its_stream_is_refused(tmp_path):
    path = write(tmp_path, ".xls")
    data = bytearray(path.read_bytes())
    at = data.index(struct.pack("<HH", 0x0205, 8))  # the BOOLERR record of the #DIV/0!
    data[at + 2 : at + 4] = struct.pack("<H", 0xFFFF)
    path.write_bytes(data)
    assert refused(path) == "file-unreadable"


def xlsb_sheet(*records):
    """A sheet part: its first records as the writer makes them, then ``records``."""
    return b"\x81\x01\x00" + b"\x91\x01\x00" + b"".join(records)


@pytest.mark.parametrize(
    "records",
    [
        [b"\x03\xff\xff\xff\xff\xff\xff\xff\xff\x01"],  # a size whose seven-bit bytes never end
        [b"\x03\x09\x00\x00"],  # a BrtCellError of 9 bytes, the part ending after 2
        [b"\x03"],  # a record of a type and no size
        [b"\x8b\x81\x00"],  # a type of more than two bytes
    ],
    ids=["size-never-ends", "past-the-end", "no-size", "long-type"],
)
def test_an_xlsb_record_that_cannot_be_read_is_refused(tmp_path, records):
    path = with_part(write(tmp_path, ".xlsb"), ZIPPED_PART[".xlsb"], xlsb_sheet(*records))
    assert refused(path) == "file-unreadable"


def test_an_xlsb_record_claiming_more_than_its_part_is_skipped_in_flat_memory(tmp_path):
    """A record of a type not read, claiming 256 MB, in a part of 32 MB: skipped as it streams
    by, and refused at the part's end, without holding either."""
    claim = b"\x05\xff\xff\xff\x7f"  # BrtCellReal, 2**28 - 1 bytes
    path = with_part(write(tmp_path, ".xlsb"), ZIPPED_PART[".xlsb"],
                     xlsb_sheet(claim, bytes(32 << 20)))  # fmt: skip
    tracemalloc.start()
    try:
        assert refused(path) == "file-unreadable"
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20


def test_an_xls_stream_whose_sector_chain_loops_ends(tmp_path):
    """The Workbook stream's first sector points back to itself: olefile reads no more sectors
    than the stream's size, and what they hold is read, or refused."""
    path = write(tmp_path, ".xls")
    data = bytearray(path.read_bytes())
    fat = 512  # the writer's FAT is the file's first sector; the stream begins at sector 2
    data[fat + 2 * 4 : fat + 3 * 4] = struct.pack("<I", 2)
    path.write_bytes(data)
    try:
        assert isinstance(read(path), dict)
    except XinyongError as exc:
        assert exc.code == "file-unreadable"


def test_an_xls_whose_fat_sectors_are_listed_in_a_looping_chain_is_refused_at_once(tmp_path):
    """A header that counts millions of FAT sectors, listed in a DIFAT chain that loops: olefile
    follows it as far as the header counts (a 5.6 KB file kept it busy for over ten minutes)."""
    path = write(tmp_path, ".xls")
    data = bytearray(path.read_bytes())
    data[0x2C:0x30] = struct.pack("<I", 109 + 127 * 200_000)
    data[0x44:0x4C] = struct.pack("<II", 2, 200_000)  # the DIFAT: sector 2, pointing to itself
    data[3 * 512 : 4 * 512] = struct.pack("<128I", *[0] * 127, 2)
    path.write_bytes(data)
    started = time.monotonic()
    assert refused(path) == "file-unreadable"
    assert time.monotonic() - started < 2


def test_an_xls_mini_stream_chain_that_loops_ends(tmp_path):
    path = write_xls(tmp_path / "t.xls", ROWS, mini=True)
    data = bytearray(path.read_bytes())
    mini_fat = 2 * 512 + 512  # the writer puts the mini FAT in sector 2, right after the directory
    data[mini_fat : mini_fat + 4] = struct.pack("<I", 0)  # mini sector 0 points to itself
    path.write_bytes(data)
    try:
        read(path)
    except XinyongError as exc:
        assert exc.code == "file-unreadable"


def ods_content(body):
    return (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0">'
        f"<office:body><office:spreadsheet><table:table>{body}</table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )  # fmt: skip


ODS_ERROR_ROW = ('<table:table-row><table:table-cell calcext:value-type="error">'
                 "<text:p>#N/A</text:p></table:table-cell></table:table-row>")  # fmt: skip


def test_a_zip_bomb_of_error_rows_is_streamed_and_stops_at_the_cell_budget(tmp_path):
    """64 MB of XML in a few hundred KB: read as a stream, refused as too many cells as soon as
    the budget is passed, holding no more than it."""
    content = ods_content(ODS_ERROR_ROW * ((64 << 20) // len(ODS_ERROR_ROW))).encode()
    path = with_part(write(tmp_path, ".ods"), "content.xml", content)
    assert path.stat().st_size < 1 << 20
    tracemalloc.start()
    try:
        assert refused(path) == "excel-too-many-cells"
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20


def test_an_error_cell_repeated_past_the_budget_is_refused_without_counting_each(tmp_path):
    """OpenDocument says "this cell, a billion rows × 16,384 columns" in a few bytes."""
    row = ('<table:table-row table:number-rows-repeated="1000000000">'
           '<table:table-cell table:number-columns-repeated="16384" calcext:value-type="error">'
           "<text:p>#N/A</text:p></table:table-cell></table:table-row>")  # fmt: skip
    path = with_part(write(tmp_path, ".ods"), "content.xml", ods_content(row).encode())
    started = time.monotonic()
    assert refused(path) == "excel-too-many-cells"
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("suffix", [".ods", ".xlsx"])
def test_deeply_nested_xml_is_refused(tmp_path, suffix):
    depth = 200_000
    if suffix == ".ods":
        nested = "<text:span>" * depth + "#N/A" + "</text:span>" * depth
        body = (f'<table:table-row><table:table-cell calcext:value-type="error"><text:p>{nested}'
                "</text:p></table:table-cell></table:table-row>")  # fmt: skip
        content = ods_content(body)
    else:
        nested = "<is>" * depth + "</is>" * depth
        content = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   f'<sheetData><row r="1"><c r="A1" t="e">{nested}</c></row></sheetData>'
                   "</worksheet>")  # fmt: skip
    path = with_part(write(tmp_path, suffix), ZIPPED_PART[suffix], content.encode())
    assert refused(path) == "file-unreadable"


def test_a_document_type_declaration_is_refused(tmp_path):
    """No spreadsheet writer declares a DTD; one that defines entities may expand without end."""
    content = ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
               '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<sheetData><row r="1"><c r="A1" t="e"><v>&b;</v></c></row></sheetData>'
               "</worksheet>")  # fmt: skip
    path = with_part(write(tmp_path, ".xlsx"), ZIPPED_PART[".xlsx"], content.encode())
    assert refused(path) == "file-unreadable"


def test_a_part_compressed_by_a_method_no_spreadsheet_uses_is_refused(tmp_path):
    path = write(tmp_path, ".ods")
    path = with_part(path, "content.xml", part(path, "content.xml"), zipfile.ZIP_BZIP2)
    assert refused(path) == "file-unreadable"


def test_an_error_text_that_is_no_errors_name_is_unnamed(tmp_path):
    """The text is the file's: a long one is not repeated in a message (R14)."""
    long = "#" + "x" * 500
    path = with_part(write(tmp_path, ".xlsx"), ZIPPED_PART[".xlsx"], (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="2"><c r="B2" t="e"><f>1/0</f><v>{long}</v></c>'
        '<c r="C2" t="e"><v>#N/A</v></c></row></sheetData></worksheet>'
    ).encode())  # fmt: skip
    assert read(path) == {1: {1: spreadsheet_errors.UNNAMED, 2: "#N/A"}}


# -- random damage --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_files(tmp_path_factory):
    """By path: a failing example's report shows its arguments, and bytes make it too long."""
    folder = tmp_path_factory.mktemp("good")
    return {suffix: write(folder, suffix) for suffix in WRITERS}


def damaged(data, draw):
    """``data`` with a few random bytes changed, cut out or put in, or cut short."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        how = draw(st.sampled_from(["set", "delete", "insert", "cut"]))
        if how == "set" and data:
            data[at] = draw(st.integers(0, 255))
        elif how == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[at:]
    return bytes(data)


@settings(max_examples=150, deadline=3000, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_damage_gives_a_result_or_a_refusal_only(good_files, tmp_path_factory, data):
    """Each format, damaged in its container or (zipped ones) in its sheet: the result is the
    error cells found, or a refusal with a code, within the deadline."""
    suffix = data.draw(st.sampled_from(sorted(good_files)))
    good = good_files[suffix].read_bytes()
    path = tmp_path_factory.mktemp("damaged", numbered=True) / f"t{suffix}"
    path.write_bytes(good)
    if suffix in ZIPPED_PART and data.draw(st.booleans()):
        with_part(path, ZIPPED_PART[suffix], damaged(part(path, ZIPPED_PART[suffix]), data.draw))
    else:
        path.write_bytes(damaged(good, data.draw))
    try:
        found = read(path)
    except XinyongError as exc:
        assert exc.code in {"file-unreadable", "excel-too-many-cells"}
    else:
        assert isinstance(found, dict)
        assert sum(map(len, found.values())) <= BUDGET
