"""The public credit information catalog and the records held under it (001 §二, §三(二))."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xinyong.core.document_numbers import canonical_document_number
from xinyong.core.free_text import mask_citizen_ids_however_written
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


class RecordFormat(models.TextChoices):
    """The national data format a catalog item's records arrive in (R9)."""

    OTHER = "", _("Other information")
    LICENCE = "licence", _("Administrative licences (XK_ fields)")
    PENALTY = "penalty", _("Administrative penalties (CF_ fields)")


class UpdateFrequency(models.TextChoices):
    """How often the provider sends an item's information, as its submission list says (R13)."""

    NOT_STATED = "", _("Not stated")
    REAL_TIME = "real_time", _("In real time")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    ON_OCCURRENCE = "on_occurrence", _("As it occurs")


class PublicationTier(models.TextChoices):
    """Tiers of dishonesty information (国办发〔2025〕22号, 《信用修复管理办法》, R8)."""

    MINOR = "minor", _("Minor")
    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")


TIER_RANK = {PublicationTier.MINOR: 1, PublicationTier.GENERAL: 2, PublicationTier.SERIOUS: 3}


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
    # What a provider's submission list (数据报送清单) states of the item besides the above:
    # the data items it sends and how often (R13, 004 §二(一)1).
    data_items = models.JSONField(
        _("Data items"),
        default=list,
        blank=True,
        help_text=_("The fields the provider sends for the item, one per line."),
    )
    update_frequency = models.CharField(
        _("Update frequency"),
        max_length=16,
        choices=UpdateFrequency.choices,
        blank=True,
        default=UpdateFrequency.NOT_STATED,
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
    record_format = models.CharField(
        _("Double publicity format"),
        max_length=16,
        choices=RecordFormat.choices,
        blank=True,
        default=RecordFormat.OTHER,
        help_text=_(
            "Licence and penalty files (双公示) are imported under the item with this format."
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

    @property
    def is_public(self) -> bool:
        return self.disclosure == Disclosure.PUBLIC


class PenaltyType(models.Model):
    """A kind of administrative penalty (CF_CFLB) and the tier of dishonesty it stands for.

    The credit office maintains the table; a decision with several penalty types takes the
    highest tier among them (R8).
    """

    name = models.CharField(_("Penalty type"), max_length=64, unique=True)
    aliases = models.JSONField(_("Other spellings"), default=list, blank=True)
    tier = models.CharField(_("Dishonesty tier"), max_length=16, choices=PublicationTier.choices)
    legal_basis = models.TextField(_("Legal basis"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Penalty type")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PublicationRule(models.Model):
    """How long information of one tier is published (R8): a default, or one catalog item's own.

    The period counts from the decision date; publication stops automatically at the maximum
    and repair may shorten it only after the minimum.
    """

    catalog_item = models.ForeignKey(
        CatalogItem,
        verbose_name=_("Catalog item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publication_rules",
        help_text=_("Empty: the default for every item without its own rule."),
    )
    tier = models.CharField(_("Dishonesty tier"), max_length=16, choices=PublicationTier.choices)
    is_published = models.BooleanField(_("Published"), default=True)
    months_min = models.PositiveSmallIntegerField(_("Minimum publication (months)"), default=0)
    months_max = models.PositiveSmallIntegerField(_("Maximum publication (months)"), default=0)
    legal_basis = models.TextField(_("Legal basis"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Publication rule")
        ordering = ["catalog_item_id", "tier"]
        constraints = [
            models.UniqueConstraint(
                fields=["tier"],
                condition=Q(catalog_item__isnull=True),
                name="publication_rule_default_once",
            ),
            models.UniqueConstraint(
                fields=["catalog_item", "tier"],
                condition=Q(catalog_item__isnull=False),
                name="publication_rule_item_once",
            ),
            models.CheckConstraint(
                condition=Q(months_min__lte=models.F("months_max")),
                name="publication_rule_min_not_above_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.catalog_item or '—'} {self.get_tier_display()}"


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
    # The subject's and the department's own indexes would duplicate the leading columns of
    # the (subject, decision_date) index and of the identity constraint; every import pays for
    # each index, so they are left out.
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("Credit subject"),
        on_delete=models.PROTECT,
        related_name="records",
        db_index=False,
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("Submitting department"),
        on_delete=models.PROTECT,
        related_name="records",
        db_index=False,
    )
    document_number = models.CharField(_("Document number"), max_length=128)
    decision_date = models.DateField(_("Decision date"))
    issuing_body = models.CharField(_("Issuing body"), max_length=128)
    title = models.CharField(_("Summary"), max_length=255, blank=True)
    content = models.JSONField(_("Content"), default=dict, blank=True)
    is_serious = models.BooleanField(_("Serious dishonesty information"), default=False)
    tier = models.CharField(
        _("Dishonesty tier"), max_length=16, choices=PublicationTier.choices, blank=True
    )
    fine_amount = models.DecimalField(
        _("Fine (10,000 yuan)"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    # A penalty's types (CF_CFLB) as the import read them: the ids of their penalty-type rows,
    # sorted (``importers.penalty_types.types_key``), so that the decision sent again is told
    # from another with other types, however either is written (R8). NULL for other records,
    # and for penalties recorded before it was kept: those are not compared on their types.
    # Ids are no reading for an officer: no form or admin page shows them.
    penalty_type_ids = models.TextField(  # noqa: DJ001 (NULL: not kept, see above)
        _("Penalty types"), null=True, blank=True, editable=False
    )
    # Publication (R9, R8): due within 7 working days of the decision; public from the day it
    # was collected; ends (终止公示) at the end of its window. Sharing with departments (停止共享)
    # has its own end, so the two are kept apart.
    publication_due_on = models.DateField(_("Due to be public by"), null=True, blank=True)
    published_on = models.DateField(_("Public since"), null=True, blank=True)
    workdays_late = models.PositiveIntegerField(_("Working days late"), null=True, blank=True)
    publication_min_ends_on = models.DateField(
        _("Minimum publication ends on"), null=True, blank=True
    )
    publication_ends_on = models.DateField(_("Publicity ends on"), null=True, blank=True)
    publication_ended_on = models.DateField(_("Publication ended on"), null=True, blank=True)
    sharing_ends_on = models.DateField(_("Sharing ends on"), null=True, blank=True)
    sharing_stopped_on = models.DateField(_("Sharing stopped on"), null=True, blank=True)
    # Revoked on a founded objection (R6): kept, no longer public nor shared, and no longer the
    # record of its identity, so that the department can send the right decision under the
    # same document number (``remedies.record_corrections``).
    revoked_on = models.DateField(_("Revoked on"), null=True, blank=True)
    # Where the record came from: the import job and its data row. No database constraint and
    # no index: jobs are never deleted, and every import would pay for them.
    import_job = models.ForeignKey(
        "ImportJob",
        verbose_name=_("Import job"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        db_constraint=False,
        db_index=False,
    )
    import_row = models.PositiveIntegerField(_("Data row"), null=True, blank=True)
    created_at = models.DateTimeField(_("Collected at"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Credit record")
        # A record's identity (department, document number, subject) is unique among the
        # records not revoked; the revoked ones have an index of their own, which an import
        # reads to tell the revoked decision sent again from the right one (``catalog.bulk``).
        constraints = [
            models.UniqueConstraint(
                fields=["department", "document_number", "subject"],
                condition=models.Q(revoked_on__isnull=True),
                name="credit_record_identity",
            )
        ]
        indexes = [
            models.Index(fields=["subject", "decision_date"]),
            models.Index(
                fields=["department", "document_number", "subject"],
                condition=models.Q(revoked_on__isnull=False),
                name="credit_record_revoked",
            ),
            # The admin's search by document number, in any case (``UPPER(...) =``): the
            # indexes above start with the department.
            models.Index(
                models.functions.Upper("document_number"), name="credit_record_document_upper"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shown_document_number}（{self.subject.name}）"

    @property
    def shown_document_number(self) -> str:
        """The document number as every page, answer and export shows it: as the department
        wrote it (``document_number_as_written``), a citizen ID in it masked, however written
        (R14, DOMAIN.md §4)."""
        return mask_citizen_ids_however_written(self.document_number_as_written)

    @property
    def document_number_as_written(self) -> str:
        """The number as the department's row wrote it, which its content keeps (CF_WSH,
        XK_WSH), when it is this record's number written otherwise; else the stored number.
        The column holds the canonical form (``core.document_numbers``), which is the
        identity's: the year's brackets in one kind, digits half-width. A court's （2026）
        would read 〔2026〕 there, so a page shows the department's own writing where the
        record kept it."""
        from xinyong.catalog.importers.formats import DOCUMENT_NUMBER_CONTENT

        content = self.content if isinstance(self.content, dict) else {}
        for key in DOCUMENT_NUMBER_CONTENT:
            written = content.get(key)
            if isinstance(written, str) and (
                canonical_document_number(written) == self.document_number
            ):
                return written.strip()
        return self.document_number

    @property
    def shown_issuing_body(self) -> str:
        """The issuing body as shown, a citizen ID in it masked (R14)."""
        return mask_citizen_ids_however_written(self.issuing_body)

    @property
    def is_published(self) -> bool:
        """Public now: published and its publication not ended (终止公示)."""
        return self.published_on is not None and self.publication_ended_on is None

    @property
    def is_shared(self) -> bool:
        """Still pushed to departments: its sharing not stopped (停止共享)."""
        return self.sharing_stopped_on is None


class ImportKind(models.TextChoices):
    LICENCES = "licences", _("Administrative licences")
    PENALTIES = "penalties", _("Administrative penalties")
    RECORDS = "records", _("Other catalog information")


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One file a department sends, read in chunks; each chunk commits with the checkpoint.

    ``rows_done`` counts the data rows whose outcome is committed, so a run that was killed
    resumes after them. Always, once done: rows = accepted + quarantined, and accepted =
    inserted + already_recorded; already recorded are also the rows whose decision another
    department recorded (``ReportRow.Outcome.BY_ANOTHER``).
    """

    kind = models.CharField(_("Kind"), max_length=16, choices=ImportKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("Department"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    catalog_item = models.ForeignKey(
        CatalogItem,
        verbose_name=_("Catalog item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    status = models.CharField(
        _("Status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    actor = models.CharField(_("Started by"), max_length=150)
    file_name = models.CharField(_("File name"), max_length=255)
    file_path = models.CharField(_("Stored file"), max_length=500)
    file_size = models.PositiveBigIntegerField(_("File size (bytes)"), default=0)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    file_format = models.CharField(_("File format"), max_length=16)
    encoding = models.CharField(_("Encoding"), max_length=16, blank=True)
    edition = models.CharField(_("Field names"), max_length=32, blank=True)
    business_date = models.DateField(_("Business date"))
    # The business day the last chunk committed on: each chunk's records are public from the
    # day it commits (R9), so a job resumed days later, or running past midnight, stored rows
    # on days after its business date. Empty while no chunk committed.
    last_collected_on = models.DateField(_("Last stored on"), null=True, blank=True)
    columns = models.JSONField(_("Columns"), default=list, blank=True)
    warnings = models.JSONField(_("Warnings"), default=list, blank=True)
    rows_done = models.PositiveBigIntegerField(_("Rows read"), default=0)
    accepted = models.PositiveBigIntegerField(_("Accepted"), default=0)
    inserted = models.PositiveBigIntegerField(_("New records"), default=0)
    already_recorded = models.PositiveBigIntegerField(_("Already recorded"), default=0)
    quarantined = models.PositiveBigIntegerField(_("Quarantined"), default=0)
    quarantined_by_reason = models.JSONField(_("Quarantined by reason"), default=dict, blank=True)
    subjects_created = models.PositiveBigIntegerField(_("Subjects created"), default=0)
    identifiers_for_review = models.PositiveBigIntegerField(_("Codes for review"), default=0)
    late = models.PositiveBigIntegerField(_("New records published late"), default=0)
    error_code = models.CharField(_("Error code"), max_length=64, blank=True)
    error_message = models.TextField(_("Error"), blank=True)
    worker = models.CharField(_("Worker"), max_length=100, blank=True)
    runs = models.PositiveSmallIntegerField(_("Runs"), default=0)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("Started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Finished at"), null=True, blank=True)
    # Renewed when the job opens, at every run's start and with every chunk committed: a job
    # left running with no progress for days was killed and never resumed, and the daily job
    # ends it and deletes its upload (``services.abandoned``, 001 §14).
    progress_at = models.DateTimeField(_("Last sign of life"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Import job")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["department", "created_at"])]
        constraints = [
            # One run at a time per file and the catalog item it is sent under, as a job is
            # known by both (``services.jobs._open_job``): a second start waits for, or resumes,
            # the first, while the same file under another item is a job of its own. A job
            # under no item (other records, whose rows name theirs) has a constraint of its
            # own: a unique index tells no two empty items apart.
            models.UniqueConstraint(
                fields=["department", "kind", "catalog_item", "file_sha256"],
                condition=Q(status="running", catalog_item__isnull=False),
                name="import_job_one_running_per_item_file",
            ),
            models.UniqueConstraint(
                fields=["department", "kind", "file_sha256"],
                condition=Q(status="running", catalog_item__isnull=True),
                name="import_job_one_running_per_file",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.file_name}"

    @property
    def rows(self) -> int:
        return self.accepted + self.quarantined

    @property
    def collected_between(self) -> tuple[dt.date, dt.date]:
        """The first and the last business day the job's records may have been stored on: from
        its business date to the day its last chunk committed (R9, R15)."""
        last = self.last_collected_on or self.business_date
        return min(self.business_date, last), max(self.business_date, last)


class ReportRow(models.Model):
    """A row the import report names: refused (quarantined), accepted with a code to review,
    or accepted as a decision another department has recorded already (not stored twice).

    The values are the row's cells as the report shows them: prohibited columns (001 §14) left
    out, long cells truncated.
    """

    class Outcome(models.TextChoices):
        QUARANTINED = "quarantined", _("Quarantined")
        REVIEW = "review", _("Accepted, code for review")
        # Counted as already recorded: the decision is on the platform, the row holds nothing
        # to correct (``bulk.ChunkWriter._held_elsewhere``).
        BY_ANOTHER = "by_another", _("Accepted, recorded by another department")

    job = models.ForeignKey(
        ImportJob,
        verbose_name=_("Import job"),
        on_delete=models.PROTECT,
        related_name="report_rows",
    )
    row_number = models.PositiveBigIntegerField(_("Data row"))
    outcome = models.CharField(_("Outcome"), max_length=16, choices=Outcome.choices)
    reasons = models.JSONField(_("Reasons"), default=list)
    values = models.JSONField(_("Values"), default=list)
    # Whether the row's subject is a natural person, ID or not: reading the row reads personal
    # data, and is registered as such (R14).
    names_natural_person = models.BooleanField(_("Names a natural person"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = _("Import report row")
        ordering = ["job", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "row_number"], name="import_report_row_once")
        ]

    def __str__(self) -> str:
        return f"#{self.job_id}:{self.row_number} {self.outcome}"
