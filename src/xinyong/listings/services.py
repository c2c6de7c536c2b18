"""Writes of the listing procedure: one verb each, one transaction, one audit row (R1–R6).

Every state change goes through :func:`_transition`: it locks the entry's row, checks the
version the officer saw, asks ``workflow.transition`` whether the edge exists and its guard
passes, applies the change, appends a history event and the audit row, and tells the rest of
the platform after commit. Two officers acting at once on one entry cannot both succeed: the
second waits for the lock, then finds a new version or a state that no longer allows its action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from xinyong.access.roles import may_sign
from xinyong.audit import services as audit
from xinyong.calendars.selectors import work_calendar
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.periods import period_end
from xinyong.listings import documents, escalation, notifications, selectors, workflow
from xinyong.listings.models import (
    Announcement,
    EntryState,
    ExitReason,
    ListDefinition,
    ListEntry,
    ListEntryEvent,
    ListEntryPerson,
    ListKind,
)
from xinyong.listings.workflow import Action
from xinyong.subjects.models import LinkedPerson, Subject

OBJECTION_VERIFIED_WITHIN_DAYS = 20  # R6: natural days from receipt (R15 for the last day)
OPEN_STATES = frozenset(EntryState.values) - workflow.FINAL_STATES
SNAPSHOT_FIELDS = (
    "state", "exit_reason", "publicity_starts_on", "publicity_ends_on",
    "publicity_ends_provisional", "effective_on", "valid_until", "exited_on",
    "verification_due_on", "verification_due_provisional", "decision_document_number", "version",
)  # fmt: skip


def snapshot(entry: ListEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in SNAPSHOT_FIELDS}


def _officer(actor: Any):
    officer = getattr(actor, "officer", None)
    if officer is None:
        raise XinyongError("officer-required", "需由部门工作人员操作", status=403)
    return officer


def _require_recognizing_officer(actor: Any, definition: ListDefinition) -> None:
    """Only an officer of the list's recognizing department acts on its entries (R1)."""
    officer = _officer(actor)
    if officer.department_id != definition.recognizing_department_id:
        raise XinyongError(
            "wrong-department", "只有该名单的认定部门可以办理", status=403,
            department=officer.department.code,
        )  # fmt: skip


def _record_event(entry, *, action, from_state, actor, day, reason="", data=None) -> None:
    ListEntryEvent.objects.create(
        entry=entry, action=action, from_state=from_state, to_state=entry.state,
        business_date=day, actor=audit.describe_actor(actor)[0], reason=reason, data=data or {},
    )  # fmt: skip


def _announce(entry: ListEntry, kind: str, text: tuple[str, str], day: dt.date) -> Announcement:
    """Publish on the entry's channel; an exit or correction follows the listing's notice."""
    follows = entry.announcements.exclude(kind=kind).order_by("-id").first()
    title, body = text
    return Announcement.objects.create(
        entry=entry, kind=kind, channel=entry.channel, published_on=day, title=title, body=body,
        follows=follows,
    )  # fmt: skip


@transaction.atomic
def _transition(
    entry_id: int,
    action: Action,
    *,
    actor: Any,
    version: int | None,
    reason: str = "",
    exit_reason: str = "",
    apply: Callable[[ListEntry, dt.date], dict[str, Any] | None] | None = None,
    data: dict[str, Any] | None = None,
    system: bool = False,
) -> ListEntry:
    """Move one entry along one edge of the workflow; see the module's docstring.

    ``system`` marks a step the platform takes itself (the daily job, or a cross-check caused
    by another entry): no department check, and system-only edges allowed. ``apply`` makes the
    edge's changes and may answer details for the history event (a notice, a decision text).
    """
    try:
        entry = (
            ListEntry.objects.select_for_update(of=("self",))
            .select_related("list__recognizing_department", "subject")
            .get(pk=entry_id)
        )
    except ListEntry.DoesNotExist:
        raise XinyongError("entry-not-found", "名单记录不存在", status=404) from None
    if not system and _officer(actor).department_id != entry.list.recognizing_department_id:
        # Another department's entry is as invisible to a write as to a read (R14): the
        # answer must not tell that it exists.
        raise XinyongError("entry-not-found", "名单记录不存在", status=404)
    if version is not None and version != entry.version:
        raise XinyongError(
            "version-conflict", "该记录已被他人办理，请刷新后重试", status=409,
            expected=version, current=entry.version,
        )  # fmt: skip
    today = clock.today()
    context = workflow.Context.of(
        entry, today=today, actor_can_sign=may_sign(actor),
        exit_reason=exit_reason,
    )  # fmt: skip
    edge = workflow.transition(entry.state, action, context, system=system)
    before, from_state = snapshot(entry), entry.state
    entry.state = edge.target
    entry.version += 1
    details = dict(data or {})
    if apply is not None:
        details.update(apply(entry, today) or {})
    entry.save()
    _record_event(
        entry, action=action, from_state=from_state, actor=actor, day=today, reason=reason,
        data=details,
    )  # fmt: skip
    audit.record(
        actor=actor, action=f"listing.{action}", obj=entry, before=before, after=snapshot(entry),
        reason=reason,
    )  # fmt: skip
    notifications.after_commit(
        entry_id=entry.pk, action=str(action), from_state=from_state, to_state=entry.state,
        day=today,
    )  # fmt: skip
    return entry


