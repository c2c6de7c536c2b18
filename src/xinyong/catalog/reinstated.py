"""The daily job resumes a reinstated red entry's decision records left stopped by the exit it
undid (R2, R4, R6; 000 §十一.3).

A red entry ended by a black listing that is then found wrong is reinstated, and what its exit
stopped is undone at once (``listing_records.resume_records``). On PostgreSQL, an import's
chunk storing the entry's decision (or another department's copy of it) while the correction
commits can miss it: the chunk reads the entry as still exited and stores the record stopped
from the exit day (``listing_records.stop_arrivals``), while the reinstatement, not seeing the
chunk's records yet, resumes nothing. Locking the entries in the chunk would close that gap
only at the price the module ``listing_records`` describes; the daily job closes it instead,
as it does for a stop missed (``stop_missed``).

It is safe because the stop it undoes can be told apart from every other: the entry is in
force now and its history names the exit each of its reinstatements undid (``exit_undone``),
so a stop dated the first of those days or later on a record of its decision is an exit's.
Every exit of an entry in force again was undone, the last one and any before it: an entry
ended, reinstated, ended and reinstated again may hold a record stopped from its first exit
day (stored so as the first correction committed, and kept so by the second exit, which keeps
a stop already made), which only the first undone exit tells apart. Nothing else stops
such a record on or after that day: a record revoked on an objection is no longer the
decision's (R6) and is not touched; a listing's decision is repaired through its entry, not as
a record (R8), and a red entry is not repaired; the credit office's admin does not edit
records. What remains are the record's own window (its end stops it the day after, R8, which
the resumption keeps: ``resume_stops``) and another entry under the same decision that has
ended, whose exit rightly keeps the record stopped (``stop_missed`` would stop it again): the
decisions of such entries are left alone. A stop from before the undone exit keeps its day.

The records resumed are public and shared again from the job's day; the run's audit row
(``catalog.tick``) names each with its entry, the exit undone and the stops it had, so the
days it was not public stay on the record of what happened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef

from xinyong.catalog import listing_records


def resume_reinstated(day: dt.date) -> dict[str, dict[str, Any]]:
    """Resume, as of ``day``, the decision records of reinstated red entries in force that are
    still stopped by the exit undone (see the module). Answers record id → its entry, the exit
    undone and the stops it had. Reads the few reinstatements through their own index; only
    an entry with a stopped record under its decision's number is locked and resumed, in the
    order of the entries, each entry before its records as every step takes them."""
    from xinyong.catalog.models import CreditRecord
    from xinyong.listings.models import ListEntry, ListEntryEvent
    from xinyong.listings.selectors import in_force
    from xinyong.listings.workflow import Action

    ended_under_it = ListEntry.objects.filter(
        list__recognizing_department_id=OuterRef("list__recognizing_department_id"),
        decision_number_key=OuterRef("decision_number_key"),
        subject_id=OuterRef("subject_id"), exited_on__isnull=False, exited_on__lte=day,
    )  # fmt: skip
    stopped = CreditRecord.objects.filter(
        subject_id=OuterRef("subject_id"), document_number=OuterRef("decision_number_key"),
        revoked_on__isnull=True,
    ).exclude(publication_ended_on__isnull=True, sharing_stopped_on__isnull=True)  # fmt: skip
    reinstated = ListEntryEvent.objects.filter(action=Action.REINSTATE).values("entry_id")
    candidates = (
        ListEntry.objects.filter(in_force(day), pk__in=reinstated)
        .exclude(decision_number_key="")
        .filter(Exists(stopped))
        .exclude(Exists(ended_under_it))
    )
    resumed: dict[str, dict[str, Any]] = {}
    for entry_id in candidates.order_by("pk").values_list("pk", flat=True):
        entry = candidates.select_for_update(of=("self",)).filter(pk=entry_id).first()
        if entry is None:  # ended or changed since the read: its own step has dealt with it
            continue
        undone = exits_undone(entry)
        if not undone:
            continue
        decision = listing_records.Decision(
            entry.list.recognizing_department_id, entry.decision_number_key,
            entry.subject_id, min(undone),
        )  # fmt: skip
        what = {"entry": entry.pk, "exit_undone": undone[-1].isoformat()}
        if len(undone) > 1:
            what["earlier_exits_undone"] = [d.isoformat() for d in undone[:-1]]
        for record_id, stops in listing_records.resume_stops(decision, day).items():
            resumed[str(record_id)] = {**what, **stops}
    return resumed


def exits_undone(entry: Any) -> list[dt.date]:
    """The days of the exits ``entry``'s reinstatements undid, from its history, the last
    reinstatement's last (R6)."""
    from xinyong.listings.workflow import Action

    days = entry.events.filter(action=Action.REINSTATE).order_by("id")
    found = (data.get("exit_undone") for data in days.values_list("data", flat=True))
    return [dt.date.fromisoformat(day) for day in found if day]
