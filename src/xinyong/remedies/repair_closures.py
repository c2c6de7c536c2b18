"""A repair application whose entry or record ends another way while it is open (R8, R4, R6).

An entry that exits for any reason but this repair (found wrong and corrected, expired, …), a
record that is the decision of an entry that exits so (its record stops with it), a record
revoked on a founded objection, or a record whose publication and sharing have both ended
(终止公示 and 停止共享: at their maximum, the daily job's, or earlier), leaves its open
application nothing to repair; a record that becomes a listing's decision when it is signed is
repaired through the entry from then on (R8). It is closed in the transaction that ends its
target, or signs the decision: neither accepted nor rejected (a subject whose listing was found
wrong must not read 不予修复), with the reason the subject reads on its own page where a
decision's reasons are, and one audit row each. A decision asked for on an application whose
target has ended, before it is closed (an entry past its last day of validity that the daily
job has not yet exited), is refused with that reason (``target_ended``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from xinyong.audit import services as audit
from xinyong.catalog.listing_records import CHUNK, Decision
from xinyong.catalog.models import CreditRecord
from xinyong.core.errors import XinyongError
from xinyong.listings.models import EntryState, ExitReason, ListEntry
from xinyong.listings.workflow import FINAL_STATES
from xinyong.remedies import repair_workflow
from xinyong.remedies.models import RepairApplication, RepairState
from xinyong.remedies.repair_workflow import RepairAction

# How the subject is told its entry ended, by the reason it ended for (000 §十).
ENTRY_ENDED = {
    ExitReason.CORRECTED: "经核实认定有误，予以更正并移出",
    ExitReason.EXPIRED: "因有效期届满移出",
    ExitReason.REPAIRED: "以信用修复为由移出",
    ExitReason.BLACKLISTED: "因列入严重失信主体名单移出",
    ExitReason.REQUESTED: "应当事人申请移出",
    ExitReason.REPORTED: "经举报核实不符合列入条件移出",
    ExitReason.CONDITION_NO_LONGER_MET: "因不再符合列入条件移出",
}
CLOSED = "信用修复申请随之终止办理，无需再作决定"


def entry_ended_text(reason: str, exited_on: dt.date) -> str:
    return f"该名单记录已于{exited_on:%Y-%m-%d}{ENTRY_ENDED.get(reason, '移出')}，{CLOSED}。"


def record_revoked_text(revoked_on: dt.date) -> str:
    return f"该信用信息已于{revoked_on:%Y-%m-%d}经异议核实予以撤销，{CLOSED}。"


RECORD_ENDED_TEXT = f"该信用信息的公示期和共享期均已届满，已终止公示并停止共享，{CLOSED}。"
# Stopped before its windows ran out (its listing ended, say): no claim of a window's end.
RECORD_STOPPED_TEXT = f"该信用信息已终止公示并停止共享，{CLOSED}。"


def record_became_a_decision_text() -> str:
    """A record that became a live listing's decision is repaired through the entry (R8)."""
    return f"该信用信息已成为名单认定决定，请对相应的名单记录申请信用修复；{CLOSED}。"


def decision_ended_text(reason: str, exited_on: dt.date) -> str:
    """A record that is a listing's decision ends with its entry (R4): told the entry's exit."""
    why = ENTRY_ENDED.get(reason, "移出")
    return f"该信用信息是名单认定决定，相应的名单记录已于{exited_on:%Y-%m-%d}{why}，{CLOSED}。"


def _record_ended(day: dt.date) -> Q:
    """Records neither public nor shared on ``day`` by their windows, whether or not the daily
    job has yet written the stops (as ``repairs.public_on`` and ``shared_on`` read one)."""
    unpublished = (
        Q(published_on__isnull=True)
        | Q(publication_ended_on__isnull=False)
        | Q(publication_ends_on__lt=day)
    )
    unshared = Q(sharing_stopped_on__isnull=False) | Q(sharing_ends_on__lt=day)
    return unpublished & unshared


def _windows_ran_out(day: dt.date) -> Q:
    """Records whose own windows have both passed by ``day`` (R8: publication and sharing stop
    at the maximum), not merely stopped early: only these are told their windows ran out."""
    unpublished = Q(published_on__isnull=True) | Q(publication_ends_on__lt=day)
    return unpublished & Q(sharing_ends_on__lt=day)


