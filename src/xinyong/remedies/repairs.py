"""Credit repair (信用修复): a subject applies with materials, the department decides (R8, R4;
000 §九, 002 §二十六, 001 §11-12, 003 §八).

A subject may apply for one of its own effective entries on a list that allows repair, or for
one of its own credit records while it is published or shared (an item not disclosed to the
public is still shared, and still counts against the subject) and, under the tiered rule, once
its minimum has passed (an entry's is the later of its list's catalog item's and its decision
records'): the same minimum holds for an officer's own exit as repaired
(``repaired_exit_refusal``). Repair is free of charge. The department concerned (the
list's recognizing department, the record's department) accepts or rejects with reasons:
an accepted entry exits early through the listing procedure's own exit (announcement, key
monitoring, records stopping); for an accepted record the department chooses the outcome
(``repair_outcomes``): publication (终止公示) and sharing (停止共享) stop that day, its
dishonesty tier is lowered, or its publication is shortened. An application whose entry ends
another way, or whose record is revoked, is closed with that end (``repair_closures``).
An entry whose decision ruled repair out, as especially serious, takes no application.
Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max

from xinyong.access.selectors import own_subject
from xinyong.audit import services as audit
from xinyong.catalog.models import CreditRecord, InfoKind, RecordFormat
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.periods import add_months
from xinyong.listings import daily_job_lock
from xinyong.listings import services as listings
from xinyong.listings.models import EntryState, ExitReason, ListEntry
from xinyong.listings.services.transitions import hold_list_row, officer_of
from xinyong.listings.workflow import EXIT_REASONS, FINAL_STATES
from xinyong.remedies import evidence, repair_closures, repair_outcomes, repair_workflow
from xinyong.remedies.models import (
    MaterialKind,
    RepairApplication,
    RepairMaterial,
    RepairOutcome,
    RepairState,
)
from xinyong.remedies.repair_workflow import RepairAction
from xinyong.remedies.services import own_entry

# The materials R8 names; the training record is optional (001 §11).
REQUIRED_MATERIALS = (MaterialKind.FULFILMENT, MaterialKind.COMMITMENT)
Materials = Mapping[str, Sequence[UploadedFile]]

SNAPSHOT_FIELDS = (
    "state", "entry_id", "record_id", "department_id", "decided_on", "reasons", "outcome",
    "new_tier", "new_ends_on",
)  # fmt: skip


def _snapshot(application: RepairApplication) -> dict[str, Any]:
    return {name: getattr(application, name) for name in SNAPSHOT_FIELDS}


def list_takes_repair(definition: Any) -> bool:
    """The list allows repair, and its kind has repair as a way out (R8, R4: not a red list)."""
    return definition.repairable and ExitReason.REPAIRED in EXIT_REASONS[definition.kind]


def entry_takes_repair(entry: ListEntry) -> bool:
    """Its list takes repair, and its decision did not rule repair of this especially serious
    entry out (R8)."""
    return list_takes_repair(entry.list) and not entry.not_repairable_reason


def entry_refusal(entry: ListEntry) -> XinyongError | None:
    """Why the entry takes no repair application now, or None (R8, R4). An entry past its
    last day of validity has already ended by expiry, whether or not the daily job has
    recorded it: there is nothing left to end early."""
    last = entry.valid_until
    if entry.state != EntryState.EFFECTIVE or (last is not None and clock.today() > last):
        return XinyongError(
            "repair-entry-not-effective", "仅对生效中的名单记录申请信用修复", status=409
        )
    if not list_takes_repair(entry.list):
        return XinyongError("not-repairable", "该名单不适用信用修复", status=422)
    if reason := entry.not_repairable_reason:
        return XinyongError(
            "not-repairable",
            f"列入决定已认定该记录不适用信用修复（理由：{reason}），不能申请信用修复",
            status=422, reason=reason,
        )  # fmt: skip
    return _before_minimum(entry_repairable_from(entry), clock.today())


def entry_repairable_from(entry: ListEntry) -> dt.date | None:
    """The first day the entry may be repaired (R8: repair only after the minimum): the day
    after the later of two minimums, its list's catalog item's counted from the decision
    (``_item_minimum_ends_on``) and the latest of the records that are its decision (same
    department, document number and subject), since its early exit stops them too; None when
    neither sets one."""
    ends = [
        day
        for day in (_item_minimum_ends_on(entry), _records_minimum_ends_on(entry))
        if day is not None
    ]
    return max(ends) + dt.timedelta(days=1) if ends else None


def _item_minimum_ends_on(entry: ListEntry) -> dt.date | None:
    """The last day of the minimum publication of the list's catalog item, counted as a record
    of the item counts it (``catalog.publication``): from the decision, which for an entry is
    the day it took effect, when its decision was signed (国办发〔2025〕22号: the period counts
    from the decision date). None for a list without an item, an item without a minimum, or an
    entry not yet decided."""
    if entry.list.catalog_item_id is None or entry.effective_on is None:
        return None
    months = entry.list.catalog_item.publication_months_min
    return None if months is None else add_months(entry.effective_on, months)


def _records_minimum_ends_on(entry: ListEntry) -> dt.date | None:
    if not entry.decision_number_key:
        return None
    latest: dt.date | None = CreditRecord.objects.filter(
        department_id=entry.list.recognizing_department_id, subject_id=entry.subject_id,
        document_number=entry.decision_number_key, revoked_on__isnull=True,
    ).aggregate(latest=Max("publication_min_ends_on"))["latest"]  # fmt: skip
    return latest


def repaired_exit_refusal(entry_id: int, department_id: int) -> XinyongError | None:
    """Why the department's officer may not end the entry as repaired today, or None: before
    the minimum, as an application is refused (R8: repair only after the minimum). Another
    department's entry, or one the listing procedure would refuse anyway (not in force, a list
    without repair), is left to that procedure to answer."""
    entry = (
        ListEntry.objects.filter(pk=entry_id, list__recognizing_department_id=department_id)
        .select_related("list")
        .first()
    )
    refused = None if entry is None else entry_refusal(entry)
    if refused is None or refused.code != "repair-before-minimum":
        return None
    first_day = refused.details["repairable_from"]
    return XinyongError(
        "repair-before-minimum", f"最短公示期未满，自 {first_day} 起方可以信用修复为由移出",
        status=409, repairable_from=first_day,
    )  # fmt: skip


def _before_minimum(first_day: dt.date | None, today: dt.date) -> XinyongError | None:
    """Refused until ``first_day`` (国办发〔2025〕22号: repair only after the minimum)."""
    if first_day is not None and today < first_day:
        return XinyongError(
            "repair-before-minimum",
            f"最短公示期未满，自 {first_day:%Y-%m-%d} 起可以申请信用修复",
            status=409, repairable_from=first_day.isoformat(),
        )  # fmt: skip
    return None


def record_repairable_from(record: CreditRecord) -> dt.date | None:
    """The first day the record may be repaired: the day after its minimum ends, whether or
    not it is published (国办发〔2025〕22号: repair only after the minimum); None when it sets
    no minimum."""
    if record.publication_min_ends_on is None:
        return None
    return record.publication_min_ends_on + dt.timedelta(days=1)


def live_listings_of(subject_id: int) -> set[tuple[int, str]]:
    """(recognizing department, decision number's key) of the subject's live entries: the
    identity of the records that are their decisions (``catalog.listing_records``)."""
    return set(
        ListEntry.objects.filter(subject_id=subject_id)
        .exclude(state__in=FINAL_STATES)
        .values_list("list__recognizing_department_id", "decision_number_key")
    )


def _listing_decision(record: CreditRecord) -> XinyongError | None:
    """A record that is a live list entry's decision (same department, document number and
    subject) is repaired through the entry: its early exit ends the measures and is announced
    (R4, R8), where stopping the record alone would leave the entry in force, or get round a
    list that takes no repair. As objections to such a record go through the entry (R6)."""
    if (record.department_id, record.document_number) in live_listings_of(record.subject_id):
        return XinyongError(
            "record-is-a-listing", "该信息是名单认定决定，请对相应的名单记录申请信用修复",
            status=409,
        )  # fmt: skip
    return None


def public_on(record: CreditRecord, day: dt.date) -> bool:
    """Public on ``day``: published, its publication not ended and its window not passed,
    whether or not the daily job has yet ended it (R8)."""
    ends = record.publication_ends_on
    shown = record.published_on is not None and record.publication_ended_on is None
    return shown and (ends is None or ends >= day)


def shared_on(record: CreditRecord, day: dt.date) -> bool:
    """Shared on ``day``, as ``catalog.selectors.shared_on`` reads it in the database."""
    ends = record.sharing_ends_on
    return record.sharing_stopped_on is None and (ends is None or ends >= day)


# Catalog kinds that never record dishonesty: a registration, a qualification, an honour. Repair
# mends dishonesty information (R8, 000 §九); there is nothing to mend in these, and a subject
# offered it for an honour would be told its honour counts against it. A licence is no
# dishonesty either (``RecordFormat.LICENCE``, within the administrative kind).
NEVER_DISHONESTY = frozenset({InfoKind.REGISTRATION, InfoKind.QUALIFICATION, InfoKind.HONOUR})


def record_refusal(record: CreditRecord, today: dt.date) -> XinyongError | None:
    """Why the record takes no repair application today, or None (R8).

    A record still published or still shared counts against the subject: shared only (an
    item not disclosed to the public), other departments still act on it and it may still
    found a black-list proposal, so it takes repair as a published one does. Once it is
    neither (终止公示 and 停止共享 both behind it, or revoked), nothing is left to repair.
    """
    item = record.catalog_item
    if item.record_format == RecordFormat.LICENCE or item.info_kind in NEVER_DISHONESTY:
        return XinyongError("not-repairable", "该信息不适用信用修复", status=422)
    if record.revoked_on is not None:
        return XinyongError(
            "repair-record-revoked", "该信息已经异议核实予以撤销，无需修复", status=409
        )
    listing = _listing_decision(record)
    if listing is not None:
        return listing
    if not public_on(record, today) and not shared_on(record, today):
        stopped = "未公示，且已" if record.published_on is None else "已终止公示并"
        return XinyongError(
            "repair-record-not-used", f"该信息{stopped}停止共享，无需修复", status=409
        )
    return _before_minimum(record_repairable_from(record), today)


def own_record(user: Any, record_id: int) -> CreditRecord:
    """One of the caller's own credit records; any other is not found (R14)."""
    record = (
        CreditRecord.objects.filter(pk=record_id, subject=own_subject(user))
        .select_related("catalog_item", "department", "subject")
        .first()
    )
    if record is None:
        raise XinyongError("record-not-found", "信用信息不存在", status=404)
    return record


