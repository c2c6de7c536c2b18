"""Every event that may be a change of the feed gets a feed row when it is written, whoever
writes it (the services, the daily job's set-based statements, the demo loader), and the
events already recorded are numbered in the order of their ids.

Changes are entries taking effect ('sign', 'monitor', 'warn'), ending ('exit'), and objections
to effective entries and their conclusions ('object', 'uphold' from 'effective'); whether the
list's objections suspend measures is read with the feed (listings.feed_reads.changes_since).
"""

from django.db import migrations

CONDITION = (
    "NEW.action IN ('sign', 'monitor', 'warn', 'exit')"
    " OR (NEW.action IN ('object', 'uphold') AND NEW.from_state = 'effective')"
)
SQLITE_FORWARD = [
    f"""CREATE TRIGGER listings_feed_enqueue AFTER INSERT ON listings_listentryevent
        FOR EACH ROW WHEN {CONDITION}
        BEGIN INSERT INTO listings_changefeeditem (event_id, position) VALUES (NEW.id, NULL); END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS listings_feed_enqueue"]
POSTGRES_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION listings_feed_enqueue() RETURNS trigger AS $$
        BEGIN
          IF {CONDITION} THEN
            INSERT INTO listings_changefeeditem (event_id, position) VALUES (NEW.id, NULL);
          END IF;
          RETURN NULL;
        END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER listings_feed_enqueue AFTER INSERT ON listings_listentryevent
       FOR EACH ROW EXECUTE FUNCTION listings_feed_enqueue()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS listings_feed_enqueue ON listings_listentryevent",
    "DROP FUNCTION IF EXISTS listings_feed_enqueue()",
]
BACKFILL = f"""
    INSERT INTO listings_changefeeditem (event_id, position)
    SELECT id, ROW_NUMBER() OVER (ORDER BY id) FROM listings_listentryevent NEW
    WHERE {CONDITION}
"""


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("listings", "0005_change_feed")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": [BACKFILL, *SQLITE_FORWARD],
                  "postgresql": [BACKFILL, *POSTGRES_FORWARD]}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )  # fmt: skip
    ]
