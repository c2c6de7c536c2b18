"""``xinyong calendar``: legal time arithmetic and the holiday calendar (R15).

- ``add-workdays DATE N`` / ``add-days DATE N`` print the last day of a period of N working or
  natural days starting on DATE (Civil Code arts. 201, 203), followed by `` provisional`` when it
  depends on a year whose State Council notice is not loaded yet;
- ``next-workday DATE`` prints the first working day after DATE;
- ``coverage`` prints the covered years as compact ranges, e.g. ``2004-2026``;
- ``load FILE [--source TEXT]`` loads a transcribed notice (CSV ``date,kind,name``, or JSON);
- ``seed`` restores the official schedule 2004–2026 from the chinesecalendar package.

Bad input ends with a message and exit code 1.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinyong.calendars import selectors, services
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.workdays import describe_years


def _date(text: str) -> dt.date:
    try:
        return clock.parse_date(text)
    except ValueError:
        raise CommandError(f"日期无效“{text}”，应为 YYYY-MM-DD，例如 2026-09-21") from None


def _length(text: str) -> int:
    try:
        n = int(text.strip())
    except ValueError:
        n = -1
    if n < 0:
        raise CommandError(f"天数无效“{text}”，应为 0 或正整数")
    return n


class Command(BaseCommand):
    help = "Working-day calendar: deadlines, coverage, and loading the State Council notice."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, what in (("add-workdays", "working"), ("add-days", "natural")):
            period = sub.add_parser(
                name, help=f"last day of a period of N {what} days from DATE (first day excluded)"
            )
            period.add_argument("date", metavar="DATE", help="YYYY-MM-DD")
            period.add_argument("n", metavar="N", help="number of days, 0 or more")
        after = sub.add_parser("next-workday", help="first working day after DATE")
        after.add_argument("date", metavar="DATE", help="YYYY-MM-DD")
        sub.add_parser("coverage", help="years whose holiday notice is loaded")
        load = sub.add_parser(
            "load",
            help="load a holiday notice file; each year it covers is replaced and becomes covered, "
            "its New Year days of a neighbouring year are merged date by date",
            description="CSV in UTF-8 or GB18030 with header date,kind,name; kind is holiday or "
            "workday (also 休/班). A .json file holds a list of {date, kind, name}.",
        )
        load.add_argument("file", metavar="FILE")
        load.add_argument("--source", help="the notice's title (default: the file name)")
        load.add_argument("--reason", default="", help="why, for the audit trail")
        load.add_argument("--actor", default="cli", help="who, for the audit trail")
        seed = sub.add_parser("seed", help="restore the official schedule from chinesecalendar")
        seed.add_argument("--reason", default="", help="why, for the audit trail")
        seed.add_argument("--actor", default="cli", help="who, for the audit trail")

    def handle(self, *args, action: str, **options) -> None:
        try:
            self.stdout.write(getattr(self, "do_" + action.replace("-", "_"))(**options))
        except XinyongError as exc:
            raise CommandError(str(exc)) from None  # "stable-code: 中文说明"

    def do_add_workdays(self, *, date: str, n: str, **_) -> str:
        return self._period(selectors.work_calendar().add_workdays, date, n)

    def do_add_days(self, *, date: str, n: str, **_) -> str:
        return self._period(selectors.work_calendar().add_days, date, n)

    def do_next_workday(self, *, date: str, **_) -> str:
        return self._period(selectors.work_calendar().add_workdays, date)  # the 1st working day

    def _period(self, compute, date: str, n: str = "1") -> str:
        start, length = _date(date), _length(n)
        try:
            return str(compute(start, length))
        except ValueError:
            raise CommandError(f"{start} 之后 {length} 天超出日历范围") from None

    def do_coverage(self, **_) -> str:
        years = selectors.covered_years()
        return describe_years(years) if years else "尚未载入任何年度放假安排"

    def do_load(self, *, file: str, source: str | None, reason: str, actor: str, **_) -> str:
        summary = services.load_calendar_file(file, source=source, actor=actor, reason=reason)
        return summary.describe()

    def do_seed(self, *, reason: str, actor: str, **_) -> str:
        return services.seed_from_chinesecalendar(actor=actor, reason=reason).describe()
