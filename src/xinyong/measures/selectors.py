"""Which measures follow from which entries, in which scenario (R10, 002 §二十, 004 §二(四)4).

The measures list is small and read on every check, so it is held in memory per process and
rebuilt when a cheap fingerprint of the list changes (an admin edit, a file load, a link added or
removed). A check by code reads everything else it needs, and that fingerprint, in one round
trip (``check_read``).

A department meets only the entries of lists it may see and act on: its own, and those shared
with every department (``listings.selectors.shared_to``, R13): by code, by name, in a screening
and in the change feed alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import DEFERRED

from xinyong.catalog.models import CatalogItem
from xinyong.listings.models import (
    EntryState,
    ListDefinition,
    ListEntry,
    ListEntryPerson,
)
from xinyong.listings.selectors import shared_to, shared_to_sql
from xinyong.measures import statements
from xinyong.measures.models import Check, CheckResult, Measure, Scenario, is_placeholder_basis
from xinyong.measures.stated_measures import NONE_STATED, stated_measures
from xinyong.subjects.models import Domain, Subject, SubjectKind

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
    """Rules by scenario id: a scenario's code can be renamed in the admin, and the fingerprint
    (of the measures and their links) would not see it."""

    by_scenario: dict[int, tuple[MeasureRule, ...]]


_cache: tuple[tuple, MeasureIndex] | None = None

# The fingerprint is one value, read as one column of ``check_read``'s statement.
FINGERPRINT_WIDTH = 1
# The measures list's version, which every change of the measures or their links replaces in its
# own transaction, and never by a number given before (``list_version``).
_VERSION_TABLE = "measures_list_version"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _fingerprint_sql() -> tuple[str]:
    """The measures list's fingerprint, as one scalar expression: its version, which changes
    with every change of the measures or of their links, so that a measure widened by losing a
    domain or a department rebuilds the index at once (R10). One row read, however long the
    list."""
    return (f"(SELECT version FROM {_VERSION_TABLE})",)


def _fingerprint() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(_fingerprint_sql()))
        return tuple(cursor.fetchone())


def hold_measures_list(*, shared: bool = False) -> None:
    """In a transaction that locks measures before it changes them (``select_for_update``):
    take the list's version first, as each changing statement does on PostgreSQL (its trigger
    fires before the statement), so that two transactions changing measures wait for each other
    in one order and never in a circle. SQLite writes one transaction at a time.

    ``shared``: in a transaction that writes what it reads of the list (a decision stating
    measures by name): it waits for a change of the list under way, and a change waits for
    it, so that a rename never misses what it wrote (``renames``); such transactions do not
    wait for each other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {_VERSION_TABLE} FOR {'SHARE' if shared else 'UPDATE'}")


def _has_basis(measure: Measure) -> bool:
    """Whether a stored measure states a legal basis: one stored before placeholders (无, —)
    were refused is never applied (R10)."""
    return not is_placeholder_basis(measure.legal_basis)


def measure_index(fingerprint: tuple | None = None) -> MeasureIndex:
    """Active measures that have a legal basis, by scenario id; never one outside the list, nor
    one whose basis is a placeholder such as 无 or — (R10).

    ``fingerprint`` is the measures list's fingerprint when the caller has just read it (as
    ``check_read`` does); otherwise it is read here.
    """
    global _cache
    key = fingerprint if fingerprint is not None else _fingerprint()
    if _cache is not None and _cache[0] == key:
        return _cache[1]
    measures = (
        Measure.objects.filter(is_active=True)
        .exclude(legal_basis="")
        .prefetch_related("domains", "scenarios", "implementing_departments")
    )
    by_scenario: dict[int, list[MeasureRule]] = defaultdict(list)
    for measure in filter(_has_basis, measures):
        rule = MeasureRule(
            code=measure.code, name=measure.name, type=measure.type, mandatory=measure.mandatory,
            legal_basis=measure.legal_basis, list_kinds=frozenset(measure.list_kinds),
            domain_ids=frozenset(d.pk for d in measure.domains.all()),
            department_ids=frozenset(d.pk for d in measure.implementing_departments.all()),
            targets=frozenset(measure.targets),
        )  # fmt: skip
        for scenario in measure.scenarios.all():
            by_scenario[scenario.pk].append(rule)
    index = MeasureIndex({pk: tuple(rules) for pk, rules in by_scenario.items()})
    _cache = (key, index)
    return index