def _on_black_list(subject: Subject) -> bool:
    """On a black list today: in force through the last day of its validity, whether or not the
    daily job has yet exited it (R2, R4)."""
    return ListEntry.objects.filter(
        selectors.in_force(clock.today()), subject=subject, list__kind=ListKind.BLACK
    ).exists()


@transaction.atomic
def propose_listing(
    *,
    actor: Any,
    list_definition: ListDefinition,
    subject: Subject,
    facts: str,
    basis: str,
    origin: ListEntry | None = None,
    system: bool = False,
) -> ListEntry:
    """Open a draft entry after the facts are established (R1, 001 §8).

    A red-list candidate on any black list is refused (R2, 000 §六); black lists exist only in
    the four categories of serious dishonesty (000 §三); one open entry per subject and list.
    ``system`` marks a proposal the platform makes itself (escalation, R3): a draft that an
    officer of the department still has to carry through the procedure.
    """
    if not system:
        _require_recognizing_officer(actor, list_definition)
    if not facts.strip() or not basis.strip():
        raise XinyongError("facts-and-basis-required", "须写明事实和依据", status=422)
    if (
        list_definition.kind == ListKind.BLACK
        and list_definition.domain.dishonesty_category is None
    ):
        raise XinyongError(
            "black-list-outside-categories", "该领域不属于四类严重失信行为，不能设立黑名单",
            status=422,
        )  # fmt: skip
    if list_definition.kind == ListKind.RED and _on_black_list(subject):
        raise XinyongError(
            "red-candidate-blacklisted", "该主体在严重失信主体名单中，不能列入红名单", status=409
        )
    if ListEntry.objects.filter(
        list=list_definition, subject=subject, state__in=OPEN_STATES
    ).exists():
        raise XinyongError("already-listed", "该主体已在此名单中或正在办理", status=409)
    today = clock.today()
    try:
        with transaction.atomic():  # a concurrent proposal meets the database's constraint
            entry = ListEntry.objects.create(
                list=list_definition, subject=subject, facts=facts, basis=basis,
                proposed_on=today, origin=origin,
            )  # fmt: skip
    except IntegrityError:
        raise XinyongError("already-listed", "该主体已在此名单中或正在办理", status=409) from None
    _record_event(entry, action="propose", from_state="", actor=actor, day=today)
    audit.record(actor=actor, action="listing.propose", obj=entry, after=snapshot(entry))
    notifications.after_commit(
        entry_id=entry.pk, action="propose", from_state="", to_state=entry.state, day=today
    )
    return entry


def notify_subject(entry_id: int, *, actor: Any, version: int | None = None) -> ListEntry:
    """Tell the subject the reasons, the basis and its rights before publicity (001 §8)."""

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        return {"notice": documents.notice_to_subject(entry)}

    return _transition(entry_id, Action.NOTIFY, actor=actor, version=version, apply=apply)


def start_publicity(entry_id: int, *, actor: Any, version: int | None = None) -> ListEntry:
    """Publicize the candidate for the list's working days; store the computed end (R1, R15)."""

    def apply(entry: ListEntry, today: dt.date) -> None:
        entry.publicity_workdays = entry.list.publicity_workdays  # as announced (R1)
        end = work_calendar().add_workdays(today, entry.publicity_workdays)
        entry.publicity_starts_on = today
        entry.publicity_ends_on = end.date
        entry.publicity_ends_provisional = end.provisional
        _announce(entry, Announcement.Kind.PUBLICITY, documents.publicity_notice(entry), today)

    return _transition(entry_id, Action.START_PUBLICITY, actor=actor, version=version, apply=apply)


