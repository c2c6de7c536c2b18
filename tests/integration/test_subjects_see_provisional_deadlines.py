"""A deadline resting on a year whose holiday notice is not loaded is provisional (R15), and the
subject is told so wherever it is shown its own deadlines: the ``/api/v1/me`` entries and the
portal's "objection under verification until …" lines."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import ListEntryFactory, SubjectFactory, UserFactory
from xinyong.access.models import SubjectAccount
from xinyong.core import clock

pytestmark = pytest.mark.django_db
D = dt.date
PROVISIONAL = "（暂定：相关年份的放假安排尚未发布）"


@pytest.fixture
def me():
    return SubjectFactory(natural_person=True, name="许本人")


@pytest.fixture
def client(me) -> Client:
    user = UserFactory(username="xu")
    SubjectAccount.objects.create(user=user, subject=me)
    client = Client()
    client.force_login(user)
    return client


def _entry_in_publicity(subject, *, provisional: bool):
    entry = ListEntryFactory(subject=subject, in_publicity=True)
    entry.publicity_starts_on, entry.publicity_ends_on = D(2026, 11, 24), D(2026, 12, 22)
    entry.publicity_ends_provisional = provisional
    entry.save()
    return entry


def _entry_under_verification(subject, *, provisional: bool):
    """An objection the subject cannot see (made before, or by another) is being verified."""
    entry = ListEntryFactory(subject=subject, effective=True)
    entry.verification_due_on = D(2026, 12, 15)
    entry.verification_due_provisional = provisional
    entry.save()
    return entry


@pytest.mark.parametrize("provisional", [True, False])
def test_me_api_marks_a_publicity_end_provisional_as_stored(me, client, provisional):
    _entry_in_publicity(me, provisional=provisional)
    shown = client.get("/api/v1/me").json()["entries"][0]
    assert shown["publicity_ends_on"] == "2026-12-22"
    assert shown["publicity_ends_provisional"] is provisional


def _verification_line(html: str) -> str:
    start = html.index("2026-12-15")
    return html[start : html.index("</p>", start)]


@pytest.mark.parametrize("url", ["/my/", "/my/entries/{pk}/objection/"])
def test_portal_marks_a_provisional_verification_deadline(me, client, url):
    entry = _entry_under_verification(me, provisional=True)
    with clock.frozen(D(2026, 11, 25)):
        html = client.get(url.format(pk=entry.pk)).content.decode()
    assert PROVISIONAL in _verification_line(html)


@pytest.mark.parametrize("url", ["/my/", "/my/entries/{pk}/objection/"])
def test_portal_gives_a_final_verification_deadline_without_mark(me, client, url):
    entry = _entry_under_verification(me, provisional=False)
    with clock.frozen(D(2026, 11, 25)):
        html = client.get(url.format(pk=entry.pk)).content.decode()
    assert "暂定" not in _verification_line(html)