def lists_reaching(department_id: int, scenarios: Iterable[str] | None) -> Callable[..., bool]:
    """Whether a list's entries could make a measure apply for this department: some active
    measure of the measures list, in one of ``scenarios`` (codes; ``None``: any scenario),
    follows from the list's kind and domain for the department (R10), and, given ``targets``,
    targets one of them (whom an entry's change concerns, as ``EntryFact.targets`` tells a
    check: the organisation, a natural person, or a role an organisation's entry names a
    person in). What the change feed shows a caller (R14: least privilege, as a token checks
    only in the scenarios it names), of the lists shared with the department, which the feed
    reads in the database (``listings.feed_reads.changes_since``, R13).

    Reads the scenarios' ids once and the cached index (``measure_index``); each list's kind
    and domain, with each set of targets, is then decided once, in memory.
    """
    index = measure_index()
    if scenarios is None:
        groups = list(index.by_scenario.values())
    else:
        ids = Scenario.objects.filter(code__in=list(scenarios)).values_list("pk", flat=True)
        groups = [index.by_scenario.get(pk, ()) for pk in ids]
    rules = [rule for group in groups for rule in group]
    decided: dict[tuple[str, int, frozenset[str] | None], bool] = {}

    def reaches(definition: ListDefinition, targets: frozenset[str] | None = None) -> bool:
        key = (definition.kind, definition.domain_id, targets)
        if key not in decided:
            decided[key] = any(
                rule.follows_from(definition.kind, definition.domain_id, department_id)
                and (targets is None or bool(rule.targets & targets))
                for rule in rules
            )
        return decided[key]

    return reaches


@dataclasses.dataclass(frozen=True, slots=True)
class EntryFact:
    """An effective entry as a check sees it: directly, or through a person it names.

    Flat, so that a check builds one small object per entry and no model instances.
    """

    entry_id: int | None  # None: a list's shape, not a stored entry (batch screening)
    list_kind: str
    list_name: str
    domain_id: int
    domain_name: str
    state: str
    valid_until: dt.date | None
    via_role: str | None  # the person's role in an organisation's entry (落实到人), or None
    organisation: str | None  # with via_role: the name of the organisation whose entry it is
    suspended: bool
    list_id: int | None = None
    # The measures its decision states, by name; empty: it named none (``states``).
    stated: frozenset[str] = NONE_STATED

    @classmethod
    def of(
        cls, entry: ListEntry, subject_id: int, via_role: str | None = None,
        naming: ListEntryPerson | None = None,
    ) -> EntryFact:  # fmt: skip
        """The fact of a loaded entry (its list and domain selected with it) for ``subject_id``,
        its subject or, with ``via_role``, a person it names: suspended as an objection
        suspends the measures it brings on that subject (``ListEntry.is_suspended_for``).
        ``naming``: the row it reaches the person through, which carries the person's own
        objection to being named (no further read)."""
        definition = entry.list
        suspended = (
            entry.is_suspended_by_objection
            or (naming.objection_open and entry.state == EntryState.EFFECTIVE
                and definition.objection_suspends_measures)
            if naming is not None else entry.is_suspended_for(subject_id)
        )  # fmt: skip
        return cls(
            entry.pk, definition.kind, definition.name, definition.domain_id,
            definition.domain.name, entry.state, entry.valid_until, via_role,
            entry.subject.name if via_role is not None else None,
            suspended, entry.list_id,
            stated_measures(entry.stated_measures),
        )  # fmt: skip

    @classmethod
    def shape(
        cls, definition: ListDefinition, via_role: str | None, suspended: bool,
        stated: frozenset[str] = NONE_STATED,
    ) -> EntryFact:  # fmt: skip
        """An effective entry on ``definition``, its decision stating ``stated``, with nothing
        else known: what decides measures."""
        return cls(
            None, definition.kind, definition.name, definition.domain_id, "",
            EntryState.EFFECTIVE, None, via_role, None, suspended, definition.pk, stated,
        )  # fmt: skip

    def states(self, rule: MeasureRule) -> bool:
        """Whether the entry's decision lets this measure follow: it states the measure by its
        name, or states none, and every measure of the list for its kind and domain follows
        (R1: the decision states the measures that follow; R10: none added)."""
        return not self.stated or rule.name in self.stated

    def targets(self, subject: Subject) -> frozenset[str]:
        """Which measure targets this entry reaches for the subject asked about."""
        if self.via_role is not None:
            return frozenset({self.via_role})
        return PERSON_TARGETS if subject.is_natural_person else ORGANISATION_TARGETS


