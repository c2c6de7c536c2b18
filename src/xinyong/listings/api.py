"""The listing procedure over HTTP: one operation per verb, the entry's version in every write."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from xinyong.api.refusals import BODY, PARAMETERS, refusals
from xinyong.api.types import Day, Filled, RowId, Text
from xinyong.audit.registrations import (
    RegisteredPagination,
    register_entry_read,
    register_refused_proposal,
)
from xinyong.core.errors import XinyongError
from xinyong.listings import selectors, services
from xinyong.listings.models import ListDefinition, ListEntry
from xinyong.listings.schemas import EntryListFields
from xinyong.listings.services.candidacy import subject_proposed
from xinyong.listings.services.transitions import require_recognizing_officer
from xinyong.remedies import registered
from xinyong.subjects.models import Subject

router = Router(tags=["listings"])


class EntryOut(EntryListFields):
    id: int
    subject: str
    subject_name: str
    state: str
    exit_reason: str
    facts: str
    basis: str
    decision_document_number: str
    proposed_on: dt.date
    publicity_starts_on: dt.date | None
    publicity_ends_on: dt.date | None
    publicity_ends_provisional: bool
    verification_due_on: dt.date | None
    verification_due_provisional: bool
    effective_on: dt.date | None
    valid_until: dt.date | None
    exited_on: dt.date | None
    version: int

    @staticmethod
    def resolve_subject(entry: ListEntry) -> str:
        # Officers of the recognizing department see the ID in full (R14: decrypted here only).
        return entry.subject.reveal_identifier()

    @staticmethod
    def resolve_subject_name(entry: ListEntry) -> str:
        return entry.subject.name


class EventOut(Schema):
    action: str
    from_state: str
    to_state: str
    business_date: dt.date
    at: dt.datetime
    actor: str
    reason: str
    data: dict


class AnnouncementOut(Schema):
    kind: str
    channel: str
    published_on: dt.date
    title: str
    body: str


class PersonOut(Schema):
    role: str
    identifier: str
    name: str
    # The person's objection to being named, verified beside the entry's own (R6).
    verification_due_on: dt.date | None
    verification_due_provisional: bool

    @staticmethod
    def resolve_identifier(named) -> str:
        return named.person.reveal_identifier()

    @staticmethod
    def resolve_name(named) -> str:
        return named.person.name


class NotRepairableLiftedOut(Schema):
    """A ruling that the entry is not repairable, lifted since (R8, R10; 000 §十一.3)."""

    ruling: str = Field(description="被撤销的认定理由（列入决定所载）")
    ruled_on: dt.date = Field(description="作出该认定之日（列入决定签发之日）")
    lifted_on: dt.date = Field(description="撤销该认定之日")
    reason: str = Field(description="撤销理由")


class EntryDetailOut(EntryOut):
    allowed_actions: list[str]
    history: list[EventOut]
    announcements: list[AnnouncementOut]
    persons: list[PersonOut]
    not_repairable_reason: str = Field(
        description="列入决定认定该记录不适用信用修复的理由（R8）；未作此认定或该认定已撤销的为空"
    )
    not_repairable_lifted: NotRepairableLiftedOut | None = Field(
        description="已撤销的不适用信用修复认定及撤销日期、理由；没有被撤销的认定时为 null"
    )

    @staticmethod
    def resolve_not_repairable_lifted(entry: ListEntry) -> dict | None:
        lifted = entry.not_repairable_lifted
        if lifted is None:
            return None
        return {"ruling": lifted.reason, "ruled_on": lifted.recorded_on,
                "lifted_on": lifted.lifted_on, "reason": lifted.lifted_reason}  # fmt: skip

    @staticmethod
    def resolve_allowed_actions(entry: ListEntry) -> list[str]:
        return selectors.allowed_actions(entry)

    @staticmethod
    def resolve_history(entry: ListEntry):
        return entry.events.order_by("id")

    @staticmethod
    def resolve_announcements(entry: ListEntry):
        return entry.announcements.order_by("id")

    @staticmethod
    def resolve_persons(entry: ListEntry):
        return entry.persons.select_related("person").order_by("id")


class ProposeIn(Schema):
    # What the service requires: the facts established and their basis (R1), for a list and a
    # subject that must be named.
    list: Filled
    subject: Filled
    facts: Filled
    basis: Filled


class VersionIn(Schema):
    version: int


class NoticeIn(VersionIn):
    # R1: the subject is told once the department has decided at a meeting to propose it.
    meeting_on: Day = Field(
        description="集体研究决定拟列入的会议日期（不晚于当天，不早于提请之日）"
    )
    meeting: Filled = Field(
        max_length=200,
        description="集体研究的会议名称或会议纪要编号，如 局长办公会议（纪要〔2026〕5号）",
    )


class ObjectionIn(VersionIn):
    # Who objects and why, as the office's objection form asks them (R6). Left out, the kind is
    # another party, named in ``objector``, as the operation took before the kind was asked.
    objector_kind: Literal["subject", "named_person", "other"] = Field(
        "other",
        description="异议人：subject（名单记录的主体本身）、named_person（名单记录所列人员，"
        "在 person 中给出其身份证号）、other（其他人，在 objector 中写明名称）",
    )
    person: Filled = Field(
        "", description="名单记录所列人员的身份证号；仅 objector_kind 为 named_person 时提供"
    )
    objector: Filled = Field(
        "", max_length=200, description="异议人名称；仅 objector_kind 为 other 时提供，且必填"
    )
    grounds: Filled
    received_on: dt.date | None = Field(
        None, description="收到异议之日（纸质或窗口提交的）；不填为当天。20 日核实期限自该日起算"
    )


class VerificationIn(VersionIn):
    # reject: the candidate found wrong, or not listed; correct: found wrong once the entry had
    # already ended (expiry, R2), its exit standing (R6); unname: a named person's objection to
    # being named founded, that naming removed and the listing standing (004 §二(三)6).
    outcome: str = Field(..., pattern="^(uphold|reject|correct|unname)$")
    finding: Filled  # what the subject is told was found (R6), as the office's form requires
    objection: Text = Field(
        "", max_length=64,
        description="办结哪一项异议：entry 为对本记录的异议（不能用于 unname），或所列人员的身份"
        "证号（该人员对被列明提出的异议）；所指异议未在核实中的，不予办结。未填写时，办结该结论"
        "可以办结的唯一一项异议，可以办结的有多项时须填。本记录的异议正在核实时，correct 只能办结"
        "该异议（未填写即为该异议）；unname 只能办结所列人员的异议",
    )  # fmt: skip


class SignIn(VersionIn):
    decision_document_number: Text = Field("", max_length=128)  # the entry's column
    measures: list[Text] = []
    leniency_grounds: list[Text] = Field(
        [], description="宽容审慎情形（001 §10）：minor、force_majeure、unintentional、slight"
    )
    leniency_statement: Text = Field("", description="如何宽容审慎认定；选择情形时必填")
    not_repairable: bool = Field(
        False,
        description="认定该记录情节特别严重、不适用信用修复（R8）；仅用于允许修复的黑名单，"
        "且不能与 slight、unintentional 从宽情形同时认定",
    )
    not_repairable_reason: Text = Field(
        "", max_length=500, description="不适用信用修复的理由；not_repairable 为 true 时必填"
    )


class LiftNotRepairableIn(VersionIn):
    # Why the ruling was wrong (R10), as the office's form requires it: published, masked, in
    # the correction notice, and told to the subject (000 §十一.3).
    reason: Filled = Field(..., max_length=500, description="撤销不适用信用修复认定的理由")


class ExitIn(VersionIn):
    reason: Filled
    note: Text = ""


class WithdrawIn(VersionIn):
    reason: Filled  # why the department drops or rejects the proposal, as its form requires


# A step of the procedure: the entry may be missing (404) or not in a state, or at a version,
# that allows the step (409).
STEP = {200: EntryDetailOut, **refusals(BODY, 404, 409)}


def _entry(request: HttpRequest, entry_id: RowId) -> ListEntry:
    """The entry as an answer shows it, whole: its subject and the persons it names. Every
    answer that carries it is a read, registered when it names a natural person (R14), the
    answers of the procedure's steps as much as ``GET``."""
    entry = selectors.entry_for(request.auth, entry_id)
    register_entry_read(request, entry)
    return entry


