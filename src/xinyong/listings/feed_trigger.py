"""The change feed's trigger outlives SQLite's table rebuilds (R11).

On SQLite, Django changes a table by building a new one, copying the rows, dropping the old one
and renaming the new (its schema editor's ``_remake_table``). Since migration 0013 the feed's
trigger reads ``listings_listentry`` and ``listings_listdefinition``, and SQLite checks every
trigger when a table is renamed: with the old table dropped, a later migration that rebuilt
either table would fail ("no such table"), and one that rebuilt ``listings_listentryevent``
would drop the trigger with its table, silently. So on SQLite, once 0013 is applied, the
trigger is taken away before ``migrate`` runs and put back after it, as the latest migration
applied that defines it (0013, 0014, 0018, 0022, 0029, 0031) defines it.
PostgreSQL alters tables in place and keeps its trigger. Events written by a data migration
meanwhile enter no feed item: the one of ours that writes any (0026) writes their items itself.
"""

from __future__ import annotations

import importlib

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

# The migrations that define the trigger reading other tables, oldest first: the latest one
# applied defines the trigger to put back.
TRIGGER_MIGRATIONS = (
    ("listings", "0013_change_feed_as_at_the_change"),
    ("listings", "0014_feed_tells_suspension_changes"),
    ("listings", "0018_feed_tells_shortened_monitoring"),
    ("listings", "0022_feed_tells_reinstated_red_entries"),
    ("listings", "0029_feed_tells_namings_removed"),
    ("listings", "0031_feed_conclusion_reads_its_own_objection"),
)
TRIGGER = "listings_feed_enqueue"


def _sqlite_with_trigger(using: str):
    """The connection and the latest migration defining the trigger when it is SQLite and holds
    such a trigger; else None."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return None
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return None
    applied = recorder.applied_migrations()
    defined = [name for app, name in TRIGGER_MIGRATIONS if (app, name) in applied]
    return (connection, defined[-1]) if defined else None


def drop_before_migrate(sender, using: str = "default", **kwargs) -> None:
    if (found := _sqlite_with_trigger(using)) is not None:
        with found[0].cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")


def restore_after_migrate(sender, using: str = "default", **kwargs) -> None:
    if (found := _sqlite_with_trigger(using)) is not None:
        connection, name = found
        defining = importlib.import_module(f"xinyong.listings.migrations.{name}")
        with connection.cursor() as cursor:
            for statement in defining._sqlite(defining.INSERT):
                cursor.execute(statement)
