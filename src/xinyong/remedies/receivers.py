"""Remedies react to other apps: deadlines of open objections to credit records follow the
calendar (R6, R15); an open repair application closes with its entry's end, or with the end of
the entry whose decision its record is (R8, R4), and when its record becomes a listing's
decision (R8: repaired through the entry); a pending request to leave a red list closes with its
entry's end for another reason (R4)."""

from __future__ import annotations

from django.dispatch import receiver

from xinyong.audit import services as audit
from xinyong.calendars.signals import calendar_changed
from xinyong.listings.notifications import entries_ended, records_became_decisions


@receiver(calendar_changed, dispatch_uid="remedies.recount_record_objection_deadlines")
def recount_record_objection_deadlines(sender, years, **kwargs) -> int:
    """Count the open objections' deadlines again; one audit row says which moved, from what
    day to what. Answers how many."""
    # Imported here, not at start-up: every process connects this receiver, few recount.
    from xinyong.remedies.record_objections import recount_due_dates

    moved = recount_due_dates()
    if moved:
        label = "-".join(str(year) for year in sorted(set(years)))
        audit.record(
            actor=None, action="remedies.record_objection.deadlines_recounted",
            obj=("remedies.calendar", label), after={"years": sorted(set(years)), "moved": moved},
        )  # fmt: skip
    return len(moved)


@receiver(entries_ended, dispatch_uid="remedies.close_repairs_of_ended_entries")
def close_repairs_of_ended_entries(
    sender, entry_ids, reason, exited_on, actor, today, **kwargs
) -> int:
    """Entries that ended for any reason but their repair leave their open applications
    nothing to repair, nor those of the records that are their decisions, which stop with them
    (``catalog.listing_records``): closed in the exit's own transaction, with the entry's exit
    as the reason the subject reads (``repair_closures``). The repair's own acceptance has
    already decided its application. Answers how many."""
    from xinyong.catalog.listing_records import decisions_ending
    from xinyong.remedies.repair_closures import close_for_ended_decisions, close_for_entries

    ids = list(entry_ids)
    closed = close_for_entries(ids, reason=reason, exited_on=exited_on, actor=actor, today=today)
    return closed + close_for_ended_decisions(
        decisions_ending(ids, exited_on), reason=reason, actor=actor, today=today
    )


@receiver(records_became_decisions, dispatch_uid="remedies.close_repairs_of_new_decisions")
def close_repairs_of_new_decisions(
    sender, department_id, document_number, subject_id, actor, today, **kwargs
) -> int:
    """A record that a signed decision makes a listing's decision is repaired through the
    entry from then on (R8): its open application is closed in the signing's transaction, and
    its subject told where to apply. Answers how many."""
    from xinyong.remedies.repair_closures import close_for_new_decision

    return close_for_new_decision(
        department_id=department_id, document_number=document_number, subject_id=subject_id,
        actor=actor, today=today,
    )  # fmt: skip


@receiver(entries_ended, dispatch_uid="remedies.close_exit_requests_of_ended_entries")
def close_exit_requests_of_ended_entries(
    sender, entry_ids, reason, exited_on, actor, today, **kwargs
) -> int:
    """Red entries that ended for another reason than their subject's request (expired,
    blacklisted, found wrong…) leave its pending request nothing to exit: closed in the exit's
    own transaction, with the entry's end as the reason the subject reads. An exit on the
    request marks it done itself (``listings.services.exits.exit_entry``). Answers how many."""
    from xinyong.remedies.red_list_exits import close_for_entries

    return close_for_entries(
        entry_ids, reason=reason, exited_on=exited_on, actor=actor, today=today
    )
