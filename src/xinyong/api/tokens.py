"""Creating, checking and revoking API tokens.

Departments' systems call many times a second with the same few tokens, so each process keeps
a live token, with its account, officer and department, for ``AUTH_CACHE_SECONDS`` after reading
it (keyed by the digest; the clear token is never kept). The cost, stated here because it is a
rule's timing: a revocation, a deactivated account or an officer moved to another department
takes effect in the other serving processes within ``AUTH_CACHE_SECONDS``. In the process where
it is saved, it takes effect at once: saving or deleting a token, an account, an officer or a
department empties that process's cache. A token's expiry is compared on every call; unknown,
expired and revoked tokens are never cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from xinyong.access import roles
from xinyong.api.models import ApiToken
from xinyong.audit import services as audit
from xinyong.core.errors import XinyongError
from xinyong.subjects.models import Department, Officer

TOKEN_PREFIX = "xy_"
AUTH_CACHE_SECONDS = 10.0
AUTH_CACHE_SIZE = 1024  # live tokens per process; a full cache is emptied, never grown

# digest -> (when read, on the monotonic clock; the token with its account and department)
_live: dict[str, tuple[float, ApiToken]] = {}
_monotonic = time.monotonic  # the clock the cache ages by; tests move it


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# A department's system account is named after the department's code: ``system:scjg``.
SYSTEM_ACCOUNT_PREFIX = "system:"


@transaction.atomic
def system_account(department: Department, *, actor: Any = "platform"):
    """The account a department's system acts as: one per department, no password.

    What the system may do beyond its role is each token's (``ApiToken.can_sign``), so getting
    the account never changes a right of a token made for it earlier. Made the first time it
    is needed, with its officer row and one audit row, in one transaction (R14).
    """
    user, created = get_user_model().objects.get_or_create(
        username=f"{SYSTEM_ACCOUNT_PREFIX}{department.code}", defaults={"is_active": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    _, placed = Officer.objects.get_or_create(user=user, defaults={"department": department})
    if created or placed:
        audit.record(
            actor=actor, action="access.system_account", obj=user,
            after={"username": user.username, "department": department.code},
        )  # fmt: skip
    return user


@transaction.atomic
def create_token(
    *,
    actor: Any,
    user,
    scenarios: list[str] | None = None,
    valid_days: int | None = 365,
    description: str = "",
    rate_per_minute: int | None = None,
    can_sign: bool = False,
) -> tuple[str, ApiToken]:
    """A new token for ``user``; the clear token is returned here and never again.

    ``can_sign`` is this token's alone (a person's token signs only while the person may too);
    the account's other tokens keep theirs.
    """
    token = TOKEN_PREFIX + secrets.token_urlsafe(40)
    expires = timezone.now() + dt.timedelta(days=valid_days) if valid_days else None
    record = ApiToken.objects.create(
        prefix=token[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8], digest=digest(token), user=user,
        scenarios=sorted(set(scenarios or [])), expires_at=expires, description=description,
        rate_per_minute=rate_per_minute, can_sign=can_sign,
    )  # fmt: skip
    audit.record(
        actor=actor, action="token.create", obj=record,
        after={"prefix": record.prefix, "user": user.get_username(), "scenarios": record.scenarios,
               "expires_at": expires, "rate_per_minute": rate_per_minute, "can_sign": can_sign},
    )  # fmt: skip
    return token, record


def authenticate(token: str) -> ApiToken | None:
    """The live token with this value, or None (unknown, expired or revoked).

    Read from this process's cache when it was read less than ``AUTH_CACHE_SECONDS`` ago (see
    the module docstring for what that delays); its expiry is compared every time.
    """
    if not token.startswith(TOKEN_PREFIX):
        return None
    key = digest(token)
    now = timezone.now()
    cached = _live.get(key)
    if cached is not None:
        read_at, record = cached
        fresh = _monotonic() - read_at < AUTH_CACHE_SECONDS
        if fresh and (record.expires_at is None or record.expires_at > now):
            return record
        _live.pop(key, None)
    record = (
        ApiToken.objects.select_related("user__officer__department")
        .filter(digest=key, revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if record is not None:
        # This account object is this token's alone (loaded with it), so it carries the token:
        # the role and signing right of the call are the token's.
        roles.bind_token(record.user, record)
        if len(_live) >= AUTH_CACHE_SIZE:
            _live.clear()
        _live[key] = (_monotonic(), record)
    return record


def forget_cached_tokens(**_: Any) -> None:
    """Empty this process's token cache: the next call of every token reads the database."""
    _live.clear()


# Whatever decides whether a token is live, or what its caller may do, empties the cache of the
# process that saves it; the other processes see it within AUTH_CACHE_SECONDS.
for _model in (ApiToken, get_user_model(), Officer, Department):
    post_save.connect(forget_cached_tokens, sender=_model, dispatch_uid=f"tokens-{_model.__name__}")
    post_delete.connect(
        forget_cached_tokens, sender=_model, dispatch_uid=f"tokens-del-{_model.__name__}"
    )


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
