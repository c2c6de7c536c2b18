"""Objections to credit records (R6: anyone recorded may object with evidence; 000 §十一.2,
002 §二十七).

The record's subject objects online from its own page, or the department that recorded it
registers an objection received on paper. The department verifies within 20 days of receipt,
the last day moved off a holiday (R15), and decides once, through the transition table below:

- unfounded: the record stays as it is;
- founded: the department corrects the wrong facts (``record_corrections``) or revokes the
  record, whose publication (终止公示) and sharing (停止共享) stop that day. Nothing is deleted.

While verified, the record is marked as under objection wherever it is shown or shared, so
that no department acts on it unawares (R6: the measures based on it are suspended). Each
verb is one transaction with one audit row; the subject reads the result letter on its page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max

from xinyong.audit import services as audit
from xinyong.calendars.selectors import work_calendar
from xinyong.catalog.models import CreditRecord
from xinyong.core import clock, receipt
from xinyong.core.errors import XinyongError
from xinyong.listings import daily_job_lock
from xinyong.listings.services import OBJECTION_VERIFIED_WITHIN_DAYS
from xinyong.listings.services.transitions import officer_of
from xinyong.remedies import evidence, record_corrections, repair_closures
from xinyong.remedies.models import (
    RecordObjection,
    RecordObjectionEvidence,
    RecordObjectionOutcome,
    RecordObjectionState,
)
from xinyong.remedies.repairs import live_listings_of, own_record, public_on, shared_on


class Finding(StrEnum):
    FOUNDED = "founded"
    UNFOUNDED = "unfounded"


# (state, finding) → state: an objection is decided once (R6).
TRANSITIONS: dict[tuple[str, Finding], str] = {
    (RecordObjectionState.VERIFYING, Finding.FOUNDED): RecordObjectionState.FOUNDED,
    (RecordObjectionState.VERIFYING, Finding.UNFOUNDED): RecordObjectionState.UNFOUNDED,
}

SNAPSHOT_FIELDS = (
    "state", "record_id", "department_id", "objector", "received_on", "due_on",
    "due_provisional", "decided_on", "outcome", "corrections",
)  # fmt: skip


def _snapshot(objection: RecordObjection) -> dict[str, Any]:
    return {name: getattr(objection, name) for name in SNAPSHOT_FIELDS}


def _record_dates(record: CreditRecord) -> dict[str, Any]:
    return {"publication_ended_on": record.publication_ended_on,
            "sharing_stopped_on": record.sharing_stopped_on}  # fmt: skip


def already_open() -> XinyongError:
    return XinyongError("objection-pending", "已有异议正在核实，核实结束前不能再次提出", status=409)


def unused(record: CreditRecord, day: dt.date) -> XinyongError | None:
    """A record neither public nor shared any more reaches nobody: it takes no objection
    (R4, R6)."""
    if not public_on(record, day) and not shared_on(record, day):
        return XinyongError(
            "record-no-longer-used", "该信息已停止公示和共享，无需提出异议", status=409
        )
    return None


def listing_decision(record: CreditRecord, live: set[tuple[int, str]]) -> XinyongError | None:
    """A record that is a live list entry's decision is objected to through the entry: its
    verification suspends the measures, corrects the listing and announces it (R1, R4, R6).
    Revoking the record alone would leave the entry in force. ``live``: ``live_listings_of``
    the record's subject."""
    if (record.department_id, record.document_number) in live:
        return XinyongError(
            "record-is-a-listing", "该信息是名单认定决定，请对相应的名单记录提出异议", status=409
        )
    return None


def founded_through_the_entry(record: CreditRecord) -> XinyongError | None:
    """A record that became a live entry's decision while its objection was verified (the
    entry signed before ``sign_decision`` refused it, or at the same moment) is not corrected
    or revoked alone: the entry would stay in force on a record found wrong. It is founded
    through the entry's objection, which suspends the measures and corrects the listing (R6,
    R4), as a repair of such a record is (``repairs.decide_repair``)."""
    if listing_decision(record, live_listings_of(record.subject_id)) is None:
        return None
    return XinyongError(
        "record-is-a-listing",
        "该信息已是名单认定决定，不能单独更正或撤销：异议成立的，请通过相应的名单记录办理异议",
        status=409,
    )  # fmt: skip


def refusal(record: CreditRecord, day: dt.date) -> XinyongError | None:
    """Why the record takes no objection on ``day``, or None: it reaches nobody, it is a live
    listing's decision, or one is being verified (R6)."""
    if record.objections.filter(state=RecordObjectionState.VERIFYING).exists():
        return already_open()
    return unused(record, day) or listing_decision(record, live_listings_of(record.subject_id))


