"""The measures list's version as ``xinyong.measures.list_version`` keeps it: on PostgreSQL its
triggers fire before each statement (after it, as 0021 made them, two transactions changing
measures could lock rows and the version in opposite orders) and its sequence starts again above
every number given (0021 started it at 1, and migrating back and forth gave numbers again); on
SQLite, which 0021 left to counting the rows at each check, the version by triggers too."""

from django.db import migrations

from xinyong.measures import list_version as version


def _forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [
            *version.drop_postgresql_triggers(),
            *version.restart_postgresql_sequence(),
            *version.postgresql_triggers("BEFORE"),
        ]
    elif vendor == "sqlite":
        statements = version.SQLITE_FORWARD
    else:
        statements = []
    for statement in statements:
        schema_editor.execute(statement)


def _backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [*version.drop_postgresql_triggers(), *version.postgresql_triggers("AFTER")]
    elif vendor == "sqlite":
        statements = version.SQLITE_BACKWARD
    else:
        statements = []
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("measures", "0021_measures_list_version")]

    operations = [migrations.RunPython(_forward, _backward)]
