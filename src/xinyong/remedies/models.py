"""Objections a credit subject, or a person an organisation's entry names, files online, and the
evidence sent with them; and who objected when an officer registers one received on paper or at
the counter (R6). Credit repair applications (R8), objections to credit records (R6), and a
subject's requests to leave a red list (R4).

The objection itself is the entry's history event, written by the listing procedure whichever
way it arrives; these rows say which account sent it, for whom, and keep its evidence files, or
on whose behalf the department registered it.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinyong.catalog.models import PublicationTier
from xinyong.listings.models import ListEntry, ListEntryEvent


def _china_day(at: dt.datetime | None) -> str:
    """The day a moment falls on in China (the database gives UTC); empty before it is saved."""
    return "" if at is None else f"{timezone.localtime(at):%Y-%m-%d}"


class OnlineObjection(models.Model):
    """One objection sent from a subject's own page (R6, 000 §十一.2): by the entry's subject, or
    by a natural person the entry names (``person``), who is listed too (004 §二(三)6)."""

    entry = models.ForeignKey(
        ListEntry, verbose_name=_("List entry"), on_delete=models.PROTECT,
        related_name="online_objections",
    )  # fmt: skip
    event = models.OneToOneField(
        ListEntryEvent, verbose_name=_("History event"), on_delete=models.PROTECT,
        related_name="online_objection",
    )  # fmt: skip
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Account"), on_delete=models.PROTECT
    )
    # Empty when the entry's subject objected; else the person named in the entry who did.
    person = models.ForeignKey(
        "subjects.Subject", verbose_name=_("Named person who objected"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="objections_as_named_person",
    )  # fmt: skip
    sent_at = models.DateTimeField(_("Sent at"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Online objection")
        ordering = ["entry", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id} {_china_day(self.sent_at)}".rstrip()


class StoredFile(models.Model):
    """A file a subject sent, kept in the data directory under a name of ours
    (``evidence.keep``) and given back only as a download (``evidence.download``)."""

    stored_name = models.CharField(_("Stored name"), max_length=255, unique=True)
    file_name = models.CharField(_("File name"), max_length=255)
    content_type = models.CharField(_("Content type"), max_length=64)
    size = models.PositiveIntegerField(_("Size (bytes)"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.file_name


class ObjectionEvidence(StoredFile):
    """A file sent as evidence; kept in the data directory, given back only to whoever sent it
    (the subject, or the named person) and to the department verifying the objection."""

    objection = models.ForeignKey(
        OnlineObjection, verbose_name=_("Online objection"), on_delete=models.PROTECT,
        related_name="evidence",
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = _("Objection evidence")
        ordering = ["objection", "id"]


class ObjectorKind(models.TextChoices):
    """Who objects, as the officer registering an objection says (R6: anyone listed or
    recorded may object; 004 §二(三)6: the persons an organisation's entry names are listed
    too)."""

    SUBJECT = "subject", _("The entry's subject itself")
    NAMED_PERSON = "named_person", _("A person the entry names")
    OTHER = "other", _("Another party")


class RegisteredObjection(models.Model):
    """An objection the department received on paper or at the counter and registered, and who
    objected: the entry's subject, a person the entry names (``person``), or another party named
    only in the history. The subject or the person then follows it on its own page as it follows
    one it sent online; its evidence stays on paper (R6, 000 §十一.2)."""

    entry = models.ForeignKey(
        ListEntry, verbose_name=_("List entry"), on_delete=models.PROTECT,
        related_name="registered_objections",
    )  # fmt: skip
    event = models.OneToOneField(
        ListEntryEvent, verbose_name=_("History event"), on_delete=models.PROTECT,
        related_name="registered_objection",
    )  # fmt: skip
    objector_kind = models.CharField(_("Objector"), max_length=16, choices=ObjectorKind.choices)
    person = models.ForeignKey(
        "subjects.Subject", verbose_name=_("Named person who objected"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="registered_objections_as_named_person",
    )  # fmt: skip
    registered_at = models.DateTimeField(_("Registered at"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Registered objection")
        ordering = ["entry", "id"]
        constraints = [
            # A person exactly when a person the entry names objected.
            models.CheckConstraint(
                condition=models.Q(objector_kind="named_person", person__isnull=False)
                | (~models.Q(objector_kind="named_person") & models.Q(person__isnull=True)),
                name="registered_objection_person_iff_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.objector_kind} {_china_day(self.registered_at)}".rstrip()


class RepairState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Repair accepted")
    REJECTED = "rejected", _("Repair rejected")
    # What it applied for ended another way while it was open: the entry exited (found wrong,
    # expired, …) or the record was revoked on a founded objection. Neither accepted nor
    # rejected: there is nothing left to repair (R8, R4, R6).
    CLOSED = "closed", _("Closed: nothing left to repair")


class RepairOutcome(models.TextChoices):
    """What an accepted repair does (R8: early exit, lower dishonesty level, shorter
    publication; 国办发〔2025〕22号: 终止公示 and 停止共享)."""

    EXIT = "exit", _("Early exit from the list")
    STOP = "stop", _("Publication and sharing stopped")
    LOWER = "lower", _("Dishonesty tier lowered")
    SHORTEN = "shorten", _("Publication shortened")


class RepairApplication(models.Model):
    """A subject's application to repair its credit: one list entry or one credit record (R8,
    000 §九, 002 §二十六). Free of charge: there is no fee anywhere in it."""

    subject = models.ForeignKey(
        "subjects.Subject", verbose_name=_("Credit subject"), on_delete=models.PROTECT,
        related_name="repair_applications",
    )  # fmt: skip
    entry = models.ForeignKey(
        ListEntry, verbose_name=_("List entry"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="repair_applications",
    )  # fmt: skip
    record = models.ForeignKey(
        "catalog.CreditRecord", verbose_name=_("Credit record"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="repair_applications",
    )  # fmt: skip
    department = models.ForeignKey(
        "subjects.Department", verbose_name=_("Deciding department"), on_delete=models.PROTECT,
        related_name="repair_applications",
    )  # fmt: skip
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Account"), on_delete=models.PROTECT
    )
    corrected = models.TextField(_("What was corrected"))
    state = models.CharField(
        _("State"), max_length=16, choices=RepairState.choices, default=RepairState.SUBMITTED
    )
    submitted_on = models.DateField(_("Submitted on"))
    decided_on = models.DateField(_("Decided on"), null=True, blank=True)
    decided_by = models.CharField(_("Decided by"), max_length=150, blank=True)
    reasons = models.TextField(_("Reasons of the decision"), blank=True)
    # Set when accepted. The record's former tier and dates are in the decision's audit row.
    outcome = models.CharField(
        _("Repair outcome"), max_length=16, choices=RepairOutcome.choices, blank=True
    )
    new_tier = models.CharField(
        _("Dishonesty tier after repair"), max_length=16, choices=PublicationTier.choices,
        blank=True,
    )  # fmt: skip
    new_ends_on = models.DateField(_("Publication ends on after repair"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Credit repair application")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entry__isnull=False, record__isnull=True)
                | models.Q(entry__isnull=True, record__isnull=False),
                name="repair_of_entry_or_record",
            ),
            # One open application per entry or record: the database says so too, so that two
            # applications sent at once cannot both be taken.
            models.UniqueConstraint(
                fields=["entry"], condition=models.Q(state="submitted"), name="repair_open_entry"
            ),
            models.UniqueConstraint(
                fields=["record"], condition=models.Q(state="submitted"), name="repair_open_record"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.submitted_on:%Y-%m-%d} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state == RepairState.SUBMITTED


class MaterialKind(models.TextChoices):
    FULFILMENT = "fulfilment", _("Proof of fulfilment")
    COMMITMENT = "commitment", _("Credit commitment")
    TRAINING = "training", _("Training record")


class RepairMaterial(StoredFile):
    """A file sent with a repair application; kept as objection evidence is (R8, R14)."""

    application = models.ForeignKey(
        RepairApplication, verbose_name=_("Credit repair application"),
        on_delete=models.PROTECT, related_name="materials",
    )  # fmt: skip
    kind = models.CharField(_("Material"), max_length=16, choices=MaterialKind.choices)

    class Meta:
        verbose_name = verbose_name_plural = _("Repair material")
        ordering = ["application", "id"]


class RecordObjectionState(models.TextChoices):
    VERIFYING = "verifying", _("Under verification")
    FOUNDED = "founded", _("Objection founded")
    UNFOUNDED = "unfounded", _("Objection unfounded")


class RecordObjectionOutcome(models.TextChoices):
    """What a founded objection to a credit record does (R6: the department corrects or revokes
    what is wrong; 000 §十一.2)."""

    CORRECT = "correct", _("Information corrected")
    REVOKE = "revoke", _("Information revoked")


class RecordObjection(models.Model):
    """An objection to a credit record by its subject (R6: anyone recorded may object; 000
    §十一.2, 002 §二十七), sent online with evidence or registered by the department on paper.

    The department that recorded it verifies within 20 days of receipt; meanwhile the record is
    shown as under objection wherever it is published or shared, and no black-list proposal
    rests on it (``listings.tick.black_list_proposals``). A founded objection corrects the
    wrong facts or revokes the record, whose publication and sharing then stop; the subject is
    told the result and its remedies.
    """

    record = models.ForeignKey(
        "catalog.CreditRecord", verbose_name=_("Credit record"), on_delete=models.PROTECT,
        related_name="objections",
    )  # fmt: skip
    department = models.ForeignKey(
        "subjects.Department", verbose_name=_("Verifying department"), on_delete=models.PROTECT,
        related_name="record_objections",
    )  # fmt: skip
    # The subject's account when it objected online; empty when an officer registered it.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Account"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    registered_by = models.CharField(_("Registered by"), max_length=150, blank=True)
    objector = models.CharField(_("Objector"), max_length=200)
    grounds = models.TextField(_("Grounds of the objection"))
    state = models.CharField(
        _("State"), max_length=16, choices=RecordObjectionState.choices,
        default=RecordObjectionState.VERIFYING,
    )  # fmt: skip
    received_on = models.DateField(_("Received on"))
    due_on = models.DateField(_("Verification due on"))
    due_provisional = models.BooleanField(_("Due date provisional"), default=False)
    decided_on = models.DateField(_("Decided on"), null=True, blank=True)
    decided_by = models.CharField(_("Decided by"), max_length=150, blank=True)
    finding = models.TextField(_("Finding"), blank=True)
    outcome = models.CharField(
        _("Outcome"), max_length=16, choices=RecordObjectionOutcome.choices, blank=True
    )
    # A correction's fields: {content key: {"label", "before", "after"}}.
    corrections = models.JSONField(_("Corrections"), default=dict, blank=True)
    result_letter = models.TextField(_("Result told to the subject"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Objection to a credit record")
        ordering = ["-id"]
        constraints = [
            # One objection verified at a time per record: two sent at once cannot both open.
            models.UniqueConstraint(
                fields=["record"],
                condition=models.Q(state="verifying"),
                name="record_objection_open_once",
            ),
            # An outcome exactly when founded.
            models.CheckConstraint(
                condition=models.Q(state="founded") & ~models.Q(outcome="")
                | ~models.Q(state="founded") & models.Q(outcome=""),
                name="record_objection_outcome_iff_founded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.received_on:%Y-%m-%d} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state == RecordObjectionState.VERIFYING


class RecordObjectionEvidence(StoredFile):
    """A file sent with an objection to a record; kept as an entry objection's evidence is, and
    given back only to its subject and to the verifying department (R14)."""

    objection = models.ForeignKey(
        RecordObjection, verbose_name=_("Objection to a credit record"),
        on_delete=models.PROTECT, related_name="evidence",
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = _("Evidence of an objection to a record")
        ordering = ["objection", "id"]


class ExitRequestState(models.TextChoices):
    PENDING = "pending", _("Awaiting the department's exit")
    DONE = "done", _("Done: the entry left the red list at the subject's request")
    # The entry ended another way while the request was pending (expired, blacklisted, found
    # wrong, …): there is nothing left to exit (R4).
    CLOSED = "closed", _("Closed: the entry ended otherwise")


class RedListExitRequest(models.Model):
    """A subject's request to leave one of its red-list entries in force (R4, 000 §十.2:
    依红名单主体主动申请…的，认定部门应将相关主体从红名单中删除), sent from its own page: who
    asked and when.

    The recognizing department then ends the entry with the reason ``requested``, which marks
    the request done and links the exit it led to (``listings.services.exits.exit_entry``); an
    entry that ends another way while it is pending closes it, with the reason the subject reads
    (``red_list_exits.close_for_entries``). The row's changes are audited; nothing is deleted.
    """

    entry = models.ForeignKey(
        ListEntry, verbose_name=_("List entry"), on_delete=models.PROTECT,
        related_name="red_list_exit_requests",
    )  # fmt: skip
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Account"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    received_on = models.DateField(_("Received on"))
    statement = models.TextField(_("Statement of the subject"), blank=True)
    state = models.CharField(
        _("State"), max_length=16, choices=ExitRequestState.choices,
        default=ExitRequestState.PENDING,
    )  # fmt: skip
    decided_on = models.DateField(_("Decided on"), null=True, blank=True)
    decided_by = models.CharField(_("Decided by"), max_length=150, blank=True)
    exit_event = models.OneToOneField(
        ListEntryEvent, verbose_name=_("Exit it led to"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="red_list_exit_request",
    )  # fmt: skip
    closed_reason = models.TextField(_("Why it was closed"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Request to leave a red list")
        ordering = ["-id"]
        constraints = [
            # One pending request per entry: two sent at once cannot both be taken.
            models.UniqueConstraint(
                fields=["entry"], condition=models.Q(state="pending"),
                name="red_list_exit_request_pending_once",
            ),
            # The exit it led to exactly when done; a reason exactly when closed.
            models.CheckConstraint(
                condition=models.Q(state="done", exit_event__isnull=False)
                | (~models.Q(state="done") & models.Q(exit_event__isnull=True)),
                name="red_list_exit_request_exit_iff_done",
            ),
            models.CheckConstraint(
                condition=models.Q(state="closed") & ~models.Q(closed_reason="")
                | ~models.Q(state="closed") & models.Q(closed_reason=""),
                name="red_list_exit_request_reason_iff_closed",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.entry_id} {self.received_on:%Y-%m-%d} {self.state}"

    @property
    def is_pending(self) -> bool:
        return self.state == ExitRequestState.PENDING
