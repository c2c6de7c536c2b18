"""The change feed tells a red entry put back in force as ``took_effect`` (R2, R6, R11).

A black listing found wrong restores the red entries it ended as blacklisted (R2; 000 §十一.3):
each is in force again through a ``reinstate`` step. A department that heard ``ended`` of it
must hear that it applies again, to resume its rewards. The trigger of 0018 is replaced by one
that also takes ``reinstate``; it is otherwise the same.

``amend_exit`` events, the exit notice of a red entry not put back corrected, are left out: the
entry stays ended, and nothing a department applies changes.
"""

import importlib

from django.db import migrations

before = importlib.import_module("xinyong.listings.migrations.0018_feed_tells_shortened_monitoring")
# Builds the trigger's statements for either database, as 0018 does.
statements = importlib.import_module(
    "xinyong.listings.migrations.0014_feed_tells_suspension_changes"
)._statements

CONDITION = (
    "NEW.action IN ('sign', 'monitor', 'warn', 'exit', 'extend', 'shorten', 'reinstate')"
    " OR (NEW.action IN ('object', 'uphold', 'suspension') AND NEW.from_state = 'effective')"
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
    # Going back stops new reinstatements entering the feed; those already in it stay, as a
    # feed item is never taken back from readers.
    vendor = schema_editor.connection.vendor
    for statement in statements(vendor, before.INSERT, before.CONDITION):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("listings", "0021_entries_newest_first")]

    operations = [migrations.RunPython(forward, backward)]
