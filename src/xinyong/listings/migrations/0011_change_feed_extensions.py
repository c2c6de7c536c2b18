"""An entry whose validity is extended is a change of the feed: the 'extend' event that the daily
job or an officer's black-list exit writes when it runs a live key-monitoring entry on to a later
end (R3, 002 §二十一). Implementing departments keep each entry's end from the feed (R11).

The trigger of 0006 is replaced by one that also takes 'extend'. Extensions recorded before
this migration are added without a position, so the feed numbers them after everything a reader
may already have seen, and a department's next read brings its copies up to date.
"""

from django.db import migrations

BEFORE = (
    "NEW.action IN ('sign', 'monitor', 'warn', 'exit')"
    " OR (NEW.action IN ('object', 'uphold') AND NEW.from_state = 'effective')"
)
AFTER = (
    "NEW.action IN ('sign', 'monitor', 'warn', 'exit', 'extend')"
    " OR (NEW.action IN ('object', 'uphold') AND NEW.from_state = 'effective')"
)


def _sqlite(condition):
    return [
        "DROP TRIGGER IF EXISTS listings_feed_enqueue",
        f"""CREATE TRIGGER listings_feed_enqueue AFTER INSERT ON listings_listentryevent
            FOR EACH ROW WHEN {condition}
            BEGIN INSERT INTO listings_changefeeditem (event_id, position)
            VALUES (NEW.id, NULL); END""",
    ]


def _postgres(condition):
    return [
        f"""CREATE OR REPLACE FUNCTION listings_feed_enqueue() RETURNS trigger AS $$
            BEGIN
              IF {condition} THEN
                INSERT INTO listings_changefeeditem (event_id, position) VALUES (NEW.id, NULL);
              END IF;
              RETURN NULL;
            END; $$ LANGUAGE plpgsql""",
    ]


BACKFILL = """
    INSERT INTO listings_changefeeditem (event_id, position)
    SELECT e.id, NULL FROM listings_listentryevent e
    WHERE e.action = 'extend'
      AND NOT EXISTS (SELECT 1 FROM listings_changefeeditem f WHERE f.event_id = e.id)
"""


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("listings", "0010_publicity_amended_announcement")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": [*_sqlite(AFTER), BACKFILL],
                  "postgresql": [*_postgres(AFTER), BACKFILL]}),
            # Going back stops new extensions entering the feed; those already in it stay, as
            # a feed item is never taken back from readers.
            _run({"sqlite": _sqlite(BEFORE), "postgresql": _postgres(BEFORE)}),
        )  # fmt: skip
    ]
