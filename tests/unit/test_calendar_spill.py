"""Which years a holiday file covers, and which it only merges day by day (R15).

A State Council notice for a year may open in late December of the year before: the 2023
notice's New Year runs from 2022-12-31, the 2019 notice's from 2018-12-30 with Saturday
2018-12-29 worked. Those days are not a notice for the year they fall in.
"""

import datetime as dt

import pytest

from xinyong.calendars.services import HOLIDAY, CalendarRow, split_years

# A few days of each notice are enough: a year is covered by any day outside the windows.
NOTICE_2023 = ["2022-12-31", "2023-01-01", "2023-01-02", "2023-01-21", "2023-10-01"]
NOTICE_2019 = ["2018-12-29", "2018-12-30", "2018-12-31", "2019-01-01", "2019-10-01"]


def rows(*dates: str) -> list[CalendarRow]:
    return [CalendarRow(dt.date.fromisoformat(day), HOLIDAY) for day in dates]


@pytest.mark.parametrize(
    ("dates", "covered", "merged"),
    [
        (NOTICE_2023, [2023], [2022]),
        (NOTICE_2019, [2019], [2018]),
        # The window's first day, and the day before it: a notice of 2022 as far as a file goes.
        (["2022-12-15", *NOTICE_2023[1:]], [2023], [2022]),
        (["2022-12-14", *NOTICE_2023[1:]], [2022, 2023], []),
        # Symmetrically, a transcription that runs into early January of the next year.
        (["2023-10-01", "2024-01-01", "2024-01-15"], [2023], [2024]),
        (["2023-10-01", "2024-01-16"], [2023, 2024], []),
        # Only a neighbour's bridge is merged: December 2021 is no part of the 2023 notice.
        (["2021-12-31", *NOTICE_2023], [2021, 2023], [2022]),
        # Two notices in one file: both covered, each with its own December days.
        ([*NOTICE_2019[1:], "2019-12-31", "2020-01-01", "2020-01-25"], [2019, 2020], [2018]),
        # A year between two covered ones, all its days at their edges, is merged into both.
        (["2021-10-01", "2022-01-02", "2022-12-31", "2023-10-01"], [2021, 2023], [2022]),
        # No year with a day outside the windows: every year is replaced, as loads always did.
        (["2022-12-31"], [2022], []),
        (["2022-12-31", "2023-01-01", "2023-01-02"], [2022, 2023], []),
        (["2027-01-01", "2027-01-02"], [2027], []),
    ],
)
def test_a_year_is_merged_only_when_its_days_spill_from_a_covered_neighbour(dates, covered, merged):
    assert split_years(rows(*dates)) == (covered, merged)
