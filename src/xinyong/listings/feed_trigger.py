"""The change feed's trigger outlives SQLite's table rebuilds (R11).

On SQLite, Django changes a table by building a new one, copying the rows, dropping the old one
and renaming the new (its schema editor's ``_remake_table``). Since migration 0013 the feed's
trigger reads ``listings_listentry`` and ``listings_listdefinition``, and SQLite checks every
trigger when a table is renamed: with the old table dropped, a later migration that rebuilt
either table would fail ("no such table"), and one that rebuilt ``listings_listentryevent``
would drop the trigger with its table, silently. So on SQLite, once 0013 is applied, the
trigger is taken away before ``migrate`` runs and put back after it, as 0013 defines it.
PostgreSQL alters tables in place and keeps its trigger. Events written by a data migration
meanwhile enter no feed item: none of ours writes any.
"""

from __future__ import annotations

import importlib

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

TRIGGER_MIGRATION = ("listings", "0013_change_feed_as_at_the_change")
TRIGGER = "listings_feed_enqueue"


def _sqlite_with_trigger(using: str):
    """The connection when it is SQLite and holds 0013's trigger; else None."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return None
    recorder = MigrationRecorder(connection)
    if not recorder.has_table() or TRIGGER_MIGRATION not in recorder.applied_migrations():
        return None
    return connection


def drop_before_migrate(sender, using: str = "default", **kwargs) -> None:
    if (connection := _sqlite_with_trigger(using)) is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")


def restore_after_migrate(sender, using: str = "default", **kwargs) -> None:
    if (connection := _sqlite_with_trigger(using)) is not None:
        defining = importlib.import_module(f"xinyong.listings.migrations.{TRIGGER_MIGRATION[1]}")
        with connection.cursor() as cursor:
            for statement in defining._sqlite(defining.INSERT):
                cursor.execute(statement)
