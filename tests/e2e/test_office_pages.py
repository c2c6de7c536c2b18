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


def test_an_import_report_scrolls_inside_its_card(live_server, page, monkeypatch, tmp_path):
    """A report as wide as the file's columns scrolls in its own box: the page keeps the
    window's width and the explanation column stays readable, not one character a line."""
    from tests.data.ingest import samples
    from tests.factories import CatalogItemFactory, DepartmentFactory
    from xinyong.audit import purposes
    from xinyong.audit.models import QueryPurpose
    from xinyong.catalog.models import RecordFormat

    monkeypatch.setenv("XINYONG_TODAY", "2026-11-20")
    purposes.ensure_built_in(QueryPurpose)  # reading the report is registered; an earlier
    # browser test emptied the tables the migrations filled
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    department = DepartmentFactory(code="hz-scjg", name="杭州市市场监督管理局")
    OfficerFactory(department=department, user__username="importer")
    rows = [samples.penalty(1, CF_XDR_LB="外星组织", CF_WFXW="违法事实" * 60)]
    path = samples.write_csv(tmp_path / "处罚.csv", samples.PENALTY_FIELDS, rows)

    page.goto(live_server.url + "/office/imports/")
    page.fill("#id_username", "importer")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/office/imports/")
    page.select_option("select[name=kind]", "penalties")
    page.set_input_files("input[name=file]", str(path))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("table.report")
    page.wait_for_load_state("load")  # every stylesheet applied before anything is measured
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    explanation = page.locator("table.report tbody tr td:nth-child(4)").first
    assert explanation.bounding_box()["width"] >= 200
    assert page.locator(".scroll").evaluate("e => e.scrollWidth > e.clientWidth")


def test_the_leniency_choices_sit_beside_their_labels(live_server, page, monkeypatch, tmp_path):
    """The signing form's leniency grounds are checkboxes: each box is on its label's line,
    before its text, not a full-width line of its own above it (R10)."""
    monkeypatch.setenv("XINYONG_TODAY", "2026-10-27")
    black = ListDefinitionFactory(kind=ListKind.BLACK, validity_value=3)
    OfficerFactory(department=black.recognizing_department, signer=True, user__username="signer")
    entry = ListEntryFactory(list=black, awaiting_signature=True)

    page.goto(f"{live_server.url}/office/entries/{entry.pk}/")
    page.fill("#id_username", "signer")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_selector("form[data-action=sign]")
    page.wait_for_load_state("load")  # every stylesheet applied before anything is measured
    labels = page.locator("form[data-action=sign] fieldset label")
    assert labels.count() == 4
    for index in range(labels.count()):
        label = labels.nth(index)
        box = label.locator("input[type=checkbox]").bounding_box()
        text = label.bounding_box()
        assert box["width"] < 40  # not stretched across the form
        assert box["x"] - text["x"] < 10  # at the start of its label
        assert box["y"] < text["y"] + text["height"] / 2 < box["y"] + box["height"] + 12
    page.locator("form[data-action=sign] fieldset").screenshot(path=tmp_path / "leniency.png")
