"""Provisional deadlines count the statutory holidays known in advance (R15).

全国年节及纪念日放假办法 (2024 revision, in force from 2025-01-01): 1 January, 农历除夕 to 正月初三,
Qingming, 1–2 May, 端午 (五月初五), 中秋 (八月十五) and 1–3 October are days off every year,
whatever the year's notice arranges around them. Today is
2026-11-23 in these examples: 2004–2026 are covered, 2027 is not.
"""

import datetime as dt

import chinese_calendar
import pytest
from chinese_calendar.constants import Holiday
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.statutory_holidays import (
    estimated_holidays,
    fixed_holidays,
    lunar_holidays,
    qingming,
)
from xinyong.core.workdays import Deadline, WorkCalendar

NOTICES = (
    frozenset(chinese_calendar.holidays),
    frozenset(chinese_calendar.workdays),
    frozenset(range(2004, 2027)),
)
NOTICES_ONLY = WorkCalendar(*NOTICES)
ESTIMATE = estimated_holidays(range(2004, 2101))
CALENDAR = WorkCalendar(*NOTICES, estimated_holidays=ESTIMATE)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# -- the estimate ----------------------------------------------------------------------------


def test_the_fixed_dates_of_the_law():
    assert sorted(fixed_holidays(2027)) == [
        d("2027-01-01"), d("2027-05-01"), d("2027-05-02"),
        d("2027-10-01"), d("2027-10-02"), d("2027-10-03"),
    ]  # fmt: skip


@pytest.mark.parametrize("year", range(2008, 2027))  # 清明节 is a holiday since 2008
def test_qingming_falls_on_the_day_every_notice_gave_it(year):
    given_by_notice = {
        day
        for day, name in chinese_calendar.holidays.items()
        if day.year == year and name == Holiday.tomb_sweeping_day.value
    }
    assert qingming(year) in given_by_notice


@pytest.mark.parametrize(
    ("year", "day"), [(2027, "2027-04-05"), (2028, "2028-04-04"), (2029, "2029-04-04")]
)
def test_qingming_in_years_without_a_notice(year, day):
    assert qingming(year) == d(day)


@pytest.mark.parametrize("year", range(2008, 2027))
def test_the_lunar_festivals_fall_on_days_every_notice_gave_off(year):
    """正月初一–初三, 端午 and 中秋 were days off under every text since 2008; 除夕 is one again
    under the 2024 revision (it was not from 2014 to 2024)."""
    festival_days = lunar_holidays(year)
    eve = min(festival_days)
    for day in festival_days - {eve}:
        assert chinese_calendar.is_holiday(day), day
    assert (year >= 2025) <= chinese_calendar.is_holiday(eve)


def test_the_lunar_festivals_in_a_year_without_a_notice():
    """2027: 正月初一 is Saturday 6 February; 端午 Wednesday 9 June; 中秋 Wednesday 15 September."""
    assert sorted(lunar_holidays(2027)) == [
        d("2027-02-05"), d("2027-02-06"), d("2027-02-07"), d("2027-02-08"),
        d("2027-06-09"), d("2027-09-15"),
    ]  # fmt: skip


def test_the_estimate_covers_the_years_the_revised_law_and_the_formula_reach():
    assert estimated_holidays([2027]) == (
        fixed_holidays(2027) | {d("2027-04-05")} | lunar_holidays(2027)
    )
    assert len(estimated_holidays([2027])) == 13  # the 13 days of art. 2, none on another
    assert estimated_holidays([2024, 2100]) == frozenset()  # the old text; past the formula


# -- provisional deadlines -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected", "arithmetic"),
    [
        # publicity of 20 working days started on Tuesday 2026-12-15
        ("2026-12-15", 20, "2027-01-13", "12-16…12-31: 12; 01-01 off; 01-04…08: 17; 01-11…13: 20"),
        # xinyong calendar add-workdays 2026-12-20 20 (a Sunday)
        ("2026-12-20", 20, "2027-01-18", "12-21…12-31: 9; 01-01 off; 01-04…15: 19; 01-18: 20"),
        ("2027-09-28", 5, "2027-10-06", "09-29, 09-30; Friday 10-01 off; 10-04, 10-05, 10-06"),
        ("2029-09-28", 3, "2029-10-08", "10-01…03 (Monday–Wednesday) off; 10-04, 10-05, 10-08"),
        ("2028-04-28", 3, "2028-05-05", "05-01, 05-02 (Monday, Tuesday) off; 05-03, 05-04, 05-05"),
        ("2027-04-02", 1, "2027-04-06", "Monday 04-05 is Qingming"),
        (
            "2027-01-25",
            20,
            "2027-02-24",
            "01-26…29: 4; 02-01…04: 8; Friday 02-05 除夕 and Monday 02-08 初三 off; 02-09…12: 12;"
            " 02-15…19: 17; 02-22…24: 20",
        ),
        ("2027-06-07", 3, "2027-06-11", "Wednesday 06-09 is 端午: 06-08, 06-10, 06-11"),
        ("2027-09-14", 1, "2027-09-16", "Wednesday 09-15 is 中秋"),
    ],
)
def test_a_provisional_period_skips_the_statutory_holidays(start, n, expected, arithmetic):
    assert CALENDAR.add_workdays(d(start), n) == Deadline(d(expected), provisional=True), arithmetic
    assert CALENDAR.workdays_between(d(start), d(expected)) == n


