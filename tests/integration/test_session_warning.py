"""A signed-in user is warned before the session ends for want of use, and may go on (WCAG
2.2.1, GB/T 37668): every page of a signed-in user carries the warning and the session's
length; ``/session/alive/`` renews the session while it lasts."""

import pytest
from django.test import Client

from tests.factories import OfficerFactory, SubjectFactory, UserFactory
from xinyong.access.models import SubjectAccount

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_alive_address_renews_a_lasting_session_and_says_when_it_has_ended(settings):
    client = signed_in(UserFactory())
    answer = client.get("/session/alive/")
    assert answer.status_code == 204
    assert "no-store" in answer["Cache-Control"]
    assert client.cookies[settings.SESSION_COOKIE_NAME].value  # saved again: renewed
    assert Client().get("/session/alive/").status_code == 401
    assert client.post("/session/alive/").status_code in (403, 405)  # never a write


@pytest.mark.parametrize("where", ["/office/", "/my/"])
def test_a_signed_in_users_pages_carry_the_warning(where, settings):
    settings.SESSION_COOKIE_AGE = 600
    if where == "/my/":
        user = UserFactory()
        SubjectAccount.objects.create(user=user, subject=SubjectFactory())
    else:
        user = OfficerFactory().user
    html = signed_in(user).get(where, follow=True).content.decode()
    assert 'id="session-warning"' in html and 'data-seconds="600"' in html
    assert 'data-alive="/session/alive/"' in html and "access/session" in html
    assert 'role="alertdialog"' in html and " hidden>" in html  # shown only when due


def test_a_public_page_carries_no_warning():
    html = Client().get("/").content.decode()
    assert "session-warning" not in html and "session.js" not in html