def object_to_record(
    record_id: int, *, actor: Any, grounds: str, files: Sequence[UploadedFile] = ()
) -> RecordObjection:
    """The subject objects online to one of its own records, with its evidence (R6)."""
    record = own_record(actor, record_id)
    return _open(record, actor=actor, account=actor, objector=record.subject.name,
                 grounds=grounds, files=files)  # fmt: skip


def register_objection(
    record_id: int, *, actor: Any, grounds: str, received_on: dt.date | None = None
) -> RecordObjection:
    """The recording department registers its record's subject's objection received on paper
    or at the counter; its evidence stays on paper (R6: the one recorded objects, and is
    answered). Another department's record is not found. ``received_on``: the day it arrived,
    when before today; its 20 days count from it (``core.receipt``)."""
    officer = officer_of(actor)
    record = (
        CreditRecord.objects.filter(pk=record_id, department_id=officer.department_id)
        .select_related("catalog_item", "subject", "department")
        .first()
    )
    if record is None:
        raise XinyongError("record-not-found", "信用信息不存在", status=404)
    return _open(record, actor=actor, account=None, objector=record.subject.name,
                 grounds=grounds, registered_by=str(actor.get_username()),
                 received_on=received_on)  # fmt: skip


def _open(
    record: CreditRecord, *, actor: Any, account: Any, objector: str, grounds: str,
    files: Sequence[UploadedFile] = (), registered_by: str = "",
    received_on: dt.date | None = None,
) -> RecordObjection:  # fmt: skip
    grounds = grounds.strip()
    if not grounds:
        raise XinyongError("objection-grounds-required", "须写明异议理由", status=422)
    today = clock.today()
    earliest, earliest_is = record.decision_date, "作出决定之日"
    if received_on is not None:  # one objection is verified at a time (R6)
        concluded = record.objections.aggregate(last=Max("decided_on"))["last"]
        if concluded is not None and concluded > earliest:
            earliest, earliest_is = concluded, "上一次异议办结之日"
    received = receipt.received_on(
        received_on, today=today, earliest=earliest, earliest_is=earliest_is
    )
    refused = refusal(record, today)
    if refused is not None:
        raise refused
    kinds = evidence.check(files)
    with evidence.kept_only_if_taken() as kept, transaction.atomic():
        # The calendar is read only once a change of it under way has committed, and a change
        # starting now waits for this objection, whose deadline it then counts again (R15).
        daily_job_lock.wait_for_the_daily_job()
        # A deadline past the known calendar is provisional and counted again when the calendar
        # changes (``recount_due_dates``).
        due = work_calendar().add_days(received, OBJECTION_VERIFIED_WITHIN_DAYS)
        try:
            with transaction.atomic():
                objection = RecordObjection.objects.create(
                    record=record, department=record.department, account=account,
                    registered_by=registered_by, objector=objector[:200], grounds=grounds,
                    received_on=received, due_on=due.date, due_provisional=due.provisional,
                )  # fmt: skip
        except IntegrityError:  # another objection opened at the same moment
            raise already_open() from None
        for upload, kind in zip(files, kinds, strict=True):
            folder = f"record-objections/{objection.pk}"
            evidence.store(RecordObjectionEvidence, upload, kind, folder, kept, objection=objection)
        audit.record(
            actor=actor, action="remedies.record_objection.open", obj=objection,
            after=_snapshot(objection), reason=grounds,
        )  # fmt: skip
    return objection


def already_decided() -> XinyongError:
    return XinyongError("objection-already-decided", "该异议已办结，请刷新后查看", status=409)


