"""The change feed tells a key-monitoring entry whose end comes back earlier as ``shortened``
(R3, R11).

A black listing found wrong after its exit takes back what that exit ran the subject's key
monitoring on to; the entry's end moves back to what the exits still standing set. That step
is written as a ``shorten`` event, not as an ``extend`` one: a department that read "extended"
(its validity runs on to a later end) would keep applying monitoring measures past the end
restored. The trigger of 0014 is replaced by one that also takes ``shorten``; it is otherwise
the same (the end as at the change, and the suspension columns of 0014).

``monitor_again`` events, an exit that requires monitoring no longer than the entry runs, are
deliberately left out: they change nothing a department applies.
"""

import importlib

from django.db import migrations

before = importlib.import_module("xinyong.listings.migrations.0014_feed_tells_suspension_changes")

CONDITION = (
    "NEW.action IN ('sign', 'monitor', 'warn', 'exit', 'extend', 'shorten')"
    " OR (NEW.action IN ('object', 'uphold', 'suspension') AND NEW.from_state = 'effective')"
)
INSERT = before.INSERT


def _sqlite(insert, condition=CONDITION):
    """The trigger on SQLite, as ``feed_trigger`` puts it back after a migration."""
    return before._sqlite(insert, condition)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in before._statements(vendor, INSERT, CONDITION):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    # Going back stops new shortenings entering the feed; those already in it stay, as a feed
    # item is never taken back from readers.
    vendor = schema_editor.connection.vendor
    for statement in before._statements(vendor, before.INSERT, before.CONDITION):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("listings", "0017_correct_steps_index")]

    operations = [migrations.RunPython(forward, backward)]
