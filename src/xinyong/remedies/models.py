"""Objections a credit subject files online, and the evidence it sends with them (R6).

The objection itself is the entry's history event, written by the listing procedure as an
officer's registration is; these rows say which account sent it and keep its evidence files.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.listings.models import ListEntry, ListEntryEvent


class OnlineObjection(models.Model):
    """One objection a subject sent from its own page (R6, 000 §十一.2)."""

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
    sent_at = models.DateTimeField(_("Sent at"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Online objection")
        ordering = ["entry", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.sent_at:%Y-%m-%d}"


class ObjectionEvidence(models.Model):
    """A file sent as evidence; kept in the data directory, given back only to its subject."""

    objection = models.ForeignKey(
        OnlineObjection, verbose_name=_("Online objection"), on_delete=models.PROTECT,
        related_name="evidence",
    )  # fmt: skip
    stored_name = models.CharField(_("Stored name"), max_length=255, unique=True)
    file_name = models.CharField(_("File name"), max_length=255)
    content_type = models.CharField(_("Content type"), max_length=64)
    size = models.PositiveIntegerField(_("Size (bytes)"))

    class Meta:
        verbose_name = verbose_name_plural = _("Objection evidence")
        ordering = ["objection", "id"]

    def __str__(self) -> str:
        return self.file_name
