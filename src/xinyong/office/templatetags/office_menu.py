"""The back office's menu in its layout: only the links the request's role may open (R14)."""

from typing import Any

from django import template

from xinyong.office import menu

register = template.Library()


@register.simple_tag(takes_context=True)
def office_menu(context: Any) -> list[menu.Link]:
    """The links of ``menu.MENU`` the request's role may open, in order; none without a
    request (a template rendered outside one)."""
    request = context.get("request")
    return [] if request is None else menu.links(request)


@register.simple_tag(takes_context=True)
def office_may_open(context: Any, route: str) -> bool:
    """Whether the request's role may open ``route``'s page (``menu.may_open``)."""
    request = context.get("request")
    return request is not None and menu.may_open(request, route)
