"""On PostgreSQL, the measures list's version: a number that every statement changing the
measures or their links (domains, scenarios, implementing departments) gives a new value, in
its own transaction, so that a check reads whether the list changed from one row
(``selectors._fingerprint_sql``).

The fingerprint it replaces counted the measures and each link table on every check: 0.7 ms of
the server's time per check with a list of 600 measures and their 5,700 links, more than the
rest of the check's reads and its registration together, and growing with the list.

Each new value is drawn from a sequence, never from the last one plus one: a sequence gives no
number twice, not even after a rollback, so a process that cached the index under the number of
a change rolled back never takes a later, different change for it. The row is written in the
changing transaction and read as committed. The table is no model, so that no flush of the
tables (as tests do between cases) resets it; a truncation of a measures table is a change too.
"""

from django.db import migrations

TABLES = (
    "measures_measure", "measures_measure_domains", "measures_measure_scenarios",
    "measures_measure_implementing_departments",
)  # fmt: skip
FORWARD = [
    "CREATE SEQUENCE measures_list_version_numbers",
    """CREATE TABLE measures_list_version (
         one boolean PRIMARY KEY DEFAULT true CHECK (one),
         version bigint NOT NULL
       )""",
    "INSERT INTO measures_list_version (version) VALUES (nextval('measures_list_version_numbers'))",
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
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION measures_list_changed()"""
        for table in TABLES
    ),
]
BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {table}_list_changed ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS measures_list_changed()",
    "DROP TABLE IF EXISTS measures_list_version",
    "DROP SEQUENCE IF EXISTS measures_list_version_numbers",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("measures", "0020_screening_job_attempts")]

    operations = [migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD))]
