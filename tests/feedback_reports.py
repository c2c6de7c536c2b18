"""Implementing departments' reports of what they did after a check, and who reads the figures
(R11, 003 §七): shared by the feedback and statistics tests."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.check_clients import check
from tests.factories import DepartmentFactory, OfficerFactory
from xinyong.access.roles import REVIEWER_GROUP


def report(api, check_id, reference, *measures, outcome=""):
    """A report of ``(code, applied, reason)`` measures for the business ``reference``."""
    return api.post(
        f"/api/v1/checks/{check_id}/feedback",
        {"business_reference": reference, "outcome": outcome,
         "measures": [{"measure": code, "applied": applied, "reason": reason}
                      for code, applied, reason in measures]},
        content_type="application/json",
    )  # fmt: skip


def report_on(api, check_id, reference, day):
    """bar-procurement reported applied on ``day``."""
    return api.post(
        f"/api/v1/checks/{check_id}/feedback",
        {"business_reference": reference, "applied_on": day.isoformat(),
         "measures": [{"measure": "bar-procurement", "applied": True, "reason": ""}]},
        content_type="application/json",
    )  # fmt: skip


def checked(api, subject, scenario="government_procurement") -> str:
    body = check(api, subject=subject.reveal_identifier(), scenario=scenario).json()
    return body["check_id"]


def statistics(client, **query):
    return client.get("/api/v1/joint/statistics", query)


def session_of(department, *groups) -> Client:
    officer = OfficerFactory(department=department)
    for name in groups:
        officer.user.groups.add(Group.objects.get_or_create(name=name)[0])
    client = Client()
    client.force_login(officer.user)
    return client


@pytest.fixture
def credit_office():
    return session_of(DepartmentFactory(credit_office=True), REVIEWER_GROUP)