@router.get("/entries", response={200: list[EntryOut], **refusals(PARAMETERS)})
@paginate(RegisteredPagination)  # each page registered with the persons it names (R14)
def list_entries(
    request: HttpRequest, state: str | None = None, kind: str | None = None,
    list_code: str | None = Query(None, alias="list"), subject: str | None = None,
):  # fmt: skip
    """Entries of the caller's department's lists, newest first, filtered."""
    return selectors.filter_entries(
        request.auth, state=state, kind=kind, list_code=list_code, subject=subject
    )


@router.get("/entries/{entry_id}", response={200: EntryDetailOut, **refusals(PARAMETERS, 404)})
def get_entry(request: HttpRequest, entry_id: RowId):
    """One entry with its full history, announcements and the actions allowed now."""
    return _entry(request, entry_id)


@router.post("/entries", response={201: EntryDetailOut, **refusals(BODY, 404, 409)})
def propose(request: HttpRequest, payload: ProposeIn):
    """Propose a subject for a list after the facts are established (R1).

    Whoever may not propose on the list is refused before the subject is looked up, and learns
    nothing of it. After, any refusal answers about the subject (a red-list candidate on a
    black list, already listed, no such subject), and is registered as a read of it (R14).
    """
    definition = ListDefinition.objects.filter(code=payload.list).first()
    if definition is None:
        raise XinyongError("list-not-found", f"名单不存在：{payload.list}", status=404)
    require_recognizing_officer(request.auth, definition)
    subject = None
    try:
        subject = subject_proposed(payload.subject)
        entry = services.propose_listing(
            actor=request.auth, list_definition=definition, subject=subject,
            facts=payload.facts, basis=payload.basis,
        )  # fmt: skip
    except XinyongError as refused:
        register_refused_proposal(request, list_code=definition.code, code=payload.subject,
                                  subject=subject, refusal=refused.code)  # fmt: skip
        raise
    return Status(201, _entry(request, entry.pk))


