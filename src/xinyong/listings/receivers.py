"""Listings react to a change of the holiday schedule: live deadlines are counted again (R15).

A schedule changes when a year's notice is loaded, or when the credit office covers a year or
corrects a day in the admin. Whichever it was, every deadline still running is counted again on
the calendar now in force: a provisional one becomes final once its year is known, and a final
one moves when a day inside its span was corrected (a stored end that stayed put would let an
entry be signed after 19 working days of publicity). Ended periods are history and stay as they
were counted.
"""

from __future__ import annotations

from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.dispatch import receiver

from xinyong.audit import services as audit
from xinyong.calendars.selectors import work_calendar
from xinyong.calendars.signals import calendar_changed
from xinyong.listings.models import EntryState, ListEntry
from xinyong.listings.services import OBJECTION_VERIFIED_WITHIN_DAYS
from xinyong.listings.workflow import Action

# Where a publicity period is not yet behind a decision: a candidacy publicized, one whose
# publicity an objection interrupted (it resumes if the objection is unfounded), and one the
# daily job found ended but nobody has signed yet (a corrected day may make today its last
# day again: signing is then refused until it has passed, R1).
PUBLICITY_RUNNING = (
    EntryState.IN_PUBLICITY, EntryState.UNDER_VERIFICATION, EntryState.AWAITING_SIGNATURE,
)  # fmt: skip
# Where an objection can be open: a candidacy under verification, or an effective entry.
OBJECTION_OPEN = (EntryState.UNDER_VERIFICATION, EntryState.EFFECTIVE)


@receiver(calendar_changed, dispatch_uid="listings.recompute_deadlines")
def recompute_deadlines(sender, years, **kwargs) -> int:
    """Count running publicity periods and open objections' deadlines again; rows changed.

    The entries moved, and their new days, go in one audit row beside the calendar change's
    own (each entry's version moves on, so the trail says why)."""
    publicity, verification = recompute_publicity_ends(), recompute_verification_deadlines()
    if publicity or verification:
        label = "-".join(str(year) for year in sorted(set(years)))
        audit.record(
            actor=None, action="listing.deadlines_recounted", obj=("listings.calendar", label),
            after={"years": sorted(set(years)), "publicity_ends_on": publicity,
                   "verification_due_on": verification},
        )  # fmt: skip
    return len(publicity) + len(verification)


def recompute_publicity_ends() -> dict[str, str]:
    """Publicity ends of running periods, and any still provisional (R1, R15).

    Entries are grouped by start day and period, so each group is one UPDATE, and only rows
    whose end or provisional mark changes are written (their version moves on). Answers the
    entries moved, by id, with their new end.
    """
    calendar = work_calendar()
    running = ListEntry.objects.filter(
        Q(state__in=PUBLICITY_RUNNING) | Q(publicity_ends_provisional=True),
        publicity_starts_on__isnull=False,
    ).annotate(
        # The period announced when the publicity started; the list's own for entries from
        # before it was kept.
        period=Coalesce("publicity_workdays", "list__publicity_workdays")
    )
    groups = running.values_list("publicity_starts_on", "period").distinct()
    moved: dict[str, str] = {}
    for start, workdays in groups.order_by():
        end = calendar.add_workdays(start, workdays)
        ids = list(
            running.filter(publicity_starts_on=start, period=workdays)
            .exclude(publicity_ends_on=end.date, publicity_ends_provisional=end.provisional)
            .values_list("pk", flat=True)
        )
        moved.update(dict.fromkeys(map(str, ids), str(end)))
        ListEntry.objects.filter(pk__in=ids).update(
            publicity_ends_on=end.date,
            publicity_ends_provisional=end.provisional,
            version=F("version") + 1,
        )
    return moved


def recompute_verification_deadlines() -> dict[str, str]:
    """Deadlines of open objections: 20 days from receipt, off a holiday (R6, R15).

    The day of receipt is the business date of the entry's latest objection event: an entry
    has at most one open objection, and its deadline is cleared when it is decided. Answers the
    entries moved, by id, with their new deadline.
    """
    calendar = work_calendar()
    received = (
        ListEntry.objects.filter(verification_due_on__isnull=False, state__in=OBJECTION_OPEN)
        .annotate(received_on=Max("events__business_date", filter=Q(events__action=Action.OBJECT)))
        .values_list("pk", "received_on", "verification_due_on", "verification_due_provisional")
    )
    moved: dict[str, str] = {}
    for pk, received_on, due_on, provisional in received:
        if received_on is None:  # a deadline set without an objection event: nothing to count from
            continue
        due = calendar.add_days(received_on, OBJECTION_VERIFIED_WITHIN_DAYS)
        if (due.date, due.provisional) != (due_on, provisional):
            moved[str(pk)] = str(due)
            ListEntry.objects.filter(pk=pk).update(
                verification_due_on=due.date,
                verification_due_provisional=due.provisional,
                version=F("version") + 1,
            )
    return moved
