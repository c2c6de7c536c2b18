"""What the portal's pages show depends on who is looking: a credit subject has its own record."""

from typing import Any

from django import template

from xinyong.access.roles import Role, role_of

register = template.Library()


@register.filter
def acts_for_a_subject(user: Any) -> bool:
    """Whether the account is a credit subject's (``SubjectAccount``), which alone has a record
    at /my/. The role is the one the access layer found for the request, kept on the account."""
    return role_of(user) is Role.SUBJECT
