"""A change feed item keeps what it tells of the entry as the entry was at the change (R11).

The feed answered each item with the entry read as it stands: a department replaying it from an
earlier cursor saw an entry's taking effect with the end a later extension set, and an objection
as suspending or not by the list's setting of today. Items now carry, from the trigger that adds
them, the entry's ``valid_until`` and, for objections to effective entries and their conclusions,
whether the measures were suspended (``objection_suspends``). A conclusion resumes measures if
its objection's suspension was published or the list suspends at the conclusion: a department
never misses the end of a suspension it may hold.

Items written before this migration are filled from the history, as best it allows:

- ``valid_until`` is set only by the decision (or when the platform creates the entry) and by an
  extension, whose event records the end before and after (``listings.escalation.Extension``).
  An item therefore takes the end its entry had before the first later extension, its own new
  end if it is an extension, and the entry's end as it stands when no extension followed. That
  is exact wherever the extension events carry their details; one that does not leaves the items
  before it with the end as it stands, as the feed answered until now.
- Nothing records when a list's ``objection_suspends_measures`` was changed, so objections and
  their conclusions take the list's setting as it stands: exactly what the feed answered for
  them until now, so a department that replays it reads what it already read.

Going back restores the trigger of 0011 before the columns are dropped.
"""

import datetime as dt

from django.db import migrations, models

CONDITION = (
    "NEW.action IN ('sign', 'monitor', 'warn', 'exit', 'extend')"
    " OR (NEW.action IN ('object', 'uphold') AND NEW.from_state = 'effective')"
)
LIST_SUSPENDS = """(SELECT d.objection_suspends_measures FROM listings_listentry e
                     JOIN listings_listdefinition d ON d.id = e.list_id
                    WHERE e.id = NEW.entry_id)"""
# The last objection of the entry that entered the feed, and whether it suspended measures.
OBJECTION_SUSPENDED = """(SELECT f.objection_suspends FROM listings_changefeeditem f
                           JOIN listings_listentryevent o ON o.id = f.event_id
                          WHERE o.entry_id = NEW.entry_id AND o.action = 'object'
                          ORDER BY o.id DESC LIMIT 1)"""
INSERT = f"""INSERT INTO listings_changefeeditem
               (event_id, position, valid_until, objection_suspends)
             VALUES (NEW.id, NULL,
               (SELECT e.valid_until FROM listings_listentry e WHERE e.id = NEW.entry_id),
               CASE WHEN NEW.action = 'object' THEN {LIST_SUSPENDS}
                    WHEN NEW.action = 'uphold'
                      THEN ({LIST_SUSPENDS} OR COALESCE({OBJECTION_SUSPENDED}, FALSE))
               END);"""
OLD_INSERT = "INSERT INTO listings_changefeeditem (event_id, position) VALUES (NEW.id, NULL);"


def _sqlite(insert):
    return [
        "DROP TRIGGER IF EXISTS listings_feed_enqueue",
        f"""CREATE TRIGGER listings_feed_enqueue AFTER INSERT ON listings_listentryevent
            FOR EACH ROW WHEN {CONDITION}
            BEGIN {insert} END""",
    ]


def _postgres(insert):
    return [
        f"""CREATE OR REPLACE FUNCTION listings_feed_enqueue() RETURNS trigger AS $$
            BEGIN
              IF {CONDITION} THEN
                {insert}
              END IF;
              RETURN NULL;
            END; $$ LANGUAGE plpgsql""",
    ]


# Every item first takes the entry's end as it stands and, for objections and conclusions, the
# list's setting as it stands; items followed by an extension are corrected after.
FILL = [
    """UPDATE listings_changefeeditem SET valid_until = (
         SELECT e.valid_until FROM listings_listentryevent v
           JOIN listings_listentry e ON e.id = v.entry_id
          WHERE v.id = listings_changefeeditem.event_id)""",
    """UPDATE listings_changefeeditem SET objection_suspends = (
         SELECT d.objection_suspends_measures FROM listings_listentryevent v
           JOIN listings_listentry e ON e.id = v.entry_id
           JOIN listings_listdefinition d ON d.id = e.list_id
          WHERE v.id = listings_changefeeditem.event_id)
       WHERE event_id IN (SELECT id FROM listings_listentryevent
                           WHERE action IN ('object', 'uphold'))""",
]


def _day(value):
    """A date as an extension's details give it: ISO text, or 'None' for no end."""
    return None if value in (None, "None", "") else dt.date.fromisoformat(value)


def _ends_before_extensions(apps, schema_editor):
    """Items of entries that were extended: the end before the first later extension (the
    extension's own new end for the extension itself); see the module's docstring."""
    event_model = apps.get_model("listings", "ListEntryEvent")
    item_model = apps.get_model("listings", "ChangeFeedItem")
    extensions: dict[int, list] = {}
    for event in event_model.objects.filter(action="extend").order_by("id").only(
        "id", "entry_id", "data"
    ):
        extensions.setdefault(event.entry_id, []).append(event)
    # A subquery, not the ids: SQLite takes at most 32,766 parameters in a statement.
    extended = event_model.objects.filter(action="extend").values("entry_id")
    items = item_model.objects.filter(event__entry_id__in=extended).select_related("event")
    changed = []
    for item in items.order_by("event_id").iterator(chunk_size=2000):
        event = item.event
        if event.action == "extend" and "valid_until" in (event.data or {}):
            end = _day(event.data["valid_until"])
        else:
            following = [e for e in extensions[event.entry_id] if e.pk > event.pk]
            if not following or "valid_until_before" not in (following[0].data or {}):
                continue  # the end as it stands, as filled
            end = _day(following[0].data["valid_until_before"])
        if end != item.valid_until:
            item.valid_until = end
            changed.append(item)
    item_model.objects.bulk_update(changed, ["valid_until"], batch_size=2000)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite(INSERT), "postgresql": _postgres(INSERT)}.get(vendor, [])
    for statement in [*statements, *FILL]:
        schema_editor.execute(statement)
    _ends_before_extensions(apps, schema_editor)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": _sqlite(OLD_INSERT), "postgresql": _postgres(OLD_INSERT)}.get(
        vendor, []
    ):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("listings", "0012_entry_leniency")]

    operations = [
        migrations.AddField(
            model_name="changefeeditem",
            name="valid_until",
            field=models.DateField(
                blank=True, null=True, verbose_name="Valid until at the change",
                help_text="The entry's last day of validity when the event was written; empty:"
                " until its exit.",
            ),
        ),
        migrations.AddField(
            model_name="changefeeditem",
            name="objection_suspends",
            field=models.BooleanField(
                blank=True, null=True, verbose_name="Objection suspends measures at the change",
                help_text="For an objection to an effective entry and its conclusion: whether it"
                " suspends, or resumes, the entry's measures (R6); empty for other events.",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
