"""Set-based look-ups for batch screening: subjects by identifier, effective entries, measures.

Every map here is keyed by a subject's *screening key*: a natural person's is the keyed hash
of the ID (R14), an organisation's is its code, a public identifier stored in clear. The
caller hashes only the input codes that could be a citizen ID (18 characters, 17 digits, a
digit or X), once each, and takes the hash when it is known or the code when the code is (an
organisation whose code is all digits): a citizen ID never is a key, and the database reads
the keys with no work per row beyond the kind's comparison.

Two ways to find subjects, chosen per run by the file's size against the subject table:

* ``table`` reads the whole key → name map once (on PostgreSQL span by span, each span's keys
  and names as two strings split in C while the server makes the next; elsewhere one fetch
  loop); every row is then a dictionary look-up. At 1,000,000 rows against 1,000,000 subjects
  this is several times faster than any per-chunk query.
* ``chunks`` asks for each chunk's distinct keys (``identifier_digest IN (…)`` in batches),
  for files much smaller than the table.

Effective entries are read in bulk too (all of them, or those of each chunk's subjects), and kept
only on the lists the department may see and act on, as its checks meet them (R13). A black-list
entry of the subject's own past its validity, which the daily job has not exited yet, is read in the
same pass and brings the key monitoring its expiry starts, as a check answers it
(``expiry_monitoring.monitoring_due``, R3, R4): the key-monitoring lists are read once per run, and
only when there is such an entry. The measures that follow are decided through the shared
``selectors.applicable_measures`` and ``selectors.overall_result``, once per list, role, kind of
subject, suspension and the measures the entry's decision states — so every row answers what a check
by code would answer (R1, R10, R6, 落实到人).
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import islice, repeat
from typing import Any

from django.db import connection
from django.db.models import Q

from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.prefetch import read_ahead
from xinyong.core.tables import FORMULA_STARTS, spreadsheet_safe_text
from xinyong.listings import escalation
from xinyong.listings.models import (
    EntryState,
    ListDefinition,
    ListEntry,
    ListEntryPerson,
    ListKind,
)
from xinyong.listings.selectors import shared_to
from xinyong.measures import expiry_monitoring, selectors
from xinyong.measures.models import Scenario
from xinyong.measures.stated_measures import NONE_STATED, stated_measures
from xinyong.subjects.models import Subject, SubjectKind

BATCH = 2_000  # keys per IN (…) query: below every backend's parameter limit (SQLite: 32,766)
FETCH = 50_000
SPAN = 250_000  # subject ids per pair of strings on PostgreSQL: some 15 MB of text
READERS = 2  # connections reading the table's spans at once on PostgreSQL
SEPARATOR = "\x1f"
ROLE_LABELS = {"legal_representative": "法定代表人", "principal": "主要负责人",
               "responsible": "直接责任人"}  # fmt: skip
CLEAR: tuple[str, str, str] = ("", "", "clear")
PERSON = SubjectKind.NATURAL_PERSON.value


def could_be_citizen_id(code: str) -> bool:
    """The shape that decides whether a code is looked up by its keyed hash (see the module)."""
    return len(code) == 18 and code.isascii() and code[:17].isdigit() and code[17] in _LAST


_LAST = frozenset("0123456789X")


# A plain subject (an organisation with no effective entry: most of them) answers the same on
# every row: ``ok``, its code and name, score 100, no entries or measures, ``clear``. The map
# holds its name as a CSV field (quoted as the csv module quotes it, which few names need), so
# that such a row's output is formatted in C with no Python per row.
#
# A name comes from another department's data, and the result is opened in a spreadsheet: a
# name that reads as a formula (``=HYPERLINK(…)``) is written as text (``spreadsheet_safe_text``),
# as every export of the platform does. The caller's own cells are copied as they came.
_QUOTED = ('"', ",", "\r", "\n")
_FORMULA_MARKS = tuple(SEPARATOR + start for start in FORMULA_STARTS)


def as_csv_field(name: str) -> str:
    """A name as written to a result: safe from formula reading, then as the csv module
    writes it, quoted when it holds a quote, comma or line end."""
    name = spreadsheet_safe_text(name)
    if '"' in name or "," in name or "\n" in name or "\r" in name:
        return '"' + name.replace('"', '""') + '"'
    return name


def from_csv_field(field: str) -> str:
    """``as_csv_field`` undone as far as the quotes go (the name as written to a result): a
    name that needs no quotes never starts with one."""
    return field[1:-1].replace('""', '"') if field.startswith('"') else field


def _csv_fields(names: list[str], text: str) -> list[str]:
    """A span's names (split from ``text``, joined by SEPARATOR) as CSV fields; the text is
    searched in C first for what needs quotes or the formula guard."""
    if (
        any(mark in text for mark in _QUOTED)
        or text.startswith(FORMULA_STARTS)
        or any(mark in text for mark in _FORMULA_MARKS)
    ):
        return list(map(as_csv_field, names))
    return names


def stored_key(identifier: str, digest: str, kind: str, sealed: str) -> str:
    """A stored subject's key: a person's hash, an organisation's code; or its hash, for an
    organisation whose code is stored masked and sealed as a citizen ID is (a code valid both
    ways, or one in an ID's shape kept for review: ``subjects.protection.stored_identifier``),
    which the stored code no longer matches."""
    return digest if kind == PERSON or sealed else identifier


def _key_sql(alias: str) -> str:
    """``stored_key`` in SQL."""
    return (f"CASE WHEN {alias}.kind = '{PERSON}' OR {alias}.identifier_sealed <> ''"
            f" THEN {alias}.identifier_digest ELSE {alias}.identifier END")  # fmt: skip


# Flags of a map value (name, flags), beside a plain organisation's bare name (see ``_mark``).
PERSON_FLAG, LISTED_FLAG, MASKED_CODE_FLAG = 1, 2, 4


def _value(name: str, kind: str, sealed: str, pk: int) -> Any:
    """What the map holds for a subject: a plain organisation's name as a CSV field; a
    person's (name, flags, id), the id for the run's registration (R14); an organisation's
    whose code is shown masked, (name, flags)."""
    if kind == PERSON:
        return (name, PERSON_FLAG, pk)
    return (name, MASKED_CODE_FLAG) if sealed else as_csv_field(name)


def _keys_filter(keys: list[str], alias: str = "s") -> tuple[str, list[str]]:
    """Rows whose key is among ``keys``: a digest is never a code and a code never a digest."""
    marks = ", ".join(["%s"] * len(keys))
    return (f" AND ({alias}.identifier_digest IN ({marks}) OR {alias}.identifier IN ({marks}))",
            [*keys, *keys])  # fmt: skip


# A fact as read: (list id, valid until, under verification?, role or None, via whom, the
# measures its decision states by name: empty when it named none).
Fact = tuple[int, Any, bool, str | None, str, frozenset[str]]


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@contextmanager
def quiet_gc() -> Iterator[None]:
    """Loading a million small objects: the cyclic collector would walk them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _subject_table() -> str:
    return connection.ops.quote_name(Subject._meta.db_table)  # our own model's table


def subjects_about() -> int:
    """How many subjects there are, near enough to choose a run's way of finding them. On
    PostgreSQL the planner's figure, which ANALYZE and autovacuum keep (a count of a million
    rows takes 30-50 ms of a run); a count elsewhere, and on a table never analysed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                           [Subject._meta.db_table])  # fmt: skip
            row = cursor.fetchone()
        if row is not None and row[0] > 0:  # -1: never vacuumed nor analysed; 0: maybe empty
            return int(row[0])
    return Subject.objects.count()


def _table_spans(part: int = 0, parts: int = 1) -> Iterator[tuple[Any, ...]]:
    """(rows, organisations' keys, their names as CSV fields, persons' keys, their names, their
    ids, the keys and names of organisations whose code is stored masked, first id) of each span of
    subject ids; each list read as one string and split in C. The aggregates of one query read
    the rows in the same order. Only every ``parts``-th span from the ``part``-th. Run on a
    thread of its own, on that thread's connection, closed at the end.

    An organisation's key is its code and a person's its hash (``stored_key``), each read as it
    is: the same keys as a CASE on the kind, at some 40% less of the server's time."""
    table = _subject_table()
    person = "FILTER (WHERE kind = %s)"
    other = "FILTER (WHERE kind <> %s AND identifier_sealed = '')"
    masked = "FILTER (WHERE kind <> %s AND identifier_sealed <> '')"  # few: see ``stored_key``
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT min(id), max(id) FROM {table}")
            low, high = cursor.fetchone()
            for start in range((low or 0) + part * SPAN, (high or -1) + 1, parts * SPAN):
                cursor.execute(
                    f"SELECT count(*), string_agg(identifier, chr(31)) {other},"
                    f" string_agg(name, chr(31)) {other},"
                    f" string_agg(identifier_digest, chr(31)) {person},"
                    f" string_agg(name, chr(31)) {person},"
                    f" string_agg(id::text, chr(31)) {person},"
                    f" string_agg(identifier_digest, chr(31)) {masked},"
                    f" string_agg(name, chr(31)) {masked}"
                    f" FROM {table} WHERE id >= %s AND id < %s",
                    [PERSON] * 7 + [start, start + SPAN],
                )  # fmt: skip
                count, *texts = cursor.fetchone()
                if count:
                    keys, names, *others = (text.split(SEPARATOR) if text else [] for text in texts)
                    names = _csv_fields(names, texts[1] or "")
                    yield count, keys, names, *others, start
    finally:
        connection.close()


def _span_rows(start: int) -> list[tuple[str, Any]]:
    """(key, map value) pairs of one span, row by row (see ``Store.names``)."""
    table = _subject_table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_key_sql(table)}, name, kind, identifier_sealed, id FROM {table}"
            f" WHERE id >= %s AND id < %s",
            [start, start + SPAN],
        )
        return [(key, _value(name, kind, sealed, pk)) for key, name, kind, sealed, pk in cursor]


