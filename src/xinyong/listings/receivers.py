"""Listings react to a change of the holiday schedule: live deadlines are counted again (R15).

A schedule changes when a year's notice is loaded, or when the credit office covers a year or
corrects a day in the admin. Whichever it was, every deadline still running is counted again on
the calendar now in force: a provisional one becomes final once its year is known, and a final
one moves when a day inside its span was corrected (a stored end that stayed put would let an
entry be signed after 19 working days of publicity). Ended periods are history and stay as they
were counted.

Each entry whose deadline moved gets a ``recount`` event in its history, saying which deadline,
from what day to what day. A running publicity whose end moved gets a public announcement of
the new end on its notice's channel: the notice said the old one (R1). A provisional end that
turns out right is not announced again; the history records that it is final.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.dispatch import receiver

from xinyong.audit import services as audit
from xinyong.calendars.selectors import work_calendar
from xinyong.calendars.signals import calendar_changed
from xinyong.core import clock
from xinyong.listings import documents
from xinyong.listings.models import Announcement, EntryState, ListEntry, ListEntryEvent
from xinyong.listings.services import OBJECTION_VERIFIED_WITHIN_DAYS
from xinyong.listings.workflow import Action

RECOUNT = "recount"  # the history's action for a deadline counted again
# What each recounted deadline is called in an entry's history.
DEADLINE_NAMES = {"publicity_ends_on": "公示期截止日", "verification_due_on": "异议核实期限"}

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
    _record(publicity + verification)
    _announce_new_publicity_ends([m for m in publicity if m.old_day != m.new_day])
    if publicity or verification:
        label = "-".join(str(year) for year in sorted(set(years)))
        audit.record(
            actor=None, action="listing.deadlines_recounted", obj=("listings.calendar", label),
            after={"years": sorted(set(years)),
                   "publicity_ends_on": {str(m.entry_id): m.shown for m in publicity},
                   "verification_due_on": {str(m.entry_id): m.shown for m in verification}},
        )  # fmt: skip
    return len(publicity) + len(verification)


class Moved(NamedTuple):
    """A deadline counted again: which, of which entry in which state, from what to what."""

    entry_id: int
    state: str
    deadline: str  # the field: publicity_ends_on or verification_due_on
    old_day: dt.date | None
    old_provisional: bool
    new_day: dt.date
    new_provisional: bool

    @property
    def shown(self) -> str:
        return f"{self.new_day}{'（暂定）' if self.new_provisional else ''}"

    @property
    def reason(self) -> str:
        """What the history says of it."""
        name = DEADLINE_NAMES[self.deadline]
        if self.old_day == self.new_day:  # a provisional day found right
            return f"节假日安排确定，{name}{self.shown}不再为暂定"
        was = f"{self.old_day}{'（暂定）' if self.old_provisional else ''}"
        return f"节假日安排调整，{name}由{was}改为{self.shown}"


def recompute_publicity_ends() -> list[Moved]:
    """Publicity ends of running periods, and any still provisional (R1, R15).

    Entries are grouped by start day and period, so each group is one UPDATE, and only rows
    whose end or provisional mark changes are written (their version moves on). Answers the
    entries moved.
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
    moved: list[Moved] = []
    for start, workdays in groups.order_by():
        end = calendar.add_workdays(start, workdays)
        before = list(
            running.filter(publicity_starts_on=start, period=workdays)
            .exclude(publicity_ends_on=end.date, publicity_ends_provisional=end.provisional)
            .values_list("pk", "state", "publicity_ends_on", "publicity_ends_provisional")
        )
        moved += [Moved(pk, state, "publicity_ends_on", day, provisional, end.date,
                        end.provisional) for pk, state, day, provisional in before]  # fmt: skip
        ids = [pk for pk, *_ in before]
        ListEntry.objects.filter(pk__in=ids).update(
            publicity_ends_on=end.date,
            publicity_ends_provisional=end.provisional,
            version=F("version") + 1,
        )
    return moved


def recompute_verification_deadlines() -> list[Moved]:
    """Deadlines of open objections: 20 days from receipt, off a holiday (R6, R15).

    The day of receipt is the business date of the entry's latest objection event: an entry
    has at most one open objection, and its deadline is cleared when it is decided. Answers the
    entries moved.
    """
    calendar = work_calendar()
    received = (
        ListEntry.objects.filter(verification_due_on__isnull=False, state__in=OBJECTION_OPEN)
        .annotate(received_on=Max("events__business_date", filter=Q(events__action=Action.OBJECT)))
        .values_list(
            "pk", "state", "received_on", "verification_due_on", "verification_due_provisional"
        )
    )
    moved: list[Moved] = []
    for pk, state, received_on, due_on, provisional in received:
        if received_on is None:  # a deadline set without an objection event: nothing to count from
            continue
        due = calendar.add_days(received_on, OBJECTION_VERIFIED_WITHIN_DAYS)
        if (due.date, due.provisional) != (due_on, provisional):
            moved.append(Moved(pk, state, "verification_due_on", due_on, provisional, due.date,
                               due.provisional))  # fmt: skip
            ListEntry.objects.filter(pk=pk).update(
                verification_due_on=due.date,
                verification_due_provisional=due.provisional,
                version=F("version") + 1,
            )
    return moved


def _record(moved: list[Moved]) -> None:
    """A ``recount`` event in the history of each entry whose deadline moved."""
    today, actor = clock.today(), audit.describe_actor(None)[0]
    ListEntryEvent.objects.bulk_create(
        ListEntryEvent(
            entry_id=m.entry_id, action=RECOUNT, from_state=m.state, to_state=m.state,
            business_date=today, actor=actor, reason=m.reason,
            data={"deadline": m.deadline, "from": str(m.old_day) if m.old_day else None,
                  "from_provisional": m.old_provisional, "to": str(m.new_day),
                  "to_provisional": m.new_provisional},
        )
        for m in moved
    )  # fmt: skip


def _announce_new_publicity_ends(moved: list[Moved]) -> None:
    """The new end of each running publicity whose notice announced another (R1)."""
    announced = {m.entry_id: m.old_day for m in moved}
    notices = (
        Announcement.objects.filter(entry_id__in=announced, kind=Announcement.Kind.PUBLICITY)
        .select_related("entry__list__catalog_item", "entry__subject")
        .order_by("entry_id", "-id")
    )
    today, latest = clock.today(), {}
    for notice in notices:
        latest.setdefault(notice.entry_id, notice)  # an entry publicized again: its last notice
    amended = []
    for notice in latest.values():
        entry = notice.entry
        title, body = documents.publicity_amendment(entry, announced[entry.pk])
        amended.append(Announcement(
            entry=entry, kind=Announcement.Kind.PUBLICITY_AMENDED, channel=entry.channel,
            published_on=today, title=title, body=body, follows=notice,
        ))  # fmt: skip
    Announcement.objects.bulk_create(amended)
