"""The API's Swagger UI page, from the platform's own copy of its files."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger


class OfflineSwagger(Swagger):
    """django-ninja's Swagger page, always with the files it ships (served as static files).

    django-ninja serves its own copy only when ``ninja`` is an installed app, and otherwise
    writes a page that loads the UI from a CDN, which an intranet does not reach. It is not an
    installed app here (see ``settings.NINJA_DIR``), so this page renders its template itself,
    with the context django-ninja gives it.
    """

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            # The session log-in checks CSRF: the page then sends the token with each call.
            "add_csrf": any(getattr(auth, "csrf", False) for auth in _auths(api)),
        }
        return render(request, self.template, context)


def _auths(api: NinjaAPI) -> list[Any]:
    return list(api.auth) if isinstance(api.auth, (list, tuple)) else []
