"""Listings react to a new holiday schedule: provisional publicity ends are recomputed (R15)."""

from __future__ import annotations

from django.db.models import F
from django.dispatch import receiver

from xinyong.calendars.selectors import work_calendar
from xinyong.calendars.signals import calendar_changed
from xinyong.listings.models import ListEntry


@receiver(calendar_changed, dispatch_uid="listings.recompute_provisional_publicity")
def recompute_provisional_publicity(sender, years, **kwargs) -> int:
    """Every provisional publicity end is counted again on the calendar now in force.

    Entries are grouped by start day and period, so each group is one UPDATE.
    """
    calendar = work_calendar()
    provisional = ListEntry.objects.filter(
        publicity_ends_provisional=True, publicity_starts_on__isnull=False
    )
    groups = provisional.values_list("publicity_starts_on", "list__publicity_workdays").distinct()
    changed = 0
    for start, workdays in groups.order_by():
        end = calendar.add_workdays(start, workdays)
        changed += provisional.filter(
            publicity_starts_on=start, list__publicity_workdays=workdays
        ).update(
            publicity_ends_on=end.date,
            publicity_ends_provisional=end.provisional,
            version=F("version") + 1,
        )
    return changed
