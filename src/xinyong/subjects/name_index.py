"""An in-memory candidate index for name checks (issue: name checks).

Blocking, then scoring: a search never compares the query with every name. It picks at most
``max_scored`` rows: those of the same normalised key first, then those of the same core (the
name without its region and legal form: 杭州恒泰科技有限公司 for 浙江省杭州市恒泰科技有限公司 or
恒泰科技有限公司), then those that share most of the rarest character bigrams of the query's
core and its region-qualified first bigram (one per division of its region: 浙江杭州 gives 浙江
and 杭州; and one per division its core writes: 通昌众宁波建材 gives 宁波), so that a trade name
common across China still finds its own city's company first. Where more rows tie than are left
to pick, the better score wins, never the older row: a listed company registered after many
namesakes elsewhere is still scored (R10, R11). Only the rows picked are scored
(``name_scoring``).

The index holds one row per subject and changes it in place: a renamed subject is found by its
new name and no longer by its old one, without a restart (``refresh``).
"""

from __future__ import annotations

import datetime as dt
import heapq
import threading
from array import array
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from xinyong.core.names import NormalizedName, normalize_name
from xinyong.subjects.name_scoring import (
    DIVISIONS_SEP,
    SEP,
    Inside,
    explain,
    pack,
    score_parts,
)

# At or above this score the top candidate is taken to be the same subject (see the benchmark's
# precision and recall on tests/data/name_variants.csv); below it a person decides.
SAME_SUBJECT_THRESHOLD = 95.0
# Postings counted per search at most: bounds the work of a query made of common bigrams.
POSTINGS_BUDGET = 4_000
# Rows beyond those picked that a search looks at, at most, to break a tie (namesakes of one
# core, or rows sharing as many bigrams) by likeness rather than by row order.
TIES_RANKED = 50
# A save is taken to commit, and the serving processes' clocks to agree, within this much of the
# time the save stamps on the row (``Subject.updated_at``): ``refresh`` reads again what was
# stamped this long before it last looked, and nothing older (see ``refresh``).
SETTLE = dt.timedelta(seconds=10)


@dataclass(frozen=True, slots=True)
class Candidate:
    subject_id: int
    name: str
    score: float  # 0–100
    reasons: tuple[str, ...]


def _tokens(regions: Iterable[str], core: str) -> set[str]:
    """The core's bigrams, and its first bigram qualified by each division of the region."""
    tokens = {core[i : i + 2] for i in range(len(core) - 1)} if len(core) > 1 else {core}
    tokens.discard("")
    if core:
        tokens.update(region + SEP + core[:2] for region in regions if region)
    return tokens


def _regional_tokens(query: NormalizedName, inside: Inside) -> set[str]:
    """The query's first bigram qualified by each division of its region, and by each division
    its core writes inside (通昌众宁波建材: 宁波 and 通昌), as a name of that region is indexed:
    a search looks there first, and scoring decides (``read_regions_inside``)."""
    core = query.core
    tokens = {region + SEP + core[:2] for region in query.regions if region and core}
    for at, written, divisions in inside.within:
        rest = core[:at] + core[at + len(written) :]
        if len(rest) >= 2:
            tokens.update(division + SEP + rest[:2] for division in divisions)
    return tokens


