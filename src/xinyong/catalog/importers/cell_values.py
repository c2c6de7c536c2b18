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
# Each edition's code for it, in its own code table: the older 双公示 template's (0 正常, or
# blank, 1 撤销, 2 异议, 3 其他) and the current one's (1 有效, 2 无效). The two clash (1, 2), so
# a code is read only where the file's field names tell its edition (``HeaderMap.edition_told``).
OLD_EDITION_REVOKED_CODES = frozenset({"1"})
CURRENT_EDITION_REVOKED_CODES = frozenset({"2"})


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


def states_revoked(text: str, *, codes: frozenset[str]) -> bool:
    """Whether a decision's 当前状态 says it was revoked or is invalid: in words
    (``REVOKED_WORDS``), or by a code of its file's edition (``codes``: ``revoked_codes``);
    read as identifiers are: full-width characters as ASCII ones (NFKC), spaces left out."""
    if not text:
        return False
    state = "".join(unicodedata.normalize("NFKC", text).split())
    return state in REVOKED_WORDS or state in codes


def revoked_codes(*, old_edition: bool, told: bool) -> frozenset[str]:
    """The codes of 当前状态 that say a decision is not in force, in a file of the older or
    the current edition's field names: none where the names do not tell the edition
    (``told``), as the two code tables clash (the older 2 异议 is the current 2 无效)."""
    if not told:
        return frozenset()
    return OLD_EDITION_REVOKED_CODES if old_edition else CURRENT_EDITION_REVOKED_CODES
