"""A penalty decision's types (处罚类别) and the tier they put it in (R8, R9).

A decision naming several types is of the highest of their tiers, which the record keeps (it
decides whether the record is serious dishonesty, and what repair may lower); how long it is
published and shared is the longest of the windows of all those tiers (R8). Answers are
remembered for the import, as a file repeats the same few type texts on every row.
"""

from __future__ import annotations

import re
import unicodedata

from xinyong.catalog.importers.context import ItemInfo
from xinyong.catalog.importers.outcomes import Problem, problem
from xinyong.catalog.publication import TierRule

_TYPE_SEPARATORS = re.compile(r"([;；,，、/|\n]+)")  # kept in the split: see ``_resolve``
_PARENTHESES = re.compile(r"[（(][^)）]*[)）]")
_RANK = {"minor": 1, "general": 2, "serious": 3}
TIER_LABELS = {"minor": "轻微", "general": "一般", "serious": "严重"}


def normalize_penalty_name(name: str) -> str:
    return _PARENTHESES.sub("", unicodedata.normalize("NFKC", name)).replace(" ", "").strip()


class PenaltyTiers:
    """Reads penalty types against the penalty-type table (normalised name → (name, tier));
    ``label`` is the column's name in messages."""

    def __init__(self, known: dict[str, tuple[str, str]], label: str) -> None:
        self.known = known
        self.label = label
        self._answers: dict[str, tuple[str, ...] | Problem] = {}
        self._rules: dict[tuple[int, tuple[str, ...]], tuple[TierRule, ...] | Problem] = {}

    def tier(
        self, text: str, item: ItemInfo | None, problems: list[Problem]
    ) -> tuple[str, tuple[TierRule, ...]]:
        """The highest tier among the decision's penalty types, and the rules of every tier
        they fall in, whose longest window the decision is published for (R8). A tier with
        no rule, neither the item's nor the default, is a problem: such a decision has no
        window to be published or shared for."""
        if not text:
            problems.append(problem("required", self.label))
            return "", ()
        tiers = self._answers.get(text)
        if tiers is None:
            tiers = self._answers[text] = self._resolve(text)
        if isinstance(tiers, Problem):
            problems.append(tiers)
            return "", ()
        if item is None:
            return tiers[-1], ()
        rules = self._rules.get((item.id, tiers))
        if rules is None:
            rules = self._rules[item.id, tiers] = _rules_of(item, tiers)
        if isinstance(rules, Problem):
            problems.append(rules)
            return tiers[-1], ()
        return tiers[-1], rules

    def _resolve(self, text: str) -> tuple[str, ...] | Problem:
        """The tiers of a decision's penalty types, lowest first, each once. A decision may
        name several penalty types; some names hold a separator themselves (没收非法财物、违法所得),
        so known names are matched, longest first, before a separator is taken to split two
        types."""
        known = self.known
        normalized = normalize_penalty_name(text)
        if normalized in known:
            return (known[normalized][1],)
        # Names and the separators between them, alternating: [name, separator, name, ...].
        pieces = _TYPE_SEPARATORS.split(normalized)
        tiers: set[str] = set()
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
            tiers.add(found[1])
            start = end + 2
        if not tiers:
            return problem("required", self.label)
        return tuple(sorted(tiers, key=_RANK.__getitem__))


def _rules_of(item: ItemInfo, tiers: tuple[str, ...]) -> tuple[TierRule, ...] | Problem:
    """The rule of each tier for ``item`` (its own, else the default: ``ItemInfo.rules``)."""
    rules = []
    for tier in tiers:
        rule = item.rules.get(tier)
        if rule is None:
            return problem("tier-rule-missing", item=item.name, tier=TIER_LABELS[tier])
        rules.append(rule)
    return tuple(rules)
