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
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
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


def _draw_token() -> str:
    """A new clear token whose prefix cannot be read as an option.

    ``token_urlsafe`` starts one token in 64 with ``-``, and ``xinyong token revoke -Ab3…``
    is then an unknown option to the command line. Such draws are thrown away and drawn again,
    which keeps the others equally likely.
    """
    while True:
        body = secrets.token_urlsafe(40)
        if not body.startswith("-"):
            return TOKEN_PREFIX + body


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
    officer, placed = Officer.objects.get_or_create(user=user, defaults={"department": department})
    if officer.department_id != department.pk:
        raise _account_of_another_department(user, officer.department, department)
    if created or placed:
        audit.record(
            actor=actor, action="access.system_account", obj=user,
            after={"username": user.username, "department": department.code},
        )  # fmt: skip
    return user


def _account_of_another_department(user, owner: Department, asked: Department) -> XinyongError:
    """``system:CODE`` acts for the department it was made for, even once that department is
    re-coded and the code given to another (R14).

    Refused rather than moved: the account's tokens are in the first department's systems, and
    moving the account would let them act for the new department at once. Renaming the account
    after its department's new code (in the admin) frees the name for the new department.
    """
    return XinyongError(
        "system-account-taken",
        f"系统账户 {user.get_username()} 属于部门 {owner.code}（{owner.name}），"
        f"不能用于部门 {asked.code}（{asked.name}）；"
        f"请先在管理后台将该账户更名为 {SYSTEM_ACCOUNT_PREFIX}{owner.code}",
        status=409,
    )


def _check_rate(rate_per_minute: int | None) -> None:
    """A budget is at least one call a minute; empty means the platform's default (R14).

    Zero once meant the default by accident; a token meant to make no calls is revoked.
    """
    if rate_per_minute is not None and rate_per_minute < 1:
        raise XinyongError(
            "invalid-rate-per-minute",
            f"每分钟调用次数须为不小于 1 的整数（收到 {rate_per_minute}）；"
            "留空则使用平台默认值，停用令牌请撤销",
        )


def _check_validity(valid_days: int | None) -> None:
    """Days from now; empty or 0 is no expiry. A negative count made a token dead on arrival."""
    if valid_days is not None and valid_days < 0:
        raise XinyongError(
            "invalid-valid-days", f"有效天数不能为负数（收到 {valid_days}）；0 表示长期有效"
        )


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
    _check_rate(rate_per_minute)
    _check_validity(valid_days)
    token = _draw_token()
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


@dataclass(frozen=True)
class Bearer:
    """What an API request's ``Authorization`` header presents, read once per request.

    ``presented``: the header names the Bearer scheme, so the call is a token call whatever
    else the request carries (a session cookie). ``record``: the live token, or None when the
    value is missing, unknown, expired or revoked.
    """

    presented: bool
    record: ApiToken | None = None


NO_BEARER = Bearer(presented=False)
# A call that presents a token that does not authenticate: refused, whatever session it has.
INVALID_TOKEN = (
    "authentication-required",
    "访问令牌无效、已过期或已撤销；带令牌的请求不以登录会话代替",
)
_REQUEST_BEARER = "_xinyong_bearer"


def bearer_of(request: HttpRequest) -> Bearer:
    """The one reading of a request's bearer token (R14): the access middleware judges the role
    and ``TokenAuth`` runs the operation on this same answer, kept on the request.

    RFC 6750 lets one or more spaces follow the scheme, whose name is case-insensitive; both
    are read here and nowhere else.
    """
    found = getattr(request, _REQUEST_BEARER, None)
    if found is None:
        found = _read_bearer(request.META.get("HTTP_AUTHORIZATION", ""))
        setattr(request, _REQUEST_BEARER, found)
    return found


def _read_bearer(header: str) -> Bearer:
    scheme, *value = header.split(None, 1) or [""]
    if scheme.lower() != "bearer":
        return NO_BEARER
    token = value[0].strip() if value else ""
    return Bearer(presented=True, record=authenticate(token) if token else None)


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