def target_ended(application: RepairApplication, today: dt.date) -> XinyongError | None:
    """Why the department cannot decide the application: what it applies for has ended, so
    there is nothing left to repair, nor to refuse (R4, R6); None while it is in force."""
    entry = application.entry
    if entry is not None:
        if entry.state == EntryState.EXITED and entry.exited_on is not None:
            message = entry_ended_text(entry.exit_reason, entry.exited_on)
        elif entry.state != EntryState.EFFECTIVE:
            message = f"该名单记录已不在生效中，{CLOSED}。"
        elif entry.valid_until is not None and today > entry.valid_until:
            # Ended by expiry the day after its last day (R4), whether or not the daily job has
            # recorded it; its run closes the application.
            message = (
                f"该名单记录有效期至 {entry.valid_until:%Y-%m-%d}，已届满移出（每日任务将予登记），"
                f"{CLOSED}。"
            )
        else:
            return None
        return XinyongError("repair-entry-ended", message, status=409)
    record = application.record
    if record is not None and record.revoked_on is not None:
        return XinyongError(
            "repair-record-revoked", record_revoked_text(record.revoked_on), status=409
        )
    if (
        record is not None
        and type(record).objects.filter(_record_ended(today), pk=record.pk).exists()
    ):
        # Neither shown nor shared: a repair would stop nothing, and past both its windows,
        # "stopped on the day of the decision" would be a later day than the rules gave. Told
        # the windows ran out only where they did (stopped early with its listing, say, not).
        ran_out = type(record).objects.filter(_windows_ran_out(today), pk=record.pk).exists()
        message = RECORD_ENDED_TEXT if ran_out else RECORD_STOPPED_TEXT
        return XinyongError("repair-record-ended", message, status=409)
    return None


def close_for_entries(
    entry_ids: Iterable[int], *, reason: str, exited_on: dt.date, actor: Any, today: dt.date
) -> int:
    """Close the open applications of entries that ended for ``reason`` on ``exited_on``;
    answers how many. Run inside the transaction that ends them."""
    applications = RepairApplication.objects.filter(
        entry_id__in=list(entry_ids), state=RepairState.SUBMITTED
    )
    return _close(applications, entry_ended_text(reason, exited_on), actor=actor, today=today)


def close_for_record(record_id: int, *, revoked_on: dt.date, actor: Any, today: dt.date) -> int:
    """Close the open application of a record revoked on a founded objection (R6)."""
    applications = RepairApplication.objects.filter(
        record_id=record_id, state=RepairState.SUBMITTED
    )
    return _close(applications, record_revoked_text(revoked_on), actor=actor, today=today)


def _its_record(condition: Q) -> Exists:
    """An application whose record meets ``condition``, asked of that one record by its key.

    Not ``record__in=<records meeting it>``: on PostgreSQL that is a list of every such record
    (a quarter of a million ended ones at production size, and never fewer: nothing is
    deleted), too large to hash in memory, so it was read through once per open application,
    some 30 s of the daily job under its exclusive lock (0.01 s this way)."""
    return Exists(CreditRecord.objects.filter(condition, pk=OuterRef("record_id")))


def close_for_ended_records(day: dt.date, *, actor: Any = None) -> int:
    """Close the open applications of records whose publication and sharing have both ended
    before ``day`` (the daily job's run for ``day``, after it wrote the stops); answers how
    many. A revoked record's application is closed when it is revoked (``close_for_record``).
    Told the windows ran out only where they did; one stopped earlier is told it stopped."""
    with transaction.atomic():
        applications = RepairApplication.objects.filter(
            _its_record(_record_ended(day)), state=RepairState.SUBMITTED, record__isnull=False,
            record__revoked_on__isnull=True,
        )  # fmt: skip
        ran_out = _its_record(_windows_ran_out(day))
        return _close(
            applications.filter(ran_out), RECORD_ENDED_TEXT, actor=actor, today=day
        ) + _close(
            applications.exclude(ran_out), RECORD_STOPPED_TEXT, actor=actor, today=day
        )  # fmt: skip


