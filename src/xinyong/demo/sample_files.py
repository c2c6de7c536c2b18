"""Small, valid PDF and PNG files for the demo's evidence and repair materials.

Built in code so that no binary file lives in the repository, and valid rather than merely
starting with the right bytes: the evidence check looks only at the first bytes, but a newcomer
downloads these files from the portal and the back office and should be able to open them.
"""

from __future__ import annotations

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

A4 = (595, 842)  # points


def _pdf_text(text: str) -> str:
    """A PDF literal string of printable ASCII (the standard fonts carry no Chinese)."""
    ascii_only = text.encode("ascii", "replace").decode("ascii")
    return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(*lines: str) -> bytes:
    """A one-page PDF 1.4 with ``lines`` of text, its cross-reference table counted exactly."""
    shown = " ".join(f"({_pdf_text(line)}) Tj 0 -22 Td" for line in lines)
    stream = f"BT /F1 14 Tf 72 {A4[1] - 96} Td {shown} ET".encode("ascii")
    objects = (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>" % A4,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        table,
    )
    return bytes(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int = 160, height: int = 120, ink: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """An RGB PNG: a ring in ``ink`` on white, like an official seal on a scanned page."""
    centre_x, centre_y = width / 2, height / 2
    outer = min(width, height) * 0.42
    inner = outer * 0.82
    white, colour = b"\xff\xff\xff", bytes(ink)
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter type 0: the row as it is
        for x in range(width):
            distance = ((x - centre_x) ** 2 + (y - centre_y) ** 2) ** 0.5
            row += colour if inner <= distance <= outer else white
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )


def upload(name: str, caption: str) -> SimpleUploadedFile:
    """A file as the portal's form would send it: a PDF or a PNG by the name's suffix."""
    if name.lower().endswith(".png"):
        return SimpleUploadedFile(name, png(), content_type="image/png")
    body = pdf("Xinyong demo material (synthetic)", caption)
    return SimpleUploadedFile(name, body, content_type="application/pdf")
