"""Lenient and prudent treatment when a department decides (R10, 001 §10).

The department states which grounds it weighed and how; a subject the citizen ID shows to have
been a minor when the listing was proposed (2026-09-18 for these entries) cannot be decided on
without the minor ground. A red list rewards: the clause, about dishonesty, does not apply.
The decision document states the treatment; the public announcement does not, as it may tell
a minor's circumstances.
"""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from xinyong.api import tokens
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.identifiers import citizen_id_check_character
from xinyong.listings import services
from xinyong.listings.decision_records import Announcement, EntryLeniency
from xinyong.listings.models import EntryState, ListKind

pytestmark = pytest.mark.django_db
D = dt.date
SIGNED = D(2026, 10, 27)


def person_born(born: dt.date):
    first17 = f"330106{born:%Y%m%d}123"
    return SubjectFactory(
        natural_person=True, identifier=first17 + citizen_id_check_character(first17)
    )


@pytest.fixture
def black_list():
    return ListDefinitionFactory(kind=ListKind.BLACK)


@pytest.fixture
def signer(black_list):
    return OfficerFactory(department=black_list.recognizing_department, signer=True).user


def sign(entry, signer, **leniency):
    with clock.frozen(SIGNED):
        return services.sign_decision(entry.pk, actor=signer, **leniency)


@pytest.mark.parametrize(
    "born",
    [D(2008, 9, 18), D(2008, 10, 1), D(2012, 5, 1)],
    ids=["18th birthday on the proposal", "of age before the decision", "14"],
)
def test_a_minor_is_not_decided_on_without_the_minor_ground(black_list, signer, born):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True, subject=person_born(born))
    with pytest.raises(XinyongError) as refused:
        sign(entry, signer, leniency_grounds=["slight"], leniency_statement="情节轻微")
    assert refused.value.code == "minor-needs-leniency"
    assert "未成年人" in refused.value.message
    entry.refresh_from_db()
    assert entry.state == EntryState.AWAITING_SIGNATURE
    assert not EntryLeniency.objects.exists()
    assert not entry.events.filter(action="sign").exists()


def test_of_age_on_the_day_of_the_proposal_the_subject_is_an_adult(black_list, signer):
    """Born 2008-09-17: the 18th birthday was the day before the proposal."""
    entry = ListEntryFactory(
        list=black_list, awaiting_signature=True, subject=person_born(D(2008, 9, 17))
    )
    assert sign(entry, signer).state == EntryState.EFFECTIVE
    assert not EntryLeniency.objects.exists()


def test_a_minor_decided_on_with_leniency(black_list, signer):
    entry = ListEntryFactory(
        list=black_list, awaiting_signature=True, subject=person_born(D(2010, 3, 1))
    )
    statement = "当事人行为时未满十六周岁，系初次失信，仅作记录，不予从重。"
    signed = sign(
        entry, signer, leniency_grounds=["minor", "unintentional", "minor"],
        leniency_statement=f"  {statement} ",
    )  # fmt: skip
    assert signed.state == EntryState.EFFECTIVE
    kept = EntryLeniency.objects.get(entry=entry)
    assert (kept.grounds, kept.statement, kept.recorded_on) == (
        ["minor", "unintentional"], statement, SIGNED,
    )  # fmt: skip
    event = entry.events.get(action="sign")
    assert event.data["leniency"] == {"grounds": ["minor", "unintentional"], "statement": statement}
    assert (
        f"宽容审慎：当事人系未成年人；非主观故意。{statement}\n" in event.data["decision_document"]
    )
    public = entry.announcements.get(kind=Announcement.Kind.DECISION).body
    assert "宽容审慎" not in public and statement not in public


def test_an_organisation_may_be_decided_on_with_the_grounds_the_department_weighed(
    black_list, signer
):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    sign(entry, signer, leniency_grounds=["force_majeure"], leniency_statement="受台风影响延误交付")
    assert EntryLeniency.objects.get(entry=entry).ground_labels == [
        "受自然灾害、疫情等不可抗力影响"
    ]


