"""Month and year periods end on the corresponding day (Civil Code arts. 200–202)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.periods import add_months, period_end

D = dt.date


@pytest.mark.parametrize(
    ("start", "value", "unit", "end"),
    [
        (D(2026, 10, 27), 3, "years", D(2029, 10, 27)),
        (D(2026, 1, 31), 1, "months", D(2026, 2, 28)),  # no 31 February: the month's last day
        (D(2028, 2, 29), 1, "years", D(2029, 2, 28)),
        (D(2028, 2, 29), 4, "years", D(2032, 2, 29)),
        (D(2026, 12, 15), 1, "months", D(2027, 1, 15)),
        (D(2026, 10, 27), 30, "days", D(2026, 11, 26)),
        (D(2026, 10, 27), 0, "months", D(2026, 10, 27)),
    ],
)
def test_period_end(start, value, unit, end):
    assert period_end(start, value, unit) == end


@pytest.mark.parametrize("unit", ["weeks", ""])
def test_unknown_units_are_refused(unit):
    with pytest.raises(ValueError, match="unknown period unit"):
        period_end(D(2026, 1, 1), 1, unit)


def test_negative_periods_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_months(D(2026, 1, 1), -1)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 1, 1)), st.integers(0, 600))
def test_month_periods_keep_the_day_or_end_the_month(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + dt.timedelta(days=1)).day == 1)


def test_a_validity_term_ending_on_a_holiday_is_not_lengthened():
    """30 days from 2026-09-01 end on National Day, 10-01: a restriction ends then, not on the
    next working day as a deadline would (R10; ADR 0002)."""
    assert period_end(D(2026, 9, 1), 30, "days") == D(2026, 10, 1)
    assert period_end(D(2025, 10, 1), 1, "years") == D(2026, 10, 1)
