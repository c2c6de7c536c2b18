"""The pages as a person sees them, in a real browser."""

import pytest

from tests.factories import ListEntryFactory, OfficerFactory, SubjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_shows_the_published_lists_masked(live_server, page, tmp_path):
    ListEntryFactory(subject=SubjectFactory(natural_person=True, name="欧阳娜娜"), effective=True)
    ListEntryFactory(subject__name="杭州守信示范有限公司", effective=True, list__kind="red")
    page.goto(live_server.url + "/")
    assert page.title().endswith("信用平台")
    assert page.locator("[data-figure=black]").inner_text() == "1"
    assert page.locator("[data-figure=red]").inner_text() == "1"
    body = page.locator("main").inner_text()
    assert "欧阳某" in body and "欧阳娜娜" not in body
    assert "杭州守信示范有限公司" in body
    page.screenshot(path=tmp_path / "home.png", full_page=True)
    assert (tmp_path / "home.png").stat().st_size > 10_000


def test_the_public_opens_a_whole_list_and_searches_it(live_server, page):
    ListEntryFactory(subject=SubjectFactory(natural_person=True, name="欧阳娜娜"), effective=True)
    ListEntryFactory(subject__name="杭州示例物流有限公司", effective=True)
    page.goto(live_server.url + "/")
    page.click("text=查看全部严重失信主体名单")
    page.wait_for_url(live_server.url + "/lists/black/")
    body = page.locator("main").inner_text()
    assert "欧阳某" in body and "杭州示例物流有限公司" in body
    page.fill("#id_q", "示例物流")
    page.click("form.list-search button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1 and "杭州示例物流有限公司" in rows.inner_text()


def test_an_officer_logs_in_to_the_back_office(live_server, page):
    officer = OfficerFactory(user__username="scjg", user__is_staff=True, user__is_superuser=True)
    page.goto(live_server.url + "/admin/")
    assert "登录" in page.content()
    page.fill("#id_username", officer.user.username)
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    heading = page.locator("#site-name").inner_text()
    assert "管理后台" in heading
    assert "参考数据维护" in page.content()
    page.click("text=名单")
    page.wait_for_url("**/admin/listings/**")
    assert "/admin/listings/" in page.url


def test_a_wrong_password_is_refused(live_server, page):
    OfficerFactory(user__username="scjg", user__is_staff=True)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "scjg")
    page.fill("#id_password", "wrong password")
    page.click("input[type=submit]")
    # The form posts to the page's own address: wait for the answer, not for a new address.
    page.wait_for_selector(".errornote", timeout=10_000)
    assert "/admin/login/" in page.url
    assert page.locator(".errornote").count() == 1


def test_the_public_finds_a_candidate_in_publicity_and_reads_its_notice(live_server, page):
    """A candidate is publicized so that anyone may object (R1): from the navigation to the
    notice, the person masked (R5); the page's icon loads and its dates do not wrap."""
    from xinyong.listings import documents
    from xinyong.listings.decision_records import Announcement

    entry = ListEntryFactory(
        subject=SubjectFactory(natural_person=True, name="欧阳娜娜"), in_publicity=True
    )
    title, body = documents.publicity_notice(entry)
    Announcement.objects.create(
        entry=entry, kind=Announcement.Kind.PUBLICITY, channel=entry.channel,
        published_on=entry.publicity_starts_on, title=title, body=body,
    )  # fmt: skip
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.goto(live_server.url + "/")
    page.click("header nav >> text=公示公告")
    page.wait_for_url(live_server.url + "/announcements/")
    page.click("nav.filters >> text=公示")
    page.wait_for_url(live_server.url + "/announcements/?kind=publicity")
    date = page.locator("main table tbody td.date").first
    assert date.evaluate("cell => getComputedStyle(cell).whiteSpace") == "nowrap"
    page.click(f"text={title}")
    page.wait_for_load_state()
    text = page.locator("article.announcement").inner_text()
    assert "拟列入主体：欧阳某" in text and "欧阳娜娜" not in text
    assert "\n名单：" in text  # the notice keeps its lines
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(live_server.url + icon).ok
    assert missing == []


def test_the_public_reads_a_penalty_in_the_double_publicity(
    live_server, page, tmp_path, monkeypatch
):
    """双公示 from the navigation to a penalty's page: the organisation named, its legal
    representative masked, and the register's tabs (R9, R5)."""
    from tests.data.ingest import samples
    from tests.factories import CatalogItemFactory, DepartmentFactory
    from xinyong.catalog import services
    from xinyong.catalog.models import (
        Disclosure,
        PenaltyType,
        PublicationRule,
        PublicationTier,
        RecordFormat,
    )

    monkeypatch.setenv("XINYONG_TODAY", "2026-11-20")
    # The reference rows migrations load are gone after an earlier test of this kind flushed
    # the tables: a fine is general dishonesty information, published 3 months to a year (R8).
    PenaltyType.objects.get_or_create(name="罚款", defaults={"tier": PublicationTier.GENERAL})
    PublicationRule.objects.get_or_create(
        catalog_item=None, tier=PublicationTier.GENERAL,
        defaults={"is_published": True, "months_min": 3, "months_max": 12},
    )  # fmt: skip
    department = DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None, disclosure=Disclosure.PUBLIC)  # fmt: skip
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, [samples.penalty(3)])
    services.import_file(actor="test", kind="penalties", path=path, department=department)
    page.goto(live_server.url + "/")
    page.click("header nav >> text=双公示")
    page.wait_for_url(live_server.url + "/double-publicity/penalties/")
    assert page.locator("nav.filters a[aria-current=page]").inner_text() == "行政处罚"
    page.click("main table >> text=杭州示例3号科技有限公司")
    page.wait_for_load_state()
    facts = page.locator("main dl.facts").inner_text()
    assert "杭市监处罚〔2026〕3号" in facts and "违法行为类型" in facts
    assert "李四" not in facts and "法定代表人" in facts
    page.click("text=双公示：行政处罚")
    page.click("nav.filters >> text=行政许可")
    page.wait_for_url(live_server.url + "/double-publicity/licences/")
    assert "暂无公示信息" in page.locator("main").inner_text()


def test_a_list_on_a_phone_scrolls_in_its_card_and_keeps_its_columns_whole(live_server, page):
    """On a screen 390 px wide the page does not widen, and a department's name stays on one
    line: the table scrolls inside its card."""
    ListEntryFactory(
        subject__name="杭州示例物流有限公司", effective=True,
        list__recognizing_department__name="浙江省市场监督管理局",
    )  # fmt: skip
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/lists/black/")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cell = page.locator("main table tbody tr td").nth(3)
    assert "浙江省市场监督管理局" in cell.inner_text()
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main td')).fontSize)")
    assert cell.bounding_box()["height"] < 3 * size  # one line, not one character a line
