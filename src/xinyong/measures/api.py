"""Checks, feedback and the change feed for implementing departments' systems (R10, R11)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from xinyong.api.auth import TokenAuth
from xinyong.api.refusals import BODY, PARAMETERS, refusals
from xinyong.api.types import ClosedSchema, Cursor, Day, Filled, RowId, Text
from xinyong.audit.registrations import (
    client_address,
    register_change_feed,
    register_feedback,
)
from xinyong.core.errors import XinyongError
from xinyong.listings import feed_reads
from xinyong.measures import checks, name_decisions, registration, services
from xinyong.measures import selectors as measure_selectors

router = Router(tags=["checks"], auth=TokenAuth())
changes_router = Router(tags=["changes"], auth=TokenAuth())


class CheckIn(Schema):
    subject: Text | None = Field(None, description="unified social credit code or citizen ID")
    name: Text | None = Field(
        None,
        description="an organisation's name, when no code is known; refused (422) as "
        "name-empty, name-too-long, name-too-short (one character, or only a legal form or a "
        "branch's kind), name-control-character or name-is-an-identifier (a citizen ID). "
        "Sent beside `subject`, as batch screening reads a row with both: the code decides "
        "and a name naming another subject is warned (`name-mismatch`); an organisation's "
        "well-formed code nobody has is answered by the name unless it finds nothing "
        "(`code-unknown-answered-by-name`)",
    )
    scenario: Filled


class CheckedSubject(Schema):
    """The subject checked; a natural person's code and name masked."""

    code: str
    known: bool
    name: str | None = None
    kind: str | None = None
    matched_by: Literal["decision", "exact"] | None = Field(
        None, description="how a check by name chose the subject"
    )
    identifier_status: Literal["check-character-mismatch"] | None = Field(
        None,
        description="set when no subject has the code and its check character does not "
        "match: the code is most likely mistyped and should be verified",
    )
    warning: str | None = Field(None, description="what to verify, in Chinese")
    candidate: int | None = Field(
        None,
        description="for a subject chosen by name: what to send as `candidate` to "
        "POST /api/v1/checks/{check_id}/decisions to confirm or rule it out",
    )


class CandidateOut(Schema):
    """A subject a check by name offers; its code masked where it may be a citizen ID."""

    code: str
    known: bool
    name: str
    kind: str
    score: float = Field(..., description="0-100; 100: the same name once normalised")
    reasons: list[str] = Field(..., description="why it matched, in Chinese")
    candidate: int = Field(
        ...,
        description="what to send as `candidate` to POST /api/v1/checks/{check_id}/decisions "
        "to decide on this candidate (its code may be shown masked)",
    )


class CheckWarning(Schema):
    code: Literal["name-may-be-a-person", "name-mismatch", "code-unknown-answered-by-name"]
    message: str = Field(..., description="what to do, in Chinese")


class CheckOut(Schema):
    check_id: uuid.UUID
    as_of: dt.date
    scenario: str
    subject: CheckedSubject | None
    entries: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    result: str
    candidates: list[CandidateOut] = []
    warning: CheckWarning | None = Field(
        None,
        description="name-may-be-a-person: a check by name of a name that may be a person's "
        "that found no organisation, or exactly one and no decision took it: persons are "
        "checked by citizen ID only, so the result is `undetermined` (the organisation offered "
        "as a candidate). With both `subject` and `name`: name-mismatch (answered by the code, "
        "whose subject the name plainly does not name) or code-unknown-answered-by-name (no "
        "subject has the code; answered by the name, as a check by name is)",
    )
    warnings: list[CheckWarning] = Field(
        [],
        description="a check by `subject` and `name` answered by the name: every warning, "
        "`warning` being the first (code-unknown-answered-by-name, then name-may-be-a-person "
        "where the name may be a person's)",
    )


def _answer(made: registration.Registration) -> HttpResponse:
    """The answer as registered, encoded once (``registration``); it is what ``CheckOut`` says."""
    return HttpResponse(
        registration.answer_json(made), content_type="application/json; charset=utf-8"
    )


@router.post("", response={200: CheckOut, **refusals(BODY)})
def check(request: HttpRequest, payload: CheckIn):
    """Check a subject in a business scenario; the answer is registered (应查必查, R14)."""
    token = getattr(request, "api_token", None)
    if payload.subject:
        made = checks.check_by_code(
            actor=request.auth,
            token=token,
            code=payload.subject,
            scenario=payload.scenario,
            client_address=client_address(request),
            name=payload.name,
        )
    elif payload.name:
        made = checks.check_by_name(
            actor=request.auth,
            token=token,
            name=payload.name,
            scenario=payload.scenario,
            client_address=client_address(request),
        )
    else:
        raise XinyongError(
            "subject-or-name-required", "须提供统一社会信用代码/身份证号或名称", status=422
        )
    return _answer(made)


