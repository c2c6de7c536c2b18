"""A penalty decision's types (处罚类别) and the tier they put it in (R8, R9).

A decision naming several types is of the highest of their tiers, which the record keeps (it
decides whether the record is serious dishonesty, and what repair may lower); how long it is
published and shared is the longest of the windows of all those tiers (R8). The record also
keeps the types themselves, as the set of penalty-type rows they name (``types_key``): the same
decision sent again names the same set however it is written (another order, other separators
or spaces, another spelling of a type), and a decision naming other types is another decision
(``catalog.bulk``). Answers are remembered for the import, as a file repeats the same few type
texts on every row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from xinyong.catalog.importers.context import ItemInfo, KnownPenaltyType
from xinyong.catalog.importers.outcomes import Problem, problem
from xinyong.catalog.publication import TierRule

TYPE_SEPARATORS = re.compile(r"([;；,，、/|\n]+)")  # kept in the split: see ``_resolve``
_PARENTHESES = re.compile(r"[（(][^)）]*[)）]")
_RANK = {"minor": 1, "general": 2, "serious": 3}
TIER_LABELS = {"minor": "轻微", "general": "一般", "serious": "严重"}


def normalize_penalty_name(name: str) -> str:
    return _PARENTHESES.sub("", unicodedata.normalize("NFKC", name)).replace(" ", "").strip()


def types_key(found: Iterable[KnownPenaltyType]) -> str:
    """A decision's penalty types as the record keeps them: the ids of their rows, each once,
    in order (``3,9``). Ids rather than names, so that a type the credit office renames,
    keeping the old name as a spelling, still names the decisions recorded under it."""
    return ",".join(str(pk) for pk in sorted({kind.id for kind in found}))


class Reading(NamedTuple):
    """A decision's penalty types as read: its tier, the rules of its tiers, its types."""

    tier: str
    rules: tuple[TierRule, ...]
    types: str  # ``types_key``; empty when the types could not be read


class _Types(NamedTuple):
    tiers: tuple[str, ...]  # lowest first, each once
    key: str  # ``types_key``


class PenaltyTiers:
    """Reads penalty types against the penalty-type table (normalised spelling → type);
    ``label`` is the column's name in messages."""

    def __init__(self, known: dict[str, KnownPenaltyType], label: str) -> None:
        self.known = known
        self.label = label
        self._answers: dict[str, _Types | Problem] = {}
        self._rules: dict[tuple[int, tuple[str, ...]], tuple[TierRule, ...] | Problem] = {}

    def tier(self, text: str, item: ItemInfo | None, problems: list[Problem]) -> Reading:
        """The highest tier among the decision's penalty types, the rules of every tier they
        fall in, whose longest window the decision is published for (R8), and the types
        (``types_key``). A tier with no rule, neither the item's nor the default, is a
        problem: such a decision has no window to be published or shared for."""
        if not text:
            problems.append(problem("required", self.label))
            return Reading("", (), "")
        types = self._answers.get(text)
        if types is None:
            types = self._answers[text] = self._resolve(text)
        if isinstance(types, Problem):
            problems.append(types)
            return Reading("", (), "")
        tiers = types.tiers
        if item is None:
            return Reading(tiers[-1], (), types.key)
        rules = self._rules.get((item.id, tiers))
        if rules is None:
            rules = self._rules[item.id, tiers] = _rules_of(item, tiers)
        if isinstance(rules, Problem):
            problems.append(rules)
            return Reading(tiers[-1], (), types.key)
        return Reading(tiers[-1], rules, types.key)

    def _resolve(self, text: str) -> _Types | Problem:
        """The tiers of a decision's penalty types, lowest first, each once, and the types.
        A decision may name several penalty types; some names hold a separator themselves
        (没收非法财物、违法所得), so known names are matched, longest first, before a separator
        is taken to split two types."""
        known = self.known
        normalized = normalize_penalty_name(text)
        if normalized in known:
            return _Types((known[normalized].tier,), types_key([known[normalized]]))
        # Names and the separators between them, alternating: [name, separator, name, ...].
        pieces = TYPE_SEPARATORS.split(normalized)
        named: list[KnownPenaltyType] = []
        start = 0
        while start < len(pieces):
            if not pieces[start]:
                start += 2
                continue
            for end in range(len(pieces) - 1, start - 1, -2):
                found = known.get("".join(pieces[start : end + 1]))
                if found is not None:
                    break
            else:
                return problem("penalty-type-unknown", self.label, value=pieces[start][:40])
            named.append(found)
            start = end + 2
        if not named:
            return problem("required", self.label)
        tiers = tuple(sorted({kind.tier for kind in named}, key=_RANK.__getitem__))
        return _Types(tiers, types_key(named))


def _rules_of(item: ItemInfo, tiers: tuple[str, ...]) -> tuple[TierRule, ...] | Problem:
    """The rule of each tier for ``item`` (its own, else the default: ``ItemInfo.rules``)."""
    rules = []
    for tier in tiers:
        rule = item.rules.get(tier)
        if rule is None:
            return problem("tier-rule-missing", item=item.name, tier=TIER_LABELS[tier])
        rules.append(rule)
    return tuple(rules)