def _checked(materials: Materials) -> list[tuple[str, UploadedFile, evidence.Kind]]:
    """Every file with its material and kind, bounded as objection evidence is (R8, R14)."""
    missing = [kind for kind in REQUIRED_MATERIALS if not materials.get(kind)]
    if missing:
        names = "、".join(str(MaterialKind(kind).label) for kind in missing)
        raise XinyongError("repair-materials-missing", f"请提交：{names}", status=422)
    files = [(kind, upload) for kind in MaterialKind for upload in materials.get(kind, ())]
    kinds = evidence.check([upload for _, upload in files])
    return [(kind, upload, found) for (kind, upload), found in zip(files, kinds, strict=True)]


def _entry_held(entry_id: int) -> ListEntry:
    """The entry, locked until the transaction commits, in the order every step on an entry
    takes its locks: the daily job's lock shared (``listings.daily_job_lock``), the list's
    row, then the entry's (``listings.services.transitions``); an application's row only after
    them, as an exit closes the open ones (``repair_closures``). An exit committed meanwhile is
    read, not missed, and one sent meanwhile waits; the listing procedure's own exit, taken in
    the same transaction, takes the same locks again at once."""
    daily_job_lock.wait_for_the_daily_job()  # first, before any row
    hold_list_row(entry_id)
    return (
        ListEntry.objects.select_for_update(of=("self",))
        .select_related("list__recognizing_department", "subject")
        .get(pk=entry_id)
    )


