"""Who is calling: a logged-in person (session, with CSRF) or a system (bearer token)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from xinyong.api import ratelimit, tokens
from xinyong.core.errors import XinyongError

CSRF_FAILED = (
    "csrf-failed",
    "跨站请求校验（CSRF）未通过：请在请求头 X-CSRFToken 中附上 csrftoken Cookie 的值后重试",
)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        record = tokens.authenticate(token)
        if record is None:
            return None
        ratelimit.charge(record)
        request.api_token = record
        request.user = record.user
        return record.user


class OfficerSessionAuth(SessionAuth):
    """A person logged in to the back office; CSRF applies to every unsafe method."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # django-ninja refuses a failed CSRF check as a bare 403, which the API would answer
        # as "no right to do this": the officer has the right, the request lacks its token.
        try:
            return super()._get_key(request)
        except HttpError as refused:
            if refused.status_code == 403:
                raise XinyongError(*CSRF_FAILED, status=403) from refused
            raise


API_AUTH = [TokenAuth(), OfficerSessionAuth()]
