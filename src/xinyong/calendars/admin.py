"""The holiday calendar in the admin: the credit office keeps it, every edit is audited (R15, R14).

Loading a whole year is better done with ``xinyong calendar load``; the admin serves for single
corrections. Each edit touches the year's ``loaded_at`` so that every process rebuilds its cached
calendar (see ``selectors``).
"""

from django.contrib import admin
from django.db import transaction
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _

from xinyong.audit.admin_mixins import AuditedModelAdmin
from xinyong.calendars import services
from xinyong.calendars.models import CalendarDay, CalendarYear


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedModelAdmin):
    list_display = ["year", "source", "loaded_at"]
    search_fields = ["=year", "source"]
    readonly_fields = ["loaded_at"]

    def get_readonly_fields(self, request, obj=None):
        # A year is its primary key: changing it would add a second row, not move this one.
        return ["year", *self.readonly_fields] if obj else self.readonly_fields

    # Covering a year (or no longer) changes which deadlines are provisional (R15).
    def save_model(self, request, obj, form, change) -> None:
        with transaction.atomic():
            services.hold_for_a_change()  # first: before the day or its audit row (R15)
            super().save_model(request, obj, form, change)
            services.note_days_edited([obj.year])

    def delete_model(self, request, obj) -> None:
        year = obj.year
        with transaction.atomic():
            services.hold_for_a_change()  # first: before the day or its audit row (R15)
            super().delete_model(request, obj)
            services.note_days_edited([year])

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            services.hold_for_a_change()  # first: before the day or its audit row (R15)
            years = set(queryset.values_list("year", flat=True))
            super().delete_queryset(request, queryset)
            services.note_days_edited(years)


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedModelAdmin):
    list_display = ["day", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"

    @admin.display(description=_("Date"), ordering="date")
    def day(self, obj: CalendarDay) -> str:
        """The date with its weekday, which is what tells a holiday from a rest day."""
        return dateformat.format(obj.date, "Y-m-d l")

    def get_readonly_fields(self, request, obj=None):
        # The date is the primary key: changing it would add a second row, not move this one.
        return ["date"] if obj else []

    def save_model(self, request, obj, form, change) -> None:
        with transaction.atomic():
            services.hold_for_a_change()  # first: before the day or its audit row (R15)
            super().save_model(request, obj, form, change)
            services.note_days_edited([obj.date.year])

    def delete_model(self, request, obj) -> None:
        year = obj.date.year  # the primary key is cleared by the delete
        with transaction.atomic():
            services.hold_for_a_change()  # first: before the day or its audit row (R15)
            super().delete_model(request, obj)
            services.note_days_edited([year])

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            services.hold_for_a_change()  # first: before the day or its audit row (R15)
            years = {day.year for day in queryset.values_list("date", flat=True)}
            super().delete_queryset(request, queryset)
            services.note_days_edited(years)