def _record_held(record_id: int) -> CreditRecord:
    """The record, locked until the transaction commits, as a founded objection's decision
    locks it before the application it closes (no key change: inserts referring to the record
    go on); a revocation committed meanwhile is read, and one sent meanwhile waits.

    The daily job's lock is taken shared first, before the record, as on an entry: a change of
    the holiday calendar holds it before its audit row and then counts records' due days again
    (``catalog.receivers``), where the application or decision, holding the record, would wait
    for that audit row (a deadlock); a signature, which holds it too, locks the records of its
    decision before it closes their applications (``repair_closures.close_for_new_decision``)."""
    daily_job_lock.wait_for_the_daily_job()  # first, before any row
    return (
        CreditRecord.objects.select_for_update(no_key=True, of=("self",))
        .select_related("catalog_item", "department", "subject")
        .get(pk=record_id)
    )


def _entry_target(entry_id: int) -> dict[str, Any]:
    """The entry applied for, locked and checked again (R8, R4): an exit committed since it
    was read refuses the application, instead of leaving it open on an entry that has ended,
    where no one could decide it nor close it."""
    entry = _entry_held(entry_id)
    _refuse_for_entry(entry)
    return {
        "subject": entry.subject, "entry": entry,
        "department": entry.list.recognizing_department,
    }  # fmt: skip


