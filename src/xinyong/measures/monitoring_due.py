"""A key monitoring a check answered before the daily job recorded it, as feedback judges it
(R3, 002 §二十一; R4, R11).

A black-list entry ends by expiry the day after its last day, and its key monitoring starts that
day, whenever the job runs; a check in between answers that monitoring as the job will record it,
with no entry behind it (``expiry_monitoring.with_monitoring_due``: ``entry_id`` null). A report of
a measure that follows from it is judged by the monitoring entry the job records for it, resting on
the black entry it follows from (``ListEntry.origin``; ``escalation.resting_on``), once the job has
run: its history from the check on, as for any entry. Before the job has run, the black entry's
expiry makes it due: it is in force through the last day the answer gave it, under a stand-in key
(the black entry's id, negated: never a stored entry's), unless the black entry left the list
otherwise since (found wrong: no monitoring follows). Reads only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from xinyong.listings import escalation
from xinyong.listings.models import EntryState, ExitReason, ListDefinition, ListEntry, ListKind
from xinyong.measures.models import Check

ONE_DAY = dt.timedelta(days=1)


def bound(made: Check) -> tuple[dict[str, Any], dict[int, dt.date | None]]:
    """``made``'s answer with each key monitoring it gave without an entry bound to the entry
    the job recorded for it, or, still due, to a stand-in key; and the stand-in keys, each with
    the last day the answer gave it. One the job will never record (its black entry was found
    wrong) is left unbound: its measures are gone (R4)."""
    response = made.response
    due = [
        entry for entry in response.get("entries", [])
        if entry.get("entry_id") is None and entry.get("list_kind") == ListKind.KEY_MONITORING
        and "via" not in entry
    ]  # fmt: skip
    if not due or made.subject_id is None:
        return response, {}
    origins = _origins(made)
    keys: dict[int, int] = {}  # index of the answer's entry → its key
    pending: dict[int, dt.date | None] = {}
    for entry in due:
        behind = [black for black, target in origins if target.name == entry["list_name"]]
        if not behind:
            continue
        key = _recorded(made, behind)
        if key is None and any(black.state == EntryState.EFFECTIVE for black in behind):
            key = -min(black.pk for black in behind)
            until = entry.get("valid_until")
            pending[key] = dt.date.fromisoformat(until) if until else None
        if key is not None:
            keys[id(entry)] = key
    if not keys:
        return response, {}
    entries = [
        {**entry, "entry_id": keys[id(entry)]} if id(entry) in keys else entry
        for entry in response.get("entries", [])
    ]
    # A measure names no entry it follows from: it followed from one of the monitoring
    # entries the answer gave without an id (the only ones a check gives so).
    measures = []
    for hit in response.get("measures", []):
        if hit.get("entry_id") is None:
            measures += [{**hit, "entry_id": key} for key in dict.fromkeys(keys.values())]
        else:
            measures.append(hit)
    return {**response, "entries": entries, "measures": measures}, pending


def _origins(made: Check) -> list[tuple[ListEntry, ListDefinition]]:
    """The subject's black-list entries whose expiry, on or before the check's day, started a
    key monitoring in force that day, each with the list it monitors on (as the job and the
    check choose it: ``escalation.monitoring_entry``). Still effective (the job has not run),
    or ended by expiry."""
    blacks = (
        ListEntry.objects.filter(
            subject_id=made.subject_id, list__kind=ListKind.BLACK, valid_until__lt=made.as_of
        )
        .filter(Q(state=EntryState.EFFECTIVE)
                | Q(state=EntryState.EXITED, exit_reason=ExitReason.EXPIRED))
        .select_related("list")
    )  # fmt: skip
    blacks = list(blacks)
    if not blacks:
        return []
    targets = escalation.monitoring_targets()
    found = []
    for black in blacks:
        start = black.valid_until + ONE_DAY
        monitoring = escalation.monitoring_entry(black, start, targets)
        if monitoring is not None and (
            monitoring.valid_until is None or monitoring.valid_until >= made.as_of
        ):
            found.append((black, monitoring.list))
    return found


def _recorded(made: Check, origins: list[ListEntry]) -> int | None:
    """The monitoring entry the job recorded for these exits, if it has run: the first resting
    on them, on the subject."""
    resting = escalation.resting_on(origins).filter(subject_id=made.subject_id)
    return resting.order_by("pk").values_list("pk", flat=True).first()


def live_today(pending: Mapping[int, dt.date | None], today: dt.date) -> dict[int, bool]:
    """The stand-in keys in force ``today``, through the last day the answer gave them, under
    no objection (none can be lodged against an entry not yet recorded)."""
    return {key: False for key, until in pending.items() if until is None or until >= today}