@transaction.atomic
def decide(
    objection_id: int, *, actor: Any, finding: Finding, statement: str, outcome: str = "",
    corrections: dict[str, str] | None = None,
) -> RecordObjection:  # fmt: skip
    """The recording department decides an objection, once (R6).

    Founded, it either corrects the fields given in ``corrections`` or revokes the record: its
    publication (if still public) and its sharing stop today, and a repair application open on
    it is closed (``repair_closures``); never on a record that is a live entry's decision
    (``founded_through_the_entry``). An outcome or corrections the
    decision would not use are refused. The objection is claimed only while still open, so of
    two officers deciding at once the second is told it is decided, and nothing of its own is
    written; a refused correction leaves the objection open.
    """
    officer = officer_of(actor)
    # First, as every step that a change of the holiday calendar recounts: a change under way
    # holds the audit chain's head and then this objection's row (R15).
    daily_job_lock.wait_for_the_daily_job()
    objection = (
        # Only the objection's row: a lock on the joined subject or catalog item would hold up
        # every other writer to them until this decision commits.
        RecordObjection.objects.select_for_update(of=("self",))
        .filter(pk=objection_id, department_id=officer.department_id)
        .select_related("record__catalog_item", "record__subject")
        .first()
    )
    if objection is None:  # another department's is as invisible as a missing one (R14)
        raise XinyongError("objection-not-found", "异议不存在", status=404)
    if not statement.strip():
        raise XinyongError("finding-required", "须写明核实结论", status=422)
    _only_what_is_used(Finding(finding), outcome, corrections)
    target = TRANSITIONS.get((objection.state, Finding(finding)))
    if target is None:
        raise already_decided()
    # No key changes: inserts referring to the record (an import's report rows) go on.
    record = CreditRecord.objects.select_for_update(no_key=True).get(pk=objection.record_id)
    record.subject, record.catalog_item = objection.record.subject, objection.record.catalog_item
    today = clock.today()
    before = {**_snapshot(objection), "record": _record_dates(record)}
    changes: dict[str, dict[str, str]] = {}
    if target == RecordObjectionState.FOUNDED:
        if outcome not in RecordObjectionOutcome.values:
            raise XinyongError("objection-outcome-required", "请选择更正或撤销", status=422)
        # Checked again, and before the claim: the record may have become a listing's
        # decision since the objection was opened; refused, the objection stays open.
        if (through_the_entry := founded_through_the_entry(record)) is not None:
            raise through_the_entry
        if outcome == RecordObjectionOutcome.CORRECT:
            changes = record_corrections.planned_corrections(record, corrections or {})
    letter = record_corrections.result_letter(
        record, founded=target == RecordObjectionState.FOUNDED, finding=statement,
        outcome=outcome, changes=changes, day=today,
        publication_stopped=public_on(record, today),
    )  # fmt: skip
    decided_by = str(actor.get_username())
    # Claimed first, and only if still open: where the database takes no row lock (SQLite), a
    # second officer who read the objection before the first decided changes nothing.
    claimed = RecordObjection.objects.filter(
        pk=objection.pk, state=RecordObjectionState.VERIFYING
    ).update(
        state=target, decided_on=today, decided_by=decided_by, finding=statement.strip(),
        outcome=outcome, corrections=changes, result_letter=letter,
    )  # fmt: skip
    if not claimed:
        raise already_decided()
    if outcome == RecordObjectionOutcome.REVOKE:
        if record.published_on is not None:  # one never published has no publication to end
            record.publication_ended_on = record.publication_ended_on or today
        record.sharing_stopped_on = record.sharing_stopped_on or today
        # No longer the record of its identity: the right decision can be sent in its place.
        record.revoked_on = today
        record.save(update_fields=["publication_ended_on", "sharing_stopped_on", "revoked_on"])
        # A repair open on it has nothing left to repair: closed with the revocation (R6, R8).
        repair_closures.close_for_record(record.pk, revoked_on=today, actor=actor, today=today)
    elif changes:
        record.save(update_fields=record_corrections.apply_corrections(record, changes))
    objection.refresh_from_db()
    after = {**_snapshot(objection), "record": _record_dates(record)}
    audit.record(
        actor=actor, action=f"remedies.record_objection.{finding}", obj=objection,
        before=before, after=after, reason=statement.strip(),
    )  # fmt: skip
    return objection


def _only_what_is_used(finding: Finding, outcome: str, corrections: dict | None) -> None:
    """An outcome or corrections sent where the decision does not use them are refused, not
    dropped: the officer would believe them applied."""
    if finding == Finding.UNFOUNDED and outcome:
        raise XinyongError("outcome-unused", "异议不成立时不选择更正或撤销", status=422)
    if corrections and (finding == Finding.UNFOUNDED or outcome == RecordObjectionOutcome.REVOKE):
        raise XinyongError("corrections-unused", "仅在异议成立并更正信息时填写更正内容", status=422)


def recount_due_dates() -> list[dict[str, Any]]:
    """Open objections' deadlines counted again on the calendar as it now is (R6, R15): a
    holiday notice loaded later may move a provisional last day. Answers each one moved: which
    and from what day to what."""
    calendar = work_calendar()
    moved = []
    open_ones = RecordObjection.objects.filter(state=RecordObjectionState.VERIFYING)
    for pk, received_on, due_on, provisional in open_ones.values_list(
        "pk", "received_on", "due_on", "due_provisional"
    ):
        due = calendar.add_days(received_on, OBJECTION_VERIFIED_WITHIN_DAYS)
        if (due.date, due.provisional) == (due_on, provisional):
            continue
        # Only if still open as read: one decided meanwhile keeps its deadline.
        if open_ones.filter(pk=pk, due_on=due_on).update(
            due_on=due.date, due_provisional=due.provisional
        ):
            moved.append({"objection": pk, "from": str(due_on), "to": str(due.date),
                          "provisional": due.provisional})  # fmt: skip
    return moved
