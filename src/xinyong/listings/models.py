"""List definitions and list entries (DOMAIN.md §2, R1–R5).

An entry's state moves only through ``listings.workflow``; this module holds the tables. What
a decision records beside an entry and the notices published of it are in
``listings.decision_records``, imported at the end so that Django finds them in this app.
"""

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock
from xinyong.core.document_numbers import canonical_document_number
from xinyong.subjects.models import Department, Domain, Subject

if TYPE_CHECKING:
    from xinyong.listings.decision_records import EntryNotRepairable


class ListKind(models.TextChoices):
    RED = "red", _("Red list")
    BLACK = "black", _("Black list")
    KEY_ATTENTION = "key_attention", _("Key-attention list")
    BIG_DATA_WARNING = "big_data_warning", _("Big-data warning list")
    KEY_MONITORING = "key_monitoring", _("Key-monitoring list")


class ValidityUnit(models.TextChoices):
    DAYS = "days", _("days")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")


class ListDefinition(models.Model):
    """One list of one kind in one domain, kept by one recognizing department."""

    code = models.SlugField(_("Code"), max_length=64, unique=True)
    name = models.CharField(_("Name"), max_length=128)
    kind = models.CharField(_("List kind"), max_length=32, choices=ListKind.choices)
    domain = models.ForeignKey(Domain, verbose_name=_("Domain"), on_delete=models.PROTECT)
    recognizing_department = models.ForeignKey(
        Department,
        verbose_name=_("Recognizing department"),
        on_delete=models.PROTECT,
        related_name="lists",
    )
    criteria = models.TextField(_("Criteria"))
    legal_basis = models.TextField(_("Legal basis"))
    validity_value = models.PositiveIntegerField(
        _("Validity"), null=True, blank=True, help_text=_("Leave empty for: until the exit.")
    )
    validity_unit = models.CharField(
        _("Validity unit"), max_length=8, choices=ValidityUnit.choices, default=ValidityUnit.YEARS
    )
    publicity_workdays = models.PositiveSmallIntegerField(
        _("Publicity period (working days)"),
        default=20,
        help_text=_("Red and black lists are publicized for at least 20 working days (001 §8)."),
    )
    repairable = models.BooleanField(_("Repairable"), default=True)
    objection_suspends_measures = models.BooleanField(
        _("Objection suspends measures"),
        default=True,
        help_text=_(
            "While an objection is verified, measures based on the information are suspended; "
            "court defaulter lists and the like are exceptions (R6)."
        ),
    )
    catalog_item = models.ForeignKey(
        "catalog.CatalogItem", verbose_name=_("Catalog item"), null=True, blank=True,
        on_delete=models.PROTECT,
        help_text=_("The catalog item the list is published under; its masking rule applies to "
                    "announcements (R5, 001 §4). Without one, personal data is masked."),
    )  # fmt: skip
    monitoring_months = models.PositiveSmallIntegerField(
        _("Key monitoring after exit (months)"), null=True, blank=True, help_text=_("002 §21")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("List")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=["red", "black"])
                | models.Q(publicity_workdays__gte=20),
                name="red_black_publicity_at_least_20_workdays",
                violation_error_message=_(
                    "A red or black list is publicized for at least 20 working days (R1)."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A new list, or one given another domain, department or kind, is in a domain its
        department governs (``domain_is_governed``). A list whose department stops governing
        its domain later stays valid to edit, as its entries are still worked (objections,
        exits); new proposals on it are refused (``require_recognizing_officer``).

        A new list, or one given another validity or catalog item, is valid no longer than its
        item's maximum publication (R8: publication stops at the maximum). One stored beyond it
        stays valid to edit otherwise, and is named by a deploy check
        (``listings.checks``)."""
        super().clean()
        from xinyong.listings.checks import validity_outlasts

        maximum = self.catalog_item.publication_months_max if self.catalog_item_id else None
        validity = (self.validity_value, self.validity_unit, self.catalog_item_id)
        saved = (
            None
            if self.pk is None or maximum is None
            else ListDefinition.objects.filter(pk=self.pk)
            .values_list("validity_value", "validity_unit", "catalog_item_id")
            .first()
        )
        if (
            maximum is not None
            and self.validity_unit in ValidityUnit.values  # another unit is refused on its own
            and saved != validity
            and validity_outlasts(self.validity_value, self.validity_unit, maximum)
        ):
            message = _(
                "Entries on this list would be valid longer than its catalog item's maximum "
                "publication of %(months)s months (R8): give a validity within it."
            )
            raise ValidationError(
                {"validity_value": ValidationError(message, params={"months": maximum})}
            )
        if self.domain_id is None or self.recognizing_department_id is None:
            return  # the missing field is refused on its own
        if self._placement_changed() and not self.domain_is_governed():
            raise ValidationError(
                {"domain": _("The list's domain is not one its recognizing department governs.")}
            )

    def _placement_changed(self) -> bool:
        placement = (self.domain_id, self.recognizing_department_id, self.kind)
        saved = (
            ListDefinition.objects.filter(pk=self.pk)
            .values_list("domain_id", "recognizing_department_id", "kind")
            .first()
        )
        return self.pk is None or saved != placement

    def domain_is_governed(self) -> bool:
        """Whether the list's domain is one its recognizing department governs (R14: rights per
        role and domain, 000 §十一.4; DOMAIN.md §2: a department governs its domains).

        A department with no domains configured is not limited: none given means not yet said,
        not "governs nothing" (departments are set up before their domains are entered, and a
        department that keeps lists would otherwise stop working). The credit office's big-data
        warning list is not limited either: it gathers the key-attention entries of three or
        more key domains (003 §四), whatever domain it is filed under.
        """
        department = self.recognizing_department
        if self.kind == ListKind.BIG_DATA_WARNING and department.is_credit_office:
            return True
        governed = list(department.domains.values_list("pk", flat=True))
        return not governed or self.domain_id in governed


class EntryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NOTIFIED = "notified", _("Notified")
    IN_PUBLICITY = "in_publicity", _("In publicity")
    UNDER_VERIFICATION = "under_verification", _("Under verification")
    AWAITING_SIGNATURE = "awaiting_signature", _("Awaiting signature")
    EFFECTIVE = "effective", _("Effective")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXITED = "exited", _("Exited")


class ExitReason(models.TextChoices):
    """Why an entry ended (000 §十)."""

    CORRECTED = "corrected", _("Found wrong and corrected")  # after an objection, or not
    REPAIRED = "repaired", _("Credit repair")
    REQUESTED = "requested", _("Requested by the subject")
    BLACKLISTED = "blacklisted", _("Blacklisted")
    REPORTED = "reported", _("Report found it undeserved")
    EXPIRED = "expired", _("Validity ended")
    # A derived list's condition fell away (a big-data warning once fewer than three key
    # domains keep key attention, 003 §四): nothing was found wrong.
    CONDITION_NO_LONGER_MET = "condition_no_longer_met", _("No longer meets the listing conditions")


class ListEntry(models.Model):
    """One subject on one list: facts, basis, decision document and its dates."""

    list = models.ForeignKey(
        ListDefinition, verbose_name=_("List"), on_delete=models.PROTECT, related_name="entries"
    )
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("Credit subject"),
        on_delete=models.PROTECT,
        related_name="list_entries",
    )
    state = models.CharField(
        _("State"), max_length=32, choices=EntryState.choices, default=EntryState.DRAFT
    )
    exit_reason = models.CharField(
        _("Exit reason"), max_length=32, choices=ExitReason.choices, blank=True
    )
    facts = models.TextField(_("Facts"))
    basis = models.TextField(_("Basis"))
    # As the department wrote it: published so, a court's case number with its （） (案号).
    decision_document_number = models.CharField(
        _("Decision document number"), max_length=128, blank=True
    )
    # The number's canonical form (``core.document_numbers``), as the records of the decision
    # store theirs: every comparison of the entry's decision with records reads this, so the
    # entry finds its record however either was written (R4, R9). Kept by ``save``; a bulk
    # write sets it itself. Longer than the number, as NFKC may lengthen a character.
    decision_number_key = models.CharField(
        _("Decision number key"), max_length=255, blank=True, default="", db_default="",
        editable=False,
    )  # fmt: skip
    proposed_on = models.DateField(_("Proposed on"))
    publicity_starts_on = models.DateField(_("Publicity starts on"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("Publicity ends on"), null=True, blank=True)
    publicity_workdays = models.PositiveSmallIntegerField(
        _("Publicity working days"), null=True, blank=True,
        help_text=_("The list's period when this publicity started: a later edit of the list "
                    "does not change a period already announced (R1)."),
    )  # fmt: skip
    publicity_ends_provisional = models.BooleanField(
        _("Publicity end is provisional"),
        default=False,
        help_text=_(
            "The end falls in a year whose holiday schedule is not yet published; it is "
            "recomputed when the calendar is updated (R15)."
        ),
    )
    effective_on = models.DateField(_("Effective on"), null=True, blank=True)
    valid_until = models.DateField(_("Valid until"), null=True, blank=True)
    exited_on = models.DateField(_("Exited on"), null=True, blank=True)
    verification_due_on = models.DateField(
        _("Verification due on"), null=True, blank=True,
        help_text=_("An objection is verified within 20 days of its receipt (R6)."),
    )  # fmt: skip
    verification_due_provisional = models.BooleanField(
        _("Verification deadline is provisional"),
        default=False,
        db_default=False,  # rows written by plain SQL (bulk loads) need not name it
        help_text=_(
            "The deadline falls in a year whose holiday schedule is not yet published; it is "
            "recomputed when the calendar is updated (R15)."
        ),
    )
    origin = models.ForeignKey(
        "self", verbose_name=_("Origin"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="consequences",
        help_text=_("The entry this one follows from: key monitoring after a black-list exit, "
                    "a black-list proposal after key attention (R3)."),
    )  # fmt: skip
    # Names, as the decision states them and the measures list names its measures: a code may
    # pass to another measure when the list is loaded again, a stated name never does (a
    # measure renamed restates them: ``services.restate_renamed_measures``). A signed decision
    # keeps what it published: the measures named, else every one that followed when it was
    # signed. Null rather than an empty list by default, so that SQLite adds the column in
    # place: a rebuilt table would break the change feed's trigger (``feed_trigger``), and rows
    # written by plain SQL (bulk loads) need not name it.
    stated_measures = models.JSONField(
        _("Measures the decision states"), null=True, blank=True,
        help_text=_("The measures the signed decision states, by name: only they follow from "
                    "this entry (R1, R10). Empty: no decision stated any (an entry the daily job "
                    "derives, or a decision signed while the measures list had none for it, "
                    "which refers to the list), and every measure of the measures list that "
                    "follows from the list's kind and domain applies."),
    )  # fmt: skip
    channel = models.CharField(_("Announcement channel"), max_length=64, default="credit-portal")
    version = models.PositiveIntegerField(_("Version"), default=1)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("List entry")
        constraints = [
            # One live entry per subject and list: a second proposal waits for the first to end.
            models.UniqueConstraint(
                fields=["list", "subject"],
                condition=~models.Q(state__in=["rejected", "withdrawn", "exited"]),
                name="one_live_entry_per_subject_and_list",
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "state"]),
            models.Index(fields=["state", "valid_until"]),
            models.Index(fields=["state", "publicity_ends_on"]),
            # The public red and black lists and the home page, newest first (R5): a page
            # reads its rows in this order, where a sort read every entry in force.
            models.Index(
                fields=["-effective_on", "-id"], condition=models.Q(state="effective"),
                name="listings_entry_newest",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.list.name}：{self.subject.name}"

    def save(self, *args, **kwargs) -> None:
        self.decision_number_key = canonical_document_number(self.decision_document_number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "decision_document_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "decision_number_key"}
        super().save(*args, **kwargs)

    @property
    def is_in_force(self) -> bool:
        """Counts today: effective, and within its validity through its last day (R4).

        The row's form of ``listings.selectors.in_force``: the daily job records the exit of an
        entry whose validity has ended only when it runs, but from the day after the last day
        the entry no longer counts, whatever its stored state still says.
        """
        return self.state == EntryState.EFFECTIVE and (
            self.valid_until is None or self.valid_until >= clock.today()
        )

    @property
    def awaits_expiry(self) -> bool:
        """Stored as effective, but its validity has ended: no longer in force (R4), its exit
        as expired awaiting the daily job."""
        return self.state == EntryState.EFFECTIVE and not self.is_in_force

    @property
    def state_label(self) -> str:
        """The state as a page shows it: an entry whose validity has ended is never shown as
        effective, before the daily job has recorded its exit as after (R4)."""
        if self.awaits_expiry:
            return gettext("Validity ended, awaiting removal from the list")
        return self.get_state_display()

    @property
    def not_repairable_ruling(self) -> "EntryNotRepairable | None":
        """The ruling of its decision that this entry is not repairable (R8), standing or
        lifted since; None where it has none. Only a decided entry on a list that allows repair
        can carry one (``EntryNotRepairable``): the others are answered without a query."""
        if self.effective_on is None or not self.list.repairable:
            return None
        try:
            return self.not_repairable
        except ObjectDoesNotExist:  # none recorded: EntryNotRepairable.DoesNotExist
            return None

    @property
    def not_repairable_reason(self) -> str:
        """Why its decision ruled out credit repair of this entry (R8), or empty where it did
        not, or where the ruling was lifted since (``services.lift_not_repairable``): a lifted
        ruling rules out nothing, whatever asks."""
        ruling = self.not_repairable_ruling
        return ruling.reason if ruling is not None and not ruling.is_lifted else ""

    @property
    def not_repairable_lifted(self) -> "EntryNotRepairable | None":
        """The ruling that this entry is not repairable, once lifted (R8, 000 §十一.3), with the
        day and the reason; None where there is none, or it stands."""
        ruling = self.not_repairable_ruling
        return ruling if ruling is not None and ruling.is_lifted else None

    @property
    def is_suspended_by_objection(self) -> bool:
        """The entry's own measures pause while an objection to it is verified (R6), and with
        them those reaching every person it names, as they rest on it. A person's objection to
        being named disputes only that naming (``naming_objections``): the subject's listing
        stands meanwhile, and its own objection may be verified beside it."""
        return self._objection_suspends

    @property
    def naming_objections(self) -> "list[ListEntryPerson]":
        """The open objections of persons it names to being named (R6, 004 §二(三)6), one per
        person (its first naming row; every row of the person carries the deadline), in the
        order they are named. Read from ``persons``: prefetch it where many entries are read."""
        seen: dict[int, ListEntryPerson] = {}
        for naming in sorted(self.persons.all(), key=lambda row: row.pk):
            if naming.verification_due_on is not None:
                seen.setdefault(naming.person_id, naming)
        return list(seen.values())

    @property
    def objection_being_verified(self) -> bool:
        """Some objection to it is being verified: its own, or a person's objection to being
        named (R6). An officer's exit that would not answer it, at the subject's request among
        them, waits for its finding (``workflow.ENDS_AN_OBJECTION_UNANSWERED``)."""
        return self.verification_due_on is not None or bool(self.naming_objections)

    def naming_objection_of(self, person_id: int | None) -> "ListEntryPerson | None":
        """The open objection of ``person_id`` to being named in this entry, if any."""
        return next((n for n in self.naming_objections if n.person_id == person_id), None)

    @property
    def is_naming_suspended_by_objection(self) -> bool:
        """Some person it names objects to being named, and the measures reaching that person
        through this entry pause while it is verified (R6, 004 §二(三)6)."""
        return self._naming_objections_suspend and bool(self.naming_objections)

    def is_suspended_for(self, subject_id: int | None) -> bool:
        """Whether the measures this entry brings on ``subject_id``, its own subject or a person
        it names, pause while an objection is verified (R6): the entry's own objection, for
        everyone it reaches; a person's objection to being named, for that person only."""
        if self._objection_suspends:
            return True
        if subject_id is None or subject_id == self.subject_id:
            return False
        return self._naming_objections_suspend and self.naming_objection_of(subject_id) is not None

    @property
    def _objection_suspends(self) -> bool:
        return self.verification_due_on is not None and self._naming_objections_suspend

    @property
    def _naming_objections_suspend(self) -> bool:
        """Whether an objection open now suspends what it disputes: only on an effective entry,
        and where its list says objections do (R6)."""
        return self.state == EntryState.EFFECTIVE and self.list.objection_suspends_measures