class NameIndex:
    """Names of subjects, searchable by variant spellings; one row per subject.

    ``add`` appends a subject's row; ``put`` changes it in place (a rename) or drops it from the
    look-ups (the subject is no longer searched by name), and takes it back later. A dropped row
    keeps its number and its subject id, with an empty name and parts.
    """

    def __init__(self) -> None:
        self._subject_ids = array("q")  # row → subject id
        self._names: list[str] = []  # row → the name as registered; "" once dropped
        self._parts: list[str] = []  # ``pack``ed parts; "" once dropped
        # hash of a core → its rows in order: the rows of one key are among those of its core.
        # A hash, not the core: an int costs less than a string, and two cores of one hash only
        # put a row among those scored.
        self._by_core: dict[int, int | list[int]] = {}
        self._core_lengths = array("B")  # row → its core's length (255 at most), to break ties
        self._postings: dict[str, array[int]] = {}  # rows in order
        # Subject ids in order and their rows, to find a subject's row by bisection (a dict
        # would cost some 100 bytes a subject; these cost 16, and stay in order as ids grow).
        self._ids_in_order = array("q")
        self._rows_in_order = array("q")
        self._dropped = 0
        self.max_subject_id = 0  # the highest id ``refresh`` has read (or ``add`` was given)
        # Changes stamped before this are in the index (``refresh``); None: not known.
        self.seen_through: dt.datetime | None = None
        self.last_scored = 0  # how many rows the latest search scored (never above max_scored)

    @classmethod
    def build(cls, rows: Iterable[tuple[int, str]]) -> NameIndex:
        index = cls()
        for subject_id, name in rows:
            index.add(subject_id, name)
        return index

    def __len__(self) -> int:
        """How many subjects are searchable by name (dropped rows are not counted)."""
        return len(self._names) - self._dropped

    def add(self, subject_id: int, name: str) -> None:
        """Index a subject not in the index yet; ``put`` changes one that is."""
        ids = self._ids_in_order
        at = len(ids)
        if ids and subject_id <= ids[-1]:  # out of order: only when a caller builds so
            at = bisect_left(ids, subject_id)
            if ids[at] == subject_id:
                raise ValueError(f"subject {subject_id} is in the index already: put changes it")
        row = len(self._names)
        self._subject_ids.append(subject_id)
        self._names.append(name)
        self._parts.append("")
        self._core_lengths.append(0)
        ids.insert(at, subject_id)
        self._rows_in_order.insert(at, row)
        self._link(row, name)
        self.max_subject_id = max(self.max_subject_id, subject_id)

    def put(self, subject_id: int, name: str | None) -> bool:
        """Make ``name`` the subject's one searchable name, or none (``None``); whether the
        index changed. The old name stops matching: a rename is not an alias."""
        at = bisect_left(self._ids_in_order, subject_id)
        if at == len(self._ids_in_order) or self._ids_in_order[at] != subject_id:
            if name is None:
                return False
            self.add(subject_id, name)
            return True
        row = self._rows_in_order[at]
        indexed = bool(self._parts[row])
        if (name is None and not indexed) or (indexed and self._names[row] == name):
            return False
        if indexed:
            self._unlink(row)
        if name is None:
            self._dropped += 1
        else:
            self._dropped -= not indexed
            self._link(row, name)
        return True

    def _link(self, row: int, name: str) -> None:
        """Make ``row`` searchable as ``name``: its key and its tokens point at it."""
        normalized = normalize_name(name)
        self._names[row] = name
        self._parts[row] = pack(normalized)
        self._core_lengths[row] = min(len(normalized.core), 255)
        core = hash(normalized.core)
        same_core = self._by_core.get(core)
        if same_core is None:
            self._by_core[core] = row
        elif isinstance(same_core, int):
            self._by_core[core] = sorted((same_core, row))
        else:
            insort(same_core, row)
        postings = self._postings
        for token in _tokens(normalized.regions, normalized.core):
            rows = postings.get(token)
            if rows is None:
                postings[token] = rows = array("I")
            if not rows or rows[-1] < row:
                rows.append(row)  # building: rows come in order
            else:
                insort(rows, row)  # a rename: the row keeps its place

    def _unlink(self, row: int) -> None:
        """Take ``row`` out of every look-up; its name and parts become empty."""
        region, core, _, _, divisions = self._parts[row].split(SEP)
        same_core = self._by_core[hash(core)]
        if isinstance(same_core, int):
            del self._by_core[hash(core)]
        else:
            same_core.remove(row)
            if len(same_core) == 1:
                self._by_core[hash(core)] = same_core[0]
        for token in _tokens(divisions.split(DIVISIONS_SEP) if divisions else (region,), core):
            rows = self._postings[token]
            del rows[bisect_left(rows, row)]
            if not rows:
                del self._postings[token]
        self._names[row] = ""
        self._parts[row] = ""

    def search(self, name: str, limit: int = 10, max_scored: int = 50) -> list[Candidate]:
        """The best ``limit`` candidates for ``name``, best first, with reasons in words."""
        if max_scored < 1:
            raise ValueError("max_scored must be at least 1")
        query = normalize_name(name)
        inside = Inside.of(query)
        rows = self._block(query, max_scored, inside) if query.core else []
        self.last_scored = len(rows)
        scored = []
        for position, row in enumerate(rows):
            parts = self._parts[row]
            if not parts:  # dropped by another thread's refresh since it was blocked
                continue
            score, similarity = score_parts(query, parts, inside)
            scored.append((score, similarity, -position, row, self._names[row]))
        scored.sort(reverse=True)
        return [
            Candidate(
                subject_id=self._subject_ids[row],
                name=found,
                score=round(score, 1),
                reasons=explain(query, normalize_name(found), inside),
            )
            for score, _, _, row, found in scored[:limit]
        ]

    def _block(self, query: NormalizedName, max_scored: int, inside: Inside) -> list[int]:
        """At most ``max_scored`` rows: same key first, then same core (the query's region's
        first), then most tokens shared; ties past the cap go to the better score."""
        packed = pack(query)
        same_core = self._by_core.get(hash(query.core))
        namesakes = [same_core] if isinstance(same_core, int) else list(same_core or ())
        chosen = [row for row in namesakes if self._parts[row] == packed][:max_scored]
        seen = set(chosen)
        namesakes = [row for row in namesakes if row not in seen]
        regional = _regional_tokens(query, inside)
        if len(namesakes) > max_scored - len(chosen):  # more of this core than can be scored
            namesakes = self._likest(query, namesakes, max_scored - len(chosen), regional)
        chosen += namesakes
        seen.update(namesakes)
        slots = max_scored - len(chosen)
        if slots <= 0:
            return chosen
        tokens = _tokens((), query.core) | regional
        lists = sorted((rows for token in tokens if (rows := self._postings.get(token))), key=len)
        counts: Counter[int] = Counter()
        counted = 0
        for rows in lists:
            if counted and counted + len(rows) > POSTINGS_BUDGET:
                break  # the rest are commoner still: 科技, 贸易
            counts.update(rows[:POSTINGS_BUDGET])
            counted += len(rows)
        for row in seen:
            counts.pop(row, None)
        # Most tokens shared first; those tied in counting order (the rarest token's rows first)
        ranked = heapq.nlargest(slots + TIES_RANKED, counts.items(), key=itemgetter(1))
        if len(ranked) > slots:
            last = ranked[slots - 1][1]  # the fewest tokens shared by a row within the cap
            ahead = [row for row, count in ranked if count > last]
            tied = [row for row, count in ranked if count == last]
            return chosen + ahead + self._likest(query, tied, slots - len(ahead), regional)
        return chosen + [row for row, _ in ranked]

    def _likest(
        self, query: NormalizedName, rows: list[int], wanted: int, tokens: set[str]
    ) -> list[int]:
        """The ``wanted`` rows of ``rows`` (all sharing as much with the query, in order) most
        like the query, of the first ``wanted + TIES_RANKED``: named after one of the query's
        divisions first (``tokens``, its ``_regional_tokens``: an exact region, not only the
        bigram it qualifies), then of a core closer in length (with as many bigrams shared, the
        closer Indel ratio), then in order. Cheap where scoring is not: a lookup and a
        subtraction a row."""
        if len(rows) <= wanted:
            return rows
        regional: set[int] = set()
        for token in tokens:
            found = self._postings.get(token)
            if found is not None:
                regional.update(found[:POSTINGS_BUDGET])
        if len(rows) > wanted + TIES_RANKED:  # the query's region's rows are looked at first
            rows = sorted(rows, key=regional.__contains__, reverse=True)
        lengths, length = self._core_lengths, len(query.core)

        def likeness(row: int) -> tuple[bool, int]:
            return row in regional, -abs(lengths[row] - length)

        return sorted(rows[: wanted + TIES_RANKED], key=likeness, reverse=True)[:wanted]