def _record_target(record_id: int) -> dict[str, Any]:
    """The record applied for, locked and checked again (R8, R6): as for an entry, a
    revocation committed since it was read refuses the application."""
    record = _record_held(record_id)
    _refuse_for_record(record)
    return {"subject": record.subject, "record": record, "department": record.department}


def _apply(
    *, actor: Any, corrected: str, materials: Materials, target: Callable[[], dict[str, Any]]
) -> RepairApplication:
    files = _checked(materials)
    with evidence.kept_only_if_taken() as kept, transaction.atomic():
        held = target()  # locked before the application refers to it
        try:
            with transaction.atomic():
                application = RepairApplication.objects.create(
                    account=actor, corrected=corrected, submitted_on=clock.today(), **held
                )
        except IntegrityError:
            raise _already_open() from None
        for kind, upload, found in files:
            evidence.store(RepairMaterial, upload, found, f"repairs/{application.pk}", kept,
                           application=application, kind=kind)  # fmt: skip
        audit.record(
            actor=actor, action="remedies.repair.apply", obj=application,
            after=_snapshot(application), reason=corrected,
        )  # fmt: skip
    return application


def _already_open() -> XinyongError:
    return XinyongError(
        "repair-pending", "已有信用修复申请正在办理，办结前不能再次申请", status=409
    )


def _refuse_for_entry(entry: ListEntry) -> None:
    refused = entry_refusal(entry)
    if refused is not None:
        raise refused
    if entry.repair_applications.filter(state=RepairState.SUBMITTED).exists():
        raise _already_open()


def _refuse_for_record(record: CreditRecord) -> None:
    refused = record_refusal(record, clock.today())
    if refused is not None:
        raise refused
    if record.repair_applications.filter(state=RepairState.SUBMITTED).exists():
        raise _already_open()


def apply_for_entry(
    entry_id: int, *, actor: Any, corrected: str, materials: Materials
) -> RepairApplication:
    """The subject applies to repair one of its own effective entries (R8, R4: early exit).
    Checked first as read, then again with the entry locked (``_entry_held``)."""
    entry = own_entry(actor, entry_id)
    _refuse_for_entry(entry)
    return _apply(
        actor=actor, corrected=corrected, materials=materials,
        target=lambda: _entry_target(entry.pk),
    )  # fmt: skip


def apply_for_record(
    record_id: int, *, actor: Any, corrected: str, materials: Materials
) -> RepairApplication:
    """The subject applies to repair one of its own records still published or shared, after
    its minimum (R8). Checked first as read, then again with the record locked
    (``_record_held``)."""
    record = own_record(actor, record_id)
    _refuse_for_record(record)
    return _apply(
        actor=actor, corrected=corrected, materials=materials,
        target=lambda: _record_target(record.pk),
    )  # fmt: skip


