"""The change feed tells a list's objection-suspension setting changed under an open objection
(R6, R11).

Whether an objection suspends an effective entry's measures is a setting of its list (court
defaulter lists do not). When the credit office changes it while objections to the list's
effective entries are being verified, those entries' measures are suspended, or apply again,
from that day: each such entry gets a ``suspension`` event in its history, and the feed an item
saying which (``objection_suspends``: the setting after the change).

An objection's conclusion then resumes measures only if the last word the feed gave on the
objection, the objection itself or a later ``suspension`` event, was that they were suspended,
or the list suspends at the conclusion; so a department hears each suspension ended once.
"""

from django.db import migrations

CONDITION = (
    "NEW.action IN ('sign', 'monitor', 'warn', 'exit', 'extend')"
    " OR (NEW.action IN ('object', 'uphold', 'suspension') AND NEW.from_state = 'effective')"
)
LIST_SUSPENDS = """(SELECT d.objection_suspends_measures FROM listings_listentry e
                     JOIN listings_listdefinition d ON d.id = e.list_id
                    WHERE e.id = NEW.entry_id)"""
# What the feed last said of the entry's open objection: suspended or not.
LAST_SAID = """(SELECT f.objection_suspends FROM listings_changefeeditem f
                 JOIN listings_listentryevent o ON o.id = f.event_id
                WHERE o.entry_id = NEW.entry_id AND o.action IN ('object', 'suspension')
                ORDER BY o.id DESC LIMIT 1)"""
INSERT = f"""INSERT INTO listings_changefeeditem
               (event_id, position, valid_until, objection_suspends)
             VALUES (NEW.id, NULL,
               (SELECT e.valid_until FROM listings_listentry e WHERE e.id = NEW.entry_id),
               CASE WHEN NEW.action IN ('object', 'suspension') THEN {LIST_SUSPENDS}
                    WHEN NEW.action = 'uphold'
                      THEN ({LIST_SUSPENDS} OR COALESCE({LAST_SAID}, FALSE))
               END);"""


def _sqlite(insert, condition=CONDITION):
    return [
        "DROP TRIGGER IF EXISTS listings_feed_enqueue",
        f"""CREATE TRIGGER listings_feed_enqueue AFTER INSERT ON listings_listentryevent
            FOR EACH ROW WHEN {condition}
            BEGIN {insert} END""",
    ]


def _postgres(insert, condition=CONDITION):
    return [
        f"""CREATE OR REPLACE FUNCTION listings_feed_enqueue() RETURNS trigger AS $$
            BEGIN
              IF {condition} THEN
                {insert}
              END IF;
              RETURN NULL;
            END; $$ LANGUAGE plpgsql""",
    ]


def _statements(vendor, insert, condition):
    return {"sqlite": _sqlite(insert, condition), "postgresql": _postgres(insert, condition)}.get(
        vendor, []
    )


def forward(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor, INSERT, CONDITION):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    import importlib

    before = importlib.import_module("xinyong.listings.migrations.0013_change_feed_as_at_the_change")
    for statement in _statements(schema_editor.connection.vendor, before.INSERT, before.CONDITION):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("listings", "0013_change_feed_as_at_the_change")]

    operations = [migrations.RunPython(forward, backward)]
