"""Generated from the authorization matrix (R14): every cell, route × method × role, is tried.

Each role has a client: an account of that role logged in (and, for a department's system, its
bearer token too). Each route has a sample URL whose objects need not exist: an allowed call
may end in the view's own 404 or 422, but never in a refusal of the access layer, which alone
sets the ``X-Access-Refused`` header; a denied call is refused with it (401/403, or a redirect
to the log-in page for the public's pages).
"""

import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.factories import DepartmentFactory, OfficerFactory, SubjectFactory, UserFactory
from xinyong.access import matrix, routes
from xinyong.access.middleware import REFUSAL_HEADER
from xinyong.access.models import SubjectAccount
from xinyong.access.roles import ADMIN_GROUP, REVIEWER_GROUP, Role, role_of
from xinyong.api import tokens

pytestmark = pytest.mark.django_db

# Sample values for URL parameters, by name; objects that do not exist are good enough.
SAMPLE_KWARGS = {
    "entry_id": "999999",
    "job_id": "999999",
    "subject_id": "999999",
    "check_id": str(uuid.UUID(int=1)),
    "feedback_id": "999999",
    "kind": "black",
    "action": "notify",
    "announcement_id": "999999",
    "record_format": "penalties",
    "record_id": "999999",
    "evidence_id": "999999",
    "application_id": "999999",
    "material_id": "999999",
    "objection_id": "999999",
    "report_id": "999999",
    "duty_id": "999999",
}
# The route a namespace row ("admin:*") is tried on.
NAMESPACE_SAMPLES = {"admin": "admin:index"}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def _cells() -> list:
    return [
        pytest.param(rule, role, id=f"{rule.route} {rule.method} {role.value}")
        for rule in matrix.load().rules
        for role in Role
    ]


def _sample_url(route_name: str) -> str:
    if route_name.endswith(":*"):
        route_name = NAMESPACE_SAMPLES[route_name[:-2]]
    path = next(r.path for r in routes.all_routes() if r.name == route_name)
    names = PARAMETER.findall(path)
    unknown = [name for name in names if name not in SAMPLE_KWARGS]
    assert not unknown, f"add a sample value for {unknown} ({route_name}) to SAMPLE_KWARGS"
    return reverse(route_name, kwargs={name: SAMPLE_KWARGS[name] for name in names})


def subject_account(subject=None):
    user = UserFactory()
    SubjectAccount.objects.create(user=user, subject=subject or SubjectFactory())
    return user


def credit_office_account(group: str):
    officer = OfficerFactory(department=DepartmentFactory(credit_office=True))
    officer.user.groups.add(Group.objects.get_or_create(name=group)[0])
    return officer.user


def client_for(role: Role) -> Client:
    """A client acting in ``role``: logged in (session), and for a system, with its token."""
    client = Client()
    if role is Role.PUBLIC:
        return client
    if role is Role.IMPLEMENTING_SYSTEM:
        user = tokens.system_account(DepartmentFactory(implementing=True))
        token, _ = tokens.create_token(
            actor="test", user=user, scenarios=["government_procurement"]
        )
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    else:
        user = {
            Role.SUBJECT: lambda: subject_account(),
            Role.RECOGNIZING_OFFICER: lambda: OfficerFactory().user,
            Role.SIGNING_OFFICER: lambda: OfficerFactory(signer=True).user,
            Role.CREDIT_REVIEWER: lambda: credit_office_account(REVIEWER_GROUP),
            Role.CREDIT_ADMIN: lambda: credit_office_account(ADMIN_GROUP),
        }[role]()
    assert role_of(type(user).objects.get(pk=user.pk)) is role
    client.force_login(user)
    return client


def call(client: Client, method: str, url: str):
    method = "GET" if method == "*" else method
    if url.startswith("/api/"):
        return client.generic(method, url, "{}", content_type="application/json")
    return client.generic(method, url)


@pytest.mark.parametrize(("rule", "role"), _cells())
def test_each_cell_of_the_matrix_is_what_the_access_layer_does(rule, role):
    url = _sample_url(rule.route)
    response = call(client_for(role), rule.method, url)
    refused = response.get(REFUSAL_HEADER)
    if rule.cells[role].lets_through:
        assert refused is None, f"{rule.route} {rule.method} refused to {role.value}"
        return
    assert refused in {"unauthenticated", "denied"}, f"{rule.route} {rule.method} let {role}"
    if url.startswith("/api/"):
        expected = (401, "authentication-required") if role is Role.PUBLIC else (
            403, "access-denied"
        )  # fmt: skip
        assert (response.status_code, response.json()["code"]) == expected
    elif role is Role.PUBLIC:
        assert response.status_code == 302
        assert "login/?next=" in response["Location"]
    else:
        assert response.status_code == 403
        assert "access-denied" in response.content.decode()
