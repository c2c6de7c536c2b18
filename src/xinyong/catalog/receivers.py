"""Records react to a change of the holiday schedule: publication deadlines are counted again.

A record's deadline to be public is 7 working days after its decision (R9), stored when it is
collected with the working days it came late. A deadline counted before its year's notice was
known, or across a day corrected since, is counted again when the schedule changes (R15), so
that the timeliness statistics rest on the calendar in force. Only records whose 7 working days
can touch a changed year are looked at, and each step is one statement however many records
there are (the records table is the largest there is, and has no index on the decision date).

The working days late are counted again for records shown when collected (``published_on`` is
the day they were collected) whose deadline or day of collection is near a changed year. A
record collected after its window had already ended was never shown, and keeps the count made
when it arrived.
"""

from __future__ import annotations

import datetime as dt
from itertools import islice

from django.db import connection
from django.db.models import Q
from django.dispatch import receiver

from xinyong.calendars.selectors import work_calendar
from xinyong.calendars.signals import calendar_changed
from xinyong.catalog.models import CreditRecord
from xinyong.catalog.publication import PUBLIC_WITHIN_WORKDAYS

# 7 working days never span more than this many calendar days (the longest holiday is 9 days
# with its weekends), so a decision this long before a changed year cannot reach into it.
LONGEST_SPAN_DAYS = 31
PARAMETERS_PER_STATEMENT = 30_000  # where the database sets no lower limit


@receiver(calendar_changed, dispatch_uid="catalog.recompute_publication_deadlines")
def recompute_publication_deadlines(sender, years, **kwargs) -> int:
    """Count the publication deadlines of decisions near the changed years again; rows changed."""
    years = sorted(years)
    if not years:
        return 0
    first = dt.date(years[0], 1, 1) - dt.timedelta(days=LONGEST_SPAN_DAYS)
    last = dt.date(years[-1], 12, 31)
    calendar = work_calendar()
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    dues = [(day, calendar.add_workdays(day, PUBLIC_WITHIN_WORKDAYS).date) for day in days]
    limit = connection.features.max_query_params or PARAMETERS_PER_STATEMENT
    changed = 0
    for batch in _batched(dues, limit // 2):
        changed += _update_dues(batch)
    # Late days span the deadline to the day shown: counted again where that span can touch a
    # changed year (a decision near it, or one long before but collected in it).
    near = Q(decision_date__range=(first, last)) | Q(
        published_on__gte=dt.date(years[0], 1, 1), publication_due_on__lte=last
    )
    pairs = (
        CreditRecord.objects.filter(near, publication_due_on__isnull=False)
        .exclude(published_on=None)
        .values_list("publication_due_on", "published_on")
        .distinct()
        .order_by()
    )
    lateness = [
        (due, shown, calendar.workdays_between(due, shown)) for due, shown in pairs.iterator()
    ]
    for batch in _batched(lateness, limit // 3):
        changed += _update_late(batch)
    return changed


def _batched(items, size: int):
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def _update_from(names: str, dates: int, set_where: str, rows: list[tuple]) -> int:
    """One ``WITH v(names) AS (VALUES …) UPDATE records … FROM v`` over ``rows``; the first
    ``dates`` values of each row are dates. ``set_where`` is the SET and WHERE, with ``{t}``
    for the table. PostgreSQL must be told a parameter is a date to compare it with one;
    SQLite keeps dates as ISO text, and a CAST there would turn the text into a number."""
    table = connection.ops.quote_name(CreditRecord._meta.db_table)
    date = "%s::date" if connection.vendor == "postgresql" else "%s"
    width = len(rows[0])
    row = "(" + ", ".join([date] * dates + ["%s"] * (width - dates)) + ")"
    sql = f"WITH v({names}) AS (VALUES {', '.join([row] * len(rows))}) UPDATE {table} " + (
        set_where.format(t=table)
    )
    params = [str(x) if i < dates else x for values in rows for i, x in enumerate(values)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _update_dues(batch: list[tuple]) -> int:
    """``publication_due_on`` for each (decision date, deadline) pair."""
    return _update_from(
        "decided, due", 2,
        "SET publication_due_on = v.due FROM v"
        " WHERE {t}.decision_date = v.decided AND {t}.publication_due_on <> v.due",
        batch,
    )  # fmt: skip


def _update_late(batch: list[tuple]) -> int:
    """``workdays_late`` for each (deadline, day shown, working days late)."""
    return _update_from(
        "due, shown, late", 2,
        "SET workdays_late = v.late FROM v WHERE {t}.publication_due_on = v.due"
        " AND {t}.published_on = v.shown AND {t}.workdays_late <> v.late",
        batch,
    )  # fmt: skip
