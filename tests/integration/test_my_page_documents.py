"""A subject reads, on its own page, the notice it was sent before publicity and the signed
decision document (R1, 001 §8: the reasons, the basis, its rights, the measures, the exit
conditions and the remedies); only its own, and never on a public page (R5, R14)."""

import datetime as dt
import io
import itertools
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import (
    ListDefinitionFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
    meeting_of,
)
from xinyong.access.models import SubjectAccount
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import ListEntry, ListEntryPerson, ListKind

pytestmark = pytest.mark.django_db
PROPOSED = dt.date(2026, 9, 21)
SIGNED = dt.date(2026, 10, 27)  # the day after 20 working days of publicity across National Day
RIGHTS = "有权在公示期内提出异议并提交证据材料，有权进行陈述和申辩"
OWN_FACTS = "未按期整改建设工程质量问题"
OTHER_FACTS = "拒不履行生效判决确定的义务"


@pytest.fixture
def black_list():
    return ListDefinitionFactory(kind=ListKind.BLACK, name="建设领域严重失信主体名单")


@pytest.fixture
def officer(black_list):
    return OfficerFactory(department=black_list.recognizing_department).user


@pytest.fixture
def signer(black_list):
    return OfficerFactory(department=black_list.recognizing_department, signer=True).user


@pytest.fixture
def company():
    return SubjectFactory(name="杭州某某建设有限公司")


@pytest.fixture
def other():
    return SubjectFactory(name="宁波另一贸易有限公司")


def _client(username: str, subject) -> Client:
    user = UserFactory(username=username)
    SubjectAccount.objects.create(user=user, subject=subject)
    client = Client()
    client.force_login(user)
    return client


def _notified(black_list, officer, subject, facts: str) -> ListEntry:
    with clock.frozen(PROPOSED):
        entry = services.propose_listing(
            actor=officer, list_definition=black_list, subject=subject, facts=facts,
            basis="《建设工程质量管理条例》第十条",
        )  # fmt: skip
        return services.notify_subject(entry.pk, actor=officer, **meeting_of(entry.pk))


def _publicized(entry: ListEntry, officer) -> ListEntry:
    with clock.frozen(PROPOSED):
        return services.start_publicity(entry.pk, actor=officer)


def _signed(entries: list[ListEntry], signer) -> list[ListEntry]:
    call_command("tick", "--date", SIGNED.isoformat(), stdout=io.StringIO())
    signed = []
    with clock.frozen(SIGNED):
        for entry in entries:
            entry.refresh_from_db()
            signed.append(services.sign_decision(entry.pk, actor=signer, version=entry.version))
    return signed


def _page(client: Client) -> str:
    response = client.get("/my/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_notified_candidate_reads_its_notice_with_its_rights(black_list, officer, company):
    entry = _notified(black_list, officer, company, OWN_FACTS)
    html = _page(_client("company", company))
    assert RIGHTS in html
    assert f'data-document="notice" data-document-entry="{entry.pk}"' in html
    assert f"事实与理由：{OWN_FACTS}" in html
    assert "依据：《建设工程质量管理条例》第十条" in html
    assert '<time datetime="2026-09-21">2026-09-21</time>' in html
    assert 'data-document="decision"' not in html  # not signed yet


def test_a_signed_entry_shows_its_decision_document_with_the_remedies(
    black_list, officer, signer, company, other
):
    own = _publicized(_notified(black_list, officer, company, OWN_FACTS), officer)
    theirs = _publicized(_notified(black_list, officer, other, OTHER_FACTS), officer)
    own, theirs = _signed([own, theirs], signer)
    html = _page(_client("company", company))
    assert "行政复议" in html and "行政诉讼" in html
    assert f"列入决定书（{own.decision_document_number}）" in html
    assert f'data-document="notice" data-document-entry="{own.pk}"' in html
    assert f'data-document="decision" data-document-entry="{own.pk}"' in html
    assert "移出条件和程序" in html
    assert f'<time datetime="{SIGNED.isoformat()}">' in html
    # Another subject's letters never show here.
    assert OTHER_FACTS not in html
    assert theirs.decision_document_number not in html
    assert f'data-document-entry="{theirs.pk}"' not in html
    assert other.name not in html


def test_the_page_with_its_letters_keeps_its_headings_in_order_and_its_ids_unique(
    black_list, officer, signer, company
):
    """The letters sit under their own heading inside the entries' section: no level skipped,
    no id twice (GB/T 37668-2019, WCAG 2.1 AA)."""
    entry = _publicized(_notified(black_list, officer, company, OWN_FACTS), officer)
    _signed([entry], signer)
    html = _page(_client("company", company))
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels[0] == 1
    assert all(after <= before + 1 for before, after in itertools.pairwise(levels))
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, count in ids.items() if count > 1] == []
    before = html[: html.index('data-document="notice"')]
    assert re.findall(r"<h([1-6])[\s>]", before)[-2:] == ["2", "3"]  # the entries', then theirs


def test_public_pages_do_not_show_the_letters_to_the_subject(
    black_list, officer, signer, company, client
):
    entry = _publicized(_notified(black_list, officer, company, OWN_FACTS), officer)
    _signed([entry], signer)
    with clock.frozen(SIGNED):
        pages = [client.get(url) for url in ("/", "/lists/black/", "/announcements/")]
        pages += [
            client.get(f"/announcements/{announcement.pk}/")
            for announcement in Announcement.objects.filter(entry=entry)
        ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert RIGHTS not in html
        assert "行政复议" not in html and "救济途径" not in html
        assert "列入决定书" not in html
        assert "data-document=" not in html
    assert "杭州某某建设有限公司" in pages[1].content.decode()  # the listing itself is public


def test_a_person_named_in_an_organisations_entry_is_not_shown_its_letters(
    black_list, officer, signer, company
):
    """The notice and the decision are addressed to the organisation and state its facts and
    the leniency it was given in full: a person the entry names sees the entry (masked facts),
    not the letters (R14)."""
    person = SubjectFactory(natural_person=True, name="许某人")
    entry = _publicized(_notified(black_list, officer, company, OWN_FACTS), officer)
    ListEntryPerson.objects.create(entry=entry, person=person, role="legal_representative")
    _signed([entry], signer)
    html = _page(_client("xu", person))
    assert f'data-entry="{entry.pk}"' in html  # the entry is listed among those naming it
    assert "data-document=" not in html
    assert RIGHTS not in html and "列入决定书" not in html