class MeasureFeedbackIn(ClosedSchema):
    measure: Filled
    applied: bool
    reason: Text = ""
    start: Day | None = Field(
        None,
        description="applied: its first day, from the check's day to today (default: "
        "`applied_on`); an entry it follows from was in force that day and not under an "
        "objection's verification. Not applied: left out",
    )
    end: Day | None = Field(
        None,
        description="applied: its last day, on or after `start`; every day up to it (or to "
        "today) an entry carried it, and a day after today lies within that entry's validity. "
        "Left out: it runs while its entries carry it (until they end, or an objection "
        "suspends them)",
    )


class FeedbackIn(ClosedSchema):
    """A report of what the department did for one business (fields not listed here are
    refused with 422, each named, never dropped)."""

    business_reference: Filled = Field(..., max_length=128)
    outcome: Text = ""
    measures: list[MeasureFeedbackIn]
    applied_on: Day | None = Field(
        None,
        description="the day the business applied the measures, from the check's day to "
        "today (default: today); the entries are judged as they stood that day, and it is "
        "each applied measure's `start` unless it says its own",
    )
    corrects: RowId | None = Field(
        None,
        description="to correct a report: its `id` (the latest of the business, as "
        "answered); the same business reference, about the same subject, by the department "
        "that reported it. The corrected report is kept and no longer counted; the new one "
        "is judged as any report is",
    )
    correction_reason: Text = Field(
        "", description="why the report is corrected; required with `corrects`"
    )


class MeasureFeedbackOut(Schema):
    measure: str
    applied: bool
    reason: str
    start: dt.date | None = Field(None, description="applied: its first day")
    end: dt.date | None = Field(None, description="applied: its last day; null: open")


class FeedbackOut(Schema):
    id: int
    check_id: uuid.UUID = Field(..., alias="check_record_id")
    created_at: dt.datetime
    applied_on: dt.date | None
    business_reference: str
    outcome: str
    measures: list[MeasureFeedbackOut]
    corrects: int | None = Field(
        None, alias="corrects_id", description="the report this one corrects, if any"
    )
    correction_reason: str = ""

    @staticmethod
    def resolve_measures(obj: Any) -> list[dict[str, Any]]:
        """As stored; an applied measure reported before measures had a start, from the
        report's day of application."""
        day = obj.applied_on.isoformat() if obj.applied_on else None
        return [
            {**m, "start": m.get("start") or (day if m["applied"] else None)} for m in obj.measures
        ]


@router.post(
    "/{check_id}/feedback",
    response={200: FeedbackOut, 201: FeedbackOut, **refusals(BODY, 404, 409)},
)
def feedback(request: HttpRequest, check_id: uuid.UUID, payload: FeedbackIn):
    """Report which measures were applied or not and why, each applied one from when to when,
    and the result (R11, 002 §二十三, DOMAIN §5); or correct such a report.

    201 with the new report; 200 with the first one when the same report is sent again for the
    same business reference; 409 when that business was already reported differently. To
    correct it, send the whole report again with `corrects` (the `id` of the report that
    stands) and `correction_reason`: 201 with the correction, which replaces it in the
    statistics, the corrected report kept; 409 `feedback-already-corrected` when that report
    was corrected since (correct the latest); 409 `subject-ruled-out` when the department has
    ruled out, for the name the check asked, the subject it matched (`/decisions`): check
    again, and report through the new answer. A report on a check about a person is
    registered, taken or refused, as it tells the person's entries as they stand (R14).
    """
    try:
        row, created = services.report_feedback(
            actor=request.auth, check_id=check_id, business_reference=payload.business_reference,
            outcome=payload.outcome,
            measures=[services.ReportedMeasure(m.measure, m.applied, m.reason, m.start, m.end)
                      for m in payload.measures],
            token=getattr(request, "api_token", None), applied_on=payload.applied_on,
            corrects=payload.corrects, correction_reason=payload.correction_reason,
        )  # fmt: skip
    except XinyongError as refused:
        if refused.status != 404:  # the check was the caller's: the refusal tells its subject
            register_feedback(request, measure_selectors.subject_of_check(check_id))
        raise
    register_feedback(request, measure_selectors.subject_of_check(check_id))
    return Status(201 if created else 200, row)


class DecisionIn(Schema):
    """One of the check's candidates, named by its `candidate` or by its full code."""

    candidate: int | None = Field(
        None, description="the `candidate` of one of the check's candidates, as answered"
    )
    subject: Filled | None = Field(
        None,
        description="or the candidate's code in full (a code the answer shows masked can only "
        "be decided by `candidate`)",
    )
    same_subject: bool
    reason: Filled  # why the name is, or is not, this subject: the service requires it


class DecisionOut(Schema):
    normalized_name: str
    subject_id: int
    same_subject: bool
    reason: str
    decided_by: str
    decided_at: dt.datetime


