"""The candidacy: from the proposal to the decision, or to its end without one (R1, R2, R6).

Proposal, notice to the subject, publicity, objection and its verification, rejection and
withdrawal; each a verb of its own, taken through ``transitions.transition``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from xinyong.audit import services as audit
from xinyong.calendars.selectors import work_calendar
from xinyong.core import clock, receipt
from xinyong.core.errors import XinyongError
from xinyong.core.identifiers import normalize_identifier
from xinyong.core.protection import mask_citizen_ids
from xinyong.listings import (
    daily_job_lock,
    documents,
    notifications,
    objection_letters,
    selectors,
    workflow,
)
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ListDefinition, ListEntry, ListKind
from xinyong.listings.services import exits, overdue_expiry
from xinyong.listings.services.transitions import (
    announce,
    close_naming_objection,
    close_objection,
    named_objection,
    objections_context,
    open_naming_objection,
    record_event,
    require_recognizing_officer,
    snapshot,
    transition,
)
from xinyong.listings.workflow import Action
from xinyong.subjects.models import Subject

OBJECTION_VERIFIED_WITHIN_DAYS = 20  # R6: natural days from receipt (R15 for the last day)
OPEN_STATES = frozenset(EntryState.values) - workflow.FINAL_STATES
# Where a person's objection to being named is the naming's, and is decided (R6).
NAMING_STATES = (EntryState.EFFECTIVE, EntryState.EXITED)


def on_black_list(subject: Subject) -> bool:
    """On a black list today: in force through the last day of its validity, whether or not the
    daily job has yet exited it (R2, R4); listed itself, or named in an organisation's entry
    (``selectors.black_listings_of``; 002 §十六, 落实到人)."""
    return selectors.black_listings_of(subject.pk, clock.today()).exists()


def subject_proposed(code: str) -> Subject:
    """The subject a proposal names by its code or citizen ID (R1); a code no subject has is
    refused, a citizen ID in the refusal masked as a check shows one (R14).

    Ask only once ``require_recognizing_officer`` has passed: whoever may not propose on the
    list must learn nothing of the code, not even whether a subject has it (R14)."""
    subject = Subject.objects.identified_by(code).first()
    if subject is None:
        shown = mask_citizen_ids(normalize_identifier(code))
        raise XinyongError("subject-not-found", f"信用主体不存在：{shown}", status=404)
    return subject


# Lists the daily job derives from other entries (R3: 003 §四, 002 §二十一): an officer's own
# proposal on one would stand beside, or block, the entry the rules make.
DERIVED_KINDS = frozenset({ListKind.BIG_DATA_WARNING, ListKind.KEY_MONITORING})


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
    daily_job_lock.wait_for_the_daily_job()  # first, before any row (see the module)
    if not system:
        require_recognizing_officer(actor, list_definition)
        if list_definition.kind in DERIVED_KINDS:
            raise XinyongError(
                "list-derived-by-the-platform",
                "该名单由平台依规则自动生成（重点关注三个以上重点领域、退出黑名单后重点监管），"
                "不能人工提请列入",
                status=422,
            )
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
    if list_definition.kind == ListKind.RED and on_black_list(subject):
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
    record_event(entry, action="propose", from_state="", actor=actor, day=today)
    audit.record(actor=actor, action="listing.propose", obj=entry, after=snapshot(entry))
    notifications.after_commit(
        entry_id=entry.pk, action="propose", from_state="", to_state=entry.state, day=today
    )
    return entry


def notify_subject(
    entry_id: int, *, actor: Any, meeting_on: dt.date, meeting: str, version: int | None = None
) -> ListEntry:
    """Tell the subject the reasons, the basis and its rights before publicity (001 §8), once
    the department has decided at a meeting to propose the listing (R1: investigate, compare
    with the criteria, establish the facts, decide at a meeting, then tell the subject).

    ``meeting`` names the meeting and its minutes (局长办公会议, 纪要〔2026〕5号), ``meeting_on``
    the day it decided: after the proposal was opened, and not after today. Both go into the
    history and the notice the subject is sent."""
    meeting = meeting.strip()
    if not meeting:
        raise XinyongError(
            "meeting-required", "须写明集体研究决定拟列入的会议（名称或会议纪要编号）", status=422
        )

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        if meeting_on > today:
            raise XinyongError(
                "meeting-date-in-future",
                f"会议日期 {meeting_on.isoformat()} 晚于今天，须在集体研究决定后告知当事人",
                status=422,
            )
        if meeting_on < entry.proposed_on:
            raise XinyongError(
                "meeting-before-proposal",
                f"会议日期 {meeting_on.isoformat()} 早于提请列入之日 "
                f"{entry.proposed_on.isoformat()}",
                status=422,
            )
        return {
            "meeting_on": meeting_on.isoformat(),
            "meeting": meeting,
            "notice": documents.notice_to_subject(entry, meeting_on=meeting_on, meeting=meeting),
        }

    return transition(entry_id, Action.NOTIFY, actor=actor, version=version, apply=apply)


def start_publicity(entry_id: int, *, actor: Any, version: int | None = None) -> ListEntry:
    """Publicize the candidate for the list's working days; store the computed end (R1, R15)."""

    def apply(entry: ListEntry, today: dt.date) -> None:
        entry.publicity_workdays = entry.list.publicity_workdays  # as announced (R1)
        end = work_calendar().add_workdays(today, entry.publicity_workdays)
        entry.publicity_starts_on = today
        entry.publicity_ends_on = end.date
        entry.publicity_ends_provisional = end.provisional
        announce(entry, Announcement.Kind.PUBLICITY, documents.publicity_notice(entry), today)

    return transition(entry_id, Action.START_PUBLICITY, actor=actor, version=version, apply=apply)


