"""A measure on the measures list once, and a row read as its header reads it (R1, R10).

A decision states its measures by name (``selectors.EntryFact.states``), so two active measures
of one name and one type that could both follow from one entry, for one department, in one
scenario and on one target, would both apply: a check would return the measure twice, under two
codes. Without 编号 a measure's code is ``m`` + 序号, so the same list loaded again under other
序号, or a row pasted twice under another, would be just that. The loader refuses such a file,
naming the rows and the codes; with ``replace`` the measures the file leaves out are withdrawn,
and the file's own codes stand alone. The admin refuses the same (``admin.MeasureForm``,
``same_measure_in_force``).

Two measures of one name that cannot both follow from one entry are two measures, each with its
own legal basis: 限制参加政府采购活动 for the tax domain's black list under the tax rules, and
for the food and drugs domain's under 《食品安全法》. Merged, one basis would be lost (R10).
What decides is ``could_both_apply``, the rule ``selectors.applicable_measures`` applies: a
reward and a punishment of one name never meet (a reward follows from the red list only, a
punishment from the dishonesty lists only, 000 §四).

A row with a value past the header's last column would lose it unsaid: an unquoted comma in a
CSV cell splits it in two (…,政府采购,财政资金 under 业务场景), and the measure would apply in
one scenario where the list gives two. Such a row is refused; blank cells past it are nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db.models import Model

from xinyong.measures.models import Measure

if TYPE_CHECKING:
    from xinyong.measures.loading import MeasureRow

TYPE_LABELS = {Measure.Type.REWARD: "激励", Measure.Type.PUNISHMENT: "惩戒"}


@dataclasses.dataclass(frozen=True)
class Reach:
    """Where a measure applies, as ``selectors.MeasureRule`` and ``applicable_measures`` read
    it: from entries of these list kinds, in these domains (none: every domain), for these
    implementing departments (none: every one), in these scenarios, on these targets (none of
    either: nowhere)."""

    list_kinds: frozenset[str]
    domain_ids: frozenset[int]
    department_ids: frozenset[int]
    scenario_ids: frozenset[int]
    targets: frozenset[str]

    @classmethod
    def of(cls, list_kinds: Iterable[str], domains: Iterable[int], departments: Iterable[int],
           scenarios: Iterable[int], targets: Iterable[str]) -> Reach:  # fmt: skip
        return cls(frozenset(list_kinds), frozenset(domains), frozenset(departments),
                   frozenset(scenarios), frozenset(targets))  # fmt: skip

    @classmethod
    def of_measure(cls, measure: Measure) -> Reach:
        """A stored measure's reach (its links prefetched, or read here)."""
        return cls.of(
            measure.list_kinds, _pks(measure.domains.all()),
            _pks(measure.implementing_departments.all()), _pks(measure.scenarios.all()),
            measure.targets,
        )  # fmt: skip


def _pks(objects: Iterable[Model]) -> list[int]:
    return [each.pk for each in objects]


def _meet(one: frozenset, other: frozenset, *, empty_is_every: bool) -> bool:
    if empty_is_every and (not one or not other):
        return True
    return bool(one & other)


def could_both_apply(one: Reach, other: Reach) -> bool:
    """Whether two measures could both follow from one entry, for one department, in one
    scenario and on one target (R1, R10): their list kinds, domains, departments, scenarios and
    targets all meet. A measure of every domain (department) meets any; one of no scenario or
    no target applies nowhere and meets none."""
    return (
        _meet(one.list_kinds, other.list_kinds, empty_is_every=False)
        and _meet(one.domain_ids, other.domain_ids, empty_is_every=True)
        and _meet(one.department_ids, other.department_ids, empty_is_every=True)
        and _meet(one.scenario_ids, other.scenario_ids, empty_is_every=False)
        and _meet(one.targets, other.targets, empty_is_every=False)
    )


def same_measure_in_force(name: str, kind: str, reach: Reach) -> list[Measure]:
    """The active measures of this name and type that could apply where ``reach`` does
    (``could_both_apply``): at most one may."""
    found = Measure.objects.filter(is_active=True, name=name, type=kind).prefetch_related(
        "domains", "implementing_departments", "scenarios"
    )
    return [measure for measure in found if could_both_apply(Reach.of_measure(measure), reach)]


def _measure(row: MeasureRow) -> str:
    name, kind = row.fields["name"], row.fields["type"]
    return f"措施“{name}”（{TYPE_LABELS[kind]}，编号 {row.code}）"


