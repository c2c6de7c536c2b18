"""Proposing a natural person for a list answers about that person — on another department's
black list (R2), already listed, or no such citizen ID at all — so the answer is a registered
query whether the proposal succeeds or is refused; whoever may not propose on the list learns
nothing of the code (R14: who, department, purpose, subject, time; 000 §十一.4, 001 §13-14)."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    make_citizen_id,
    make_uscc,
)
from xinyong.api import tokens
from xinyong.audit import purposes
from xinyong.audit.models import QueryRegistration
from xinyong.core import clock
from xinyong.core.masking import mask_id_number
from xinyong.listings.models import ListEntry, ListKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def red_list():
    return ListDefinitionFactory(kind=ListKind.RED, code="our-red")


@pytest.fixture
def officer(red_list):
    return OfficerFactory(department=red_list.recognizing_department)


def api_of(user) -> Client:
    token, _ = tokens.create_token(actor="t", user=user)
    return Client(headers={"Authorization": f"Bearer {token}"})


def propose(client: Client, code: str, list_code: str = "our-red"):
    with clock.frozen(dt.date(2026, 11, 2)):
        return client.post(
            "/api/v1/listings/entries",
            {"list": list_code, "subject": code, "facts": "事实", "basis": "依据"},
            content_type="application/json",
        )


def blacklisted_person():
    person = SubjectFactory(natural_person=True, identifier=make_citizen_id(4242))
    ListEntryFactory(list=ListDefinitionFactory(kind=ListKind.BLACK), subject=person,
                     effective=True)  # fmt: skip
    return person


def test_a_refusal_that_a_person_is_blacklisted_is_registered_naming_them(red_list, officer):
    person = blacklisted_person()
    refused = propose(api_of(officer.user), make_citizen_id(4242))
    assert refused.status_code == 409 and refused.json()["code"] == "red-candidate-blacklisted"
    registration = QueryRegistration.objects.get()
    assert (registration.account, registration.department, registration.subject) == (
        officer.user, officer.department, person,
    )  # fmt: skip
    assert (registration.purpose_id, registration.natural_persons) == (
        purposes.LISTING_PROCEDURE, 1,
    )  # fmt: skip
    assert "our-red" in registration.purpose_detail
    assert not ListEntry.objects.filter(list=red_list).exists()


def test_a_person_already_on_the_list_is_a_registered_refusal(red_list, officer):
    person = SubjectFactory(natural_person=True)
    ListEntryFactory(list=red_list, subject=person)
    refused = propose(api_of(officer.user), person.reveal_identifier())
    assert refused.json()["code"] == "already-listed"
    assert QueryRegistration.objects.get().subject == person


def test_an_unknown_citizen_id_is_registered_masked(red_list, officer):
    code = make_citizen_id(4243)
    refused = propose(api_of(officer.user), code)
    assert refused.status_code == 404 and refused.json()["code"] == "subject-not-found"
    assert code not in refused.content.decode()  # the answer shows it masked too
    registration = QueryRegistration.objects.get()
    assert (registration.subject, registration.natural_persons) == (None, 1)
    assert mask_id_number(code) in registration.purpose_detail
    assert code not in registration.purpose_detail


def test_an_organisation_names_no_person_and_is_not_registered(red_list, officer):
    company = SubjectFactory()
    ListEntryFactory(list=ListDefinitionFactory(kind=ListKind.BLACK), subject=company,
                     effective=True)  # fmt: skip
    client = api_of(officer.user)
    assert propose(client, company.identifier).json()["code"] == "red-candidate-blacklisted"
    assert propose(client, make_uscc(4244)).json()["code"] == "subject-not-found"
    assert not QueryRegistration.objects.exists()


def test_a_proposal_made_is_registered_by_its_answer(red_list, officer):
    person = SubjectFactory(natural_person=True)
    made = propose(api_of(officer.user), person.reveal_identifier())
    assert made.status_code == 201, made.json()
    assert QueryRegistration.objects.filter(subject=person).count() == 1


def test_another_department_learns_nothing_of_the_code(red_list):
    """Refused for the list before the code is looked up: a known and an unknown citizen ID
    are answered alike, and nothing was read to register."""
    blacklisted_person()
    stranger = api_of(OfficerFactory(department=DepartmentFactory()).user)
    known, unknown = propose(stranger, make_citizen_id(4242)), propose(stranger, make_citizen_id(1))
    assert known.status_code == unknown.status_code == 403
    assert known.json()["code"] == unknown.json()["code"] == "wrong-department"
    assert not QueryRegistration.objects.exists()
