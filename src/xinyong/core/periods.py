"""Periods counted in months and years (Civil Code arts. 200–202).

A period counted in months or years starts the day after the event, and ends on the
corresponding day of its last month; where that month has no such day, on its last day.

These are validity terms (how long an entry restricts or rewards), not deadlines: their end is
not moved off a holiday. Art. 203's next-working-day rule gives a party the whole last day to
act, and applied to a restriction it would lengthen it, which R10 forbids; deadlines are counted
by ``core.workdays`` (ADR 0002).
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(start: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later: 2026-10-27 + 36 → 2029-10-27; 01-31 + 1 → 02-28."""
    if months < 0:
        raise ValueError(f"a period cannot be negative: {months} months")
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last_day))


def period_end(start: dt.date, value: int, unit: str) -> dt.date:
    """The last day of a period of ``value`` days, months or years counted from ``start``."""
    if value < 0:
        raise ValueError(f"a period cannot be negative: {value} {unit}")
    if unit == "days":
        return start + dt.timedelta(days=value)
    if unit == "months":
        return add_months(start, value)
    if unit == "years":
        return add_months(start, 12 * value)
    raise ValueError(f"unknown period unit: {unit!r}")
