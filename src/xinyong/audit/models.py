"""The append-only, hash-chained audit trail (R14).

Each row carries the hash of the row before it, so an edited, deleted or reordered row breaks
the chain; the head row remembers the length and last hash, so a deleted tail is seen too.
Database triggers (see the migrations) refuse UPDATE and DELETE on the rows themselves.
"""

from django.db import models
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
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The single row that serializes appends and remembers the end of the chain."""

    length = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = _("Audit chain head")

    def __str__(self) -> str:
        return f"{self.length} rows, last {self.last_hash[:12]}"