class ListEntryEvent(models.Model):
    """One step in an entry's history: append-only, never edited (STYLE: history is rows)."""

    entry = models.ForeignKey(
        ListEntry, verbose_name=_("List entry"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("Action"), max_length=32)
    from_state = models.CharField(_("From state"), max_length=32, blank=True)
    to_state = models.CharField(_("To state"), max_length=32)
    business_date = models.DateField(_("Business date"))
    at = models.DateTimeField(_("Time"), auto_now_add=True)
    actor = models.CharField(_("Actor"), max_length=150)
    reason = models.TextField(_("Reason"), blank=True)
    data = models.JSONField(_("Details"), default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("List entry event")
        ordering = ["entry", "id"]
        indexes = [
            # "Found wrong after its exit" is asked of every entry a statistic counts (R11):
            # the few ``correct`` steps, by entry, without reading the whole history.
            models.Index(
                fields=["entry"], condition=models.Q(action="correct"),
                name="listings_event_correct_idx",
            ),
            # The daily job reads the few reinstatements every run (``catalog.reinstated``).
            models.Index(
                fields=["entry"], condition=models.Q(action="reinstate"),
                name="listings_event_reinstate_idx",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.entry_id} {self.action} {self.from_state}→{self.to_state}"

    @property
    def received_on(self) -> dt.date:
        """An objection's day of receipt (R6): the day a paper one arrived where the officer
        stated it (``services.record_objection``), else the day it was recorded."""
        stated = self.data.get("received_on")
        return dt.date.fromisoformat(stated) if stated else self.business_date


class ChangeFeedItem(models.Model):
    """An event of the change feed and its position in it, given after the event committed.

    A database trigger adds a row, without a position, for every event that may be a change
    (listings/migrations/0006, 0011, 0014); ``listings.feed.assign_positions`` numbers the committed
    ones in order, one numbering at a time. A reader's cursor is a position: an event that
    commits late, whatever its id, is numbered after everything a reader may already have seen.

    The trigger also keeps what the item tells of the entry as it was at the change
    (listings/migrations/0013): a department replaying the feed from an earlier cursor rebuilds
    each step as it happened, not every step with the entry's end as it stands today (R11).
    """

    event = models.OneToOneField(
        ListEntryEvent, verbose_name=_("History event"), on_delete=models.PROTECT,
        primary_key=True, related_name="feed_item",
    )  # fmt: skip
    position = models.BigIntegerField(_("Position"), null=True, blank=True, unique=True)
    valid_until = models.DateField(
        _("Valid until at the change"), null=True, blank=True,
        help_text=_("The entry's last day of validity when the event was written; empty: "
                    "until its exit."),
    )  # fmt: skip
    objection_suspends = models.BooleanField(
        _("Objection suspends measures at the change"), null=True, blank=True,
        help_text=_("For an objection to an effective entry and its conclusion: whether it "
                    "suspends, or resumes, the entry's measures (R6); empty for other events."),
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = _("Change feed item")
        indexes = [
            models.Index(
                fields=["event"], condition=models.Q(position__isnull=True), name="feed_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.event_id}"


class ListEntryPerson(models.Model):
    """A person an organisation's black-list entry names (落实到人, 004 §二(三)6, 002 §十六)."""

    entry = models.ForeignKey(
        ListEntry, verbose_name=_("List entry"), on_delete=models.PROTECT, related_name="persons"
    )
    person = models.ForeignKey(
        Subject, verbose_name=_("Natural person"), on_delete=models.PROTECT,
        related_name="named_in_entries",
    )  # fmt: skip
    role = models.CharField(_("Role"), max_length=32)
    # The person's objection to being named (R6, 004 §二(三)6), verified beside the entry's own
    # objection: set on every row of the person in the entry, cleared when it is decided.
    verification_due_on = models.DateField(
        _("Objection to being named verified by"), null=True, blank=True,
        help_text=_("The person objects to being named in this entry: verified within 20 days "
                    "of its receipt, only the measures reaching the person through the entry "
                    "are suspended meanwhile, not the subject's own (R6)."),
    )  # fmt: skip
    verification_due_provisional = models.BooleanField(
        _("Verification deadline is provisional"),
        default=False,
        db_default=False,  # rows written by plain SQL (bulk loads) need not name it
        help_text=_(
            "The deadline falls in a year whose holiday schedule is not yet published; it is "
            "recomputed when the calendar is updated (R15)."
        ),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("Person named in an entry")
        constraints = [
            models.UniqueConstraint(fields=["entry", "person", "role"], name="entry_person_once")
        ]
        indexes = [
            # The open objections to being named, few among every naming: the daily job counts
            # their deadlines, a calendar change counts them again (R6, R15).
            models.Index(
                fields=["verification_due_on"],
                condition=models.Q(verification_due_on__isnull=False),
                name="listings_naming_objection_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.role} {self.person_id}"

    @property
    def objection_open(self) -> bool:
        """The person's objection to being named is being verified (R6)."""
        return self.verification_due_on is not None

    @property
    def role_label(self) -> str:
        """The role as a person reads it (法定代表人…), or as stored if it is no known role."""
        from xinyong.subjects.models import LinkedPerson

        try:
            return str(LinkedPerson.Role(self.role).label)
        except ValueError:
            return self.role


# The models of the decision side, registered in this app with the tables they always had.
from xinyong.listings import decision_records  # noqa: E402, F401
