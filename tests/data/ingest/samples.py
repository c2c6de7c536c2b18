"""Sample 双公示 files for the ingestion tests, built from rows so each test says what it holds.

``penalty(n, **changes)`` is a valid penalty row in the current edition's field names for
subject ``n``; tests change the fields they are about. Writers produce CSV (any encoding),
JSON, JSON Lines and a minimal .xlsx (inline strings, one sheet) without extra libraries.
"""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from tests.factories import make_citizen_id, make_uscc

PENALTY_FIELDS = [
    "CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_FRDB", "CF_FR_ZJLX", "CF_FR_ZJHM",
    "CF_XDR_ZJLX", "CF_XDR_ZJHM", "CF_WSH", "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR",
    "CF_NR_FK", "CF_NR_WFFF", "CF_NR_ZKDX", "CF_JDRQ", "CF_YXQ", "CF_GSJZQ", "CF_CFJG",
    "CF_CFJGDM", "CF_SJLY", "CF_SJLYDM", "BZ",
]  # fmt: skip
OLD_PENALTY_FIELDS = [
    "CF_WSH", "CF_CFMC", "CF_CFLB1", "CF_CFLB2", "CF_SY", "CF_YJ", "CF_XDR_MC", "CF_XDR_SHXYM",
    "CF_XDR_ZDM", "CF_XDR_GSDJ", "CF_XDR_SWDJ", "CF_XDR_SFZ", "CF_FR", "CF_JG", "CF_JDRQ",
    "CF_XZJG", "CF_ZT", "DFBM", "SJC", "BZ",
]  # fmt: skip
# The older template's Chinese titles of those columns, as its exports head them.
OLD_PENALTY_TITLES = dict(zip(OLD_PENALTY_FIELDS, [
    "行政处罚决定书文号", "处罚名称", "处罚类别1", "处罚类别2", "处罚事由", "处罚依据",
    "行政相对人名称", "行政相对人代码_1(统一社会信用代码)", "行政相对人代码_2(组织机构代码)",
    "行政相对人代码_3(工商登记码)", "行政相对人代码_4(税务登记号)",
    "行政相对人代码_5(居民身份证号)", "法定代表人姓名", "处罚结果", "处罚决定日期", "处罚机关",
    "当前状态", "地方编码", "数据更新时间戳", "备注",
], strict=True))  # fmt: skip
LICENCE_FIELDS = [
    "XK_XDR_MC", "XK_XDR_LB", "XK_XDR_SHXYM", "XK_FRDB", "XK_FR_ZJLX", "XK_FR_ZJHM",
    "XK_XDR_ZJLX", "XK_XDR_ZJHM", "XK_XKWS", "XK_WSH", "XK_XKLB", "XK_XKZS", "XK_XKBH",
    "XK_NR", "XK_JDRQ", "XK_YXQZ", "XK_YXQZI", "XK_XKJG", "XK_XKJGDM", "XK_ZT", "BZ",
]  # fmt: skip
AUTHORITY = "杭州市市场监督管理局"
FOLDER = Path(__file__).parent  # the checked-in samples: an older-edition GBK file, a JSON one


def penalty(n: int, *, person: bool = False, **changes: str) -> dict[str, str]:
    """A valid penalty decided on 2026-11-02 against organisation (or person) ``n``."""
    row = dict.fromkeys(PENALTY_FIELDS, "")
    if person:
        row.update(CF_XDR_MC=f"张{n}", CF_XDR_LB="自然人", CF_XDR_ZJLX="身份证",
                   CF_XDR_ZJHM=make_citizen_id(n))  # fmt: skip
    else:
        row.update(CF_XDR_MC=f"杭州示例{n}号科技有限公司", CF_XDR_LB="法人及非法人组织",
                   CF_XDR_SHXYM=make_uscc(n), CF_FRDB="李四", CF_FR_ZJLX="身份证",
                   CF_FR_ZJHM=make_citizen_id(n + 50_000))  # fmt: skip
    row.update(
        CF_WSH=f"杭市监处罚〔2026〕{n}号", CF_WFXW="销售超过保质期的食品",
        CF_SY="经查，当事人销售超过保质期的食品",
        CF_YJ="《中华人民共和国食品安全法》第一百二十四条",
        CF_CFLB="罚款", CF_NR="罚款人民币壹万元", CF_NR_FK="1", CF_JDRQ="2026-11-02",
        CF_CFJG=AUTHORITY, CF_CFJGDM=make_uscc(1, authority="1", org_type="1"),
        CF_SJLY=AUTHORITY, CF_SJLYDM=make_uscc(1, authority="1", org_type="1"),
    )  # fmt: skip
    row.update(changes)
    return row


