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
    """A department's system (or a person) calling with a bearer token (R14).

    The header is read by ``tokens.bearer_of``, once per request and as the access middleware
    read it to judge the role, not by django-ninja's own parsing, which reads ``Bearer  <token>``
    otherwise. A call that presents a token that does not authenticate is refused here, so the
    session auth that follows never answers for it.
    """

    def __call__(self, request: HttpRequest) -> Any:
        bearer = tokens.bearer_of(request)
        if not bearer.presented:
            return None  # not a token call: the session may answer
        if bearer.record is None:
            raise XinyongError(*tokens.INVALID_TOKEN, status=401)
        return self._accept(request, bearer.record)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # django-ninja's entry point, kept for its abstract method: the token is ours to read.
        return self(request)

    def _accept(self, request: HttpRequest, record: Any) -> Any:
        ratelimit.charge(record)
        request.api_token = record
        request.user = record.user
        return record.user


class OfficerSessionAuth(SessionAuth):
    """A person logged in to the back office; CSRF applies to every unsafe method."""

    def __call__(self, request: HttpRequest) -> Any:
        if tokens.bearer_of(request).presented:
            return None  # a token call is the token's alone, never the browser's session
        return super().__call__(request)

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