def record_objection(
    entry_id: int, *, actor: Any, objector: str, grounds: str, version: int | None = None,
    system: bool = False, named_as: str = "", objector_kind: str = "",
    received_on: dt.date | None = None, person: Any = None,
) -> ListEntry:  # fmt: skip
    """An objection, verified within 20 days of receipt (R6, 001 §8, 002 §二十七).

    ``received_on``: the day a paper objection arrived, when an officer registers it later
    (``core.receipt``); the deadline counts from it, and the history keeps it. Left out, the
    objection is received today.

    Against a candidate it stops the procedure until verified; against an effective entry it
    suspends the measures based on it while verified, unless the list says objections do not
    (court defaulter lists); ``is_suspended_by_objection`` tells. ``system`` marks one the
    platform receives online from the subject itself, or from a person the entry names
    (``named_as``: the roles it is named in), whose own scope the caller checked; such a
    person is the one told the result, and the subject too where the listing proves wrong
    (``objection_letters.objection_answers``). ``objector_kind`` is who the officer registering one
    said objects (``remedies.registered``), kept in the history.

    ``person``: the person the entry names who objects, with ``named_as``. Against an
    effective entry such an objection disputes the naming only, and is kept on it
    (``ListEntryPerson.verification_due_on``), beside the entry's own objection: each may be
    open at once, with its own deadline, one of each at a time (R6, 000 §十一.2). It suspends
    the measures reaching that person through the entry, never the subject's own; the history
    keeps whose naming it is (``objector_person``), which the change feed tells. Against a
    candidate it stops the candidacy, as the entry's own objection does.
    """
    # Who objects and why are what the department verifies and answers (R6): neither may be
    # left blank, whichever way the objection arrives (the office's form, the API, online).
    objector, grounds = objector.strip(), grounds.strip()
    if not objector:
        raise XinyongError("objection-objector-required", "须写明异议人", status=422)
    if not grounds:
        raise XinyongError("objection-grounds-required", "须写明异议理由", status=422)

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        earliest = _earliest_receipt(
            entry, stated=received_on, person_id=person.pk if naming else None
        )
        received = receipt.received_on(received_on, today=today, **earliest)
        # A deadline past the known calendar is marked provisional, and counted again when
        # the calendar changes (listings.receivers).
        due = work_calendar().add_days(received, OBJECTION_VERIFIED_WITHIN_DAYS)
        if naming:
            open_naming_objection(entry, person.pk, due.date, due.provisional)
        else:
            entry.verification_due_on = due.date
            entry.verification_due_provisional = due.provisional
        return {"received_on": received.isoformat()} if received != today else {}

    # Against an effective entry, a named person's objection is the naming's (see above).
    current = ListEntry.objects.filter(pk=entry_id).values_list("state", flat=True).first()
    naming = person is not None and current == EntryState.EFFECTIVE

    data: dict[str, Any] = {"objector": objector}
    if named_as:
        data["objector_named_as"] = named_as
    if person is not None:
        data["objector_person"] = person.pk
    if objector_kind:
        data["objector_kind"] = objector_kind
    return transition(
        entry_id, Action.OBJECT, actor=actor, version=version, apply=apply, reason=grounds,
        data=data, system=system, objector_person=person.pk if naming else None,
    )  # fmt: skip


def _earliest_receipt(
    entry: ListEntry, *, stated: dt.date | None, person_id: int | None = None
) -> dict[str, Any]:
    """The first day an objection to the entry can have arrived: the day it was proposed, or
    the day the last objection of its kind was concluded (the entry's own, or ``person_id``'s
    to being named), as one of each is verified at a time (R6). Asked only of a day stated by
    the officer."""
    earliest: dict[str, Any] = {"earliest": entry.proposed_on, "earliest_is": "拟列入名单之日"}
    if stated is not None:
        upheld = entry.events.filter(action=Action.UPHOLD)
        naming = Q(data__has_key="objector_person") & Q(from_state__in=NAMING_STATES)
        upheld = (
            upheld.filter(naming, data__objector_person=person_id)
            if person_id is not None else upheld.exclude(naming)
        )  # fmt: skip
        concluded = (
            upheld.order_by("-id").values_list("business_date", flat=True).first()
        )  # fmt: skip
        if concluded is not None and concluded > entry.proposed_on:
            earliest = {"earliest": concluded, "earliest_is": "上一次异议办结之日"}
    return earliest


