"""The holidays the law fixes every year, as the estimate for a year without a notice (R15).

全国年节及纪念日放假办法 (as revised in 2024, in force from 2025-01-01), art. 2, gives everyone
元旦 1 day on 1 January; 春节 4 days, 农历除夕 to 正月初三; 清明节 1 day on the Qingming solar
term; 劳动节 2 days on 1–2 May; 端午节 1 day on 农历五月初五; 中秋节 1 day on 农历八月十五;
国庆节 3 days on 1–3 October. These days are off whatever the year's notice says: the notice
only arranges the bridges around them and the adjusted working weekends (调休).

So until a year's notice is loaded, its provisional deadlines count as days off what can be known
for certain now:

- the fixed dates: 1 January, 1–2 May, 1–3 October;
- the Qingming solar term, which chinesecalendar computes (寿星公式 with its own corrections);
  checked against every notice 2008–2026 and against the Sun's apparent longitude through 2099;
- the lunar days: 除夕 to 正月初三, 五月初五 and 八月十五, converted by lunar-python (an
  astronomical calendar, MIT licence) into a table (``lunar_festivals``); checked against every
  notice 2008–2026. 除夕 is taken as the day before 正月初一, since the twelfth month has 29 or
  30 days.

Left out on purpose: the adjusted working weekends and the bridge days, which only the notice
decides. When a festival falls on another festival's day (中秋 on 1 October, as in 2020), the
notice adds a day in its place; the estimate counts the one day.

The estimate covers the years from the revision's entry into force (earlier years have their
notices, or are history the old text governed) through 2099, the last year the solar-term formula
is checked for; beyond it the Monday–Friday rule alone applies, as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

import chinese_calendar

from xinyong.core.lunar_festivals import festivals

__all__ = [
    "FIRST_ESTIMATED_YEAR",
    "LAST_ESTIMATED_YEAR",
    "estimated_holidays",
    "fixed_holidays",
    "lunar_holidays",
    "qingming",
]

FIRST_ESTIMATED_YEAR = 2025  # the 2024 revision is in force from 2025-01-01
LAST_ESTIMATED_YEAR = 2099  # chinesecalendar's formula gives 2100's Qingming a day early

# (month, day) of the days off on a fixed date of the solar calendar: 元旦, 劳动节, 国庆节.
_FIXED = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))
_QINGMING = "清明"


def fixed_holidays(year: int) -> frozenset[dt.date]:
    """元旦, 劳动节 and 国庆节 of ``year``: 1 January, 1–2 May, 1–3 October."""
    return frozenset(dt.date(year, month, day) for month, day in _FIXED)


def qingming(year: int) -> dt.date:
    """The day of the Qingming solar term (清明节) in ``year``, 1901–2099."""
    april = chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 30))
    return next(day for day, name in april if name == _QINGMING)


def lunar_holidays(year: int) -> frozenset[dt.date]:
    """春节 (农历除夕 to 正月初三), 端午节 and 中秋节 of ``year``, 2025–2099.

    Every day falls in ``year`` itself: 正月初一 lies between 21 January and 20 February, so its
    eve never reaches back into the year before. The dates come from the table lunar-python
    converted (``lunar_festivals``); 初二 and 初三 follow 初一, and 除夕 is the day before it.
    """
    new_year, dragon_boat, mid_autumn = festivals(year)
    spring = {new_year + dt.timedelta(days=n) for n in (-1, 0, 1, 2)}
    return frozenset(spring | {dragon_boat, mid_autumn})


@cache
def _estimated_for(year: int) -> frozenset[dt.date]:
    if not FIRST_ESTIMATED_YEAR <= year <= LAST_ESTIMATED_YEAR:
        return frozenset()
    return fixed_holidays(year) | {qingming(year)} | lunar_holidays(year)


def estimated_holidays(years: Iterable[int]) -> frozenset[dt.date]:
    """The statutory days off the law lets us know in advance, for ``years`` (R15).

    Years outside 2025–2099 give nothing: see the module docstring.
    """
    days: set[dt.date] = set()
    for year in years:
        days |= _estimated_for(year)
    return frozenset(days)
