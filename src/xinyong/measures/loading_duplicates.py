"""A measure on the measures list once, and a row read as its header reads it (R1, R10).

A decision states its measures by name (``selectors.EntryFact.states``), so two active measures
of one name and one type would both follow from an entry stating it: a check would return the
measure twice, under two codes. Without 编号 a measure's code is ``m`` + 序号, so the same list
loaded again under other 序号, or a row pasted twice under another, would be just that. The
loader refuses such a file, naming the rows and the codes; with ``replace`` the measures the
file leaves out are withdrawn, and the file's own codes stand alone. A reward and a punishment
may share a name: a reward follows from the red list only, a punishment from the dishonesty
lists only (000 §四), so they never follow from one entry. The admin refuses the same
(``admin.MeasureForm``, ``same_measure_in_force``).

A row with a value past the header's last column would lose it unsaid: an unquoted comma in a
CSV cell splits it in two (…,政府采购,财政资金 under 业务场景), and the measure would apply in
one scenario where the list gives two. Such a row is refused; blank cells past it are nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from xinyong.measures.models import Measure

if TYPE_CHECKING:
    from xinyong.measures.loading import MeasureRow

TYPE_LABELS = {Measure.Type.REWARD: "激励", Measure.Type.PUNISHMENT: "惩戒"}


def same_measure_in_force(name: str, kind: str) -> QuerySet[Measure]:
    """The active measures of this name and type: at most one may be."""
    return Measure.objects.filter(is_active=True, name=name, type=kind)


def _measure(row: MeasureRow) -> str:
    name, kind = row.fields["name"], row.fields["type"]
    return f"措施“{name}”（{TYPE_LABELS[kind]}，编号 {row.code}）"


class Repeats:
    """The 序号, codes and measures of the file's rows so far, each with its first line."""

    def __init__(self) -> None:
        self.sequences: dict[int, int] = {}
        self.codes: dict[str, int] = {}
        self.measures: dict[tuple[str, str], MeasureRow] = {}

    def of(self, row: MeasureRow) -> list[str]:
        """What the row repeats of an earlier one: its 序号 (whatever the codes), its code, or
        its measure under another code. One said: a 序号 repeated repeats the code made of it."""
        sequence, key = row.fields["sequence"], (row.fields["name"], row.fields["type"])
        said: list[str] = []
        if sequence is not None and sequence in self.sequences:
            said.append(f"序号 {sequence} 与第 {self.sequences[sequence]} 行重复")
        elif row.code in self.codes:
            said.append(f"编号 {row.code} 与第 {self.codes[row.code]} 行重复")
        elif key in self.measures:
            first = self.measures[key]
            said.append(f"{_measure(row)}与第 {first.line} 行（编号 {first.code}）重复："
                        "同一措施不得以两个编号同时有效")  # fmt: skip
        if sequence is not None:
            self.sequences.setdefault(sequence, row.line)
        self.codes.setdefault(row.code, row.line)
        self.measures.setdefault(key, row)
        return said


def in_force_elsewhere(rows: Sequence[MeasureRow], replace: bool) -> list[str]:
    """Each row whose measure is in force under a code the file does not have, which the load
    leaves in force (without ``replace``): the measure would then be there twice."""
    if replace:
        return []
    others: dict[tuple[str, str], list[str]] = {}
    found = (
        Measure.objects.filter(is_active=True, name__in={row.fields["name"] for row in rows})
        .exclude(code__in=[row.code for row in rows])
        .order_by("code")
        .values_list("name", "type", "code")
    )
    for name, kind, code in found:
        others.setdefault((name, kind), []).append(code)
    errors = []
    for row in rows:
        codes = "、".join(others.get((row.fields["name"], row.fields["type"]), []))
        if codes:
            errors.append(
                f"第 {row.line} 行：{_measure(row)}与现有有效措施 {codes} 重复，{codes} 不在本文件"
                "中、仍然有效：同一措施不得以两个编号同时有效；如已重新编号，请加 --replace "
                f"载入本文件，或先在管理后台停用 {codes}"
            )
    return errors


def header_width(header: Sequence[str]) -> int:
    """The columns the header has: up to its last titled one."""
    return max((index + 1 for index, text in enumerate(header) if text), default=0)


def past_header(cells: Sequence[str], width: int) -> str | None:
    """Why a row with a value past the header's last column is refused, or None."""
    for index in range(width, len(cells)):
        if cells[index]:
            return (f"表头只有 {width} 列，本行第 {index + 1} 列还有内容“{cells[index][:20]}”："
                    "多出的单元格不属于任何列（CSV 中未加引号的逗号会把一个单元格分成两个），"
                    "请核对本行")  # fmt: skip
    return None
