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

from django.db.models import Q, prefetch_related_objects

from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.masking import mask_name
from xinyong.listings import workflow
from xinyong.listings.models import EntryState, ListEntry, ListEntryEvent, ListEntryPerson
from xinyong.listings.objection_letters import is_naming_objection
from xinyong.listings.workflow import Action
from xinyong.remedies.models import (
    ObjectionEvidence,
    ObjectorKind,
    OnlineObjection,
    RegisteredObjection,
)

# Where a person's objection to being named is the naming's (``services.record_objection``).
NAMING_STATES = (EntryState.EFFECTIVE, EntryState.EXITED)


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
    # A person's objection to being named in an effective entry: it disputes that naming only,
    # verified beside the entry's own objection (R6, 004 §二(三)6).
    naming: bool = False

    @property
    def open(self) -> bool:
        return self.due_on is not None


@dataclass
class EntryObjections:
    entry: ListEntry
    may_object: bool
    objections: list[Objection]
    # An objection the reader cannot see is being verified, and the reader waits for it: the
    # entry's own, where the reader's objection would be the entry's own too (R6).
    open_elsewhere: bool = False


def may_object(entry: ListEntry, today: dt.date, person_id: int | None = None) -> bool:
    """Whether the workflow takes an objection to the entry now from its subject, or from
    ``person_id``, a person it names: none of the same kind is being verified (the entry's own,
    or, against an effective entry, the person's to being named; R6)."""
    naming = person_id is not None and entry.state == EntryState.EFFECTIVE
    if naming and entry.naming_objection_of(person_id) is not None:
        return False
    if not naming and entry.verification_due_on is not None:
        return False
    context = workflow.Context.of(
        entry, today=today, actor_can_sign=False, objector_person=person_id if naming else None
    )
    return Action.OBJECT in workflow.possible_actions(entry.state, context)


def _objection_kind(event: ListEntryEvent) -> int | None:
    """Which objection a step is about: a person's to being named (its id), or the entry's own
    (None). An objection, and the conclusion of one, on an effective or ended entry that names
    the person objecting is that person's (``objection_letters.is_naming_objection``)."""
    person = event.data.get("objector_person")
    if event.action == Action.OBJECT:
        return person if is_naming_objection(event) else None
    return person if person and event.from_state in NAMING_STATES else None


def _history(
    entry: ListEntry, events: list[ListEntryEvent], online: dict, registered: dict
) -> list[Objection]:
    """The entry's objections in order, each paired with its own conclusion: the entry's own
    and each person's to being named are verified side by side (R6)."""
    objections: list[Objection] = []
    open_: dict[int | None, Objection] = {}  # by kind (``_objection_kind``), while open
    for event in events:
        if event.action == Action.OBJECT:
            sent = online.get(event.pk)
            who = sent or registered.get(event.pk)
            objection = Objection(
                received_on=event.received_on,
                grounds=event.reason,
                online=sent is not None,
                evidence=list(sent.evidence.all()) if sent is not None else [],
                sent_by=who.person if who is not None else None,
                by_other_party=getattr(who, "objector_kind", "") == ObjectorKind.OTHER,
            )
            objections.append(objection)
            objection.naming = _objection_kind(event) is not None
            open_[_objection_kind(event)] = objection
        elif open_ and "objection_result" in event.data:
            kind = _objection_kind(event)
            # Written before both kinds were kept apart, a conclusion answered the one open.
            decided = open_.pop(kind) if kind in open_ else open_.pop(next(reversed(open_)))
            decided.decided_on = event.business_date
            decided.result = event.data["objection_result"]
            decided.result_to_subject = event.data.get("result_to_subject", "")
    for kind, objection in open_.items():
        naming = entry.naming_objection_of(kind) if kind is not None else None
        due = naming if naming is not None else (entry if kind is None else None)
        if due is not None and due.verification_due_on is not None:
            objection.due_on = due.verification_due_on
            objection.due_provisional = due.verification_due_provisional
    return objections


def _objections(entries: Any, person_id: int | None = None) -> list[EntryObjections]:
    """For each entry: may one object now (its subject, or ``person_id``, a person it names),
    and its objections, newest first, each with its deadline or the result its objector was
    told (R6, 000 §十一.3)."""
    entries = list(entries)
    today = clock.today()
    prefetch_related_objects(entries, "persons")  # the objections to being named
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
    rows = []
    for entry in entries:
        objections = list(reversed(_history(entry, events[entry.pk], online, registered)))
        rows.append(EntryObjections(
            entry=entry, may_object=may_object(entry, today, person_id), objections=objections,
        ))  # fmt: skip
    return rows


def objections_of(entries: Any) -> list[EntryObjections]:
    """The objections to the subject's own entries. One a person the entry names sent is the
    person's: the subject is shown who, masked, and its dates, not its grounds, files or the
    letter the person was sent (R14); where it proved the listing wrong, the subject reads the
    correction and apology addressed to it instead (000 §十一.3). One another party made is
    shown the same way, without even a masked name."""
    rows = _objections(entries)
    for row in rows:
        # The subject waits for an objection to its entry it did not send (a person's against
        # a candidacy, another party's), never for a person's to being named.
        row.open_elsewhere = row.entry.verification_due_on is not None and not any(
            objection.open and objection.due_on == row.entry.verification_due_on
            for objection in row.objections
        )
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
    rows = _objections(entries, person.pk)
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
        # Against an effective entry the person's objection is its naming's, verified beside
        # the entry's own: only during a candidacy does the person wait for another's.
        row.open_elsewhere = (
            row.entry.state != EntryState.EFFECTIVE
            and row.entry.verification_due_on is not None
            and not any(objection.open for objection in row.objections)
        )
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
