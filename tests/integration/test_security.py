"""Secure defaults (R14, issue 6 §4 and §6): token budgets, log-in throttling, body limits, CSRF
on every form, the deploy checks, and the header guard every HTML answer of the suite passes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.client import MULTIPART_CONTENT

from tests.factories import DepartmentFactory, OfficerFactory
from tests.header_guard import problems
from xinyong.api import ratelimit, tokens
from xinyong.core.errors import XinyongError
from xinyong.security.middleware import declared_length

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src" / "xinyong"
PASSWORD = "correct horse battery"


@pytest.fixture
def implementing_client():
    department = DepartmentFactory(implementing=True, code="czj", name="财政局")

    def make(rate_per_minute: int | None = None, scenarios: tuple[str, ...] = ()) -> Client:
        user = tokens.system_account(department)
        token, _ = tokens.create_token(
            actor="test", user=user, rate_per_minute=rate_per_minute, scenarios=list(scenarios)
        )
        return Client(headers={"Authorization": f"Bearer {token}"})

    return make


@pytest.fixture
def frozen_clock(monkeypatch):
    now = [1_800_000_000.0]  # on a minute's edge: 30,000,000 minutes
    monkeypatch.setattr(ratelimit, "_clock", lambda: now[0])
    return now


def test_a_token_is_refused_with_429_once_its_minute_budget_is_spent(
    implementing_client, frozen_clock
):
    client = implementing_client(rate_per_minute=3)
    assert [client.get("/api/v1/changes").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/changes")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate-limited"
    assert refused["Retry-After"] == "60"
    frozen_clock[0] += 45
    assert client.get("/api/v1/changes")["Retry-After"] == "15"
    frozen_clock[0] += 15  # the next minute: a fresh budget
    assert client.get("/api/v1/changes").status_code == 200


@pytest.mark.parametrize("into_the_minute", [0.5, 59.5, 59.999])
def test_a_client_that_waits_retry_after_seconds_is_let_through(
    implementing_client, frozen_clock, into_the_minute
):
    client = implementing_client(rate_per_minute=1)
    frozen_clock[0] += into_the_minute
    assert client.get("/api/v1/changes").status_code == 200
    refused = client.get("/api/v1/changes")
    wait = int(refused["Retry-After"])
    assert wait >= 1  # rounded up, never "retry now"
    frozen_clock[0] += wait
    assert client.get("/api/v1/changes").status_code == 200


def test_each_token_has_its_own_budget(implementing_client, frozen_clock):
    first, second = implementing_client(rate_per_minute=1), implementing_client(rate_per_minute=1)
    assert first.get("/api/v1/changes").status_code == 200
    assert first.get("/api/v1/changes").status_code == 429
    assert second.get("/api/v1/changes").status_code == 200


def test_a_window_another_process_opens_at_the_same_moment_still_counts_the_call(
    monkeypatch, frozen_clock
):
    """Two processes find no key for a new minute; the one whose ``add`` loses counts by
    ``incr`` after all, so no call goes uncounted."""
    from django.core.cache import caches

    from xinyong.api.models import ApiToken

    cache = caches["default"]
    record = ApiToken(prefix="racetest", rate_per_minute=2)
    key = f"xinyong:rate:racetest:{int(frozen_clock[0] // ratelimit.WINDOW_SECONDS)}"
    real_incr = cache.incr

    def incr_after_the_other_process(k, *args):
        if not cache.has_key(k):
            cache.add(k, 1)  # the other process's first call of the minute
            raise ValueError(k)
        return real_incr(k, *args)

    monkeypatch.setattr(cache, "incr", incr_after_the_other_process)
    ratelimit.charge(record)
    assert cache.get(key) == 2
    with pytest.raises(XinyongError) as refused:
        ratelimit.charge(record)
    assert refused.value.code == "rate-limited"


def test_a_token_without_a_budget_of_its_own_has_the_platforms(
    implementing_client, frozen_clock, settings
):
    settings.XINYONG_TOKEN_RATE_PER_MINUTE = 2
    client = implementing_client()
    assert [client.get("/api/v1/changes").status_code for _ in range(3)] == [200, 200, 429]


def test_a_budget_of_zero_stored_before_it_was_refused_keeps_the_platforms(
    implementing_client, frozen_clock, settings
):
    """``token create`` refuses a budget below 1 now; a 0 it stored earlier was served the
    default budget, and its client keeps it rather than being locked out."""
    from xinyong.api.models import ApiToken

    settings.XINYONG_TOKEN_RATE_PER_MINUTE = 2
    client = implementing_client(rate_per_minute=1)
    ApiToken.objects.update(rate_per_minute=0)
    assert [client.get("/api/v1/changes").status_code for _ in range(3)] == [200, 200, 429]


def _log_in(client: Client, username: str, password: str):
    return client.post("/office/login/", {"username": username, "password": password})


def test_an_account_is_locked_after_five_failed_log_ins_even_with_the_right_password(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    name = OfficerFactory().user.username
    for attempt in range(4):
        assert _log_in(Client(), name, f"wrong{attempt}").status_code == 200  # the form again
    assert _log_in(Client(), name, "wrong-5").status_code == 429
    # Locked by account, not by address: the right password from elsewhere is refused too.
    locked = _log_in(Client(REMOTE_ADDR="10.0.0.9"), name, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in locked.wsgi_request.session
    assert "15" in locked.content.decode()  # the minutes to wait


def test_a_successful_log_in_resets_the_count_of_failures():
    name = OfficerFactory().user.username
    for _ in range(2):
        for attempt in range(4):
            _log_in(Client(), name, f"wrong{attempt}")
        assert _log_in(Client(), name, PASSWORD).status_code == 302


def test_the_admin_log_in_is_throttled_too():
    name = OfficerFactory(user__is_staff=True).user.username
    for attempt in range(5):
        Client().post("/admin/login/", {"username": name, "password": f"wrong{attempt}"})
    answer = Client().post("/admin/login/", {"username": name, "password": PASSWORD})
    assert answer.status_code == 429


def test_a_json_body_over_the_memory_limit_is_refused_before_it_is_read(
    implementing_client, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answer = implementing_client().post(
        "/api/v1/checks", data="{" + " " * 2000 + "}", content_type="application/json"
    )
    assert answer.status_code == 413
    assert answer.json()["code"] == "upload-too-large"


# A body sent in chunks (Transfer-Encoding: chunked) declares no length: a server passes no
# CONTENT_LENGTH, which Django reads as it reads an empty one, as a body of none.
UNMEASURED = {"CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked"}


def csv_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("list.csv", b"code\n91330226MAHJ45UW3H\n", content_type="text/csv")


def test_an_api_body_without_its_length_is_refused_with_411_not_read_as_empty(
    implementing_client,
):
    """Django reads no more of a body than its Content-Length, so a chunked one reached the
    operations as empty ("请求体必须提供", "请上传文件"): the caller is told to send the length
    instead, before any of the body is read (README: every refusal a code and a message)."""
    api = implementing_client(scenarios=("government_procurement",))
    check = json.dumps({"subject": "91330226MAHJ45UW3H", "scenario": "government_procurement"})
    for path, body, content_type in [
        ("/api/v1/checks", check, "application/json"),
        ("/api/v1/imports", {"kind": "penalties", "file": csv_file()}, MULTIPART_CONTENT),
        ("/api/v1/screenings", {"scenario": "government_procurement", "file": csv_file()},
         MULTIPART_CONTENT),
    ]:  # fmt: skip
        answer = api.post(path, body, content_type=content_type, **UNMEASURED)
        assert answer.status_code == 411, (path, answer.content)
        assert answer.json()["code"] == "length-required"
        assert "Content-Length" in answer.json()["message"]
    measured = api.post("/api/v1/checks", check, content_type="application/json")
    assert measured.status_code != 411
    assert "CONTENT_LENGTH" not in api.get("/api/v1/imports").wsgi_request.META  # no body
    assert api.get("/api/v1/imports").status_code != 411


@pytest.mark.parametrize("length", ["abc", "-1", "1e6", "12 34", "１２"])
def test_an_upload_whose_length_is_no_count_of_bytes_is_refused_with_400(
    implementing_client, length
):
    """Compared with the upload limit, such a length raised in the import and screening
    operations, a server error: it is refused with a code and a Chinese message instead."""
    api = implementing_client(scenarios=("government_procurement",))
    for path in ["/api/v1/imports", "/api/v1/screenings"]:
        answer = api.generic(
            "POST", path, b"x", content_type="multipart/form-data; boundary=xx",
            CONTENT_LENGTH=length,
        )  # fmt: skip
        assert answer.status_code == 400, (path, answer.content)
        assert answer.json()["code"] == "content-length-invalid"
        assert "Content-Length" in answer.json()["message"]


@pytest.mark.parametrize(("length", "declared"), [("", 0), ("0", 0), ("12", 12), (" 12 ", 12)])
def test_a_length_that_is_a_count_of_bytes_is_read_as_declared(length, declared):
    request = RequestFactory().post("/api/v1/imports", b"", content_type="text/plain")
    request.META["CONTENT_LENGTH"] = length
    assert declared_length(request) == declared


def test_an_upload_over_the_file_limit_is_refused_on_every_route(settings):
    settings.XINYONG_MAX_UPLOAD_BYTES = 1000
    answer = Client().post("/office/login/", {"file": ("x" * 2000)}, format="multipart")
    assert answer.status_code == 413


POST_FORM = re.compile(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)


def test_every_post_form_in_every_template_carries_the_csrf_token():
    forms = 0
    for template in SRC.rglob("templates/**/*.html"):
        for body in POST_FORM.findall(template.read_text()):
            forms += 1
            assert "{% csrf_token %}" in body, template
    assert forms >= 4


@pytest.mark.parametrize(
    "path", ["/office/login/", "/office/logout/", "/office/entries/1/sign/", "/office/imports/",
             "/admin/login/", "/login/"],
)  # fmt: skip
def test_every_form_post_without_the_csrf_token_is_refused(path):
    officer = OfficerFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer.user)
    answer = client.post(path, {"username": "x", "password": "y"})
    assert answer.status_code == 403, path


def test_the_header_guard_flags_a_page_without_the_secure_headers():
    request = RequestFactory().get("/")
    found = problems(request, HttpResponse("<p>hi</p>", content_type="text/html"))
    assert any("Content-Security-Policy" in line for line in found)
    assert any("Permissions-Policy" in line for line in found)


def test_a_signed_in_page_is_never_cached_and_cookies_are_http_only():
    officer = OfficerFactory()
    client = Client()
    answer = _log_in(client, officer.user.username, PASSWORD)
    assert answer.cookies["sessionid"]["httponly"]
    assert answer.cookies["sessionid"]["samesite"] == "Lax"
    page = client.get("/office/")
    assert page["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_api_docs_use_no_cdn():
    """Every script and style the docs load is the platform's own: an intranet reaches no CDN.
    Read from the page's addresses, not its whole text, where a random CSRF token may spell
    "cdn"."""
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert addresses and all(a.startswith("/") and not a.startswith("//") for a in addresses)
    assert not re.search(r"//[^\s\"']*cdn", html.lower())  # nor one named in a script
    assert "/static/ninja/swagger-ui-bundle.js" in addresses
    # The officers' session log-in checks CSRF: the page sends the token with each call.
    assert 'data-api-csrf="true"' in html


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    drop = {"SECRET_KEY", "XINYONG_DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True
    )


PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "-a-long-random-production-key-" + "z" * 20,
    "XINYONG_HTTPS": "1",
    "XINYONG_ALLOWED_HOSTS": "credit.example.gov.cn",
    "XINYONG_DATA_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
}
CHECK_DEPLOY = (
    "from xinyong.cli import main; main(['check', '--deploy', '--fail-level', 'WARNING'])"
)


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = _python(CHECK_DEPLOY, {**PRODUCTION, "XINYONG_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_https_or_without_log_in_throttling(tmp_path):
    plain = {**PRODUCTION, "XINYONG_HTTPS": "0", "XINYONG_VAR_DIR": str(tmp_path)}
    assert "xinyong.W001" in _python(CHECK_DEPLOY, plain).stderr
    unthrottled = {**PRODUCTION, "XINYONG_LOGIN_THROTTLING": "0", "XINYONG_VAR_DIR": str(tmp_path)}
    assert "xinyong.E001" in _python(CHECK_DEPLOY, unthrottled).stderr


def test_a_value_the_database_cannot_hold_is_a_422_not_a_server_error(implementing_client):
    from tests.factories import ScenarioFactory

    ScenarioFactory(code="government_procurement", name="政府采购")
    client = implementing_client(scenarios=("government_procurement",))
    answer = client.post(
        "/api/v1/checks",
        {"name": "杭州\u0000公司", "scenario": "government_procurement"},
        content_type="application/json",
    )
    # Refused where the request is read, on SQLite as on PostgreSQL (whose text cannot hold a
    # NUL), naming the field; nothing reaches the database.
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid-request")
    assert answer.json()["errors"][0]["field"] == "name"


def _redis_reachable() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis server on 127.0.0.1:6379")
def test_with_a_shared_cache_every_process_counts_against_one_budget(
    implementing_client, frozen_clock, settings
):
    """XINYONG_CACHE_URL: the count lives in Redis, where a second process sees it."""
    import redis
    from django.core.cache import caches

    url = "redis://127.0.0.1:6379/15"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    caches["default"].clear()
    try:
        client = implementing_client(rate_per_minute=2)
        assert [client.get("/api/v1/changes").status_code for _ in range(2)] == [200, 200]
        # Another serving process would read the same counter: here, a client of its own.
        keys = redis.Redis.from_url(url).keys("*xinyong:rate:*")
        assert len(keys) == 1
        assert client.get("/api/v1/changes").status_code == 429
    finally:
        caches["default"].clear()
