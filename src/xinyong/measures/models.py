"""The measures list (措施清单): rewards and punishments with their legal basis (R10, 002 §二十)."""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xinyong.listings.models import ListKind
from xinyong.subjects.models import Department, Domain


class Scenario(models.Model):
    """A business scenario (事项) in which implementing departments check subjects."""

    code = models.SlugField(_("Code"), max_length=64, unique=True)
    name = models.CharField(_("Name"), max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = _("Scenario")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class MeasureCategory(models.IntegerChoices):
    """The three categories of the national basic list of dishonesty measures."""

    RIGHTS_AND_DUTIES = (
        1,
        _("Measures by public administrations that reduce rights or add obligations under law"),
    )
    MANAGEMENT = 2, _("Management measures by public administrations in the course of their duties")
    OTHER_ORGANISATIONS = 3, _("Measures taken by organisations other than public administrations")


class Measure(models.Model):
    """One measure; none is ever applied unless it is here with its legal basis (R10)."""

    class Type(models.TextChoices):
        REWARD = "reward", _("Reward")
        PUNISHMENT = "punishment", _("Punishment")

    class Target(models.TextChoices):
        ORGANISATION = "organisation", _("The organisation")
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
        PRINCIPAL = "principal", _("Principal")
        RESPONSIBLE = "responsible", _("Responsible person")
        PERSON = "person", _("Natural person")

    code = models.SlugField(_("Measure code"), max_length=64, unique=True)
    sequence = models.PositiveIntegerField(_("Sequence"), null=True, blank=True)
    name = models.CharField(_("Item"), max_length=200)
    content = models.TextField(_("Content"))
    type = models.CharField(_("Type"), max_length=16, choices=Type.choices)
    category = models.PositiveSmallIntegerField(
        _("Measure category"), choices=MeasureCategory.choices, null=True, blank=True
    )
    mandatory = models.BooleanField(
        _("Mandatory"),
        default=False,
        help_text=_("Mandatory measures must be applied, recommended ones may be (004 §2(4)4)."),
    )
    legal_basis = models.TextField(_("Policy basis"))
    list_kinds = models.JSONField(
        _("List kinds"),
        default=list,
        help_text=format_lazy("{}{}", _("Values: "), ", ".join(ListKind.values)),
    )
    domains = models.ManyToManyField(Domain, verbose_name=_("Domains"), blank=True)
    scenarios = models.ManyToManyField(Scenario, verbose_name=_("Scenario"), blank=True)
    implementing_departments = models.ManyToManyField(
        Department, verbose_name=_("Implementing department"), blank=True
    )
    targets = models.JSONField(
        _("Targets"),
        default=list,
        help_text=format_lazy("{}{}", _("Values: "), ", ".join(Target.values)),
    )
    implementing_level = models.CharField(_("Implementing level"), max_length=64, blank=True)
    frequency = models.CharField(_("Frequency"), max_length=64, blank=True)
    is_active = models.BooleanField(_("Active"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Measure")
        ordering = ["sequence", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(legal_basis=""), name="measure_has_legal_basis"
            )
        ]

    def __str__(self) -> str:
        return self.name