def record_objection(
    entry_id: int, *, actor: Any, objector: str, grounds: str, version: int | None = None
) -> ListEntry:
    """An objection, verified within 20 days of receipt (R6, 001 §8, 002 §二十七).

    Against a candidate it stops the procedure until verified; against an effective entry it
    suspends the measures based on it while verified, unless the list says objections do not
    (court defaulter lists); ``is_suspended_by_objection`` tells.
    """
    if not grounds.strip():
        raise XinyongError("objection-grounds-required", "须写明异议理由", status=422)

    def apply(entry: ListEntry, today: dt.date) -> None:
        # A deadline past the known calendar is marked provisional, and counted again when
        # the calendar changes (listings.receivers).
        due = work_calendar().add_days(today, OBJECTION_VERIFIED_WITHIN_DAYS)
        entry.verification_due_on, entry.verification_due_provisional = due.date, due.provisional

    return _transition(
        entry_id, Action.OBJECT, actor=actor, version=version, apply=apply, reason=grounds,
        data={"objector": objector},
    )  # fmt: skip


def uphold_after_verification(
    entry_id: int, *, actor: Any, finding: str, version: int | None = None
) -> ListEntry:
    """The objection is unfounded: a candidacy resumes its publicity, an effective entry its
    measures (R6). A founded objection against an effective entry is an exit (corrected).

    The subject is told the result and its remedies (R6, 002 §二十七).
    """

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        entry.verification_due_on, entry.verification_due_provisional = None, False
        return {"objection_result": documents.objection_result(entry, "unfounded", finding)}

    return _transition(
        entry_id, Action.UPHOLD, actor=actor, version=version, apply=apply, reason=finding
    )


def reject_listing(
    entry_id: int, *, actor: Any, finding: str, version: int | None = None
) -> ListEntry:
    """The objection is founded, or the department decides not to list (R6, 000 §十一.3).

    A publicized candidacy is corrected in public on the channel of its notice. A founded
    objection is answered: the subject is told the result, receives a written apology and its
    remedies (R6, 000 §十一.3).
    """
    if not finding.strip():
        raise XinyongError("finding-required", "须写明核实结论", status=422)

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        objected = entry.verification_due_on is not None
        entry.verification_due_on, entry.verification_due_provisional = None, False
        if entry.publicity_starts_on is not None:
            text = documents.correction_announcement(entry)
            _announce(entry, Announcement.Kind.CORRECTION, text, today)
        if not objected:  # the meeting decided not to list: no objection to answer
            return {}
        return {"objection_result": documents.objection_result(entry, "founded", finding)}

    return _transition(
        entry_id, Action.REJECT, actor=actor, version=version, apply=apply, reason=finding
    )


def withdraw_listing(
    entry_id: int, *, actor: Any, reason: str, version: int | None = None
) -> ListEntry:
    """The department drops a proposal before it is decided (001 §8).

    A publicized candidacy is withdrawn in public on the channel of its notice, as a rejected
    one is corrected there.
    """

    def apply(entry: ListEntry, today: dt.date) -> None:
        if entry.publicity_starts_on is not None:
            text = documents.withdrawal_announcement(entry)
            _announce(entry, Announcement.Kind.CORRECTION, text, today)

    return _transition(
        entry_id, Action.WITHDRAW, actor=actor, version=version, apply=apply, reason=reason
    )


def _name_linked_persons(entry: ListEntry) -> None:
    """An organisation's black-list entry names its persons (落实到人, 004 §二(三)6)."""
    if entry.list.kind != ListKind.BLACK or entry.subject.is_natural_person:
        return
    links = LinkedPerson.objects.filter(organisation=entry.subject, until__isnull=True)
    ListEntryPerson.objects.bulk_create(
        [ListEntryPerson(entry=entry, person_id=link.person_id, role=link.role) for link in links],
        ignore_conflicts=True,
    )


def _end_red_entries_of(entry: ListEntry, *, actor: Any, today: dt.date) -> None:
    """Entering a black list ends every red-list entry of the subject at once (R2, 000 §六)."""
    # Red entries in force today; one whose validity already ended is the daily job's to exit,
    # as expired, not as blacklisted.
    red_ids = ListEntry.objects.filter(
        selectors.in_force(today), subject=entry.subject, list__kind=ListKind.RED
    ).values_list("pk", flat=True)
    for red_id in list(red_ids):
        _exit(red_id, actor=actor, reason=ExitReason.BLACKLISTED, note=f"列入{entry.list.name}",
              system=True)  # fmt: skip


