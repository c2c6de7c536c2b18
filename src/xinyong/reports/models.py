"""Reports (举报) that a red-list subject does not deserve its entry (R7, 000 §十一.1, 002 §十九).

The reporter's name and contact are kept only sealed (``reporter_sealed``): pages, answers,
announcements, history events and audit rows carry the report's number, never the identity.
The look-up code is kept only as a keyed digest, as a password is. So is the token the report
form carried: a form sent twice (a double click, a refreshed receipt page) finds the report its
first sending made, and the look-up code is derived from that token, so the second answer shows
the same receipt without the code ever being stored in clear.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.listings.models import ListEntry


class ReportState(models.TextChoices):
    RECEIVED = "received", _("Received, under verification")
    FOUNDED = "founded", _("Founded")
    UNFOUNDED = "unfounded", _("Unfounded")
    # The entry left the red list another way (expiry, the subject's request, a black listing)
    # before the report was decided: nothing is left to verify against (R4).
    CLOSED = "closed", _("Closed: the entry had already ended")


class RedListReport(models.Model):
    """One report against one red-list entry in force, and the department's decision on it."""

    entry = models.ForeignKey(
        ListEntry, verbose_name=_("List entry"), on_delete=models.PROTECT, related_name="reports"
    )
    number = models.CharField(_("Receipt number"), max_length=32, unique=True)
    code_digest = models.CharField(_("Look-up code digest"), max_length=64)
    facts = models.TextField(_("Facts reported"))
    evidence = models.TextField(_("Evidence"), blank=True)
    reporter_sealed = models.TextField(_("Reporter (encrypted)"))
    state = models.CharField(
        _("State"), max_length=16, choices=ReportState.choices, default=ReportState.RECEIVED
    )
    received_on = models.DateField(_("Received on"))
    decided_on = models.DateField(_("Decided on"), null=True, blank=True)
    reasons = models.TextField(_("Reasons of the decision"), blank=True)
    received_at = models.DateTimeField(_("Received at"), auto_now_add=True)
    # The keyed digest of the form's token, never the token: unique among the reports whose
    # form carried one (one report per form sent). NULL rather than "" on the reports taken
    # before, so that the unique constraint leaves them out on every database.
    form_token_digest = models.CharField(  # noqa: DJ001 (NULL: see above)
        _("Form token digest"), max_length=64, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = verbose_name_plural = _("Report on a red-list entry")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["entry", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["form_token_digest"], condition=models.Q(form_token_digest__isnull=False),
                name="report_one_per_form_token",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.number
