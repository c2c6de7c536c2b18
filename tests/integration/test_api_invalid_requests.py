"""A request the API's schemas refuse is answered like any refusal: a stable code and Chinese."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from xinyong.api import tokens
from xinyong.catalog.models import ImportJob
from xinyong.listings.models import ListEntry
from xinyong.measures.models import ScreeningJob

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


def _refusal(answer, status: int, code: str) -> dict:
    assert answer.status_code == status, answer.content[:200]
    assert answer["Content-Type"].startswith("application/json")
    body = answer.json()
    assert body["code"] == code
    assert re.search("[\u4e00-\u9fff]", body["message"])  # said in Chinese
    return body


@pytest.mark.parametrize("path", ["/api/v1/imports", "/api/v1/screenings"])
def test_an_upload_without_its_multipart_boundary_is_refused_as_json(implementing, path):
    answer = implementing.generic("POST", path, b"x", content_type="multipart/form-data")
    _refusal(answer, 400, "multipart-invalid")
    assert not ImportJob.objects.exists() and not ScreeningJob.objects.exists()


def test_more_files_than_django_takes_are_refused_as_json(implementing, settings):
    files = [
        SimpleUploadedFile(f"{n}.csv", b"code\n")
        for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    answer = implementing.post("/api/v1/imports", {"kind": "penalties", "file": files})
    _refusal(answer, 400, "too-many-fields")
    assert not ImportJob.objects.exists()


def test_a_form_field_past_the_limit_beside_a_file_is_413(implementing, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    upload = SimpleUploadedFile("list.csv", b"code\n")
    answer = implementing.post("/api/v1/screenings", {"scenario": "x" * 2048, "file": upload})
    assert _refusal(answer, 413, "upload-too-large")["limit"] == 1024
    assert not ScreeningJob.objects.exists()


def test_an_officers_form_with_too_many_fields_is_refused_as_json(settings):
    """A session caller's CSRF check reads the form: that refusal too is the API's JSON."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(OfficerFactory().user)
    client.cookies["csrftoken"] = "a" * 32  # with its cookie, the check goes on to the form
    fields = {f"k{n}": "v" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    answer = client.post("/api/v1/listings/entries/1/notify", fields)
    _refusal(answer, 400, "too-many-fields")


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v1/listings/entries/1/nothing", "/api/v1/checks/"]
)
def test_a_path_with_no_operation_is_a_json_404(implementing, path):
    _refusal(implementing.get(path), 404, "not-found")


def test_a_method_no_operation_takes_is_a_json_405_naming_those_it_does(implementing):
    answer = implementing.delete("/api/v1/checks")
    _refusal(answer, 405, "method-not-allowed")
    assert answer["Allow"] == "POST"


def test_pages_outside_the_api_keep_their_html_404(client):
    answer = client.get("/nothing-here/")
    assert (answer.status_code, answer["Content-Type"]) == (404, "text/html; charset=utf-8")


def test_text_with_a_nul_character_is_refused_on_every_database():
    """PostgreSQL cannot store it and SQLite would: refused alike, before anything is written."""
    definition = ListDefinitionFactory()
    user = OfficerFactory(department=definition.recognizing_department).user
    token, _ = tokens.create_token(actor="test", user=user)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    proposal = {"list": definition.code, "subject": SubjectFactory().identifier,
                "facts": "销售不合格食品\x00", "basis": "食品安全法"}  # fmt: skip
    answer = client.post("/api/v1/listings/entries", proposal, content_type="application/json")
    body = _refusal(answer, 422, "invalid-request")
    assert body["errors"] == [
        {"field": "facts", "type": "nul_character", "message": "含空字符（NUL），无法保存"}
    ]
    assert not ListEntry.objects.exists()


def test_a_report_with_a_nul_character_in_its_reference_is_refused(implementing):
    report = {"business_reference": "CG-2026-1\x00", "measures": []}
    answer = implementing.post(
        "/api/v1/checks/8a3c6f0e-5b1d-4c2a-9e7f-0d1b2c3d4e5f/feedback",
        report,
        content_type="application/json",
    )
    assert _refusal(answer, 422, "invalid-request")["errors"][0]["field"] == "business_reference"


def test_an_officers_write_without_its_csrf_token_says_so():
    """Not "no right to do this": the officer may, the request lacks the CSRF token."""
    entry = ListEntryFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(OfficerFactory(department=entry.list.recognizing_department).user)
    answer = client.post(
        f"/api/v1/listings/entries/{entry.pk}/notify", {"version": 1},
        content_type="application/json",
    )  # fmt: skip
    assert "X-CSRFToken" in _refusal(answer, 403, "csrf-failed")["message"]
    entry.refresh_from_db()
    assert entry.version == 1


@pytest.mark.parametrize("path", ["/api/v1/imports/timeliness", "/api/v1/joint/statistics"])
@pytest.mark.parametrize("written", ["0", "20261101", "1700000000", "2026-11-01T00:00:00"])
def test_a_date_parameter_is_written_as_documented(implementing, path, written):
    """Not read as a Unix time (``0`` was 1970-01-01): YYYY-MM-DD, as the schema says."""
    body = _refusal(implementing.get(path, {"since": written}), 422, "invalid-request")
    assert body["errors"] == [
        {"field": "since", "type": "date_parsing", "message": "须为日期（YYYY-MM-DD）"}
    ]
    assert implementing.get(path, {"since": "2026-11-01"}).status_code == 200


def test_text_with_a_lone_surrogate_is_refused_not_a_server_error():
    """``"\\ud800"`` is valid JSON but no text a database can encode: 422, the entry unchanged."""
    entry = ListEntryFactory()
    user = OfficerFactory(department=entry.list.recognizing_department).user
    token, _ = tokens.create_token(actor="test", user=user)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    answer = client.post(
        f"/api/v1/listings/entries/{entry.pk}/withdraw",
        '{"version": 1, "reason": "x\\ud800"}',
        content_type="application/json",
    )
    body = _refusal(answer, 422, "invalid-request")
    assert body["errors"] == [{
        "field": "reason", "type": "lone_surrogate",
        "message": "含无效的 Unicode 字符（单独的代理项），无法保存",
    }]  # fmt: skip
    entry.refresh_from_db()
    assert (entry.state, entry.version) == ("draft", 1)
