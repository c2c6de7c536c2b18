"""Dates as an official document writes them (GB/T 9704-2012 on the numbers of a document's date).

A government notice dates in Arabic numerals with 年, 月 and 日, the year in full and the month
and day without a leading zero: 2026年9月21日, never 2026-09-21 or 2026年09月21日. Every text the
procedure publishes or hands to a subject (notices, announcements, decisions) is such a document;
the pages and the API keep ISO dates, which sort and parse.
"""

from __future__ import annotations

import datetime as dt


def written(day: dt.date, *, provisional: bool = False) -> str:
    """``2026年9月21日``; with ``（暂定）`` after it while the calendar that fixes it is not
    yet known (R15: a deadline past the known calendar is marked provisional)."""
    return f"{day.year}年{day.month}月{day.day}日{'（暂定）' if provisional else ''}"
