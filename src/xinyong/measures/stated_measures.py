"""The measures an entry's decision states, by name, as a check reads them (R1: the decision
states the measures that follow; R10: none added): ``ListEntry.stated_measures`` read by the ORM
(a list) or by plain SQL (its JSON text); none stated, every measure of the measures list that
follows from the list's kind and domain applies (``selectors.EntryFact.states``).
"""

from __future__ import annotations

import functools
import json

NONE_STATED: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=4096)
def _stated_of(text: str) -> frozenset[str]:
    """``ListEntry.stated_measures`` as read by plain SQL: JSON text on SQLite and PostgreSQL
    alike (Django reads jsonb as text). Decisions state few distinct sets, so each is parsed
    once per process."""
    return frozenset(json.loads(text) or ())


def stated_measures(value: str | list[str] | None) -> frozenset[str]:
    """The names of the measures an entry's decision states, from its column as read by the ORM
    (a list) or by plain SQL (its JSON text); empty: the decision named none (R1, R10)."""
    if not value:
        return NONE_STATED
    if isinstance(value, str):
        return _stated_of(value)
    return frozenset(value)
