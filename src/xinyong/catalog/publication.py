"""A record's publication window (R9, R8), computed once when it is collected and stored.

* Due: licences and penalties are public within 7 working days of the decision (R9, R15);
  a record collected after its due day is late, by the working days after the due day up to
  the day it was collected, a rest day counting as the next working day (``workdays_late``).
* Window: it counts from the decision date. A penalty's tier sets it (minor: not published;
  general: 3 months to 1 year; serious: 1 to 3 years — rules the credit office keeps per catalog
  item); a decision with several penalty types takes the longest. A licence is public until it
  expires; other information per its catalog item.
* A department may state an earlier end (CF_GSJZQ) within the window, never before its minimum
  nor after its maximum.
* Publication ends (终止公示) and sharing stops (停止共享) on their own dates; the daily job
  applies both.

No Django here: the calendar and the rules are handed in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import NamedTuple

from xinyong.core.periods import add_months
from xinyong.core.workdays import WorkCalendar

PUBLIC_WITHIN_WORKDAYS = 7  # R9
# 7 working days never span more than this many calendar days (the longest holiday is 9 days
# with its weekends).
LONGEST_SPAN_DAYS = 31


@dataclasses.dataclass(frozen=True)
class TierRule:
    is_published: bool
    months_min: int
    months_max: int


class Window(NamedTuple):
    """What a record stores about its publication; dates as ISO text for bulk writing."""

    due_on: str | None = None
    published_on: str | None = None
    workdays_late: int | None = None
    min_ends_on: str | None = None
    ends_on: str | None = None
    sharing_ends_on: str | None = None


NOT_PUBLISHED = Window()


def workdays_late(calendar: WorkCalendar, due_on: dt.date, collected_on: dt.date) -> int:
    """Working days a record collected on ``collected_on`` came after its due day (R9, R15).

    Collected on or before the due day: 0, on time. After it: the working days after the due
    day up to the collection, where a collection on a rest day or holiday counts as made on
    the next working day, so a record due on a Friday and collected on the Saturday, or due
    before the National Day holiday and collected during it, is 1 working day late.
    """
    if collected_on <= due_on:
        return 0
    late = calendar.workdays_between(due_on, collected_on)
    return late if calendar.is_workday(collected_on) else late + 1


def late_count_is_provisional(
    calendar: WorkCalendar, collected_on: dt.date, last_collected_on: dt.date | None = None
) -> bool:
    """Whether the count of records collected on ``collected_on`` (to ``last_collected_on``,
    for an import stored over several days) that came late may change once a holiday notice is
    loaded (R9, R15): a record is late when 7 working days from its decision end before that
    day, which depends on the days from the decision to it. A decision more than
    ``LONGEST_SPAN_DAYS`` before it is late whatever the notices say; a nearer one is known
    once the years of those days are, and the next year's too in late December
    (``WorkCalendar.is_covered``)."""
    last = collected_on if last_collected_on is None else last_collected_on
    return not calendar.is_covered(collected_on - dt.timedelta(days=LONGEST_SPAN_DAYS), last)


def timeliness_is_provisional(
    calendar: WorkCalendar, first_decided: dt.date, last_due: dt.date
) -> bool:
    """Whether a month's timeliness may change once a holiday notice is loaded (R9, R15), given
    its first decision and its last due day. Whether a record was public on time depends on
    its due day alone, once it is known: the day it was shown is fixed. A due day is known
    when the years of the days counted to it are (``WorkCalendar.add_workdays``), and those of
    the month's records run, together, from the day after its first decision to its last due
    day. Days late past the due day, which the statistics do not count, do not make it
    provisional: a record shown after its due day is late under any notice."""
    return not calendar.is_covered(first_decided + dt.timedelta(days=1), last_due)


def tier_bounds(decided: dt.date, rule: TierRule) -> tuple[dt.date, dt.date]:
    """The last day of a tier's minimum and of its maximum, counted from the decision (R8)."""
    return add_months(decided, rule.months_min), add_months(decided, rule.months_max)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


class Publication:
    """Windows for one import: one calendar, one business date (the day the records are
    collected, each chunk's own: ``services.checkpoints``), answers remembered."""

    def __init__(self, calendar: WorkCalendar, today: dt.date) -> None:
        self.calendar = calendar
        self.today = today
        self._due: dict[dt.date, tuple[str, int]] = {}
        self._windows: dict[tuple[dt.date, tuple[TierRule, ...]], Window] = {}

    def due(self, decided: dt.date) -> tuple[str, int]:
        """(the last day to be public, working days late today) for a decision (R9, R15)."""
        known = self._due.get(decided)
        if known is None:
            deadline = self.calendar.add_workdays(decided, PUBLIC_WITHIN_WORKDAYS).date
            late = workdays_late(self.calendar, deadline, self.today)
            known = self._due[decided] = (deadline.isoformat(), late)
        return known

    def tiered(
        self, decided: dt.date, *rules: TierRule, stated_end: dt.date | None = None
    ) -> Window:
        """A penalty's window under the rules of the tiers its types fall in (R8): a decision
        with several penalty types takes the longest. It is published if any of the tiers is;
        its minimum (before which repair cannot end it) is the latest of the published tiers'
        minimums, its end the latest of their maximums, or the stated end kept between the
        two; it is shared until that end, or the latest end of an unpublished tier's sharing.
        Remembered per decision date and rules: a file repeats the same few."""
        key = (decided, rules)
        if stated_end is None:
            known = self._windows.get(key)
            if known is not None:
                return known
        published = [rule for rule in rules if rule.is_published]
        unpublished = [add_months(decided, r.months_max) for r in rules if not r.is_published]
        if not published:
            # Not published; shared for the longest maximum (none by default).
            window = Window(sharing_ends_on=max(unpublished).isoformat())
        else:
            low = max(add_months(decided, rule.months_min) for rule in published)
            high = max(add_months(decided, rule.months_max) for rule in published)
            end = high if stated_end is None else min(max(stated_end, low), high)
            window = self._public(decided, low, end, due=True)
            shared = max([end, *unpublished])
            if shared > end:
                window = window._replace(sharing_ends_on=shared.isoformat())
        if stated_end is None:
            self._windows[key] = window
        return window

    def until(
        self,
        decided: dt.date,
        *,
        months: tuple[int | None, int | None],
        valid_until: dt.date | None,
        is_public: bool,
        due: bool,
    ) -> Window:
        """A licence's or other record's window: to its expiry, or the item's maximum."""
        low = add_months(decided, months[0]) if months[0] is not None else None
        if valid_until is not None:
            end: dt.date | None = valid_until
        elif months[1] is not None:
            end = add_months(decided, months[1])
        else:
            end = None
        if not is_public:
            return Window(sharing_ends_on=_iso(end))
        return self._public(decided, low, end, due=due)

    def published_on(self, end: dt.date | None) -> str | None:
        """The day a record due to be public is shown from: the day it is collected, unless
        its window is already over then, when it is never shown."""
        return self.today.isoformat() if end is None or end >= self.today else None

    def _public(
        self, decided: dt.date, low: dt.date | None, end: dt.date | None, *, due: bool
    ) -> Window:
        due_on, late = self.due(decided) if due else (None, None)
        return Window(
            due_on=due_on,
            published_on=self.published_on(end),
            workdays_late=late,
            min_ends_on=_iso(low),
            ends_on=_iso(end),
            sharing_ends_on=_iso(end),
        )
