"""The back office's menu: a link shows only to a role the authorization matrix lets open its
page (R14), decided by the same row that guards the page, so no link leads to a refusal."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xinyong.access import matrix
from xinyong.access.roles import role_of

# The menu's routes, in the order the menu shows them.
MENU = (
    ("office:worklist", _("My worklist")),
    ("office:repairs", _("Credit repair")),
    ("office:reports:list", _("Red-list reports")),
    ("office:record-objections", _("Objections to records")),
    ("office:imports:list", _("Imports")),
    ("office:submissions:list", _("Submission lists")),
    ("office:subjects", _("Subject look-up")),
    ("office:queries", _("Query registrations")),
    ("office:joint-statistics", _("Joint reward and punishment")),
)


@dataclass(frozen=True)
class Link:
    route: str
    url: str
    label: str


def may_open(request: HttpRequest, route: str) -> bool:
    """Whether the caller's role may open ``route``'s page: the row that guards that page
    decides here too, so a link is never shown to someone the page would refuse (R14)."""
    role = getattr(request, "access_role", None) or role_of(request.user)
    cell = matrix.load().cell(route, "GET", role)
    return cell is not None and cell.lets_through


def links(request: HttpRequest) -> list[Link]:
    """The menu's links the caller's role may open, in the menu's order (R14)."""
    return [
        Link(route=route, url=reverse(route), label=str(label))
        for route, label in MENU
        if may_open(request, route)
    ]
