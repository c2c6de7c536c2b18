"""A conclusion's feed item reads the last word on the objection it decides (R6, R11).

Since 0014 an objection's conclusion resumes measures when the list suspends them at the
conclusion, or when the feed's last word on the objection (the objection itself, or a later
``suspension`` event under it) was that they were suspended. The trigger read that last word as
the entry's latest ``object`` or ``suspension`` item, whichever objection it was of. An entry's
own objection and each named person's objection to being named are verified side by side
(R6, 004 §二(三)6), and their last words can differ: the entry's latest item may be another
objection's, and the conclusion then failed to tell the end of a suspension the feed had told,
or told one it had not. The trigger of 0029 is replaced by one that reads the latest item of
the same objection: the one whose event names the same person objecting to being named
(``objector_person``), or, for the entry's own, none. It is otherwise the same.

Items already written are left as they are: a feed item is never taken back from readers.
"""

import importlib

from django.db import migrations

before = importlib.import_module("xinyong.listings.migrations.0029_feed_tells_namings_removed")
# Builds the trigger's statements for either database, as 0029 does.
statements = importlib.import_module(
    "xinyong.listings.migrations.0014_feed_tells_suspension_changes"
)._statements

CONDITION = before.CONDITION
LIST_SUSPENDS = """(SELECT d.objection_suspends_measures FROM listings_listentry e
                     JOIN listings_listdefinition d ON d.id = e.list_id
                    WHERE e.id = NEW.entry_id)"""
# Whether an earlier event ``o`` is of the same objection as the new one: the same person
# objecting to being named, or neither naming one (the entry's own). The history's details are
# text holding JSON on SQLite and ``jsonb`` on PostgreSQL.
SAME_OBJECTION = {
    "sqlite": "json_extract(o.data, '$.objector_person')"
    " IS json_extract(NEW.data, '$.objector_person')",
    "postgresql": "(o.data ->> 'objector_person')"
    " IS NOT DISTINCT FROM (NEW.data ->> 'objector_person')",
}


def _insert(vendor: str) -> str:
    """The trigger's insert: as 0014's, the last word read of the same objection only."""
    last_said = f"""(SELECT f.objection_suspends FROM listings_changefeeditem f
                      JOIN listings_listentryevent o ON o.id = f.event_id
                     WHERE o.entry_id = NEW.entry_id AND o.action IN ('object', 'suspension')
                       AND {SAME_OBJECTION[vendor]}
                     ORDER BY o.id DESC LIMIT 1)"""
    return f"""INSERT INTO listings_changefeeditem
                 (event_id, position, valid_until, objection_suspends)
               VALUES (NEW.id, NULL,
                 (SELECT e.valid_until FROM listings_listentry e WHERE e.id = NEW.entry_id),
                 CASE WHEN NEW.action IN ('object', 'suspension') THEN {LIST_SUSPENDS}
                      WHEN NEW.action = 'uphold'
                        THEN ({LIST_SUSPENDS} OR COALESCE({last_said}, FALSE))
                 END);"""


# SQLite's, which ``feed_trigger`` puts back after a migration.
INSERT = _insert("sqlite")


def _sqlite(insert, condition=CONDITION):
    """The trigger on SQLite, as ``feed_trigger`` puts it back after a migration."""
    return before._sqlite(insert, condition)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in SAME_OBJECTION:
        return
    for statement in statements(vendor, _insert(vendor), CONDITION):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in statements(vendor, before.INSERT, before.CONDITION):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("listings", "0030_naming_objections_on_the_naming")]

    operations = [migrations.RunPython(forward, backward)]