def row_reach(row: MeasureRow, current: dict[str, dict[str, frozenset[int]]]) -> Reach:
    """Where a row's measure would apply once loaded: a column the file does not have (领域,
    实施部门) keeps the links its code has now (``current``), and a new code has none."""
    domains = current["domains"].get(row.code, frozenset()) if row.domain_ids is None else (
        row.domain_ids
    )  # fmt: skip
    departments = (
        current["departments"].get(row.code, frozenset())
        if row.department_ids is None else row.department_ids
    )  # fmt: skip
    return Reach.of(row.fields["list_kinds"], domains, departments, row.scenario_ids,
                    row.fields["targets"])  # fmt: skip


def current_links(rows: Sequence[MeasureRow]) -> dict[str, dict[str, frozenset[int]]]:
    """The domains and departments the stored measures of the rows' codes have, by code, for
    the columns the file does not have (one read each)."""
    current: dict[str, dict[str, frozenset[int]]] = {"domains": {}, "departments": {}}
    for field, relation, absent in (
        ("domains", "domains", any(row.domain_ids is None for row in rows)),
        ("departments", "implementing_departments",
         any(row.department_ids is None for row in rows)),
    ):  # fmt: skip
        if not absent:
            continue
        linked: dict[str, set[int]] = {}
        pairs = Measure.objects.filter(code__in=[row.code for row in rows]).values_list(
            "code", f"{relation}__pk"
        )
        for code, pk in pairs:
            if pk is not None:
                linked.setdefault(code, set()).add(pk)
        current[field] = {code: frozenset(pks) for code, pks in linked.items()}
    return current


class Repeats:
    """The 序号 and codes of the file's rows so far, each with its first line; then the rows
    that repeat a measure of an earlier one (``measures_twice``)."""

    def __init__(self) -> None:
        self.sequences: dict[int, int] = {}
        self.codes: dict[str, int] = {}
        self.said: set[int] = set()

    def of(self, row: MeasureRow) -> list[str]:
        """What the row repeats of an earlier one: its 序号 (whatever the codes), or its code.
        One said: a 序号 repeated repeats the code made of it."""
        sequence = row.fields["sequence"]
        said: list[str] = []
        if sequence is not None and sequence in self.sequences:
            said.append(f"序号 {sequence} 与第 {self.sequences[sequence]} 行重复")
        elif row.code in self.codes:
            said.append(f"编号 {row.code} 与第 {self.codes[row.code]} 行重复")
        if sequence is not None:
            self.sequences.setdefault(sequence, row.line)
        self.codes.setdefault(row.code, row.line)
        if said:
            self.said.add(row.line)
        return said

    def measures_twice(self, rows: Sequence[MeasureRow]) -> dict[int, str]:
        """By line, each row (not already said to repeat a 序号 or code) whose measure could
        apply where an earlier row's does (``could_both_apply``), under another code."""
        current = current_links(rows)
        earlier: dict[tuple[str, str], list[tuple[MeasureRow, Reach]]] = {}
        said: dict[int, str] = {}
        for row in rows:
            reach = row_reach(row, current)
            same = earlier.setdefault((row.fields["name"], row.fields["type"]), [])
            first = next((one for one, its in same if could_both_apply(its, reach)), None)
            if first is not None and row.line not in self.said:
                said[row.line] = (f"{_measure(row)}与第 {first.line} 行（编号 {first.code}）"
                                  "重复：同一措施不得以两个编号同时有效")  # fmt: skip
            same.append((row, reach))
        return said


def in_force_elsewhere(rows: Sequence[MeasureRow], replace: bool) -> list[str]:
    """Each row whose measure could apply where one in force under a code the file does not
    have does (``could_both_apply``), which the load leaves in force (without ``replace``):
    the measure would then be there twice."""
    if replace:
        return []
    others: dict[tuple[str, str], list[tuple[str, Reach]]] = {}
    found = (
        Measure.objects.filter(is_active=True, name__in={row.fields["name"] for row in rows})
        .exclude(code__in=[row.code for row in rows])
        .order_by("code")
        .prefetch_related("domains", "implementing_departments", "scenarios")
    )
    for measure in found:
        others.setdefault((measure.name, measure.type), []).append(
            (measure.code, Reach.of_measure(measure))
        )
    current = current_links(rows)
    errors = []
    for row in rows:
        reach = row_reach(row, current)
        same = others.get((row.fields["name"], row.fields["type"]), [])
        codes = "、".join(code for code, its in same if could_both_apply(its, reach))
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