@contextmanager
def _beside(work: Any, *args: Any) -> Iterator[None]:
    """``work(*args)`` on a thread and its own connection while the block runs; its exception,
    if any, raised when the block ends."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work(*args)
        except BaseException as exc:  # raised again below, in the caller's thread
            failed.append(exc)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run, name=f"screening-{work.__name__.strip('_')}")
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if failed:
        raise failed[0]


class Store:
    """What one screening run knows: subjects, their facts, and a verdict per subject."""

    def __init__(
        self, *, scenario: str, department_id: int, whole_table: bool,
        as_of: dt.date | None = None,
    ) -> None:  # fmt: skip
        # The day the whole run answers for, taken once: the entries are read on another
        # thread (``_beside``), which does not see a business date set on this one, and a run
        # that crosses midnight still answers for one day (R4: in force through the last day).
        self.as_of = as_of or clock.today()
        # By id, as the measures index keys its rules (a code may be renamed meanwhile).
        self.scenario_id = (
            Scenario.objects.filter(code=scenario).values_list("pk", flat=True).first()
        )
        if self.scenario_id is None:
            raise XinyongError("scenario-unknown", f"未知业务场景：{scenario}", status=422)
        self.department_id = department_id
        self.whole_table = whole_table
        self.index = selectors.measure_index()
        self.lists = {d.pk: d for d in ListDefinition.objects.all()}
        # The lists whose entries the department may see and act on: its own, and those shared
        # with every department (R13). A fact on any other is dropped as it is read, as a
        # check by code drops it in its query.
        self.shared = frozenset(
            ListDefinition.objects.filter(shared_to(department_id, prefix="")).values_list(
                "pk", flat=True
            )
        )
        # key → a plain subject's name as a CSV field (``as_csv_field``), or (name, flags), or a
        # person's (name, flags, id): see ``_value`` and ``_mark``
        self.names: dict[str, Any] = {}
        self.listed: set[str] = set()  # digests of those with an effective entry, direct or named
        self._direct: dict[str, list[Fact]] = {}
        self._via: dict[str, list[Fact]] = {}
        # Key monitoring yet to be recorded, after the subject's direct and named facts, as a
        # check answers it (``_add_monitoring_due``).
        self._due: dict[str, list[Fact]] = {}
        self._outcomes: dict[tuple, tuple[str, str]] = {}
        self._verdicts: dict[tuple, tuple[str, str, str]] = {}
        self._rules = lru_cache(maxsize=None)(self._rules_for)
        self._targets: escalation.Targets | None = None  # read when first needed
        if whole_table:
            self._load_whole()
        else:
            self.entered = self._entered()

    # -- subjects ---------------------------------------------------------------------------

    def _load_whole(self) -> None:
        """The subject map and every effective entry. On PostgreSQL, outside a transaction,
        two more connections work meanwhile: one reads the entries, one reads the subject table
        span by span while this thread turns each span read into the map (see
        ``_load_table_postgresql``)."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            self._load_table()
            self._load_facts(None)
            self._mark()
            return
        with quiet_gc():
            with _beside(self._load_facts_on_one_core):
                self._load_table_postgresql()
            self._mark()  # made under the collector, it would walk the new map again and again
        gc.collect(0)

    def _load_table(self) -> None:
        table = _subject_table()
        with quiet_gc(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT identifier, identifier_digest, name, kind, identifier_sealed, id"
                f" FROM {table}"
            )
            while rows := cursor.fetchmany(FETCH):
                for identifier, digest, name, kind, sealed, pk in rows:
                    self._put(stored_key(identifier, digest, kind, sealed), name, kind, sealed, pk)
        gc.collect(0)

    def _put(self, key: str, name: str, kind: str, sealed: str, pk: int) -> None:
        self.names[key] = _value(name, kind, sealed, pk)

    def _load_table_postgresql(self) -> None:
        """Each span of ids as strings of keys and names, split in C: no Python work per row.
        An organisation's value is its name as a CSV field, a person's (name, 1) (see ``_mark``).

        The spans are read on a connection of their own, in a thread that waits for the server
        without holding the interpreter lock, so the server makes the next span while this
        thread maps the last one. The unit separator (U+001F) never occurs in a key and should
        not in a name; a span where it does (the counts do not add up) is read row by row.
        """
        names = self.names
        # Two connections, each reading every other span: the server's aggregation is most of
        # the time, and on two of its processes it keeps pace with the map being filled here.
        halves = [read_ahead(_table_spans(part, READERS), name=f"screening-table-{part}")
                  for part in range(READERS)]  # fmt: skip
        spans = filter(None, itertools.chain.from_iterable(itertools.zip_longest(*halves)))
        for span in spans:
            count, keys, labels, person_keys, person_labels, person_ids, hashed, hashed_labels = (
                span[:-1]
            )
            if (
                len(keys) == len(labels)
                and len(person_keys) == len(person_labels) == len(person_ids)
                and len(hashed) == len(hashed_labels) == (count - len(keys) - len(person_keys))
            ):
                names.update(zip(keys, labels, strict=True))
                persons = zip(person_labels, repeat(PERSON_FLAG), map(int, person_ids))
                names.update(zip(person_keys, persons, strict=True))
                names.update(zip(hashed, zip(hashed_labels, repeat(MASKED_CODE_FLAG)), strict=True))
            else:
                names.update(_span_rows(span[-1]))
            del span, keys, labels, person_keys, person_labels, person_ids, hashed, hashed_labels

    def prepare(self, keys: Iterable[str]) -> None:
        """Chunk mode: look up this chunk's keys (the table mode knows them all already)."""
        if self.whole_table:
            return
        self.names = {}
        columns = ("identifier", "identifier_digest", "name", "kind", "identifier_sealed", "id")
        for batch in batched(set(keys), BATCH // 2):
            rows = Subject.objects.filter(Q(identifier_digest__in=batch) | Q(identifier__in=batch))
            for identifier, digest, name, kind, sealed, pk in rows.values_list(*columns):
                self._put(stored_key(identifier, digest, kind, sealed), name, kind, sealed, pk)

    def by_ids(self, ids: Iterable[int]) -> dict[int, tuple[str, bool, str, str]]:
        """Subjects matched by name: id → (key, person?, name, identifier as stored)."""
        found = {}
        columns = ("id", "identifier_digest", "kind", "name", "identifier", "identifier_sealed")
        for batch in batched(set(ids), BATCH):
            rows = Subject.objects.filter(pk__in=batch)
            for pk, digest, kind, name, shown, sealed in rows.values_list(*columns):
                found[pk] = (stored_key(shown, digest, kind, sealed), kind == PERSON, name, shown)
        return found

    # -- facts ------------------------------------------------------------------------------

    def _entered(self) -> frozenset[str]:
        """Chunk mode: who has an effective entry at all, so that only they are asked about."""
        direct = ListEntry.objects.filter(state=EntryState.EFFECTIVE).values_list(
            "subject__identifier", "subject__identifier_digest", "subject__kind",
            "subject__identifier_sealed",
        )  # fmt: skip
        named = ListEntryPerson.objects.filter(entry__state=EntryState.EFFECTIVE).values_list(
            "person__identifier", "person__identifier_digest", "person__kind",
            "person__identifier_sealed",
        )  # fmt: skip
        return frozenset(
            stored_key(*row) for rows in (direct, named) for row in rows.iterator(FETCH)
        )

    def prepare_facts(self, keys: Iterable[str]) -> None:
        """Chunk mode: the effective entries of these subjects."""
        if not self.whole_table:
            self._load_facts(list(self.entered.intersection(keys)))
            self._mark()

    def _load_facts_on_one_core(self) -> None:
        """Every effective entry, read on a connection of its own while the subject table is
        read beside it. The server would join the entries to the subjects with two more
        processes: quicker alone, but the cores are busy with the table already, and one
        process spends less of them (some 0.1-0.25 s less of a million-row run, measured).
        The setting lasts as long as the connection, which ``_beside`` closes."""
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
        self._load_facts(None)

    def _load_facts(self, keys: list[str] | None) -> None:
        """Effective entries by subject key: direct, and naming a person (落实到人); of the
        lists shared with the department only (R13), in force on the run's day (R4).

        Plain SQL: the ORM's per-row work doubled the time of this read at 100,000 entries.
        """
        self._direct, self._via, self._due = {}, {}, {}
        # Black-list entries of the subject's own past their validity, which the daily job has
        # not exited yet: they start key monitoring (``_add_monitoring_due``). Few, and only on
        # the days between an expiry and the job.
        ended: dict[str, list[tuple[ListDefinition, dt.date]]] = {}
        lists = self.lists
        q = connection.ops.quote_name
        entry, subject = q(ListEntry._meta.db_table), q(Subject._meta.db_table)
        named = q(ListEntryPerson._meta.db_table)
        # Under verification for the subject screened: an objection to the entry, or, through
        # a naming, the objection of that person to being named (kept on the naming); never
        # another person's (R6).
        columns = "e.list_id, e.valid_until, e.stated_measures, e.verification_due_on IS NOT NULL"
        direct = (f"SELECT {_key_sql('s')}, {columns}, NULL, NULL"
                  f" FROM {entry} e"
                  f" JOIN {subject} s ON s.id = e.subject_id WHERE e.state = %s")  # fmt: skip
        via = (f"SELECT {_key_sql('s')}, {columns} OR p.verification_due_on IS NOT NULL,"
               f" p.role, o.name FROM {named} p"
               f" JOIN {entry} e ON e.id = p.entry_id JOIN {subject} s ON s.id = p.person_id"
               f" JOIN {subject} o ON o.id = e.subject_id WHERE e.state = %s")  # fmt: skip
        orders = (" ORDER BY e.id", " ORDER BY e.id, p.role")
        today, shared = self.as_of, self.shared
        with connection.cursor() as cursor:
            for batch in [None] if keys is None else batched(keys, BATCH // 2):
                where, params = ("", []) if batch is None else _keys_filter(batch)
                for sql, order, into in (
                    (direct, orders[0], self._direct),
                    (via, orders[1], self._via),
                ):
                    cursor.execute(sql + where + order, [EntryState.EFFECTIVE, *params])
                    rows = cursor.fetchall()
                    for key, list_id, valid_until, stated, verified, role, whom in rows:
                        if isinstance(valid_until, str):  # SQLite gives dates as ISO text
                            valid_until = dt.date.fromisoformat(valid_until)
                        if list_id not in shared:
                            continue
                        if not selectors.in_force(valid_until, today):
                            if into is self._direct and lists[list_id].kind == ListKind.BLACK:
                                ended.setdefault(key, []).append((lists[list_id], valid_until))
                            continue
                        fact = (list_id, valid_until, bool(verified), role, whom or "",
                                stated_measures(stated))  # fmt: skip
                        into.setdefault(key, []).append(fact)
        if ended:
            self._add_monitoring_due(ended)
        self.listed = self._direct.keys() | self._via.keys() | self._due.keys()

    def _add_monitoring_due(self, ended: dict[str, list[tuple[ListDefinition, dt.date]]]) -> None:
        """The key monitoring that black-list entries past their validity start, as a check
        answers it before the daily job records their exit
        (``expiry_monitoring.with_monitoring_due``, R3, R4): a monitoring entry yet to be recorded,
        after the subject's other facts, or its live one on that list run on to the later end. Of
        the lists the department may see and act on (R13). The key-monitoring lists are read once
        per run, and only here: work in proportion to the few subjects with such an entry, none on a
        row."""
        if self._targets is None:
            self._targets = escalation.monitoring_targets()
        for key, black in ended.items():
            due = expiry_monitoring.monitoring_due(
                black, self._targets, lambda target: target.pk in self.shared, self.as_of
            )
            direct = self._direct.get(key, [])
            for target, until in due.items():
                at = next((n for n, fact in enumerate(direct) if fact[0] == target.pk), None)
                if at is None:
                    fact = (target.pk, until, False, None, "", NONE_STATED)
                    self._due.setdefault(key, []).append(fact)
                elif direct[at][1] is not None and direct[at][1] < until:
                    direct[at] = (target.pk, until, *direct[at][2:])

    def _mark(self) -> None:
        """The values of those with an effective entry become (name, flags | LISTED_FLAG); a
        person's value is (name, PERSON_FLAG, id) from the start, an organisation's whose code
        is shown masked (name, MASKED_CODE_FLAG). A plain ``str`` value (a name as a CSV field)
        then says "nothing to add" without a second look-up. Marking twice changes nothing."""
        names = self.names
        for key in self.listed:
            value = names.get(key)
            if value is not None:
                names[key] = (
                    (from_csv_field(value), LISTED_FLAG) if value.__class__ is str
                    else (value[0], value[1] | LISTED_FLAG, *value[2:])
                )  # fmt: skip

    # -- verdicts ---------------------------------------------------------------------------

    def _rules_for(
        self, list_id: int, role: str | None, is_person: bool, stated: frozenset[str]
    ) -> tuple:
        """The measures an entry on this list, its decision stating ``stated``, reaches, asked
        once through the shared selector."""
        subject = Subject(kind=PERSON if is_person else SubjectKind.LEGAL_PERSON)
        fact = selectors.EntryFact.shape(self.lists[list_id], role, False, stated)
        hits = selectors.applicable_measures(
            subject, [fact], self.scenario_id, self.department_id, self.index
        )
        return tuple(hit.rule for hit in hits)

    def _outcome(self, shape: tuple, is_person: bool) -> tuple[str, str]:
        """(measures, result) for entries of this shape: [(list, role, suspended, stated), …]."""
        hits = []
        for list_id, role, suspended, stated in shape:
            fact = selectors.EntryFact.shape(self.lists[list_id], role, suspended, stated)
            rules = self._rules(list_id, role, is_person, stated)
            hits += [selectors.MeasureHit(rule, fact) for rule in rules]
        measures = dict.fromkeys(
            hit.rule.code + ("(中止)" if hit.fact.suspended else "") for hit in hits
        )
        codes = spreadsheet_safe_text(";".join(measures))  # the codes an office typed
        return codes, str(selectors.overall_result(hits))

    def verdict(self, digest: str, is_person: bool) -> tuple[str, str, str]:
        """(entries, measures, result) as compact text; the subject's entries in entry order.

        Made once per distinct set of facts: a verdict depends on nothing else, and a million
        subjects' entries fall into a few thousand such sets (a list, a last day, a role)."""
        facts = self._direct.get(digest, [])
        if is_person:
            facts = facts + self._via.get(digest, [])
        if self._due and digest in self._due:
            facts = facts + self._due[digest]
        if not facts:
            return CLEAR
        key = (tuple(facts), is_person)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = self._verdict_of(facts, is_person)
        return verdict

    def _verdict_of(self, facts: list[Fact], is_person: bool) -> tuple[str, str, str]:
        entries, shape = [], []
        for list_id, valid_until, under_verification, role, whom, stated in facts:
            definition = self.lists[list_id]
            suspended = under_verification and definition.objection_suspends_measures
            notes = [f"至{valid_until.isoformat()}" if valid_until else "长期"]
            if role is not None:
                notes.append(f"经{whom}{ROLE_LABELS.get(role, role)}")
            if suspended:
                notes.append("异议核查中止")
            entries.append(f"{definition.kind}:{definition.name}({','.join(notes)})")
            shape.append((list_id, role, suspended, stated))
        key = (tuple(shape), is_person)
        outcome = self._outcomes.get(key)
        if outcome is None:
            outcome = self._outcomes[key] = self._outcome(key[0], is_person)
        return ("; ".join(entries), *outcome)
