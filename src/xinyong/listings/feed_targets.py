"""Whom a change of the feed concerns, in the terms the measures list targets (R10, R14).

A department's system is told a change only where one of its measures could apply to whom
the change concerns (``listings.feed_reads.changes_since``), by the test a check applies
(``measures.selectors.EntryFact.targets``): a natural person's entry concerns that person
(``person``); an organisation's entry concerns the organisation (``organisation``) and, through
it, each person it names, by the role it names them in (``legal_representative``, ``principal``,
``responsible``: 落实到人, 004 §二(三)6); a change of one naming (an objection to being named, its
conclusion, the naming removed) concerns that person's role alone.

A naming removed when its objection was found founded is read from the history event that
removed it (``removed_roles``), so that a replay from any cursor tells the same changes to the
same departments (R11): the entry's took_effect, and the naming's own changes, whatever became
of the naming since. Read once a batch of items, in two queries, never per item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from xinyong.listings.models import ChangeFeedItem, ListEntryEvent, ListEntryPerson

# The measures list's targets (``measures.models.Measure.Target``) of an entry's own subject.
PERSON, ORGANISATION = "person", "organisation"
_OWN = {True: frozenset({PERSON}), False: frozenset({ORGANISATION})}


class Roles:
    """The roles each organisation's entry among some feed items names (or named) each person
    in: entry id -> person id -> roles."""

    def __init__(self, items: Iterable[ChangeFeedItem]) -> None:
        ids = {item.event.entry_id for item in items if not _of_a_person(item)}
        self._named: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        if not ids:
            return
        namings = ListEntryPerson.objects.filter(entry_id__in=ids)
        for entry_id, person_id, role in namings.values_list("entry_id", "person_id", "role"):
            self._named[entry_id][person_id].add(role)
        removed = ListEntryEvent.objects.filter(entry_id__in=ids, action="unname")
        for entry_id, data in removed.values_list("entry_id", "data"):
            person_id = (data or {}).get("objector_person")
            self._named[entry_id][person_id].update((data or {}).get("removed_roles") or ())

    def targets(self, item: ChangeFeedItem, person_id: int | None) -> frozenset[str]:
        """Whom ``item`` concerns: with ``person_id``, a change of that person's naming, their
        roles in the entry; else the entry's subject and every person it names, by role."""
        entry = item.event.entry
        if person_id is not None:
            return frozenset(self._named[entry.pk].get(person_id, ()))
        own = _OWN[entry.subject.is_natural_person]
        if entry.subject.is_natural_person:
            return own
        return own.union(*self._named[entry.pk].values())


def _of_a_person(item: ChangeFeedItem) -> bool:
    return item.event.entry.subject.is_natural_person
