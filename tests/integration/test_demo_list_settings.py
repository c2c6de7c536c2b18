"""The demo's lists brought up to date (``xinyong demo --reset``): a list whose objection-
suspension setting an officer changed since is put back as the admin changes it, with its
entries under objection told in the change feed (R6, R11)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import ListEntryFactory, OfficerFactory
from xinyong.core import clock
from xinyong.demo.list_definitions import LISTS, load_lists
from xinyong.demo.reference import load_departments, load_domains, load_regions
from xinyong.listings import services
from xinyong.listings.feed_reads import changes_since
from xinyong.listings.models import ListDefinition, ListEntryEvent

pytestmark = pytest.mark.django_db


def _reference():
    regions, domains = load_regions(), load_domains()
    return domains, load_departments(regions, domains)


def test_a_setting_put_back_reaches_the_entries_under_objection_and_the_feed():
    domains, departments = _reference()
    lists = load_lists(domains, departments)
    spec = next(spec for spec in LISTS if spec.objection_suspends)
    definition = lists[spec.code]
    entry = ListEntryFactory(effective=True, list=definition)
    officer = OfficerFactory(department=definition.recognizing_department).user
    with clock.frozen(dt.date(2026, 10, 27)):
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")
    # An officer turned suspension off since (the admin tells the feed; here, as a script).
    ListDefinition.objects.filter(pk=definition.pk).update(objection_suspends_measures=False)
    with clock.frozen(dt.date(2026, 10, 28)):
        load_lists(domains, departments)
    definition.refresh_from_db()
    assert definition.objection_suspends_measures is True
    event = ListEntryEvent.objects.filter(entry=entry, action="suspension").get()
    assert event.data["suspends"] is True and event.business_date == dt.date(2026, 10, 28)
    assert [change.kind for change in changes_since(0, 100)[0]][-1] == "suspended"


def test_a_setting_left_as_it_is_writes_nothing():
    domains, departments = _reference()
    lists = load_lists(domains, departments)
    spec = next(spec for spec in LISTS if spec.objection_suspends)
    entry = ListEntryFactory(effective=True, list=lists[spec.code])
    officer = OfficerFactory(department=lists[spec.code].recognizing_department).user
    with clock.frozen(dt.date(2026, 10, 27)):
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")
    load_lists(domains, departments)
    assert not ListEntryEvent.objects.filter(action="suspension").exists()