def measures_following(list_kind: str, domain_id: int | None) -> list[str]:
    """The names of the measures in the measures list that follow from a list of this kind and
    domain, in the list's order: what a decision states when its department names none (R1,
    R10: only measures of the list, with their legal basis)."""
    names = []
    measures = (
        Measure.objects.filter(is_active=True)
        .exclude(legal_basis="")
        .prefetch_related("domains")
        .order_by("sequence", "code")
    )
    for measure in filter(_has_basis, measures):
        domains = {domain.pk for domain in measure.domains.all()}
        if list_kind in measure.list_kinds and (not domains or domain_id in domains):
            names.append(measure.name)
    return list(dict.fromkeys(names))


def in_force(valid_until: dt.date | None, today: dt.date) -> bool:
    """Whether an effective entry still counts today: through the last day of its validity.

    The daily job moves an entry whose validity has ended to exited the next day (R4), but a
    check between midnight and that job, or on a day the job did not run, must not apply
    measures on it: the answer is correct to the day whenever the job runs.
    """
    return valid_until is None or valid_until >= today


def entry_facts(subject: Subject, department_id: int | None = None) -> list[EntryFact]:
    """Effective entries of the subject, and for a person those of organisations naming them;
    in the order ``check_read`` gives them (by entry, then role), which orders the measures: an
    index may otherwise hand them over in its own order. Only of the lists ``department_id``
    may see and act on (``shared_to``, R13), as ``check_read``; None: every list, as the credit
    office sees them."""
    direct = ListEntry.objects.filter(subject=subject, state=EntryState.EFFECTIVE)
    if department_id is not None:
        direct = direct.filter(shared_to(department_id))
    facts = [
        EntryFact.of(e, subject.pk) for e in direct.select_related("list__domain").order_by("id")
    ]  # its own entries: a person's objection to being named never suspends them (R6)
    if subject.is_natural_person:
        named = ListEntryPerson.objects.filter(person=subject, entry__state=EntryState.EFFECTIVE)
        if department_id is not None:
            named = named.filter(shared_to(department_id, "entry__list__"))
        named = named.select_related("entry__list__domain", "entry__subject").order_by(
            "entry_id", "role"
        )
        facts += [EntryFact.of(n.entry, subject.pk, n.role, naming=n) for n in named]
    return facts


@dataclasses.dataclass(frozen=True)
class CheckRead:
    """What a check by code reads: the scenario's row id, the subject and its facts."""

    scenario_id: int | None  # None: no such scenario
    subject: Subject | None  # None: no subject has this identifier
    facts: list[EntryFact]
    index: MeasureIndex


# The columns check_read reads, in its SELECT's order.
_SUBJECT_COLUMNS = ("id", "kind", "name", "identifier")
_ENTRY_COLUMNS = (
    "id", "list_id", "subject_id", "state", "valid_until", "verification_due_on",
    "stated_measures",
)  # fmt: skip
_LIST_COLUMNS = ("id", "name", "kind", "domain_id", "objection_suspends_measures")
# Where they start in a row: part, scenario id and the measures list's fingerprint come first;
# then the subject, the entry, its list, the domain's name, the named person's role, the
# naming organisation's name and the deadline of the person's objection to being named.
_SUBJECT_AT = 2 + FINGERPRINT_WIDTH
_ENTRY_AT = _SUBJECT_AT + len(_SUBJECT_COLUMNS)
_LIST_AT = _ENTRY_AT + len(_ENTRY_COLUMNS)
_DOMAIN_AT = _LIST_AT + len(_LIST_COLUMNS)


def _literal(value: str) -> str:
    """A constant of ours (a state, a kind) written into SQL; never a caller's value."""
    if not value.isidentifier():
        raise ValueError(f"not a plain constant: {value!r}")
    return f"'{value}'"


