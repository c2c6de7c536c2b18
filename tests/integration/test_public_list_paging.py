"""The red and black lists' public pages are paged without a count (R5's portal at scale).

Counting every entry in force costs the database as much as reading them, on every visit: a
page reads its rows and one more to know whether another follows, goes as deep as
``PUBLIC_PAGES`` and says to search beyond it, as the announcements and the registers do. The
whole list's count is the home page's, counted at most once a minute.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ListDefinitionFactory, ListEntryFactory
from xinyong.portal import views

pytestmark = pytest.mark.django_db


def _listed(kind: str, count: int, name: str = "第{n:02d}号企业有限公司") -> None:
    """``count`` entries in force on one list, the one numbered highest the newest."""
    definition = ListDefinitionFactory(kind=kind)
    for n in range(count):
        ListEntryFactory(effective=True, list=definition, subject__name=name.format(n=n),
                         effective_on=dt.date(2026, 1, 1) + dt.timedelta(days=n))  # fmt: skip


def _html(client, path: str, **params) -> str:
    answer = client.get(path, params)
    assert answer.status_code == 200
    return answer.content.decode()


def _counts(captured) -> list[str]:
    return [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize("params", [{}, {"q": "企业"}, {"page": "2"}, {"page": "12000"}])
def test_a_list_page_counts_nothing(client, django_assert_max_num_queries, params):
    """A page reads its rows and one more in one query, never a count of the entries in force
    beyond the home page's, which is cached."""
    _listed("black", 3)
    client.get("/")  # the first request's session and caches are not the page's
    with CaptureQueriesContext(connection) as captured, django_assert_max_num_queries(1):
        _html(client, "/lists/black/", **params)
    assert not _counts(captured), _counts(captured)


def test_pages_go_on_newest_first_with_links_each_way(client, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    _listed("black", 5)
    first = _html(client, "/lists/black/")
    assert first.count("号企业有限公司") == 2 and "第 1 页" in first
    assert first.index("第04号") < first.index("第03号")
    assert 'rel="next"' in first and 'rel="prev"' not in first
    last = _html(client, "/lists/black/", page=3)
    assert last.count("号企业有限公司") == 1 and "第00号企业有限公司" in last
    assert 'rel="next"' not in last and 'rel="prev"' in last
    assert _html(client, "/lists/black/", page="x").count("号企业有限公司") == 2


def test_a_page_past_the_last_one_listed_shows_the_last_and_says_to_search(client, monkeypatch):
    """Deep pages cost the database the rows before them: the lists page as far as
    ``PUBLIC_PAGES`` and a search narrows the rest; a page asked for beyond it shows the last."""
    monkeypatch.setattr(views, "PER_PAGE", 2)
    monkeypatch.setattr(views, "PUBLIC_PAGES", 2)
    _listed("red", 6)
    first = _html(client, "/lists/red/")
    assert 'rel="next"' in first and "pages-limited" not in first
    for asked in ("2", "3", "12000", "99999999999999999999"):
        last = _html(client, "/lists/red/", page=asked)
        assert "第 2 页" in last and "第03号企业有限公司" in last and "第02号企业有限公司" in last
        assert 'rel="next"' not in last and 'rel="prev"' in last
        assert 'data-note="pages-limited" data-pages="2"' in last
    for asked in ("0", "-3", ""):
        assert "第05号企业有限公司" in _html(client, "/lists/red/", page=asked)


def test_the_links_keep_the_search(client, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    _listed("black", 5, name="杭州第{n:02d}号物流有限公司")
    _listed("black", 3)
    searched = _html(client, "/lists/black/", q="物流", page=2)
    assert searched.count("号物流有限公司") == 2 and "号企业有限公司" not in searched
    kept = "?q=%E7%89%A9%E6%B5%81&amp;page="
    assert f'href="{kept}3" rel="next"' in searched and f'href="{kept}1" rel="prev"' in searched
    assert "page=2&amp;page" not in searched  # the page asked for is not carried along


def test_an_empty_list_has_one_page_and_no_links(client):
    html = _html(client, "/lists/red/")
    assert "暂无公示信息" in html and "第 1 页" in html
    assert 'rel="next"' not in html and 'rel="prev"' not in html and "pages-limited" not in html
    searched = _html(client, "/lists/red/", q="没有这家")
    assert "名单中没有符合条件的单位" in searched and "查询到 0 条" in searched


def test_exactly_a_page_of_entries_is_one_page_with_its_count(client, monkeypatch):
    """A list that fits on its first page is counted by that page's rows, at no cost."""
    monkeypatch.setattr(views, "PER_PAGE", 3)
    _listed("black", 3)
    html = _html(client, "/lists/black/")
    assert html.count("号企业有限公司") == 3 and "有效期内共 3 条" in html
    assert 'rel="next"' not in html and 'rel="prev"' not in html
    _listed("black", 1, name="新增{n}号企业有限公司")
    more = _html(client, "/lists/black/")
    assert more.count("号企业有限公司") == 3 and 'rel="next"' in more
    assert "有效期内共 4 条" in more  # more than a page: the home page's count
    searched = _html(client, "/lists/black/", q="企业")
    assert "查询到" not in searched  # a search past its first page is not counted
    second = _html(client, "/lists/black/", page=2)
    assert second.count("号企业有限公司") == 1 and "第00号企业有限公司" in second
