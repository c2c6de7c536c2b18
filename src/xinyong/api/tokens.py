"""Creating, checking and revoking API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xinyong.api.models import ApiToken
from xinyong.audit import services as audit
from xinyong.core.errors import XinyongError
from xinyong.subjects.models import Department, Officer

TOKEN_PREFIX = "xy_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def system_account(department: Department, *, can_sign: bool = False):
    """The account a department's system acts as: one per department, no password."""
    user, created = get_user_model().objects.get_or_create(
        username=f"system:{department.code}", defaults={"is_active": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Officer.objects.update_or_create(
        user=user, defaults={"department": department, "can_sign": can_sign}
    )
    return user


@transaction.atomic
def create_token(
    *,
    actor: Any,
    user,
    scenarios: list[str] | None = None,
    valid_days: int | None = 365,
    description: str = "",
) -> tuple[str, ApiToken]:
    """A new token for ``user``; the clear token is returned here and never again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(40)
    expires = timezone.now() + dt.timedelta(days=valid_days) if valid_days else None
    record = ApiToken.objects.create(
        prefix=token[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8], digest=digest(token), user=user,
        scenarios=sorted(set(scenarios or [])), expires_at=expires, description=description,
    )  # fmt: skip
    audit.record(
        actor=actor, action="token.create", obj=record,
        after={"prefix": record.prefix, "user": user.get_username(), "scenarios": record.scenarios,
               "expires_at": expires},
    )  # fmt: skip
    return token, record


def authenticate(token: str) -> ApiToken | None:
    """The live token with this value, or None (unknown, expired or revoked)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    record = (
        ApiToken.objects.select_related("user__officer__department")
        .filter(digest=digest(token), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    return record


@transaction.atomic
def revoke_token(*, actor: Any, prefix: str) -> ApiToken:
    record = ApiToken.objects.select_for_update().filter(prefix=prefix).first()
    if record is None:
        raise XinyongError("token-not-found", f"令牌不存在：{prefix}", status=404)
    if record.revoked_at is None:
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="token.revoke", obj=record, after={"prefix": prefix})
    return record
