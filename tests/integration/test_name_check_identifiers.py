"""A citizen ID sent as a name: refused, or masked before the name is read or kept (R14)."""

import pytest
from django.test import Client

from tests.factories import DepartmentFactory, OfficerFactory, ScenarioFactory, make_citizen_id
from xinyong.api import tokens
from xinyong.core.masking import mask_id_number
from xinyong.measures.models import Check
from xinyong.subjects.name_index import reset_index

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index():
    reset_index()
    yield
    reset_index()


@pytest.fixture
def api():
    ScenarioFactory(code="government_procurement")
    user = OfficerFactory(department=DepartmentFactory(implementing=True)).user
    token, _ = tokens.create_token(actor="t", user=user, scenarios=["government_procurement"])
    return Client(headers={"Authorization": f"Bearer {token}"})


def by_name(api, name):
    return api.post("/api/v1/checks", {"name": name, "scenario": "government_procurement"},
                    content_type="application/json")  # fmt: skip


def test_a_citizen_id_sent_as_the_name_is_refused_and_nothing_is_kept(api):
    answer = by_name(api, f" {make_citizen_id(7)} ")
    assert answer.status_code == 422
    assert answer.json()["code"] == "name-is-an-identifier"
    assert not Check.objects.exists()


def test_a_citizen_id_inside_a_name_is_registered_masked(api):
    person = make_citizen_id(8)
    assert by_name(api, f"张三{person}").status_code == 200
    kept = Check.objects.get().query_name
    assert person not in kept and mask_id_number(person) in kept
