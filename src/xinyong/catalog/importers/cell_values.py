"""Dates and amounts as departments write them in a cell (DOMAIN.md §5)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

MAX_AMOUNT = Decimal("1e12")  # 万元

# A date as departments write it, and the time of day a database export or an Excel datetime
# cell adds to it (after a "T", a space, or directly after 日); the time is checked, then ignored.
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?"
    r"(?:(?:T|\s+|(?<=日))(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?\s*"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_PLAIN_AMOUNT = re.compile(r"\d{1,12}(?:\.\d{1,6})?")


def parse_date(text: str) -> dt.date | None:
    """ISO dates and the usual variants (2026/9/1, 2026年9月1日, 20260901); a time of day after
    the date (2026-09-01 10:30:00, 2026-09-01T10:30) must be a real time, and is ignored."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        return None
    if match.re is _DATE and match[4] is not None:
        hour, minute, second = int(match[4]), int(match[5]), int(match[6] or 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_amount(text: str) -> str | None:
    """An amount in 万元 as the digits to store (1,234.5万元 → 1234.5), or None when it is not
    a number from 0 up to ``MAX_AMOUNT``. Plain digits, the usual case, are taken at once."""
    if _PLAIN_AMOUNT.fullmatch(text):
        return text
    digits = text.removesuffix("万元").removesuffix("万").replace(",", "").strip()
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
        return None
    return digits
