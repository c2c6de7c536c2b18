"""A penalty decision's types (处罚类别) and the tier they put it in (R8, R9).

The tier decides how long a penalty is published and shared; a decision naming several types
takes the highest of their tiers. Answers are remembered for the import, as a file repeats the
same few type texts on every row.
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


def normalize_penalty_name(name: str) -> str:
    return _PARENTHESES.sub("", unicodedata.normalize("NFKC", name)).replace(" ", "").strip()


class PenaltyTiers:
    """Reads penalty types against the penalty-type table (normalised name → (name, tier));
    ``label`` is the column's name in messages."""

    def __init__(self, known: dict[str, tuple[str, str]], label: str) -> None:
        self.known = known
        self.label = label
        self._answers: dict[str, tuple[str, str] | Problem] = {}

    def tier(
        self, text: str, item: ItemInfo | None, problems: list[Problem]
    ) -> tuple[str, TierRule | None]:
        """The highest tier among the decision's penalty types, and its rule (R8)."""
        if not text:
            problems.append(problem("required", self.label))
            return "", None
        known = self._answers.get(text)
        if known is None:
            known = self._answers[text] = self._resolve(text)
        if isinstance(known, Problem):
            problems.append(known)
            return "", None
        tier = known[1]
        return tier, item.rules.get(tier) if item is not None else None

    def _resolve(self, text: str) -> tuple[str, str] | Problem:
        """A decision may name several penalty types; some names hold a separator themselves
        (没收非法财物、违法所得), so known names are matched, longest first, before a separator
        is taken to split two types (R8: the highest tier among them counts)."""
        known = self.known
        normalized = normalize_penalty_name(text)
        if normalized in known:
            return known[normalized]
        # Names and the separators between them, alternating: [name, separator, name, ...].
        pieces = _TYPE_SEPARATORS.split(normalized)
        best: tuple[str, str] | None = None
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
            if best is None or _RANK[found[1]] > _RANK[best[1]]:
                best = found
            start = end + 2
        if best is None:
            return problem("required", self.label)
        return best
