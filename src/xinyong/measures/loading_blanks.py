"""Blank cells that would mean "every one" in a measures list file (R10: no measure is added or
aggravated).

A measure with no domain follows from lists in every domain, and one with no implementing
department is for every department. A list that merges 领域 (or 实施部门) over the rows of one
domain and is then saved as CSV keeps the value in the first of those rows only: the rows below
come with a blank cell, and read as they are, their measures would follow every domain. A
workbook's merged cells are read into every row they cover (``core.merged_cells``); a CSV file
does not say which cells were merged. So in a file where some row names a domain, a blank 领域 is
refused, naming its row and column: a measure meant for every domain says so in words (全部,
不限, 所有领域). A file where no row names one keeps blank as every domain, as before; a file
without the column keeps what the measures have (``loading._wanted_links``).

Nor may a blank cell widen a measure the list already has: reloading a row whose measure is
limited to some domains (or departments) with its 领域 blank would make it follow every domain,
though no other row of the file names one. Such a blank is refused too, naming the row, the
column and the domains the measure has now; 全部 or 不限 widens it on purpose. A measure loaded
for the first time, or one that has none, keeps blank as every one. Each refused blank is listed
under the refusal's details key ``blank_means_all`` as ``{"line", "column"}``; one refused for
the measure it would widen adds ``"measure"`` (its code) and ``"current"`` (the codes of its
domains or departments now).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable

# The columns where blank means every one: their noun, and the words that say so outright.
_EVERY_WORDS = frozenset({"全部", "不限", "所有", "均适用"})
EVERY = {
    "domains": ("领域", _EVERY_WORDS | {"全部领域", "所有领域", "各领域", "不限领域", "全领域"}),
    "departments": ("实施部门", _EVERY_WORDS | {"全部部门", "所有部门", "各部门", "不限部门",
                                               "全部实施部门", "所有实施部门", "各实施部门"}),
}  # fmt: skip
_SPACES = re.compile(r"\s+")


def says_every(field: str, text: str) -> bool:
    """Whether a 领域 or 实施部门 cell (or a part of one) says "every one" in words."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)) in EVERY[field][1]


def resolve(
    field: str, text: str, parts: list[str], named: Callable[[], list], errors: list[str]
) -> list:
    """What a 领域 or 实施部门 cell names: none for every one, said in words; else ``named()``.
    A cell that says every one beside a named one is refused: it cannot be both."""
    if says_every(field, text):
        return []
    if any(says_every(field, part) for part in parts):
        noun = EVERY[field][0]
        errors.append(f"{noun}“{text}”既写了全部，又列出了具体{noun}：二者只能写其一")
        return []
    return named()


@dataclasses.dataclass(frozen=True)
class Refusal:
    """A blank cell refused: its line, its column as the file heads it, what to say of it and,
    refused for the measure it would widen, the measure's code and its links' codes now."""

    line: int
    column: str
    why: str
    measure: str = ""
    current: tuple[str, ...] = ()

    def detail(self) -> dict:
        """Its entry under the refusal's details key ``blank_means_all``."""
        said: dict = {"line": self.line, "column": self.column}
        if self.measure:
            said |= {"measure": self.measure, "current": list(self.current)}
        return said


class BlankCells:
    """Over a file's rows: the lines with a blank 领域 or 实施部门 and the measure each is for,
    and whether any row names one (more than "every one" in words)."""

    def __init__(self) -> None:
        self.blank: dict[str, list[int]] = {field: [] for field in EVERY}
        self.named: set[str] = set()
        self.codes: dict[int, str] = {}

    def note(self, line: int, cells: dict[str, str], broken: dict[str, str], code: str) -> None:
        """Note a row's cells and its measure's code; one holding an error value (``broken``)
        is neither blank nor named."""
        for field in EVERY:
            if field not in cells or field in broken:
                continue
            if not cells[field]:
                self.blank[field].append(line)
                self.codes[line] = code
            elif not says_every(field, cells[field]):
                self.named.add(field)

    def measures(self) -> set[str]:
        """The codes of the measures whose rows left a cell blank."""
        return {code for code in self.codes.values() if code}

    def refused(
        self, headers: dict[str, str], current: dict[str, dict[str, list[tuple[str, str]]]]
    ) -> list[Refusal]:
        """Each blank cell refused, in column order: in a column other rows name, every blank;
        else the blanks of measures that have links in that column now. ``headers``: the
        columns as the file heads them, by field; ``current``: by field, each measure's links
        now (code and name) by its code, for measures that have some."""
        refused = []
        for field, (noun, _) in EVERY.items():
            if field not in headers:
                continue
            column = headers[field]
            if field in self.named:
                why = (
                    f"“{column}”为空：本文件其他行列明了{noun}，空白将使该措施适用于所有{noun}"
                    f"（合并单元格另存为 CSV 后仅首行有值时常见）；请填写{noun}，适用于所有{noun}"
                    "的请写“全部”"
                )
                refused += [Refusal(line, column, why) for line in self.blank[field]]
                continue
            for line in self.blank[field]:
                code = self.codes[line]
                links = current.get(field, {}).get(code)
                if not links:
                    continue
                names = "、".join(name for _, name in links)
                why = (
                    f"“{column}”为空：措施 {code} 现仅适用于{noun}“{names}”，空白将使其适用于"
                    f"所有{noun}，扩大其适用范围；请照旧填写{noun}，确需适用于所有{noun}的请写“全部”"
                )
                refused.append(Refusal(line, column, why, code, tuple(c for c, _ in links)))
        return refused
