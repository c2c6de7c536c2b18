"""Headless Chromium (Debian's package) driven by Playwright, against Django's live server."""

import os
import shutil

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
