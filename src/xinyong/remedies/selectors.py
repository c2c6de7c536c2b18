"""What a subject sees of objections to its own entries, and a person of those it sent to an
organisation's entry naming it (R6): whether one is under verification and until when, the
result it was told with its remedies, and its own evidence. One the department registered for
the subject or the person (received on paper or at the counter) is shown to it as one it sent
online is, without evidence files, which stay on paper.

Each reads only what it sent (R14): the organisation sees that a person its entry names objected,
masked, and when it was decided, but not the person's grounds, files or the letter sent to it;
where that objection proved the listing wrong, the organisation reads the correction and apology
addressed to it (000 §十一.3). The person sees only its own objections, and that another is
being verified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.masking import mask_name
from xinyong.listings import workflow
from xinyong.listings.models import ListEntry, ListEntryEvent, ListEntryPerson
from xinyong.listings.workflow import Action
from xinyong.remedies.models import (
    ObjectionEvidence,
    ObjectorKind,
    OnlineObjection,
    RegisteredObjection,
)


@dataclass
class Objection:
    received_on: dt.date
    grounds: str
    online: bool
    evidence: list[ObjectionEvidence] = field(default_factory=list)
    due_on: dt.date | None = None  # while under verification
    due_provisional: bool = False
    decided_on: dt.date | None = None
    result: str = ""  # the text the objector was sent, with its remedies
    # The subject's own letter when a person the entry names objected and the listing proved
    # wrong: the correction and apology are owed to the subject listed (000 §十一.3).
    result_to_subject: str = ""
    # The person the entry names who objected, online or registered by the department.
    sent_by: Any = None
    # A person's objection as the entry's subject sees it: who (masked) and its dates only.
    withheld_from: str = ""
    # Another party's, registered by the department: the subject sees that one was made and
    # when it was decided, never who made it or why (R14).
    by_other_party: bool = False

    @property
    def open(self) -> bool:
        return self.due_on is not None


@dataclass
class EntryObjections:
    entry: ListEntry
    may_object: bool
    objections: list[Objection]

    @property
    def open_elsewhere(self) -> bool:
        """An objection the reader cannot see is being verified: the reader waits for it."""
        return self.entry.verification_due_on is not None and not any(
            objection.open for objection in self.objections
        )


def may_object(entry: ListEntry, today: dt.date) -> bool:
    """Whether the workflow takes an objection to the entry now, and none is being verified."""
    if entry.verification_due_on is not None:
        return False
    context = workflow.Context.of(entry, today=today, actor_can_sign=False)
    return Action.OBJECT in workflow.possible_actions(entry.state, context)


def _history(
    entry: ListEntry, events: list[ListEntryEvent], online: dict, registered: dict
) -> list[Objection]:
    objections: list[Objection] = []
    for event in events:
        if event.action == Action.OBJECT:
            sent = online.get(event.pk)
            who = sent or registered.get(event.pk)
            objections.append(
                Objection(
                    received_on=event.received_on,
                    grounds=event.reason,
                    online=sent is not None,
                    evidence=list(sent.evidence.all()) if sent is not None else [],
                    sent_by=who.person if who is not None else None,
                    by_other_party=getattr(who, "objector_kind", "") == ObjectorKind.OTHER,
                )
            )
        elif objections and objections[-1].decided_on is None and "objection_result" in event.data:
            objections[-1].decided_on = event.business_date
            objections[-1].result = event.data["objection_result"]
            objections[-1].result_to_subject = event.data.get("result_to_subject", "")
    if objections and objections[-1].decided_on is None and entry.verification_due_on:
        objections[-1].due_on = entry.verification_due_on
        objections[-1].due_provisional = entry.verification_due_provisional
    return objections


def _objections(entries: Any) -> list[EntryObjections]:
    """For each entry: may one object now, and its objections, newest first, each with its
    deadline or the result its objector was told (R6, 000 §十一.3)."""
    entries = list(entries)
    today = clock.today()
    events: dict[int, list[ListEntryEvent]] = {entry.pk: [] for entry in entries}
    for event in ListEntryEvent.objects.filter(entry__in=entries).order_by("id"):
        events[event.entry_id].append(event)
    online = {
        sent.event_id: sent
        for sent in OnlineObjection.objects.filter(entry__in=entries)
        .select_related("person")
        .prefetch_related("evidence")
    }
    registered = {
        row.event_id: row
        for row in RegisteredObjection.objects.filter(entry__in=entries).select_related("person")
    }
    return [
        EntryObjections(
            entry=entry,
            may_object=may_object(entry, today),
            objections=list(reversed(_history(entry, events[entry.pk], online, registered))),
        )
        for entry in entries
    ]


def objections_of(entries: Any) -> list[EntryObjections]:
    """The objections to the subject's own entries. One a person the entry names sent is the
    person's: the subject is shown who, masked, and its dates, not its grounds, files or the
    letter the person was sent (R14); where it proved the listing wrong, the subject reads the
    correction and apology addressed to it instead (000 §十一.3). One another party made is
    shown the same way, without even a masked name."""
    rows = _objections(entries)
    for row in rows:
        for objection in row.objections:
            if objection.sent_by is not None or objection.by_other_party:
                if objection.sent_by is not None:
                    objection.withheld_from = mask_name(objection.sent_by.name)
                objection.grounds, objection.evidence = "", []
                objection.result = objection.result_to_subject
    return rows


def corrections_of(entries: Any) -> list[tuple[ListEntry, str]]:
    """The subject's entries found wrong with no objection to answer, each with the correction
    and apology written to the subject (R6, 000 §十一.3): those the department ended as
    corrected, and those corrected after an exit that stands (a big-data warning that a
    key-attention listing found wrong since had put on the list, R3). One found wrong on an
    objection is answered with that objection instead (``objections_of``); a lifted ruling that
    an entry is not repairable, which leaves the entry in force, is not here
    (``rulings_lifted_of``)."""
    by_pk = {entry.pk: entry for entry in entries}
    corrected = [pk for pk, entry in by_pk.items() if entry.exit_reason == "corrected"]
    return _letters_to_subject(
        by_pk, Q(entry_id__in=corrected, action=Action.EXIT) | Q(action=Action.CORRECT)
    )


def rulings_lifted_of(entries: Any) -> list[tuple[ListEntry, str]]:
    """The subject's entries whose ruling that they are not repairable was found wrong and
    lifted, each with the correction and apology written to the subject (R8, R10, 000 §十一.3).
    Only the ruling was wrong: the entry stays in force and now takes repair."""
    by_pk = {entry.pk: entry for entry in entries}
    return _letters_to_subject(by_pk, Q(action=Action.LIFT_NOT_REPAIRABLE))


def _letters_to_subject(by_pk: dict[int, ListEntry], steps: Q) -> list[tuple[ListEntry, str]]:
    """The letters to the subject the ``steps`` of its entries wrote, newest first, but those
    answering an objection (``objections_of``)."""
    letters = (
        ListEntryEvent.objects.filter(data__has_key="result_to_subject", entry_id__in=list(by_pk))
        .filter(steps)
        .exclude(data__has_key="objection_result")
    )
    return [(by_pk[e.entry_id], e.data["result_to_subject"]) for e in letters.order_by("-id")]


def objections_naming(entries: Any, person: Any) -> list[EntryObjections]:
    """The objections the person sent to organisations' entries naming it (R6, 004 §二(三)6);
    another's, the organisation's own or a colleague's, is not shown: ``open_elsewhere`` says
    one is being verified. An entry whose naming of the person was removed on its objection
    (``unname``, 000 §十一.3) is still here with the answer, but takes no objection from the
    person any more: it no longer names it."""
    rows = _objections(entries)
    naming = set(
        ListEntryPerson.objects.filter(entry__in=[row.entry for row in rows], person=person)
        .values_list("entry_id", flat=True)
    )  # fmt: skip
    for row in rows:
        row.may_object = row.may_object and row.entry.pk in naming
        row.objections = [
            objection
            for objection in row.objections
            if objection.sent_by is not None and objection.sent_by.pk == person.pk
        ]
        for objection in row.objections:
            objection.result_to_subject = ""  # the organisation's letter, not the person's
    return rows


def own_evidence(subject: Any, evidence_id: int) -> ObjectionEvidence:
    """An evidence file the subject sent: against one of its own entries, or as a person an
    organisation's entry names; any other, a named person's to the subject's entry too, is not
    found (R14)."""
    found = (
        ObjectionEvidence.objects.filter(
            Q(objection__entry__subject=subject, objection__person=None)
            | Q(objection__person=subject),
            pk=evidence_id,
        )
        .select_related("objection")
        .first()
    )
    if found is None:
        raise XinyongError("evidence-not-found", "证据材料不存在", status=404)
    return found
