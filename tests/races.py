"""Two callers at the same moment, on connections of their own (PostgreSQL's row locks)."""

import datetime as dt
import threading
import time

from django.db import connection, connections, transaction

from xinyong.core import clock
from xinyong.core.errors import XinyongError


def race(*calls):
    """Run the calls in threads released together; answer each outcome ('ok' or the code)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            with clock.frozen(dt.date(2026, 10, 27)):
                call()
            outcomes[index] = "ok"
        except XinyongError as exc:
            outcomes[index] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def sessions_waiting_on_locks() -> int:
    """How many other sessions of the test database wait for a lock (PostgreSQL)."""
    with connection.cursor() as cursor:
        # Within a transaction the view keeps its first reading unless its snapshot is cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def until_another_waits(done: threading.Event, tries: int = 200) -> None:
    """Until another session waits for a lock, or ``done`` is set: asked of the database, so
    that a test does not depend on the machine's speed."""
    for _ in range(tries):
        if sessions_waiting_on_locks() or done.is_set():
            return
        time.sleep(0.05)


def first_then(first, then, *, after=lambda: None):
    """``first`` takes its locks in a transaction and holds them until ``then`` (released once
    it has) waits for one of them; ``after`` then runs in the same transaction, which commits.
    Answers the two calls for ``race``."""
    taken, done = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            first()
            taken.set()
            until_another_waits(done)
            after()

    def follow():
        assert taken.wait(10)
        try:
            then()
        finally:
            done.set()

    return hold, follow


def in_thread(work, failures: list[BaseException], *, day: dt.date | None = None,
              done: threading.Event | None = None) -> threading.Thread:  # fmt: skip
    """``work`` started on a thread of its own (its own connection, closed at the end), on the
    business ``day`` if given; what it raises is kept in ``failures``, for the test's thread to
    raise again; ``done`` is set when it ends, however it ends."""

    def run() -> None:
        try:
            if day is None:
                work()
            else:
                with clock.frozen(day):
                    work()
        except BaseException as exc:  # raised again in the test's thread
            failures.append(exc)
        finally:
            if done is not None:
                done.set()
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread
