"""An objection names who objects and on what grounds (R6): left blank, or only spaces, it is
refused whichever way it is sent (the API, the office's form, the service), and nothing is
recorded; words sent with spaces around them are recorded alike either way."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import ListDefinitionFactory, ListEntryFactory, OfficerFactory
from xinyong.api import tokens
from xinyong.core.errors import XinyongError
from xinyong.listings import services
from xinyong.listings.models import ListEntryEvent, ListKind

pytestmark = pytest.mark.django_db

BLANKS = ["", "   ", "\u3000\u3000", "\t\n"]  # \u3000: the full-width space of Chinese input
GROUNDS = "处罚决定已被撤销，附复议决定书"


@pytest.fixture
def entry():
    return ListEntryFactory(list=ListDefinitionFactory(kind=ListKind.BLACK), effective=True)


@pytest.fixture
def officer(entry):
    return OfficerFactory(department=entry.list.recognizing_department).user


@pytest.fixture
def api(officer):
    token, _ = tokens.create_token(actor="test", user=officer)
    return Client(headers={"Authorization": f"Bearer {token}"})


def _object_by_api(api, entry, **fields):
    payload = {"version": entry.version, "objector": "当事人", "grounds": GROUNDS, **fields}
    return api.post(
        f"/api/v1/listings/entries/{entry.pk}/objections", payload,
        content_type="application/json",
    )  # fmt: skip


def _untouched(entry):
    version = entry.version
    entry.refresh_from_db()
    assert (entry.version, entry.verification_due_on) == (version, None)
    assert not ListEntryEvent.objects.filter(entry=entry, action="object").exists()


@pytest.mark.parametrize("field", ["objector", "grounds"])
@pytest.mark.parametrize("blank", BLANKS)
def test_the_api_refuses_a_blank_objector_or_grounds(api, entry, field, blank):
    answer = _object_by_api(api, entry, **{field: blank})
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid-request"
    assert body["errors"] == [
        {"field": field, "type": "blank", "message": "不能为空，也不能只含空白字符"}
    ]
    assert field in body["message"] and "不能为空" in body["message"]
    _untouched(entry)


def test_the_api_takes_the_words_without_the_spaces_around_them(api, entry):
    answer = _object_by_api(api, entry, objector="  张三\u3000", grounds=f"\n{GROUNDS}  ")
    assert answer.status_code == 200, answer.json()
    event = ListEntryEvent.objects.get(entry=entry, action="object")
    assert (event.data["objector"], event.reason) == ("张三", GROUNDS)


def test_the_api_refuses_an_objector_longer_than_the_form_takes(api, entry):
    answer = _object_by_api(api, entry, objector="张" * 201)
    assert answer.status_code == 422
    assert [(e["field"], e["type"]) for e in answer.json()["errors"]] == [
        ("objector", "string_too_long")
    ]
    _untouched(entry)
    assert _object_by_api(api, entry, objector=f" {'张' * 200} ").status_code == 200


def test_the_schema_tells_a_client_both_must_say_something(api):
    schema = api.get("/api/v1/openapi.json").json()["components"]["schemas"]["ObjectionIn"]
    assert schema["properties"]["objector"]["pattern"] == r"\S"
    assert schema["properties"]["objector"]["maxLength"] == 200
    assert schema["properties"]["grounds"]["pattern"] == r"\S"


@pytest.mark.parametrize("field", ["objector", "grounds"])
@pytest.mark.parametrize("blank", BLANKS)
def test_the_office_form_refuses_the_same(client, officer, entry, field, blank):
    client.force_login(officer)
    data = {"version": entry.version, "objector": "当事人", "grounds": GROUNDS, field: blank}
    response = client.post(f"/office/entries/{entry.pk}/object/", data)
    assert response.status_code == 422
    _untouched(entry)


@pytest.mark.parametrize("field", ["objector", "grounds"])
def test_the_service_refuses_the_same_for_any_caller(officer, entry, field):
    words = {"objector": "当事人", "grounds": GROUNDS, field: " \u3000 "}
    with pytest.raises(XinyongError) as refused:
        services.record_objection(entry.pk, actor=officer, **words)
    assert (refused.value.code, refused.value.status) == (
        f"objection-{field}-required", 422,
    )  # fmt: skip
    _untouched(entry)
