"""Which columns of a file to screen hold the code and the name, and which row is the header
(item 6). Offices send the spreadsheets their own systems export: headed 信用代码, 纳税人识别号 or
纳税人名称 as often as 统一社会信用代码 and 名称, with full-width brackets and stray spaces, and
often with a title row (2026年第一批拟核查名单) above the header."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

from xinyong.core import table_header
from xinyong.core.errors import XinyongError

# Compared once normalised (``header_key``): NFKC, lower case, no spaces.
CODE_HEADERS = frozenset({
    "code", "identifier", "uscc", "统一社会信用代码", "社会信用代码", "信用代码", "统一代码",
    "纳税人识别号", "身份证号", "身份证号码", "身份证", "公民身份号码", "证件号码", "证件号",
    "统一社会信用代码/身份证号", "统一社会信用代码(身份证号)", "统一社会信用代码或身份证号",
    "代码",
})  # fmt: skip
NAME_HEADERS = frozenset({
    "name", "名称", "主体名称", "企业名称", "单位名称", "机构名称", "企业(机构)名称",
    "纳税人名称", "当事人名称", "行政相对人名称", "名称/姓名", "名称或姓名",
})  # fmt: skip
_SPACES = re.compile(r"\s+")


def header_key(cell: str) -> str:
    """A header cell as the sets above hold it."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", cell)).lower()


def columns(header: Sequence[str]) -> tuple[int | None, int | None]:
    """(the code column, the name column) of a header, each the first that names it."""
    keys = [header_key(cell) for cell in header]
    code_at = next((i for i, k in enumerate(keys) if k in CODE_HEADERS), None)
    name_at = next((i for i, k in enumerate(keys) if k in NAME_HEADERS), None)
    return code_at, name_at


def names_a_column(cells: Sequence[str]) -> bool:
    """Whether a row reads as a header: it names a code or a name column."""
    return columns(cells) != (None, None)


def find_header(records: Iterator) -> tuple[list[str], int]:
    """The header row and how many rows were read up to it: the first row that names a code or
    a name column, past up to ``TITLE_ROWS_MAX`` title rows above it; else the first row with
    anything in it, which screening refuses with the columns it needs. Title rows are no
    records and are not screened (``core.table_header``)."""
    found, consumed = table_header.find_header(
        records, names_a_column, cells=lambda record: record[0]
    )
    if found is None:
        raise XinyongError("screening-empty", "文件中没有表头和数据行", status=422)
    return found[0], consumed
