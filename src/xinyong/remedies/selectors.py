"""What a subject sees of objections to its own entries (R6): whether one is under
verification and until when, the result it was told with its remedies, and its own evidence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import workflow
from xinyong.listings.models import ListEntry, ListEntryEvent
from xinyong.listings.workflow import Action
from xinyong.remedies.models import ObjectionEvidence, OnlineObjection


@dataclass
class Objection:
    received_on: dt.date
    grounds: str
    online: bool
    evidence: list[ObjectionEvidence] = field(default_factory=list)
    due_on: dt.date | None = None  # while under verification
    due_provisional: bool = False
    decided_on: dt.date | None = None
    result: str = ""  # the text the subject was sent, with its remedies

    @property
    def open(self) -> bool:
        return self.due_on is not None


@dataclass
class EntryObjections:
    entry: ListEntry
    may_object: bool
    objections: list[Objection]


def may_object(entry: ListEntry, today: dt.date) -> bool:
    """Whether the workflow takes an objection to the entry now, and none is being verified."""
    if entry.verification_due_on is not None:
        return False
    context = workflow.Context.of(entry, today=today, actor_can_sign=False)
    return Action.OBJECT in workflow.possible_actions(entry.state, context)


def _history(entry: ListEntry, events: list[ListEntryEvent], online: dict) -> list[Objection]:
    objections: list[Objection] = []
    for event in events:
        if event.action == Action.OBJECT:
            sent = online.get(event.pk)
            objections.append(
                Objection(
                    received_on=event.business_date,
                    grounds=event.reason,
                    online=sent is not None,
                    evidence=list(sent.evidence.all()) if sent is not None else [],
                )
            )
        elif objections and objections[-1].decided_on is None and "objection_result" in event.data:
            objections[-1].decided_on = event.business_date
            objections[-1].result = event.data["objection_result"]
    if objections and objections[-1].decided_on is None and entry.verification_due_on:
        objections[-1].due_on = entry.verification_due_on
        objections[-1].due_provisional = entry.verification_due_provisional
    return objections


def objections_of(entries: Any) -> list[EntryObjections]:
    """For each of the subject's own entries: may it object now, and its objections, newest
    first, each with its deadline or the result it was told (R6, 000 §十一.3)."""
    entries = list(entries)
    today = clock.today()
    events: dict[int, list[ListEntryEvent]] = {entry.pk: [] for entry in entries}
    for event in ListEntryEvent.objects.filter(entry__in=entries).order_by("id"):
        events[event.entry_id].append(event)
    online = {
        sent.event_id: sent
        for sent in OnlineObjection.objects.filter(entry__in=entries).prefetch_related("evidence")
    }
    return [
        EntryObjections(
            entry=entry,
            may_object=may_object(entry, today),
            objections=list(reversed(_history(entry, events[entry.pk], online))),
        )
        for entry in entries
    ]


def own_evidence(subject: Any, evidence_id: int) -> ObjectionEvidence:
    """An evidence file sent against one of the subject's own entries; any other is not found."""
    found = (
        ObjectionEvidence.objects.filter(pk=evidence_id, objection__entry__subject=subject)
        .select_related("objection")
        .first()
    )
    if found is None:
        raise XinyongError("evidence-not-found", "证据材料不存在", status=404)
    return found