@router.post("/{check_id}/decisions", response={201: DecisionOut, **refusals(BODY, 404, 409)})
def decide(request: HttpRequest, check_id: uuid.UUID, payload: DecisionIn):
    """Record whether the name asked is one of the check's candidates (or the subject it chose
    by name), with who, when and why; later checks by the department remember it.

    Send exactly one of `candidate` (as the answer gave it) and `subject` (the full code). A
    subject the check did not offer is refused with 404, whether or not it exists. Ruling out
    a subject the department reported a measure applied to, through a check by this name, is
    refused with 409 `subject-has-applied-feedback` (naming the reports in `feedback_ids`):
    correct those reports first. Once ruled out, reports on that subject through such a check
    are refused with 409 `subject-ruled-out`.
    """
    decision = name_decisions.decide_name(
        actor=request.auth, check_id=check_id, candidate=payload.candidate,
        subject_code=payload.subject, same_subject=payload.same_subject, reason=payload.reason,
        token=getattr(request, "api_token", None),
    )  # fmt: skip
    return Status(201, decision)


class ChangeOut(Schema):
    cursor: int
    kind: Literal[
        "took_effect", "extended", "shortened", "ended", "suspended", "resumed",
        "naming_suspended", "naming_resumed", "naming_ended",
    ] = Field(
        ...,
        description=(
            "took_effect: the entry applies; extended: its validity runs on to a later"
            " valid_until; shortened: its validity now ends earlier, on valid_until (a key"
            " monitoring whose listing was found wrong: its measures stop after that day);"
            " ended: it no longer applies; suspended: an objection suspends its measures while"
            " verified; resumed: they apply again; naming_suspended: a person the entry names"
            " (`person`) objects to being named, and only the measures reaching that person"
            " through the entry are suspended while verified (the subject's own still apply);"
            " naming_resumed: they apply to that person again; naming_ended: that person's"
            " objection was found founded and the naming removed, so no measure reaches the"
            " person through the entry any more (the entry and the subject's own stand)"
        ),
    )  # fmt: skip
    entry_id: int
    subject: dict[str, Any]
    person: dict[str, Any] | None = Field(
        None,
        description="for naming_suspended, naming_resumed and naming_ended: the person named"
        " (code and name masked); null otherwise",
    )
    list_kind: str
    list_name: str
    domain: str
    business_date: dt.date
    valid_until: dt.date | None = Field(
        ...,
        description=(
            "the entry's last day of validity as it was at this change (a later item of the"
            " entry may change it); null: until its exit"
        ),
    )


class ChangesOut(Schema):
    changes: list[ChangeOut]
    next: int


@changes_router.get("", response={200: ChangesOut, **refusals(PARAMETERS)})
def changes(request: HttpRequest, since: Cursor = 0, limit: int = Query(500, ge=1, le=5000)):
    """Entries that took effect, were extended or shortened, ended, or were suspended or resumed
    since the cursor; each with the entry's validity as it was at the change, so that the items
    read in order, from any cursor, keep a copy of it current (R11).

    A page holds up to ``limit`` changes and fewer only at the feed's end: an empty page means
    caught up. A cursor beyond the feed's end, which this feed never handed out (kept across a
    restore of an older backup, or from another environment), answers 422 ``cursor-ahead``:
    read again from ``since=0``. A caller sees only the changes of entries whose list could
    make one of its measures apply: an active measure of the measures list, in a scenario its
    token names, follows from the list's kind and domain for its department, and targets whom
    the change concerns as a check tests it (a natural person's entry, persons; an
    organisation's, organisations or a role it names a person in; a naming's change, that
    person's role) (R10, R14: least privilege); and of another department's list, only one
    shared with every department, as its checks meet it (R13). Other items are passed over,
    and ``next`` passes them too. What a department receives follows the measures list, its
    token's scenarios and the lists' share scopes as they stand when it reads: after any of
    them changes, it reads the feed again from ``since=0`` (the feed replays every change)."""
    officer = getattr(request.auth, "officer", None)
    if officer is None or not officer.department.is_implementing:
        raise XinyongError("implementing-department-required", "仅限联合奖惩实施部门", status=403)
    token = getattr(request, "api_token", None)
    # A token reaches only the scenarios it names, as in checks; a session, any scenario.
    scenarios = None if token is None else token.scenarios or []
    reaches = measure_selectors.lists_reaching(officer.department_id, scenarios)
    rows, next_cursor = feed_reads.changes_since(
        since, limit, reaches=reaches, department_id=officer.department_id
    )
    register_change_feed(
        request, [change.entry for change in rows], [c.person for c in rows if c.person]
    )
    return {
        "changes": [
            {
                "cursor": change.cursor,
                "kind": change.kind,
                "entry_id": change.entry.pk,
                "subject": checks.describe_subject(change.entry.subject),
                "person": change.person and checks.describe_subject(change.person),
                "list_kind": change.entry.list.kind,
                "list_name": change.entry.list.name,
                "domain": change.entry.list.domain.name,
                "business_date": change.business_date,
                "valid_until": change.valid_until,
            }
            for change in rows
        ],
        "next": next_cursor,
    }