@transaction.atomic
def decide_repair(
    application_id: int,
    *,
    actor: Any,
    action: RepairAction,
    reasons: str,
    outcome: str | None = None,
    ends_on: dt.date | None = None,
) -> RepairApplication:
    """The department concerned accepts or rejects an application, with reasons (R8, R4).

    Accepting, it chooses the outcome (``repair_outcomes``; by default an entry's early exit,
    a record's publication and sharing stopped that day); ``ends_on`` is the day a shortened
    publication ends.

    Locked in the order every writer takes them: what it applies for first (an entry as every
    step on it locks it, ``_entry_held``; a record as a founded objection's decision does,
    ``_record_held``), then the application, as the end of either closes the open applications
    after locking it, and the daily job after taking its lock. The application is read again
    under the locks and its state checked through the transition table, so of two officers
    deciding at once the second finds it decided, and a decision sent while its entry exits or
    its record is revoked waits, then finds it closed.
    """
    officer = officer_of(actor)
    mine = RepairApplication.objects.filter(pk=application_id, department_id=officer.department_id)
    # Read unlocked for what it applies for (that never changes), to lock it first.
    target = mine.values("entry_id", "record_id").first()
    if target is None:  # another department's is as invisible as a missing one (R14)
        raise XinyongError("repair-not-found", "信用修复申请不存在", status=404)
    if action not in repair_workflow.DECISIONS:
        raise XinyongError("repair-action-invalid", "请选择准予或不予修复", status=422)
    if not reasons.strip():
        raise XinyongError("repair-reasons-required", "请说明理由", status=422)
    entry = _entry_held(target["entry_id"]) if target["entry_id"] is not None else None
    record = _record_held(target["record_id"]) if target["record_id"] is not None else None
    application = mine.select_for_update(of=("self",)).get()
    if entry is not None:
        application.entry = entry
    if record is not None:
        application.record = record
    before = _snapshot(application)
    application.state = repair_workflow.transition(application.state, action)
    today = clock.today()
    # An entry that has ended, or a record revoked, leaves nothing to repair nor to refuse:
    # the application closes with that end, not with a decision (R4, R6).
    ended = repair_closures.target_ended(application, today)
    if ended is not None:
        raise ended
    if application.record_id is not None and _listing_decision(application.record) is not None:
        # The record became a live listing's decision after it was applied for, and the
        # signature did not close the application: repaired through the entry, it is neither
        # accepted (that would stop the record under an entry left in force) nor rejected (its
        # subject would read 不予修复 of what it must apply for elsewhere) (R8).
        raise XinyongError(
            "record-is-a-listing", repair_closures.record_became_a_decision_text(), status=409
        )
    plan = None
    if action == RepairAction.ACCEPT:
        application.outcome = repair_outcomes.chosen(application, outcome)
        if ends_on is not None and application.outcome != RepairOutcome.SHORTEN:
            # The day would be ignored and the record stopped, or its tier lowered, instead
            # of the shortened publication the officer who typed it meant (R8).
            raise XinyongError(
                "repair-end-unused", "仅在选择“缩短公示期”时填写公示截止日期", status=422
            )
        if application.entry_id is not None:
            # Applied for before a decision record with a longer minimum arrived, say.
            too_early = _before_minimum(entry_repairable_from(application.entry), today)
            if too_early is not None:
                raise too_early
        if application.entry_id is not None and (
            application.entry.verification_due_on or application.entry.naming_objections
        ):
            # The early exit would end the objection unanswered: its objector is owed the
            # finding and the remedies (R6), so it is decided first, one verification at a time.
            raise XinyongError(
                "objection-pending", "该名单记录有异议正在核实，请先办结异议再决定信用修复",
                status=409,
            )  # fmt: skip
        if application.record_id is not None:
            # Worked out before the claim: a day refused leaves the application open.
            plan = repair_outcomes.plan_for_record(
                application.record_id, application.outcome, ends_on=ends_on, today=today
            )
            application.new_tier, application.new_ends_on = plan.new_tier, plan.new_ends_on
    application.decided_on, application.reasons = today, reasons
    application.decided_by = str(actor.get_username())
    # Claimed first, and only if still open: where the database takes no row lock (SQLite), a
    # second officer who read the application before the first decided changes nothing.
    claimed = RepairApplication.objects.filter(pk=application.pk, state=before["state"]).update(
        state=application.state, decided_on=today, reasons=reasons,
        decided_by=application.decided_by, outcome=application.outcome,
        new_tier=application.new_tier, new_ends_on=application.new_ends_on,
    )  # fmt: skip
    if not claimed:
        raise repair_workflow.already_decided()
    after = _snapshot(application)
    if action == RepairAction.ACCEPT and application.entry_id is not None:
        listings.exit_entry(
            application.entry_id, actor=actor, reason=ExitReason.REPAIRED, note=reasons
        )
    elif plan is not None:
        plan.carry_out()
        before["record"], after["record"] = plan.audit()
    audit.record(
        actor=actor, action=f"remedies.repair.{action}", obj=application, before=before,
        after=after, reason=reasons,
    )  # fmt: skip
    return application
