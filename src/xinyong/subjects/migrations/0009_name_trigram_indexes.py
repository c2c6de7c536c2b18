"""A subject is found by a part of its name (an officer's search, R14; the admin's search and
autocomplete; the portal's searches): on PostgreSQL a trigram index serves ``LIKE '%…%'``,
which a btree never does, so a search no longer reads every subject. One index for the
case-sensitive lookup (``name__contains``) and one for the case-insensitive one
(``name__icontains``, ``UPPER(name) LIKE UPPER(…)``). SQLite has no trigram indexes: nothing
changes there.

The admin's search also compares the identifier case-insensitively (``=identifier``): an
index on ``UPPER(identifier)`` lets PostgreSQL combine the three conditions of that search
through indexes instead of reading the table.

``pg_trgm`` ships with PostgreSQL (contrib) and is a trusted extension: the database's owner
may create it. Where the platform's role may not (and the extension is not there already), the
indexes are left out with a warning: the searches work, reading the table as before, and the
migration can be run again once a superuser has run ``CREATE EXTENSION pg_trgm``.
"""

from django.db import migrations, models
from django.db.models.functions import Upper

EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
CREATE = [
    "CREATE INDEX IF NOT EXISTS subjects_name_trgm ON subjects_subject"
    " USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS subjects_upper_name_trgm ON subjects_subject"
    " USING gin (UPPER(name::text) gin_trgm_ops)",
]
# The extension stays: other objects may have come to use it.
DROP = [
    "DROP INDEX IF EXISTS subjects_upper_name_trgm",
    "DROP INDEX IF EXISTS subjects_name_trgm",
]


CAN_USE_TRIGRAMS = """
    SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')
        OR (EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm')
            AND has_database_privilege(current_database(), 'CREATE'))
"""
LEFT_OUT = (
    "subjects 0009: the role may not create the pg_trgm extension: the trigram indexes on"
    " subjects' names are left out (searches by name read the whole table). Have a superuser"
    " run CREATE EXTENSION pg_trgm, then run `xinyong migrate subjects 0008` and"
    " `xinyong migrate` again."
)


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(CAN_USE_TRIGRAMS)
        if not cursor.fetchone()[0]:
            print(f"\n  {LEFT_OUT}")
            return
    for statement in (EXTENSION, *CREATE):
        schema_editor.execute(statement)


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("subjects", "0008_protect_codes_a_mistyped_id_may_be")]

    operations = [
        migrations.RunPython(create_trigram_indexes, _on_postgresql(DROP)),
        migrations.AddIndex(
            model_name="subject",
            index=models.Index(Upper("identifier"), name="subjects_identifier_upper"),
        ),
    ]
