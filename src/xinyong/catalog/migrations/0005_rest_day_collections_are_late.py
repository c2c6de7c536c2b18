"""Records collected on a rest day after their due day: late by one more working day (R9).

The count used to stop at the collection day, so a record due on a Friday and collected on the
Saturday was stored as 0 days late, i.e. on time. A collection on a rest day now counts as made
on the next working day. Only records shown when collected know their collection day
(``published_on``); the others are counted from their import's business date.
"""

from django.db import migrations
from django.db.models import F

BATCH = 2_000


def recount(apps, schema_editor):
    from xinyong.catalog.publication import workdays_late
    from xinyong.core.workdays import WorkCalendar

    day, year = (
        apps.get_model("calendars", "CalendarDay"),
        apps.get_model("calendars", "CalendarYear"),
    )
    holidays, worked = set(), set()
    for date, kind in day.objects.values_list("date", "kind").order_by():
        (worked if kind == "workday" else holidays).add(date)
    calendar = WorkCalendar(
        frozenset(holidays),
        frozenset(worked),
        frozenset(year.objects.values_list("year", flat=True)),
    )
    records = apps.get_model("catalog", "CreditRecord").objects.filter(
        publication_due_on__isnull=False
    )
    shown = records.filter(published_on__gt=F("publication_due_on"))
    unshown = records.filter(
        published_on__isnull=True,
        import_job__isnull=False,
        import_job__business_date__gt=F("publication_due_on"),
    )
    changed = []
    for record in (
        shown.only("pk", "publication_due_on", "published_on", "workdays_late")
        .order_by("pk")
        .iterator(BATCH)
    ):
        late = workdays_late(calendar, record.publication_due_on, record.published_on)
        if late != record.workdays_late:
            record.workdays_late = late
            changed.append(record)
    for record in (
        unshown.annotate(collected=F("import_job__business_date"))
        .only("pk", "publication_due_on", "workdays_late")
        .order_by("pk")
        .iterator(BATCH)
    ):
        late = workdays_late(calendar, record.publication_due_on, record.collected)
        if late != record.workdays_late:
            record.workdays_late = late
            changed.append(record)
    records.model.objects.bulk_update(changed, ["workdays_late"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0002_seed_official_schedule"),
        ("catalog", "0004_mask_citizen_ids"),
    ]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop, elidable=True)]
