"""Legal time arithmetic (R15; Civil Code arts. 201, 203; State Council holiday notices).

The official calendar here is built straight from the chinesecalendar package, as the seed
migration does, so these tests need no database. It is handed no estimate of the statutory
holidays, so an uncovered year follows the Monday–Friday rule alone here; the estimate the
application adds is tested in test_statutory_holidays.py.
"""

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.workdays import (
    NEXT_NOTICE_FROM_DECEMBER,
    Deadline,
    WorkCalendar,
    describe_years,
)

OFFICIAL = WorkCalendar(
    holidays=frozenset(chinese_calendar.holidays),
    adjusted_workdays=frozenset(chinese_calendar.workdays),
    covered_years=frozenset(range(2004, 2027)),
)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# -- which days are working days -------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working", "why"),
    [
        ("2026-02-14", True, "Saturday worked for the Spring Festival"),
        ("2026-02-28", True, "Saturday worked for the Spring Festival"),
        ("2026-09-20", True, "Sunday worked for National Day"),
        ("2026-10-10", True, "Saturday worked for National Day"),
        ("2026-01-04", True, "Sunday worked for New Year's Day"),
        ("2026-02-16", False, "Spring Festival, a Monday"),
        ("2026-02-21", False, "Spring Festival, a Saturday"),
        ("2026-10-01", False, "National Day"),
        ("2026-10-07", False, "National Day, a Wednesday"),
        ("2026-10-08", True, "the first working day after National Day"),
        ("2026-10-11", False, "an ordinary Sunday"),
        ("2026-10-17", False, "an ordinary Saturday"),
        ("2026-03-02", True, "an ordinary Monday"),
        ("2027-01-01", True, "a Friday in a year not yet covered: Monday–Friday rule"),
    ],
)
def test_working_days_follow_the_notice(day, working, why):
    assert OFFICIAL.is_workday(d(day)) is working, why


def test_an_adjusted_working_day_wins_over_a_holiday_on_the_same_date():
    calendar = WorkCalendar(frozenset({d("2026-10-10")}), frozenset({d("2026-10-10")}))
    assert calendar.is_workday(d("2026-10-10"))
    assert calendar.workdays_between(d("2026-10-09"), d("2026-10-10")) == 1


# -- periods in working days -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        ("2026-09-21", 20, "2026-10-26", "R15's example: Mid-autumn, National Day, 10-10 worked"),
        ("2026-09-21", 1, "2026-09-22", "the first day is not counted"),
        ("2026-09-19", 1, "2026-09-20", "an adjusted working Sunday counts"),
        ("2026-09-24", 1, "2026-09-28", "Mid-autumn Friday and the weekend are skipped"),
        ("2026-09-30", 1, "2026-10-08", "the whole National Day holiday is skipped"),
        ("2026-10-09", 1, "2026-10-10", "an adjusted working Saturday counts"),
        ("2026-02-13", 1, "2026-02-14", "an adjusted working Saturday counts"),
        ("2026-02-14", 1, "2026-02-24", "the Spring Festival holiday is skipped"),
        ("2026-02-27", 1, "2026-02-28", "an adjusted working Saturday counts"),
        ("2026-10-01", 1, "2026-10-08", "a period may start on a holiday"),
        ("2026-10-03", 3, "2026-10-10", "starting on a holiday Saturday"),
        ("2026-10-11", 5, "2026-10-16", "starting on a Sunday: Monday is day one"),
        ("2025-12-31", 1, "2026-01-04", "year boundary: 1–3 January off, Sunday the 4th worked"),
        ("2025-12-24", 6, "2026-01-04", "year boundary, several days"),
        ("2026-10-26", 0, "2026-10-26", "a zero-day period ends on its start day"),
        ("2026-10-01", 0, "2026-10-01", "even on a holiday: no day is counted, nothing moves"),
    ],
)
def test_working_day_periods(start, n, expected, why):
    assert OFFICIAL.add_workdays(d(start), n) == Deadline(d(expected), provisional=False), why


@pytest.mark.parametrize(
    ("start", "n", "expected", "provisional"),
    [
        ("2026-12-10", 2, "2026-12-14", False),  # before the next notice's reach
        # 2027's notice may still set 2026-12-31 (the 2023 notice gave 2022-12-31 off).
        ("2026-12-30", 1, "2026-12-31", True),
        ("2026-12-31", 0, "2026-12-31", False),
        ("2026-12-31", 1, "2027-01-01", True),  # a Friday by the Monday–Friday rule, for now
        ("2026-12-30", 3, "2027-01-04", True),
        ("2026-12-01", 30, "2027-01-12", True),
    ],
)
def test_working_day_periods_reaching_into_an_uncovered_year_are_provisional(
    start, n, expected, provisional
):
    assert OFFICIAL.add_workdays(d(start), n) == Deadline(d(expected), provisional)


