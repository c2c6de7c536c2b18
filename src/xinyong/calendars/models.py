"""The State Council holiday schedule as data (R15): holidays, adjusted working days, coverage."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose official schedule is known; periods reaching past it are provisional."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=255, help_text=_("国务院办公厅放假安排通知"))
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("已发布年度放假安排")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that departs from the Monday–Friday rule: a holiday or an adjusted working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日/调休休息日")
        WORKDAY = "workday", _("调休上班日")

    date = models.DateField(_("日期"), primary_key=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
