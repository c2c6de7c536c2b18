"""The public home page: figures and the latest entries, personal data masked (R5)."""

import datetime as dt

import pytest
from django.core.cache import cache

from tests.factories import (
    CatalogItemFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from xinyong.access.models import SubjectAccount
from xinyong.catalog.models import Disclosure
from xinyong.core import clock

pytestmark = pytest.mark.django_db


def test_home_page_is_in_simplified_chinese(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-Hans"' in html
    assert "公共信用信息" in html


def test_home_page_masks_persons_and_names_organisations(client):
    person = SubjectFactory(natural_person=True, name="欧阳娜娜")
    company = SubjectFactory(name="杭州示例科技有限公司")
    ListEntryFactory(subject=person, effective=True, list__kind="black")
    ListEntryFactory(subject=company, effective=True, list__kind="red")
    html = client.get("/").content.decode()
    assert "欧阳某" in html
    assert "欧阳娜娜" not in html
    assert person.reveal_identifier() not in html
    assert "杭州示例科技有限公司" in html
    assert company.reveal_identifier() in html


def test_only_effective_entries_are_published(client):
    ListEntryFactory(subject__name="公示中企业有限公司", in_publicity=True, list__kind="black")
    ListEntryFactory(
        subject__name="已移出企业有限公司", exited=True, list__kind="black",
        effective_on=dt.date(2025, 1, 1),
    )  # fmt: skip
    html = client.get("/").content.decode()
    assert "公示中企业有限公司" not in html
    assert "已移出企业有限公司" not in html


def test_a_list_kept_under_an_item_that_is_not_public_is_not_published(client):
    """The catalog item decides what is public (R5, 001 §三(二)): a list kept under an item
    that is public on request, or not public, shows on no public page nor in a figure."""
    cache.clear()
    hidden = CatalogItemFactory(disclosure=Disclosure.ON_REQUEST)
    ListEntryFactory(subject__name="依申请公开企业有限公司", effective=True, list__kind="black",
                     list__catalog_item=hidden)  # fmt: skip
    ListEntryFactory(subject__name="公开企业有限公司", effective=True, list__kind="black",
                     list__catalog_item=CatalogItemFactory())  # fmt: skip
    home = client.get("/")
    page = client.get("/lists/black/").content.decode()
    assert "依申请公开企业有限公司" not in home.content.decode() + page
    assert "公开企业有限公司" in page
    assert home.context["black_count"] == 1


def test_an_entry_past_its_validity_is_not_shown_before_the_daily_job_exits_it(client):
    """Valid until 2026-11-22: public that day, not from the 23rd, job or no job (R4, R5)."""
    ListEntryFactory(
        subject__name="期满企业有限公司", effective=True, list__kind="black",
        valid_until=dt.date(2026, 11, 22),
    )  # fmt: skip
    with clock.frozen(dt.date(2026, 11, 22)):
        assert "期满企业有限公司" in client.get("/").content.decode()
    cache.clear()  # the figures are kept a minute; the next day's visitor is past that
    with clock.frozen(dt.date(2026, 11, 23)):
        html = client.get("/").content.decode()
    assert "期满企业有限公司" not in html


def test_every_html_response_carries_secure_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_admin_login_page_is_served_in_chinese(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_the_home_page_figures_are_counted_once_a_minute_not_at_every_visit(
    django_assert_num_queries,
):
    from xinyong.portal import selectors

    ListEntryFactory(effective=True, list__kind="black")
    first = selectors.home_page()
    with django_assert_num_queries(0):
        assert selectors.home_page() == first
    assert selectors.HOME_CACHE_SECONDS <= 60


def test_an_entry_that_ends_leaves_the_home_page_at_once(client):
    """Saving an entry (an exit, a revocation) forgets the cached figures in this process."""
    from xinyong.listings.models import EntryState

    entry = ListEntryFactory(
        subject__name="即将移出企业有限公司", effective=True, list__kind="black"
    )
    assert "即将移出企业有限公司" in client.get("/").content.decode()
    entry.state, entry.exited_on = EntryState.EXITED, dt.date(2026, 11, 20)
    entry.save(update_fields=["state", "exited_on"])
    assert "即将移出企业有限公司" not in client.get("/").content.decode()


def test_the_cached_home_page_is_the_days_and_drops_an_entry_whose_validity_ended():
    """Cached just before midnight in China, the figures are not shown after it: an entry valid
    through that day counts no more from the next (R4), before the daily job and before the
    cached page would have expired."""
    from xinyong.portal import selectors

    ListEntryFactory(effective=True, list__kind="black", valid_until=dt.date(2026, 9, 30))
    with clock.frozen(dt.date(2026, 9, 30)):
        assert selectors.home_page()["black_count"] == 1
    with clock.frozen(dt.date(2026, 10, 1)):
        shown = selectors.home_page()
        assert (shown["black_count"], shown["latest_black"]) == (0, [])
    with clock.frozen(dt.date(2026, 9, 30)):
        assert selectors.home_page()["black_count"] == 1  # the day before is counted anew
    ListEntryFactory(effective=True, list__kind="black")  # saved on another business date
    with clock.frozen(dt.date(2026, 10, 1)):
        assert selectors.home_page()["black_count"] == 1  # a save forgets whatever day's page


def test_the_cached_home_page_keeps_each_visitors_language():
    from django.utils import translation

    from xinyong.portal import selectors

    ListEntryFactory(effective=True, list__kind="black")
    for language, label in (("zh-hans", "严重失信主体名单"), ("en", "Black list"),
                            ("zh-hans", "严重失信主体名单")):  # fmt: skip
        with translation.override(language):
            assert selectors.home_page()["latest_black"][0]["list_kind"] == label


def test_error_pages_are_in_chinese(client, rf):
    """A missing page, and a server error rendered without any request context (R5's portal)."""
    from django.views.defaults import server_error

    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert 'lang="zh-Hans"' in html and "页面不存在" in html and "Not Found" not in html
    failed = server_error(rf.get("/"))
    assert failed.status_code == 500
    assert "服务器错误" in failed.content.decode()


def test_a_public_list_shows_every_entry_in_force_a_page_at_a_time(client):
    for n in range(55):
        ListEntryFactory(
            effective=True, list__kind="black", subject__name=f"第{n:02d}号企业有限公司"
        )
    ListEntryFactory(exited=True, list__kind="black", subject__name="已移出企业有限公司",
                     effective_on=dt.date(2025, 1, 1))  # fmt: skip
    ListEntryFactory(effective=True, list__kind="red", subject__name="守信企业有限公司")
    first = client.get("/lists/black/").content.decode()
    assert "有效期内共 55 条" in first and first.count("号企业有限公司") == 50
    assert "已移出企业有限公司" not in first and "守信企业有限公司" not in first
    second = client.get("/lists/black/", {"page": 2}).content.decode()
    assert second.count("号企业有限公司") == 5
    assert client.get("/lists/yellow/").status_code == 404


def test_a_search_finds_organisations_and_never_a_person(client):
    """A name that found a masked person would unmask them (R5): persons are not searchable."""
    company = SubjectFactory(name="杭州示例物流有限公司")
    person = SubjectFactory(natural_person=True, name="欧阳娜娜")
    ListEntryFactory(effective=True, list__kind="black", subject=company)
    ListEntryFactory(effective=True, list__kind="black", subject=person)
    by_name = client.get("/lists/black/", {"q": "示例物流"}).content.decode()
    assert "杭州示例物流有限公司" in by_name and "欧阳某" not in by_name
    by_code = client.get("/lists/black/", {"q": company.reveal_identifier().lower()})
    assert "杭州示例物流有限公司" in by_code.content.decode()
    for asked in ("欧阳娜娜", person.reveal_identifier()):
        html = client.get("/lists/black/", {"q": asked}).content.decode()
        assert "欧阳某" not in html and "欧阳娜娜" not in html.split("</form>")[1]


def test_a_search_says_what_it_found_and_takes_no_nul(client):
    ListEntryFactory(effective=True, list__kind="black", subject__name="杭州示例物流有限公司")
    html = client.get("/lists/black/", {"q": "没有这家"}).content.decode()
    assert "查询到 0 条" in html and "名单中没有符合条件的单位" in html
    assert client.get("/lists/black/", {"q": "示例\x00物流"}).status_code == 200


def test_the_black_list_table_names_both_kinds_of_code(client):
    ListEntryFactory(effective=True, list__kind="black")
    html = client.get("/").content.decode()
    assert "<th>统一社会信用代码/身份证号</th>" in html
    assert '<td class="date">2026-10-27</td>' in html


def test_only_a_credit_subject_is_offered_its_own_record(client):
    subject_user = UserFactory()
    SubjectAccount.objects.create(user=subject_user, subject=SubjectFactory())
    client.force_login(OfficerFactory().user)
    assert 'href="/my/"' not in client.get("/").content.decode()
    client.force_login(subject_user)
    assert 'href="/my/"' in client.get("/").content.decode()


PUBLIC_LINKS = {
    "/lists/red/": "红名单",
    "/lists/black/": "严重失信主体名单",
    "/reports/lookup/": "举报结果查询",
}


@pytest.mark.parametrize("who", ["nobody", "subject", "officer"])
def test_the_navigation_links_the_public_lists_and_the_report_look_up(client, who):
    """The public lists (R5) and a report's result (R7) are open to everyone, so every visitor's
    menu links them, on every page of the portal."""
    if who == "subject":
        user = UserFactory()
        SubjectAccount.objects.create(user=user, subject=SubjectFactory())
        client.force_login(user)
    elif who == "officer":
        client.force_login(OfficerFactory().user)
    for path in ("/", "/lists/red/", "/reports/lookup/"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        menu = answer.content.decode().split("<main>")[0]
        for href, label in PUBLIC_LINKS.items():
            assert f'<a href="{href}">{label}</a>' in menu, (path, href)
        assert 'href="/office/reports/"' not in menu  # the department's queue is not the public's


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [("subject", "/my/"), ("officer", "/office/home/"), ("nobody", "/")],
)
def test_the_portal_log_in_lands_each_account_where_it_works(client, who, lands_on):
    user = UserFactory(username="someone")
    user.set_password("secret-pass-1")
    user.save()
    if who == "subject":
        SubjectAccount.objects.create(user=user, subject=SubjectFactory())
    elif who == "officer":
        OfficerFactory(user=user, department=ListDefinitionFactory().recognizing_department)
    answer = client.post("/login/", {"username": "someone", "password": "secret-pass-1"})
    assert (answer.status_code, answer["Location"]) == (302, lands_on)
    credentials = {"username": "someone", "password": "secret-pass-1"}
    asked = client.post("/login/?next=/cases/", {**credentials, "next": "/cases/"})
    assert asked["Location"] == "/cases/"


def test_the_favicon_is_a_static_file_every_page_links(client):
    answer = client.get("/favicon.ico")
    assert (answer.status_code, answer["Location"]) == (302, "/static/portal/favicon.svg")
    icon = client.get("/static/portal/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)
    assert 'rel="icon" href="/static/portal/favicon.svg"' in client.get("/").content.decode()
