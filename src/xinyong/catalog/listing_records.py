"""The credit record a list entry's decision rests on stops with the entry (R4, 000 §十.3).

A recognizing department's listing decision is also information on the subject's record: the
serious-dishonesty information a black list puts there (严重失信主体名单信息), or a red list's
honour. It is the record that the department collected under the same decision document, about
the same subject: the record's department, document number and subject are the entry's
(recognizing department, decision document number, subject); read through the identity's
index, which leads with the document number and the subject. When the entry ends, for whatever
reason, that record is no longer public and no longer shared, from the exit day (001 §12; 000
§十.3: measures stop at once; nothing is deleted). A record already stopped keeps its own day.
An exit that is itself undone (a red entry reinstated, R6) undoes its stop (``resume_records``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.db import connection

from xinyong.catalog.models import CreditRecord


class Decision(NamedTuple):
    """An ended entry's decision, by the identity of the record resting on it, and its exit."""

    department_id: int
    document_number: str
    subject_id: int
    exited_on: dt.date


# Decisions per statement: four parameters each, under SQLite's limit of 32,766.
CHUNK = 2000


def stop_records(decisions: Iterable[Decision]) -> int:
    """Stop publishing (终止公示) and sharing (停止共享) the records the decisions rest on, from
    each exit day. One statement per column and chunk, joining the decisions to the records
    through the records' identity index, so the cost follows the entries that ended, not the
    size of the records table. Answers the changes made, a record's publication and its
    sharing counted apart."""
    rows = [d for d in decisions if d.document_number]
    table = CreditRecord._meta.db_table
    changed = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            params = [value for row in chunk for value in row]
            for column, only_shown in (
                ("publication_ended_on", True), ("sharing_stopped_on", False)
            ):  # fmt: skip
                shown = f" AND {table}.published_on IS NOT NULL" if only_shown else ""
                # VALUES columns are column1… in both PostgreSQL and SQLite.
                cursor.execute(
                    f"UPDATE {table} SET {column} = d.column4 FROM (VALUES {values}) AS d"
                    f" WHERE {table}.department_id = d.column1"
                    f" AND {table}.document_number = d.column2"
                    f" AND {table}.subject_id = d.column3 AND {table}.{column} IS NULL{shown}"
                    # The identity's index holds the records not revoked (a revoked one has
                    # stopped already).
                    f" AND {table}.revoked_on IS NULL",
                    params,
                )
                changed += cursor.rowcount
    return changed


# Each stop beside the end of its own window (R8): the daily job's stop of a window's end.
_STOPS = (
    ("publication_ended_on", "publication_ends_on"),
    ("sharing_stopped_on", "sharing_ends_on"),
)


def resume_records(undone: Decision, today: dt.date) -> list[int]:
    """Undo what ``stop_records`` did for an exit that is itself undone: a red entry put back in
    force because the black listing that ended it was found wrong (R2, R6, 000 §十一.3). The
    record of its decision is public and shared again, as if the entry had never left; answers
    the ids of the records resumed.

    Only a stop dated the undone exit's day is the exit's: a record stopped before it (its
    window ended) keeps its own day, and a revoked record is not the decision's record any more
    (R6). A record that is a listing's decision is repaired and objected to through the entry
    (R8), so nothing else stops it on the entry's behalf that day. A window of the record's
    own that has ended meanwhile is stopped as the daily job stops a window's end, the day
    after it (R8), not left open until the job's next run; one still running is open again.
    The identity is unique among records not revoked, so this is at most one row, locked."""
    if not undone.document_number:
        return []
    records = CreditRecord.objects.select_for_update(no_key=True).filter(
        department_id=undone.department_id, document_number=undone.document_number,
        subject_id=undone.subject_id, revoked_on__isnull=True,
    )  # fmt: skip
    resumed = []
    for record in records:
        changed = []
        for stop_column, end_column in _STOPS:
            if getattr(record, stop_column) != undone.exited_on:
                continue
            end = getattr(record, end_column)
            stop = end + dt.timedelta(days=1) if end is not None and end < today else None
            if stop != undone.exited_on:
                setattr(record, stop_column, stop)
                changed.append(stop_column)
        if changed:
            record.save(update_fields=changed)
            resumed.append(record.pk)
    return resumed


def decisions_of(entry_ids: Sequence[int]) -> list[Decision]:
    """The decisions of ended entries, read by id (the daily job's expiries)."""
    from xinyong.listings.models import ListEntry

    found = (
        ListEntry.objects.filter(pk__in=entry_ids, exited_on__isnull=False)
        .exclude(decision_document_number="")
        .values_list(
            "list__recognizing_department_id", "decision_document_number", "subject_id",
            "exited_on",
        )
    )  # fmt: skip
    return [Decision(*row) for row in found]


def decisions_ending(entry_ids: Sequence[int], exited_on: dt.date) -> list[Decision]:
    """The decisions of entries ending on ``exited_on``, read by id inside the exit's
    transaction whether or not the exit is written yet (an officer's exit saves the entry after
    its changes are made): the identity read does not change with the exit."""
    from xinyong.listings.models import ListEntry

    found = (
        ListEntry.objects.filter(pk__in=list(entry_ids))
        .exclude(decision_document_number="")
        .values_list("list__recognizing_department_id", "decision_document_number", "subject_id")
    )
    return [Decision(*row, exited_on) for row in found]
