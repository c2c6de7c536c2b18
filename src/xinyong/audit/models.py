"""The append-only, hash-chained audit trail (R14).

Each row carries the hash of the row before it, so an edited, deleted or reordered row breaks
the chain; the head row remembers the length and last hash, so a deleted tail is seen too.
Database triggers (see the migrations) refuse UPDATE and DELETE on the rows themselves.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(_("Sequence"), unique=True)
    at = models.DateTimeField(_("Time"))
    actor = models.CharField(_("Actor"), max_length=150)
    department = models.CharField(_("Department"), max_length=64, blank=True)
    action = models.CharField(_("Action"), max_length=64)
    object_type = models.CharField(_("Object type"), max_length=64)
    object_id = models.CharField(_("Object ID"), max_length=64)
    before = models.JSONField(_("Before"), null=True, blank=True)
    after = models.JSONField(_("After"), null=True, blank=True)
    reason = models.TextField(_("Reason"), blank=True)
    prev_hash = models.CharField(_("Previous hash"), max_length=64)
    hash = models.CharField(_("Hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Audit entry")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        """``#12 名单记录：签发决定 名单记录:8``: the codes by their labels, as a reviewer reads
        them (the admin's page of the row is titled so)."""
        # Imported here: the labels read other apps' models, loaded after this one.
        from xinyong.audit.labels import action_label, object_type_label

        action, object_type = action_label(self.action), object_type_label(self.object_type)
        return f"#{self.seq} {action} {object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The single row that serializes appends and remembers the end of the chain."""

    length = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = _("Audit chain head")

    def __str__(self) -> str:
        return f"{self.length} rows, last {self.last_hash[:12]}"


class QueryPurpose(models.Model):
    """Why personal data is looked up (查询事由): a reference list the credit office keeps (R14).

    The code is the primary key, so a registration row carries the stable code itself.
    """

    code = models.SlugField(_("Code"), max_length=64, primary_key=True)
    name = models.CharField(_("Name"), max_length=64)
    description = models.TextField(_("Description"), blank=True)
    is_active = models.BooleanField(
        _("Active"), default=True, help_text=_("Only active purposes can be chosen by officers.")
    )
    position = models.PositiveSmallIntegerField(_("Position"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("Query purpose")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class QueryKind(models.TextChoices):
    """What was asked. Checks are registered by their own rows (``measures.Check``)."""

    CHECK = "check", _("Check")
    SUBJECT_SEARCH = "subject_search", _("Subject search")
    SUBJECT_PAGE = "subject_page", _("Subject page")
    ENTRY_READ = "entry_read", _("Entry read")
    ENTRY_LIST = "entry_list", _("Entry list")
    EXPORT = "export", _("Export")
    REPORT = "report", _("Report")


class QueryRegistration(models.Model):
    """One answer that contained personal data: who asked, why, what and about whom (R14).

    No identifier is ever stored here: the subject is a foreign key and the natural persons of
    the answer a count. Rows are append-only; database triggers (see the migrations) refuse
    UPDATE, and on PostgreSQL DELETE and TRUNCATE too.
    """

    at = models.DateTimeField(_("Time"), db_index=True)
    account = models.ForeignKey(
        "auth.User", verbose_name=_("Account"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    actor = models.CharField(_("Actor"), max_length=150)
    department = models.ForeignKey(
        "subjects.Department", verbose_name=_("Department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    role = models.CharField(_("Role"), max_length=32, blank=True)
    purpose = models.ForeignKey(
        QueryPurpose, verbose_name=_("Purpose"), on_delete=models.PROTECT, related_name="+"
    )
    purpose_detail = models.CharField(_("Purpose detail"), max_length=500, blank=True)
    kind = models.CharField(_("Kind"), max_length=32, choices=QueryKind.choices)
    route = models.CharField(_("Route"), max_length=200)
    subject = models.ForeignKey(
        "subjects.Subject", verbose_name=_("Credit subject"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    natural_persons = models.PositiveIntegerField(_("Natural persons in the answer"))
    rows = models.PositiveIntegerField(_("Rows returned"))
    client_address = models.GenericIPAddressField(_("Client address"), null=True, blank=True)
    # Which API token asked (R14), as a check registers its own: a department's tokens share
    # its system account, so the account alone cannot tell a leaked token's downloads from the
    # system's. The row, never the token; the registry shows its prefix. None for a page (a
    # session) or the command line, and for registrations from before tokens were kept. No
    # index: it is read beside the rows the account and time find.
    token = models.ForeignKey(
        "api.ApiToken", verbose_name=_("API token"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_index=False,
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = _("Query registration")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["account", "at"]),
            models.Index(fields=["department", "at"]),
        ]

    def __str__(self) -> str:
        """The local time, the actor and the kind by its label (the admin's page title)."""
        return (
            f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.actor} {self.get_kind_display()}"
        )


class QueryRegistrationPerson(models.Model):
    """A natural person that a bulk answer, registered as one row, names (R14).

    A screening run's result names up to a hundred thousand persons. Registering it as one
    row per person (what a list page does) cost more than two seconds for a million-row file:
    each such row carries every column of a registration, six indexes and four foreign keys
    checked at commit. Here the answer is one ``QueryRegistration`` and each person a pair of
    ids, so the reviewer still finds the run under any person it named.

    Neither id is a database foreign key: a constraint would check each of the hundred thousand
    rows at commit for ids that the same statement has just read from the subjects' table,
    beside a registration made in the same transaction. Deleting either through the platform
    is still refused (``PROTECT``), and the rows are append-only like their registration
    (migration ``0006``).
    """

    pk = models.CompositePrimaryKey("subject_id", "registration_id")
    registration = models.ForeignKey(
        QueryRegistration, verbose_name=_("Query registration"), on_delete=models.PROTECT,
        related_name="persons", db_constraint=False,
    )  # fmt: skip
    subject = models.ForeignKey(
        "subjects.Subject", verbose_name=_("Credit subject"), on_delete=models.PROTECT,
        related_name="+", db_constraint=False, db_index=False,  # the key's first column
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = _("Person named in a registered answer")

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.subject_id}"
