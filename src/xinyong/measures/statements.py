"""The two statements of a check by code, prepared once per connection and sent by the driver.

A check by code is one read and one insert (``selectors.check_read``, ``registration``), and at
thousands of checks a second the Python around each statement matters as much as the database:

* PostgreSQL parses and plans each statement it is sent, and for the read that is most of the
  cost (planning its joins took about 1.4 ms against 0.2 ms to run them on the benchmark
  machine). A statement made with PREPARE lives as long as the database session (a rolled-back
  transaction does not undo it), so it is prepared the first time a connection needs it, then
  executed. This assumes each connection is its own session, as with Django's persistent
  connections, not one shared through a pooler in transaction mode.
* Django's cursor wrapper costs about as much Python as the driver call it wraps (measured on a
  one-row SELECT with eleven parameters: 108 µs of CPU through ``connection.cursor()``, 48 µs
  through the driver's cursor). On PostgreSQL the statements therefore go to a driver cursor
  kept per connection, inside Django's error translation (a driver error still arrives as
  ``django.db.DataError`` and the like, and marks the connection for the usability check at
  the end of the request) and its refusal to run in a broken transaction. While queries are
  logged (DEBUG, or a test counting them) or an execute wrapper is installed, they go through
  Django's cursor instead, so that they are logged, counted and wrapped like any other.

Other databases, and PostgreSQL with server-side binding (whose driver prepares repeated
statements itself), run the statement as it is, through Django's cursor.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections

# Kept on Django's connection object (one per thread): the driver connection it is about, the
# cursor kept for these statements and the names prepared. A new driver connection (after a
# close, an expired age, a failed health check) replaces it whole; nothing outlives the thread's
# connection object, whereas a module-level map keyed by the driver connection would keep every
# closed one alive through its cursor.
_STATE = "_xinyong_statements"


@functools.cache
def _prepared_texts(name: str, sql: str, count: int) -> tuple[str, str]:
    """``PREPARE name AS …$1…`` and ``EXECUTE name (%s, …)`` for a statement with ``%s``."""
    pieces = sql.split("%s")
    if len(pieces) != count + 1:
        raise ValueError(f"{name}: {len(pieces) - 1} %s marks for {count} parameters")
    body = "".join(f"{piece}${n}" for n, piece in enumerate(pieces[:-1], 1)) + pieces[-1]
    return f"PREPARE {name} AS {body}", f"EXECUTE {name} ({', '.join(['%s'] * count)})"


def _uses_prepare(db) -> bool:
    return db.vendor == "postgresql" and not db.settings_dict.get("OPTIONS", {}).get(
        "server_side_binding"
    )


class _Kept:
    """What these statements keep for one driver connection (see ``_STATE``)."""

    __slots__ = ("cursor", "driver", "generation", "prepared")

    def __init__(self, db) -> None:
        self.driver = db.connection
        self.cursor = db.create_cursor()
        self.prepared: set[str] = set()
        self.generation = 0  # bumped when the server's prepared statements went stale


def _kept(db) -> _Kept:
    kept = db.__dict__.get(_STATE)
    if kept is None or kept.driver is not db.connection:
        kept = _Kept(db)
        setattr(db, _STATE, kept)
    return kept


def _execute(db, cursor, name: str, sql: str, params: list) -> None:
    if not _uses_prepare(db):
        cursor.execute(sql, params)
        return
    kept = _kept(db)
    if kept.generation:
        name = f"{name}_{kept.generation}"
    prepare, execute = _prepared_texts(name, sql, len(params))
    if name not in kept.prepared:
        cursor.execute(prepare)
        kept.prepared.add(name)
    try:
        cursor.execute(execute, params)
    except (NotSupportedError, db.Database.NotSupportedError):  # Django's, or the driver's
        # "cached plan must not change result type": a migration changed a column the statement
        # reads, under a running server. This call fails (its transaction is aborted), and the
        # next prepares the statements afresh under new names instead of failing until a restart.
        kept.prepared.clear()
        kept.generation += 1
        raise


def run(name: str, sql: str, params: list, *, fetch: bool) -> list[tuple[Any, ...]] | None:
    """Run ``sql`` (``%s`` parameters) as the prepared statement ``name``; its rows if ``fetch``.

    ``name`` must stand for one ``sql`` only: it names the statement on every connection.
    """
    db = connections[DEFAULT_DB_ALIAS]
    if not _uses_prepare(db) or db.queries_logged or db.execute_wrappers:
        with db.cursor() as cursor:
            _execute(db, cursor, name, sql, params)
            return cursor.fetchall() if fetch else None
    # What Django's cursor() does first: the same connection rules for these statements.
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    db.validate_no_broken_transaction()
    with db.wrap_database_errors:
        cursor = _kept(db).cursor
        _execute(db, cursor, name, sql, params)
        return cursor.fetchall() if fetch else None
