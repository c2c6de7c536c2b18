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

An import job's count of records published late (``ImportJob.late``) is counted again from its
records for the jobs that collected them near a changed year, so that the job page and the API
agree with the records and the timeliness figures: a decision sent again in place of a revoked
one is counted by the job that first published it, not by the one that corrected it.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Count, Q
from django.dispatch import receiver

from xinyong.calendars.selectors import work_calendar
from xinyong.calendars.signals import calendar_changed
from xinyong.catalog.models import CreditRecord, ImportJob
from xinyong.catalog.publication import LONGEST_SPAN_DAYS, PUBLIC_WITHIN_WORKDAYS, workdays_late
from xinyong.catalog.selectors import sent_again


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
    changed = _update_from(
        "decided date, due date", dues,
        "SET publication_due_on = v.due FROM {v} v"
        " WHERE {t}.decision_date = v.decided AND {t}.publication_due_on <> v.due",
    )  # fmt: skip
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
        (due, shown, workdays_late(calendar, due, shown)) for due, shown in pairs.iterator()
    ]
    changed += _update_from(
        "due date, shown date, late integer", lateness,
        "SET workdays_late = v.late FROM {v} v WHERE {t}.publication_due_on = v.due"
        " AND {t}.published_on = v.shown AND {t}.workdays_late <> v.late",
    )  # fmt: skip
    _recount_late_of_jobs(collected_from=first, collected_to=last + dt.timedelta(LONGEST_SPAN_DAYS))
    return changed


def _recount_late_of_jobs(*, collected_from: dt.date, collected_to: dt.date) -> None:
    """Count again the records published late of the jobs that collected them between the two
    days: whether a record came late depends on the days from its decision to its collection,
    never more than ``LONGEST_SPAN_DAYS`` (``publication.late_count_is_provisional``). A job
    collects from its business date to the day its last chunk committed (a job resumed days
    later, ``ImportJob.collected_between``): one whose days meet the two is counted. The job's
    records are those it inserted, the ones its count was made of, less a decision sent again
    in place of a revoked one, which the job that first published it counted
    (``selectors.sent_again``, R9); one pass over the records."""
    # Either end may come first (a job opened on a day set ahead, resumed on the real day).
    starts_by = Q(business_date__lte=collected_to) | Q(last_collected_on__lte=collected_to)
    ends_from = Q(business_date__gte=collected_from) | Q(last_collected_on__gte=collected_from)
    jobs = dict(ImportJob.objects.filter(starts_by, ends_from).values_list("pk", "late").order_by())
    if not jobs:
        return
    counted = dict.fromkeys(jobs, 0)
    counted.update(
        CreditRecord.objects.filter(~sent_again(), import_job__in=list(jobs), workdays_late__gt=0)
        .values("import_job")
        .annotate(late=Count("id"))
        .values_list("import_job", "late")
        .order_by()
    )
    for job, late in counted.items():
        if late != jobs[job]:
            ImportJob.objects.filter(pk=job).update(late=late)


def _update_from(columns: str, rows: list[tuple], set_where: str) -> int:
    """Update the records from ``rows`` (``columns`` names and types them) in one statement,
    through an indexed temporary table: one pass over the records table however many rows,
    and no limit on parameters. ``set_where`` names the records table ``{t}`` and the rows'
    table ``{v}``. Answers the records changed."""
    if not rows:
        return 0
    table = connection.ops.quote_name(CreditRecord._meta.db_table)
    values = "xinyong_recount"
    names = [column.split()[0] for column in columns.split(", ")]
    # Created inside the schedule's change: a failure rolls it back with everything else.
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {values} ({columns})")
        cursor.executemany(
            f"INSERT INTO {values} VALUES ({', '.join(['%s'] * len(names))})",
            [[str(x) if isinstance(x, dt.date) else x for x in row] for row in rows],
        )
        cursor.execute(f"CREATE INDEX {values}_key ON {values} ({', '.join(names[:-1])})")
        cursor.execute(f"UPDATE {table} " + set_where.format(t=table, v=values))
        changed = cursor.rowcount
        cursor.execute(f"DROP TABLE {values}")
    return changed
