"""The daily job and the steps taken on entries take turns (R1, R3, R4, R11).

The job works set by set: it reads the entries a rule selects, writes their history and
announcements, then changes them, and it derives entries of its own (key monitoring, big-data
warnings, black-list proposals) from what it read. A step taken meanwhile on one of those
entries, or on another entry of the same subject, would make what it read untrue before it
commits: two exits of one entry, history that tells a step the entry never took, two live
entries of one subject on one list and the whole run rolled back.

So, on PostgreSQL, the job holds an exclusive transaction lock while it runs, and every step on
an entry takes the same lock shared, first thing, before any row: steps run side by side as
before, the job waits for those under way, and steps wait while the job runs (a nightly run
takes seconds). Taken first by everyone, it adds no lock-order cycle. On SQLite one writer at
a time gives the same.

A change of the holiday calendar runs alone too (R15; ``calendars.services``): it counts again
every running deadline it sees committed, so a step that counted one on the old calendar must
have committed before (the change waits for it), and a step that starts meanwhile must count on
the new one (it waits for the change). Every step that counts a deadline on the calendar takes
the lock shared before it reads the calendar, in its own transaction; the change takes it
before it writes a day or its audit row, which also keeps its row locks and the audit chain's
head from meeting a step's in a circle.
"""

from __future__ import annotations

from django.db import connection

LOCK_NAMESPACE = 0x58590003  # pg advisory locks: (namespace, 0)


def run_alone() -> None:
    """The daily job's hold, or a change of the holiday calendar's, until its transaction ends."""
    _lock("pg_advisory_xact_lock")


def wait_for_the_daily_job() -> None:
    """A step's hold, until its transaction ends: shared with other steps, never with the job
    nor with a change of the holiday calendar. Within the job's own transaction it is granted at
    once (the job holds the lock)."""
    _lock("pg_advisory_xact_lock_shared")


def _lock(function: str) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, 0)", [LOCK_NAMESPACE])
