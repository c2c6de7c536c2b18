"""The one place a call is allowed or refused by the authorization matrix (R14).

Runs after URL resolution (``process_view``): the route's row and the caller's role decide.
A route with no row is refused and logged, so a new route is closed until its row is written.
A scope cell (``own``, ``department``) lets the call through to the view, whose selectors and
services narrow what it sees. Static files never get here: they are served before resolution.

Every refusal made here carries the header ``X-Access-Refused`` (``unauthenticated``,
``denied`` or ``unlisted``), which a view's own 403 or 404 never does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render, resolve_url

from xinyong.access import matrix, routes
from xinyong.access.roles import Role, role_of
from xinyong.api import tokens
from xinyong.core.errors import XinyongError

logger = logging.getLogger("xinyong.access")

REFUSAL_HEADER = "X-Access-Refused"
LOGIN_BY_NAMESPACE = {"admin": "admin:login", "portal": "portal:login"}
PORTAL_NAMESPACES = {"portal"}

UNAUTHENTICATED = XinyongError(
    "authentication-required", "请先登录，或提供有效的访问令牌", status=401
)
INVALID_TOKEN = XinyongError(*tokens.INVALID_TOKEN, status=401)
DENIED = XinyongError("access-denied", "当前角色无权使用此功能", status=403)
UNLISTED = XinyongError("route-not-authorized", "此功能未列入授权矩阵，已拒绝访问", status=403)


def caller_role(request: HttpRequest, *, api: bool) -> Role:
    """The caller's role: an API call's bearer token when it presents one, else the logged-in
    account.

    The token is read once per request by ``tokens.bearer_of``, whose answer ``TokenAuth``
    runs the operation on, so the role judged here is the account the operation acts as. Live
    tokens are kept in the process with their role: no database round trip per call.
    """
    if api:
        bearer = tokens.bearer_of(request)
        if bearer.presented:
            return role_of(bearer.record.user if bearer.record else None)
    return role_of(getattr(request, "user", None))


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        matrix.load()  # a malformed matrix stops the start-up, not the first call

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        api = routes.is_api(match)
        name = routes.route_name(match, request.method)
        if name is None:
            # An API path with no operation for this method: the API answers 405 itself and
            # no operation runs.
            return None
        if api and _presents_a_dead_token(request):
            # A call that presents a token acts as that token or not at all: the browser's
            # session never answers in its place (R14).
            return _refuse(request, api, INVALID_TOKEN, "unauthenticated", match.namespaces)
        role = caller_role(request, api=api)
        request.access_role = role  # the refusal page too shows only what the role may use
        cell = matrix.load().cell(name, request.method, role)
        if cell is None:
            logger.warning(
                "refused %s %s: the route has no row in the matrix", request.method, name
            )
            return _refuse(request, api, UNLISTED, "unlisted", match.namespaces)
        if cell.lets_through:
            request.access_scope = cell
            return None
        logger.info("refused %s %s to role %s", request.method, name, role.value)
        if role is Role.PUBLIC:
            return _refuse(request, api, UNAUTHENTICATED, "unauthenticated", match.namespaces)
        return _refuse(request, api, DENIED, "denied", match.namespaces)


def _presents_a_dead_token(request: HttpRequest) -> bool:
    bearer = tokens.bearer_of(request)
    return bearer.presented and bearer.record is None


def _refuse(
    request: HttpRequest, api: bool, error: XinyongError, reason: str, namespaces: list[str]
) -> HttpResponse:
    namespace = namespaces[0] if namespaces else ""
    response: HttpResponse
    if api:
        response = JsonResponse(error.as_dict(), status=error.status)
        if error.status == 401:
            response["WWW-Authenticate"] = "Bearer"
    elif reason == "unauthenticated":
        login = resolve_url(LOGIN_BY_NAMESPACE.get(namespace, settings.LOGIN_URL))
        response = redirect_to_login(request.get_full_path(), login)
    else:
        base = "portal/base.html" if namespace in PORTAL_NAMESPACES else "office/base.html"
        response = render(
            request, "access/refused.html", {"error": error, "base": base}, status=error.status
        )
    response[REFUSAL_HEADER] = reason
    return response
