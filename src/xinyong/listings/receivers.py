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
turns out right is not announced again; the history records that it is final. An announced end
is never brought forward (R1: at least 20 working days).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.dispatch import receiver

from xinyong.audit import services as audit
from xinyong.calendars.selectors import work_calendar
from xinyong.calendars.signals import calendar_changed
from xinyong.core import clock
from xinyong.listings import documents, objection_letters
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ListEntry, ListEntryEvent, ListEntryPerson
from xinyong.listings.services import OBJECTION_VERIFIED_WITHIN_DAYS
from xinyong.listings.workflow import OBJECTION_OPEN_STATES, Action

RECOUNT = "recount"  # the history's action for a deadline counted again
NAMING_DEADLINE = "naming_verification_due_on"
# What each recounted deadline is called in an entry's history.
DEADLINE_NAMES = {
    "publicity_ends_on": "公示期截止日", "verification_due_on": "异议核实期限",
    # A person's objection to being named, kept on the naming (R6, 004 §二(三)6).
    NAMING_DEADLINE: "所列人员异议核实期限",
}  # fmt: skip

# Where a publicity period is not yet behind a decision: a candidacy publicized, one whose
# publicity an objection interrupted (it resumes if the objection is unfounded), and one the
# daily job found ended but nobody has signed yet (a corrected day may make today its last
# day again: signing is then refused until it has passed, R1).
PUBLICITY_RUNNING = (
    EntryState.IN_PUBLICITY, EntryState.UNDER_VERIFICATION, EntryState.AWAITING_SIGNATURE,
)  # fmt: skip
# Where an objection can be open: a candidacy under verification, an effective entry, or one
# that ended (expiry, blacklisting) while it was verified: its deadline still runs (R6).
OBJECTION_OPEN = tuple(OBJECTION_OPEN_STATES)


@receiver(calendar_changed, dispatch_uid="listings.recompute_deadlines")
def recompute_deadlines(sender, years, **kwargs) -> int:
    """Count running publicity periods and open objections' deadlines again; rows changed.

    The entries moved, and their new days, go in one audit row beside the calendar change's
    own (each entry's version moves on, so the trail says why)."""
    publicity, verification = recompute_publicity_ends(), recompute_verification_deadlines()
    namings = recompute_naming_deadlines()
    _record(publicity + verification + namings)
    _announce_new_publicity_ends(
        [m for m in publicity if m.old_day != m.new_day and m.state in PUBLICITY_RUNNING]
    )
    if publicity or verification or namings:
        label = "-".join(str(year) for year in sorted(set(years)))
        after = {
            "years": sorted(set(years)),
            "publicity_ends_on": {str(m.entry_id): m.shown for m in publicity},
            "verification_due_on": {str(m.entry_id): m.shown for m in verification},
        }
        if namings:
            after[NAMING_DEADLINE] = {f"{m.entry_id}:{m.person_id}": m.shown for m in namings}
        audit.record(
            actor=None, action="listing.deadlines_recounted", obj=("listings.calendar", label),
            after=after,
        )  # fmt: skip
    return len(publicity) + len(verification) + len(namings)


class Moved(NamedTuple):
    """A deadline counted again: which, of which entry in which state, from what to what."""

    entry_id: int
    state: str
    deadline: str  # the field: publicity_ends_on or verification_due_on
    old_day: dt.date | None
    old_provisional: bool
    new_day: dt.date
    new_provisional: bool
    person_id: int | None = None  # for a person's objection to being named: whose

    @property
    def shown(self) -> str:
        return f"{self.new_day}{'（暂定）' if self.new_provisional else ''}"

    @property
    def reason(self) -> str:
        """What the history says of it."""
        name = DEADLINE_NAMES[self.deadline]
        if self.old_day == self.new_day and not self.new_provisional:
            return f"{self.new_day.year}年节假日安排确定，{name}{self.new_day}不再为暂定"
        if self.old_day == self.new_day:  # the year it falls in is no longer covered
            return f"{self.new_day.year}年节假日安排尚未确定，{name}{self.new_day}改为暂定"
        was = f"{self.old_day}{'（暂定）' if self.old_provisional else ''}"
        return f"节假日安排调整，{name}由{was}改为{self.shown}"


