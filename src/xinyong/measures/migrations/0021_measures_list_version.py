"""The measures list's version: a number that every change of the measures or of their links
(domains, scenarios, implementing departments) replaces, in the changing transaction, so that a
check reads whether the list changed from one row (``selectors._fingerprint_sql``).

The fingerprint it replaces counted the measures and each link table at every check: 0.7 ms of
PostgreSQL's time per check with a list of 600 measures and their 5,700 links, more than the
rest of the check's reads and its registration together, and growing with the list.

A number is never given twice, not even after a rollback or after migrating back and forth, so a
process that cached the index under the number of a change that was rolled back never takes a
later, different change for it:

* on PostgreSQL it comes from a sequence (which a rollback does not take back) that starts at the
  migration's time in microseconds (above any number an earlier run of the migration gave);
* on SQLite, which has no sequences and takes back everything a rollback undoes, it is random
  (64 bits: a repeat is less likely than a hardware fault). Its triggers update the row, and
  write it only where it is missing: a conflict clause in a trigger would give way to the
  changing statement's own (Django adds links with INSERT OR IGNORE), and skip the change.

On PostgreSQL the triggers fire before each statement, so a transaction takes the version's row
before any measure's: two transactions changing measures wait for each other in that one order,
never in a circle (``selectors.hold_measures_list`` for one that locks measures first). The
table is no model, so that no flush of the tables (as tests do between cases) empties it; a
truncation of a measures table is a change too.
"""

import time

from django.db import migrations

TABLES = (
    "measures_measure", "measures_measure_domains", "measures_measure_scenarios",
    "measures_measure_implementing_departments",
)  # fmt: skip


def _postgresql_forward() -> list[str]:
    start = time.time_ns() // 1000
    return [
        f"CREATE SEQUENCE measures_list_version_numbers START WITH {start} MINVALUE {start}",
        """CREATE TABLE measures_list_version (
             one boolean PRIMARY KEY DEFAULT true CHECK (one),
             version bigint NOT NULL
           )""",
        """INSERT INTO measures_list_version (version)
           VALUES (nextval('measures_list_version_numbers'))""",
        """CREATE FUNCTION measures_list_changed() RETURNS trigger AS $$
             BEGIN
               UPDATE measures_list_version SET version = nextval('measures_list_version_numbers');
               IF NOT FOUND THEN  -- the row deleted by hand: written again
                 INSERT INTO measures_list_version (version)
                 VALUES (nextval('measures_list_version_numbers'));
               END IF;
               RETURN NULL;
             END; $$ LANGUAGE plpgsql""",
        *(
            f"""CREATE TRIGGER {table}_list_changed
                BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION measures_list_changed()"""
            for table in TABLES
        ),
    ]


POSTGRESQL_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {table}_list_changed ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS measures_list_changed()",
    "DROP TABLE IF EXISTS measures_list_version",
    "DROP SEQUENCE IF EXISTS measures_list_version_numbers",
]
_SQLITE_CHANGES = [(table, change) for table in TABLES for change in ("INSERT", "UPDATE", "DELETE")]
SQLITE_FORWARD = [
    """CREATE TABLE measures_list_version (
         one integer PRIMARY KEY CHECK (one = 1),
         version integer NOT NULL
       )""",
    "INSERT INTO measures_list_version (one, version) VALUES (1, random())",
    *(
        f"""CREATE TRIGGER {table}_list_changed_{change.lower()} AFTER {change} ON {table}
            BEGIN
              UPDATE measures_list_version SET version = random();
              INSERT INTO measures_list_version (one, version)
              SELECT 1, random() WHERE NOT EXISTS (SELECT 1 FROM measures_list_version);
            END"""
        for table, change in _SQLITE_CHANGES
    ),
]
SQLITE_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {table}_list_changed_{change.lower()}"
      for table, change in _SQLITE_CHANGES),  # fmt: skip
    "DROP TABLE IF EXISTS measures_list_version",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, ())
        for statement in statements() if callable(statements) else statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("measures", "0020_screening_job_attempts")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": _postgresql_forward, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