def test_next_workday_is_strictly_after():
    assert OFFICIAL.next_workday(d("2026-09-30")) == Deadline(d("2026-10-08"))
    assert OFFICIAL.next_workday(d("2026-10-08")) == Deadline(d("2026-10-09"))
    assert OFFICIAL.next_workday(d("2026-12-31")) == Deadline(d("2027-01-01"), provisional=True)


# -- periods in natural days -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        ("2026-09-21", 10, "2026-10-08", "ends on National Day: moves to the next working day"),
        ("2026-09-30", 10, "2026-10-10", "ends on an adjusted working Saturday: stays"),
        ("2026-09-12", 8, "2026-09-20", "ends on an adjusted working Sunday: stays"),
        ("2026-02-05", 10, "2026-02-24", "ends in the Spring Festival: moves past it"),
        ("2026-10-05", 6, "2026-10-12", "ends on an ordinary Sunday: Monday"),
        ("2026-10-01", 7, "2026-10-08", "starts on a holiday: counting still starts next day"),
        ("2026-09-21", 1, "2026-09-22", "the first day is not counted"),
        ("2026-10-01", 0, "2026-10-01", "a zero-day period ends on its start day, unmoved"),
        ("2025-12-22", 10, "2026-01-04", "year boundary: New Year's Day moves to Sunday worked"),
        ("2026-11-20", 20, "2026-12-10", "within the covered year"),
    ],
)
def test_natural_day_periods(start, n, expected, why):
    assert OFFICIAL.add_days(d(start), n) == Deadline(d(expected), provisional=False), why


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-12-22", 10, "2027-01-01"),  # a Friday; New Year's Day once 2027 is known
        ("2026-12-21", 12, "2027-01-04"),  # a Saturday, moved to Monday for now
        ("2026-06-01", 365, "2027-06-01"),
    ],
)
def test_natural_day_periods_ending_in_an_uncovered_year_are_provisional(start, n, expected):
    assert OFFICIAL.add_days(d(start), n) == Deadline(d(expected), provisional=True)


def test_a_period_ending_where_next_years_notice_may_reach_is_provisional():
    """R15: the 2019 and 2023 notices set days of the December before their year, so a period
    ending from December 15 on is final only once the next year's notice is loaded too."""
    assert OFFICIAL.add_days(d("2026-12-01"), 20) == Deadline(d("2026-12-21"), provisional=True)
    assert OFFICIAL.add_days(d("2026-11-30"), 14) == Deadline(d("2026-12-14"), provisional=False)
    known = WorkCalendar(OFFICIAL.holidays, OFFICIAL.adjusted_workdays, frozenset({2026, 2027}))
    assert known.add_days(d("2026-12-01"), 20) == Deadline(d("2026-12-21"), provisional=False)


def test_a_natural_day_period_crossing_a_covered_year_end_may_be_final():
    covered = WorkCalendar(OFFICIAL.holidays, OFFICIAL.adjusted_workdays, frozenset({2026, 2027}))
    assert covered.add_days(d("2026-12-22"), 10) == Deadline(d("2027-01-01"), provisional=False)


def test_loading_the_next_year_settles_a_provisional_deadline():
    known_2027 = WorkCalendar(
        OFFICIAL.holidays | {d("2027-01-01")},
        OFFICIAL.adjusted_workdays,
        OFFICIAL.covered_years | {2027},
    )
    assert OFFICIAL.add_days(d("2026-12-22"), 10) == Deadline(d("2027-01-01"), provisional=True)
    assert known_2027.add_days(d("2026-12-22"), 10) == Deadline(d("2027-01-04"))


# -- counting and errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        ("2026-09-21", "2026-10-26", 20),
        ("2026-10-26", "2026-10-26", 0),
        ("2026-10-27", "2026-10-26", 0),
        ("2026-09-30", "2026-10-07", 0),
        ("2026-10-07", "2026-10-10", 3),
        ("2026-02-13", "2026-02-28", 6),
        (
            "2004-01-01",
            "2026-12-31",
            sum(
                OFFICIAL.is_workday(dt.date(2004, 1, 2) + dt.timedelta(days=i)) for i in range(8400)
            ),
        ),
    ],
)
def test_workdays_between_counts_after_start_through_end(start, end, count):
    assert OFFICIAL.workdays_between(d(start), d(end)) == count


