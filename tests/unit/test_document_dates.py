"""Dates in official texts (GB/T 9704-2012): the year in full, no leading zeros."""

import datetime as dt

import pytest

from xinyong.core.document_dates import written


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 9, 21), "2026年9月21日"),
        (dt.date(2026, 10, 26), "2026年10月26日"),
        (dt.date(2027, 1, 1), "2027年1月1日"),
        (dt.date(2028, 2, 29), "2028年2月29日"),
        (dt.date(2026, 12, 31), "2026年12月31日"),
    ],
)
def test_written_in_full_without_leading_zeros(day, text):
    assert written(day) == text


def test_a_provisional_day_says_so():
    assert written(dt.date(2027, 1, 12), provisional=True) == "2027年1月12日（暂定）"
