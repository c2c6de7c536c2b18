"""Deadlines of open objections to credit records follow the calendar (R6, R15)."""

from __future__ import annotations

from django.dispatch import receiver

from xinyong.audit import services as audit
from xinyong.calendars.signals import calendar_changed


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
