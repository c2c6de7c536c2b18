"""A department keeps lists, and proposes on them, only in the domains it governs (R14: rights
per role and domain; 000 §十一.4). A department whose domains are not configured is not
limited; the credit office's big-data warning list spans the key domains (003 §四)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import (
    DepartmentFactory,
    DomainFactory,
    ListDefinitionFactory,
    OfficerFactory,
    SubjectFactory,
)
from xinyong.api import tokens
from xinyong.core import clock
from xinyong.demo.list_definitions import LISTS
from xinyong.demo.reference import DEPARTMENT_BY_CODE
from xinyong.listings.models import ListDefinition, ListEntry, ListKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def tax():
    return DomainFactory(code="tax")


@pytest.fixture
def food():
    return DomainFactory(code="food")


@pytest.fixture
def tax_bureau(tax):
    bureau = DepartmentFactory(code="tax-bureau")
    bureau.domains.set([tax])
    return bureau


def test_a_list_outside_the_departments_domains_is_invalid(tax_bureau, food):
    outside = ListDefinitionFactory.build(domain=food, recognizing_department=tax_bureau)
    with pytest.raises(ValidationError) as refused:
        outside.full_clean()
    assert "domain" in refused.value.message_dict


def test_a_list_in_a_governed_domain_is_valid(tax_bureau, tax):
    ListDefinitionFactory.build(domain=tax, recognizing_department=tax_bureau).full_clean()


def test_a_department_without_domains_configured_is_not_limited(food):
    ListDefinitionFactory.build(
        domain=food, recognizing_department=DepartmentFactory()
    ).full_clean()


def test_the_credit_offices_big_data_warning_list_spans_domains(food):
    office = DepartmentFactory(credit_office=True)
    office.domains.set([DomainFactory(code="social_credit")])
    warning = ListDefinitionFactory.build(kind=ListKind.BIG_DATA_WARNING, publicity_workdays=0,
                                          domain=food, recognizing_department=office)  # fmt: skip
    warning.full_clean()


def test_a_list_made_before_the_department_stopped_governing_its_domain_can_still_be_edited(
    tax_bureau, food
):
    """Its entries are still worked (objections, exits); only new proposals are refused."""
    kept = ListDefinitionFactory(domain=food, recognizing_department=tax_bureau)
    kept.criteria = "修改后的认定标准"
    kept.full_clean()


def test_the_admin_refuses_a_list_outside_the_departments_domains(tax_bureau, tax, food):
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "", "x"))
    form = {"code": "food-black", "name": "食品黑名单", "kind": "black",
            "recognizing_department": tax_bureau.pk, "criteria": "标准", "legal_basis": "依据",
            "validity_unit": "years", "publicity_workdays": 20}  # fmt: skip
    refused = client.post("/admin/listings/listdefinition/add/", {**form, "domain": food.pk})
    assert refused.status_code == 200
    assert "domain" in refused.context["adminform"].form.errors
    assert not ListDefinition.objects.exists()
    made = client.post("/admin/listings/listdefinition/add/", {**form, "domain": tax.pk})
    assert made.status_code == 302
    assert ListDefinition.objects.get().domain == tax


def test_an_officer_cannot_propose_on_a_list_outside_its_departments_domains(tax_bureau, food):
    ListDefinitionFactory(code="food-black", domain=food, recognizing_department=tax_bureau)
    token, _ = tokens.create_token(actor="t", user=OfficerFactory(department=tax_bureau).user)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    with clock.frozen(dt.date(2026, 11, 2)):
        refused = api.post("/api/v1/listings/entries", {
            "list": "food-black", "subject": SubjectFactory().identifier, "facts": "事实",
            "basis": "依据",
        }, content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
    assert refused.json()["code"] == "list-domain-not-governed"
    assert not ListEntry.objects.exists()


def test_every_demo_list_is_in_a_domain_its_department_governs():
    for spec in LISTS:
        department = DEPARTMENT_BY_CODE[spec.department]
        assert spec.domain in department.domains, spec.code
