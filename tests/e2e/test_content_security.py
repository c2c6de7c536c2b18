"""The Content-Security-Policy allows everything the pages need and nothing from elsewhere.

A real browser reports each blocked script, style or image as a console error; none may appear
on the portal, the back office, the admin or the API docs (whose Swagger UI is served from the
installed package, never a CDN).
"""

import pytest

from tests.factories import ListEntryFactory, OfficerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page) -> list[str]:
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # A request the browser cancels itself (the page's icon, when the test goes on to the next
    # page) is no refusal; a blocked one fails otherwise.
    page.on(
        "requestfailed",
        lambda request: (
            None
            if request.failure == "net::ERR_ABORTED"
            else blocked.append(f"failed: {request.url} ({request.failure})")
        ),
    )
    return blocked


def test_the_api_docs_render_under_the_policy(live_server, page):
    blocked = _watch(page)
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    assert "/api/v1/checks" in page.locator("#swagger-ui").inner_text()
    assert blocked == []


def test_the_portal_back_office_and_admin_load_under_the_policy(live_server, page):
    ListEntryFactory(effective=True)
    officer = OfficerFactory(user__username="admin1", user__is_staff=True, user__is_superuser=True)
    blocked = _watch(page)
    page.goto(live_server.url + "/")
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", officer.user.username)
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/listings/listentry/")
    page.goto(live_server.url + "/office/")
    assert blocked == []
