"""Open update duties follow a change of the holiday schedule (R13, R15).

A due day counted before its year's notice was known is provisional; when a notice is loaded or
a day corrected, every open duty is counted again on the calendar now in force, so it becomes
final or moves with the corrected day. A due day a department was shown is never brought
forward: it may have planned its update by it. Confirmed duties are history and keep the day
they were confirmed against.
"""

from __future__ import annotations

from django.dispatch import receiver

from xinyong.audit import services as audit
from xinyong.calendars.selectors import work_calendar
from xinyong.calendars.signals import calendar_changed
from xinyong.submissions import deadline
from xinyong.submissions.models import UpdateDuty


@receiver(calendar_changed, dispatch_uid="submissions.recompute_update_duties")
def recompute_update_duties(sender, years, **kwargs) -> int:
    """Count open duties' due days again; one audit row names those that moved."""
    calendar = work_calendar()
    open_duties = (
        UpdateDuty.objects.filter(confirmed_on__isnull=True)
        .select_for_update(of=("self",))
        .select_related("change")
        .order_by("id")
    )
    moved: dict[str, dict[str, object]] = {}
    for duty in open_duties:
        due = deadline.update_due(calendar, duty.change.effective_on, duty.change.update_workdays)
        day = max(due.date, duty.due_on)  # never earlier than the department was shown
        if (day, due.provisional) == (duty.due_on, duty.due_provisional):
            continue
        moved[str(duty.pk)] = {"from": duty.due_on, "from_provisional": duty.due_provisional,
                               "to": day, "to_provisional": due.provisional}  # fmt: skip
        duty.due_on, duty.due_provisional = day, due.provisional
        duty.save(update_fields=["due_on", "due_provisional"])
    if moved:
        label = "-".join(str(year) for year in sorted(set(years)))
        audit.record(
            actor=None, action="submission.deadlines_recounted",
            obj=("submissions.calendar", label),
            after={"years": sorted(set(years)), "duties": moved},
        )  # fmt: skip
    return len(moved)