def sign_decision(
    entry_id: int,
    *,
    actor: Any,
    decision_document_number: str = "",
    measures: list[str] | None = None,
    version: int | None = None,
) -> ListEntry:
    """A responsible officer signs: the entry takes effect today for its validity (R1, R2).

    The decision document and its public announcement both state the measures that follow,
    credit repair and the exit conditions (R1, R5).

    Refused while the publicity period runs or its end is provisional; a red-list candidate on
    a black list is refused; a black listing ends the subject's red-list entries in the same
    transaction and names the organisation's persons.
    """

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        definition = entry.list
        if definition.kind in (ListKind.RED, ListKind.BLACK):
            # A red and a black signature for one subject at once each lock only their own
            # entry, and neither would see the other's: the subject's row makes them take turns,
            # so the later one reads the earlier as committed (R2: never on both lists).
            list(Subject.objects.select_for_update().filter(pk=entry.subject_id).values_list("pk"))
        if definition.kind == ListKind.RED and _on_black_list(entry.subject):
            raise XinyongError(
                "red-candidate-blacklisted", "该主体在严重失信主体名单中，不能列入红名单",
                status=409,
            )  # fmt: skip
        entry.effective_on = today
        entry.valid_until = (
            period_end(today, definition.validity_value, definition.validity_unit)
            if definition.validity_value
            else None
        )
        # Numbered by the department's own register when it gives one; otherwise in the
        # platform's name of the department, as a published decision must carry a number a
        # reader can quote (the list's code is an internal key, not a document's).
        department = definition.recognizing_department.name
        entry.decision_document_number = (
            decision_document_number.strip() or f"{department}〔{today.year}〕{entry.pk}号"
        )
        _name_linked_persons(entry)
        entry.save()
        if definition.kind == ListKind.BLACK:
            _end_red_entries_of(entry, actor=actor, today=today)
        named = [measure.strip() for measure in measures or [] if measure.strip()]
        text = documents.decision_announcement(entry, named)
        _announce(entry, Announcement.Kind.DECISION, text, today)
        # The measures stay with the decision, for any text that must state them later (R5).
        return {"decision_document": documents.decision_document(entry, named), "measures": named}

    return _transition(entry_id, Action.SIGN, actor=actor, version=version, apply=apply)


def _start_key_monitoring(entry: ListEntry, *, actor: Any, today: dt.date) -> None:
    """Leaving a black list starts key monitoring from the exit date for the period its list sets
    (R3, 002 §二十一); a subject already monitored on that list has its live entry run on to the
    later end instead, as one subject is monitored once per list at a time."""
    targets = escalation.monitoring_targets()
    candidate = escalation.monitoring_entry(entry, entry.exited_on, targets)
    if candidate is None:
        return
    new, extended = escalation.place_monitoring([candidate])
    for monitored in new:
        monitored.save()
        _record_event(monitored, action="monitor", from_state="", actor=actor, day=today)
        audit.record(
            actor=actor, action="listing.monitor", obj=monitored, after=snapshot(monitored)
        )
    for extension in extended:
        monitored = extension.entry
        before = snapshot(monitored)
        details = extension.apply()
        monitored.save(update_fields=["valid_until", "version"])
        _record_event(
            monitored, action="extend", from_state=monitored.state, actor=actor, day=today,
            data=details,
        )  # fmt: skip
        audit.record(
            actor=actor, action="listing.extend", obj=monitored, before=before,
            after=snapshot(monitored),
        )  # fmt: skip


def _exit(
    entry_id: int, *, actor: Any, reason: str, version: int | None = None, note: str = "",
    system: bool = False,
) -> ListEntry:  # fmt: skip
    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any] | None:
        objected = entry.verification_due_on is not None
        entry.exit_reason = reason
        # Expiry ends an entry the day after its last day of validity, whenever an officer
        # records it, as the daily job dates it (R4); other exits take effect the day decided.
        entry.exited_on = (
            entry.valid_until + dt.timedelta(days=1)
            if reason == ExitReason.EXPIRED and entry.valid_until is not None
            else today
        )
        # An open objection ends with the entry.
        entry.verification_due_on, entry.verification_due_provisional = None, False
        if reason == ExitReason.CORRECTED:
            text = documents.correction_announcement(entry)
            _announce(entry, Announcement.Kind.CORRECTION, text, today)
        _announce(entry, Announcement.Kind.EXIT, documents.exit_announcement(entry), today)
        if entry.list.kind == ListKind.BLACK and reason != ExitReason.CORRECTED:
            _start_key_monitoring(entry, actor=actor, today=today)
        if reason == ExitReason.CORRECTED and objected:
            # The subject's objection found the listing wrong: it is told so, with the apology
            # and its remedies (R6, 000 §十一.3).
            return {"objection_result": documents.objection_result(entry, "founded", note)}
        return None

    return _transition(
        entry_id, Action.EXIT, actor=actor, version=version, apply=apply, reason=note,
        exit_reason=reason, system=system,
    )  # fmt: skip


def exit_entry(
    entry_id: int, *, actor: Any, reason: str, note: str = "", version: int | None = None
) -> ListEntry:
    """End an effective entry for a reason its list allows; announced, measures stop (R4)."""
    _officer(actor)
    return _exit(entry_id, actor=actor, reason=reason, version=version, note=note)
