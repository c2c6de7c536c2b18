"""A paper objection's 20 days count from the day it arrived, not from its registration (R6:
"within 20 days of receiving it"; R15), for entries and for credit records alike, through the
services, the office's forms and the API; and the day stated is checked (``core.receipt``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    CreditRecordFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
)
from xinyong.api import tokens
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.receipt import received_on
from xinyong.listings import services as listing_services
from xinyong.listings.models import ListEntryEvent, ListKind
from xinyong.remedies import record_objections
from xinyong.remedies import registered as entry_objections
from xinyong.remedies.models import RecordObjection

pytestmark = pytest.mark.django_db
D = dt.date
# A letter that arrived on Monday 11-02 and was registered on Thursday 11-05: 20 days from
# the arrival end on Sunday 11-22, so on Monday 11-23; from the registration, on 11-25.
ARRIVED, REGISTERED = D(2026, 11, 2), D(2026, 11, 5)
DUE = D(2026, 11, 23)


# -- the rule --------------------------------------------------------------------------------


def test_the_day_of_receipt_is_today_unless_stated():
    assert received_on(None, today=REGISTERED, earliest=D(2026, 1, 1), earliest_is="x") == (
        REGISTERED
    )


@pytest.mark.parametrize("day", [D(2026, 9, 18), ARRIVED, REGISTERED])
def test_a_day_from_the_earliest_to_today_is_taken(day):
    assert received_on(day, today=REGISTERED, earliest=D(2026, 9, 18), earliest_is="x") == day


def test_a_day_after_today_is_refused():
    with pytest.raises(XinyongError) as refused:
        received_on(D(2026, 11, 6), today=REGISTERED, earliest=D(2026, 9, 18), earliest_is="x")
    assert refused.value.code == "objection-received-in-future"
    assert "2026-11-06" in refused.value.message and refused.value.status == 422


def test_a_day_before_the_information_existed_is_refused():
    with pytest.raises(XinyongError) as refused:
        received_on(D(2026, 9, 17), today=REGISTERED, earliest=D(2026, 9, 18),
                    earliest_is="拟列入名单之日")  # fmt: skip
    assert refused.value.code == "objection-received-too-early"
    assert "拟列入名单之日（2026-09-18）" in refused.value.message


# -- entries -----------------------------------------------------------------------------------


@pytest.fixture
def entry():
    return ListEntryFactory(list=ListDefinitionFactory(kind=ListKind.BLACK), effective=True)


@pytest.fixture
def officer(entry):
    return OfficerFactory(department=entry.list.recognizing_department).user


def _register(entry, officer, **fields):
    with clock.frozen(REGISTERED):
        return entry_objections.register_objection(
            entry.pk, actor=officer, objector="张三", grounds="处罚决定已被撤销", **fields
        )


def test_an_entrys_paper_objection_is_due_20_days_from_its_arrival(entry, officer):
    objected = _register(entry, officer, received_on=ARRIVED)
    assert (objected.verification_due_on, objected.verification_due_provisional) == (DUE, False)
    event = ListEntryEvent.objects.get(entry=entry, action="object")
    assert event.business_date == REGISTERED and event.received_on == ARRIVED
    assert event.data["received_on"] == "2026-11-02"


def test_an_objection_received_today_is_due_20_days_from_today(entry, officer):
    objected = _register(entry, officer)
    assert objected.verification_due_on == D(2026, 11, 25)
    event = ListEntryEvent.objects.get(entry=entry, action="object")
    assert "received_on" not in event.data and event.received_on == REGISTERED


@pytest.mark.parametrize(
    ("day", "code"),
    [(D(2026, 11, 6), "objection-received-in-future"),
     (D(2026, 9, 17), "objection-received-too-early")],  # the factory proposes on 09-18
)  # fmt: skip
def test_an_impossible_day_of_receipt_records_nothing(entry, officer, day, code):
    version = entry.version
    with pytest.raises(XinyongError) as refused:
        _register(entry, officer, received_on=day)
    assert refused.value.code == code
    entry.refresh_from_db()
    assert (entry.version, entry.verification_due_on) == (version, None)
    assert not ListEntryEvent.objects.filter(entry=entry, action="object").exists()


def test_an_entrys_objection_cannot_have_arrived_before_the_last_one_was_concluded(entry, officer):
    """One objection is verified at a time (R6): a letter dated before the last one's
    conclusion would have been one of two open at once."""
    with clock.frozen(D(2026, 10, 8)):
        listing_services.record_objection(
            entry.pk, actor=officer, objector="张三", grounds="第一次异议"
        )
    with clock.frozen(D(2026, 11, 4)):
        listing_services.uphold_after_verification(entry.pk, actor=officer, finding="维持")
    with pytest.raises(XinyongError) as refused:
        _register(entry, officer, received_on=D(2026, 10, 10))
    assert refused.value.code == "objection-received-too-early"
    assert "上一次异议办结之日（2026-11-04）" in refused.value.message
    entry.refresh_from_db()
    assert _register(entry, officer, received_on=D(2026, 11, 4)).verification_due_on == D(
        2026, 11, 24
    )


def test_a_calendar_change_counts_again_from_the_arrival(entry, officer, admin_client):
    """With Monday 11-23 made a holiday, the deadline moves to 11-24: counted from the
    arrival, not from the registration (which would give 11-25)."""
    _register(entry, officer, received_on=ARRIVED)
    url = reverse("admin:calendars_calendarday_add")
    response = admin_client.post(url, {"date": "2026-11-23", "kind": "holiday", "name": "更正"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.verification_due_on == D(2026, 11, 24)


def _office_form(entry, officer, received_on: str) -> tuple[int, str]:
    """The entry page's objection form sent with ``received_on``: the answer's status, and
    the entry's page as shown after it."""
    office = Client()
    office.force_login(officer)
    with clock.frozen(REGISTERED):
        response = office.post(
            f"/office/entries/{entry.pk}/object/",
            {"version": entry.version, "objector_kind": "other", "objector": "张三",
             "grounds": "处罚决定已被撤销", "received_on": received_on},
        )  # fmt: skip
        page = office.get(f"/office/entries/{entry.pk}/").content.decode()
    entry.refresh_from_db()
    return response.status_code, response.content.decode() or page


