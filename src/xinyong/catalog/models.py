"""The public credit information catalog and the records held under it (001 §二, §三(二))."""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xinyong.subjects.models import Department, Subject, SubjectKind


class InfoKind(models.TextChoices):
    """The 11 kinds of the national basic catalog of public credit information."""

    REGISTRATION = "registration", _("Registration information")
    JUDICIAL = "judicial", _("Judgments and enforcement")
    ADMINISTRATIVE = "administrative", _("Administrative information")
    QUALIFICATION = "qualification", _("Titles and professional qualifications")
    ABNORMAL_OPERATION = "abnormal_operation", _("Abnormal operation records")
    SERIOUS_DISHONESTY = "serious_dishonesty", _("Serious dishonesty list information")
    CONTRACT = "contract", _("Contract performance")
    COMMITMENT = "commitment", _("Credit commitments and their fulfilment")
    EVALUATION = "evaluation", _("Credit evaluation results")
    COMPLIANCE = "compliance", _("Compliance with laws and regulations")
    HONOUR = "honour", _("Honours for integrity")


class ShareScope(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("Shared unconditionally")
    CONDITIONAL = "conditional", _("Shared on conditions")
    NONE = "none", _("Not shared")


class Disclosure(models.TextChoices):
    PUBLIC = "public", _("Public")
    ON_REQUEST = "on_request", _("Public on request")
    NOT_PUBLIC = "not_public", _("Not public")


class CatalogItem(models.Model):
    """A kind of information the platform may hold; nothing outside the catalog is recorded."""

    code = models.SlugField(_("Catalog code"), max_length=64, unique=True)
    name = models.CharField(_("Item name"), max_length=128)
    info_kind = models.CharField(_("Information kind"), max_length=32, choices=InfoKind.choices)
    legal_basis = models.TextField(_("Legal basis"))
    provider = models.ForeignKey(
        Department, verbose_name=_("Provider"), null=True, blank=True, on_delete=models.PROTECT
    )
    subject_kinds = models.JSONField(
        _("Subject kinds"),
        default=list,
        help_text=format_lazy("{}{}", _("Values: "), ", ".join(SubjectKind.values)),
    )
    share_scope = models.CharField(_("Share scope"), max_length=16, choices=ShareScope.choices)
    disclosure = models.CharField(_("Disclosure"), max_length=16, choices=Disclosure.choices)
    publicity_rule = models.TextField(_("Publicity rule"), blank=True)
    publication_months_min = models.PositiveSmallIntegerField(
        _("Minimum publication (months)"), null=True, blank=True
    )
    publication_months_max = models.PositiveSmallIntegerField(
        _("Maximum publication (months)"), null=True, blank=True
    )
    mask_personal_data = models.BooleanField(
        _("Mask personal data when published"),
        default=True,
        help_text=_(
            "Natural persons' data is masked when published unless the legal basis requires it "
            "(001 §4)."
        ),
    )
    is_active = models.BooleanField(_("Active"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Catalog item")
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
        CatalogItem,
        verbose_name=_("Catalog item"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("Credit subject"), on_delete=models.PROTECT, related_name="records"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("Submitting department"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    document_number = models.CharField(_("Document number"), max_length=128)
    decision_date = models.DateField(_("Decision date"))
    issuing_body = models.CharField(_("Issuing body"), max_length=128)
    title = models.CharField(_("Summary"), max_length=255, blank=True)
    content = models.JSONField(_("Content"), default=dict, blank=True)
    is_serious = models.BooleanField(_("Serious dishonesty information"), default=False)
    publication_ends_on = models.DateField(_("Publicity ends on"), null=True, blank=True)
    created_at = models.DateTimeField(_("Collected at"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Credit record")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "document_number", "subject"], name="credit_record_identity"
            )
        ]
        indexes = [models.Index(fields=["subject", "decision_date"])]

    def __str__(self) -> str:
        return f"{self.document_number}（{self.subject.name}）"
