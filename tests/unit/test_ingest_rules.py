"""Row rules that need no database: dates, penalty types and publication windows (R8, R9)."""

import datetime as dt
import re

import pytest

from xinyong.catalog.importers.cell_values import AmountRefused, parse_amount, parse_date
from xinyong.catalog.importers.penalty_types import normalize_penalty_name
from xinyong.catalog.publication import Publication, TierRule
from xinyong.core.workdays import WorkCalendar

D = dt.date


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-02", D(2026, 11, 2)), ("2026/11/2", D(2026, 11, 2)),
        ("2026.11.02", D(2026, 11, 2)), ("2026年11月2日", D(2026, 11, 2)),
        ("20261102", D(2026, 11, 2)), ("2026-11-02 00:00:00", D(2026, 11, 2)),
        ("2026-02-30", None), ("02/11/2026", None), ("2026-11-02 上午", None), ("", None),
        # A time of day, as database exports and Excel datetime cells add it, is ignored ...
        ("2026-11-02 10:30:00", D(2026, 11, 2)), ("2026/11/2 9:15", D(2026, 11, 2)),
        ("2026-11-02T10:30:00", D(2026, 11, 2)), ("2026-11-02T10:30:00.250000", D(2026, 11, 2)),
        ("2026年11月2日 10:30", D(2026, 11, 2)), ("2026年11月2日10:30", D(2026, 11, 2)),
        # ... but it must be one: no words, no impossible times, no digits run together.
        ("2026-11-02 abc", None), ("2026-11-02 25:00", None), ("2026-11-02 10:61", None),
        ("2026-11-02 10:30:75", None), ("2026-11-0210:30", None), ("2026-11-02T", None),
        ("2026-02-30 10:30", None),
    ],
)  # fmt: skip
def test_dates(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("12", "12"), ("1234.5", "1234.5"), ("0.000001", "0.000001"), ("1,234.5", "1234.5"),
        ("12万元", "12"), ("12 万元", "12"), ("3.5万", "3.5"), ("0,007", "7"), (".5", "0.5"),
        ("5.", "5"), ("12.500000000", "12.5"), ("999999999999.999999", "999999999999.999999"),
        # Full-width digits, comma and point, as identifiers and headers are read (NFKC).
        ("１２", "12"), ("１，２３４．５万元", "1234.5"),
    ],
)  # fmt: skip
def test_amounts_are_stored_as_plain_digits(text, digits):
    """An amount in 万元 is stored as the digits the column takes, never as the text sent."""
    assert parse_amount(text) == digits


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Not a number as a department writes one, whatever Python's Decimal would make of it.
        ("一万元", "amount-invalid"), ("-5", "amount-invalid"), ("+5", "amount-invalid"),
        ("1e3", "amount-invalid"), ("NaN", "amount-invalid"), ("Infinity", "amount-invalid"),
        ("1_000", "amount-invalid"), ("0x10", "amount-invalid"), ("٣", "amount-invalid"),
        ("1.2.3", "amount-invalid"), (".", "amount-invalid"), ("万元", "amount-invalid"),
        ("1 000", "amount-invalid"),
        # More than the column numeric(18, 6) holds: 12 digits before the point, 6 after.
        ("1000000000000", "amount-too-large"), ("1,000,000,000,000万元", "amount-too-large"),
        ("0.1234567", "amount-too-precise"), ("１２．３４５６７８９", "amount-too-precise"),
    ],
)  # fmt: skip
def test_amounts_the_column_cannot_hold_are_refused_with_their_reason(text, code):
    with pytest.raises(AmountRefused) as refused:
        parse_amount(text)
    assert refused.value.code == code


def test_penalty_type_spellings():
    assert normalize_penalty_name(" 罚款（人民币五千元） ") == "罚款"
    assert normalize_penalty_name("责令停产停业(3个月)") == "责令停产停业"


# Weekdays only, with 2026-10-01..08 off, as a holiday notice would say.
CALENDAR = WorkCalendar(
    holidays=frozenset(D(2026, 10, d) for d in range(1, 9)), covered_years=frozenset({2026})
)


def test_a_general_penalty_window():
    window = Publication(CALENDAR, D(2026, 9, 30)).tiered(D(2026, 9, 28), TierRule(True, 3, 12))
    assert window.due_on == "2026-10-15"  # 7 working days: 09-29, 09-30, then from 10-09
    assert (window.published_on, window.workdays_late) == ("2026-09-30", 0)
    assert (window.min_ends_on, window.ends_on) == ("2026-12-28", "2027-09-28")


def test_a_late_record_counts_its_working_days():
    window = Publication(CALENDAR, D(2026, 10, 19)).tiered(D(2026, 9, 28), TierRule(True, 3, 12))
    assert window.workdays_late == 2  # due 10-15; late on 10-16 and 10-19


def test_a_stated_end_is_clamped_to_the_rule():
    rule = TierRule(True, 12, 36)
    early = Publication(CALENDAR, D(2026, 9, 30)).tiered(
        D(2026, 9, 28), rule, stated_end=D(2026, 12, 1)
    )
    assert early.ends_on == "2027-09-28"


def test_an_unpublished_tier_is_only_shared_for_its_maximum():
    window = Publication(CALENDAR, D(2026, 9, 30)).tiered(D(2026, 9, 28), TierRule(False, 0, 3))
    assert (window.published_on, window.due_on, window.sharing_ends_on) == (
        None, None, "2026-12-28",
    )  # fmt: skip


def test_several_tiers_take_the_longest_window():
    """R8: the latest minimum and end of the published tiers, whichever tier is the higher;
    shared until the latest end, an unpublished tier's sharing included."""
    publication = Publication(CALENDAR, D(2026, 9, 30))
    general, serious = TierRule(True, 3, 24), TierRule(True, 12, 18)
    window = publication.tiered(D(2026, 9, 28), general, serious)
    assert (window.published_on, window.min_ends_on, window.ends_on, window.sharing_ends_on) == (
        "2026-09-30", "2027-09-28", "2028-09-28", "2028-09-28",
    )  # fmt: skip
    shared_long = publication.tiered(D(2026, 9, 28), TierRule(False, 0, 60), TierRule(True, 3, 12))
    assert (shared_long.ends_on, shared_long.sharing_ends_on) == ("2027-09-28", "2031-09-28")
    unpublished = publication.tiered(D(2026, 9, 28), TierRule(False, 0, 3), TierRule(False, 0, 6))
    assert (unpublished.published_on, unpublished.sharing_ends_on) == (None, "2027-03-28")


def test_a_licence_is_public_until_it_expires():
    window = Publication(CALENDAR, D(2026, 9, 30)).until(
        D(2026, 9, 28), months=(None, None), valid_until=D(2031, 9, 27), is_public=True, due=True
    )
    assert (window.ends_on, window.sharing_ends_on) == ("2031-09-27", "2031-09-27")


def test_every_reason_a_row_can_be_refused_for_has_a_chinese_label():
    """The job's summary counts refused rows by reason and names each reason in Chinese: every
    code of the row checks and of the identifier checks has a label (a check's ``-ok`` answer
    is never a reason)."""
    from xinyong.catalog.importers import reasons
    from xinyong.core import identifiers

    codes = set(reasons.MESSAGES) | {c for c in identifiers.MESSAGES if not c.endswith("-ok")}
    for code in codes:
        label = reasons.reason_label(code)
        assert label != code and not re.search(r"[a-z]", label), code  # no code shown as is
    assert reasons.reason_label("from-an-older-release") == "from-an-older-release"
