"""The answers Django and django-ninja write themselves under the API: JSON, in Chinese.

A path under ``/api/`` that names no operation gets the portal's HTML 404 page from Django's
URL resolution, a method an operation does not take gets django-ninja's plain-text "Method not
allowed", and a request Django refuses before any view runs (a bad ``Host``) its HTML 400 page.
A client of the API reads every other refusal as ``{"code", "message"}`` (README), so those
become the same shape here, keeping their status and headers (``Allow`` on a 405).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from xinyong.api import invalid

API_PREFIX = "/api/"


class ApiRefusalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith(API_PREFIX) or not 400 <= response.status_code < 500:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        refusal = JsonResponse(
            invalid.http_refusal(response.status_code),
            status=response.status_code,
            json_dumps_params={"ensure_ascii": False},
        )
        for header, value in response.items():
            if header.lower() not in {"content-type", "content-length"}:
                refusal[header] = value
        refusal.cookies = response.cookies
        return refusal
