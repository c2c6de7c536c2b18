"""Implementing departments' API clients and the scenarios and measures their checks meet."""

import pytest
from django.test import Client

from tests.factories import DepartmentFactory, MeasureFactory, OfficerFactory, ScenarioFactory
from xinyong.api import tokens
from xinyong.measures.models import Measure


def client_for(department, scenarios) -> Client:
    """A client calling with a new bearer token of one of the department's officers."""
    user = OfficerFactory(department=department).user
    token, _ = tokens.create_token(actor="test", user=user, scenarios=scenarios)
    return Client(headers={"Authorization": f"Bearer {token}"})


def check(api, **payload):
    return api.post("/api/v1/checks", payload, content_type="application/json")


@pytest.fixture
def procurement():
    return ScenarioFactory(code="government_procurement", name="政府采购")


@pytest.fixture
def honours():
    return ScenarioFactory(code="honours", name="评优评先")


@pytest.fixture
def finance():
    return DepartmentFactory(implementing=True, name="财政局")


@pytest.fixture
def api(finance, procurement, honours):
    return client_for(finance, ["government_procurement", "honours"])


@pytest.fixture
def measures(procurement, honours):
    bar = MeasureFactory(code="bar-procurement", name="限制参加政府采购", targets=["organisation"],
                         list_kinds=["black"])  # fmt: skip
    bar.scenarios.add(procurement)
    bar_person = MeasureFactory(
        code="bar-representative", name="限制担任法定代表人", mandatory=False,
        targets=["legal_representative", "person"], list_kinds=["black"],
    )  # fmt: skip
    bar_person.scenarios.add(procurement)
    reward = MeasureFactory(
        code="honour-priority", name="优先评优", type=Measure.Type.REWARD, mandatory=False,
        list_kinds=["red"], targets=["organisation"],
    )  # fmt: skip
    reward.scenarios.add(honours, procurement)
    return {"bar": bar, "bar_person": bar_person, "reward": reward}
