"""Accounts of credit subjects: a person or an organisation that logs in to see itself (R14)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectAccount(models.Model):
    """An account that acts for one credit subject and sees only that subject's data.

    An organisation may have several accounts (its staff); an account acts for one subject.
    """

    user = models.OneToOneField(
        "auth.User",
        verbose_name=_("Account"),
        on_delete=models.CASCADE,
        related_name="subject_account",
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("Credit subject"),
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Credit subject account")

    def __str__(self) -> str:
        return f"{self.user.get_username()} → {self.subject.name}"