@transaction.atomic
def uphold_after_verification(
    entry_id: int, *, actor: Any, finding: str, version: int | None = None, person: Any = None,
    entry_objection: bool = False,
) -> ListEntry:  # fmt: skip
    """The objection is unfounded: a candidacy resumes its publicity, an effective entry its
    measures (R6). A founded objection against an effective entry is an exit (corrected).

    Which objection: the entry's own (``entry_objection``) or the objection of ``person`` (a
    subject or its id), a person the entry names, to being named; neither said, the one open,
    refused as ambiguous where several are (``workflow.decided``). Upholding one leaves every
    other open: the entry's own and each person's are verified and decided apart (R6).

    The objector, the subject or the person the entry names who objected, is told the result
    and its remedies (R6, 002 §二十七): what was found must be written, as for a founded one.
    Ended key monitoring that the black listings it rested on, found wrong while this
    objection was verified, left to it is then corrected in the same transaction (R3, R6;
    ``exits.correct_monitoring_left_to_its_objection``); the entry is answered as it is after.

    An effective entry past its last day of validity has ended by expiry (R4): its exit is
    recorded first, and the objection concluded on the ended entry, measures not resumed
    (``overdue_expiry``).
    """
    if not finding.strip():
        raise XinyongError("finding-required", "须写明核实结论", status=422)
    person_id = getattr(person, "pk", person)

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        # Whose naming the objection disputed, if a named person's: the change feed tells
        # that naming's measures resume, not the subject's (R6, R11).
        decided = workflow.decided(
            objections_context(entry, objector_person=person_id, entry_objection=entry_objection)
        )
        if decided is None:
            close_objection(entry)
        else:
            close_naming_objection(entry, decided)
        answers = objection_letters.objection_answers(
            entry, "unfounded", finding, person_id=decided
        )
        return {**named_objection(decided), **answers}

    # Past its last day the entry has ended by expiry: recorded first (R4, R11).
    version = overdue_expiry.expire_before_concluding(entry_id, actor=actor, version=version)
    upheld = transition(
        entry_id, Action.UPHOLD, actor=actor, version=version, apply=apply, reason=finding,
        objector_person=person_id, entry_objection=entry_objection,
    )  # fmt: skip
    return exits.correct_monitoring_left_to_its_objection(upheld, actor=actor)


def reject_listing(
    entry_id: int, *, actor: Any, finding: str, version: int | None = None, person: Any = None,
    entry_objection: bool = False,
) -> ListEntry:  # fmt: skip
    """The objection is founded, or the department decides not to list (R6, 000 §十一.3).

    A publicized candidacy is announced as not listed on the channel of its notice: it never
    took effect, so nothing listed is corrected (001 §8). A founded objection is answered: the
    objector is told the result and its remedies, and the subject, whoever objected, receives
    a written apology (R6, 000 §十一.3; ``objection_letters.objection_answers``).

    Which objection it decides, as every conclusion: the entry's own (``entry_objection``) or
    that of ``person`` (a subject or its id) to being named, refused where it is not open;
    neither said, the one open, refused as ambiguous where several are (``workflow.decided``).
    With none open and none said, it is the meeting's decision not to list. A person's
    objection during publicity is the candidacy's own (``record_objection``).
    """
    if not finding.strip():
        raise XinyongError("finding-required", "须写明核实结论", status=422)
    person_id = getattr(person, "pk", person)

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        context = objections_context(
            entry, objector_person=person_id, entry_objection=entry_objection
        )
        said = entry_objection or person_id is not None
        objected = said or context.objection_open or bool(context.naming_objections_open)
        decided = workflow.decided(context) if objected else None
        if decided is None:
            close_objection(entry)
        else:
            close_naming_objection(entry, decided)
        if entry.publicity_starts_on is not None:
            text = documents.not_listed_announcement(entry, objected=objected)
            announce(entry, Announcement.Kind.CORRECTION, text, today)
        if not objected:  # the meeting decided not to list: no objection to answer
            return {}
        return {**named_objection(decided), **objection_letters.objection_answers(
            entry, "founded", finding, person_id=decided,
        )}  # fmt: skip

    return transition(
        entry_id, Action.REJECT, actor=actor, version=version, apply=apply, reason=finding,
        objector_person=person_id, entry_objection=entry_objection,
    )  # fmt: skip


def withdraw_listing(
    entry_id: int, *, actor: Any, reason: str, version: int | None = None
) -> ListEntry:
    """The department drops a proposal before it is decided (001 §8).

    A publicized candidacy is withdrawn in public on the channel of its notice, as a rejected
    one is corrected there. Why is written, as the office's form requires it.
    """
    if not reason.strip():
        raise XinyongError("withdraw-reason-required", "须写明撤回理由", status=422)

    def apply(entry: ListEntry, today: dt.date) -> None:
        if entry.publicity_starts_on is not None:
            text = documents.withdrawal_announcement(entry)
            announce(entry, Announcement.Kind.CORRECTION, text, today)

    return transition(
        entry_id, Action.WITHDRAW, actor=actor, version=version, apply=apply, reason=reason
    )
