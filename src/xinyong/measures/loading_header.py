"""The header of a measures list file (措施清单): which row it is and what its columns hold (R10).

Headers are read whatever their width, spacing or script (NFKC, traditional characters written
simplified, every space removed: 實施部門 and 领　域 are 实施部门 and 领域); a column still not
recognised is ignored and named in the load's result, so that a misspelled one is seen.

Lists as offices keep them open with a title (某市失信联合惩戒措施清单), on a row of its own or
merged across the table, and may group columns under a cell above them (措施属性 over 类型 and
性质): up to ``core.table_header.TITLE_ROWS_MAX`` rows above the header are skipped, as batch
screening skips them, and a second header row under groups names the columns it lies under
(``core.table_header.under_groups``). A row reads as the header when it names at least two
columns: a title that happens to be one column's name (措施) is still a title.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator, Sequence

from xinyong.core import table_header
from xinyong.core.errors import XinyongError
from xinyong.core.names import simplified

# Header text (``header_key``: NFKC, simplified, spaces, "*" and a parenthesised hint
# removed) → field.
HEADERS = {
    **dict.fromkeys(["序号", "sequence"], "sequence"),
    **dict.fromkeys(["编号", "措施编号", "code"], "code"),
    "事项": "item",  # the scenario, or the measure's name where 业务场景 names the scenario
    **dict.fromkeys(["措施名称", "措施", "name"], "name"),
    **dict.fromkeys(["内容", "措施内容", "content"], "content"),
    **dict.fromkeys(["对象", "实施对象", "targets"], "targets"),
    **dict.fromkeys(["政策依据", "法律依据", "依据", "legal_basis"], "legal_basis"),
    **dict.fromkeys(["实施层级", "implementing_level"], "implementing_level"),
    **dict.fromkeys(["实施频次", "frequency"], "frequency"),
    **dict.fromkeys(["类型", "奖惩类型", "措施类型", "type"], "type"),
    **dict.fromkeys(["性质", "措施性质", "强制性/推荐性", "是否强制", "mandatory"], "mandatory"),
    **dict.fromkeys(["名单类别", "名单类型", "名单", "list_kinds"], "list_kinds"),
    **dict.fromkeys(["领域", "适用领域", "所属领域", "domains"], "domains"),
    **dict.fromkeys(["业务场景", "场景", "scenarios"], "scenarios"),
    **dict.fromkeys(["实施部门", "departments"], "departments"),
}
REQUIRED = ("name", "legal_basis", "type", "mandatory", "list_kinds", "scenarios", "targets")
LABELS = {"name": "措施名称或内容", "legal_basis": "政策依据", "type": "类型", "mandatory": "性质",
          "list_kinds": "名单类别", "scenarios": "事项（业务场景）", "targets": "对象"}  # fmt: skip
# Columns a header row names at least, so that a title naming one (措施) is not taken for it.
HEADER_FIELDS_MIN = 2

_HINT = re.compile(r"[（(].*$")
_SPACES = re.compile(r"\s+")


@dataclasses.dataclass(frozen=True)
class Header:
    """The header: the line it is on (its first, when drawn on two), its cells as read (the
    lower row's under a group), the columns by field and the headers not read."""

    line: int
    cells: list[str]
    columns: dict[str, int]
    ignored: tuple[str, ...]


def header_key(text: str) -> str:
    """A header as ``HEADERS`` knows it: full-width forms and traditional characters made plain
    (NFKC, OpenCC), every space and "*" removed, and a parenthesised hint cut off."""
    text = simplified(unicodedata.normalize("NFKC", text))
    return _HINT.sub("", _SPACES.sub("", text).replace("*", "")).lower()


def names_a_column(text: str) -> bool:
    return header_key(text) in HEADERS


def reads_as_header(cells: Sequence[str]) -> bool:
    """Whether a row names at least ``HEADER_FIELDS_MIN`` of the columns read here."""
    fields = {HEADERS.get(header_key(cell)) for cell in cells} - {None}
    return len(fields) >= HEADER_FIELDS_MIN


def _place_item(columns: dict[str, int]) -> None:
    """事项 names the scenario unless a 业务场景 column does; then it is the measure's name. With
    no name column, the measure is named by its 内容."""
    item = columns.pop("item", None)
    if item is not None:
        if "scenarios" not in columns:
            columns["scenarios"] = item
        else:
            columns.setdefault("name", item)
    if "name" not in columns and "content" in columns:
        columns["name"] = columns["content"]


def read_header(line: int, cells: list[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    """The columns by field, and the headers not read: unknown, or a second column of a field
    (named in the result, so that a misspelled 领域 is seen rather than silently dropped)."""
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, text in enumerate(cells):
        field = HEADERS.get(header_key(text))
        if field is not None and field not in columns:
            columns[field] = index
        elif text:
            ignored.append(text)
    _place_item(columns)
    missing = [LABELS[f] for f in REQUIRED if f not in columns]
    if "code" not in columns and "sequence" not in columns:
        missing.append("编号或序号")
    if missing:
        raise XinyongError(
            "measures-file-header", f"第 {line} 行（表头）缺少列：{'、'.join(missing)}", status=422
        )
    return columns, tuple(ignored)


Numbered = tuple[int, list[str]]  # a record of the file and its line, from 1


def find_header(records: Iterator[Numbered]) -> tuple[Header, Iterator[Numbered]]:
    """The header, past any title rows above it and with its second row under groups, and the
    records after it. A file with nothing in it is refused."""
    found, _ = table_header.find_header(records, reads_as_header, cells=_stripped)
    if found is None:
        raise XinyongError("measures-file-invalid", "文件未载入：文件中没有措施行", status=422,
                           errors=["文件中没有措施行"])  # fmt: skip
    line, cells = found[0], _stripped(found)
    # A second header row lies right under one read as a header (not under the first filled
    # row that stands in for it past the titles allowed, which is refused as it is).
    below = next(records, None) if reads_as_header(cells) else None
    combined = None if below is None else table_header.under_groups(
        cells, _stripped(below), names_a_column
    )  # fmt: skip
    rest: Iterator[Numbered] = records
    if combined is None and below is not None:
        rest = _after(below, records)
    cells = combined if combined is not None else cells
    columns, ignored = read_header(line, cells)
    return Header(line, cells, columns, ignored), rest


def _stripped(record: Numbered) -> list[str]:
    return [cell.strip() for cell in record[1]]


def _after(first: Numbered, records: Iterator[Numbered]) -> Iterator[Numbered]:
    yield first
    yield from records
