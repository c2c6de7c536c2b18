"""Rows screened by name: the same choice as a name check (``checks.check_by_name``).

A department's earlier decision on the same normalised name is remembered (a subject it
confirmed is taken, one it ruled out is not offered); otherwise exactly one candidate at the
exact score is the subject; several plausible candidates leave the row for a person to decide.
Each distinct name is searched once per run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from xinyong.core.names import may_be_a_persons_name
from xinyong.measures.checks import (
    DECISION_NO_LONGER_APPLIES,
    DECISION_NO_LONGER_APPLIES_MESSAGE,
    EXACT_SCORE,
    NAME_TOO_LONG,
    NAME_TOO_LONG_MESSAGE,
    SHOWN_SCORE,
    followed_decision,
    name_decision_key,
    name_refusal,
    name_too_long,
    present_candidates,
    searched_candidates,
)
from xinyong.measures.models import NameDecision

CACHE_LIMIT = 100_000  # distinct names remembered per run; beyond, the cache starts afresh


@dataclasses.dataclass(frozen=True)
class NameMatch:
    # matched_by_name, ambiguous, unknown, person_name (unknown, and may be a person's: not
    # searched, so not known to be clear) or invalid (an empty, too long or too short name, or
    # one with a control character: ``code`` says which, ``note`` says it as a check does)
    status: str
    # id, screening key (screening_store), person?, name, identifier as stored (a person's masked)
    subject: tuple[int, str, bool, str, str] | None = None
    score: float = 0.0
    note: str = ""
    code: str = ""


PERSON_NAME = "person_name"
# A name longer than a check keeps is invalid, as a check refuses it (``checks._asked_name``),
# and never normalised nor searched: the time that takes grows with the text.
TOO_LONG = NameMatch("invalid", note=NAME_TOO_LONG_MESSAGE, code=NAME_TOO_LONG)


class NameMatcher:
    """Name matching for one department's run; ``index`` and ``key_of`` may be given (tests)."""

    def __init__(
        self, department_id: int, *, index: Any = None,
        key_of: Callable[[str], str] | None = None,
    ) -> None:  # fmt: skip
        self._index = index
        # The key a check by name finds decisions under (parts kept apart: 东方电气 is not
        # 东方市 + 电气), so that a decision made after a check is followed here too.
        self.key_of = key_of or name_decision_key
        self.decisions: dict[str, dict[int, bool]] = {}
        rows = NameDecision.objects.filter(department_id=department_id).order_by("decided_at")
        for key, subject_id, same in rows.values_list(
            "normalized_name", "subject_id", "same_subject"
        ):
            self.decisions.setdefault(key, {})[subject_id] = same
        self._cache: dict[str, NameMatch] = {}

    @property
    def index(self) -> Any:
        if self._index is None:
            from xinyong.subjects.name_index import get_index

            self._index = get_index()
        return self._index

    def match_many(
        self, names: Iterable[str], subjects_of: Callable[[set[int]], dict[int, tuple]]
    ) -> dict[str, NameMatch]:
        """name → NameMatch; ``subjects_of`` gives id → (key, person?, name, identifier)."""
        if len(self._cache) > CACHE_LIMIT:
            self._cache = {}
        wanted = set(names)
        searched: dict[str, tuple[list[int], list]] = {}
        ids: set[int] = set()
        for name in wanted - self._cache.keys():
            if name_too_long(name):
                self._cache[name] = TOO_LONG
                continue
            key = self.key_of(name)
            refused = name_refusal(name, key)
            if refused is not None:  # as a check by name refuses it
                self._cache[name] = NameMatch("invalid", note=refused[1], code=refused[0])
                continue
            decided = self.decisions.get(key, {})
            confirmed = [pk for pk, same in decided.items() if same]
            candidates = searched_candidates(self.index, name, decided)
            shown = [c for c in candidates if c.score >= SHOWN_SCORE]
            searched[name] = (confirmed, shown)
            ids |= {c.subject_id for c in shown} | set(confirmed)
        subjects = subjects_of(ids) if ids else {}
        for name, (confirmed, shown) in searched.items():
            shown = present_candidates(shown, subjects)
            self._cache[name] = self._decide(name, confirmed, shown, subjects)
        return {name: self._cache[name] for name in wanted}

    @staticmethod
    def _decide(
        name: str, confirmed: list[int], shown: list, subjects: dict[int, tuple]
    ) -> NameMatch:
        exact = [c for c in shown if c.score >= EXACT_SCORE]
        # As a check by name: a confirmed subject that has since become a natural person is not
        # taken, nor one renamed away from the name (``followed_decision``), nor the one
        # organisation bearing exactly a name that may be a person's.
        confirmed = [pk for pk in confirmed if pk in subjects and not subjects[pk][1]]
        names = {pk: subjects[pk][2] for pk in confirmed}
        chosen, score, outdated = followed_decision(name, confirmed, shown, names)
        # A decision no longer followed is said in the row, as a check says it (``reason_code``).
        said = {"code": DECISION_NO_LONGER_APPLIES, "note": DECISION_NO_LONGER_APPLIES_MESSAGE}
        said = said if outdated else {}
        person = may_be_a_persons_name(name)
        if chosen is None and len(exact) == 1 and not person:
            chosen, score = exact[0].subject_id, exact[0].score
        if chosen is not None:
            return NameMatch("matched_by_name", (chosen, *subjects[chosen]), score, **said)
        if not shown or (person and len(exact) == 1):
            return NameMatch(PERSON_NAME if person else "unknown", **said)
        listed = [
            f"{subjects[c.subject_id][2]}（{subjects[c.subject_id][3]}，{c.score:g}）"
            for c in shown
            if not subjects[c.subject_id][1]
        ]
        return NameMatch("ambiguous", None, max(c.score for c in shown),
                         "须人工确认，候选：" + "；".join(listed))  # fmt: skip
