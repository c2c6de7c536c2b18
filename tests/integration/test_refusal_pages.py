"""Refusals made before any view (an oversized upload, a stale form, a locked log-in) are pages
of the platform, in the layout of the side they were reached from, with a way back."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db
PORTAL_BRAND = "公共信用信息平台"
OFFICE_NAV = 'class="site-header office"'


@pytest.fixture
def officer_client():
    client = Client()
    client.force_login(OfficerFactory().user)
    return client


def test_an_oversized_upload_from_a_page_answers_a_page_not_json(officer_client, settings):
    settings.XINYONG_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("big.csv", b"x" * 2000, content_type="text/csv")
    answer = officer_client.post("/office/imports/", {"file": upload})
    assert answer.status_code == 413
    assert answer["Content-Type"].startswith("text/html")
    html = answer.content.decode()
    assert "文件过大" in html and OFFICE_NAV in html
    assert 'href="/office/imports/"' in html  # back to the form
    assert "upload-too-large" not in html.replace('data-code="upload-too-large"', "")


def test_an_oversized_upload_to_the_api_keeps_its_json(settings):
    settings.XINYONG_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("big.csv", b"x" * 2000, content_type="text/csv")
    answer = Client().post("/api/v1/imports", {"file": upload})
    assert answer.status_code == 413
    assert answer.json()["code"] == "upload-too-large"


@pytest.mark.parametrize(
    ("path", "layout", "login"),
    [("/login/", PORTAL_BRAND, 'href="/login/"'),
     ("/office/login/", OFFICE_NAV, 'href="/office/login/"')],
)  # fmt: skip
def test_a_form_without_its_csrf_token_answers_a_page_that_says_it_expired(path, layout, login):
    answer = Client(enforce_csrf_checks=True).post(path, {"username": "x", "password": "y"})
    assert answer.status_code == 403
    html = answer.content.decode()
    assert "页面已过期" in html and "重新登录" in html
    assert layout in html and login in html
    assert "DEBUG" not in html


def test_a_lockout_on_the_portal_keeps_the_portal(settings):
    name = OfficerFactory().user.username
    for attempt in range(5):
        Client().post("/login/", {"username": name, "password": f"wrong{attempt}"})
    locked = Client().post("/login/", {"username": name, "password": "wrong"})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "登录已锁定" in html and "15" in html
    assert PORTAL_BRAND in html and OFFICE_NAV not in html
    assert 'href="/"' in html


def test_a_lockout_on_the_back_office_keeps_the_back_office():
    name = OfficerFactory().user.username
    for attempt in range(5):
        Client().post("/office/login/", {"username": name, "password": f"wrong{attempt}"})
    locked = Client().post("/office/login/", {"username": name, "password": "wrong"})
    assert locked.status_code == 429
    assert OFFICE_NAV in locked.content.decode()
