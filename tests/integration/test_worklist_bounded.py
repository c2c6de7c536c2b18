"""The worklist shows the nearest deadlines first and at most ``WORKLIST_SHOWN`` rows: a
department with thousands of entries waiting sees how many of each task there are, and how
many more rows there are than shown, rather than a page of every one at each log-in."""

import datetime as dt

import pytest

from tests.factories import ListDefinitionFactory, ListEntryFactory, OfficerFactory
from xinyong.core import clock
from xinyong.listings import selectors
from xinyong.listings.models import EntryState, ListKind

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def black_list():
    return ListDefinitionFactory(kind=ListKind.BLACK)


@pytest.fixture
def officer(black_list):
    return OfficerFactory(department=black_list.recognizing_department, signer=True)


@pytest.fixture
def waiting(black_list):
    """Two objections with deadlines, four drafts, one to sign (and another department's)."""
    for name, due in (("后到期公司", D(2026, 11, 30)), ("已逾期公司", D(2026, 11, 20))):
        ListEntryFactory(list=black_list, state=EntryState.UNDER_VERIFICATION,
                         verification_due_on=due, subject__name=name)  # fmt: skip
    for n in range(4):
        ListEntryFactory(list=black_list, subject__name=f"草稿{n}公司")
    ListEntryFactory(list=black_list, awaiting_signature=True, subject__name="待签发公司")
    ListEntryFactory(awaiting_signature=True, subject__name="别的部门公司")


def test_the_worklist_is_cut_after_the_nearest_deadlines(officer, waiting):
    with clock.frozen(D(2026, 11, 23)):
        every = selectors.worklist(officer.user, clock.today())
        first = selectors.worklist(officer.user, clock.today(), limit=3)
    assert len(every) == 7 and first == every[:3]
    assert [i.entry.subject.name for i in first[:2]] == ["已逾期公司", "后到期公司"]
    assert selectors.worklist_counts(officer.user) == {"verify": 2, "notify": 4, "sign": 1}


def test_the_page_shows_the_first_rows_the_counts_and_how_many_more(
    client, officer, waiting, monkeypatch
):
    from xinyong.office import views

    monkeypatch.setattr(views, "WORKLIST_SHOWN", 3)
    client.force_login(officer.user)
    with clock.frozen(D(2026, 11, 23)):
        html = client.get("/office/").content.decode()
    assert html.index("已逾期公司") < html.index("后到期公司")
    assert html.count('href="/office/entries/') == 3
    assert "待签发公司" not in html and "别的部门公司" not in html
    assert 'data-task="verify" data-count="2"' in html
    assert 'data-task="notify" data-count="4"' in html
    assert 'data-task="sign" data-count="1"' in html
    assert 'data-field="worklist-more" data-count="4"' in html


def test_a_short_worklist_is_shown_whole_without_a_note(client, officer, waiting):
    client.force_login(officer.user)
    with clock.frozen(D(2026, 11, 23)):
        html = client.get("/office/").content.decode()
    assert html.count('href="/office/entries/') == 7 and "worklist-more" not in html
