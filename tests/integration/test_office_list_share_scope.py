"""On an officer's subject page, another department's list entries follow the share scope of the
list's catalog item as its records do: a list published under an item not shared (不予共享), or
shared only on conditions, is not shown to other departments; its own department and the
credit office's administrator still see it (R13, R14; 001 §三(二))."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import (
    CatalogItemFactory,
    DepartmentFactory,
    LinkedPersonFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from xinyong.access.roles import ADMIN_GROUP
from xinyong.audit import purposes
from xinyong.audit.models import QueryPurpose
from xinyong.catalog.models import ShareScope
from xinyong.core import clock
from xinyong.listings.models import ListEntryPerson

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def purpose_list():
    purposes.ensure_built_in(QueryPurpose)


def list_shared(scope: str | None, name: str, **kwargs):
    """A list published under a catalog item of ``scope``; None: under no item."""
    item = None if scope is None else CatalogItemFactory(share_scope=scope)
    return ListDefinitionFactory(name=name, kind="key_attention", catalog_item=item, **kwargs)


def page_of(user, subject) -> str:
    client = Client()
    client.force_login(user)
    with clock.frozen(dt.date(2026, 11, 2)):
        page = client.post(
            f"/office/subjects/{subject.pk}/",
            {"purpose": "regulatory_supervision", "purpose_detail": "检查"},
        )
    assert page.status_code == 200
    return page.content.decode()


@pytest.fixture
def company():
    company = SubjectFactory(name="某某被列入公司")
    for scope, name in [
        (ShareScope.NONE, "不予共享名单"),
        (ShareScope.CONDITIONAL, "有条件共享名单"),
        (ShareScope.UNCONDITIONAL, "无条件共享名单"),
        (None, "未挂目录名单"),
    ]:
        ListEntryFactory(list=list_shared(scope, name), subject=company, effective=True)
    return company


def test_another_department_sees_only_the_lists_shared_unconditionally(company):
    html = page_of(OfficerFactory().user, company)
    assert "不予共享名单" not in html and "有条件共享名单" not in html
    # A list under no catalog item is shared as lists were before items were given to them.
    assert "无条件共享名单" in html and "未挂目录名单" in html


def test_the_lists_own_department_sees_its_unshared_list():
    keeper = DepartmentFactory()
    person = SubjectFactory(natural_person=True)
    unshared = list_shared(ShareScope.NONE, "本部门不予共享名单", recognizing_department=keeper)
    ListEntryFactory(list=unshared, subject=person, effective=True)
    assert "本部门不予共享名单" in page_of(OfficerFactory(department=keeper).user, person)


def test_the_credit_office_administrator_sees_every_list(company):
    administrator = OfficerFactory(department=DepartmentFactory(credit_office=True)).user
    administrator.groups.add(Group.objects.get_or_create(name=ADMIN_GROUP)[0])
    assert "不予共享名单" in page_of(administrator, company)


def test_a_person_named_on_an_unshared_list_is_not_shown_there_to_others():
    """落实到人: the entries naming a person follow the same scope."""
    person = SubjectFactory(natural_person=True)
    for scope, name in [(ShareScope.NONE, "不予共享失信名单"), (None, "公开失信名单")]:
        organisation = SubjectFactory()
        LinkedPersonFactory(organisation=organisation, person=person)
        entry = ListEntryFactory(list=list_shared(scope, name), subject=organisation,
                                 effective=True)  # fmt: skip
        ListEntryPerson.objects.create(entry=entry, person=person, role="legal_representative")
    html = page_of(OfficerFactory().user, person)
    assert "公开失信名单" in html and "不予共享失信名单" not in html