def licence(n: int, **changes: str) -> dict[str, str]:
    """A valid licence decided on 2026-11-02 for organisation ``n``, valid five years."""
    row = dict.fromkeys(LICENCE_FIELDS, "")
    row.update(
        XK_XDR_MC=f"杭州示例{n}号餐饮有限公司", XK_XDR_LB="法人及非法人组织",
        XK_XDR_SHXYM=make_uscc(n), XK_FRDB="王五", XK_XKWS="食品经营许可决定书",
        XK_WSH=f"杭市监许〔2026〕{n}号", XK_XKLB="普通", XK_XKZS="食品经营许可证",
        XK_XKBH=f"JY1330106{n:07d}", XK_NR="预包装食品销售", XK_JDRQ="2026-11-02",
        XK_YXQZ="2026-11-02", XK_YXQZI="2031-11-01", XK_XKJG=AUTHORITY,
        XK_XKJGDM=make_uscc(1, authority="1", org_type="1"), XK_ZT="1",
    )  # fmt: skip
    row.update(changes)
    return row


def rows_of(header: list[str], rows: list[dict[str, str]]) -> list[list[str]]:
    return [[row.get(name, "") for name in header] for row in rows]


def write_csv(
    path: Path, header: list[str], rows: list[dict[str, str]], *, encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows_of(header, rows))
    return path


def write_json(path: Path, rows: list[dict[str, str]], *, lines: bool = False) -> Path:
    if lines:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    else:
        path.write_text(json.dumps({"data": rows}, ensure_ascii=False, indent=1), "utf-8")
    return path


def write_xlsx(
    path: Path, header: list[str], rows: list[dict[str, str]], numbers: frozenset[str] = frozenset()
) -> Path:
    """The smallest workbook calamine reads: one sheet of inline strings, but for the data cells
    of the columns named in ``numbers``, number cells holding the value's text as stored."""
    number_columns = {header.index(name) for name in numbers}

    def cell(column: int, row: int, value: str) -> str:
        name, at = "", column
        column += 1
        while column:
            column, rest = divmod(column - 1, 26)
            name = chr(65 + rest) + name
        if row > 1 and at in number_columns:
            return f'<c r="{name}{row}"><v>{escape(value)}</v></c>'
        text = escape(value)
        return f'<c r="{name}{row}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'

    lines = [header, *rows_of(header, rows)]
    data = "".join(
        f'<row r="{r}">' + "".join(cell(c, r, v) for c, v in enumerate(values)) + "</row>"
        for r, values in enumerate(lines, start=1)
    )
    return write_sheets(path, data)


def far_apart(last: str) -> str:
    """A sheet's data of two cells, A1 and ``last``: python-calamine holds every cell between
    them (A1 and XFD1048576: 550 GB)."""
    row = "".join(ch for ch in last if ch.isdigit())
    return (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>CF_XDR_MC</t></is></c></row>'
        f'<row r="{row}"><c r="{last}" t="inlineStr"><is><t>x</t></is></c></row>'
    )


def write_sheets(path: Path, *sheets: str) -> Path:
    """A workbook whose sheets hold ``sheets``, each the XML inside a sheet's ``sheetData``."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    rels_type = "application/vnd.openxmlformats-package.relationships+xml"
    numbers = range(1, len(sheets) + 1)
    parts = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{pkg}/content-types">'
            f'<Default Extension="rels" ContentType="{rels_type}"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml"'
                      f' ContentType="{office}.worksheet+xml"/>' for n in numbers)
            + "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            "<sheets>"
            + "".join(f'<sheet name="Sheet{n}" sheetId="{n}" r:id="rId{n}"/>' for n in numbers)
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships">'
            + "".join(f'<Relationship Id="rId{n}" Type="{rel}/worksheet"'
                      f' Target="worksheets/sheet{n}.xml"/>' for n in numbers)
            + "</Relationships>"
        ),
        **{
            f"xl/worksheets/sheet{n}.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">'
                f"<sheetData>{data}</sheetData></worksheet>"
            )
            for n, data in zip(numbers, sheets, strict=True)
        },
    }  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path
