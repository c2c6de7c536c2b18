"""The portal's announcements (公示公告): a candidate in publicity can be objected to (R1), every
exit is announced where the listing was (R4), and every text shows persons masked (R5)."""

import datetime as dt

import pytest

from tests.factories import (
    CatalogItemFactory,
    LinkedPersonFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from xinyong.catalog.models import Disclosure
from xinyong.core import clock
from xinyong.listings import documents, services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import ExitReason, ListEntryPerson, ListKind

pytestmark = pytest.mark.django_db
D = dt.date
Kind = Announcement.Kind

TEXTS = {
    Kind.PUBLICITY: documents.publicity_notice,
    Kind.DECISION: documents.decision_announcement,
    Kind.EXIT: documents.exit_announcement,
    Kind.CORRECTION: documents.correction_announcement,
}

# An entry's exit and correction texts name the reason and the day it ended.
ENDED = {"exit_reason": "corrected", "exited_on": D(2026, 11, 2)}


FIRST_DAY = D(2026, 9, 21)


def announce(entry, kind=Kind.PUBLICITY, day=FIRST_DAY, follows=None, **fields):
    """An announcement as the services publish it: the documents' masked text, on the entry's
    channel."""
    if kind == Kind.PUBLICITY_AMENDED:
        title, body = documents.publicity_amendment(entry, D(2026, 10, 23), True)
    else:
        title, body = TEXTS[kind](entry)
    values = {"entry": entry, "kind": kind, "channel": entry.channel, "published_on": day,
              "title": title, "body": body, "follows": follows, **fields}  # fmt: skip
    return Announcement.objects.create(**values)


def html_of(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_persons_publicity_notice_is_listed_and_shown_masked(client):
    person = SubjectFactory(natural_person=True, name="欧阳娜娜")
    entry = ListEntryFactory(
        subject=person, in_publicity=True, list__name="食品安全严重失信主体名单",
        list__recognizing_department__name="杭州市市场监督管理局",
    )  # fmt: skip
    notice = announce(entry)
    listed = html_of(client, "/announcements/")
    assert "关于拟列入食品安全严重失信主体名单的公示" in listed
    assert f'href="/announcements/{notice.pk}/"' in listed
    assert "杭州市市场监督管理局" in listed and "2026-09-21" in listed
    shown = html_of(client, f"/announcements/{notice.pk}/")
    assert "欧阳某" in shown and "欧阳娜娜" not in shown
    assert person.identifier in shown  # the stored ID is masked (R14) ...
    assert person.reveal_identifier() not in shown  # ... and the full one never shown
    assert "拟列入主体：欧阳某" in shown and "<br>名单：食品安全严重失信主体名单" in shown
    assert "公示期内如有异议" in shown


def test_a_person_named_in_full_by_the_facts_is_masked_on_the_portal(client):
    """The facts are an officer's words: the portal masks the person there too (R5)."""
    person = SubjectFactory(natural_person=True, name="欧阳娜娜")
    entry = ListEntryFactory(
        subject=person, in_publicity=True,
        facts=f"欧阳娜娜（身份证号码{person.reveal_identifier()}）拒不履行生效判决。",
    )  # fmt: skip
    notice = announce(entry, title="关于欧阳娜娜的公示")
    listed = html_of(client, "/announcements/")
    shown = html_of(client, f"/announcements/{notice.pk}/")
    for html in (listed, shown):
        assert "关于欧阳某的公示" in html and "欧阳娜娜" not in html
    assert f"欧阳某（身份证号码{person.identifier}）拒不履行" in shown
    assert person.reveal_identifier() not in shown
    # Where the catalog item's legal basis requires the name, it stays (001 §4).
    named = ListEntryFactory(
        subject=SubjectFactory(natural_person=True, name="司马光明"), effective=True,
        facts="司马光明拒不履行。", list__catalog_item=CatalogItemFactory(mask_personal_data=False),
    )  # fmt: skip
    decision = announce(named, Kind.DECISION)
    assert "司马光明拒不履行" in html_of(client, f"/announcements/{decision.pk}/")


# An organisation, its legal representative, another person named by the entry, and a citizen
# ID of someone the platform does not know.
COMPANY = "杭州光明建材有限公司"
STRANGER_ID = "11010519491231002X"


def company_in_publicity(facts: str, **fields):
    company = SubjectFactory(name=COMPANY)
    representative = LinkedPersonFactory(organisation=company, person__name="李光明").person
    entry = ListEntryFactory(subject=company, in_publicity=True, facts=facts, **fields)
    manager = SubjectFactory(natural_person=True, name="欧阳娜娜")  # named, no longer linked
    ListEntryPerson.objects.create(entry=entry, person=manager, role="principal")
    return entry, representative


def test_the_facts_mask_the_persons_linked_to_an_organisation_and_every_citizen_id(client):
    """The facts name the legal representative, in full and by the given name, a person the
    entry names, and someone's ID: the notice as stored and as the portal shows it masks them
    all, and keeps the company's name, which holds the given name (R5, R14)."""
    entry, representative = company_in_publicity(
        f"{COMPANY}法定代表人李光明（身份证号码{{id}}）组织生产，光明对此知情；"
        f"原负责人欧阳娜娜、娜娜女士参与；同住人身份证号码{STRANGER_ID}。"
    )
    entry.facts = entry.facts.format(id=representative.reveal_identifier())
    entry.save()
    notice = announce(entry)
    home, page = html_of(client, "/"), html_of(client, f"/announcements/{notice.pk}/")
    assert f"/announcements/{notice.pk}/" in home
    for text in (notice.body, page):
        assert (
            f"{COMPANY}法定代表人李某（身份证号码{representative.identifier}）组织生产，"
            f"某对此知情；原负责人欧阳某、某女士参与；同住人身份证号码110105********002X。"
        ) in text
        for shown in ("李光明", "光明对此", "欧阳娜娜", "娜娜", STRANGER_ID,
                      representative.reveal_identifier()):  # fmt: skip
            assert shown not in text, shown


def test_a_notice_stored_before_its_facts_were_masked_is_masked_when_shown(client):
    """A title and a text stored in clear show masked on the home page, the list of
    announcements and the notice's own page (R5)."""
    entry, _representative = company_in_publicity("")
    notice = announce(entry, title="关于李光明所在公司的公示",
                      body=f"事实：李光明、光明与欧阳娜娜；身份证号码{STRANGER_ID}")  # fmt: skip
    pages = [html_of(client, url) for url in ("/", "/announcements/")]
    pages.append(html_of(client, f"/announcements/{notice.pk}/"))
    for html in pages:
        assert "关于李某所在公司的公示" in html and "李光明" not in html
    assert "事实：李某、某与欧阳某；身份证号码110105********002X" in pages[-1]
    assert "娜娜" not in pages[-1] and STRANGER_ID not in pages[-1]


def test_where_the_legal_basis_requires_the_names_only_the_ids_are_masked(client):
    """A catalog item that publishes persons' data leaves the names (001 §4); an ID number in
    an officer's words is masked all the same."""
    item = CatalogItemFactory(mask_personal_data=False)
    entry, _representative = company_in_publicity(
        f"法定代表人李光明（身份证号码{STRANGER_ID}）拒不履行。", list__catalog_item=item
    )
    page = html_of(client, f"/announcements/{announce(entry).pk}/")
    assert "法定代表人李光明（身份证号码110105********002X）拒不履行。" in page


def test_announcements_are_listed_newest_first_twenty_a_page(client):
    entry = ListEntryFactory(effective=True)
    for n in range(25):
        announce(entry, Kind.DECISION, day=D(2026, 9, 1) + dt.timedelta(days=n),
                 title=f"第{n:02d}号公告")  # fmt: skip
    first = html_of(client, "/announcements/")
    assert first.count("号公告</a>") == 20 and "第 1 页" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert first.index("第24号公告") < first.index("第23号公告")
    assert "第04号公告" not in first
    second = html_of(client, "/announcements/", page=2)
    assert second.count("号公告</a>") == 5 and "第00号公告" in second
    assert 'rel="next"' not in second and 'rel="prev"' in second
    assert html_of(client, "/announcements/", page="x").count("号公告</a>") == 20


def test_announcements_are_paged_without_counting_them_all(client):
    """A page reads its rows and one more, never a count of every announcement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    announce(ListEntryFactory(effective=True), Kind.DECISION)
    with CaptureQueriesContext(connection) as captured:
        html_of(client, "/announcements/")
    assert not [q for q in captured if "COUNT(" in q["sql"].upper()]


def test_a_page_past_the_last_one_listed_shows_the_last_and_says_to_search(client, monkeypatch):
    """Deep pages cost the database the rows before them: the public pages go as far as
    ``PUBLIC_PAGES`` and a search narrows the rest; a page asked for beyond it shows the last."""
    from xinyong.portal import views

    monkeypatch.setattr(views, "ANNOUNCEMENTS_PER_PAGE", 2)
    monkeypatch.setattr(views, "PUBLIC_PAGES", 2)
    entry = ListEntryFactory(effective=True)
    for n in range(6):
        announce(entry, Kind.DECISION, day=D(2026, 9, 1) + dt.timedelta(days=n),
                 title=f"第{n:02d}号公告")  # fmt: skip
    first = html_of(client, "/announcements/")
    assert 'rel="next"' in first and "pages-limited" not in first
    for asked in ("2", "3", "12000"):
        last = html_of(client, "/announcements/", page=asked)
        assert "第 2 页" in last and "第03号公告" in last and "第02号公告" in last
        assert 'rel="next"' not in last and 'rel="prev"' in last
        assert 'data-note="pages-limited" data-pages="2"' in last  # and says to search


def test_the_filter_groups_amended_notices_with_publicity_and_the_search_reads_titles(client):
    entry = ListEntryFactory(effective=True, subject__name="杭州示例物流有限公司", **ENDED)
    notice = announce(entry, Kind.PUBLICITY, title="公示甲")
    announce(entry, Kind.PUBLICITY_AMENDED, D(2026, 9, 30), follows=notice, title="调整乙")
    decision = announce(entry, Kind.DECISION, D(2026, 10, 27), follows=notice, title="决定丙")
    announce(entry, Kind.EXIT, D(2026, 11, 2), follows=decision, title="移出丁")
    announce(entry, Kind.CORRECTION, D(2026, 11, 2), follows=decision, title="更正戊")
    titles = ("公示甲", "调整乙", "决定丙", "移出丁", "更正戊")

    def shown(**params) -> set[str]:
        html = html_of(client, "/announcements/", **params)
        return {title for title in titles if f"{title}</a>" in html}

    assert shown() == set(titles)
    assert shown(kind="publicity") == {"公示甲", "调整乙"}
    assert shown(kind="decision") == {"决定丙"}
    assert shown(kind="exit") == {"移出丁"}
    assert shown(kind="correction") == {"更正戊"}
    assert shown(kind="no-such-kind") == set(titles)
    assert shown(q="移出") == {"移出丁"}
    assert shown(q="决定", kind="exit") == set()
    assert client.get("/announcements/", {"q": "公示\x00甲"}).status_code == 200


def test_an_announcement_links_what_it_follows_and_what_follows_it(client):
    entry = ListEntryFactory(effective=True, **ENDED)
    notice = announce(entry, Kind.PUBLICITY, title="公示甲")
    decision = announce(entry, Kind.DECISION, D(2026, 10, 27), follows=notice, title="决定丙")
    exit_ = announce(entry, Kind.EXIT, D(2026, 11, 2), follows=decision, title="移出丁")
    html = html_of(client, f"/announcements/{decision.pk}/")
    assert f'<a href="/announcements/{notice.pk}/">公示甲</a>（2026-09-21）' in html
    assert f'<a href="/announcements/{exit_.pk}/">移出丁</a>（2026-11-02）' in html


def test_only_the_portals_announcements_of_its_public_lists_are_shown(client):
    """Another channel, a list the portal does not publish, a catalog item not disclosed to
    the public, and a notice dated after today: none is listed, linked or opened."""
    shown = announce(ListEntryFactory(effective=True), Kind.DECISION, title="门户公告")
    hidden = [
        announce(ListEntryFactory(effective=True, channel="court-gazette"), title="法院公告"),
        announce(ListEntryFactory(effective=True, list__kind="key_attention"), title="关注公告"),
        announce(
            ListEntryFactory(
                effective=True,
                list__catalog_item=CatalogItemFactory(disclosure=Disclosure.ON_REQUEST),
            ),
            title="依申请公告",
        ),
        announce(ListEntryFactory(effective=True), day=D(2026, 10, 2), title="明日公告"),
    ]
    # A red list named under a public catalog item is the portal's like any other.
    public_item = CatalogItemFactory(disclosure=Disclosure.PUBLIC)
    red = announce(
        ListEntryFactory(effective=True, list__kind="red", list__catalog_item=public_item),
        title="守信公告",
    )
    Announcement.objects.filter(pk=shown.pk).update(follows=hidden[0])
    with clock.frozen(D(2026, 10, 1)):
        listed = html_of(client, "/announcements/")
        assert "门户公告" in listed and "守信公告" in listed
        for announcement in hidden:
            assert announcement.title not in listed
            assert client.get(f"/announcements/{announcement.pk}/").status_code == 404
        page = html_of(client, f"/announcements/{shown.pk}/")
        assert "法院公告" not in page and "data-follows" not in page
        assert client.get(f"/announcements/{red.pk}/").status_code == 200


def test_once_an_entry_ends_only_its_exit_and_correction_stay_public(client):
    """A repaired entry is no longer published (R4, R8): its listing notices leave the portal,
    the exit stays; a rejected candidate keeps only the correction that cleared it."""
    repaired = ListEntryFactory(
        exited=True, exit_reason="repaired", exited_on=D(2026, 9, 30),
        publicity_starts_on=D(2022, 11, 1), publicity_ends_on=D(2022, 12, 1),
    )  # fmt: skip
    notice = announce(repaired, Kind.PUBLICITY, title="修复前公示")
    decision = announce(repaired, Kind.DECISION, follows=notice, title="修复前决定")
    announce(repaired, Kind.EXIT, D(2026, 9, 30), follows=decision, title="修复移出")
    rejected = ListEntryFactory(in_publicity=True, state="rejected")
    cleared = announce(rejected, Kind.PUBLICITY, title="被驳回公示")
    announce(rejected, Kind.CORRECTION, D(2026, 10, 9), follows=cleared, title="驳回更正")
    lapsed = ListEntryFactory(effective=True, valid_until=D(2026, 11, 1))
    announce(lapsed, Kind.DECISION, title="期满决定")
    html = html_of(client, "/announcements/")
    assert "修复移出" in html and "驳回更正" in html
    assert [t for t in ("修复前公示", "修复前决定", "被驳回公示", "期满决定") if t in html] == []
    assert client.get(f"/announcements/{decision.pk}/").status_code == 404


def test_after_an_exit_the_listing_notices_leave_every_page_and_the_exit_stays(client):
    """R4 (000 §十.3): an entry corrected on objection exits and is no longer public. Its
    publicity and decision notices leave the lists, the filter, the home page and their own
    pages, and the exit links to no notice hidden; its exit and correction notices stay."""
    entry = ListEntryFactory(
        exited=True, exit_reason="corrected", exited_on=D(2026, 9, 30),
        publicity_starts_on=D(2026, 9, 21), publicity_ends_on=D(2026, 10, 26),
    )  # fmt: skip
    notice = announce(entry, Kind.PUBLICITY, title="更正前公示")
    decision = announce(entry, Kind.DECISION, D(2026, 9, 25), follows=notice, title="更正前决定")
    exit_ = announce(entry, Kind.EXIT, D(2026, 9, 30), follows=decision, title="更正移出")
    correction = announce(entry, Kind.CORRECTION, D(2026, 9, 30), follows=decision,
                          title="更正公告")  # fmt: skip
    with clock.frozen(D(2026, 10, 1)):
        listed = html_of(client, "/announcements/")
        assert "更正移出" in listed and "更正公告" in listed
        assert "更正前公示" not in listed and "更正前决定" not in listed
        for group in ("publicity", "decision"):
            assert "更正前" not in html_of(client, "/announcements/", kind=group)
        assert "更正前公示" not in html_of(client, "/")
        for hidden in (notice, decision):
            assert client.get(f"/announcements/{hidden.pk}/").status_code == 404
        for kept in (exit_, correction):
            page = html_of(client, f"/announcements/{kept.pk}/")
            assert "data-follows" not in page and "更正前决定" not in page


def test_an_unknown_announcement_is_not_found(client):
    assert client.get("/announcements/999999/").status_code == 404
    assert "页面不存在" in client.get("/announcements/999999/").content.decode()


def test_the_home_page_shows_the_latest_five_publicity_notices(client):
    entries = [ListEntryFactory(in_publicity=True) for _ in range(6)]
    for n, entry in enumerate(entries):
        announce(entry, day=D(2026, 9, 21) + dt.timedelta(days=n), title=f"第{n}号公示")
    announce(ListEntryFactory(effective=True), Kind.DECISION, D(2026, 10, 30), title="某列入决定")
    html = html_of(client, "/")
    assert [f"第{n}号公示" in html for n in range(6)] == [False] + [True] * 5
    assert "某列入决定" not in html
    assert 'href="/announcements/?kind=publicity"' in html
    assert 'href="/announcements/"' in html  # the navigation


def test_a_notice_published_now_shows_on_the_cached_home_page_at_once(client):
    assert "目前没有公示" in html_of(client, "/")
    announce(ListEntryFactory(in_publicity=True), title="新近公示")
    assert "新近公示" in html_of(client, "/")


def test_a_reinstated_entrys_decision_notice_shows_the_reinstatement_after_its_exit(client):
    """A red entry ended by a black listing later found wrong is put back in force (R2, R6,
    000 §十一.3): its decision notice, public again, links its exit and, after it, the notice
    that reinstated the entry, with its day, as the exit's own page does (R4); the person's
    name shows masked there too (R5)."""
    person = SubjectFactory(natural_person=True, name="欧阳娜娜")
    red = ListEntryFactory(
        subject=person, list=ListDefinitionFactory(kind=ListKind.RED), awaiting_signature=True
    )
    black = ListEntryFactory(
        subject=person, list=ListDefinitionFactory(kind=ListKind.BLACK), awaiting_signature=True
    )
    signers = [
        OfficerFactory(department=entry.list.recognizing_department, signer=True).user
        for entry in (red, black)
    ]
    with clock.frozen(D(2026, 10, 27)):
        services.sign_decision(red.pk, actor=signers[0])
    with clock.frozen(D(2026, 11, 2)):  # the red entry ends at once (R2)
        services.sign_decision(black.pk, actor=signers[1])
    with clock.frozen(D(2026, 11, 5)):
        services.record_objection(black.pk, actor=signers[1], objector="欧阳娜娜", grounds="有误")
    with clock.frozen(D(2026, 11, 16)):
        services.exit_entry(black.pk, actor=signers[1], reason=ExitReason.CORRECTED, note="有误")
        decision = red.announcements.get(kind=Kind.DECISION)
        exit_ = red.announcements.get(kind=Kind.EXIT)
        reinstatement = red.announcements.get(kind=Kind.CORRECTION)
        html = html_of(client, f"/announcements/{decision.pk}/")
    followed = html.split("<dd data-followed-by>", 1)[1].split("</dd>", 1)[0]
    exit_link = f'<a href="/announcements/{exit_.pk}/">{exit_.title}</a>（2026-11-02）'
    reinstated = f'<a href="/announcements/{reinstatement.pk}/">{reinstatement.title}</a>'
    assert exit_link in followed and f"{reinstated}（2026-11-16）" in followed
    assert followed.index(exit_link) < followed.index(reinstated)
    assert "关于恢复欧阳某列入" in reinstatement.title and "欧阳娜娜" not in html


def amended_chain(amendments: int) -> tuple[Announcement, list[Announcement]]:
    """An entry's publicity notice and the notices after it, as the services chain them: each
    amendment of the period follows the last one (``receivers``), the decision the last of
    them and the exit the decision (``transitions.announce``)."""
    entry = ListEntryFactory(effective=True, **ENDED)
    notice = announce(entry, Kind.PUBLICITY, title="公示")
    later, last = [], notice
    for n in range(amendments):
        last = announce(entry, Kind.PUBLICITY_AMENDED, D(2026, 9, 22 + n), follows=last,
                        title=f"调整{n}")  # fmt: skip
        later.append(last)
    decision = announce(entry, Kind.DECISION, D(2026, 10, 27), follows=last, title="决定")
    later += [decision, announce(entry, Kind.EXIT, D(2026, 11, 2), follows=decision,
                                 title="移出")]  # fmt: skip
    return notice, later


def test_an_announcements_page_reads_the_notices_after_it_in_as_many_queries_however_many(
    client,
):
    """A notice's page lists every published notice after it (R4): read at once, not one
    query and its prefetches for each step of the chain, which grows with each amendment."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for amendments in (0, 4):
        notice, later = amended_chain(amendments)
        with CaptureQueriesContext(connection) as captured:
            html = html_of(client, f"/announcements/{notice.pk}/")
        counts.append(len(captured))
        followed = html.split("<dd data-followed-by>", 1)[1].split("</dd>", 1)[0]
        links = [f'<a href="/announcements/{n.pk}/">{n.title}</a>' for n in later]
        positions = [followed.index(link) for link in links]
        assert positions == sorted(positions)
        assert followed.count("data-then") == len(later) - 1  # all after the first, under it
    assert counts[0] == counts[1], counts
