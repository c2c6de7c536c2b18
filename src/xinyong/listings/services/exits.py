"""Exits: an effective entry ends, is announced, and a black-list exit starts key monitoring
(R3, R4; 000 §十, 002 §二十一), which ends with it if the listing is found wrong after the exit,
or, ended already, is corrected after its own exit (R6, 000 §十一.3), then or once an objection
of its own is found unfounded. A black listing found wrong, at its exit or after it, also
restores the red entries it ended (R2; ``restoration``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db import transaction

from xinyong.audit import services as audit
from xinyong.catalog import listing_records
from xinyong.core.errors import XinyongError
from xinyong.listings import documents, escalation, notifications, objection_letters, workflow
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import ExitReason, ListEntry, ListKind
from xinyong.listings.services import restoration
from xinyong.listings.services.transitions import (
    announce,
    close_naming_objection,
    close_objection,
    hold_list_row,
    named_objection,
    objections_context,
    officer_of,
    record_event,
    snapshot,
    transition,
)
from xinyong.listings.tick import big_data_warnings
from xinyong.listings.workflow import Action


def _start_key_monitoring(entry: ListEntry, *, actor: Any, today: dt.date) -> None:
    """Leaving a black list starts key monitoring from the exit date for the period its list sets
    (R3, 002 §二十一); a subject already monitored on that list has its live entry run on to the
    later end instead, as one subject is monitored once per list at a time. One monitored as
    long already keeps its entry as it is, with this exit in its history as one that requires
    it (``monitor_again``), so a correction of the exit that set its end leaves the subject
    monitored for this one (R4).

    Each step is dated the exit's day, the day it applies from, even when the exit is recorded
    later (an expiry an officer records late: R4, R15), as the daily job dates them; the change
    feed tells departments so (R11)."""
    targets = escalation.monitoring_targets()
    candidate = escalation.monitoring_entry(entry, entry.exited_on, targets)
    if candidate is None:
        return
    start = candidate.effective_on or today
    placement = escalation.place_monitoring([candidate])
    for stale in placement.ended:  # its validity ended before this exit: it exits first (R4)
        end_entry(stale.pk, actor=actor, reason=ExitReason.EXPIRED, system=True)
    for monitored in placement.new:
        monitored.save()
        record_event(monitored, action="monitor", from_state="", actor=actor, day=start)
        audit.record(
            actor=actor, action="listing.monitor", obj=monitored, after=snapshot(monitored)
        )
    for extension in placement.extended:
        monitored = extension.entry
        before = snapshot(monitored)
        details = extension.apply()
        monitored.save(update_fields=["valid_until", "version"])
        record_event(
            monitored, action="extend", from_state=monitored.state, actor=actor, day=start,
            data=details,
        )  # fmt: skip
        audit.record(
            actor=actor, action="listing.extend", obj=monitored, before=before,
            after=snapshot(monitored),
        )  # fmt: skip
    for requirement in placement.required:
        monitored = requirement.entry
        record_event(
            monitored, action=escalation.MONITOR_AGAIN, from_state=monitored.state, actor=actor,
            day=start, data=requirement.details(),
        )  # fmt: skip


def _end_key_monitoring(entry: ListEntry, *, actor: Any, today: dt.date, finding: str) -> None:
    """A black listing found wrong after its exit takes back the key monitoring the exit started
    or ran on (R3, R6, 000 §十一.3): the subject is not monitored because of a listing that was
    wrong. What other exits of the subject set stands (``escalation.withdraw_monitoring``).

    An entry that rested only on this exit (or on exits all found wrong) exits as corrected,
    with its own history, audit row and change (``end_entry``, as any exit the platform takes).
    One that another exit still holds gets back the end that exit set: a ``shorten`` event
    naming the correction, which the change feed tells as ``shortened`` to the entry's new end
    (R11), so that a department stops its measures then. If that
    end has already passed, the entry ended by expiry the day after it (R4: an expiry is a fact
    of the calendar, dated by it, not by the day it is recorded); the monitoring that other
    exit set was not wrong, only the part this exit added, so it exits as expired, dated as the
    daily job would have dated it, and not as corrected. The same holds for an entry that rested
    only on this exit but whose own end has passed before the daily job exited it.

    Run inside the correction's transaction (``transition`` holds the daily job's lock shared);
    each monitoring entry's list row is held before the entry, in the order every step takes
    them (``transitions``).
    """
    ids = escalation.monitoring_of(entry)
    for monitored_id in ids:
        hold_list_row(monitored_id)
    for withdrawal in escalation.withdraw_monitoring(entry, ids):
        monitored = withdrawal.entry
        if withdrawal.stands:
            before = snapshot(monitored)
            details = withdrawal.apply()
            monitored.save(update_fields=["valid_until", "version"])
            why = f"{entry.list.name}列入经核实有误，撤销其移出时对重点监测期限的延长"
            record_event(
                monitored, action=escalation.SHORTEN, from_state=monitored.state, actor=actor,
                day=today, reason=why, data=details,
            )  # fmt: skip
            audit.record(
                actor=actor, action="listing.shorten", obj=monitored, before=before,
                after=snapshot(monitored), reason=why,
            )  # fmt: skip
        if monitored.valid_until is not None and monitored.valid_until < today:
            end_entry(monitored.pk, actor=actor, reason=ExitReason.EXPIRED, system=True)
        elif not withdrawal.stands:
            end_entry(
                monitored.pk, actor=actor, reason=ExitReason.CORRECTED, system=True,
                note=f"所依据的{entry.list.name}列入经核实有误：{finding.strip()}",
            )  # fmt: skip


def _correct_ended_monitoring(
    entry: ListEntry, *, actor: Any, today: dt.date, finding: str
) -> None:
    """Key monitoring that the black exit started, ran on or required and that had already
    ended (its period over) when the listing was found wrong is corrected after its exit (R3,
    R6, 000 §十一.3), as an ended big-data warning is (``tick.big_data_warnings``): a
    ``correct`` step naming the black listing, with the subject's correction and apology
    (``documents.correction_letter``), so that nothing reads it as rightly made
    (``selectors.corrected_after_exit``). Its exit stands with its reason and day, and the
    change feed tells nothing new: the measures stopped then (R4, R11).

    Only one that rested on listings all found wrong: one another exit still standing required
    was rightly monitored (``escalation.withdraw_monitoring``), and the last of those listings
    found wrong corrects it. One under an objection of its own is left to its department's
    finding, which corrects it if unfounded (``correct_monitoring_left_to_its_objection``);
    it is held all the same, so that a finding committing meanwhile is not missed
    (``escalation.left_to_correct``). Run in the correction's transaction, each list row held
    before its entry, as ``_end_key_monitoring`` holds them.
    """
    ids = escalation.ended_monitoring_of(entry)
    for monitored_id in ids:
        hold_list_row(monitored_id)
    for monitored in escalation.left_to_correct(escalation.withdraw_monitoring(entry, ids)):
        _correct_monitoring(monitored.pk, entry, finding, actor=actor)


def correct_monitoring_left_to_its_objection(entry: ListEntry, *, actor: Any) -> ListEntry:
    """Ended key monitoring whose own objection was just found unfounded is corrected after its
    exit if the black listings it rested on were all found wrong meanwhile (R3, R6, 000
    §十一.3): they left it to that objection's finding (``_correct_ended_monitoring``), and an
    unfounded one makes it no more rightly monitored. The same ``correct`` step as theirs,
    naming the last of those listings, with the subject's apology; once, as the objection is
    answered once and a ``correct`` step is never repeated. One founded was corrected by that
    finding itself. Run in the finding's transaction, the entry held by its step; answers the
    entry as it is then."""
    finding = escalation.undone_by(entry)
    if finding is None:
        return entry
    return _correct_monitoring(entry.pk, finding.entry, finding.reason, actor=actor)


def _correct_monitoring(
    monitored_id: int, black: ListEntry, finding: str, *, actor: Any
) -> ListEntry:
    """The ``correct`` step of ended key monitoring whose black listing ``black`` was found
    wrong (``finding``), with the subject's correction and apology; the platform's own step,
    which feeds nothing new (R4, R6, R11)."""
    why = f"所依据的{black.list.name}列入经核实有误：{finding.strip()}"

    def letter(monitored: ListEntry, today: dt.date) -> dict[str, Any]:
        return {"result_to_subject": documents.correction_letter(monitored, why)}

    return transition(
        monitored_id, Action.CORRECT, actor=actor, version=None, reason=why, apply=letter,
        data={"found_wrong": black.pk}, system=True,
    )  # fmt: skip


def _derive_warnings(entry: ListEntry, today: dt.date) -> None:
    """A key-attention listing found wrong (an exit as corrected, or a ``correct`` step after
    an exit of another kind) counts toward no big-data warning from that day (R3, R6, 003 §四,
    000 §十一.3): the subject's warnings are derived again in the finding's own transaction,
    as the daily job would derive them, so that a warning that rested on it has ended when
    the step commits, and no check that day applies its measures (R4, R10)."""
    if entry.list.kind == ListKind.KEY_ATTENTION:
        big_data_warnings.derive_warnings_of(
            entry.subject_id, big_data_warnings.FoundWrongNow(entry.pk, today)
        )


def _announce_correction(entry: ListEntry, today: dt.date) -> None:
    """A listing found wrong is corrected in public on its channel, and the subject's
    reputation restored (000 §十一.3): at an exit as corrected, or after an exit of another
    kind (``correct_after_exit``). A list whose listings are never announced (the lists the
    platform derives) announces no correction either."""
    if documents.is_announced(entry):
        text = documents.correction_announcement(entry)
        announce(entry, Announcement.Kind.CORRECTION, text, today)


def end_entry(
    entry_id: int, *, actor: Any, reason: str, version: int | None = None, note: str = "",
    system: bool = False, data: dict[str, Any] | None = None,
) -> ListEntry:  # fmt: skip
    """End an effective entry: an officer's exit, or one the platform takes itself (``system``:
    a red-list entry ended by a black listing, R2, whose ``data`` names that black entry); see
    ``exit_entry``. A black listing found wrong restores the red entries it ended (R6)."""

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any] | None:
        # The objection a correction answers: the entry's own, else the one person's to being
        # named (``workflow.answered_by_finding_wrong``).
        answered = (
            workflow.answered_by_finding_wrong(objections_context(entry))
            if reason == ExitReason.CORRECTED else False
        )  # fmt: skip
        found_wrong_black = entry.list.kind == ListKind.BLACK and reason == ExitReason.CORRECTED
        # Held before anything below locks or audits (``restoration``).
        reds = restoration.hold_red_entries(entry) if found_wrong_black else []
        entry.exit_reason = reason
        # Expiry ends an entry the day after its last day of validity, whenever an officer
        # records it, as the daily job dates it (R4); other exits take effect the day decided.
        entry.exited_on = (
            entry.valid_until + dt.timedelta(days=1)
            if reason == ExitReason.EXPIRED and entry.valid_until is not None
            else today
        )
        if answered is not False:
            # The correction answers the objection, if one was open (below). Any other exit an
            # open objection lets through (expiry, blacklisting) leaves it open with its
            # deadline, to be decided on the exited entry (R6; ``correct_after_exit``), as it
            # leaves any other person's objection to being named.
            _close(entry, answered)
        listing_records.stop_records([listing_records.Decision(
            entry.list.recognizing_department_id, entry.decision_number_key,
            entry.subject_id, entry.exited_on,
        )])  # fmt: skip
        notifications.entries_ended.send(
            sender=ListEntry, entry_ids=[entry.pk], reason=reason, exited_on=entry.exited_on,
            actor=actor, today=today,
        )  # fmt: skip
        if reason == ExitReason.CORRECTED:
            _announce_correction(entry, today)
        if documents.is_announced(entry):  # on the channel that announced the listing (R4)
            announce(entry, Announcement.Kind.EXIT, documents.exit_announcement(entry), today)
        if entry.list.kind == ListKind.BLACK and reason != ExitReason.CORRECTED:
            _start_key_monitoring(entry, actor=actor, today=today)
        restored = restoration.restore_red_entries(entry, reds, actor=actor, today=today)
        if reason == ExitReason.CORRECTED:
            _derive_warnings(entry, today)
        if answered is not False:
            # The objection found the listing wrong: the objector is told so with its remedies,
            # and the subject, whoever objected, receives the correction and the apology (R6,
            # 000 §十一.3), with the red entries restored.
            return {**named_objection(answered), **objection_letters.objection_answers(
                entry, "founded", note, restored=restored, person_id=answered,
            )}  # fmt: skip
        if reason == ExitReason.CORRECTED:
            # Found wrong with no objection open: the subject is owed the same apology.
            return {"result_to_subject": documents.correction_letter(entry, note, restored)}
        return None

    return transition(
        entry_id, Action.EXIT, actor=actor, version=version, apply=apply, reason=note,
        exit_reason=reason, system=system, data=data,
    )  # fmt: skip


def _close(entry: ListEntry, person_id: int | None) -> None:
    """Close the objection a finding answers: the entry's own, or the person's to being named."""
    if person_id is None:
        close_objection(entry)
    else:
        close_naming_objection(entry, person_id)


def correct_after_exit(
    entry_id: int, *, actor: Any, finding: str, version: int | None = None, person: Any = None,
    entry_objection: bool = False,
) -> ListEntry:  # fmt: skip
    """An objection open when its entry ended (by expiry, or by the R2 cross-check) is found
    founded: the listing was wrong (R6, 000 §十一.2–3, 002 §二十七).

    The exit stands as the rule gave it (its reason and day, measures stopped then); the
    record is corrected after it: a correction announcement on the listing's channel, the
    objector told the result and its remedies, and the subject, whoever objected, the written
    apology (``objection_letters.objection_answers``), as for a founded objection to an effective
    entry. The key monitoring a black-list exit started or ran on is taken back with it, in the
    same transaction (``_end_key_monitoring``; R3, R4), or, ended already, corrected after its
    exit (``_correct_ended_monitoring``), and the red entries it ended are
    restored (``restoration``; R2), as the subject's letter says. The history keeps it as a
    ``correct`` step; an unfounded one is ``uphold_after_verification``.

    Which objection it decides: the entry's own (``entry_objection``) or the objection of
    ``person`` (a subject or its id), a person the entry names, to being named; neither said,
    the one open, refused as ambiguous where several are (``workflow.decided_by_correction``,
    which refuses a person's while the entry's own is open: the finding answers that one).
    Every other stays open, answered on the corrected listing by an uphold or by removing the
    naming.
    """
    if not finding.strip():
        raise XinyongError("finding-required", "须写明核实结论", status=422)
    person_id = getattr(person, "pk", person)

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        answered = workflow.decided_by_correction(
            objections_context(entry, objector_person=person_id, entry_objection=entry_objection)
        )
        _close(entry, answered)
        _announce_correction(entry, today)
        restored = ""
        if entry.list.kind == ListKind.BLACK:
            reds = restoration.hold_red_entries(entry)  # before what the monitoring locks
            _end_key_monitoring(entry, actor=actor, today=today, finding=finding)
            _correct_ended_monitoring(entry, actor=actor, today=today, finding=finding)
            restored = restoration.restore_red_entries(entry, reds, actor=actor, today=today)
        _derive_warnings(entry, today)
        return {**named_objection(answered), **objection_letters.objection_answers(
            entry, "founded", finding, restored=restored, person_id=answered,
        )}  # fmt: skip

    return transition(
        entry_id, Action.CORRECT, actor=actor, version=version, apply=apply, reason=finding,
        objector_person=person_id, entry_objection=entry_objection,
    )  # fmt: skip


def exit_entry(
    entry_id: int, *, actor: Any, reason: str, note: str = "", version: int | None = None
) -> ListEntry:
    """End an effective entry for a reason its list allows; announced, measures stop (R4).

    A red entry ended at its subject's request (000 §十.2) marks the request the subject sent
    online done, with this exit, in the exit's transaction: it leaves the department's worklist
    and the subject reads that it was done. An exit for another reason closes it instead, as
    any end of the entry does (``remedies.receivers``).

    A repair the subject applied for online is decided on its application, which ends the
    entry itself (R8): ended here instead, the application would stay open, and could then
    only be rejected. Repaired by hand, the entry is held to the minimum an application is
    held to (国办发〔2025〕22号: repair only after the minimum): checked here, the one way an
    officer chooses an exit (the office form, the API, the repair decision), since the
    minimum is read from the decision's credit records, which the transition table's guards,
    run on every step and every page, do not query."""
    officer = officer_of(actor)
    if (
        reason == ExitReason.REPAIRED
        and not ListEntry.objects.filter(
            pk=entry_id, list__recognizing_department_id=officer.department_id
        ).exists()
    ):
        # Another department's entry is as invisible here as to the exit itself (R14): nothing
        # about its repairs may be told first.
        raise XinyongError("entry-not-found", "名单记录不存在", status=404)
    if reason == ExitReason.REPAIRED and _repair_pending(entry_id):
        raise XinyongError(
            "repair-pending", "该名单记录有待决定的信用修复申请，请在信用修复页面作出决定",
            status=409,
        )  # fmt: skip
    if reason == ExitReason.REPAIRED:
        # The repair rules are the remedies app's, which builds on this one: read at call time.
        from xinyong.remedies.repairs import repaired_exit_refusal

        too_early = repaired_exit_refusal(entry_id, officer.department_id)
        if too_early is not None:
            raise too_early
    if reason == ExitReason.REQUESTED:
        # The requests are the remedies app's, which builds on this one: read at call time.
        from xinyong.remedies.red_list_exits import mark_done_by_exit

        with transaction.atomic():
            entry = end_entry(entry_id, actor=actor, reason=reason, version=version, note=note)
            mark_done_by_exit(entry, actor=actor)  # after the exit's history event
        return entry
    return end_entry(entry_id, actor=actor, reason=reason, version=version, note=note)


def _repair_pending(entry_id: int) -> bool:
    # Looked up by name: the remedies app builds on this one, not the other way round.
    applications = apps.get_model("remedies", "RepairApplication")
    return applications.objects.filter(entry_id=entry_id, state="submitted").exists()
