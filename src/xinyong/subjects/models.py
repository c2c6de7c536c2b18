"""Credit subjects, the persons linked to them, departments, domains and regions (DOMAIN.md §2)."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from xinyong.core.masking import MASK as MASK_CHARACTER
from xinyong.subjects.protection import identifier_digest, reveal, stored_identifier


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


class SubjectQuerySet(models.QuerySet):
    """Look-ups by identifier go through the keyed hash, never the stored text (R14)."""

    def identified_by(self, value: str) -> SubjectQuerySet:
        return self.filter(identifier_digest=identifier_digest(value))


class Subject(models.Model):
    """A credit subject, identified by its unified social credit code or citizen ID.

    A citizen ID is never stored in clear (R14): ``identifier`` holds it masked (a code in
    full, but for a code that may be a citizen ID too), ``identifier_sealed`` its ciphertext,
    ``identifier_digest`` the keyed hash every look-up and join uses. Give the identifier in
    full when creating a subject (``Subject(identifier=…)`` or ``set_identifier``); ``save``
    stores the protected forms.
    """

    kind = models.CharField(_("Subject kind"), max_length=32, choices=SubjectKind.choices)
    name = models.CharField(_("Name"), max_length=200, db_index=True)
    identifier = models.CharField(
        _("Unified social credit code or citizen ID"),
        max_length=18,
        help_text=_("A citizen ID is shown masked; it is stored encrypted."),
    )
    identifier_digest = models.CharField(
        _("Identifier look-up hash"), max_length=64, unique=True, editable=False
    )
    identifier_sealed = models.CharField(
        _("Encrypted citizen ID"), max_length=128, blank=True, editable=False
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
    # When a save through the model last changed the row: the name index reads what changed
    # since it last looked by it (``name_index.refresh``). Empty for rows from before the column
    # and for rows an import inserts in SQL (``catalog.bulk``), which the index finds by id.
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True, null=True, db_index=True)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("Credit subject")
        # And on PostgreSQL two trigram indexes on the name (migration 0009), which Django
        # cannot declare here on SQLite's behalf.
        indexes = [
            models.Index(fields=["kind", "region"]),
            # The admin's search compares identifiers case-insensitively (``=identifier``).
            models.Index(Upper("identifier"), name="subjects_identifier_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.identifier}）"

    def save(self, *args, **kwargs) -> None:
        self.protect_identifier()
        update_fields = kwargs.get("update_fields")
        if update_fields:  # auto_now stamps only a field that is written
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    @property
    def is_natural_person(self) -> bool:
        return self.kind == SubjectKind.NATURAL_PERSON

    def set_identifier(self, value: str) -> None:
        """Store ``value`` (given in full) protected: a person's ID masked, sealed, hashed."""
        stored = stored_identifier(value, personal=self.is_natural_person)
        self.identifier = stored.shown
        self.identifier_digest = stored.digest
        self.identifier_sealed = stored.sealed

    def protect_identifier(self) -> None:
        """Protect an identifier given in full and not stored yet (before a bulk insert), or
        changed since: a person's ID typed in full again, an organisation's code edited. An
        organisation's code kept sealed (one that may be a person's ID, ``stored_identifier``)
        is shown masked, as a person's is: only a code typed in full replaces it."""
        sealed = self.is_natural_person or bool(self.identifier_sealed)
        if (
            not self.identifier_digest
            or (sealed and MASK_CHARACTER not in self.identifier)
            or (not sealed and identifier_digest(self.identifier) != self.identifier_digest)
        ):
            self.set_identifier(self.identifier)

    def reveal_identifier(self) -> str:
        """The identifier in full: only for the subject itself and authorised officers (R14)."""
        if not self.identifier_sealed:
            return self.identifier
        return reveal(self.identifier_sealed)


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
