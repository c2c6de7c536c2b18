"""Changes of law or duty, and each department's duty to update its submission list (R13).

A department's submission list (数据报送清单) is the catalog items it provides, with what each
states (``CatalogItem``). When a law is revised or a department's duties change, the credit
office registers the change; every department it concerns owes an update of its list within 15
working days (004 §二(一)1). The duty is closed by the department's confirmation, kept with who
confirmed, when, what changed and the list as it then stood: the credit office keeps the
updated lists on file (备案).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.catalog.models import CatalogItem
from xinyong.subjects.models import Department


class ChangeKind(models.TextChoices):
    LAW_REVISED = "law_revised", _("Law or regulation revised")
    DUTY_CHANGED = "duty_changed", _("Administrative duty changed")


class ChangeOfLawOrDuty(models.Model):
    """A revised law or a changed duty the concerned departments' lists must follow (R13)."""

    kind = models.CharField(_("Kind of change"), max_length=16, choices=ChangeKind.choices)
    title = models.CharField(_("What changed"), max_length=200)
    legal_basis = models.TextField(_("Legal basis of the change"))
    effective_on = models.DateField(_("Effective on"))
    # The period as it stood when the change was registered, so its duties are always counted
    # again with the length they were given.
    update_workdays = models.PositiveSmallIntegerField(_("Update within (working days)"))
    registered_by = models.CharField(_("Registered by"), max_length=150)
    registered_on = models.DateField(_("Registered on"))
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Change of law or duty")
        ordering = ["-effective_on", "-id"]
        constraints = [
            # A change is what changed (the law revised, the duty gained or lost) and the day it
            # took effect: registered twice, it would oblige each department to update its list
            # twice for one change. The kind only classifies it (two administrators may classify
            # one revision differently), and the legal basis is free text worded at will; a later
            # revision of the same law takes effect on another day and is a change of its own.
            models.UniqueConstraint(
                fields=["title", "effective_on"], name="change_registered_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.effective_on:%Y-%m-%d}）"


class UpdateDuty(models.Model):
    """One department's duty to update its submission list after a change (R13).

    Open while ``confirmed_on`` is empty. The due day is stored when the change is registered
    and counted again only while the duty is open (R15); a confirmation after it is late by
    ``workdays_late`` working days.
    """

    change = models.ForeignKey(
        ChangeOfLawOrDuty,
        verbose_name=_("Change of law or duty"),
        on_delete=models.PROTECT,
        related_name="duties",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("Department"),
        on_delete=models.PROTECT,
        related_name="submission_duties",
    )
    due_on = models.DateField(_("Due on"))
    due_provisional = models.BooleanField(_("Due day provisional"), default=False)
    confirmed_on = models.DateField(_("Confirmed on"), null=True, blank=True)
    confirmed_by = models.CharField(_("Confirmed by"), max_length=150, blank=True)
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)
    update_summary = models.TextField(_("What was updated"), blank=True)
    items_updated = models.ManyToManyField(
        CatalogItem,
        verbose_name=_("Items updated"),
        blank=True,
        related_name="update_duties",
    )
    list_as_confirmed = models.JSONField(_("The list as confirmed"), default=list, blank=True)
    workdays_late = models.PositiveIntegerField(_("Working days late"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Submission list update duty")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["change", "department"], name="update_duty_once_per_department"
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_on__isnull=True, workdays_late__isnull=True)
                | models.Q(confirmed_on__isnull=False, workdays_late__isnull=False),
                name="update_duty_late_count_with_confirmation",
            ),
        ]
        indexes = [models.Index(fields=["department", "confirmed_on"])]

    def __str__(self) -> str:
        return f"{self.department.name}：{self.change.title}"

    @property
    def is_open(self) -> bool:
        return self.confirmed_on is None

    @property
    def is_late(self) -> bool:
        return bool(self.workdays_late)

    def is_overdue(self, today) -> bool:
        """Still open after its due day."""
        return self.confirmed_on is None and today > self.due_on
