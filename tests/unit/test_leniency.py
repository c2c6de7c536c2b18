"""Who is a minor, counted to the day, and the grounds of lenient treatment (R10, 001 §10)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.leniency import GROUNDS, coming_of_age, is_minor_on, unknown_grounds

D = dt.date


@pytest.mark.parametrize(
    ("born", "minor_through", "adult_from"),
    [
        # 18 years end on the birthday; full age from the day after it (民法典 arts. 201, 202;
        # 法释〔2006〕1号 art. 2)
        (D(2008, 10, 27), D(2026, 10, 27), D(2026, 10, 28)),
        # no 29 February in 2026: the 18 years end on the 28th (art. 202)
        (D(2008, 2, 29), D(2026, 2, 28), D(2026, 3, 1)),
        (D(2008, 12, 31), D(2026, 12, 31), D(2027, 1, 1)),
    ],
)
def test_a_person_is_a_minor_through_the_18th_birthday(born, minor_through, adult_from):
    assert coming_of_age(born) == adult_from
    assert is_minor_on(born, minor_through)
    assert not is_minor_on(born, adult_from)


@given(st.dates(D(1900, 1, 1), D(2080, 12, 31)), st.integers(-400, 400))
def test_minority_changes_once_and_on_the_day_after_the_18th_birthday(born, offset):
    day = coming_of_age(born) + dt.timedelta(days=offset)
    assert is_minor_on(born, day) is (offset < 0)
    assert (coming_of_age(born) - dt.timedelta(days=1)).year == born.year + 18


def test_the_grounds_are_those_the_clause_names():
    assert list(GROUNDS) == ["minor", "force_majeure", "unintentional", "slight"]
    assert unknown_grounds(["minor", "pity", "slight", ""]) == ["pity", ""]
