"""The back office's menu follows the authorization matrix (R14): each role sees the links to
exactly the menu's pages it may open, and none that the access layer would refuse it."""

import re

import pytest
from django.urls import reverse

from tests.integration.test_access_cells import client_for
from xinyong.access.middleware import REFUSAL_HEADER
from xinyong.access.roles import Role
from xinyong.office.menu import MENU

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="([^"]+)">([^<]*)</a>')


def _menu(client) -> list[tuple[str, str]]:
    """The menu's links (address, label) as a page of the back office shows them to ``client``:
    its page for a missing address, which every caller gets, with the caller's menu."""
    html = client.get("/office/no-such-page/").content.decode()
    nav = html[html.index("<nav>") : html.index("</nav>")]
    return LINK.findall(nav)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_role_sees_exactly_the_menu_pages_it_may_open(role):
    client = client_for(role)
    shown = [url for url, _ in _menu(client)]
    for url in shown:
        assert client.get(url).get(REFUSAL_HEADER) is None, f"{url} linked but refused to {role}"
    openable = [
        reverse(route)
        for route, _ in MENU
        if client.get(reverse(route)).get(REFUSAL_HEADER) is None
    ]
    assert shown == openable


def test_the_menu_keeps_its_order_and_labels():
    """The credit office's administrator may open every page of the menu: all of it, in order."""
    assert _menu(client_for(Role.CREDIT_ADMIN)) == [
        ("/office/", "我的待办"),
        ("/office/repairs/", "信用修复"),
        ("/office/reports/", "红名单举报"),
        ("/office/record-objections/", "信息异议"),
        ("/office/imports/", "信用信息导入"),
        ("/office/submissions/", "数据报送清单"),
        ("/office/subjects/", "主体查询"),
        ("/office/queries/", "查询登记"),
        ("/office/joint/", "联合奖惩"),
    ]


@pytest.mark.parametrize("role", [Role.IMPLEMENTING_SYSTEM, Role.SUBJECT, Role.PUBLIC])
def test_a_role_with_no_office_page_has_no_menu_link(role):
    assert _menu(client_for(role)) == []


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_the_brand_links_home_only_for_a_role_that_may_open_it(role):
    client = client_for(role)
    html = client.get("/office/no-such-page/").content.decode()
    linked = '<a class="brand" href="/office/home/">' in html
    allowed = client.get("/office/home/").get(REFUSAL_HEADER) is None
    assert linked == allowed
    assert linked or '<span class="brand">' in html


def test_the_statistics_page_links_its_cases_only_for_a_role_that_may_open_them():
    """A link on a page follows the matrix as the menu does: a credit-office officer reads the
    platform's statistics but may not open the cases, so is not sent to a refusal (R14); the
    credit office's reviewer may, and is linked."""
    from django.test import Client

    from tests.factories import DepartmentFactory, OfficerFactory

    officer = Client()
    officer.force_login(OfficerFactory(department=DepartmentFactory(credit_office=True)).user)
    reviewer = client_for(Role.CREDIT_REVIEWER)
    period = {"since": "2026-11-01", "until": "2026-11-24"}
    for client, linked in ((officer, False), (reviewer, True)):
        page = client.get("/office/joint/", period)
        assert page.get(REFUSAL_HEADER) is None
        link = re.search(r'<a href="([^"]+)" data-cases>', page.content.decode())
        assert (link is not None) is linked
        if link is not None:
            assert client.get(link[1].replace("&amp;", "&")).get(REFUSAL_HEADER) is None
