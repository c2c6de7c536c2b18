"""A list's objection-suspension setting changed while an objection is verified reaches the
change feed (R6, R11): each entry under objection is suspended, or resumed, from that day, and
the objection's conclusion tells a suspension ended once, never twice or never."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.admin_clients import save_list_form
from tests.change_feeds import implementing_client
from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
)
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import EntryState, ExitReason, ListEntryEvent
from xinyong.listings.tick import run_tick

pytestmark = pytest.mark.django_db
D = dt.date


def _kinds(api, entry):
    page = api.get("/api/v1/changes", {"since": 0}).json()
    return [c["kind"] for c in page["changes"] if c["entry_id"] == entry.pk]


def _change(admin_client, definition, **changes):
    save_list_form(admin_client, definition, D(2026, 10, 20), **changes)


def _objected(definition, **fields):
    entry = ListEntryFactory(list=definition, effective=True, **fields)
    officer = OfficerFactory(department=definition.recognizing_department).user
    with clock.frozen(D(2026, 10, 13)):
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")
    return entry, officer


def _uphold(entry, officer):
    with clock.frozen(D(2026, 10, 27)):
        services.uphold_after_verification(entry.pk, actor=officer, finding="维持")


def test_switched_off_under_an_objection_resumes_measures_once(admin_client):
    definition = ListDefinitionFactory(objection_suspends_measures=True)
    entry, officer = _objected(definition)
    bystander = ListEntryFactory(list=definition, effective=True)  # no objection: no event
    _change(admin_client, definition, objection_suspends_measures=False)
    event = entry.events.get(action="suspension")
    assert (event.data, event.business_date) == ({"suspends": False}, D(2026, 10, 20))
    assert not ListEntryEvent.objects.filter(entry=bystander, action="suspension").exists()
    _uphold(entry, officer)
    assert _kinds(implementing_client(), entry) == ["suspended", "resumed"]


def test_switched_on_under_an_objection_suspends_then_the_conclusion_resumes(admin_client):
    definition = ListDefinitionFactory(objection_suspends_measures=False)
    entry, officer = _objected(definition)
    api = implementing_client()
    assert _kinds(api, entry) == []
    _change(admin_client, definition, objection_suspends_measures=True)
    assert _kinds(api, entry) == ["suspended"]
    _uphold(entry, officer)
    assert _kinds(api, entry) == ["suspended", "resumed"]


def test_switched_after_the_daily_job_exited_the_entry_tells_nothing_more(admin_client):
    """An entry that has left the list has no measures left to suspend or resume (R4, R11): a
    change of the setting after the daily job exited it, its objection still being answered
    (R6), writes no event on it, and the feed ends with its exit."""
    definition = ListDefinitionFactory(objection_suspends_measures=True)
    entry, _ = _objected(definition, valid_until=D(2026, 10, 19))
    with clock.frozen(D(2026, 10, 20)):
        run_tick(D(2026, 10, 20))
    _change(admin_client, definition, objection_suspends_measures=False)
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.EXPIRED)
    assert entry.verification_due_on is not None
    assert not entry.events.filter(action="suspension").exists()
    assert _kinds(implementing_client(), entry) == ["suspended", "ended"]


def test_a_change_of_another_field_writes_no_event(admin_client):
    definition = ListDefinitionFactory(objection_suspends_measures=True)
    entry, _ = _objected(definition)
    _change(admin_client, definition, name="更名后的名单")
    definition.refresh_from_db()
    assert definition.name == "更名后的名单"
    assert not entry.events.filter(action="suspension").exists()


def test_a_lists_kind_domain_and_department_are_fixed_once_it_has_entries(admin_client):
    """What follows from an entry depends on its list's kind and domain (R10): changed after
    entries were decided, the measures would change with no change-feed event (R11). The admin
    shows them read-only once the list has an entry, and a posted change is not taken."""
    definition = ListDefinitionFactory()
    url = reverse("admin:listings_listdefinition_change", args=[definition.pk])
    assert {"kind", "domain"} <= set(admin_client.get(url).context["adminform"].form.fields)
    ListEntryFactory(list=definition, effective=True)
    form = admin_client.get(url).context["adminform"].form
    assert not {"kind", "domain", "recognizing_department"} & set(form.fields)
    before = (definition.kind, definition.domain_id, definition.recognizing_department_id)
    other = ListDefinitionFactory(kind="red")
    _change(admin_client, definition, name="改名后的名单", domain=other.domain_id, kind="red",
            recognizing_department=other.recognizing_department_id)  # fmt: skip
    definition.refresh_from_db()
    assert definition.name == "改名后的名单"
    assert (definition.kind, definition.domain_id, definition.recognizing_department_id) == before
