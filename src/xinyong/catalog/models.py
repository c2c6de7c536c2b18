"""The public credit information catalog and the records held under it (001 §二, §三(二))."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.subjects.models import Department, Subject, SubjectKind


class InfoKind(models.TextChoices):
    """The 11 kinds of the national basic catalog of public credit information."""

    REGISTRATION = "registration", _("登记注册基本信息")
    JUDICIAL = "judicial", _("司法裁判及执行信息")
    ADMINISTRATIVE = "administrative", _("行政管理信息")
    QUALIFICATION = "qualification", _("职称和职业资格信息")
    ABNORMAL_OPERATION = "abnormal_operation", _("经营（活动）异常名录（状态）信息")
    SERIOUS_DISHONESTY = "serious_dishonesty", _("严重失信主体名单信息")
    CONTRACT = "contract", _("合同履行信息")
    COMMITMENT = "commitment", _("信用承诺及履行情况信息")
    EVALUATION = "evaluation", _("信用评价结果信息")
    COMPLIANCE = "compliance", _("遵守法律法规情况信息")
    HONOUR = "honour", _("诚实守信相关荣誉信息")


class ShareScope(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("无条件共享")
    CONDITIONAL = "conditional", _("有条件共享")
    NONE = "none", _("不予共享")


class Disclosure(models.TextChoices):
    PUBLIC = "public", _("公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_PUBLIC = "not_public", _("不公开")


class CatalogItem(models.Model):
    """A kind of information the platform may hold; nothing outside the catalog is recorded."""

    code = models.SlugField(_("目录编码"), max_length=64, unique=True)
    name = models.CharField(_("信息项名称"), max_length=128)
    info_kind = models.CharField(_("信息类别"), max_length=32, choices=InfoKind.choices)
    legal_basis = models.TextField(_("设定依据"))
    provider = models.ForeignKey(
        Department, verbose_name=_("提供部门"), null=True, blank=True, on_delete=models.PROTECT
    )
    subject_kinds = models.JSONField(
        _("适用主体类别"), default=list, help_text=_("取值：") + ", ".join(SubjectKind.values)
    )
    share_scope = models.CharField(_("共享属性"), max_length=16, choices=ShareScope.choices)
    disclosure = models.CharField(_("公开属性"), max_length=16, choices=Disclosure.choices)
    publicity_rule = models.TextField(_("公示规则"), blank=True)
    publication_months_min = models.PositiveSmallIntegerField(
        _("最短公示期（月）"), null=True, blank=True
    )
    publication_months_max = models.PositiveSmallIntegerField(
        _("最长公示期（月）"), null=True, blank=True
    )
    mask_personal_data = models.BooleanField(
        _("公开时屏蔽个人信息"),
        default=True,
        help_text=_("除非设定依据要求公开，公开自然人信息时须屏蔽（001 §4）。"),
    )
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("信用信息目录条目")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def allows(self, kind: str) -> bool:
        return kind in self.subject_kinds


class CreditRecord(models.Model):
    """One piece of information under a catalog item, resting on an effective document (001 §2).

    A record's identity is its issuing department, document number and subject.
    """

    catalog_item = models.ForeignKey(
        CatalogItem, verbose_name=_("目录条目"), on_delete=models.PROTECT, related_name="records"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="records"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("报送部门"), on_delete=models.PROTECT, related_name="records"
    )
    document_number = models.CharField(_("文书号"), max_length=128)
    decision_date = models.DateField(_("决定日期"))
    issuing_body = models.CharField(_("作出机关"), max_length=128)
    title = models.CharField(_("摘要"), max_length=255, blank=True)
    content = models.JSONField(_("内容"), default=dict, blank=True)
    is_serious = models.BooleanField(_("严重失信信息"), default=False)
    publication_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("归集时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("信用记录")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "document_number", "subject"], name="credit_record_identity"
            )
        ]
        indexes = [models.Index(fields=["subject", "decision_date"])]

    def __str__(self) -> str:
        return f"{self.document_number}（{self.subject.name}）"