@router.post("/entries/{entry_id}/notify", response=STEP)
def notify(request: HttpRequest, entry_id: RowId, payload: NoticeIn):
    """Record that the subject was told the reasons, basis and its rights (001 §8), after the
    meeting that decided to propose the listing (R1)."""
    services.notify_subject(
        entry_id, actor=request.auth, version=payload.version, meeting_on=payload.meeting_on,
        meeting=payload.meeting,
    )  # fmt: skip
    return _entry(request, entry_id)


@router.post("/entries/{entry_id}/publicity", response=STEP)
def start_publicity(request: HttpRequest, entry_id: RowId, payload: VersionIn):
    """Start publicity; its end is counted in working days and stored (R1, R15)."""
    services.start_publicity(entry_id, actor=request.auth, version=payload.version)
    return _entry(request, entry_id)


@router.post("/entries/{entry_id}/objections", response=STEP)
def record_objection(request: HttpRequest, entry_id: RowId, payload: ObjectionIn):
    """Record an objection received on paper or at the counter, and who objects; verification
    is due in 20 days (R6). The subject, or the person the entry names, then follows it on its
    own page. The 20 days count from ``received_on`` when the objection arrived before today.
    422 when the person is not one the entry names, when the objector's name is missing for
    another party, or given for the subject or a named person, or when the day of receipt is
    after today or before the entry was proposed."""
    registered.register_objection(
        entry_id, actor=request.auth, objector_kind=payload.objector_kind,
        person=payload.person or None, objector=payload.objector, grounds=payload.grounds,
        version=payload.version, received_on=payload.received_on,
    )  # fmt: skip
    return _entry(request, entry_id)


