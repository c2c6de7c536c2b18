"""The listing procedure over the API, with real dates (R1, R2, R4; issue: a full cycle)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    meeting_fields,
)
from xinyong.api import tokens
from xinyong.audit.selectors import verify_chain
from xinyong.core import clock
from xinyong.listings.models import ListKind

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def black_list():
    return ListDefinitionFactory(code="food-black", kind=ListKind.BLACK, validity_value=3)


def bearer_client(user, *, can_sign: bool = False) -> Client:
    token, _ = tokens.create_token(actor="test", user=user, can_sign=can_sign)
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def officer_api(black_list):
    return bearer_client(OfficerFactory(department=black_list.recognizing_department).user)


@pytest.fixture
def signer_api(black_list):
    return bearer_client(
        OfficerFactory(department=black_list.recognizing_department, signer=True).user,
        can_sign=True,
    )


def post(client, path, day, **payload):
    with clock.frozen(day):
        return client.post(f"/api/v1/listings{path}", payload, content_type="application/json")


def test_a_full_cycle_through_the_api(black_list, officer_api, signer_api):
    subject = SubjectFactory()
    proposal = {"list": "food-black", "subject": subject.identifier, "facts": "销售不合格食品",
                "basis": "食品安全法"}  # fmt: skip
    created = post(officer_api, "/entries", D(2026, 9, 21), **proposal)
    assert created.status_code == 201, created.json()
    entry = created.json()
    assert entry["allowed_actions"] == ["notify", "withdraw"]
    entry = post(officer_api, f"/entries/{entry['id']}/notify", D(2026, 9, 21),
                 version=entry["version"], **meeting_fields(entry["id"])).json()  # fmt: skip
    entry = post(officer_api, f"/entries/{entry['id']}/publicity", D(2026, 9, 21),
                 version=entry["version"]).json()  # fmt: skip
    assert entry["publicity_ends_on"] == "2026-10-26"
    assert entry["publicity_ends_provisional"] is False

    call_command("tick", "--date", "2026-10-27", stdout=io.StringIO())
    entry = officer_api.get(f"/api/v1/listings/entries/{entry['id']}").json()
    assert entry["state"] == "awaiting_signature"
    assert entry["allowed_actions"] == ["sign", "object", "reject"]

    signed = post(signer_api, f"/entries/{entry['id']}/sign", D(2026, 10, 27),
                  version=entry["version"], decision_document_number="食黑〔2026〕1号")  # fmt: skip
    assert signed.status_code == 200, signed.json()
    entry = signed.json()
    assert (entry["state"], entry["effective_on"], entry["valid_until"]) == (
        "effective", "2026-10-27", "2029-10-27",
    )  # fmt: skip

    call_command("tick", "--date", "2029-10-28", stdout=io.StringIO())
    entry = officer_api.get(f"/api/v1/listings/entries/{entry['id']}").json()
    assert (entry["state"], entry["exit_reason"], entry["exited_on"]) == (
        "exited", "expired", "2029-10-28",
    )  # fmt: skip
    assert [a["kind"] for a in entry["announcements"]] == ["publicity", "decision", "exit"]
    assert [e["action"] for e in entry["history"]] == [
        "propose", "notify", "start_publicity", "end_publicity", "sign", "exit",
    ]  # fmt: skip
    assert verify_chain().ok


def test_refusals_carry_a_stable_code_and_status(black_list, officer_api):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    response = post(officer_api, f"/entries/{entry.pk}/sign", D(2026, 10, 27), version=1)
    assert response.status_code == 403  # refused by the matrix before the service runs
    assert response.json()["code"] == "access-denied"
    response = post(
        officer_api,
        f"/entries/{entry.pk}/notify",
        D(2026, 10, 27),
        version=1,
        **meeting_fields(entry.pk),
    )
    assert (response.status_code, response.json()["code"]) == (409, "transition-not-allowed")


def test_a_decision_number_longer_than_its_column_is_refused_not_published(black_list, signer_api):
    """The decision document's number is kept in 128 characters: a longer one is a 422 saying
    so, never a number cut, published as sent on SQLite or a database error on PostgreSQL."""
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    number = "食黑〔2026〕" + "1" * 300 + "号"
    refused = post(signer_api, f"/entries/{entry.pk}/sign", D(2026, 10, 27), version=1,
                   decision_document_number=number)  # fmt: skip
    assert refused.status_code == 422, refused.json()
    problem = {"field": "decision_document_number", "type": "string_too_long",
               "message": "最多 128 个字符"}  # fmt: skip
    assert refused.json()["errors"] == [problem]
    entry.refresh_from_db()
    assert (entry.state, entry.decision_document_number) == ("awaiting_signature", "")
    longest = "食黑〔2026〕" + "1" * 119 + "号"
    assert len(longest) == 128
    signed = post(signer_api, f"/entries/{entry.pk}/sign", D(2026, 10, 27), version=1,
                  decision_document_number=longest)  # fmt: skip
    assert (signed.status_code, signed.json()["decision_document_number"]) == (200, longest)


def test_two_officers_signing_the_same_version_only_one_succeeds(black_list, signer_api):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    first = post(signer_api, f"/entries/{entry.pk}/sign", D(2026, 10, 27), version=1)
    second = post(signer_api, f"/entries/{entry.pk}/sign", D(2026, 10, 27), version=1)
    assert first.status_code == 200
    assert (second.status_code, second.json()["code"]) == (409, "version-conflict")


@pytest.mark.parametrize(
    ("officer_signs", "token_signs"), [(True, False), (False, True)], ids=["token", "officer"]
)
def test_signing_through_a_token_needs_both_the_token_and_the_officer_to_sign(
    black_list, officer_signs, token_signs
):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    officer = OfficerFactory(department=black_list.recognizing_department, can_sign=officer_signs)
    api = bearer_client(officer.user, can_sign=token_signs)
    refused = post(api, f"/entries/{entry.pk}/sign", D(2026, 10, 27), version=1)
    assert (refused.status_code, refused.json()["code"]) == (403, "access-denied")


def test_another_department_sees_nothing(black_list):
    entry = ListEntryFactory(list=black_list, effective=True)
    stranger = bearer_client(OfficerFactory().user)
    assert stranger.get(f"/api/v1/listings/entries/{entry.pk}").status_code == 404
    assert stranger.get("/api/v1/listings/entries").json()["items"] == []


def test_calls_without_a_valid_token_are_refused(black_list):
    assert Client().get("/api/v1/listings/entries").status_code == 401
    bad = Client(headers={"Authorization": "Bearer xy_not-a-token"})
    assert bad.get("/api/v1/listings/entries").status_code == 401


def test_a_revoked_token_stops_working(black_list):
    user = OfficerFactory(department=black_list.recognizing_department).user
    token, record = tokens.create_token(actor="test", user=user)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/v1/listings/entries").status_code == 200
    tokens.revoke_token(actor="test", prefix=record.prefix)
    assert client.get("/api/v1/listings/entries").status_code == 401


def test_session_writes_need_the_csrf_token(black_list):
    officer = OfficerFactory(department=black_list.recognizing_department)
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer.user)
    entry = ListEntryFactory(list=black_list)
    response = client.post(
        f"/api/v1/listings/entries/{entry.pk}/notify", {"version": 1},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403
    assert client.get(f"/api/v1/listings/entries/{entry.pk}").status_code == 200


def test_the_openapi_schema_is_served(black_list):
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/listings/entries/{entry_id}/sign" in schema["paths"]


def test_filters(black_list, officer_api):
    ListEntryFactory(list=black_list, effective=True, subject__name="甲公司")
    ListEntryFactory(list=black_list, in_publicity=True, subject__name="乙公司")
    items = officer_api.get("/api/v1/listings/entries?state=effective").json()["items"]
    assert [i["subject_name"] for i in items] == ["甲公司"]
    items = officer_api.get("/api/v1/listings/entries", {"subject": "乙"}).json()["items"]
    assert [i["subject_name"] for i in items] == ["乙公司"]


def test_the_health_endpoint_needs_no_login():
    assert Client().get("/api/v1/health").json() == {"status": "ok"}


def test_an_officer_cannot_end_a_red_entry_as_blacklisted(black_list, officer_api):
    """Only the platform's cross-check gives that reason, when a black entry takes effect
    (R2, R4): asked by hand it is refused with its code, and nothing is announced."""
    red_list = ListDefinitionFactory(
        kind=ListKind.RED, recognizing_department=black_list.recognizing_department
    )
    entry = ListEntryFactory(list=red_list, effective=True)
    response = post(officer_api, f"/entries/{entry.pk}/exit", D(2026, 11, 23),
                    reason="blacklisted", version=entry.version)  # fmt: skip
    assert (response.status_code, response.json()["code"]) == (422, "exit-reason-system-only")
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason, entry.announcements.count()) == ("effective", "", 0)
