"""The State Council holiday schedule as data (R15): holidays, adjusted working days, coverage."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose official schedule is known; periods reaching past it are provisional."""

    year = models.PositiveSmallIntegerField(_("Year"), primary_key=True)
    source = models.CharField(
        _("Source"),
        max_length=255,
        help_text=_("The State Council General Office's holiday notice"),
    )
    loaded_at = models.DateTimeField(_("Loaded at"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Published holiday schedule")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that departs from the Monday–Friday rule: a holiday or an adjusted working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday or adjusted rest day")
        WORKDAY = "workday", _("Adjusted working day")

    date = models.DateField(_("Date"), primary_key=True)
    kind = models.CharField(_("Type"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("Holiday"), max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Holidays and adjusted working days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
