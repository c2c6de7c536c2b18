"""Seed the official holiday schedule 2004–2026 from the chinesecalendar package (R15).

The package transcribes the State Council General Office's yearly notices on holiday
arrangements. This migration keeps its own copy of the few lines of bulk code instead of importing
``xinyong.calendars.services``, which works on the real models: a migration must only use the
historical models ``apps.get_model`` gives it. ``services.seed_from_chinesecalendar`` does the
same for a running system, and a test checks that running it after this migration changes nothing.
"""

import datetime as dt

from django.db import migrations

SOURCE = "国务院办公厅关于{year}年部分节假日安排的通知（chinesecalendar）"


def official_days():
    """(date, kind, Chinese holiday name) for every day chinesecalendar lists."""
    import chinese_calendar
    from chinese_calendar.constants import Holiday

    def chinese(name):
        try:
            return Holiday(name).chinese
        except ValueError:
            return name or ""

    days = [(d, "holiday", chinese(n)) for d, n in chinese_calendar.holidays.items()]
    days += [(d, "workday", chinese(n)) for d, n in chinese_calendar.workdays.items()]
    return sorted(days)


def seed(apps, schema_editor):
    CalendarYear = apps.get_model("calendars", "CalendarYear")
    CalendarDay = apps.get_model("calendars", "CalendarDay")
    days = official_days()
    years = sorted({d.year for d, _, _ in days})
    CalendarDay.objects.filter(
        date__gte=dt.date(years[0], 1, 1), date__lte=dt.date(years[-1], 12, 31)
    ).delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=d, kind=kind, name=name) for d, kind, name in days], batch_size=500
    )
    CalendarYear.objects.filter(year__in=years).delete()
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, source=SOURCE.format(year=year)) for year in years]
    )


def unseed(apps, schema_editor):
    CalendarYear = apps.get_model("calendars", "CalendarYear")
    CalendarDay = apps.get_model("calendars", "CalendarDay")
    years = sorted({d.year for d, _, _ in official_days()})
    CalendarDay.objects.filter(
        date__gte=dt.date(years[0], 1, 1), date__lte=dt.date(years[-1], 12, 31)
    ).delete()
    CalendarYear.objects.filter(year__in=years).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
