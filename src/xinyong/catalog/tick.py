"""The daily job's step for credit records: publication and sharing end with their window (R8).

A record past the end of its publication window stops being shown (终止公示) the day after it
ends; past the end of its sharing it stops being pushed to departments (停止共享). Both are set
once, in one statement each over every record concerned, whenever the job runs: a late run
writes the dates the rules give, and a second run finds nothing to do. Records stay in the back
end; nothing is deleted (R4). The records of list entries' decisions are stopped when missed
and resumed when a reinstatement missed them (``listing_records``, ``reinstated``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import connection, transaction

from xinyong.audit import services as audit
from xinyong.catalog import listing_records, reinstated
from xinyong.catalog.models import CreditRecord


@dataclasses.dataclass
class RecordsTickReport:
    day: dt.date
    records_publication_ended: int = 0
    records_sharing_stopped: int = 0
    # Records of ended entries' decisions found still public or shared (``listing_records``).
    entry_records_publication_ended: int = 0
    entry_records_sharing_stopped: int = 0
    # Records of reinstated entries' decisions left stopped by the exit undone, resumed
    # (``reinstated``): id → entry, exit undone and the stops they had, for the audit row.
    entry_records_resumed: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)

    @property
    def changed(self) -> int:
        return (
            self.records_publication_ended + self.records_sharing_stopped
            + self.entry_records_publication_ended + self.entry_records_sharing_stopped
            + len(self.entry_records_resumed)
        )  # fmt: skip

    def lines(self) -> list[str]:
        return [
            f"records_publication_ended: {self.records_publication_ended}",
            f"records_sharing_stopped: {self.records_sharing_stopped}",
            f"entry_records_publication_ended: {self.entry_records_publication_ended}",
            f"entry_records_sharing_stopped: {self.entry_records_sharing_stopped}",
            f"entry_records_resumed: {len(self.entry_records_resumed)}",
        ]


def day_after(column: str) -> str:
    """SQL for the day after a date column: the day publication or sharing stops."""
    if connection.vendor == "postgresql":
        return f"{column} + 1"
    return f"date({column}, '+1 day')"


def _end(stop_column: str, end_column: str, day: dt.date, *, published_only: bool) -> int:
    """Stop the records whose window ended before ``day``. It reads every record not yet
    stopped, once a day and outside the daily job's lock (under a second at 1.1 million): an
    index of them would make every import store each record slower (``catalog/0015``)."""
    table = CreditRecord._meta.db_table
    shown = " AND published_on IS NOT NULL" if published_only else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {stop_column} = {day_after(end_column)}"
            f" WHERE {stop_column} IS NULL AND {end_column} < %s{shown}",
            [day],
        )
        return cursor.rowcount


@transaction.atomic
def end_record_publication(day: dt.date) -> RecordsTickReport:
    """终止公示 and 停止共享 for every record whose window ended before ``day``, then for
    every record of an ended entry's decision still public or shared
    (``listing_records.stop_missed``; a window's end keeps its own day). Before that catch-up,
    the records of reinstated entries' decisions left stopped by the exit undone are public
    and shared again (``reinstated``), so that a stop the catch-up would make again (another
    entry under the decision has ended) is never undone."""
    report = RecordsTickReport(day)
    report.records_publication_ended = _end(
        "publication_ended_on", "publication_ends_on", day, published_only=True
    )
    report.records_sharing_stopped = _end(
        "sharing_stopped_on", "sharing_ends_on", day, published_only=False
    )
    report.entry_records_resumed = reinstated.resume_reinstated(day)
    (
        report.entry_records_publication_ended, report.entry_records_sharing_stopped
    ) = listing_records.stop_missed(day)  # fmt: skip
    if report.changed:
        audit.record(
            actor=None, action="catalog.tick", obj=("catalog.tick", day.isoformat()),
            after=dataclasses.asdict(report),
        )  # fmt: skip
    return report
