"""What an accepted credit repair does to a credit record's publication (R8; 000 §九,
国办发〔2025〕22号, 《信用修复管理办法》).

Three outcomes: publication and sharing stop on the decision day (终止公示, 停止共享); the
dishonesty tier goes one step down and the window is counted again from the decision date under
the lower tier's rule; or publication is shortened to a day the department gives, not before
the minimum. None of them ever lengthens a window or moves a stop already made.

Dates as the record keeps them: an end (``ends_on``, ``sharing_ends_on``) is the last day
shown or shared; a stop (``ended_on``, ``sharing_stopped_on``) is the first day no longer
shown or shared, as the daily job writes it. No Django here: the caller hands in the record's
dates and the lower tier's window.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from xinyong.core.errors import XinyongError

# One step down; a minor record has no lower tier (国办发〔2025〕22号: minor, general, serious).
LOWER_TIER = {"serious": "general", "general": "minor"}


@dataclasses.dataclass(frozen=True)
class RecordDates:
    """A record's tier and the dates of its publication and sharing."""

    tier: str
    published_on: dt.date | None
    min_ends_on: dt.date | None
    ends_on: dt.date | None
    ended_on: dt.date | None
    sharing_ends_on: dt.date | None
    sharing_stopped_on: dt.date | None

    @property
    def shown(self) -> bool:
        return self.published_on is not None and self.ended_on is None


def _earliest(*days: dt.date | None) -> dt.date | None:
    return min((day for day in days if day is not None), default=None)


def stopped(dates: RecordDates, today: dt.date) -> RecordDates:
    """终止公示 and 停止共享 from ``today``; a stop already made stays as it was."""
    return dataclasses.replace(
        dates,
        ended_on=today if dates.shown else dates.ended_on,
        sharing_stopped_on=dates.sharing_stopped_on or today,
    )


def _stop_what_is_over(dates: RecordDates, today: dt.date) -> RecordDates:
    """A window that the new end puts in the past stops now, not on a day gone by."""
    if dates.shown and dates.ends_on is not None and dates.ends_on < today:
        dates = dataclasses.replace(dates, ended_on=today)
    over = dates.sharing_ends_on is not None and dates.sharing_ends_on < today
    if dates.sharing_stopped_on is None and over:
        dates = dataclasses.replace(dates, sharing_stopped_on=today)
    return dates


def lower_tier(tier: str) -> str:
    """The tier one step below ``tier``, or a refusal when there is none (R8)."""
    lower = LOWER_TIER.get(tier)
    if lower is None:
        raise XinyongError(
            "repair-tier-not-lowerable",
            "该信息不是严重或一般失信信息，不能降低失信等级",
            status=422,
        )
    return lower


def lowered(
    dates: RecordDates,
    *,
    published: bool,
    min_ends_on: dt.date,
    max_ends_on: dt.date,
    today: dt.date,
) -> RecordDates:
    """The record one tier down, its window that tier's, counted from the decision date
    (``min_ends_on``, ``max_ends_on``), never later than it was (R8, 国办发〔2025〕22号).

    A lower tier that is published keeps the record public to the new end, or stops it now when
    that end has passed; one that is not (minor) stops publication now and shares the record
    only for its own period, as a minor record collected today would be.
    """
    tier = lower_tier(dates.tier)
    sharing_ends_on = _earliest(max_ends_on, dates.sharing_ends_on)
    if published:
        ends_on = _earliest(max_ends_on, dates.ends_on)
        new = dataclasses.replace(
            dates, tier=tier, min_ends_on=_earliest(min_ends_on, dates.min_ends_on),
            ends_on=ends_on, sharing_ends_on=sharing_ends_on,
        )  # fmt: skip
    else:
        new = dataclasses.replace(
            dates, tier=tier, ended_on=today if dates.shown else dates.ended_on,
            sharing_ends_on=sharing_ends_on,
        )  # fmt: skip
    return _stop_what_is_over(new, today)


def shortest_end(dates: RecordDates, today: dt.date) -> dt.date:
    """The earliest day publication may be shortened to: the minimum's end, and not before
    today (repair only after the minimum; a day gone by cannot be unpublished)."""
    return max(day for day in (dates.min_ends_on, today) if day is not None)


def shortened(dates: RecordDates, ends_on: dt.date | None, today: dt.date) -> RecordDates:
    """Publication, and the sharing that follows it, to end on ``ends_on``: not before the
    minimum, not before today, not after the current end (R8: shorter publication)."""
    if not dates.shown:
        raise XinyongError(
            "repair-record-not-published", "该信息已不再公示，不能缩短公示期", status=409
        )
    if ends_on is None:
        raise XinyongError("repair-end-required", "请填写缩短后的公示截止日期", status=422)
    if dates.min_ends_on is not None and ends_on < dates.min_ends_on:
        raise XinyongError(
            "repair-end-before-minimum",
            f"公示截止日期不得早于最短公示期届满之日（{dates.min_ends_on:%Y-%m-%d}）",
            status=422, earliest=shortest_end(dates, today).isoformat(),
        )  # fmt: skip
    if ends_on < today:
        raise XinyongError(
            "repair-end-before-today",
            f"公示截止日期不得早于今天（{today:%Y-%m-%d}）",
            status=422, earliest=shortest_end(dates, today).isoformat(),
        )  # fmt: skip
    if dates.ends_on is not None and ends_on > dates.ends_on:
        raise XinyongError(
            "repair-end-after-current",
            f"公示截止日期不得晚于原公示截止日期（{dates.ends_on:%Y-%m-%d}）",
            status=422, latest=dates.ends_on.isoformat(),
        )  # fmt: skip
    return dataclasses.replace(
        dates, ends_on=ends_on, sharing_ends_on=_earliest(ends_on, dates.sharing_ends_on)
    )
