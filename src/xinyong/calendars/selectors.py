"""Reading the holiday calendar (R15): one in-process WorkCalendar, rebuilt when the data moves.

The cache is keyed on a fingerprint read in one small query — row counts, the last date, the
covered years and their latest ``loaded_at``. A load through the service, an edit in
the admin (which touches ``loaded_at``) or a rolled-back test transaction all change it, so
every process, and every test, sees the calendar the database holds now. ``post_save`` and
``post_delete`` on both models drop the cache in this process at once as well.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from xinyong.calendars.models import CalendarDay, CalendarYear
from xinyong.core.statutory_holidays import (
    FIRST_ESTIMATED_YEAR,
    LAST_ESTIMATED_YEAR,
    estimated_holidays,
)
from xinyong.core.workdays import WorkCalendar

_cache: tuple[tuple[Any, ...], WorkCalendar] | None = None


def _fingerprint() -> tuple[Any, ...]:
    """Counts, last date, covered years and latest ``loaded_at``, in one small query.

    Plain SQL because it is ten times cheaper than two ORM aggregates, and this runs on every
    ``work_calendar()`` call; scalar subqueries without FROM work on SQLite and PostgreSQL alike.
    """
    quote = connection.ops.quote_name
    day, year = quote(CalendarDay._meta.db_table), quote(CalendarYear._meta.db_table)

    def column(model: type[Model], name: str) -> str:
        return quote(model._meta.get_field(name).column)

    sql = (
        f"SELECT (SELECT COUNT(*) FROM {day}),"
        f" (SELECT COUNT(*) FROM {day} WHERE {column(CalendarDay, 'kind')} = %s),"
        f" (SELECT MAX({column(CalendarDay, 'date')}) FROM {day}),"
        f" (SELECT COUNT(*) FROM {year}),"
        f" (SELECT MAX({column(CalendarYear, 'year')}) FROM {year}),"
        f" (SELECT MAX({column(CalendarYear, 'loaded_at')}) FROM {year})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [CalendarDay.Kind.WORKDAY.value])
        return tuple(cursor.fetchone())


_ESTIMATED_YEARS = range(FIRST_ESTIMATED_YEAR, LAST_ESTIMATED_YEAR + 1)


def _build() -> WorkCalendar:
    """The database's days and covered years, with the statutory holidays of the other years.

    The estimate is handed in for every year it knows; WorkCalendar keeps it only for the years
    without a loaded notice, so loading a year replaces its estimate with the notice (R15).
    """
    holidays: set = set()
    workdays: set = set()
    for day, kind in CalendarDay.objects.values_list("date", "kind").order_by():
        (workdays if kind == CalendarDay.Kind.WORKDAY else holidays).add(day)
    covered = CalendarYear.objects.values_list("year", flat=True).order_by()
    return WorkCalendar(
        frozenset(holidays),
        frozenset(workdays),
        frozenset(covered),
        estimated_holidays=estimated_holidays(_ESTIMATED_YEARS),
    )


def work_calendar() -> WorkCalendar:
    """The calendar the database holds: holidays, adjusted working days and covered years."""
    global _cache
    key = _fingerprint()
    cached = _cache
    if cached is not None and cached[0] == key:
        return cached[1]
    calendar = _build()
    _cache = (key, calendar)
    return calendar


def covered_years() -> list[int]:
    """The years whose State Council notice is loaded, in order."""
    return list(CalendarYear.objects.values_list("year", flat=True).order_by("year"))


def invalidate_work_calendar(**_: Any) -> None:
    """Drop this process's cached calendar; the next ``work_calendar()`` reads the database."""
    global _cache
    _cache = None


for _model in (CalendarDay, CalendarYear):
    for _signal in (post_save, post_delete):
        _signal.connect(
            invalidate_work_calendar, sender=_model, dispatch_uid="xinyong.calendars.invalidate"
        )
