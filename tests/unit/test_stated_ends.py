"""The end of publication a decision states, compared as a date (R8, R9): written otherwise it
is the same end; none stated (empty, 长期) is no end, and differs from a stated one."""

import datetime as dt

import pytest

from xinyong.catalog.same_decision import (
    STATED_ENDS,
    changed_ends,
    ends_stated_otherwise,
    stated_in,
)

PENALTY_END, LICENCE_END = STATED_ENDS.values()


@pytest.mark.parametrize(
    ("recorded", "sent"),
    [("2027-06-30", "2027/6/30"), ("2027-06-30", "20270630"), ("2027-06-30", " 2027年6月30日"),
     (None, None), (None, "长期"), ("", None), (20270630, "2027-06-30")],
)  # fmt: skip
def test_the_same_end_however_written(recorded, sent):
    assert changed_ends([recorded, sent, None, None]) == []


def test_another_end_is_named_with_both_dates():
    assert changed_ends(["2026-12-01", "2027-06-30", "2031-11-01", "2031/11/1"]) == [
        (PENALTY_END, dt.date(2026, 12, 1), dt.date(2027, 6, 30))
    ]
    assert changed_ends([None, None, "2031-11-01", ""]) == [
        (LICENCE_END, dt.date(2031, 11, 1), None)
    ]
    assert (PENALTY_END, LICENCE_END) == ("公示截止期", "有效期至")


def test_only_the_ends_a_file_has_are_compared():
    """A column the file lacks states nothing (the older-edition penalty template has none)."""
    penalty_key, licence_key = STATED_ENDS
    assert stated_in(["name", licence_key, penalty_key]) == (penalty_key, licence_key)
    assert stated_in(["name"]) == ()
    assert changed_ends([], ()) == []
    assert changed_ends([None, "2027-06-30"], (licence_key,)) == [
        (LICENCE_END, None, dt.date(2027, 6, 30))
    ]


def test_another_departments_end_is_compared_as_a_departments_own():
    """An end stated against none differs across departments as within one: its tier's
    maximum stands for none, another window; only a column the file lacks states nothing."""
    key, _ = STATED_ENDS
    held = {key: "2027-06-30"}
    assert ends_stated_otherwise(held, {key: "2027-12-31"}, (key,)) == [
        (PENALTY_END, dt.date(2027, 6, 30), dt.date(2027, 12, 31))
    ]
    assert ends_stated_otherwise(held, {key: "2027/6/30"}, (key,)) == []
    assert ends_stated_otherwise(held, {}, (key,)) == [(PENALTY_END, dt.date(2027, 6, 30), None)]
    assert ends_stated_otherwise({}, {key: "2027-12-31"}, (key,)) == [
        (PENALTY_END, None, dt.date(2027, 12, 31))
    ]
    assert ends_stated_otherwise({}, {}, (key,)) == []
    assert ends_stated_otherwise(held, {key: "2027-12-31"}, ()) == []
