"""Which measures follow from which entries, in which scenario (R10, 002 §二十, 004 §二(四)4).

The measures list is small and read on every check, so it is held in memory per process and
rebuilt when a cheap fingerprint of the table changes (an admin edit, a file load).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Max

from xinyong.listings.models import EntryState, ListEntry, ListEntryPerson
from xinyong.measures.models import CheckResult, Measure
from xinyong.subjects.models import Subject

ORGANISATION_TARGETS = frozenset({Measure.Target.ORGANISATION})
PERSON_TARGETS = frozenset({Measure.Target.PERSON})


@dataclasses.dataclass(frozen=True)
class MeasureRule:
    code: str
    name: str
    type: str
    mandatory: bool
    legal_basis: str
    list_kinds: frozenset[str]
    domain_ids: frozenset[int]  # empty: every domain
    department_ids: frozenset[int]  # empty: every implementing department
    targets: frozenset[str]

    def follows_from(self, kind: str, domain_id: int, department_id: int) -> bool:
        return (
            kind in self.list_kinds
            and (not self.domain_ids or domain_id in self.domain_ids)
            and (not self.department_ids or department_id in self.department_ids)
        )


@dataclasses.dataclass(frozen=True)
class MeasureIndex:
    by_scenario: dict[str, tuple[MeasureRule, ...]]


_cache: tuple[tuple, MeasureIndex] | None = None


def _fingerprint() -> tuple:
    row = Measure.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    return (row["n"], row["changed"])


def measure_index() -> MeasureIndex:
    """Active measures that have a legal basis, by scenario code; never one outside the list."""
    global _cache
    key = _fingerprint()
    if _cache is not None and _cache[0] == key:
        return _cache[1]
    measures = (
        Measure.objects.filter(is_active=True)
        .exclude(legal_basis="")
        .prefetch_related("domains", "scenarios", "implementing_departments")
    )
    by_scenario: dict[str, list[MeasureRule]] = defaultdict(list)
    for measure in measures:
        rule = MeasureRule(
            code=measure.code, name=measure.name, type=measure.type, mandatory=measure.mandatory,
            legal_basis=measure.legal_basis, list_kinds=frozenset(measure.list_kinds),
            domain_ids=frozenset(d.pk for d in measure.domains.all()),
            department_ids=frozenset(d.pk for d in measure.implementing_departments.all()),
            targets=frozenset(measure.targets),
        )  # fmt: skip
        for scenario in measure.scenarios.all():
            by_scenario[scenario.code].append(rule)
    index = MeasureIndex({code: tuple(rules) for code, rules in by_scenario.items()})
    _cache = (key, index)
    return index


@dataclasses.dataclass(frozen=True)
class EntryFact:
    """An effective entry as a check sees it: directly, or through a person it names."""

    entry: ListEntry
    via_role: str | None  # the person's role in an organisation's entry (落实到人), or None
    suspended: bool

    def targets(self, subject: Subject) -> frozenset[str]:
        """Which measure targets this entry reaches for the subject asked about."""
        if self.via_role is not None:
            return frozenset({self.via_role})
        return PERSON_TARGETS if subject.is_natural_person else ORGANISATION_TARGETS


def entry_facts(subject: Subject) -> list[EntryFact]:
    """Effective entries of the subject, and for a person those of organisations naming them."""
    direct = ListEntry.objects.filter(subject=subject, state=EntryState.EFFECTIVE).select_related(
        "list__domain"
    )
    facts = [EntryFact(e, None, e.is_suspended_by_objection) for e in direct]
    if subject.is_natural_person:
        named = ListEntryPerson.objects.filter(
            person=subject, entry__state=EntryState.EFFECTIVE
        ).select_related("entry__list__domain", "entry__subject")
        facts += [EntryFact(n.entry, n.role, n.entry.is_suspended_by_objection) for n in named]
    return facts


@dataclasses.dataclass(frozen=True)
class MeasureHit:
    rule: MeasureRule
    fact: EntryFact


def applicable_measures(
    subject: Subject, facts: Iterable[EntryFact], scenario: str, department_id: int,
    index: MeasureIndex,
) -> list[MeasureHit]:  # fmt: skip
    """The measures in the list that follow from these entries in this scenario (R10)."""
    hits = []
    rules = index.by_scenario.get(scenario, ())
    for fact in facts:
        reached = fact.targets(subject)
        definition = fact.entry.list
        for rule in rules:
            if rule.targets & reached and rule.follows_from(
                definition.kind, definition.domain_id, department_id
            ):
                hits.append(MeasureHit(rule, fact))
    return hits


def overall_result(hits: Iterable[MeasureHit]) -> str:
    """clear, reward, punish or both, from the measures not suspended by an objection (R6)."""
    types = {hit.rule.type for hit in hits if not hit.fact.suspended}
    if types == {Measure.Type.REWARD, Measure.Type.PUNISHMENT}:
        return CheckResult.BOTH
    if Measure.Type.REWARD in types:
        return CheckResult.REWARD
    if Measure.Type.PUNISHMENT in types:
        return CheckResult.PUNISH
    return CheckResult.CLEAR


def as_of_text(day: dt.date) -> str:
    return day.isoformat()
