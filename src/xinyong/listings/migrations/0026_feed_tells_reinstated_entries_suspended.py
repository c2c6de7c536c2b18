"""The change feed tells a red entry put back in force under an open objection as suspended
(R2, R6, R11).

A red entry ended as blacklisted while an objection to it was verified, and put back in force
when the black listing was found wrong (``services.restoration``), keeps the objection open and,
where its list says so, its measures suspended (R6). The feed told only ``took_effect`` of the
reinstatement, which a department reads as "its rewards apply again". Since this release the
reinstatement writes a ``suspension`` event right after it (``listings.suspension``), which the
trigger of 0022 already feeds as ``suspended``; no trigger changes.

Entries reinstated before, still in force under that objection, with nothing said of their
suspension since (no objection, conclusion, setting change or exit after the reinstatement),
get that event now, dated the day of their reinstatement, the day their measures were
suspended from, and its feed item: numbered after every item already read, it puts right a
department's copy, and a report of a measure applied since is judged by it (R11). The feed
items are written here rather than left to the trigger, which SQLite does not hold while
migrations run (``feed_trigger``); PostgreSQL's writes them with the event.
"""

from django.db import migrations

REASON = "恢复列入时异议仍在核实中：核实期间暂停实施相关措施"


def forward(apps, schema_editor):
    entries = apps.get_model("listings", "ListEntry")
    events = apps.get_model("listings", "ListEntryEvent")
    items = apps.get_model("listings", "ChangeFeedItem")
    suspended = entries.objects.filter(
        state="effective", verification_due_on__isnull=False,
        list__objection_suspends_measures=True, events__action="reinstate",
    ).distinct()  # fmt: skip
    for entry in suspended.order_by("pk"):
        reinstated = events.objects.filter(entry=entry, action="reinstate").order_by("-pk").first()
        said_since = events.objects.filter(
            entry=entry, pk__gt=reinstated.pk,
            action__in=["object", "uphold", "suspension", "exit"],
        ).exists()  # fmt: skip
        if said_since:
            continue
        event = events.objects.create(
            entry=entry, action="suspension", from_state="effective", to_state="effective",
            business_date=reinstated.business_date, actor="system", reason=REASON,
            data={"suspends": True, "reinstated": True},
        )  # fmt: skip
        if not items.objects.filter(event=event).exists():
            items.objects.create(
                event=event, position=None, valid_until=entry.valid_until,
                objection_suspends=True,
            )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("listings", "0025_ruling_lifted_notice")]

    # Going back leaves the events and their items: history is never taken back, nor a feed
    # item from readers.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
