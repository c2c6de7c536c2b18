"""The change feed's numbering: positions given to committed events, one numbering at a time.

Event ids are handed out when a transaction writes, not when it commits, so a reader whose
cursor is an event id can pass over an event that commits late with a lower id and never see
it. Positions are given only to events already committed, under a lock, each numbering going
on from the last: everything numbered later is above every cursor handed out before, and a
reader sees the numbered events as an unbroken run from 1 (R11: implementing departments
stay current from the feed alone).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Max

from xinyong.listings.models import ChangeFeedItem

LOCK_NAMESPACE = 0x58590002  # pg advisory locks: (namespace, 0) numbers the feed


def pending() -> bool:
    return ChangeFeedItem.objects.filter(position__isnull=True).exists()


def assign_positions() -> int:
    """Number every committed event still without a position, oldest first; answers how many.

    One statement, however many are waiting: after a day on which many entries ended, the
    first reader (or the daily job, right after it commits) numbers them all at once, where
    row-by-row batches took minutes under the lock and, cut short by a request's time limit,
    rolled back to start over. On SQLite the write transaction itself is the lock (IMMEDIATE:
    one writer at a time).
    """
    table = connection.ops.quote_name(ChangeFeedItem._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [LOCK_NAMESPACE])
        last = ChangeFeedItem.objects.aggregate(last=Max("position"))["last"] or 0
        cursor.execute(
            f"UPDATE {table} SET position = %s + waiting.n"
            f" FROM (SELECT event_id, ROW_NUMBER() OVER (ORDER BY event_id) AS n"
            f"       FROM {table} WHERE position IS NULL) AS waiting"
            f" WHERE {table}.event_id = waiting.event_id",
            [last],
        )
        return cursor.rowcount
