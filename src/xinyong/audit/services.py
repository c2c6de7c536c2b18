"""Writing the audit trail: every service's write leaves exactly one row (R14)."""

from __future__ import annotations

import json
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from xinyong.audit.chain import GENESIS_HASH, row_hash
from xinyong.audit.models import AuditChainHead, AuditEntry

SYSTEM_ACTOR = "system"


def _json_safe(value: Any) -> Any:
    """What a JSON column gives back, so the hash taken now matches the one verified later."""
    if value is None:
        return None
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def describe_actor(actor: Any) -> tuple[str, str]:
    """(account name, department code) of a user, an officer or a plain label such as 'system'."""
    if actor is None:
        return SYSTEM_ACTOR, ""
    if isinstance(actor, str):
        return actor, ""
    officer = getattr(actor, "officer", None) if hasattr(actor, "get_username") else actor
    user = actor if hasattr(actor, "get_username") else actor.user
    department = officer.department.code if officer is not None else ""
    return user.get_username(), department


@transaction.atomic
def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | tuple[str, str],
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one row to the chain, inside the caller's transaction.

    The head row is updated first: that takes the write lock on both PostgreSQL (row lock) and
    SQLite (database lock), so concurrent writers append one after another.
    """
    if isinstance(obj, tuple):
        object_type, object_id = obj
    else:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
    AuditChainHead.objects.filter(pk=1).update(length=F("length") + 1)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"length": 1, "last_hash": GENESIS_HASH}
    )
    username, department = describe_actor(actor)
    fields: dict[str, Any] = {
        "seq": head.length,
        "at": timezone.now(),
        "actor": username,
        "department": department,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "before": _json_safe(before),
        "after": _json_safe(after),
        "reason": reason,
        "prev_hash": head.last_hash,
    }
    fields["hash"] = row_hash(fields)
    entry = AuditEntry.objects.create(**fields)
    AuditChainHead.objects.filter(pk=1).update(last_hash=entry.hash)
    return entry
