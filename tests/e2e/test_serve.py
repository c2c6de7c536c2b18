"""`xinyong serve` runs gunicorn and serves the platform (never Django's development server); a
gunicorn started directly on the platform's WSGI application masks citizen IDs in its log too."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

XINYONG = str(Path(sys.executable).with_name("xinyong"))
CITIZEN_ID, MASKED_ID = "11010519491231002X", "110105********002X"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def env(tmp_path, fresh_sqlite_url):
    # The browser tests lift Django's async guard in this process's environment; a server
    # started with it lifted is refused by its deploy checks (async.E001), as it should be.
    unset = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return {
        **clean,
        "SECRET_KEY": "serve-test-secret",
        "DATABASE_URL": fresh_sqlite_url,
        "XINYONG_VAR_DIR": str(tmp_path),
    }


def _install(env, folder) -> None:
    """The steps of an install that ``xinyong serve`` checks: migrated (the database is a copy of
    a migrated one), static files collected."""
    subprocess.run([XINYONG, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=folder)


def test_serve_answers_the_home_page_with_gunicorn(env, tmp_path):
    _install(env, tmp_path)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [XINYONG, "serve", "--port", str(port), "--workers", "1"],
        env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline, body = time.monotonic() + 30, ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body, server_header = response.read().decode(), response.headers.get("Server")
                # Static files are collected, then served by WhiteNoise.
                static_url = f"http://127.0.0.1:{port}/static/admin/css/base.css"
                with urllib.request.urlopen(static_url, timeout=2) as response:
                    css = response.status
                break
            except OSError:
                time.sleep(0.3)
        assert "公共信用信息平台" in body, (tmp_path / "serve.log").read_text()
        assert "gunicorn" in (server_header or "").lower()
        assert css == 200
        # A request line past gunicorn's default 4094 bytes reaches the platform.
        long_url = f"http://127.0.0.1:{port}/api/v1/health?pad={'x' * 7000}"
        with urllib.request.urlopen(long_url, timeout=5) as response:
            assert (response.status, response.read()) == (200, b'{"status": "ok"}')
        # A body sent in chunks reaches the platform with no length: refused, not read as empty.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        body = iter([b'{"subject": "91330226MAHJ45UW3H",', b' "scenario": "procurement"}'])
        connection.request("POST", "/api/v1/checks", body=body, encode_chunked=True,
                           headers={"Content-Type": "application/json"})  # fmt: skip
        refused = connection.getresponse()
        assert (refused.status, json.loads(refused.read())["code"]) == (411, "length-required")
        connection.close()
        # A citizen ID in a query string and in the referrer: gunicorn's access log masks it.
        asked = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/health?subject={CITIZEN_ID}",
            headers={"Referer": f"http://127.0.0.1:{port}/office/queries/?subject={CITIZEN_ID}"},
        )
        with urllib.request.urlopen(asked, timeout=5) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    written = (tmp_path / "serve.log").read_text()
    assert f"/api/v1/health?subject={MASKED_ID} HTTP/1.1" in written, written
    assert f"/office/queries/?subject={MASKED_ID}" in written
    assert CITIZEN_ID not in written


def test_gunicorn_started_directly_masks_citizen_ids_in_its_access_log(env, tmp_path):
    """An operator's own gunicorn (a systemd unit, a container's CMD), with gunicorn's default
    logger class: the application, once loaded, masks the IDs its access log writes (R14)."""
    _install(env, tmp_path)
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "xinyong.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", "-"],
        env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    asked = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/health?subject={CITIZEN_ID}",
        headers={"Referer": f"http://127.0.0.1:{port}/office/queries/?subject={CITIZEN_ID}"},
    )
    try:
        deadline, status = time.monotonic() + 30, None
        while status is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(asked, timeout=2) as response:
                    status = response.status
            except OSError:  # not listening yet: nothing is logged for it
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    written = (tmp_path / "gunicorn.log").read_text()
    assert status == 200, written
    assert f"/api/v1/health?subject={MASKED_ID} HTTP/1.1" in written, written
    assert f"/office/queries/?subject={MASKED_ID}" in written
    assert CITIZEN_ID not in written
