"""The change feed tells a naming removed as ``naming_ended`` (R6, R11, 000 §十一.3,
004 §二(三)6).

A person an organisation's effective entry names who objected to being named, and whose
objection verification found founded, is no longer named: the ``unname`` step removes that
naming alone, and the entry with the organisation's own measures stands. A department applying
measures to that person through the entry must hear that they end. The trigger of 0022 is
replaced by one that also takes ``unname`` on an effective entry (on an ended one nothing
applies any more); it is otherwise the same.
"""

import importlib

from django.db import migrations

before = importlib.import_module("xinyong.listings.migrations.0022_feed_tells_reinstated_red_entries")
# Builds the trigger's statements for either database, as 0022 does.
statements = importlib.import_module(
    "xinyong.listings.migrations.0014_feed_tells_suspension_changes"
)._statements

CONDITION = (
    "NEW.action IN ('sign', 'monitor', 'warn', 'exit', 'extend', 'shorten', 'reinstate')"
    " OR (NEW.action IN ('object', 'uphold', 'suspension', 'unname')"
    " AND NEW.from_state = 'effective')"
)
INSERT = before.INSERT


def _sqlite(insert, condition=CONDITION):
    """The trigger on SQLite, as ``feed_trigger`` puts it back after a migration."""
    return before._sqlite(insert, condition)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in statements(vendor, INSERT, CONDITION):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    # Going back stops new removals entering the feed; those already in it stay, as a feed
    # item is never taken back from readers.
    vendor = schema_editor.connection.vendor
    for statement in statements(vendor, before.INSERT, before.CONDITION):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("listings", "0028_entry_stated_measures")]

    operations = [migrations.RunPython(forward, backward)]
