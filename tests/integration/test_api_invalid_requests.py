"""A request the API's schemas refuse is answered like any refusal: a stable code and Chinese."""

import pytest
from django.test import Client

from tests.factories import DepartmentFactory, OfficerFactory
from xinyong.api import tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def implementing():
    user = OfficerFactory(department=DepartmentFactory(implementing=True)).user
    token, _ = tokens.create_token(actor="test", user=user, scenarios=["financing"])
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def recognizing():
    user = OfficerFactory().user
    token, _ = tokens.create_token(actor="test", user=user)
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_a_number_out_of_range_names_its_field_in_chinese(implementing):
    answer = implementing.get("/api/v1/changes?limit=0")
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid-request"
    assert body["errors"] == [
        {"field": "limit", "type": "greater_than_equal", "message": "须大于或等于 1"}
    ]
    assert body["message"] == "请求不符合要求：limit须大于或等于 1"


def test_a_missing_field_and_a_broken_body(implementing):
    missing = implementing.post("/api/v1/checks", {"subject": "x"}, content_type="application/json")
    assert missing.json()["errors"] == [
        {"field": "scenario", "type": "missing", "message": "必须提供"}
    ]
    broken = implementing.post("/api/v1/checks", "{", content_type="application/json")
    assert (broken.status_code, broken.json()["code"]) == (400, "bad-request")
    assert broken.json()["message"].startswith("请求无法解析")


def test_an_unknown_state_is_refused_not_an_empty_list(recognizing):
    answer = recognizing.get("/api/v1/listings/entries?state=bogus")
    assert (answer.status_code, answer.json()["code"]) == (422, "unknown-state")
    assert "effective" in answer.json()["message"]
    assert recognizing.get("/api/v1/listings/entries?state=effective").status_code == 200
