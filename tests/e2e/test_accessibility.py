"""What only a browser shows about accessibility (GB/T 37668-2019, WCAG 2.1 AA): the names the
accessibility tree gives, the way past the menu, keyboard scrolling, a phone's header."""

import pytest

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    UserFactory,
)
from xinyong.access.models import SubjectAccount
from xinyong.listings.models import ListKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def _log_in(page, url, username):
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def _under_verification(monkeypatch):
    from xinyong.core import clock
    from xinyong.remedies import services as remedies

    monkeypatch.setenv("XINYONG_TODAY", "2026-10-13")
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    entry = ListEntryFactory(list=black, in_publicity=True)
    account = UserFactory()
    SubjectAccount.objects.create(user=account, subject=entry.subject)
    with clock.frozen(clock.today()):
        remedies.object_to_entry(entry.pk, actor=account, grounds="处罚决定已被撤销")
    OfficerFactory(department=black.recognizing_department, user__username="officer")
    return entry


def test_each_finding_box_is_named_and_its_label_focuses_it(live_server, page, monkeypatch):
    entry = _under_verification(monkeypatch)
    _log_in(page, f"{live_server.url}/office/entries/{entry.pk}/", "officer")
    for action in ("uphold", "reject"):
        form = page.locator(f"form[data-action={action}]")
        box = form.get_by_role("textbox")
        assert box.count() == 1
        name = box.evaluate("e => e.labels.length ? e.labels[0].textContent.trim() : ''")
        assert name, action
        form.locator("label").first.click()
        focused = page.evaluate("() => document.activeElement.closest('form').dataset.action")
        assert focused == action


def test_the_first_tab_reaches_a_skip_link_shown_only_then(live_server, page, monkeypatch):
    entry = _under_verification(monkeypatch)
    _log_in(page, f"{live_server.url}/office/entries/{entry.pk}/", "officer")
    link = page.locator("a.skip-link")
    assert link.bounding_box()["y"] + link.bounding_box()["height"] <= 0  # out of sight
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert link.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_a_wide_table_scrolls_from_the_keyboard(live_server, page, monkeypatch):
    from xinyong.reports import services

    monkeypatch.setenv("XINYONG_TODAY", "2026-11-10")
    red = ListDefinitionFactory(kind=ListKind.RED)
    entry = ListEntryFactory(list=red, effective=True)
    for _ in range(2):
        services.receive_report(
            entry.pk, facts="该主体存在失信行为", evidence="", reporter_name="王某",
            reporter_contact="13812345678",
        )  # fmt: skip
    OfficerFactory(department=red.recognizing_department, user__username="officer")
    page.set_viewport_size({"width": 320, "height": 800})
    _log_in(page, f"{live_server.url}/office/entries/{entry.pk}/", "officer")
    region = page.locator("[data-table=reports]").locator("xpath=..")
    assert region.get_attribute("role") == "region" and region.get_attribute("aria-label")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # it does scroll at 320 px
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=region.element_handle())


def test_the_office_header_wraps_on_a_phone(live_server, page, monkeypatch):
    entry = _under_verification(monkeypatch)
    page.set_viewport_size({"width": 320, "height": 800})
    _log_in(page, f"{live_server.url}/office/entries/{entry.pk}/", "officer")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    for item in page.locator("header nav a, header nav .who, header nav button").all():
        box = item.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 321, item.inner_text()


def test_a_session_about_to_end_warns_and_may_go_on(live_server, page):
    """WCAG 2.2.1: two minutes before the session ends for want of use, a warning takes the
    focus; going on renews the session; once it has ended, the page says so."""
    OfficerFactory(user__username="officer")
    _log_in(page, f"{live_server.url}/office/login/", "officer")
    page.clock.install()
    page.goto(f"{live_server.url}/office/")
    warning = page.locator("#session-warning")
    seconds = int(warning.get_attribute("data-seconds"))
    assert warning.is_hidden()
    page.clock.run_for((seconds - 121) * 1000)
    assert warning.is_hidden()
    page.clock.run_for(2000)
    assert warning.is_visible() and warning.get_by_role("button").is_visible()
    assert page.evaluate("() => document.activeElement.closest('#session-warning') !== null")
    with page.expect_response("**/session/alive/") as answer:
        warning.get_by_role("button").click()
    assert answer.value.status == 204
    warning.wait_for(state="hidden")
    page.clock.run_for((seconds + 1) * 1000)  # no other request meanwhile: the session ends
    assert warning.is_visible() and warning.get_by_role("button").is_hidden()
    assert "退出登录" in warning.inner_text()