def test_the_monday_to_friday_rule_alone_counted_new_years_day():
    assert NOTICES_ONLY.add_workdays(d("2026-12-15"), 20).date == d("2027-01-12")
    assert NOTICES_ONLY.add_workdays(d("2026-12-20"), 20).date == d("2027-01-15")


def test_a_natural_day_period_ending_on_a_statutory_holiday_ends_on_the_next_working_day():
    """10 days from 2026-12-22 end on Friday 2027-01-01, so on Monday 01-04 (art. 203)."""
    assert CALENDAR.add_days(d("2026-12-22"), 10) == Deadline(d("2027-01-04"), provisional=True)
    assert not CALENDAR.is_workday(d("2027-01-01"))
    assert CALENDAR.is_workday(d("2027-01-04"))


def test_the_notice_of_a_covered_year_wins_over_the_estimate():
    """A loaded 2027 notice is counted as it stands, even one that does not list 10-01."""
    notice = WorkCalendar(
        frozenset({d("2027-01-01")}),
        frozenset({d("2027-01-09")}),  # a Saturday worked
        frozenset({2026, 2027}),
        estimated_holidays=ESTIMATE,
    )
    assert notice.estimated_holidays.isdisjoint(fixed_holidays(2027))
    assert notice.is_workday(d("2027-10-01"))
    assert notice.add_workdays(d("2026-12-15"), 20) == Deadline(d("2027-01-12"))


days = st.dates(dt.date(2004, 1, 1), dt.date(2031, 12, 31))
lengths = st.integers(0, 400)


@given(days, lengths)
def test_the_estimate_never_changes_whether_a_deadline_is_provisional(start, n):
    assert (
        CALENDAR.add_workdays(start, n).provisional
        == NOTICES_ONLY.add_workdays(start, n).provisional
    )
    assert CALENDAR.add_days(start, n).provisional == NOTICES_ONLY.add_days(start, n).provisional


@given(days, lengths)
def test_covered_years_are_counted_by_their_notices_alone(start, n):
    deadline = NOTICES_ONLY.add_workdays(start, n)
    if not deadline.provisional:
        assert CALENDAR.add_workdays(start, n) == deadline
        assert CALENDAR.workdays_between(start, deadline.date) == n


@given(days, lengths)
def test_a_provisional_deadline_is_never_earlier_than_by_the_monday_to_friday_rule(start, n):
    assert CALENDAR.add_workdays(start, n).date >= NOTICES_ONLY.add_workdays(start, n).date


special_days = st.dates(dt.date(2026, 12, 1), dt.date(2027, 2, 28))


@given(
    st.frozensets(special_days, max_size=30),
    st.frozensets(special_days, max_size=10),
    st.frozensets(special_days, max_size=30),
    st.frozensets(st.integers(2026, 2027)),
    st.dates(dt.date(2026, 11, 1), dt.date(2027, 3, 31)),
    st.integers(0, 90),
)
def test_the_fast_count_agrees_with_counting_day_by_day(
    holidays, worked, estimated, covered, start, n
):
    calendar = WorkCalendar(holidays, worked, covered, estimated_holidays=estimated)
    day, left = start, n
    while left:
        day += dt.timedelta(days=1)
        left -= calendar.is_workday(day)
    assert calendar.add_workdays(start, n).date == day
    end = start + dt.timedelta(days=n)
    naive_count = sum(calendar.is_workday(start + dt.timedelta(days=i)) for i in range(1, n + 1))
    assert calendar.workdays_between(start, end) == naive_count


def test_the_festival_table_is_what_lunar_python_converts():
    """The table ``lunar_festivals`` keeps is lunar-python's conversion, year by year."""
    from lunar_python import Lunar

    from xinyong.core.lunar_festivals import FIRST_YEAR, LAST_YEAR, festivals

    def solar(year, month, day):
        converted = Lunar.fromYmd(year, month, day).getSolar()
        return dt.date(converted.getYear(), converted.getMonth(), converted.getDay())

    assert (FIRST_YEAR, LAST_YEAR) == (2008, 2099)
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        assert festivals(year) == (solar(year, 1, 1), solar(year, 5, 5), solar(year, 8, 15))
