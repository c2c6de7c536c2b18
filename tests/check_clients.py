"""Implementing departments' API clients and the scenarios and measures their checks meet."""

import csv
import datetime as dt

import pytest
from django.test import Client

from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    MeasureFactory,
    OfficerFactory,
    ScenarioFactory,
)
from xinyong.api import tokens
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import ListKind
from xinyong.measures.models import Measure
from xinyong.measures.screening import screen_file

# The day ``decided`` signs its decisions: the first after their publicity ends (R1).
DECIDED_ON = dt.date(2026, 10, 27)


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


def decided(measures, **entry):
    """A black-list entry signed on ``DECIDED_ON`` by a decision stating ``measures`` by name
    (R1); an empty list: the department named none. ``entry``: the entry factory's fields."""
    entry.setdefault("list", ListDefinitionFactory(kind=ListKind.BLACK))
    proposed = ListEntryFactory(awaiting_signature=True, **entry)
    signer = OfficerFactory(department=proposed.list.recognizing_department, signer=True).user
    with clock.frozen(DECIDED_ON):
        return services.sign_decision(proposed.pk, actor=signer, measures=measures)


@pytest.fixture
def funds(procurement):
    """A second punishment in procurement following from black lists, for organisations."""
    measure = MeasureFactory(code="bar-funds", name="限制申请财政性资金项目",
                             targets=["organisation"], list_kinds=["black"])  # fmt: skip
    measure.scenarios.add(procurement)
    return measure


def screened(tmp_path, subjects, department, scenario="government_procurement") -> list[dict]:
    """Batch screening of ``subjects`` by code for ``department``: the output's rows (item 6)."""
    source, out = tmp_path / "screen-in.csv", tmp_path / "screen-out.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([["code"], *([s.reveal_identifier()] for s in subjects)])
    screen_file(source, out, scenario=scenario, department_id=department.pk)
    with out.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))