@functools.cache
def _check_read_sql(vendor: str, scoped: bool) -> str:
    """The one statement of ``check_read``, built once per database backend and scope.

    Plain SQL, like the calendar's fingerprint in calendars.selectors: it runs on every check,
    and the ORM cannot ask for "this row, whether or not anything joins it" in one query. The
    first part always yields one row: the scenario, the fingerprint and the subject, when there
    is one. The second adds the subject's effective entries; the third, for a natural person,
    the effective entries of organisations that name them. Scalar subqueries, LEFT JOIN and
    UNION ALL read the same on SQLite and PostgreSQL.

    ``scoped``: only the entries of lists the department may see and act on (``shared_to_sql``,
    R13; the department's id is one more parameter of each part that reads entries), decided
    on the list's catalog item, joined by its key. The entries are parts of their own, apart
    from the subject's row, so that the condition drops an entry and never that row, and each
    part stays plain joins from the subject's identifier through indexes. (Kept in the first
    part, the condition would need the entry, its list and item nested as one LEFT JOIN, which
    SQLite reads for every subject's effective entries at once.)
    """
    q = connection.ops.quote_name
    subject, entry, definition = _table(Subject), _table(ListEntry), _table(ListDefinition)
    domain, person, item = _table(Domain), _table(ListEntryPerson), _table(CatalogItem)
    fingerprint = _fingerprint_sql()
    effective, person_kind = (
        _literal(EntryState.EFFECTIVE.value),
        _literal(SubjectKind.NATURAL_PERSON.value),
    )
    subject_columns = [f"s.{q(c)}" for c in _SUBJECT_COLUMNS]
    entry_columns = (
        [f"e.{q(c)}" for c in _ENTRY_COLUMNS]
        + [f"l.{q(c)}" for c in _LIST_COLUMNS]
        + [f"d.{q('name')}"]
    )
    common = ", ".join(subject_columns + entry_columns)
    named = ", ".join(f"{part} AS f{n}" for n, part in enumerate(fingerprint))
    no_fingerprint = ", ".join(["NULL"] * len(fingerprint))
    # An entry's list and domain, and when scoped the list's catalog item and the condition.
    of_entry = (
        f" JOIN {definition} l ON l.{q('id')} = e.{q('list_id')}"
        f" JOIN {domain} d ON d.{q('id')} = l.{q('domain_id')}"
    )
    shared = ""
    if scoped:
        of_entry += f" LEFT JOIN {item} c ON c.{q('id')} = l.{q('catalog_item_id')}"
        shared = f" AND {shared_to_sql('l', 'c')}"
    return (
        f"SELECT 0, h.scenario_id, {', '.join(f'h.f{n}' for n in range(len(fingerprint)))},"
        f" {', '.join(subject_columns)}, {', '.join(['NULL'] * len(entry_columns))},"
        f" NULL, NULL, CAST(NULL AS DATE)"  # typed: PostgreSQL unions it with a date
        f" FROM (SELECT (SELECT {q('id')} FROM {_table(Scenario)} WHERE {q('code')} = %s)"
        f" AS scenario_id, {named}) h"
        f" LEFT JOIN {subject} s ON s.{q('identifier_digest')} = %s"
        f" UNION ALL"
        f" SELECT 1, NULL, {no_fingerprint}, {common}, NULL, NULL, CAST(NULL AS DATE)"
        f" FROM {subject} s"
        f" JOIN {entry} e ON e.{q('subject_id')} = s.{q('id')} AND e.{q('state')} = {effective}"
        f"{of_entry}"
        f" WHERE s.{q('identifier_digest')} = %s{shared}"
        f" UNION ALL"
        f" SELECT 2, NULL, {no_fingerprint}, {common}, p.{q('role')}, o.{q('name')},"
        f" p.{q('verification_due_on')}"
        f" FROM {subject} s"
        f" JOIN {person} p ON p.{q('person_id')} = s.{q('id')}"
        f" JOIN {entry} e ON e.{q('id')} = p.{q('entry_id')} AND e.{q('state')} = {effective}"
        f"{of_entry}"
        f" JOIN {subject} o ON o.{q('id')} = e.{q('subject_id')}"
        f" WHERE s.{q('identifier_digest')} = %s AND s.{q('kind')} = {person_kind}{shared}"
        f" ORDER BY 1, {_ENTRY_AT + 1}, {_DOMAIN_AT + 2}"  # part, entry, role
    )


