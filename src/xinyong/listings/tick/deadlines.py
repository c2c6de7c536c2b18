"""Periods of the procedure that end by date: publicity (R1) and objection verification (R6)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q

from xinyong.calendars.selectors import work_calendar
from xinyong.listings.models import EntryState, ListEntry, ListEntryPerson
from xinyong.listings.tick.bulk import log_events
from xinyong.listings.workflow import OBJECTION_OPEN_STATES


def end_publicity_periods(day: dt.date) -> int:
    """Unobjected candidates whose publicity is over await signature; never signed here (R1)."""
    due = Q(
        state=EntryState.IN_PUBLICITY,
        publicity_ends_on__lt=day,
        publicity_ends_provisional=False,
    )
    log_events(due, action="end_publicity", from_state=EntryState.IN_PUBLICITY,
               to_state=EntryState.AWAITING_SIGNATURE, day=day)  # fmt: skip
    return ListEntry.objects.filter(due).update(
        state=EntryState.AWAITING_SIGNATURE, version=F("version") + 1
    )


def count_deadlines(day: dt.date) -> tuple[int, int]:
    """Objections whose verification is due within 3 working days, and those overdue (R6).

    An objection is open while its entry has a verification deadline: a candidacy under
    verification, an effective entry whose measures it suspends, or an entry that ended while
    it was verified (the officer's worklist counts the same ones). A person's objection to being
    named has its own deadline on the naming, and counts apart, once per person (R6).
    """
    soon = work_calendar().add_workdays(day, 3).date
    pending = ListEntry.objects.filter(
        state__in=OBJECTION_OPEN_STATES, verification_due_on__isnull=False
    )
    overdue = pending.filter(verification_due_on__lt=day).count()
    due_soon = pending.filter(verification_due_on__gte=day, verification_due_on__lte=soon).count()
    namings = (
        ListEntryPerson.objects.filter(
            entry__state__in=OBJECTION_OPEN_STATES, verification_due_on__isnull=False
        )
        .values("entry_id", "person_id")
        .distinct()
    )  # one per person, whatever roles it holds
    overdue += namings.filter(verification_due_on__lt=day).count()
    due_soon += namings.filter(verification_due_on__gte=day, verification_due_on__lte=soon).count()
    return due_soon, overdue
