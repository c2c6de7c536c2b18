"""Remedies react to other apps: deadlines of open objections to credit records follow the
calendar (R6, R15); an open repair application closes with its entry's end (R8, R4)."""

from __future__ import annotations

from django.dispatch import receiver

from xinyong.audit import services as audit
from xinyong.calendars.signals import calendar_changed
from xinyong.listings.notifications import entries_ended


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
    nothing to repair: closed in the exit's own transaction, with the reason the subject reads
    (``repair_closures``). The repair's own acceptance has already decided its application.
    Answers how many."""
    from xinyong.remedies.repair_closures import close_for_entries

    return close_for_entries(
        entry_ids, reason=reason, exited_on=exited_on, actor=actor, today=today
    )
