"""The measures list's version, kept by the database (migrations ``0021``, ``0022``).

Every change of the measures or of their links (domains, scenarios, implementing departments)
gives the one row of ``measures_list_version`` a number never given before, in the changing
transaction, so that a check reads whether the list changed from that row
(``selectors._fingerprint_sql``). The fingerprint it replaced counted the measures and each link
table at every check: 0.7 ms of PostgreSQL's time per check with a list of 600 measures and
their 5,700 links, more than the rest of the check's reads and its registration together.

Never twice, not even after a rollback or after migrating back and forth, so that a process
that cached the index under the number of a change that was rolled back never takes a later,
different change for it:

* on PostgreSQL the number comes from a sequence, which a rollback does not take back, started
  at the migration's time in microseconds (above any number an earlier run gave);
* on SQLite, which has no sequences and takes back everything a rollback undoes, it is random
  (64 bits: a repeat is less likely than a hardware fault). Its triggers update the row, and
  write it only where it is missing: a conflict clause in a trigger gives way to the changing
  statement's own (Django adds links with INSERT OR IGNORE), and would skip the change.

On PostgreSQL the triggers fire before each statement, so a transaction takes the version's row
before any measure's: two transactions changing measures wait for each other in that one order
(``selectors.hold_measures_list`` for one that locks measures before it changes them). The table
is no model, so that no flush of the tables (as tests do between cases) empties it.

SQLite drops a table's triggers with the table, and Django rebuilds a table there for most
changes of its columns: after every migration the triggers are made again where missing
(``ensure_on_sqlite``, from ``apps``).
"""

from __future__ import annotations

import time

TABLES = (
    "measures_measure", "measures_measure_domains", "measures_measure_scenarios",
    "measures_measure_implementing_departments",
)  # fmt: skip
SEQUENCE = "measures_list_version_numbers"

# -- PostgreSQL: the sequence, the table and the function come with 0021 ------------------------


def postgresql_triggers(when: str) -> list[str]:
    """The statement triggers, firing ``BEFORE`` (0022) or ``AFTER`` (as 0021 made them)."""
    return [
        f"""CREATE TRIGGER {table}_list_changed
            {when} INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION measures_list_changed()"""
        for table in TABLES
    ]


def drop_postgresql_triggers() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_list_changed ON {table}" for table in TABLES]


def restart_postgresql_sequence() -> list[str]:
    """The sequence above every number given so far, by an earlier run of the migrations too,
    and the version given the next: 0021 made again starts both at 1."""
    start = time.time_ns() // 1000
    return [f"ALTER SEQUENCE {SEQUENCE} RESTART WITH {start}",
            f"UPDATE measures_list_version SET version = nextval('{SEQUENCE}')"]  # fmt: skip


# -- SQLite -------------------------------------------------------------------------------------

_SQLITE_CHANGES = [(table, change) for table in TABLES for change in ("INSERT", "UPDATE", "DELETE")]


def _sqlite_trigger_name(table: str, change: str) -> str:
    return f"{table}_list_changed_{change.lower()}"


SQLITE_FORWARD = [
    """CREATE TABLE IF NOT EXISTS measures_list_version (
         one integer PRIMARY KEY CHECK (one = 1),
         version integer NOT NULL
       )""",
    """INSERT INTO measures_list_version (one, version)
       SELECT 1, random() WHERE NOT EXISTS (SELECT 1 FROM measures_list_version)""",
    *(
        f"""CREATE TRIGGER IF NOT EXISTS {_sqlite_trigger_name(table, change)}
            AFTER {change} ON {table}
            BEGIN
              UPDATE measures_list_version SET version = random();
              INSERT INTO measures_list_version (one, version)
              SELECT 1, random() WHERE NOT EXISTS (SELECT 1 FROM measures_list_version);
            END"""
        for table, change in _SQLITE_CHANGES
    ),
]
SQLITE_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {_sqlite_trigger_name(t, c)}" for t, c in _SQLITE_CHANGES),
    "DROP TABLE IF EXISTS measures_list_version",
]
SQLITE_TRIGGER_NAMES = frozenset(_sqlite_trigger_name(t, c) for t, c in _SQLITE_CHANGES)


def sqlite_triggers_missing(connection) -> set[str]:
    """The version's triggers a SQLite database lacks (none: all twelve are there)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return SQLITE_TRIGGER_NAMES - {name for (name,) in cursor.fetchall()}


def ensure_on_sqlite(connection) -> None:
    """Make again what a rebuilt table lost, once migration 0022 is applied, and give the list
    a new version: the rebuild, and whatever changed while the triggers were gone (a data
    migration in the same run), changed it unseen. Idempotent."""
    if connection.vendor != "sqlite" or not sqlite_triggers_missing(connection):
        return
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder(connection).applied_migrations()
    if ("measures", "0022_measures_list_version_before_statements") not in applied:
        return
    with connection.cursor() as cursor:
        for statement in SQLITE_FORWARD:
            cursor.execute(statement)
        cursor.execute("UPDATE measures_list_version SET version = random()")
