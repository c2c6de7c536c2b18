"""Legal time arithmetic over the State Council holiday schedule (R15).

The rules, from the Civil Code:

- art. 201: a period counted in days starts on the next day; the first day is not counted;
- art. 203: when the last day of a period is a statutory holiday or rest day, the period ends on
  the day after that holiday ends, i.e. on the next working day;
- arts. 200, 202, 204: periods follow the calendar, and these rules apply unless a law says
  otherwise.

Working days follow the State Council General Office's yearly notice on holiday arrangements
(国务院办公厅关于部分节假日安排的通知): its holidays are days off, its adjusted working days (调休)
are working days even on a weekend, every other Saturday and Sunday is a rest day and every other
Monday–Friday is a working day. The notice for a year comes out around November of the year
before, so a deadline that depends on a day in a year not yet covered is *provisional* (R15): it
is the best estimate the law allows — the Monday–Friday rule less the statutory holidays known in
advance (``core/statutory_holidays.py``: the 13 days of 全国年节及纪念日放假办法 art. 2) — and may
move once the year's notice is loaded, which alone knows the bridges and the adjusted weekends.

Pure Python, no Django: the calendar is handed in as four frozensets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable

__all__ = ["NEXT_NOTICE_FROM_DECEMBER", "Deadline", "WorkCalendar", "describe_years"]

# A notice for year Y may set days off and worked weekends in the last weeks of December of
# Y−1, its New Year bridge (the 2019 and 2023 notices did; ``calendars.services`` reads such
# days with this limit). So a day from December 15 on is known only once the next year's
# notice is loaded too.
NEXT_NOTICE_FROM_DECEMBER = 15

_WEEK = 7
_WORKING_WEEKDAYS = 5  # Monday–Friday; ordinal 1 (0001-01-01) is a Monday


def _weekdays_through(ordinal: int) -> int:
    """Mondays–Fridays among the ordinals 1..ordinal (ordinal 1 is a Monday)."""
    weeks, rest = divmod(ordinal, _WEEK)
    return weeks * _WORKING_WEEKDAYS + min(rest, _WORKING_WEEKDAYS)


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= _WORKING_WEEKDAYS


@dataclasses.dataclass(frozen=True, slots=True)
class Deadline:
    """The last day of a period, and whether it rests on a year without official data (R15)."""

    date: dt.date
    provisional: bool = False

    def __str__(self) -> str:
        text = self.date.isoformat()
        return f"{text} provisional" if self.provisional else text


@dataclasses.dataclass(frozen=True, repr=False)
class WorkCalendar:
    """Which days are working days, per the State Council holiday notices (R15).

    ``holidays`` are the notices' days off (weekend days among them change nothing),
    ``adjusted_workdays`` the weekend days worked in exchange (调休), ``covered_years`` the years
    whose notice is known. An adjusted working day wins over a holiday on the same date.

    ``estimated_holidays`` are the statutory days off expected in years without a notice
    (``statutory_holidays.estimated_holidays``); those in a covered year are dropped, because
    the notice's own data wins over the estimate. They change the dates of provisional
    deadlines, never whether a deadline is provisional: that depends on ``covered_years`` alone.

    Counting is done on ordinals with two sorted lists, the weekdays that are off and the weekend
    days that are worked, so a count or a search costs O(log n) whatever the span.
    """

    holidays: frozenset[dt.date] = frozenset()
    adjusted_workdays: frozenset[dt.date] = frozenset()
    covered_years: frozenset[int] = frozenset()
    estimated_holidays: frozenset[dt.date] = frozenset()
    _off_weekdays: tuple[int, ...] = dataclasses.field(init=False, repr=False, compare=False)
    _worked_weekends: tuple[int, ...] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        holidays = frozenset(self.holidays)
        adjusted = frozenset(self.adjusted_workdays)
        set_ = object.__setattr__  # a frozen dataclass fills its derived fields this way
        set_(self, "holidays", holidays)
        set_(self, "adjusted_workdays", adjusted)
        covered = frozenset(self.covered_years)
        estimated = frozenset(d for d in self.estimated_holidays if d.year not in covered)
        set_(self, "covered_years", covered)
        set_(self, "estimated_holidays", estimated)
        off_days = (holidays | estimated) - adjusted
        off = sorted(d.toordinal() for d in off_days if not _is_weekend(d))
        worked = sorted(d.toordinal() for d in adjusted if _is_weekend(d))
        set_(self, "_off_weekdays", tuple(off))
        set_(self, "_worked_weekends", tuple(worked))

    def __repr__(self) -> str:
        return (
            f"WorkCalendar({len(self.holidays)} holidays, {len(self.adjusted_workdays)} adjusted "
            f"working days, covering {describe_years(self.covered_years) or 'no year'}, "
            f"{len(self.estimated_holidays)} statutory holidays estimated beyond)"
        )

    # -- single days -------------------------------------------------------------------------

    def is_workday(self, day: dt.date) -> bool:
        """Adjusted working day → working; holiday (notified or estimated), weekend → off."""
        if day in self.adjusted_workdays:
            return True
        if day in self.holidays or day in self.estimated_holidays:
            return False
        return not _is_weekend(day)

    def is_covered(self, first: dt.date, last: dt.date) -> bool:
        """Whether every year from ``first`` to ``last`` has its official notice loaded, and,
        when ``last`` is in the last weeks of December, the next year's too: that notice may
        still change it (``NEXT_NOTICE_FROM_DECEMBER``). Days in the Decembers before ``last``
        are known once ``last``'s own year is."""
        through = last.year + (last.month == 12 and last.day >= NEXT_NOTICE_FROM_DECEMBER)
        return all(year in self.covered_years for year in range(first.year, through + 1))

    # -- periods -----------------------------------------------------------------------------

    def add_workdays(self, start: dt.date, n: int) -> Deadline:
        """The last day of a period of ``n`` working days that starts on ``start`` (R15).

        The start day is not counted (Civil Code art. 201); holidays and rest days are skipped and
        adjusted working weekends count, so 20 working days from 2026-09-21 end on 2026-10-26.
        A period of zero days ends on its start day, whatever that day is: no day is counted, so
        there is no last day for art. 203 to move. Provisional when a counted day falls in a year
        without official data.
        """
        _check_length(n)
        if n == 0:
            return Deadline(start, provisional=False)
        end = self._nth_workday_after(start.toordinal(), n)
        return Deadline(end, provisional=not self.is_covered(start + dt.timedelta(days=1), end))

    def add_days(self, start: dt.date, n: int) -> Deadline:
        """The last day of a period of ``n`` natural days that starts on ``start`` (R15).

        The start day is not counted (Civil Code art. 201); when the ``n``-th day is a holiday or
        rest day the period ends on the next working day (art. 203). A period of zero days ends on
        its start day. Provisional when the last day, or a day it was moved across, falls in a
        year without official data.
        """
        _check_length(n)
        if n == 0:
            return Deadline(start, provisional=False)
        try:
            last = start + dt.timedelta(days=n)
        except OverflowError:
            raise ValueError(f"{n} days from {start} is past the end of the calendar") from None
        end = last if self.is_workday(last) else self._nth_workday_after(last.toordinal(), 1)
        return Deadline(end, provisional=not self.is_covered(last, end))

    def next_workday(self, day: dt.date) -> Deadline:
        """The first working day after ``day`` (strictly after it)."""
        return self.add_workdays(day, 1)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; 0 when ``end`` ≤ ``start``.

        ``workdays_between(d, add_workdays(d, n).date) == n``: the count a deadline was built
        from, and the number of working days late when ``end`` is past a deadline.
        """
        if end <= start:
            return 0
        return self._workdays_through(end.toordinal()) - self._workdays_through(start.toordinal())

    # -- internals ---------------------------------------------------------------------------

    def _workdays_through(self, ordinal: int) -> int:
        """Working days among the ordinals 1..ordinal."""
        return (
            _weekdays_through(ordinal)
            - bisect_right(self._off_weekdays, ordinal)
            + bisect_right(self._worked_weekends, ordinal)
        )

    def _nth_workday_after(self, start: int, n: int) -> dt.date:
        """The ``n``-th working day after the ordinal ``start`` (n ≥ 1).

        The working-day count only grows, by one on each working day, so the answer is the first
        ordinal whose count reaches the target: gallop to an upper bound, then bisect.
        """
        target = self._workdays_through(start) + n
        low, step = start, n + n // 2 + 3  # low's count is below target; ~n·7/5 days is typical
        high = low + step
        while self._workdays_through(high) < target:
            low, step = high, step * 2
            high = low + step  # ends: the lists are finite, so the count keeps growing
        while high - low > 1:  # invariant: count(low) < target ≤ count(high)
            middle = (low + high) // 2
            if self._workdays_through(middle) < target:
                low = middle
            else:
                high = middle
        if high > _LAST_ORDINAL:
            first = dt.date.fromordinal(start)
            raise ValueError(f"{n} working days after {first} is past the end of the calendar")
        return dt.date.fromordinal(high)


_LAST_ORDINAL = dt.date.max.toordinal()


def _check_length(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"a period length is a whole number of days, not {n!r}")
    if n < 0:
        raise ValueError(f"a period length must be 0 or more days, not {n}")


def describe_years(years: Iterable[int]) -> str:
    """Years as compact ranges: ``2004-2026`` or ``2004-2010, 2012, 2014-2026``; '' for none."""
    parts: list[str] = []
    ordered = sorted(set(years))
    while ordered:
        first = last = ordered.pop(0)
        while ordered and ordered[0] == last + 1:
            last = ordered.pop(0)
        parts.append(str(first) if first == last else f"{first}-{last}")
    return ", ".join(parts)