def _date(value):
    """A date column read without the ORM: SQLite gives ISO text, PostgreSQL a date."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# Positions in check_read's rows of what a fact needs.
_E_ID, _E_STATE, _E_UNTIL, _E_DUE, _E_STATED = (
    _ENTRY_AT + _ENTRY_COLUMNS.index(c) for c in (
        "id", "state", "valid_until", "verification_due_on", "stated_measures"))  # fmt: skip
_NAMING_DUE = _DOMAIN_AT + 3  # the person's objection to being named, through a naming
_L_NAME, _L_KIND, _L_DOMAIN, _L_SUSPENDS = (_LIST_AT + _LIST_COLUMNS.index(c) for c in (
    "name", "kind", "domain_id", "objection_suspends_measures"))  # fmt: skip


def _fact(row: tuple) -> EntryFact:
    """One row of check_read as a fact about the subject checked; suspension as
    ``ListEntry.is_suspended_for`` decides it (the row's entry is effective): the entry's own
    objection suspends its measures on everyone it reaches; a named person's objection to being
    named, read on the naming the row comes through, on that person only (R6)."""
    objected = row[_E_DUE] is not None or row[_NAMING_DUE] is not None
    return EntryFact(
        row[_E_ID], row[_L_KIND], row[_L_NAME], row[_L_DOMAIN], row[_DOMAIN_AT], row[_E_STATE],
        _date(row[_E_UNTIL]), row[_DOMAIN_AT + 1], row[_DOMAIN_AT + 2],
        row[_E_STATE] == EntryState.EFFECTIVE and objected and bool(row[_L_SUSPENDS]),
        row[_LIST_AT],
        stated_measures(row[_E_STATED]),
    )  # fmt: skip


def check_read(digest: str, scenario: str, department_id: int | None = None) -> CheckRead:
    """The scenario, the subject whose identifier has this keyed hash and its facts, and the
    measures index (R14: no look-up by the identifier itself).

    Everything ``entry_facts`` and ``measure_index`` read for a check by code, in one round
    trip (``statements.run``): the same effective entries (directly, and for a person through
    the organisations' entries that name them, 落实到人) of the same lists for the same
    department (R13; None: every list), the same suspension (R6) and the measures each decision
    states (a column of the entry, R1, R10), the index rebuilt when the measures list's
    fingerprint changed. Direct entries come first, each part in entry order.
    """
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if department_id is None:
        name, params = "xinyong_check_read_every_list", [scenario, digest, digest, digest]
    else:
        name = "xinyong_check_read"
        params = [scenario, digest, digest, department_id, digest, department_id]
    sql = _check_read_sql(vendor, department_id is not None)
    rows = statements.run(name, sql, params, fetch=True)
    first = rows[0]
    scenario_id, fingerprint = first[1], tuple(first[2:_SUBJECT_AT])
    head = first[_SUBJECT_AT:]
    subject = None
    if head[0] is not None:
        values = dict(zip(_SUBJECT_COLUMNS, head, strict=False))
        subject = Subject.from_db(
            DEFAULT_DB_ALIAS, None,
            [values.get(f.attname, DEFERRED) for f in Subject._meta.concrete_fields],
        )  # fmt: skip
    # The first row is the subject's alone; each other row is an entry.
    facts = [_fact(row) for row in rows if row[_E_ID] is not None]
    return CheckRead(scenario_id, subject, facts, measure_index(fingerprint))


@dataclasses.dataclass(frozen=True)
class MeasureHit:
    rule: MeasureRule
    fact: EntryFact


def applicable_measures(
    subject: Subject, facts: Iterable[EntryFact], scenario_id: int, department_id: int,
    index: MeasureIndex,
) -> list[MeasureHit]:  # fmt: skip
    """The measures in the list that follow from these entries in this scenario (R10), each
    only where the entry's decision states it or states none (``EntryFact.states``, R1)."""
    hits = []
    rules = index.by_scenario.get(scenario_id, ())
    for fact in facts:
        reached = fact.targets(subject)
        for rule in rules:
            if (
                rule.targets & reached
                and rule.follows_from(fact.list_kind, fact.domain_id, department_id)
                and fact.states(rule)
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


def subject_of_check(check_id: uuid.UUID) -> Subject | None:
    """The subject a check was about (None: a code no subject has, or no such check)."""
    made = Check.objects.select_related("subject").filter(pk=check_id).first()
    return None if made is None else made.subject
