"""A row id in a page's address that no database row can have matches no page (404), as the
API's ``RowId`` refuses it: never a 500 (``xinyong.row_urls``)."""

import re

import pytest
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from tests.factories import SubjectFactory, UserFactory
from xinyong.access.models import SubjectAccount

pytestmark = pytest.mark.django_db
TOO_LARGE = "9" * 20  # past 2**63 - 1: no 64-bit key holds it


def _row_patterns(patterns, prefix=""):
    for item in patterns:
        route = prefix + str(item.pattern)
        if isinstance(item, URLResolver):
            yield from _row_patterns(item.url_patterns, route)
        elif isinstance(item, URLPattern) and "<row:" in route:
            yield route


ROUTES = sorted(set(_row_patterns(get_resolver().url_patterns)))


def test_every_page_with_a_row_id_takes_it_as_a_row_id():
    """No page address takes a bare ``<int:…>`` id: each goes through the bounded converter."""
    assert len(ROUTES) >= 20
    every = {str(p.pattern) for p in _all(get_resolver().url_patterns)}
    assert not [route for route in every if "<int:" in route]


def _all(patterns):
    for item in patterns:
        if isinstance(item, URLResolver):
            yield from _all(item.url_patterns)
        else:
            yield item


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("number", [TOO_LARGE, "0", str(2**63)])
def test_an_id_no_row_can_have_matches_no_page(route, number):
    with pytest.raises(Resolver404):
        resolve("/" + re.sub(r"<row:[a-z_]+>", number, route))


def test_a_person_asking_for_such_an_entry_is_answered_not_found():
    """Looked up through a foreign key, such an id reached SQLite and failed with a 500."""
    subject = SubjectFactory(natural_person=True)
    user = UserFactory()
    SubjectAccount.objects.create(user=user, subject=subject)
    client = Client()
    client.force_login(user)
    assert client.get(f"/my/named-in/{TOO_LARGE}/objection/").status_code == 404


def test_the_largest_id_a_row_can_have_is_still_looked_up():
    subject = SubjectFactory(natural_person=True)
    user = UserFactory()
    SubjectAccount.objects.create(user=user, subject=subject)
    client = Client()
    client.force_login(user)
    answer = client.get(f"/my/named-in/{2**63 - 1}/objection/")
    assert answer.status_code == 404  # looked up, and not found: no such entry
