"""Who is calling: a logged-in person (session, with CSRF) or a system (bearer token)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from xinyong.api import ratelimit, tokens


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


API_AUTH = [TokenAuth(), OfficerSessionAuth()]