@pytest.mark.parametrize("n", [-1, -20])
def test_a_negative_length_is_refused(n):
    with pytest.raises(ValueError, match="0 or more days"):
        OFFICIAL.add_workdays(d("2026-09-21"), n)
    with pytest.raises(ValueError, match="0 or more days"):
        OFFICIAL.add_days(d("2026-09-21"), n)


@pytest.mark.parametrize("n", [1.5, "3", True])
def test_a_length_is_a_whole_number(n):
    with pytest.raises(TypeError, match="whole number"):
        OFFICIAL.add_workdays(d("2026-09-21"), n)


def test_a_period_past_the_end_of_the_calendar_is_a_clear_error():
    with pytest.raises(ValueError, match="past the end"):
        OFFICIAL.add_workdays(dt.date(9999, 12, 30), 5)
    with pytest.raises(ValueError, match="past the end"):
        OFFICIAL.add_days(dt.date(9999, 12, 30), 5)


def test_a_deadline_prints_as_its_iso_date():
    assert str(Deadline(d("2026-10-26"))) == "2026-10-26"
    assert str(Deadline(d("2027-01-04"), provisional=True)) == "2027-01-04 provisional"


def test_the_calendar_is_immutable():
    with pytest.raises(AttributeError):
        OFFICIAL.covered_years = frozenset()  # type: ignore[misc]


@pytest.mark.parametrize(
    ("years", "text"),
    [
        ([], ""),
        ([2027], "2027"),
        (range(2004, 2027), "2004-2026"),
        ([2026, 2004, 2005, 2010, 2012, 2011], "2004-2005, 2010-2012, 2026"),
    ],
)
def test_describe_years(years, text):
    assert describe_years(years) == text


# -- properties ------------------------------------------------------------------------------

days = st.dates(dt.date(2000, 1, 1), dt.date(2031, 12, 31))
lengths = st.integers(0, 400)


def naive_add_workdays(calendar: WorkCalendar, start: dt.date, n: int) -> dt.date:
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= calendar.is_workday(day)
    return day


def naive_add_days(calendar: WorkCalendar, start: dt.date, n: int) -> dt.date:
    day = start + dt.timedelta(days=n)
    while n and not calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


@given(days, st.integers(1, 400))
def test_a_working_day_period_ends_on_a_working_day(start, n):
    assert OFFICIAL.is_workday(OFFICIAL.add_workdays(start, n).date)


@given(days, lengths, lengths)
def test_working_day_periods_grow_with_their_length(start, n, m):
    shorter, longer = sorted((n, m))
    if shorter < longer:
        assert (
            OFFICIAL.add_workdays(start, shorter).date < OFFICIAL.add_workdays(start, longer).date
        )


@given(days, lengths)
def test_counting_back_gives_the_length(start, n):
    assert OFFICIAL.workdays_between(start, OFFICIAL.add_workdays(start, n).date) == n


@given(days, lengths)
def test_provisional_exactly_when_a_counted_day_is_in_an_uncovered_year(start, n):
    """Or when the last day is in the last weeks of December and the next year's notice, which
    may still set it, is not loaded (R15)."""
    deadline = OFFICIAL.add_workdays(start, n)
    end = deadline.date
    reached = end.year + (end >= dt.date(end.year, 12, NEXT_NOTICE_FROM_DECEMBER))
    counted_years = range((start + dt.timedelta(days=1)).year, reached + 1)
    uncovered = n > 0 and any(y not in OFFICIAL.covered_years for y in counted_years)
    assert deadline.provisional is uncovered


special_days = st.dates(dt.date(2025, 12, 1), dt.date(2027, 2, 28))


@given(
    st.frozensets(special_days, max_size=60),
    st.frozensets(special_days, max_size=20),
    st.frozensets(st.integers(2025, 2027)),
    st.dates(dt.date(2025, 11, 1), dt.date(2027, 3, 31)),
    st.integers(0, 120),
)
def test_any_calendar_agrees_with_counting_day_by_day(holidays, worked, covered, start, n):
    calendar = WorkCalendar(holidays, worked, covered)
    assert calendar.add_workdays(start, n).date == naive_add_workdays(calendar, start, n)
    assert calendar.add_days(start, n).date == naive_add_days(calendar, start, n)
    end = start + dt.timedelta(days=n)
    naive_count = sum(calendar.is_workday(start + dt.timedelta(days=i)) for i in range(1, n + 1))
    assert calendar.workdays_between(start, end) == naive_count