@pytest.mark.parametrize(
    ("grounds", "statement", "code"),
    [
        (["slight"], "  ", "leniency-statement-required"),
        (["pity"], "酌情", "leniency-ground-unknown"),
    ],
)
def test_grounds_need_a_statement_and_must_be_the_clause_s(
    black_list, signer, grounds, statement, code
):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    with pytest.raises(XinyongError) as refused:
        sign(entry, signer, leniency_grounds=grounds, leniency_statement=statement)
    assert refused.value.code == code
    entry.refresh_from_db()
    assert entry.state == EntryState.AWAITING_SIGNATURE
    assert not EntryLeniency.objects.exists()


def test_a_red_list_takes_no_leniency():
    """守信激励 is no dishonesty: a minor goes on a red list without grounds; none is taken."""
    red = ListDefinitionFactory(kind=ListKind.RED)
    signer = OfficerFactory(department=red.recognizing_department, signer=True).user
    minor = person_born(D(2010, 3, 1))
    entry = ListEntryFactory(list=red, awaiting_signature=True, subject=minor)
    other = ListEntryFactory(list=red, awaiting_signature=True)
    with pytest.raises(XinyongError) as refused:
        sign(other, signer, leniency_grounds=["slight"], leniency_statement="情节轻微")
    assert refused.value.code == "leniency-not-for-rewards"
    assert sign(entry, signer).state == EntryState.EFFECTIVE
    assert not EntryLeniency.objects.exists()
    assert "宽容审慎" not in entry.events.get(action="sign").data["decision_document"]


def test_the_office_form_offers_the_grounds_and_carries_them(client, black_list, signer):
    entry = ListEntryFactory(
        list=black_list, awaiting_signature=True, subject=person_born(D(2010, 3, 1))
    )
    client.force_login(signer)
    page = client.get(f"/office/entries/{entry.pk}/").content.decode()
    assert "当事人系未成年人" in page and "宽容审慎说明" in page
    form = {"version": entry.version, "decision_document_number": "黑〔2026〕9号"}
    with clock.frozen(SIGNED):
        refused = client.post(f"/office/entries/{entry.pk}/sign/", form, follow=True)
        assert "提出列入之日未满十八周岁" in refused.content.decode()
        client.post(
            f"/office/entries/{entry.pk}/sign/",
            {**form, "leniency_grounds": ["minor"], "leniency_statement": "初次失信，从宽认定"},
        )
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    assert EntryLeniency.objects.get(entry=entry).grounds == ["minor"]


def test_the_api_takes_the_grounds_and_refuses_an_unknown_one(black_list):
    user = OfficerFactory(department=black_list.recognizing_department, signer=True).user
    token, _ = tokens.create_token(actor="test", user=user, can_sign=True)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    path = f"/api/v1/listings/entries/{entry.pk}/sign"
    with clock.frozen(SIGNED):
        refused = api.post(
            path, {"version": 1, "leniency_grounds": ["pity"], "leniency_statement": "酌情"},
            content_type="application/json",
        )  # fmt: skip
        assert refused.status_code == 422
        assert refused.json()["code"] == "leniency-ground-unknown"
        signed = api.post(
            path, {"version": 1, "leniency_grounds": ["slight"], "leniency_statement": "情节轻微"},
            content_type="application/json",
        )  # fmt: skip
    assert signed.status_code == 200, signed.json()
    assert EntryLeniency.objects.get(entry=entry).grounds == ["slight"]


def test_the_admin_shows_the_leniency_of_an_entry(admin_client, black_list, signer):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    sign(entry, signer, leniency_grounds=["slight"], leniency_statement="逾期两日即补正")
    page = admin_client.get(f"/admin/listings/listentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert "逾期两日即补正" in page.content.decode()
