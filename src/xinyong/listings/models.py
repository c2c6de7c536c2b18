"""List definitions and list entries (DOMAIN.md §2, R1–R5).

An entry's state moves only through ``listings.workflow``; this module holds the tables.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.subjects.models import Department, Domain, Subject


class ListKind(models.TextChoices):
    RED = "red", _("红名单")
    BLACK = "black", _("严重失信主体名单")
    KEY_ATTENTION = "key_attention", _("重点关注名单")
    BIG_DATA_WARNING = "big_data_warning", _("大数据警示名单")
    KEY_MONITORING = "key_monitoring", _("重点监测名单")


class ValidityUnit(models.TextChoices):
    DAYS = "days", _("日")
    MONTHS = "months", _("月")
    YEARS = "years", _("年")


class ListDefinition(models.Model):
    """One list of one kind in one domain, kept by one recognizing department."""

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("名单类别"), max_length=32, choices=ListKind.choices)
    domain = models.ForeignKey(Domain, verbose_name=_("领域"), on_delete=models.PROTECT)
    recognizing_department = models.ForeignKey(
        Department, verbose_name=_("认定部门"), on_delete=models.PROTECT, related_name="lists"
    )
    criteria = models.TextField(_("认定标准"))
    legal_basis = models.TextField(_("设定依据"))
    validity_value = models.PositiveIntegerField(
        _("有效期"), null=True, blank=True, help_text=_("留空表示至移出为止。")
    )
    validity_unit = models.CharField(
        _("有效期单位"), max_length=8, choices=ValidityUnit.choices, default=ValidityUnit.YEARS
    )
    publicity_workdays = models.PositiveSmallIntegerField(
        _("公示期（工作日）"), default=20, help_text=_("红黑名单公示期不少于20个工作日（001 §8）。")
    )
    repairable = models.BooleanField(_("可以信用修复"), default=True)
    objection_suspends_measures = models.BooleanField(
        _("异议核实期间暂停措施"),
        default=True,
        help_text=_("异议核实期间暂停依据该信息实施的措施；法院失信被执行人名单等除外（R6）。"),
    )
    monitoring_months = models.PositiveSmallIntegerField(
        _("移出后重点监测期（月）"), null=True, blank=True, help_text=_("002 §二十一")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("名单")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=["red", "black"]) | models.Q(publicity_workdays__gte=20),
                name="red_black_publicity_at_least_20_workdays",
            )
        ]

    def __str__(self) -> str:
        return self.name


class EntryState(models.TextChoices):
    DRAFT = "draft", _("拟列入")
    NOTIFIED = "notified", _("已告知")
    IN_PUBLICITY = "in_publicity", _("公示中")
    UNDER_VERIFICATION = "under_verification", _("异议核实中")
    AWAITING_SIGNATURE = "awaiting_signature", _("待签发")
    EFFECTIVE = "effective", _("生效")
    REJECTED = "rejected", _("不予列入")
    WITHDRAWN = "withdrawn", _("撤回")
    EXITED = "exited", _("已移出")


class ExitReason(models.TextChoices):
    """Why an entry ended (000 §十)."""

    CORRECTED = "corrected", _("异议成立，予以更正")
    REPAIRED = "repaired", _("信用修复")
    REQUESTED = "requested", _("主体申请退出")
    BLACKLISTED = "blacklisted", _("被列入严重失信主体名单")
    REPORTED = "reported", _("举报核实不符合条件")
    EXPIRED = "expired", _("有效期届满")


class ListEntry(models.Model):
    """One subject on one list: facts, basis, decision document and its dates."""

    list = models.ForeignKey(
        ListDefinition, verbose_name=_("名单"), on_delete=models.PROTECT, related_name="entries"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="list_entries"
    )
    state = models.CharField(
        _("状态"), max_length=32, choices=EntryState.choices, default=EntryState.DRAFT
    )
    exit_reason = models.CharField(
        _("移出原因"), max_length=32, choices=ExitReason.choices, blank=True
    )
    facts = models.TextField(_("失信/守信事实"))
    basis = models.TextField(_("认定依据"))
    decision_document_number = models.CharField(_("认定文书号"), max_length=128, blank=True)
    proposed_on = models.DateField(_("拟列入日期"))
    publicity_starts_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    publicity_ends_provisional = models.BooleanField(
        _("公示截止日期为暂定"),
        default=False,
        help_text=_("截止日期落在尚未发布放假安排的年份，日历更新后重新计算（R15）。"),
    )
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    exited_on = models.DateField(_("移出日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("名单记录")
        indexes = [
            models.Index(fields=["subject", "state"]),
            models.Index(fields=["state", "valid_until"]),
            models.Index(fields=["state", "publicity_ends_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.list.name}：{self.subject.name}"