def score_of(name: str, registered: str) -> float:
    """The score a search for ``name`` gives a subject registered as ``registered``, found or
    not: what a subject a department decided on is worth against the name now, when more
    namesakes than a search returns crowd it out."""
    query = normalize_name(name)
    if not query.core:
        return 0.0
    score, _ = score_parts(query, pack(normalize_name(registered)), Inside.of(query))
    return round(score, 1)


# One index per process, built from the database on first use and brought up to date after.
_index: NameIndex | None = None
_lock = threading.Lock()


def load_index() -> NameIndex:
    """Every organisation's name from the database, streamed.

    Natural persons are left out: a person's name is neither unique nor public, and a check on a
    person goes by the citizen ID (R14).
    """
    from django.db.models import Max
    from django.utils import timezone

    from xinyong.subjects.models import Subject, SubjectKind

    started = timezone.now()
    highest = Subject.objects.aggregate(highest=Max("id"))["highest"] or 0
    rows = (
        Subject.objects.exclude(kind=SubjectKind.NATURAL_PERSON)
        .order_by("id")
        .values_list("id", "name")
        .iterator(chunk_size=10_000)
    )
    index = NameIndex.build(rows)
    # Persons after the last organisation are not read again by the first refresh.
    index.max_subject_id = max(index.max_subject_id, highest)
    index.seen_through = started - SETTLE
    return index


