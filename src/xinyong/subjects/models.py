"""Credit subjects, the persons linked to them, departments, domains and regions (DOMAIN.md §2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An administrative division (GB/T 2260): province, city or county."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province level")
        CITY = "city", _("City level")
        COUNTY = "county", _("County level")

    code = models.CharField(_("Division code"), max_length=6, primary_key=True)
    name = models.CharField(_("Name"), max_length=64)
    level = models.CharField(_("Level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("Parent"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = verbose_name_plural = _("Administrative division")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class DishonestyCategory(models.IntegerChoices):
    """The four categories of serious dishonesty that alone may have black lists (000 §三)."""

    LIFE_AND_HEALTH = 1, _("Seriously endangering people's life and health")
    MARKET_ORDER = 2, _("Seriously breaking fair market competition and social order")
    LEGAL_OBLIGATIONS = 3, _("Able but refusing to fulfil legal obligations")
    NATIONAL_DEFENCE = 4, _("Refusing national defence obligations")


class Domain(models.Model):
    """A field of governance (领域), e.g. food & drugs or tax."""

    code = models.SlugField(_("Code"), max_length=64, unique=True)
    name = models.CharField(_("Name"), max_length=64, unique=True)
    dishonesty_category = models.PositiveSmallIntegerField(
        _("Serious dishonesty category"),
        choices=DishonestyCategory.choices,
        null=True,
        blank=True,
        help_text=_(
            "Only domains of the four categories of serious dishonesty may have black lists (000 "
            "§3)."
        ),
    )
    is_key_domain = models.BooleanField(
        _("Key domain"),
        default=False,
        help_text=_(
            "Subjects on key-attention lists in 3 or more key domains enter the big-data warning "
            "list (003 §4)."
        ),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("Domain")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A government department and the roles it plays on the platform."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National level")
        PROVINCE = "province", _("Province level")
        CITY = "city", _("City level")
        COUNTY = "county", _("County level")

    code = models.SlugField(_("Code"), max_length=64, unique=True)
    name = models.CharField(_("Name"), max_length=128)
    level = models.CharField(_("Level"), max_length=16, choices=Level.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("Administrative division"), on_delete=models.PROTECT
    )
    domains = models.ManyToManyField(
        Domain, verbose_name=_("Domains governed"), blank=True, related_name="departments"
    )
    is_credit_office = models.BooleanField(_("Credit office (lead department)"), default=False)
    is_recognizing = models.BooleanField(_("Recognizing department"), default=False)
    is_implementing = models.BooleanField(_("Implementing department"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = _("Department")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SubjectKind(models.TextChoices):
    LEGAL_PERSON = "legal_person", _("Legal person")
    UNINCORPORATED = "unincorporated", _("Unincorporated organisation")
    INDIVIDUAL_BUSINESS = "individual_business", _("Individual business")
    NATURAL_PERSON = "natural_person", _("Natural person")


class IdentifierStatus(models.TextChoices):
    """A code that fails its check character is kept for review, never dropped (DOMAIN.md §4)."""

    VALID = "valid", _("Valid")
    REVIEW = "review", _("For review")


class Subject(models.Model):
    """A credit subject, identified by its unified social credit code or citizen ID."""

    kind = models.CharField(_("Subject kind"), max_length=32, choices=SubjectKind.choices)
    name = models.CharField(_("Name"), max_length=200, db_index=True)
    identifier = models.CharField(
        _("Unified social credit code or citizen ID"), max_length=18, unique=True
    )
    identifier_status = models.CharField(
        _("Identifier status"),
        max_length=16,
        choices=IdentifierStatus.choices,
        default=IdentifierStatus.VALID,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("Administrative division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Credit subject")
        indexes = [models.Index(fields=["kind", "region"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.identifier}）"

    @property
    def is_natural_person(self) -> bool:
        return self.kind == SubjectKind.NATURAL_PERSON


class LinkedPerson(models.Model):
    """A person an organisation's dishonesty is also recorded against (落实到人, 004 §二(三)6)."""

    class Role(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
        PRINCIPAL = "principal", _("Principal")
        RESPONSIBLE = "responsible", _("Responsible person")

    organisation = models.ForeignKey(
        Subject,
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        related_name="linked_persons",
    )
    person = models.ForeignKey(
        Subject,
        verbose_name=_("Natural person"),
        on_delete=models.PROTECT,
        related_name="linked_organisations",
    )
    role = models.CharField(_("Role"), max_length=32, choices=Role.choices)
    since = models.DateField(_("Since"), null=True, blank=True)
    until = models.DateField(_("Until"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Linked person")
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
        "auth.User", verbose_name=_("Account"), on_delete=models.PROTECT, related_name="officer"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("Department"), on_delete=models.PROTECT, related_name="officers"
    )
    can_sign = models.BooleanField(_("May sign"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = _("Officer")

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.department.name}）"
