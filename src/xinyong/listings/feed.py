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
BATCH = 10_000


def pending() -> bool:
    return ChangeFeedItem.objects.filter(position__isnull=True).exists()


def assign_positions() -> int:
    """Number every committed event still without a position, oldest first; answers how many.

    On SQLite the write transaction itself is the lock (IMMEDIATE: one writer at a time).
    """
    numbered = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [LOCK_NAMESPACE])
        last = ChangeFeedItem.objects.aggregate(last=Max("position"))["last"] or 0
        while True:
            waiting = list(
                ChangeFeedItem.objects.filter(position__isnull=True)
                .order_by("event_id")
                .values_list("event_id", flat=True)[:BATCH]
            )
            if not waiting:
                return numbered
            items = [
                ChangeFeedItem(event_id=event_id, position=last + n)
                for n, event_id in enumerate(waiting, start=1)
            ]
            ChangeFeedItem.objects.bulk_update(items, ["position"], batch_size=1000)
            last += len(items)
            numbered += len(items)
