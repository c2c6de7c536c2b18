"""What the listing procedure records beside an entry's decision and what it publishes of the
entry (R1, R4, R5, R8, R10): the lenient and prudent treatment weighed when it decided (001 §10),
the ruling that the entry is not repairable and its lifting (R8, 000 §十一.3), and the public
notices of its publicity, decision, exit and corrections.

Models of the ``listings`` app, kept apart from the entries and their history
(``listings.models``, which imports this module so that Django registers them there).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.listings.models import ListEntry


class EntryLeniency(models.Model):
    """What the recognising department weighed under lenient and prudent treatment (宽容审慎)
    when it decided, and how (R10, 001 §10): the grounds of ``core.leniency.GROUNDS``."""

    entry = models.OneToOneField(
        ListEntry, verbose_name=_("List entry"), on_delete=models.PROTECT, primary_key=True,
        related_name="leniency",
    )  # fmt: skip
    grounds = models.JSONField(_("Grounds for leniency"), default=list)
    statement = models.TextField(_("How leniency and prudence were applied"))
    recorded_on = models.DateField(_("Recorded on"))

    class Meta:
        verbose_name = verbose_name_plural = _("Lenient and prudent treatment")

    def __str__(self) -> str:
        return f"{self.entry_id}: {', '.join(self.grounds)}"

    @property
    def ground_labels(self) -> list[str]:
        from xinyong.core.leniency import GROUNDS

        return [GROUNDS.get(code, code) for code in self.grounds]


class EntryNotRepairable(models.Model):
    """The decision, taken when the entry was decided, that it is not repairable (R8: especially
    serious entries may be non-repairable), with its reason. Only on a list whose kind ends by
    repair and that allows it (``services.decision``). The ruling and its reason are never
    changed afterwards, as the decision document and its announcement state them (R1, R5).

    A ruling found wrong (R10: the severity fits the behaviour) is lifted by the recognizing
    department (``services.lift_not_repairable``; 000 §十一.3): the row is kept as decided and
    its lifting recorded beside it, once, with the day and the reason. From then on it rules
    out nothing (``ListEntry.not_repairable_reason``); the history event, the audit row and the
    correction notice that follows the decision notice tell who lifted it and why."""

    entry = models.OneToOneField(
        ListEntry, verbose_name=_("List entry"), on_delete=models.PROTECT, primary_key=True,
        related_name="not_repairable",
    )  # fmt: skip
    reason = models.TextField(_("Why credit repair is not allowed"))
    recorded_on = models.DateField(_("Recorded on"))
    lifted_on = models.DateField(_("Ruling lifted on"), null=True, blank=True)
    lifted_reason = models.TextField(_("Why the ruling was lifted"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Decision that an entry is not repairable")
        constraints = [
            # A lifting has its day and its reason, or neither (services.lift_not_repairable).
            models.CheckConstraint(
                condition=(models.Q(lifted_on__isnull=True) & models.Q(lifted_reason=""))
                | (models.Q(lifted_on__isnull=False) & ~models.Q(lifted_reason="")),
                name="not_repairable_lifted_with_day_and_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.reason}"

    @property
    def is_lifted(self) -> bool:
        return self.lifted_on is not None


class Announcement(models.Model):
    """A public notice (公告): publicity, decision, exit or correction (R1, R4, R5).

    The body is the public text, personal data already masked; an exit or a correction is
    published on the channel of the announcement it follows.
    """

    class Kind(models.TextChoices):
        PUBLICITY = "publicity", _("Publicity notice")
        # The end a running publicity notice announced moved with a change of the holiday
        # schedule (R1, R15): the new end is announced on the notice's channel.
        PUBLICITY_AMENDED = "amended", _("Publicity period amended")
        DECISION = "decision", _("Listing decision")
        EXIT = "exit", _("Exit announcement")
        CORRECTION = "correction", _("Correction")
        # The correction of a ruling that the entry is not repairable, lifted while the entry
        # stays in force (R8, 000 §十一.3): it quotes the listing, so it is public only while the
        # decision notice is (R5, R8), where other corrections stay published.
        RULING_LIFTED = "ruling-lifted", _("Correction of a not-repairable ruling")

    entry = models.ForeignKey(
        ListEntry, verbose_name=_("List entry"), on_delete=models.PROTECT,
        related_name="announcements",
    )  # fmt: skip
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("Channel"), max_length=64)
    published_on = models.DateField(_("Published on"))
    title = models.CharField(_("Title"), max_length=255)
    body = models.TextField(_("Text"))
    follows = models.ForeignKey(
        "self", verbose_name=_("Follows"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = verbose_name_plural = _("Announcement")
        ordering = ["-published_on", "-id"]
        # The portal pages its announcements newest first: read in this order, a page is a
        # few rows of the index, not a sort of every announcement.
        indexes = [
            models.Index(fields=["-published_on", "-id"], name="listings_announcement_newest")
        ]

    def __str__(self) -> str:
        return self.title
