"""Dates, amounts and a decision's state as departments write them in a cell (DOMAIN.md §5)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# An amount in 万元, as the record's column numeric(18, 6) holds it: below a trillion.
MAX_WHOLE_DIGITS, MAX_DECIMALS = 12, 6

# A date as departments write it, and the time of day a database export or an Excel datetime
# cell adds to it (after a "T", a space, or directly after 日); the time is checked, then ignored.
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?"
    r"(?:(?:T|\s+|(?<=日))(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?\s*"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
# ASCII digits only: ``\d`` would also match every other script's digits.
_PLAIN_AMOUNT = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,6})?")
_AMOUNT = re.compile(r"(?=\.?[0-9])(?P<whole>[0-9]*)(?:\.(?P<fraction>[0-9]*))?")
# A decision no longer in force, as an export's 当前状态 says it in words, whichever edition.
REVOKED_WORDS = frozenset({"撤销", "已撤销", "无效", "已无效"})
# The older 双公示 template's code for it (CF_ZT: 0 正常, or blank, 1 撤销, 2 异议, 3 其他). Only
# that edition's code table: the current edition's exports write 1 for a decision in force
# (有效), as their XK_ZT does.
OLD_EDITION_REVOKED_CODES = frozenset({"1"})


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


class AmountRefused(ValueError):
    """An amount the record cannot hold: ``code`` is the row's reason (``reasons.MESSAGES``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_amount(text: str) -> str:
    """An amount in 万元 (CF_NR_FK, DOMAIN.md §5) as the digits to store (1,234.5万元 →
    1234.5), for the record's column numeric(18, 6): at most 12 digits before the point and 6
    after. Plain digits, the usual case, are taken at once.

    Full-width digits, comma and point (１，２３４．５) are read as ASCII ones (NFKC), as
    identifiers, column names and penalty types are. Once the unit and the thousands
    separators are gone only ASCII digits and one point may remain: what Python's ``Decimal``
    would take besides (1_000, 1e3, NaN, other scripts' digits) is refused, never stored as
    sent. More than 6 decimals is refused rather than rounded: 0.000001 万元 is one fen, and
    a rounded fine is not the fine decided; zeros past them change nothing and are dropped.

    Raises ``AmountRefused`` with the reason's code."""
    if _PLAIN_AMOUNT.fullmatch(text):
        return text
    digits = unicodedata.normalize("NFKC", text).strip()
    digits = digits.removesuffix("万元").removesuffix("万").replace(",", "").strip()
    match = _AMOUNT.fullmatch(digits)
    if match is None:
        raise AmountRefused("amount-invalid")
    whole = match["whole"].lstrip("0") or "0"
    fraction = (match["fraction"] or "").rstrip("0")
    if len(whole) > MAX_WHOLE_DIGITS:
        raise AmountRefused("amount-too-large")
    if len(fraction) > MAX_DECIMALS:
        raise AmountRefused("amount-too-precise")
    return f"{whole}.{fraction}" if fraction else whole


def states_revoked(text: str, *, old_edition: bool) -> bool:
    """Whether a decision's 当前状态 says it was revoked or is invalid: in words
    (``REVOKED_WORDS``), or, in a file of the older template's field names, by its code
    (``OLD_EDITION_REVOKED_CODES``); read as identifiers are: full-width characters as ASCII
    ones (NFKC), spaces left out. A licence's state is read with ``old_edition`` False: both
    editions name its column XK_ZT, so its code cannot tell which table it follows."""
    if not text:
        return False
    state = "".join(unicodedata.normalize("NFKC", text).split())
    return state in REVOKED_WORDS or (old_edition and state in OLD_EDITION_REVOKED_CODES)
