"""API tokens for departments' systems: only a digest is stored; shown once when created."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token acting as one account (an officer or a department's system account).

    The token is 40 random bytes; its SHA-256 digest is what is kept, so a leaked table
    yields no usable token. ``prefix`` identifies it in lists and logs.

    ``can_sign`` is the token's own: two tokens of one department's system account may differ
    (one signs, one only reads), and creating one never changes another (R14).
    """

    prefix = models.CharField(_("Prefix"), max_length=12, unique=True)
    digest = models.CharField(_("Digest"), max_length=64, unique=True)
    user = models.ForeignKey(
        "auth.User", verbose_name=_("Account"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    scenarios = models.JSONField(_("Scenarios"), default=list, blank=True)
    description = models.CharField(_("Description"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("Expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("Last used at"), null=True, blank=True)
    rate_per_minute = models.PositiveIntegerField(
        _("Calls per minute"),
        null=True,
        blank=True,
        help_text=_("Empty: the platform's default budget."),
    )
    can_sign = models.BooleanField(
        _("May sign"),
        default=False,
        help_text=_("Calls with this token may sign; a person's token only while the person may."),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("API token")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.get_username()})"
