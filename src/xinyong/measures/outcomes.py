"""What a check's answer says of each measure, read the same way by feedback and statistics.

The answer lists a measure once per entry it follows from (``checks._measure_json``). A report
speaks of each measure once, so the entries are folded per measure code: the measure is
mandatory when any entry's listing says so, in force when any of its entries is not suspended
by an objection (R6: only the measures based on the information under verification are
suspended), and suspended when all of them are. Plain data in, plain data out: the migration
that counted the reports sent before these rows existed reads answers with it too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any


@dataclasses.dataclass(frozen=True, slots=True)
class AnsweredMeasure:
    """One measure of an answer, over every entry it follows from."""

    code: str
    mandatory: bool
    suspended: bool  # every entry it follows from is under verification
    binding: bool  # mandatory and in force through at least one entry
    entry_ids: tuple[int, ...]
    gone: bool = False  # none of its entries is in force any longer (``as_of_now``)


def answered_measures(response: Mapping[str, Any]) -> dict[str, AnsweredMeasure]:
    """The answer's measures by code, in the order the answer first names them."""
    folded: dict[str, list[Mapping[str, Any]]] = {}
    for hit in response.get("measures", []):
        folded.setdefault(hit["code"], []).append(hit)
    answered = {}
    for code, hits in folded.items():
        entry_ids = tuple(dict.fromkeys(h["entry_id"] for h in hits if h.get("entry_id")))
        answered[code] = AnsweredMeasure(
            code=code,
            mandatory=any(h.get("mandatory") for h in hits),
            suspended=all(h.get("suspended") for h in hits),
            binding=any(h.get("mandatory") and not h.get("suspended") for h in hits),
            entry_ids=entry_ids,
        )
    return answered


