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
may create it.
"""

from django.db import migrations, models
from django.db.models.functions import Upper

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
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


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("subjects", "0008_protect_codes_a_mistyped_id_may_be")]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
        migrations.AddIndex(
            model_name="subject",
            index=models.Index(Upper("identifier"), name="subjects_identifier_upper"),
        ),
    ]
