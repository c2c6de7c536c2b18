"""The daily job's writes of many rows at once: history rows for every entry a filter selects,
and entries the platform derives itself with their first history row (R3, R4).

Never a round trip per row: a run after missed days, or a day on which many entries end, writes
in a handful of statements, in batches of ``BATCH``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from xinyong.listings.models import EntryState, ListEntry, ListEntryEvent

BATCH = 5000
SYSTEM = "system"  # the actor of the platform's own steps


def log_events(entry_filter: Q, *, action: str, from_state: str, to_state: str, day) -> int:
    """History rows for every entry the filter selects, in one INSERT … SELECT."""
    entries = ListEntry.objects.filter(entry_filter).values_list("pk", flat=True)
    try:
        sql, params = entries.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing, such as pk__in=[]
        return 0
    events, entries_table = ListEntryEvent._meta.db_table, ListEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {events} (entry_id, action, from_state, to_state, business_date, at,"
            f" actor, reason, data) SELECT e.id, %s, %s, %s, %s, %s, %s, '', '{{}}'"
            f" FROM {entries_table} e WHERE e.id IN ({sql})",
            [action, from_state, to_state, day, timezone.now(), SYSTEM, *params],
        )
        return cursor.rowcount


def create_entries(entries: list[ListEntry], *, action: str, day: dt.date) -> None:
    """Bulk-create entries the platform derives itself, each with its first history row.

    An entry in force (key monitoring, a big-data warning) is dated the day it took effect,
    not ``day``, the day of the run: a run after missed days leaves the history, and the change
    feed, that daily runs would have left (R4, R15; R11: a department's copy starts the
    measures on the day the entry applies from). An entry created as exited (a run of days a
    late job found already over) gets the same: derived on its first day, exited on the day it
    ended. One not in force (a proposal) is the platform's step of ``day``.
    """
    created = ListEntry.objects.bulk_create(entries, batch_size=BATCH)
    if connection.features.can_return_rows_from_bulk_insert:
        keys = [entry.pk for entry in created]
    else:  # pragma: no cover - both supported databases return the new keys
        raise RuntimeError("the database must return keys from bulk inserts")
    events = []
    for pk, entry in zip(keys, created, strict=True):
        first_day = entry.effective_on or day
        if entry.state != EntryState.EXITED:
            events.append(_event(pk, action, "", entry.state, first_day))
            continue
        events.append(_event(pk, action, "", EntryState.EFFECTIVE, first_day))
        events.append(_event(pk, "exit", EntryState.EFFECTIVE, entry.state, entry.exited_on))
    ListEntryEvent.objects.bulk_create(events, batch_size=BATCH)


def _event(entry_id: int, action: str, from_state: str, to_state: str, day) -> ListEntryEvent:
    return ListEntryEvent(
        entry_id=entry_id, action=action, from_state=from_state, to_state=to_state,
        business_date=day, actor=SYSTEM,
    )  # fmt: skip
