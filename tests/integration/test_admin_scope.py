"""The admin obeys the office's rules: a department's own rows, registered reads, checked
identifiers, and no edits that bypass imports or the listing services (R14, DOMAIN.md §4)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from tests.factories import (
    CreditRecordFactory,
    DepartmentFactory,
    LinkedPersonFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    make_citizen_id,
    make_uscc,
)
from xinyong.access.roles import ADMIN_GROUP
from xinyong.audit.models import QueryRegistration
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
VIEW_AND_EDIT = ["view_creditrecord", "view_listentry", "view_subject", "add_subject",
                 "change_subject", "add_creditrecord", "change_creditrecord",
                 "view_linkedperson"]  # fmt: skip


def admin_client(officer) -> Client:
    user = officer.user
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__in=VIEW_AND_EDIT))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ours():
    return DepartmentFactory(code="scjg", name="市场监管局")


@pytest.fixture
def officer_admin(ours):
    return admin_client(OfficerFactory(department=ours))


def record_for(department, **kwargs):
    return CreditRecordFactory(catalog_item__provider=department, **kwargs)


def test_a_departments_officer_sees_only_its_own_records_and_entries(ours, officer_admin):
    mine, theirs = record_for(ours), record_for(DepartmentFactory(name="人社厅"))
    listing = officer_admin.get("/admin/catalog/creditrecord/").content.decode()
    assert mine.document_number in listing and theirs.document_number not in listing
    assert officer_admin.get(f"/admin/catalog/creditrecord/{mine.pk}/change/").status_code == 200
    other = officer_admin.get(f"/admin/catalog/creditrecord/{theirs.pk}/change/")
    assert other.status_code == 302  # "does not exist", as another department's entry is
    entry = ListEntryFactory(effective=True)  # a list of another department
    assert officer_admin.get(f"/admin/listings/listentry/{entry.pk}/change/").status_code == 302


def test_the_credit_office_administrator_sees_every_department(ours):
    office = DepartmentFactory(credit_office=True)
    officer = OfficerFactory(department=office)
    officer.user.groups.add(Group.objects.get_or_create(name=ADMIN_GROUP)[0])
    client = admin_client(officer)
    theirs = record_for(ours)
    assert client.get(f"/admin/catalog/creditrecord/{theirs.pk}/change/").status_code == 200


def test_a_record_cannot_be_edited_in_the_admin_even_with_the_permission(ours, officer_admin):
    """Imports check, mask and account for records; an admin edit would bypass them."""
    record = record_for(ours, title="原摘要")
    response = officer_admin.post(
        f"/admin/catalog/creditrecord/{record.pk}/change/", {"title": "改过的摘要"}
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.title == "原摘要"
    assert officer_admin.get("/admin/catalog/creditrecord/add/").status_code == 403


def test_admin_pages_showing_a_person_are_registered(ours, officer_admin):
    person = SubjectFactory(natural_person=True)
    record = record_for(ours, subject=person)
    record_for(ours)  # an organisation's
    officer_admin.get(f"/admin/catalog/creditrecord/{record.pk}/change/")
    officer_admin.get("/admin/catalog/creditrecord/")
    officer_admin.get(f"/admin/subjects/subject/{record_for(ours).subject.pk}/change/")
    page, listing = QueryRegistration.objects.order_by("id")
    assert (page.subject, page.natural_persons, page.rows) == (person, 1, 1)
    assert (listing.natural_persons, listing.rows) == (1, 2)
    assert {page.purpose_detail, listing.purpose_detail} == {"管理后台查看"}
    assert QueryRegistration.objects.count() == 2  # an organisation's page names no person


@pytest.mark.parametrize(
    ("identifier", "says"),
    [
        ("123", "无法识别的号码格式"),
        ("330106198013010011", "身份证"),  # month 13
        (make_citizen_id(7)[:-1] + ("0" if make_citizen_id(7)[-1] != "0" else "1"), "校验"),
    ],
)
def test_a_person_added_in_the_admin_must_have_a_valid_id(officer_admin, identifier, says):
    response = officer_admin.post(
        "/admin/subjects/subject/add/",
        {"kind": "natural_person", "name": "张三", "identifier": identifier,
         "linked_persons-TOTAL_FORMS": "0", "linked_persons-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors["identifier"])
    assert says in errors or "invalid" in errors
    assert not Subject.objects.filter(name="张三").exists()


def test_a_code_already_held_is_a_form_error_not_a_server_error(officer_admin):
    held = SubjectFactory()
    response = officer_admin.post(
        "/admin/subjects/subject/add/",
        {"kind": "legal_person", "name": "重复企业", "identifier": held.identifier,
         "linked_persons-TOTAL_FORMS": "0", "linked_persons-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "已有信用主体" in str(response.context["adminform"].form.errors["identifier"])


def test_a_valid_person_is_stored_protected(officer_admin):
    code = make_citizen_id(11)
    response = officer_admin.post(
        "/admin/subjects/subject/add/",
        {"kind": "natural_person", "name": "李四", "identifier": code,
         "linked_persons-TOTAL_FORMS": "0", "linked_persons-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Subject.objects.get(name="李四")
    assert "*" in person.identifier and person.reveal_identifier() == code
    organisation = {
        "kind": "legal_person", "name": "王五公司", "identifier": code,
        "linked_persons-TOTAL_FORMS": "0", "linked_persons-INITIAL_FORMS": "0",
    }  # fmt: skip
    refused = officer_admin.post("/admin/subjects/subject/add/", organisation)
    assert "统一社会信用代码" in str(refused.context["adminform"].form.errors["identifier"])
    organisation["identifier"] = make_uscc(12)
    assert officer_admin.post("/admin/subjects/subject/add/", organisation).status_code == 302


def test_a_persons_kind_cannot_change_while_the_id_stays_masked():
    """As an organisation the masked text would become its code and the sealed ID be lost.
    (Only the credit office changes a subject's kind at all: test_subject_identity_kept_by_
    credit_office.py.)"""
    office_admin = admin_client(OfficerFactory(department=DepartmentFactory(credit_office=True)))
    person = SubjectFactory(natural_person=True)
    full = person.reveal_identifier()
    response = office_admin.post(
        f"/admin/subjects/subject/{person.pk}/change/",
        {"kind": "legal_person", "name": person.name, "identifier": person.identifier,
         "linked_persons-TOTAL_FORMS": "0", "linked_persons-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    person.refresh_from_db()
    assert (person.kind, person.reveal_identifier()) == ("natural_person", full)


def test_an_organisations_page_naming_persons_is_registered_with_them(ours, officer_admin):
    """Its linked persons show in the inline; a record's content names the legal
    representative; the history page of a person is a read too (R14)."""
    link = LinkedPersonFactory()
    html = officer_admin.get(f"/admin/subjects/subject/{link.organisation.pk}/change/")
    assert link.person.name in html.content.decode()
    record = record_for(ours, content={"CF_FRDB": "张三", "CF_FR_ZJHM": "330106********0023"})
    officer_admin.get(f"/admin/catalog/creditrecord/{record.pk}/change/")
    person = SubjectFactory(natural_person=True)
    officer_admin.get(f"/admin/subjects/subject/{person.pk}/history/")
    pages = list(QueryRegistration.objects.order_by("id"))
    assert [(row.subject, row.natural_persons) for row in pages] == [
        (link.organisation, 1), (record.subject, 1), (person, 1),
    ]  # fmt: skip


def test_the_person_autocomplete_is_a_registered_query(officer_admin):
    """Choosing an organisation's linked person searches persons by name and answers names: a
    query of personal data, registered once per person answered, naming them (R14). Opening
    the list or one character answers no person at all; a search that finds only
    organisations is not registered."""
    person = SubjectFactory(natural_person=True, name="王小明")
    SubjectFactory(name="王小明建材有限公司")
    asked = {"app_label": "subjects", "model_name": "linkedperson", "field_name": "person"}
    for term in ("", "王"):
        answer = officer_admin.get("/admin/autocomplete/", {**asked, "term": term})
        assert [r["text"].split("（")[0] for r in answer.json()["results"]] == [
            "王小明建材有限公司"
        ]
    assert not QueryRegistration.objects.exists()
    answer = officer_admin.get("/admin/autocomplete/", {**asked, "term": "王小"})
    assert answer.status_code == 200 and len(answer.json()["results"]) == 2
    registration = QueryRegistration.objects.get()
    assert (registration.subject, registration.natural_persons, registration.kind) == (
        person, 1, "subject_search",
    )  # fmt: skip
    officer_admin.get("/admin/autocomplete/", {**asked, "term": "建材"})
    assert QueryRegistration.objects.count() == 1


def test_an_officer_reading_an_officer_sees_the_account_named_not_linked_to_a_refusal():
    """A read-only viewer who may not open accounts reads the officer's account by name: the
    admin's default link would lead to a refusal (R14)."""
    from tests.admin_clients import admin_as

    client = admin_as(None, "认定部门工作人员")
    colleague = OfficerFactory()
    page = client.get(f"/admin/subjects/officer/{colleague.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert colleague.user.get_username() in html
    assert f"/admin/auth/user/{colleague.user.pk}/change/" not in html