def close_for_new_decision(
    *, department_id: int, document_number: str, subject_id: int, actor: Any, today: dt.date
) -> int:
    """Close the open applications of the records a decision signed today rests on: from now
    on they are repaired through the entry (R8). Run inside the signing's transaction.

    The records are locked first, in id order, as an application for one locks it before it
    checks it again and is inserted (``repairs._record_held``): one sent meanwhile waits for the
    signature, then reads the record as a listing's decision and is refused, where it used to be
    inserted just after this closing and stay open for good."""
    records = CreditRecord.objects.filter(
        department_id=department_id, document_number=document_number, subject_id=subject_id
    )
    list(records.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
    applications = RepairApplication.objects.filter(
        state=RepairState.SUBMITTED, record__department_id=department_id,
        record__document_number=document_number, record__subject_id=subject_id,
    )  # fmt: skip
    return _close(applications, record_became_a_decision_text(), actor=actor, today=today)


def close_for_decision_records(day: dt.date, *, actor: Any = None) -> int:
    """Close the open applications of records that are a live listing's decision (R8): the
    daily job's run for ``day``, under its lock; answers how many.

    The signature closes them (``close_for_new_decision``), but one sent while it was signed,
    before the signature locked the records, or kept from a release whose signature closed
    none, was left open, and no decision may accept or reject it (``repairs.decide_repair``:
    ``record-is-a-listing``). Closed with the signature's reason, dated the run's day, one audit
    row each. A revoked record's application, or that of a record past both its windows, is
    left to its own closing (``close_for_record``, ``close_for_ended_records``), with the reason
    a decision on it is refused with first (``target_ended``). The records are locked first, in
    id order, then the applications, as every writer of either takes them."""
    live_decision = ListEntry.objects.filter(
        subject_id=OuterRef("record__subject_id"),
        list__recognizing_department_id=OuterRef("record__department_id"),
        decision_number_key=OuterRef("record__document_number"),
    ).exclude(state__in=FINAL_STATES)  # as ``repairs.live_listings_of`` reads them
    with transaction.atomic():
        applications = RepairApplication.objects.filter(
            Exists(live_decision), state=RepairState.SUBMITTED, record__isnull=False,
            record__revoked_on__isnull=True,
        ).exclude(_its_record(_record_ended(day)))  # fmt: skip
        record_ids = sorted(set(applications.values_list("record_id", flat=True)))
        if not record_ids:
            return 0
        records = CreditRecord.objects.select_for_update(no_key=True).filter(pk__in=record_ids)
        list(records.order_by("pk").values_list("pk", flat=True))
        # Read again under the locks: one decided or closed meanwhile is no longer open.
        return _close(
            applications.filter(record_id__in=record_ids), record_became_a_decision_text(),
            actor=actor, today=day,
        )  # fmt: skip


def close_for_ended_decisions(
    decisions: Iterable[Decision], *, reason: str, actor: Any, today: dt.date
) -> int:
    """Close the open applications of the records that ended entries' decisions are (R4, R8),
    each with its entry's exit; answers how many. Run inside the transaction that ends them.
    Open applications are few: they are read by the decisions' subjects, and matched here."""
    by_identity = {(d.department_id, d.document_number, d.subject_id): d for d in decisions}
    subjects = sorted({subject_id for _, _, subject_id in by_identity})
    found: dict[tuple[int, str, int], list[int]] = {}
    for start in range(0, len(subjects), CHUNK):
        open_ones = RepairApplication.objects.filter(
            state=RepairState.SUBMITTED, record__isnull=False, record__revoked_on__isnull=True,
            record__subject_id__in=subjects[start : start + CHUNK],
        ).values_list(
            "pk", "record__department_id", "record__document_number", "record__subject_id"
        )  # fmt: skip
        for pk, *identity in open_ones:
            if tuple(identity) in by_identity:
                found.setdefault(tuple(identity), []).append(pk)
    texts = {
        pk: decision_ended_text(reason, by_identity[identity].exited_on)
        for identity, pks in found.items()
        for pk in pks
    }
    # One at a time in id order, as ``_close`` locks a set of them.
    return sum(
        _close(RepairApplication.objects.filter(pk=pk), texts[pk], actor=actor, today=today)
        for pk in sorted(texts)
    )


def _close(
    applications: QuerySet[RepairApplication], reasons: str, *, actor: Any, today: dt.date
) -> int:
    decided_by = audit.describe_actor(actor)[0]
    closed = 0
    # Locked, in id order, as a decision locks its one: an officer deciding at the same moment
    # either commits first, and the application is no longer open here, or finds it closed.
    # Only the applications' rows: a filter on their records joins them, and locking those too
    # in the same statement would take the record after the application, where a decision
    # takes it before (``repairs.decide_repair``).
    for application in applications.select_for_update(of=("self",)).order_by("pk"):
        state = repair_workflow.transition(application.state, RepairAction.CLOSE)
        claimed = RepairApplication.objects.filter(
            pk=application.pk, state=RepairState.SUBMITTED
        ).update(state=state, decided_on=today, decided_by=decided_by, reasons=reasons)
        if not claimed:
            continue
        audit.record(
            actor=actor, action="remedies.repair.close", obj=application,
            before={"state": application.state, "decided_on": None, "reasons": ""},
            after={"state": state, "decided_on": today, "reasons": reasons},
            reason=reasons,
        )  # fmt: skip
        closed += 1
    return closed
