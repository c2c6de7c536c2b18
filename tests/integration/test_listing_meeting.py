"""The meeting before the subject is told (R1: investigate, compare with the criteria, establish
the facts, decide at a meeting, then tell the subject the reasons, basis and its rights)."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import ListDefinitionFactory, OfficerFactory, SubjectFactory
from xinyong.api import tokens
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import services
from xinyong.listings.models import EntryState, ListEntry, ListKind

pytestmark = pytest.mark.django_db
D = dt.date
PROPOSED = D(2026, 9, 21)
MEETING = "局务会议（纪要〔2026〕12号）"


def bearer_client(user) -> Client:
    token, _ = tokens.create_token(actor="test", user=user)
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def black_list():
    return ListDefinitionFactory(kind=ListKind.BLACK)


@pytest.fixture
def officer(black_list):
    return OfficerFactory(department=black_list.recognizing_department).user


@pytest.fixture
def proposal(black_list, officer) -> ListEntry:
    with clock.frozen(PROPOSED):
        return services.propose_listing(
            actor=officer, list_definition=black_list, subject=SubjectFactory(name="某某公司"),
            facts="未按期整改", basis="某条例第十条",
        )  # fmt: skip


@pytest.mark.parametrize("meeting_on", [PROPOSED, D(2026, 9, 25)])  # first day, and today
def test_the_subject_is_told_after_the_meeting_and_the_notice_names_it(
    proposal, officer, meeting_on
):
    with clock.frozen(D(2026, 9, 25)):
        entry = services.notify_subject(
            proposal.pk, actor=officer, meeting_on=meeting_on, meeting=f"  {MEETING} "
        )
    assert entry.state == EntryState.NOTIFIED
    event = entry.events.get(action="notify")
    assert (event.data["meeting_on"], event.data["meeting"]) == (meeting_on.isoformat(), MEETING)
    written = f"{meeting_on.year}年{meeting_on.month}月{meeting_on.day}日"
    assert f"本机关于{written}经{MEETING}集体研究，拟将你（单位）列入" in event.data["notice"]


@pytest.mark.parametrize(
    ("meeting_on", "meeting", "code"),
    [
        (D(2026, 9, 26), MEETING, "meeting-date-in-future"),  # the day after today
        (D(2026, 9, 20), MEETING, "meeting-before-proposal"),  # the day before the proposal
        (PROPOSED, "   ", "meeting-required"),
    ],
)
def test_a_notice_without_a_meeting_that_could_have_decided_is_refused(
    proposal, officer, meeting_on, meeting, code
):
    with clock.frozen(D(2026, 9, 25)), pytest.raises(XinyongError) as refused:
        services.notify_subject(proposal.pk, actor=officer, meeting_on=meeting_on, meeting=meeting)
    assert (refused.value.code, refused.value.status) == (code, 422)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.version) == (EntryState.DRAFT, 1)
    assert not proposal.events.filter(action="notify").exists()


def test_the_api_asks_for_the_meeting(proposal, officer):
    api = bearer_client(officer)
    path = f"/api/v1/listings/entries/{proposal.pk}/notify"
    with clock.frozen(D(2026, 9, 22)):
        missing = api.post(path, {"version": 1}, content_type="application/json")
        assert missing.status_code == 422
        told = api.post(
            path, {"version": 1, "meeting_on": "2026-09-22", "meeting": MEETING},
            content_type="application/json",
        )  # fmt: skip
    assert told.status_code == 200, told.json()
    assert told.json()["state"] == "notified"


def test_the_office_form_asks_for_the_meeting(proposal, officer):
    client = Client()
    client.force_login(officer)
    page = client.get(f"/office/entries/{proposal.pk}/").content.decode()
    assert 'name="meeting_on"' in page and 'name="meeting"' in page
    path = f"/office/entries/{proposal.pk}/notify/"
    with clock.frozen(D(2026, 9, 22)):
        refused = client.post(path, {"version": 1, "meeting_on": "2026-09-23", "meeting": MEETING})
        assert refused.status_code == 422
        assert "晚于今天" in refused.content.decode()
        done = client.post(path, {"version": 1, "meeting_on": "2026-09-22", "meeting": MEETING})
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == EntryState.NOTIFIED
    page = client.get(f"/office/entries/{proposal.pk}/").content.decode()
    assert f"经{MEETING}于 2026-09-22 集体研究决定拟列入" in page