@router.post("/entries/{entry_id}/verification", response=STEP)
def verify(request: HttpRequest, entry_id: RowId, payload: VerificationIn):
    """Conclude a verification: uphold the listing, or find it wrong — ``reject`` while the
    entry is a candidate, ``correct`` once it has ended meanwhile (R6); a named person's
    objection to being named found founded, ``unname``: that naming alone is removed (000
    §十一.3, 004 §二(三)6). ``objection`` names the objection the conclusion decides, whatever
    the outcome: one not open is refused (``no-objection-pending``,
    ``no-naming-objection-pending``), never another decided in its place. None named, the
    conclusion decides the only open objection its outcome may decide, and is refused where it
    may decide several (``objection-ambiguous``, ``naming-objection-ambiguous``): a correction
    decides the entry's own while that is open (a person's named instead is refused), as the
    office's form offers it; removing a naming decides a person's only."""
    decide = {
        "uphold": services.uphold_after_verification,
        "reject": services.reject_listing,
        "correct": services.correct_after_exit,
        "unname": services.remove_naming_after_verification,
    }[payload.outcome]
    which: dict[str, Any] = {}
    chosen = payload.objection.strip()
    if chosen == "entry" and payload.outcome == "unname":
        # A naming is removed on a person's objection to being named only: the entry's own
        # objection is upheld, or the listing found wrong (R6, 004 §二(三)6).
        raise XinyongError(
            "unname-not-for-entry-objection",
            "移除所列人员仅用于办结所列人员对被列明提出的异议；对本记录的异议请以维持、"
            "不予列入或予以更正办结",
            status=422,
        )
    if chosen:  # honoured by every outcome: each decides the objection it names (R6)
        which = (
            {"entry_objection": True} if chosen == "entry"
            else {"person": _named_person(request, entry_id, chosen)}
        )  # fmt: skip
    decide(entry_id, actor=request.auth, finding=payload.finding, version=payload.version, **which)
    return _entry(request, entry_id)


def _named_person(request: HttpRequest, entry_id: int, code: str) -> int:
    """The person the entry names whose ID number is ``code`` (R14: looked up by its keyed
    hash); one it does not name is refused, as is an entry of another department."""
    entry = selectors.entry_for(request.auth, entry_id)
    found = (
        entry.persons.filter(person__in=Subject.objects.identified_by(code))
        .values_list("person_id", flat=True).first()
    )  # fmt: skip
    if found is None:
        raise XinyongError("objector-person-not-named", "该人员不是名单记录所列人员", status=422)
    return found


@router.post("/entries/{entry_id}/reject", response=STEP)
def reject(request: HttpRequest, entry_id: RowId, payload: WithdrawIn):
    """Decide not to list a candidate awaiting signature (001 §8)."""
    services.reject_listing(
        entry_id, actor=request.auth, finding=payload.reason, version=payload.version
    )
    return _entry(request, entry_id)


@router.post("/entries/{entry_id}/sign", response=STEP)
def sign(request: HttpRequest, entry_id: RowId, payload: SignIn):
    """A responsible officer signs the decision; the entry takes effect today (R1)."""
    services.sign_decision(
        entry_id, actor=request.auth, decision_document_number=payload.decision_document_number,
        measures=payload.measures, leniency_grounds=payload.leniency_grounds,
        leniency_statement=payload.leniency_statement, not_repairable=payload.not_repairable,
        not_repairable_reason=payload.not_repairable_reason, version=payload.version,
    )  # fmt: skip
    return _entry(request, entry_id)


@router.post("/entries/{entry_id}/not-repairable/lift", response=STEP)
def lift_not_repairable(request: HttpRequest, entry_id: RowId, payload: LiftNotRepairableIn):
    """Lift the decision's ruling that the entry is not repairable, found wrong (R8, R10;
    000 §十一.3): by a caller that may sign, on an entry in force whose ruling stands. The
    ruling is kept, marked lifted; a correction notice follows the decision notice, and the
    entry takes repair again."""
    services.lift_not_repairable(
        entry_id, actor=request.auth, reason=payload.reason, version=payload.version
    )
    return _entry(request, entry_id)


@router.post("/entries/{entry_id}/exit", response=STEP)
def exit_entry(request: HttpRequest, entry_id: RowId, payload: ExitIn):
    """End an effective entry for a reason its list allows (R4)."""
    services.exit_entry(
        entry_id, actor=request.auth, reason=payload.reason, note=payload.note,
        version=payload.version,
    )  # fmt: skip
    return _entry(request, entry_id)


@router.post("/entries/{entry_id}/withdraw", response=STEP)
def withdraw(request: HttpRequest, entry_id: RowId, payload: WithdrawIn):
    """Drop a proposal before it is decided."""
    services.withdraw_listing(
        entry_id, actor=request.auth, reason=payload.reason, version=payload.version
    )
    return _entry(request, entry_id)