def recompute_publicity_ends() -> list[Moved]:
    """Publicity ends of running periods, and any other still provisional (R1, R15).

    A running period's end is never brought before the end last announced: the period is at
    least 20 working days (R1), and whoever read the notice may rely on its end. It only moves
    later (a day inside it that is no longer worked) or settles. A candidacy withdrawn or
    rejected is history and is not counted again. Entries are grouped by start day and period;
    only rows whose end or provisional mark changes are written (their version moves on),
    locked as they are read. Answers the entries moved.
    """
    calendar = work_calendar()
    running = (
        ListEntry.objects.filter(
            Q(state__in=PUBLICITY_RUNNING) | Q(publicity_ends_provisional=True),
            publicity_starts_on__isnull=False,
        )
        .exclude(state__in=(EntryState.WITHDRAWN, EntryState.REJECTED))
        .annotate(
            # The period announced when the publicity started; the list's own for entries from
            # before it was kept.
            period=Coalesce("publicity_workdays", "list__publicity_workdays")
        )
    )
    groups = running.values_list("publicity_starts_on", "period").distinct()
    moved: list[Moved] = []
    for start, workdays in groups.order_by():
        end = calendar.add_workdays(start, workdays)
        rows = (
            running.filter(publicity_starts_on=start, period=workdays)
            .exclude(publicity_ends_on=end.date, publicity_ends_provisional=end.provisional)
            .select_for_update(of=("self",))
            .values_list("pk", "state", "publicity_ends_on", "publicity_ends_provisional")
        )
        for pk, state, day, provisional in rows:
            new_day = end.date
            if state in PUBLICITY_RUNNING and day is not None and new_day < day:
                new_day = day  # announced: never brought forward
            if (new_day, end.provisional) != (day, provisional):
                moved.append(Moved(pk, state, "publicity_ends_on", day, provisional, new_day,
                                   end.provisional))  # fmt: skip
    by_end: dict[tuple[dt.date, bool], list[int]] = {}
    for m in moved:
        by_end.setdefault((m.new_day, m.new_provisional), []).append(m.entry_id)
    for (day, provisional), ids in by_end.items():
        ListEntry.objects.filter(pk__in=ids).update(
            publicity_ends_on=day, publicity_ends_provisional=provisional,
            version=F("version") + 1,
        )  # fmt: skip
    return moved


def recompute_verification_deadlines() -> list[Moved]:
    """Deadlines of open objections: 20 days from receipt, off a holiday (R6, R15).

    The day of receipt is that of the entry's latest objection event: the day a paper
    objection arrived where the officer stated it, else the event's business date. An entry has
    at most one open objection, and its deadline is cleared when it is decided. Answers the
    entries moved.
    """
    calendar = work_calendar()
    open_ = ListEntry.objects.filter(verification_due_on__isnull=False, state__in=OBJECTION_OPEN)
    received = _received_on(open_.values("pk"))
    moved: list[Moved] = []
    rows = open_.values_list("pk", "state", "verification_due_on", "verification_due_provisional")
    for pk, state, due_on, provisional in rows:
        received_on = received.get(pk)
        if received_on is None:  # a deadline set without an objection event: nothing to count from
            continue
        due = calendar.add_days(received_on, OBJECTION_VERIFIED_WITHIN_DAYS)
        if (due.date, due.provisional) == (due_on, provisional):
            continue
        # Only if the objection is still open as read: one decided meanwhile keeps its end.
        updated = ListEntry.objects.filter(
            pk=pk, state__in=OBJECTION_OPEN, verification_due_on=due_on,
            verification_due_provisional=provisional,
        ).update(
            verification_due_on=due.date, verification_due_provisional=due.provisional,
            version=F("version") + 1,
        )  # fmt: skip
        if updated:
            moved.append(Moved(pk, state, "verification_due_on", due_on, provisional, due.date,
                               due.provisional))  # fmt: skip
    return moved


