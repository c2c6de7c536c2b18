"""The platform's own pages for refusals that happen before any view: an oversized upload, a
missing or stale CSRF token, a locked log-in (R14; 等保 level 3 asks for log-in throttling).

Each is shown in the layout of the side of the platform it was reached from, with a way back
into that side: the back office (``/office/``, ``/admin/``) or the public portal.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

OFFICE_PREFIXES = ("/office/", "/admin/")


def _side(request: HttpRequest) -> dict[str, str]:
    """The layout and the way back of the side ``request`` was made on."""
    path = request.path_info
    if path.startswith("/admin/"):
        return {"layout": "office/base.html", "home": "admin:index", "login": "admin:login"}
    if path.startswith("/office/"):
        return {"layout": "office/base.html", "home": "office:home", "login": "office:login"}
    return {"layout": "portal/base.html", "home": "portal:home", "login": "portal:login"}


def upload_too_large(request: HttpRequest, *, declared: int, limit: int) -> HttpResponse:
    """413 for a page's form: the limit in MB, and a way back to the form."""
    context = {**_side(request), "limit_mb": max(1, limit // (1024 * 1024)),
               "declared_mb": -(-declared // (1024 * 1024))}  # fmt: skip
    return render(request, "security/upload_too_large.html", context, status=413)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form was older than the session (or the cookie was lost); the
    reason stays in the log Django writes, not on the page."""
    return render(request, "security/csrf_failure.html", _side(request), status=403)


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the lockout page in the layout of the log-in that was locked."""
    from axes.helpers import get_client_username, get_cool_off, get_failure_limit

    context: dict[str, Any] = {
        **_side(request),
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_timedelta": get_cool_off(request),
    }
    return render(
        request, "security/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
