"""Schemathesis over the OpenAPI schema: no operation answers 5xx, whatever it is sent (issue 6 §7),
and every answer is one the schema documents: its status, content type and body.

Every operation is called with generated input, once as an implementing department's system
and once as a recognizing department's officer, through the whole middleware stack.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    ScenarioFactory,
    SubjectFactory,
    make_citizen_id,
    make_uscc,
)
from xinyong.api import tokens

pytestmark = pytest.mark.django_db

# The application wsgi.py serves, without the checks it makes as a server loads it: they read
# the database, which the tests have not set up while they are being collected.
application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def test_connection():
    """Calls through the WSGI app keep the test's database connection (as Django's client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["implementing", "recognizing"])
def caller(request, test_connection) -> dict[str, str]:
    """A bearer token of one kind of caller, and a small world for its answers to reach into."""
    scenario = ScenarioFactory(code="government_procurement", name="政府采购")
    for n in range(3):
        SubjectFactory(identifier=make_uscc(n))
        SubjectFactory(identifier=make_citizen_id(n), natural_person=True)
    recognizing = DepartmentFactory(code="scjg", name="市场监管局")
    ListEntryFactory(list=ListDefinitionFactory(recognizing_department=recognizing))
    if request.param == "implementing":
        department = DepartmentFactory(implementing=True, code="czj", name="财政局")
        user = tokens.system_account(department)
    else:
        user = OfficerFactory(department=recognizing, signer=True).user
    token, _ = tokens.create_token(actor="test", user=user, scenarios=[scenario.code])
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(
    # CI replays the same examples every run; a developer's run explores new ones.
    derandomize=bool(os.environ.get("CI")),
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_answers_a_server_error(case, caller):
    case.call_and_validate(headers=caller, checks=[not_a_server_error])


@schema.parametrize()
@settings(
    derandomize=bool(os.environ.get("CI")),
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_is_documented(case, caller):
    """Its status is among the operation's, its body and content type the documented ones."""
    checks = [status_code_conformance, content_type_conformance, response_schema_conformance]
    case.call_and_validate(headers=caller, checks=checks)
