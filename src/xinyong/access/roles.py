"""The roles of R14 and how an account's role is found.

A role is derived from data the platform already keeps, never stored twice:

- a superuser, or a member of the group ``credit_admin`` who is an officer of a credit office,
  is a credit-office administrator; a member of ``credit_reviewer`` in a credit office, a reviewer;
- an officer whose account is a department's system account (``system:<code>``) of an
  implementing department is that department's system;
- another officer who may sign (``may_sign``) is a signing officer, any other officer a
  recognizing officer;
- an account linked to a credit subject (``SubjectAccount``) is that subject;
- anyone else, logged in or not, is the public.

Token callers are resolved once per cached token (the role is kept on the cached account object),
so the check API pays no database round trip for it. A token call's account object carries its
token (``bind_token``): whether it may sign is the token's, never shared by the account's other
tokens.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

ADMIN_GROUP = "credit_admin"
REVIEWER_GROUP = "credit_reviewer"
SYSTEM_ACCOUNT_PREFIX = "system:"
_CACHED_ROLE = "_xinyong_role"
_BOUND_TOKEN = "_xinyong_token"


class Role(models.TextChoices):
    PUBLIC = "public", _("Public")
    SUBJECT = "subject", _("Credit subject")
    RECOGNIZING_OFFICER = "recognizing_officer", _("Recognizing-department officer")
    SIGNING_OFFICER = "signing_officer", _("Signing officer")
    IMPLEMENTING_SYSTEM = "implementing_system", _("Implementing-department system")
    CREDIT_REVIEWER = "credit_reviewer", _("Credit-office reviewer")
    CREDIT_ADMIN = "credit_admin", _("Credit-office administrator")


def role_of(user: Any) -> Role:
    """The role this account acts in (R14); the public for anonymous or inactive callers."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Role.PUBLIC
    cached = getattr(user, _CACHED_ROLE, None)
    if cached is None:
        cached = _derive(user)
        setattr(user, _CACHED_ROLE, cached)
    return cached


def _derive(user: Any) -> Role:
    if user.is_superuser:
        return Role.CREDIT_ADMIN
    officer = _officer_of(user)
    if officer is not None:
        return _officer_role(user, officer)
    if _has_subject_account(user):
        return Role.SUBJECT
    return Role.PUBLIC


def _officer_role(user: Any, officer: Any) -> Role:
    department = officer.department
    if department.is_credit_office:
        groups = set(user.groups.values_list("name", flat=True))
        if ADMIN_GROUP in groups:
            return Role.CREDIT_ADMIN
        if REVIEWER_GROUP in groups:
            return Role.CREDIT_REVIEWER
    system = user.get_username().startswith(SYSTEM_ACCOUNT_PREFIX)
    if system and department.is_implementing and not _for_its_case_system(user, department):
        return Role.IMPLEMENTING_SYSTEM
    return Role.SIGNING_OFFICER if may_sign(user) else Role.RECOGNIZING_OFFICER


def _for_its_case_system(user: Any, department: Any) -> bool:
    """Whether a system account acts, through the token bound to it, as its department's case
    system rather than as the system that checks (R14: what a token may do follows from what
    it was made for). Most recognizing departments also implement measures: a token made with
    scenarios checks in them; one made with none, which could check nowhere, serves the
    department's own listings, repairs, reports and objections (and signs if made to)."""
    token = getattr(user, _BOUND_TOKEN, None)
    if token is None or not department.is_recognizing:
        return False
    return not token.scenarios


def bind_token(user: Any, token: Any) -> None:
    """Mark ``user``, the account object a token call acts as, as acting through ``token``.

    Only for the object the token's own lookup loaded: another object of the same account (the
    same department's system with another token) is not changed.
    """
    setattr(user, _BOUND_TOKEN, token)
    user.__dict__.pop(_CACHED_ROLE, None)


def may_sign(user: Any) -> bool:
    """Whether this account may sign as it acts now (R14).

    Through a token, only when the token was created to sign: a department's system account signs
    through such tokens alone, and a person's token also needs the person to sign still. Without a
    token, an officer who may sign; a system account never does.
    """
    # Any actor a service is given: an account, anonymous, or a job's name.
    officer = getattr(user, "officer", None)  # a missing officer row raises an AttributeError
    if officer is None:
        return False
    token = getattr(user, _BOUND_TOKEN, None)
    if user.get_username().startswith(SYSTEM_ACCOUNT_PREFIX):
        return bool(token is not None and token.can_sign)
    return bool(officer.can_sign and (token is None or token.can_sign))


def _officer_of(user: Any) -> Any:
    from xinyong.subjects.models import Officer

    try:
        return user.officer
    except Officer.DoesNotExist:
        return None


def _has_subject_account(user: Any) -> bool:
    from xinyong.access.models import SubjectAccount

    try:
        user.subject_account  # noqa: B018 - the reverse one-to-one raises when absent
    except SubjectAccount.DoesNotExist:
        return False
    return True


def subject_of(user: Any) -> Any:
    """The credit subject a subject account acts for, or None."""
    from xinyong.access.models import SubjectAccount

    try:
        return user.subject_account.subject
    except (SubjectAccount.DoesNotExist, AttributeError):
        return None
