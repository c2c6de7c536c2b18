"""The day an objection was received (R6), and the counting in natural days that both
objection services apply from it (R15), as invariants over any days: a stated day is taken
exactly when it lies between the earliest possible day and today; counted from a later day,
a deadline is never earlier. That the services count from the day of receipt, not the
registration, is shown in tests/integration/test_objection_receipt.py."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.errors import XinyongError
from xinyong.core.receipt import received_on
from xinyong.core.workdays import WorkCalendar

CALENDAR = WorkCalendar(
    holidays=frozenset(chinese_calendar.holidays),
    adjusted_workdays=frozenset(chinese_calendar.workdays),
    covered_years=frozenset(range(2004, 2027)),
)
DAYS = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 11, 30))
VERIFIED_WITHIN = 20  # R6


@given(stated=DAYS, earliest=DAYS, today=DAYS)
def test_a_stated_day_is_taken_exactly_between_the_earliest_day_and_today(stated, earliest, today):
    possible = earliest <= stated <= today
    try:
        taken = received_on(stated, today=today, earliest=earliest, earliest_is="拟列入名单之日")
    except XinyongError as refused:
        assert not possible
        assert refused.code == (
            "objection-received-in-future" if stated > today else "objection-received-too-early"
        )
    else:
        assert possible and taken == stated


@given(first=DAYS, second=DAYS)
def test_counted_from_a_later_day_a_deadline_is_never_earlier_nor_short(first, second):
    first, second = sorted((first, second))
    due_first = CALENDAR.add_days(first, VERIFIED_WITHIN).date
    due_second = CALENDAR.add_days(second, VERIFIED_WITHIN).date
    assert due_first <= due_second
    assert due_first >= first + dt.timedelta(days=VERIFIED_WITHIN)
    assert CALENDAR.is_workday(due_first)  # moved off a day off, never onto one


@pytest.mark.parametrize(
    ("arrived", "due"),
    [
        ("2026-09-11", "2026-10-08"),  # day 20 (10-01) falls in the National Day holiday
        ("2026-11-02", "2026-11-23"),  # day 20 is a Sunday
        ("2026-09-20", "2026-10-10"),  # day 20 is a Saturday worked (调休): it stands
    ],
)
def test_the_deadline_from_the_day_it_arrived(arrived, due):
    start = dt.date.fromisoformat(arrived)
    assert CALENDAR.add_days(start, VERIFIED_WITHIN).date == dt.date.fromisoformat(due)