def recompute_naming_deadlines() -> list[Moved]:
    """Deadlines of open objections of named persons to being named, kept on the namings:
    20 days from receipt, off a holiday (R6, R15), as ``recompute_verification_deadlines``
    counts the entries' own.

    The day of receipt is that of the person's latest objection event to the entry. Only rows
    still open as read are written (one decided meanwhile keeps its end); the entry's version
    moves on, as the audit trail says why. Answers the objections moved, one per person."""
    calendar = work_calendar()
    open_ = (
        ListEntryPerson.objects.filter(verification_due_on__isnull=False)
        .values_list("entry_id", "person_id", "entry__state", "verification_due_on",
                     "verification_due_provisional")
        .distinct().order_by("entry_id", "person_id")
    )  # fmt: skip
    rows = list(open_)
    received = _naming_received_on({entry_id for entry_id, *_ in rows})
    moved: list[Moved] = []
    for entry_id, person_id, state, due_on, provisional in rows:
        received_on = received.get((entry_id, person_id))
        if received_on is None:  # no objection event to count from
            continue
        due = calendar.add_days(received_on, OBJECTION_VERIFIED_WITHIN_DAYS)
        if (due.date, due.provisional) == (due_on, provisional):
            continue
        updated = ListEntryPerson.objects.filter(
            entry_id=entry_id,
            person_id=person_id,
            verification_due_on=due_on,
            verification_due_provisional=provisional,
        ).update(verification_due_on=due.date, verification_due_provisional=due.provisional)
        if updated:
            ListEntry.objects.filter(pk=entry_id).update(version=F("version") + 1)
            moved.append(Moved(entry_id, state, NAMING_DEADLINE, due_on, provisional, due.date,
                               due.provisional, person_id))  # fmt: skip
    return moved


def _naming_received_on(entry_ids: set[int]) -> dict[tuple[int, int], dt.date]:
    """Each person's latest objection to being named in each entry: its day of receipt."""
    events = ListEntryEvent.objects.filter(
        entry_id__in=entry_ids, action=Action.OBJECT, data__has_key="objector_person"
    ).only("entry_id", "from_state", "business_date", "data")
    return {
        (event.entry_id, event.data["objector_person"]): event.received_on
        for event in events.order_by("entry_id", "id")
        if objection_letters.is_naming_objection(event)
    }


def _received_on(entries: QuerySet) -> dict[int, dt.date]:
    """Each entry's latest objection's day of receipt (``entries``: their ids, asked as a
    subquery); open objections are few, so their events are read, not aggregated."""
    events = ListEntryEvent.objects.filter(entry_id__in=entries, action=Action.OBJECT).only(
        "entry_id", "from_state", "business_date", "data"
    )
    # The latest of each entry comes last; a person's objection to being named is the
    # naming's, counted apart (``recompute_naming_deadlines``).
    return {
        event.entry_id: event.received_on
        for event in events.order_by("entry_id", "id")
        if not objection_letters.is_naming_objection(event)
    }


def _record(moved: list[Moved]) -> None:
    """A ``recount`` event in the history of each entry whose deadline moved."""
    today, actor = clock.today(), audit.describe_actor(None)[0]
    ListEntryEvent.objects.bulk_create(
        ListEntryEvent(
            entry_id=m.entry_id, action=RECOUNT, from_state=m.state, to_state=m.state,
            business_date=today, actor=actor, reason=m.reason,
            data={"deadline": m.deadline, "from": str(m.old_day) if m.old_day else None,
                  "from_provisional": m.old_provisional, "to": str(m.new_day),
                  "to_provisional": m.new_provisional,
                  **({} if m.person_id is None else {"objector_person": m.person_id})},
        )
        for m in moved
    )  # fmt: skip


def _announce_new_publicity_ends(moved: list[Moved]) -> None:
    """The new end of each running publicity whose last notice announced another (R1),
    following that notice (the publicity notice, or the last amendment of it)."""
    announced = {m.entry_id: m for m in moved}
    notices = (
        Announcement.objects.filter(
            entry_id__in=announced,
            kind__in=(Announcement.Kind.PUBLICITY, Announcement.Kind.PUBLICITY_AMENDED),
        )
        .select_related(
            "entry__list__catalog_item", "entry__list__recognizing_department", "entry__subject"
        )
        .order_by("entry_id", "-id")
    )
    today, latest = clock.today(), {}
    for notice in notices:
        latest.setdefault(notice.entry_id, notice)
    amended = []
    for notice in latest.values():
        entry, m = notice.entry, announced[notice.entry_id]
        title, body = documents.publicity_amendment(entry, m.old_day, m.old_provisional)
        amended.append(Announcement(
            entry=entry, kind=Announcement.Kind.PUBLICITY_AMENDED, channel=entry.channel,
            published_on=today, title=title, body=body, follows=notice,
        ))  # fmt: skip
    Announcement.objects.bulk_create(amended)
