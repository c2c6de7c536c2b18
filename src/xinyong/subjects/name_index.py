"""An in-memory candidate index for name checks (issue: name checks).

Blocking, then scoring: a search never compares the query with every name. It looks up the
normalised key first, then picks at most ``max_scored`` rows that share the rarest character
bigrams of the query's core (and a region-qualified first bigram, so that a trade name common
across China still finds its own city's company first). Only those rows are scored, with
rapidfuzz's Indel ratio on the cores and explicit penalties for region, legal form and branch.

Why the Indel ratio (``fuzz.ratio``): Chinese names have no spaces, so the token scorers see one
token; ``partial_ratio`` and ``WRatio`` rate 恒泰 inside 恒泰网络科技 as a near-perfect match, which
is how different companies get confused. The plain ratio over characters penalises every
character added, dropped or changed, which is what distinguishes one company from another.
"""

from __future__ import annotations

import threading
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from xinyong.core.names import (
    FULL_WIDTH,
    SPACES_OR_PUNCTUATION,
    TRADITIONAL,
    NormalizedName,
    legal_forms_compatible,
    normalize_name,
    region_relation,
)

# At or above this score the top candidate is taken to be the same subject (see the benchmark's
# precision and recall on tests/data/name_variants.csv); below it a person decides.
SAME_SUBJECT_THRESHOLD = 95.0
# Postings counted per search at most: bounds the work of a query made of common bigrams.
POSTINGS_BUDGET = 4_000

REGION_PENALTY = {"same": 0.0, "nested": 3.0, "one-sided": 8.0, "different": 20.0}
COMPATIBLE_FORM_PENALTY = 4.0
DIFFERENT_FORM_PENALTY = 20.0
BRANCH_PENALTY = 30.0

_SEP = "\x1f"


@dataclass(frozen=True, slots=True)
class Candidate:
    subject_id: int
    name: str
    score: float  # 0–100
    reasons: tuple[str, ...]


def core_similarity(a: str, b: str) -> float:
    """Indel ratio of two cores, 0–100: every character added, dropped or changed counts."""
    return fuzz.ratio(a, b)


def _pack(name: NormalizedName) -> str:
    return _SEP.join((name.region, name.core, name.legal_form, name.branch))


def _tokens(name: NormalizedName) -> set[str]:
    core = name.core
    tokens = {core[i : i + 2] for i in range(len(core) - 1)} if len(core) > 1 else {core}
    tokens.discard("")
    if name.region and core:
        tokens.add(name.region + _SEP + core[:2])
    return tokens


class NameIndex:
    """Names of subjects, searchable by variant spellings; appends only."""

    def __init__(self) -> None:
        self._subject_ids = array("q")
        self._names: list[str] = []
        self._parts: list[str] = []  # region, core, legal form, branch joined by _SEP
        self._by_key: dict[str, int | list[int]] = {}  # the same string objects as _parts
        self._postings: dict[str, array[int]] = {}
        self.max_subject_id = 0
        self.last_scored = 0  # how many rows the latest search scored (never above max_scored)

    @classmethod
    def build(cls, rows: Iterable[tuple[int, str]]) -> NameIndex:
        index = cls()
        for subject_id, name in rows:
            index.add(subject_id, name)
        return index

    def __len__(self) -> int:
        return len(self._names)

    def add(self, subject_id: int, name: str) -> None:
        normalized = normalize_name(name)
        row = len(self._names)
        parts = _pack(normalized)
        self._subject_ids.append(subject_id)
        self._names.append(name)
        self._parts.append(parts)
        same_key = self._by_key.get(parts)
        if same_key is None:
            self._by_key[parts] = row
        elif isinstance(same_key, int):
            self._by_key[parts] = [same_key, row]
        else:
            same_key.append(row)
        postings = self._postings
        for token in _tokens(normalized):
            rows = postings.get(token)
            if rows is None:
                postings[token] = rows = array("I")
            rows.append(row)
        self.max_subject_id = max(self.max_subject_id, subject_id)

    def search(self, name: str, limit: int = 10, max_scored: int = 50) -> list[Candidate]:
        """The best ``limit`` candidates for ``name``, best first, with reasons in words."""
        if max_scored < 1:
            raise ValueError("max_scored must be at least 1")
        query = normalize_name(name)
        rows = self._block(query, max_scored) if query.core else []
        self.last_scored = len(rows)
        scored = []
        for position, row in enumerate(rows):
            region, core, legal_form, branch = self._parts[row].split(_SEP)
            similarity = core_similarity(query.core, core)
            penalty = REGION_PENALTY[region_relation(query.region, region)]
            if legal_form != query.legal_form:
                compatible = legal_forms_compatible(query.legal_form, legal_form)
                penalty += COMPATIBLE_FORM_PENALTY if compatible else DIFFERENT_FORM_PENALTY
            if branch != query.branch:
                penalty += BRANCH_PENALTY
            scored.append((max(0.0, similarity - penalty), similarity, -position, row))
        scored.sort(reverse=True)
        return [
            Candidate(
                subject_id=self._subject_ids[row],
                name=self._names[row],
                score=round(score, 1),
                reasons=explain(query, normalize_name(self._names[row])),
            )
            for score, _, _, row in scored[:limit]
        ]

    def _block(self, query: NormalizedName, max_scored: int) -> list[int]:
        """At most ``max_scored`` rows: same key first, then most rare bigrams shared."""
        chosen: list[int] = []
        same_key = self._by_key.get(_pack(query))
        if same_key is not None:
            chosen = [same_key] if isinstance(same_key, int) else same_key[:max_scored]
        lists = sorted(
            (rows for token in _tokens(query) if (rows := self._postings.get(token))), key=len
        )
        counts: Counter[int] = Counter()
        counted = 0
        for rows in lists:
            if counted and counted + len(rows) > POSTINGS_BUDGET:
                break  # the rest are commoner still: 科技, 贸易
            counts.update(rows[:POSTINGS_BUDGET])
            counted += len(rows)
        seen = set(chosen)
        for row, _ in counts.most_common(max_scored + len(chosen)):
            if len(chosen) >= max_scored:
                break
            if row not in seen:
                chosen.append(row)
        return chosen