def as_decided(
    response: Mapping[str, Any],
    stated: Mapping[int, Collection[str]],
    named_now: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The answer less each measure it gave through an entry whose decision states other
    measures: ``stated`` maps an entry to the names its decision states, and an entry missing
    from it (no decision stated any) keeps every measure (R1, R10: none added). An answer given
    before checks read the decisions' measures may hold such a measure; it never followed from
    that entry, so no report applies it through it and no case counts it there (R11).

    A measure renamed since the answer is stated under its new name (``core.measure_renames``):
    ``named_now`` maps the answer's codes to the names the list gives them now, and a measure
    whose code's name is stated stays, for the report to meet as a measure whose code names
    another name since the check (``services._as_answered``: checked again, never dropped as
    one the decision left out)."""
    now = named_now or {}

    def decided(hit: Mapping[str, Any]) -> bool:
        names = stated.get(hit.get("entry_id"))
        return not names or hit.get("name") in names or now.get(hit.get("code", "")) in names

    return {**response, "measures": [hit for hit in response.get("measures", []) if decided(hit)]}


def as_of_now(response: Mapping[str, Any], live: Mapping[int, bool]) -> dict[str, AnsweredMeasure]:
    """The answer's measures as they stand on a day since the check: ``live`` maps each entry
    in force that day to whether an objection suspended it then (``live_on``, or the entries as
    they stand today). A check is not a licence for later businesses: a measure whose entries
    have all ended since is ``gone``, and one whose entries are all under verification that day
    is suspended, whatever the answer said then (R4, R6). Nor does a suspension the answer
    found outlast its objection: once concluded, nothing is verified, the measure is in force
    again and, when mandatory, binds (R6, 002 §二十七; R11)."""
    hits = [
        {**hit, "suspended": live[hit["entry_id"]]}
        for hit in response.get("measures", [])
        if hit.get("entry_id") in live
    ]
    now = answered_measures({"measures": hits})
    for code, then in answered_measures(response).items():
        if code not in now:
            now[code] = dataclasses.replace(
                then, suspended=False, binding=False, entry_ids=(), gone=True
            )
    return now


def live_on(
    response: Mapping[str, Any], changes: Iterable[tuple[int, str, Any, Any]], day: Any,
    opened: Mapping[int, tuple[bool, bool]] | None = None,
) -> dict[int, bool]:  # fmt: skip
    """The answer's entries in force on ``day``, a day since the check, each with whether an
    objection suspended its measures that day: each entry as the answer found it (in force,
    suspended or not, to its end), then the feed's ``changes`` of it up to that day, in order
    (``listings.feed_reads.changes_of_entries``), and its end (R4: in force through its last
    day; R6). What ``as_of_now`` reads for a measure reported applied on that day (R11).

    Two objections may be open at once on an entry that reaches the subject checked through a
    naming: the entry's own (``suspended``, ``resumed``) and that person's to being named
    (``naming_suspended``, ``naming_resumed``). Each is kept apart, and the measures are
    suspended while either is verified (R6, 004 §二(三)6): the conclusion of one resumes
    nothing while the other is open. The answer says only that an entry was suspended, not by
    which: ``opened`` tells, for an entry reached through a naming, which of the two were open
    when the check was answered (``open_at_check``), so that the conclusion of those alone
    resumes it. Where it does not tell (no history of the suspension the answer found), the
    entry counts as suspended by both, and only a conclusion of each resumes it."""
    opened = opened or {}
    state: dict[int, _Live] = {}
    for entry in response.get("entries", []):
        if entry.get("entry_id") is not None:
            until = entry.get("valid_until")
            own, naming = _suspended_by(entry, opened)
            state[entry["entry_id"]] = _Live(
                in_force=True, own=own, naming=naming,
                until=dt.date.fromisoformat(until) if until else None,
            )  # fmt: skip
    for entry_id, kind, _on, valid_until in changes:
        now = state.get(entry_id)
        if now is None:
            continue
        if kind == "took_effect":
            state[entry_id] = _Live(in_force=True, until=valid_until)
        elif kind in ("extended", "shortened"):
            now.until = valid_until
        elif kind in ("suspended", "resumed"):
            now.own = kind == "suspended"
        elif kind in ("naming_suspended", "naming_resumed"):
            now.naming = kind == "naming_suspended"
        elif kind == "ended":
            now.in_force = False
    return {
        entry_id: live.own or live.naming
        for entry_id, live in state.items()
        if live.in_force and (live.until is None or live.until >= day)
    }


def _suspended_by(
    entry: Mapping[str, Any], opened: Mapping[int, tuple[bool, bool]]
) -> tuple[bool, bool]:
    """Which objections held an entry of the answer suspended when the check was answered: the
    entry's own, the checked person's to being named. An entry reaching its own subject is
    suspended by its own objection alone; one reached through a naming by those ``opened``
    tells, or by both where it tells none (R6)."""
    if not entry.get("suspended"):
        return False, False
    if not entry.get("via"):
        return True, False
    own, naming = opened.get(entry["entry_id"], (False, False))
    return (own, naming) if own or naming else (True, True)


def open_at_check(before: Iterable[tuple[int, str, Any, Any]]) -> dict[int, tuple[bool, bool]]:
    """Which objections were being verified on each entry when a check was answered: (its own,
    the checked person's to being named), from the feed's ``changes`` of the entries recorded
    up to the check, in order (``listings.feed_reads.changes_of_entries``). An entry that took
    effect again starts with none; an objection that suspends nothing is no change (R6)."""
    state: dict[int, tuple[bool, bool]] = {}
    for entry_id, kind, _on, _until in before:
        own, naming = state.get(entry_id, (False, False))
        if kind == "took_effect":
            own, naming = False, False
        elif kind in ("suspended", "resumed"):
            own = kind == "suspended"
        elif kind in ("naming_suspended", "naming_resumed"):
            naming = kind == "naming_suspended"
        state[entry_id] = (own, naming)
    return state


@dataclasses.dataclass(slots=True)
class _Live:
    """An entry as ``live_on`` follows it: in force, suspended by its own objection (``own``),
    suspended by the checked person's objection to being named (``naming``), its last day."""

    in_force: bool
    own: bool = False
    naming: bool = False
    until: dt.date | None = None


# What an outcome keeps of the measure as the check answered it (``MeasureOutcome.measure_*``).
AS_ANSWERED = ("name", "type", "legal_basis")


def measure_as_answered(
    response: Mapping[str, Any], code: str, current: Mapping[str, str]
) -> dict[str, str]:
    """The measure ``code`` as the answer gave it: its name, type and legal basis, what the
    department applied and reports on (R10, R11). The list may have changed since (a reload
    that shifts 序号 gives the code to another measure), so the answer wins over the measure
    as it stands (``current``), which fills only what an answer did not say: an answer that
    does not name the measure at all is read wholly from ``current``."""
    for hit in response.get("measures", []):
        if hit.get("code") == code and hit.get("name"):
            return {field: hit.get(field) or current[field] for field in AS_ANSWERED}
    return {field: current[field] for field in AS_ANSWERED}


def first_day_not_carried(
    response: Mapping[str, Any], changes: Sequence[tuple[int, str, Any, Any]],
    entry_ids: Iterable[int], since: dt.date, through: dt.date,
    opened: Mapping[int, tuple[bool, bool]] | None = None,
) -> dt.date | None:  # fmt: skip
    """The first day from ``since`` through ``through`` (days since the check) on which none of
    ``entry_ids``, the entries a measure follows from, was in force and free of an objection,
    as the answer, the objections ``opened`` at the check and the feed's ``changes`` up to
    ``through`` tell (``live_on``); None when one carried the measure every day. A measure
    stops when its entries end (R4) and while an objection is verified (R6, 002 §二十七), so a
    period reported for it must lie where they carried it. Their state moves only on a change's
    day or the day after a validity's end: those days are the only ones looked at."""
    ids = set(entry_ids)
    days = {since}
    ends = [entry.get("valid_until") for entry in response.get("entries", [])]
    ends += [until for *_change, until in changes]
    for until in ends:
        if until:
            after = until if isinstance(until, dt.date) else dt.date.fromisoformat(until)
            days.add(after + dt.timedelta(days=1))
    days.update(on for _id, _kind, on, _until in changes)
    for day in sorted(d for d in days if since <= d <= through):
        live = live_on(response, [c for c in changes if c[2] <= day], day, opened)
        if not any(entry_id in live and not live[entry_id] for entry_id in ids):
            return day
    return None


def same_report(
    stored: Iterable[Mapping[str, Any]], sent: Iterable[Mapping[str, Any]],
    stored_start: str | None = None,
) -> bool:  # fmt: skip
    """Whether two lists of reported measures say the same, whatever their order. A measure
    sent with no ``start`` leaves it to the day the report is judged on, as a retry that
    leaves out ``applied_on`` does: any start stored for it is the same. ``stored_start``: the
    start of a stored applied measure that kept none (reported before measures had one)."""

    def key(item: Mapping[str, Any], start: str | None) -> tuple[str, bool, str, Any, Any]:
        applied = bool(item["applied"])
        return (item["measure"], applied, item.get("reason", ""),
                start if applied else None, item.get("end"))  # fmt: skip

    kept = {m["measure"]: m for m in stored}
    told = list(sent)
    if sorted(kept) != sorted(m["measure"] for m in told) or len(told) != len(kept):
        return False
    for item in told:
        earlier = kept[item["measure"]]
        start = earlier.get("start") or stored_start
        if key(earlier, start) != key(item, item.get("start") or start):
            return False
    return True
