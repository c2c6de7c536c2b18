"""Warning before a signed-in session ends for want of use (WCAG 2.2.1, GB/T 37668: a time
limit the user can extend).

A session ends ``SESSION_COOKIE_AGE`` seconds after the last request (30 minutes by default,
``XINYONG_SESSION_MINUTES``). An officer writing a finding, or a subject writing the grounds of an
objection, could lose what was typed when submitting after a pause. Every page of a signed-in
user carries the session's length (``session_timing``); ``access/session.js`` warns two minutes
before the end and offers to go on, which asks ``session_alive``: any request renews the session
(``SESSION_SAVE_EVERY_REQUEST``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def session_timing(request: HttpRequest) -> dict[str, int]:
    """The seconds a signed-in user's session lasts without a request; nothing when signed out."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"session_seconds": settings.SESSION_COOKIE_AGE}


@never_cache
@require_GET
def session_alive(request: HttpRequest) -> HttpResponse:
    """204 while the session lasts (this very request renews it), 401 once it has ended."""
    return HttpResponse(status=204 if request.user.is_authenticated else 401)
