"""A credit subject objects online to one of its credit records, in a real browser; the public
register marks the record meanwhile; the recording department corrects its facts in the back
office and the subject reads the result (R6; 000 §十一.2-3)."""

import datetime as dt

import pytest

from tests.e2e.remedy_pages import PDF, accounts, log_in
from tests.factories import (
    CatalogItemFactory,
    CreditRecordFactory,
    SubjectFactory,
)
from xinyong.catalog.models import RecordFormat
from xinyong.core import clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_subject_objects_to_a_record_and_the_department_corrects_it(
    live_server, browser, page, settings, tmp_path
):
    settings.VAR_DIR = tmp_path / "var"
    me = SubjectFactory(name="杭州某某科技有限公司")
    item = CatalogItemFactory(record_format=RecordFormat.PENALTY, name="行政处罚信息")
    today = clock.today()
    record = CreditRecordFactory(
        subject=me, catalog_item=item, title="未按规定公示年度报告",
        content={"CF_SY": "经查，当事人未按规定公示年度报告。", "CF_CFLB": "警告"},
        decision_date=today - dt.timedelta(days=30), published_on=today - dt.timedelta(days=28),
        publication_ends_on=today + dt.timedelta(days=300),
        sharing_ends_on=today + dt.timedelta(days=300),
    )  # fmt: skip
    accounts(me, record.department)
    evidence = tmp_path / "处罚决定书.pdf"
    evidence.write_bytes(PDF)

    log_in(page, live_server.url + "/login/?next=/my/", "zhuti", live_server.url + "/my/")
    page.click(f"#record-objection-{record.pk} [data-action=object-record]")
    page.wait_for_url(f"{live_server.url}/my/records/{record.pk}/objection/")
    page.fill("textarea[name=grounds]", "决定书载明已当场改正，公示信息漏记")
    page.set_input_files("input[name=files]", [str(evidence)])
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/my/#record-objection-{record.pk}")
    due = page.locator(f"#record-objection-{record.pk} [data-field=verification-due]")
    assert "核实" in due.inner_text()
    assert page.locator(f"#record-objection-{record.pk} [data-action=object-record]").count() == 0

    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/double-publicity/penalties/")
    tag = public.locator(f"[data-record='{record.pk}'] [data-field=under-objection]")
    assert tag.inner_text() == "异议核实中"
    public.context.close()

    office = browser.new_context(locale="zh-CN").new_page()
    log_in(office, live_server.url + "/office/login/", "renyuan", live_server.url + "/office/")
    office.click("header nav >> text=信息异议")
    office.click("text=杭州某某科技有限公司")
    office.fill("textarea[name=correct__CF_SY]", "经查，当事人未按规定公示年度报告，已当场改正。")
    office.fill("textarea[name=statement]", "核对决定书，公示信息漏记当场改正情节")
    office.click("button[value=founded]")
    office.wait_for_selector("[data-state=founded]")
    letter = office.locator("[data-field=result-letter]").inner_text()
    assert "更正为“经查，当事人未按规定公示年度报告，已当场改正。”" in letter
    office.context.close()

    page.reload()
    result = page.locator(f"#record-objection-{record.pk} [data-field=objection-result]")
    assert "异议成立" in result.inner_text() and "救济途径" in result.inner_text()
    record.refresh_from_db()
    assert record.content["CF_SY"].endswith("已当场改正。")