def refresh(index: NameIndex) -> int:
    """Bring the index up to date with the subjects table; returns how many subjects changed
    (issue: name checks: a renamed subject is checked by its new name without a restart).

    One query, on two indexed columns, for the rows added or saved since the index last looked:
    an id above any it has read, or a ``Subject.updated_at`` stamp after ``seen_through``. When
    nothing changed, a check pays two index range probes that find nothing (no ORDER BY: with
    one, SQLite scans the table in id order). Each row read is put in place
    (``NameIndex.put``): a renamed subject is found by its new name and no longer by its old
    one; one that became a natural person is no longer searched by name, and one that stopped
    being one is. A row read again unchanged changes nothing; new rows are added in id order.

    What it sees: every save through the model (the admin, services, ``Subject.save`` with or
    without ``update_fields``, which always stamps ``updated_at``) and ``bulk_create`` (which
    stamps it too); rows inserted in SQL (``catalog.bulk``) by their new id.

    What it does not see:

    - ``QuerySet.update``, ``bulk_update`` and SQL ``UPDATE`` of a name or kind, which leave
      ``updated_at`` as it was: such a change must set ``updated_at=timezone.now()`` too, or
      the index keeps the old name until the process restarts;
    - a deleted subject: its row stays in the index until a check or a screening reads it
      back as a candidate, finds it gone and drops it (``forget``); a deleted subject is
      never answered, offered or counted as a match;
    - a save that commits more than ``SETTLE`` after the time it stamped (a long transaction),
      or stamped by a server whose clock is that much behind: each look takes what was stamped
      ``SETTLE`` before it as read, so such a row is missed (a new one is still found by its
      id, unless a higher id was read before it committed, as before this stamp existed).
    """
    from django.db.models import Q
    from django.utils import timezone

    from xinyong.subjects.models import Subject, SubjectKind

    started = timezone.now()
    wanted = Q(id__gt=index.max_subject_id)
    if index.seen_through is not None:
        wanted |= Q(updated_at__gt=index.seen_through)
    rows = Subject.objects.filter(wanted).values_list("id", "kind", "name")
    changed, known, new = 0, index.max_subject_id, []
    for subject_id, kind, name in rows.iterator(chunk_size=10_000):
        searchable = name if kind != SubjectKind.NATURAL_PERSON else None
        if subject_id > known:
            new.append((subject_id, searchable))
        else:
            changed += index.put(subject_id, searchable)
    new.sort(key=lambda row: row[0])  # appended in order, never inserted among the others
    for subject_id, searchable in new:
        changed += index.put(subject_id, searchable)
        index.max_subject_id = max(index.max_subject_id, subject_id)
    settled = started - SETTLE
    if index.seen_through is None or settled > index.seen_through:
        index.seen_through = settled
    return changed


def get_index() -> NameIndex:
    """The process's index, brought up to date with what changed since the last call
    (``refresh``: new subjects and renames, one query)."""
    global _index
    with _lock:
        if _index is None:
            _index = load_index()
        else:
            refresh(_index)
        return _index


def forget(subject_ids: Iterable[int]) -> None:
    """Stop offering subjects found deleted: a check or a screening that reads a candidate back
    from the table and does not find it drops it from this process's index (``refresh``
    cannot see a deletion). Other processes drop it when one of their checks meets it."""
    with _lock:
        if _index is not None:
            for subject_id in subject_ids:
                _index.put(subject_id, None)


def reset_index() -> None:
    """Forget the process's index, e.g. between tests on a fresh database."""
    global _index
    with _lock:
        _index = None
