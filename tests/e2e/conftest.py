"""Headless Chromium (Debian's package) driven by Playwright, against Django's live server."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str:
    path = os.environ.get("XINYONG_CHROMIUM") or shutil.which("chromium")
    if path:
        return path
    message = "Chromium is not installed: `make test` installs Debian's chromium package"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = _chromium_path()
    # Playwright's synchronous API keeps an event loop in this thread; the tests' own database
    # calls are synchronous and safe, so Django's guard against async contexts is lifted here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    # A browser fetches the icon after a page has loaded, so it overlaps the test's next step;
    # the test server's threads share one SQLite connection, and a request ending closes it
    # under the other. The icon is answered here (its serving has its own test).
    context.route("**/favicon*", lambda route: route.fulfill(status=204, body=""))
    page = context.new_page()
    yield page
    context.close()


XINYONG = Path(sys.executable).with_name("xinyong")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file ``xinyong migrate`` made once per test process, from the console script as
    an operator runs it. The command-line tests start from a copy (``fresh_sqlite_url``) instead of
    each migrating a file of their own, which costs several seconds a test. A fresh database
    holds no subjects, so the copy serves whatever key a test then runs under."""
    folder = tmp_path_factory.mktemp("migrated")
    unset = {"DJANGO_SETTINGS_MODULE", "TEST_DATABASE_URL", "XINYONG_TODAY", "XINYONG_DATA_KEY"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(DATABASE_URL=f"sqlite:///{folder / 'xinyong.sqlite3'}",
               SECRET_KEY="e2e-template-key", XINYONG_VAR_DIR=str(folder / "var"))  # fmt: skip
    done = subprocess.run([str(XINYONG), "migrate", "--no-input", "--verbosity", "0"], env=env,
                          cwd=folder, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return folder / "xinyong.sqlite3"


@pytest.fixture
def fresh_sqlite_url(migrated_sqlite, tmp_path) -> str:
    """The ``DATABASE_URL`` of a copy of ``migrated_sqlite`` in the test's own folder."""
    copy = tmp_path / "xinyong.sqlite3"
    shutil.copyfile(migrated_sqlite, copy)
    return f"sqlite:///{copy}"