def test_the_office_form_takes_the_day_and_the_timeline_shows_it(entry, officer):
    status, page = _office_form(entry, officer, "2026-11-02")
    assert status == 302 and entry.verification_due_on == DUE
    assert 'data-field="received-on"' in page and "2026-11-02" in page


def test_the_office_form_shows_why_a_day_is_refused(entry, officer):
    status, page = _office_form(entry, officer, "2026-11-30")
    assert status == 422 and "不能晚于今天" in page
    assert entry.verification_due_on is None


def test_the_api_takes_the_day_and_refuses_a_future_one(entry, officer):
    token, _ = tokens.create_token(actor="test", user=officer)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    url = f"/api/v1/listings/entries/{entry.pk}/objections"
    payload = {"version": entry.version, "objector": "张三", "grounds": "处罚决定已被撤销"}
    with clock.frozen(REGISTERED):
        future = api.post(url, {**payload, "received_on": "2026-11-06"},
                          content_type="application/json")  # fmt: skip
        taken = api.post(url, {**payload, "received_on": "2026-11-02"},
                         content_type="application/json")  # fmt: skip
    assert future.status_code == 422 and future.json()["code"] == "objection-received-in-future"
    assert taken.status_code == 200, taken.json()
    entry.refresh_from_db()
    assert entry.verification_due_on == DUE


# -- credit records ------------------------------------------------------------------------------


@pytest.fixture
def record():
    return CreditRecordFactory(
        decision_date=D(2026, 9, 1), published_on=D(2026, 9, 3),
        publication_ends_on=D(2027, 9, 1), sharing_ends_on=D(2027, 9, 1),
    )  # fmt: skip


def _record_officer(record):
    return OfficerFactory(department=record.department).user


def test_a_records_paper_objection_is_due_20_days_from_its_arrival(record):
    with clock.frozen(REGISTERED):
        objection = record_objections.register_objection(
            record.pk, actor=_record_officer(record), grounds="事实有误", received_on=ARRIVED
        )
    assert (objection.received_on, objection.due_on) == (ARRIVED, DUE)


def test_a_record_objection_received_before_the_decision_is_refused(record):
    with clock.frozen(REGISTERED), pytest.raises(XinyongError) as refused:
        record_objections.register_objection(
            record.pk, actor=_record_officer(record), grounds="事实有误",
            received_on=D(2026, 8, 31),
        )  # fmt: skip
    assert refused.value.code == "objection-received-too-early"
    assert "作出决定之日（2026-09-01）" in refused.value.message
    assert not RecordObjection.objects.exists()


def test_a_record_objection_cannot_have_arrived_before_the_last_one_was_decided(record):
    officer = _record_officer(record)
    with clock.frozen(D(2026, 10, 8)):
        first = record_objections.register_objection(record.pk, actor=officer, grounds="有误")
    with clock.frozen(D(2026, 11, 4)):
        record_objections.decide(first.pk, actor=officer,
                                 finding=record_objections.Finding.UNFOUNDED,
                                 statement="经核实，处罚决定有效")  # fmt: skip
    with clock.frozen(REGISTERED), pytest.raises(XinyongError) as refused:
        record_objections.register_objection(
            record.pk, actor=officer, grounds="再次异议", received_on=D(2026, 10, 10)
        )
    assert refused.value.code == "objection-received-too-early"
    assert "上一次异议办结之日（2026-11-04）" in refused.value.message


def test_the_record_objection_form_and_api_take_the_day(record):
    officer = _record_officer(record)
    office = Client()
    office.force_login(officer)
    with clock.frozen(REGISTERED):
        page = office.get(f"/office/records/{record.pk}/objection/").content.decode()
        assert 'name="received_on"' in page and 'type="date"' in page
        refused = office.post(f"/office/records/{record.pk}/objection/",
                              {"grounds": "事实有误", "received_on": "2026-11-30"})  # fmt: skip
        shown = refused.content.decode()
        assert refused.status_code == 422 and "不能晚于今天" in shown
        # The form stays, as typed: the officer corrects the day and sends it again.
        assert 'data-action="register-record-objection"' in shown and "事实有误" in shown
        response = office.post(f"/office/records/{record.pk}/objection/",
                               {"grounds": "事实有误", "received_on": "2026-11-02"})  # fmt: skip
    assert response.status_code == 302
    objection = RecordObjection.objects.get()
    assert (objection.received_on, objection.due_on) == (ARRIVED, DUE)

    other = CreditRecordFactory(
        department=record.department, decision_date=D(2026, 9, 1), published_on=D(2026, 9, 3),
        publication_ends_on=D(2027, 9, 1), sharing_ends_on=D(2027, 9, 1),
    )  # fmt: skip
    token, _ = tokens.create_token(actor="test", user=officer)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    with clock.frozen(REGISTERED):
        answer = api.post("/api/v1/record-objections",
                          {"record_id": other.pk, "grounds": "事实有误",
                           "received_on": "2026-11-02"},
                          content_type="application/json")  # fmt: skip
    assert answer.status_code == 200, answer.json()
    assert RecordObjection.objects.get(record=other).due_on == DUE
