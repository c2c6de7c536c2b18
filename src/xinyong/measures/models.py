"""The measures list (措施清单): rewards and punishments with their legal basis (R10, 002 §二十)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.listings.models import ListKind
from xinyong.subjects.models import Department, Domain


class Scenario(models.Model):
    """A business scenario (事项) in which implementing departments check subjects."""

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = _("业务场景")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class MeasureCategory(models.IntegerChoices):
    """The three categories of the national basic list of dishonesty measures."""

    RIGHTS_AND_DUTIES = 1, _("由公共管理机构依法依规实施的减损权益或增加义务的措施")
    MANAGEMENT = 2, _("由公共管理机构根据履职需要实施的相关管理措施")
    OTHER_ORGANISATIONS = 3, _("由公共管理机构以外的组织自主实施的措施")


class Measure(models.Model):
    """One measure; none is ever applied unless it is here with its legal basis (R10)."""

    class Type(models.TextChoices):
        REWARD = "reward", _("激励")
        PUNISHMENT = "punishment", _("惩戒")

    class Target(models.TextChoices):
        ORGANISATION = "organisation", _("机构本身")
        LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
        PRINCIPAL = "principal", _("主要负责人")
        RESPONSIBLE = "responsible", _("直接责任人")
        PERSON = "person", _("自然人")

    code = models.SlugField(_("编号"), max_length=64, unique=True)
    sequence = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    name = models.CharField(_("事项"), max_length=200)
    content = models.TextField(_("内容"))
    type = models.CharField(_("类型"), max_length=16, choices=Type.choices)
    category = models.PositiveSmallIntegerField(
        _("措施类别"), choices=MeasureCategory.choices, null=True, blank=True
    )
    mandatory = models.BooleanField(
        _("强制性"), default=False, help_text=_("强制性措施必须实施，推荐性措施可以实施（004 §二(四)4）。")
    )
    legal_basis = models.TextField(_("政策依据"))
    list_kinds = models.JSONField(
        _("适用名单类别"), default=list, help_text=_("取值：") + ", ".join(ListKind.values)
    )
    domains = models.ManyToManyField(Domain, verbose_name=_("适用领域"), blank=True)
    scenarios = models.ManyToManyField(Scenario, verbose_name=_("业务场景"), blank=True)
    implementing_departments = models.ManyToManyField(
        Department, verbose_name=_("实施部门"), blank=True
    )
    targets = models.JSONField(
        _("对象"), default=list, help_text=_("取值：") + ", ".join(Target.values)
    )
    implementing_level = models.CharField(_("实施层级"), max_length=64, blank=True)
    frequency = models.CharField(_("实施频次"), max_length=64, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("奖惩措施")
        ordering = ["sequence", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(legal_basis=""), name="measure_has_legal_basis"
            )
        ]

    def __str__(self) -> str:
        return self.name
