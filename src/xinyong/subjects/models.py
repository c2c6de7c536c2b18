"""Credit subjects, the persons linked to them, departments, domains and regions (DOMAIN.md §2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An administrative division (GB/T 2260): province, city or county."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class DishonestyCategory(models.IntegerChoices):
    """The four categories of serious dishonesty that alone may have black lists (000 §三)."""

    LIFE_AND_HEALTH = 1, _("严重危害人民群众身体健康和生命安全")
    MARKET_ORDER = 2, _("严重破坏市场公平竞争秩序和社会正常秩序")
    LEGAL_OBLIGATIONS = 3, _("有履行能力但拒不履行法定义务")
    NATIONAL_DEFENCE = 4, _("拒不履行国防义务")


class Domain(models.Model):
    """A field of governance (领域), e.g. food & drugs or tax."""

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    dishonesty_category = models.PositiveSmallIntegerField(
        _("严重失信类别"),
        choices=DishonestyCategory.choices,
        null=True,
        blank=True,
        help_text=_("只有属于四类严重失信行为的领域才可以设立黑名单（000 §三）。"),
    )
    is_key_domain = models.BooleanField(
        _("重点领域"),
        default=False,
        help_text=_("在3个以上重点领域被列入重点关注名单的主体进入大数据警示名单（003 §四）。"),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("领域")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A government department and the roles it plays on the platform."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT)
    domains = models.ManyToManyField(
        Domain, verbose_name=_("主管领域"), blank=True, related_name="departments"
    )
    is_credit_office = models.BooleanField(_("信用办（牵头部门）"), default=False)
    is_recognizing = models.BooleanField(_("认定部门"), default=False)
    is_implementing = models.BooleanField(_("实施部门"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = _("部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SubjectKind(models.TextChoices):
    LEGAL_PERSON = "legal_person", _("法人")
    UNINCORPORATED = "unincorporated", _("非法人组织")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    NATURAL_PERSON = "natural_person", _("自然人")


class IdentifierStatus(models.TextChoices):
    """A code that fails its check character is kept for review, never dropped (DOMAIN.md §4)."""

    VALID = "valid", _("有效")
    REVIEW = "review", _("待核实")


class Subject(models.Model):
    """A credit subject, identified by its unified social credit code or citizen ID."""

    kind = models.CharField(_("主体类别"), max_length=32, choices=SubjectKind.choices)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    identifier = models.CharField(_("统一社会信用代码/身份证号"), max_length=18, unique=True)
    identifier_status = models.CharField(
        _("标识状态"), max_length=16, choices=IdentifierStatus.choices, default=IdentifierStatus.VALID
    )
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("信用主体")
        indexes = [models.Index(fields=["kind", "region"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.identifier}）"

    @property
    def is_natural_person(self) -> bool:
        return self.kind == SubjectKind.NATURAL_PERSON


class LinkedPerson(models.Model):
    """A person an organisation's dishonesty is also recorded against (落实到人, 004 §二(三)6)."""

    class Role(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
        PRINCIPAL = "principal", _("主要负责人")
        RESPONSIBLE = "responsible", _("直接责任人")

    organisation = models.ForeignKey(
        Subject, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="linked_persons"
    )
    person = models.ForeignKey(
        Subject, verbose_name=_("自然人"), on_delete=models.PROTECT, related_name="linked_organisations"
    )
    role = models.CharField(_("身份"), max_length=32, choices=Role.choices)
    since = models.DateField(_("起始日期"), null=True, blank=True)
    until = models.DateField(_("终止日期"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("关联人员")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "role"], name="linked_person_once_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} — {self.get_role_display()}"


class Officer(models.Model):
    """A person who works on the platform for a department (who acted, for the audit trail)."""

    user = models.OneToOneField(
        "auth.User", verbose_name=_("账号"), on_delete=models.PROTECT, related_name="officer"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), on_delete=models.PROTECT, related_name="officers"
    )
    can_sign = models.BooleanField(_("签发权限"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.department.name}）"