# What normalisation had to undo (core.names keeps them as codes), as the reasons word it.
CHANGE_WORDS = {
    FULL_WIDTH: "已转换全角字符",
    SPACES_OR_PUNCTUATION: "已去除空格或标点",
    TRADITIONAL: "已转换繁体字",
}


def explain(query: NormalizedName, found: NormalizedName) -> tuple[str, ...]:
    """Why a candidate matched, in words a reviewer understands.

    The reviewers are the departments' officers: the reasons are Chinese, and each one names
    what it compares as the query wrote it, then as the candidate does (查询/候选).
    """
    reasons: list[str] = []
    if query.key == found.key:
        reasons.append("规范化后完全一致")
    else:
        similarity = core_similarity(query.core, found.core)
        if similarity < 100:
            reasons.append(f"相似度{similarity:.0f}（{query.core}/{found.core}）")
    if query.legal_form == found.legal_form:
        if query.legal_form_written != found.legal_form_written:
            same_core = "名称主干相同，" if query.core == found.core else ""
            forms = "/".join(sorted({query.legal_form_written, found.legal_form_written}))
            reasons.append(f"{same_core}组织形式写法不同（{forms}）")
    elif legal_forms_compatible(query.legal_form, found.legal_form):
        reasons.append(f"组织形式可能一致（{query.legal_form or '—'}/{found.legal_form or '—'}）")
    else:
        reasons.append(f"组织形式不同（{query.legal_form}/{found.legal_form}）")
    relation = region_relation(query.region, found.region)
    if relation == "same" and query.region_placement != found.region_placement:
        reasons.append(f"地区写法不同（{query.region}）")
    elif relation == "nested":
        reasons.append(f"地区详略不同（{query.region}/{found.region}）")
    elif relation == "one-sided":
        reasons.append(f"仅一方名称含地区（{query.region or found.region}）")
    elif relation == "different":
        reasons.append(f"地区不同（{query.region}/{found.region}）")
    if query.branch != found.branch:
        if query.branch and found.branch:
            reasons.append(f"分支机构不同（{query.branch}/{found.branch}）")
        else:
            reasons.append(f"分支机构与总机构（{query.branch or found.branch}）")
    for change in dict.fromkeys(query.changes + found.changes):
        reasons.append(CHANGE_WORDS.get(change, change))
    return tuple(reasons)


# One index per process, built from the database on first use and topped up after.
_index: NameIndex | None = None
_lock = threading.Lock()


def load_index() -> NameIndex:
    """Every organisation's name from the database, streamed.

    Natural persons are left out: a person's name is neither unique nor public, and a check on a
    person goes by the citizen ID (R14).
    """
    from xinyong.subjects.models import Subject, SubjectKind

    rows = (
        Subject.objects.exclude(kind=SubjectKind.NATURAL_PERSON)
        .order_by("id")
        .values_list("id", "name")
        .iterator(chunk_size=10_000)
    )
    return NameIndex.build(rows)


def refresh(index: NameIndex) -> int:
    """Add the subjects created since the index was built (by id); returns how many."""
    from xinyong.subjects.models import Subject, SubjectKind

    added = 0
    rows = (
        Subject.objects.filter(id__gt=index.max_subject_id)
        .exclude(kind=SubjectKind.NATURAL_PERSON)
        .order_by("id")
        .values_list("id", "name")
        .iterator(chunk_size=10_000)
    )
    for subject_id, name in rows:
        index.add(subject_id, name)
        added += 1
    return added


def get_index() -> NameIndex:
    """The process's index, with subjects added since the last call; renames are not seen."""
    global _index
    with _lock:
        if _index is None:
            _index = load_index()
        else:
            refresh(_index)
        return _index


def reset_index() -> None:
    """Forget the process's index, e.g. between tests on a fresh database."""
    global _index
    with _lock:
        _index = None
