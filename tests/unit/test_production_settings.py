"""Settings a production install behind a TLS-terminating reverse proxy depends on (R14).

The origins a browser's log-in form may come from are read from XINYONG_CSRF_TRUSTED_ORIGINS,
for a proxy that does not forward the public host name: each must be an origin the browser could
send, or the start stops naming the variable, rather than every log-in failing with a 403.
Uploaded files are kept readable by the serving account alone.
"""

import json
import os
import subprocess
import sys

import pytest

VARIABLE = "XINYONG_CSRF_TRUSTED_ORIGINS"
PUBLIC = "https://xinyong.example.gov.cn"


def _python(code: str, tmp_path, **env: str) -> subprocess.CompletedProcess:
    drop = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "XINYONG_DEBUG", VARIABLE}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "XINYONG_VAR_DIR": str(tmp_path), **env},
        capture_output=True, text=True,
    )  # fmt: skip


def _origins(tmp_path, value: str) -> subprocess.CompletedProcess:
    code = "import json, xinyong.settings as s; print(json.dumps(s.CSRF_TRUSTED_ORIGINS))"
    return _python(code, tmp_path, **{VARIABLE: value})


def test_trusted_origins_are_read_as_the_browser_sends_them(tmp_path):
    read = _origins(
        tmp_path, f" {PUBLIC}, http://10.0.0.5:8080 ,HTTPS://XinYong.Example.gov.cn:443,"
        "https://*.xinyong.example.gov.cn,http://[2001:db8::1]:8000"
    )  # fmt: skip
    assert read.returncode == 0, read.stderr
    # Host names compared in lower case, and a default port left out, as a browser's Origin is.
    assert json.loads(read.stdout) == [
        PUBLIC, "http://10.0.0.5:8080", PUBLIC, "https://*.xinyong.example.gov.cn",
        "http://[2001:db8::1]:8000",
    ]  # fmt: skip
    assert json.loads(_origins(tmp_path, "").stdout) == []


@pytest.mark.parametrize(
    "value",
    [
        "xinyong.example.gov.cn",  # no scheme
        "https://xinyong.example.gov.cn/",  # a path: no Origin header ever ends with one
        "https://xinyong.example.gov.cn/office/login/",
        "ftp://xinyong.example.gov.cn",
        "https://xinyong.example.gov.cn:99999",
        "https://admin@xinyong.example.gov.cn",
        "https://",
        f"{PUBLIC} https://other.example.gov.cn",  # a space where a comma was meant
    ],
)
def test_anything_not_an_origin_stops_the_start_naming_the_variable(tmp_path, value):
    refused = _origins(tmp_path, f"{PUBLIC},{value}")
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert VARIABLE in refused.stderr and "scheme://host[:port]" in refused.stderr


# A log-in form posted through a proxy that keeps nginx's default Host (the upstream's address)
# while the browser sends the public origin; a valid CSRF cookie and token, so that only the
# origin decides.
LOG_IN_THROUGH_PROXY = """
import django
from django.conf import settings
django.setup()
settings.CSRF_FAILURE_VIEW = "django.views.csrf.csrf_failure"
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.test import RequestFactory
secret = "a" * 32
request = RequestFactory().post(
    "/office/login/", {"csrfmiddlewaretoken": secret}, HTTP_HOST="127.0.0.1:8000",
    HTTP_ORIGIN="https://xinyong.example.gov.cn", HTTP_X_FORWARDED_PROTO="https",
)
request.COOKIES[settings.CSRF_COOKIE_NAME] = secret
refused = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})
print("refused" if refused else "accepted")
"""


def test_a_log_in_through_a_proxy_keeping_its_own_host_needs_the_origin_trusted(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "xinyong.settings", "SECRET_KEY": "s" * 50,
        "XINYONG_HTTPS": "1", "XINYONG_ALLOWED_HOSTS": "127.0.0.1",
    }  # fmt: skip
    untrusted = _python(LOG_IN_THROUGH_PROXY, tmp_path, **env)
    assert untrusted.stdout.strip() == "refused", untrusted.stderr
    assert "Origin checking failed" in untrusted.stderr
    trusted = _python(LOG_IN_THROUGH_PROXY, tmp_path, **env, **{VARIABLE: PUBLIC})
    assert trusted.stdout.strip() == "accepted", trusted.stderr


def test_uploaded_files_and_their_folders_are_the_serving_accounts_alone():
    from xinyong import settings

    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700
