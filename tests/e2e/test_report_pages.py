"""A member of the public reports a red-list entry, the department decides, and the reporter
looks the result up with its receipt number and code, in a real browser (R7, R4)."""

import datetime as dt

import pytest

from tests.factories import ListDefinitionFactory, ListEntryFactory, OfficerFactory
from xinyong.audit import purposes
from xinyong.audit.models import QueryPurpose
from xinyong.core import clock
from xinyong.listings.models import EntryState, ExitReason, ListKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_then_decide_then_look_up(live_server, page):
    purposes.ensure_built_in(QueryPurpose)  # reading the reporter is registered; an earlier
    # browser test emptied the tables the migrations had filled
    definition = ListDefinitionFactory(kind=ListKind.RED, name="纳税信用A级名单")
    entry = ListEntryFactory(subject__name="杭州守信科技有限公司", list=definition, effective=True)
    OfficerFactory(user__username="shuiwu", department=definition.recognizing_department)

    with clock.frozen(dt.date(2026, 11, 10)):
        page.goto(live_server.url + "/lists/red/")
        page.click("[data-action=report]")
        page.wait_for_url(f"{live_server.url}/reports/entries/{entry.pk}/")
        page.fill("textarea[name=facts]", "该企业2026年存在偷税行为")
        page.fill("input[name=reporter_name]", "王举报人")
        page.fill("input[name=reporter_contact]", "不是电话")
        page.click("main button[type=submit]")
        assert "请填写手机号码" in page.locator("[data-error=reporter_contact]").inner_text()
        page.fill("input[name=reporter_contact]", "13812345678")
        page.click("main button[type=submit]")
        number = page.locator("[data-field=number]").inner_text()
        code = page.locator("[data-field=code]").inner_text()

        page.goto(live_server.url + "/office/login/")
        page.fill("#id_username", "shuiwu")
        page.fill("#id_password", "correct horse battery")
        page.click("button[type=submit]")
        page.click("[data-field=pending-reports] a")
        page.click(f"text={number}")
        assert "王举报人" in page.locator("[data-field=reporter]").inner_text()
        page.check("input[name=founded][value='1']")
        page.fill("textarea[name=reasons]", "经核查偷税属实")
        page.click("form[data-form=decide] button[type=submit]")
        assert "举报属实" in page.locator("[data-field=state]").inner_text()
        page.click("header form button[type=submit]")  # log out

        page.goto(live_server.url + "/reports/lookup/")
        page.fill("input[name=number]", number)
        page.fill("input[name=code]", code)
        page.click("form[data-form=lookup] button[type=submit]")
        assert "经核查偷税属实" in page.locator("[data-field=reasons]").inner_text()
        assert "已移出守信激励对象名单" in page.locator("main").inner_text()
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.REPORTED)
