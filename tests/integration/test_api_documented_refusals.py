"""Every status the API answers is in its OpenAPI schema, with the shape of its body.

A client generated from the schema, or a schema-driven test, otherwise meets 401, 404, 409,
422 or 429 as undocumented answers; the CSV downloads say they answer CSV.
"""

import pytest
from django.test import Client

from tests.factories import (
    DepartmentFactory,
    ListEntryFactory,
    OfficerFactory,
    ScenarioFactory,
)
from xinyong.api import tokens

pytestmark = pytest.mark.django_db

OPENAPI = "/api/v1/openapi.json"
REFUSAL = "#/components/schemas/RefusalOut"


@pytest.fixture
def schema(client) -> dict:
    return client.get(OPENAPI).json()


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def refusal_ref(operation: dict, status: int) -> str | None:
    answer = operation["responses"].get(str(status))
    if answer is None:
        return None
    return answer["content"]["application/json"]["schema"]["$ref"]


def test_every_operation_with_credentials_documents_the_refusals_every_call_may_meet(schema):
    for path, method, operation in operations(schema):
        if not operation.get("security"):
            continue
        for status in (401, 403, 429):
            assert refusal_ref(operation, status) == REFUSAL, (method, path, status)
        if operation.get("parameters") or operation.get("requestBody"):
            assert refusal_ref(operation, 422) == REFUSAL, (method, path)
        if "requestBody" in operation:
            for status in (400, 413):
                assert refusal_ref(operation, status) == REFUSAL, (method, path, status)


def test_the_refusal_shape_names_code_message_and_the_problems(schema):
    refusal = schema["components"]["schemas"]["RefusalOut"]
    assert refusal["required"] == ["code", "message"]
    assert refusal["additionalProperties"] is True  # retry_after, limit, state...
    assert refusal["properties"]["errors"]["items"]["$ref"] == "#/components/schemas/ProblemOut"


@pytest.mark.parametrize(
    "path", ["/api/v1/imports/{job_id}/report", "/api/v1/screenings/{job_id}/result"]
)
def test_the_downloads_say_they_answer_csv(schema, path):
    assert list(schema["paths"][path]["get"]["responses"]["200"]["content"]) == ["text/csv"]


def assert_documented(schema: dict, answer, method: str, path: str) -> None:
    responses = schema["paths"][path][method]["responses"]
    assert str(answer.status_code) in responses, (method, path, answer.status_code)
    body = answer.json()
    assert isinstance(body["code"], str) and isinstance(body["message"], str)


@pytest.fixture
def officer():
    entry = ListEntryFactory(notified=True)
    user = OfficerFactory(department=entry.list.recognizing_department).user
    token, _ = tokens.create_token(actor="test", user=user)
    return entry, Client(headers={"Authorization": f"Bearer {token}"})


def test_refusals_of_the_listing_procedure_are_documented(schema, officer):
    entry, client = officer
    notify, sign = ("/api/v1/listings/entries/{entry_id}/" + step for step in ("notify", "sign"))
    cases = [
        (client.get("/api/v1/listings/entries/999999"), "get",
         "/api/v1/listings/entries/{entry_id}", 404),
        (client.get("/api/v1/listings/entries?state=bogus"), "get",
         "/api/v1/listings/entries", 422),
        (client.post(f"/api/v1/listings/entries/{entry.pk}/publicity", {"version": 99},
                     content_type="application/json"), "post",
         "/api/v1/listings/entries/{entry_id}/publicity", 409),
        (client.post(f"/api/v1/listings/entries/{entry.pk}/notify", "{",
                     content_type="application/json"), "post", notify, 400),
        (client.post(f"/api/v1/listings/entries/{entry.pk}/sign", {"version": 1},
                     content_type="application/json"), "post", sign, 403),
        (Client().get("/api/v1/listings/entries"), "get", "/api/v1/listings/entries", 401),
    ]  # fmt: skip
    for answer, method, path, status in cases:
        assert answer.status_code == status, (path, answer.content)
        assert_documented(schema, answer, method, path)


def test_a_spent_budget_is_documented(schema):
    ScenarioFactory(code="financing")
    user = OfficerFactory(department=DepartmentFactory(implementing=True)).user
    token, _ = tokens.create_token(actor="test", user=user, rate_per_minute=1)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    client.get("/api/v1/changes")
    answer = client.get("/api/v1/changes")
    assert answer.status_code == 429
    assert_documented(schema, answer, "get", "/api/v1/changes")
    assert answer.json()["retry_after"] == int(answer["Retry-After"])


def test_a_repair_material_says_it_answers_a_file(schema):
    path = "/api/v1/repairs/{application_id}/materials/{material_id}"
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]
    assert sorted(content) == ["application/pdf", "image/jpeg", "image/png"]


def test_refusals_of_repairs_and_reports_are_documented(schema):
    user = OfficerFactory().user
    token, _ = tokens.create_token(actor="test", user=user)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    accept = "/api/v1/repairs/{application_id}/accept"
    decision = "/api/v1/reports/{report_id}/decision"
    json = "application/json"
    cases = [
        (client.get("/api/v1/repairs/999999"), "get", "/api/v1/repairs/{application_id}", 404),
        (client.get("/api/v1/repairs?state=bogus"), "get", "/api/v1/repairs", 422),
        (client.post("/api/v1/repairs/999999/accept", {"reasons": "准予", "outcome": "stop"},
                     content_type=json), "post", accept, 404),
        (client.post("/api/v1/repairs/999999/accept", {"reasons": " "}, content_type=json),
         "post", accept, 422),
        (client.post("/api/v1/repairs/999999/reject", "{", content_type=json), "post",
         "/api/v1/repairs/{application_id}/reject", 400),
        (client.get("/api/v1/reports/999999"), "get", "/api/v1/reports/{report_id}", 404),
        (client.get("/api/v1/reports?state=bogus"), "get", "/api/v1/reports", 422),
        (client.post("/api/v1/reports/999999/decision", {"founded": True, "reasons": "属实"},
                     content_type=json), "post", decision, 404),
        (Client().get("/api/v1/reports"), "get", "/api/v1/reports", 401),
    ]  # fmt: skip
    for answer, method, path, status in cases:
        assert answer.status_code == status, (path, answer.content)
        assert_documented(schema, answer, method, path)
    for path, method in ((accept, "post"), (decision, "post")):
        assert "409" in schema["paths"][path][method]["responses"], path
