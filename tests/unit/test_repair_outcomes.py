"""What an accepted repair does to a record's dates (R8; 国办发〔2025〕22号): publication and
sharing stop now, the tier goes one step down, or publication is shortened, never lengthened."""

import dataclasses
import datetime as dt

import pytest

from xinyong.core import repair_outcomes as rules
from xinyong.core.errors import XinyongError

D = dt.date
# A general penalty decided on 2026-09-01: minimum to 2026-12-01, public to 2027-09-01.
GENERAL = rules.RecordDates(
    tier="general", published_on=D(2026, 9, 3), min_ends_on=D(2026, 12, 1),
    ends_on=D(2027, 9, 1), ended_on=None, sharing_ends_on=D(2027, 9, 1), sharing_stopped_on=None,
)  # fmt: skip
# A serious one decided the same day: minimum to 2027-09-01, public to 2029-09-01.
SERIOUS = dataclasses.replace(
    GENERAL, tier="serious", min_ends_on=D(2027, 9, 1), ends_on=D(2029, 9, 1),
    sharing_ends_on=D(2029, 9, 1),
)  # fmt: skip


@pytest.mark.parametrize(
    ("today", "ends_on", "refusal"),
    [
        (D(2026, 11, 20), D(2026, 12, 1), None),  # exactly the minimum's end
        (D(2026, 11, 20), D(2026, 11, 30), "repair-end-before-minimum"),  # one day before it
        (D(2027, 3, 2), D(2027, 3, 2), None),  # today: public today, gone tomorrow
        (D(2027, 3, 2), D(2027, 3, 1), "repair-end-before-today"),  # past the minimum, gone by
        (D(2027, 3, 2), D(2027, 9, 1), None),  # the current end itself
        (D(2027, 3, 2), D(2027, 9, 2), "repair-end-after-current"),  # one day after it
        (D(2027, 3, 2), None, "repair-end-required"),
    ],
)
def test_publication_is_shortened_within_its_bounds(today, ends_on, refusal):
    if refusal is not None:
        with pytest.raises(XinyongError) as refused:
            rules.shortened(GENERAL, ends_on, today)
        assert refused.value.code == refusal
        return
    after = rules.shortened(GENERAL, ends_on, today)
    assert (after.ends_on, after.sharing_ends_on) == (ends_on, ends_on)
    assert (after.ended_on, after.sharing_stopped_on, after.tier) == (None, None, "general")
    assert after.min_ends_on == GENERAL.min_ends_on


def test_the_refusals_name_the_days_in_chinese():
    with pytest.raises(XinyongError) as refused:
        rules.shortened(GENERAL, D(2026, 11, 30), D(2026, 11, 20))
    assert refused.value.message == "公示截止日期不得早于最短公示期届满之日（2026-12-01）"
    with pytest.raises(XinyongError) as refused:
        rules.shortened(GENERAL, D(2027, 9, 2), D(2027, 3, 2))
    assert refused.value.message == "公示截止日期不得晚于原公示截止日期（2027-09-01）"


def test_a_record_no_longer_shown_is_not_shortened():
    ended = dataclasses.replace(GENERAL, ended_on=D(2027, 3, 1))
    with pytest.raises(XinyongError) as refused:
        rules.shortened(ended, D(2027, 6, 1), D(2027, 3, 2))
    assert refused.value.code == "repair-record-not-published"


@pytest.mark.parametrize(
    ("minimum", "today", "earliest"),
    [(D(2026, 12, 1), D(2026, 11, 20), D(2026, 12, 1)), (D(2026, 12, 1), D(2027, 3, 2),
     D(2027, 3, 2)), (None, D(2027, 3, 2), D(2027, 3, 2))],
)  # fmt: skip
def test_the_shortest_end_is_the_minimum_and_never_a_day_gone_by(minimum, today, earliest):
    dates = dataclasses.replace(GENERAL, min_ends_on=minimum)
    assert rules.shortest_end(dates, today) == earliest


def test_serious_lowered_to_general_keeps_it_public_to_the_earlier_end():
    """An item's own general rule of 6 to 24 months: public to 2028-09-01, not 2029-09-01."""
    after = rules.lowered(
        SERIOUS, published=True, min_ends_on=D(2027, 3, 1), max_ends_on=D(2028, 9, 1),
        today=D(2027, 9, 2),
    )  # fmt: skip
    assert after.tier == "general"
    assert (after.min_ends_on, after.ends_on, after.sharing_ends_on) == (
        D(2027, 3, 1), D(2028, 9, 1), D(2028, 9, 1)
    )  # fmt: skip
    assert (after.ended_on, after.sharing_stopped_on) == (None, None)


def test_a_lower_tier_never_lengthens_the_window():
    stated = dataclasses.replace(SERIOUS, ends_on=D(2028, 1, 1), sharing_ends_on=D(2028, 1, 1))
    after = rules.lowered(
        stated, published=True, min_ends_on=D(2027, 3, 1), max_ends_on=D(2028, 9, 1),
        today=D(2027, 9, 2),
    )  # fmt: skip
    assert (after.ends_on, after.sharing_ends_on) == (D(2028, 1, 1), D(2028, 1, 1))


@pytest.mark.parametrize(
    ("today", "stopped"),
    [(D(2027, 9, 1), None), (D(2027, 9, 2), D(2027, 9, 2)), (D(2027, 10, 10), D(2027, 10, 10))],
)
def test_serious_lowered_to_general_whose_window_has_passed_stops_now(today, stopped):
    """Default general rule, 3 to 12 months: the window ends 2027-09-01; on that day the record
    is still public to its end, after it publication and sharing stop on the decision day."""
    after = rules.lowered(
        SERIOUS, published=True, min_ends_on=D(2026, 12, 1), max_ends_on=D(2027, 9, 1),
        today=today,
    )  # fmt: skip
    assert (after.tier, after.ends_on) == ("general", D(2027, 9, 1))
    assert (after.ended_on, after.sharing_stopped_on) == (stopped, stopped)


def test_general_lowered_to_minor_stops_publication_and_shares_for_the_minor_period():
    """Minor is not published (国办发〔2025〕22号); shared to its maximum, none by default."""
    today = D(2027, 1, 10)
    after = rules.lowered(
        GENERAL, published=False, min_ends_on=D(2026, 9, 1), max_ends_on=D(2026, 9, 1),
        today=today,
    )  # fmt: skip
    assert (after.tier, after.ended_on, after.sharing_stopped_on) == ("minor", today, today)
    assert after.sharing_ends_on == D(2026, 9, 1)
    shared_longer = rules.lowered(
        GENERAL, published=False, min_ends_on=D(2026, 9, 1), max_ends_on=D(2027, 3, 1),
        today=today,
    )  # fmt: skip
    assert (shared_longer.ended_on, shared_longer.sharing_stopped_on) == (today, None)
    assert shared_longer.sharing_ends_on == D(2027, 3, 1)


@pytest.mark.parametrize("tier", ["minor", ""])
def test_only_serious_and_general_go_down(tier):
    with pytest.raises(XinyongError) as refused:
        rules.lower_tier(tier)
    assert refused.value.code == "repair-tier-not-lowerable"


def test_stopping_keeps_a_stop_already_made():
    shared_off = dataclasses.replace(GENERAL, sharing_stopped_on=D(2027, 1, 1))
    after = rules.stopped(shared_off, D(2027, 3, 2))
    assert (after.ended_on, after.sharing_stopped_on) == (D(2027, 3, 2), D(2027, 1, 1))
