"""An officer signs a decision in the back office, in a real browser."""

import datetime as dt
import os

import pytest

from tests.factories import ListDefinitionFactory, ListEntryFactory, OfficerFactory
from xinyong.listings.models import EntryState, ListEntry, ListKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_signs_from_the_worklist(live_server, page, monkeypatch, tmp_path):
    # The live server runs in this process: the business date is the environment's.
    monkeypatch.setenv("XINYONG_TODAY", "2026-10-27")
    black = ListDefinitionFactory(kind=ListKind.BLACK, validity_value=3)
    OfficerFactory(department=black.recognizing_department, signer=True, user__username="signer")
    entry = ListEntryFactory(
        list=black, awaiting_signature=True, subject__name="浙江示例食品有限公司"
    )

    page.goto(live_server.url + "/office/")
    page.fill("#id_username", "signer")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/office/")
    assert "我的待办" in page.content()
    page.click("text=浙江示例食品有限公司")
    page.fill("form[data-action=sign] input[name=decision_document_number]", "食黑〔2026〕9号")
    page.click("form[data-action=sign] button[type=submit]")
    page.wait_for_selector(".message.success")
    assert page.locator("[data-state]").get_attribute("data-state") == "effective"
    page.screenshot(path=tmp_path / "entry.png", full_page=True)
    entry = ListEntry.objects.get(pk=entry.pk)
    assert (entry.state, entry.effective_on) == (EntryState.EFFECTIVE, dt.date(2026, 10, 27))
    assert os.path.getsize(tmp_path / "entry.png") > 10_000
