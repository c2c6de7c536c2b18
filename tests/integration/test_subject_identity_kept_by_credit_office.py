"""Who a credit subject is — its code or citizen ID, its kind, its name — is kept by the credit
office: a recognizing department's officer adds subjects in the admin but cannot re-code one
that another department has listed, which would make every check of the old code answer clear
(R14, 000 §十一.4)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.admin_clients import admin_as
from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    SubjectFactory,
    make_uscc,
)
from xinyong.audit.models import AuditEntry
from xinyong.demo.accounts import GROUPS, permissions_for
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
RECOGNIZING, OFFICE = "认定部门工作人员", "信用办工作人员"
NO_INLINES = {
    "linked_persons-TOTAL_FORMS": "0", "linked_persons-INITIAL_FORMS": "0",
    "linked_persons-MIN_NUM_FORMS": "0", "linked_persons-MAX_NUM_FORMS": "1000",
}  # fmt: skip


@pytest.fixture
def listed_company():
    """An organisation another department has on its black list, in force."""
    company = SubjectFactory(identifier=make_uscc(9001), name="某某食品有限公司")
    ListEntryFactory(list=ListDefinitionFactory(code="tax-black"), subject=company, effective=True)
    return company


def recode(client: Client, subject: Subject, **changes):
    form = {"kind": subject.kind, "name": subject.name, "identifier": subject.identifier,
            "region": subject.region_id, **NO_INLINES, **changes}  # fmt: skip
    return client.post(f"/admin/subjects/subject/{subject.pk}/change/", form)


def test_a_recognizing_officer_cannot_recode_rename_or_rekind_a_subject(listed_company):
    officer = admin_as(DepartmentFactory(), RECOGNIZING)
    old_code, old_name = listed_company.identifier, listed_company.name
    recode(officer, listed_company, identifier=make_uscc(9002), name="改名公司",
           kind="unincorporated")  # fmt: skip
    listed_company.refresh_from_db()
    assert (listed_company.identifier, listed_company.name, listed_company.kind) == (
        old_code, old_name, "legal_person",
    )  # fmt: skip
    assert Subject.objects.identified_by(old_code).get() == listed_company


def test_the_change_page_shows_a_recognizing_officer_the_identity_read_only(listed_company):
    officer = admin_as(DepartmentFactory(), RECOGNIZING)
    page = officer.get(f"/admin/subjects/subject/{listed_company.pk}/change/")
    form = page.context["adminform"].form
    assert not {"identifier", "name", "kind"} & set(form.fields)
    assert "region" in form.fields  # the rest of the subject's page is still kept


def test_rights_given_outside_the_demo_groups_do_not_let_an_officer_recode(listed_company):
    """Enforced by the admin itself, not only by which group has ``change_subject``."""
    officer = admin_as(DepartmentFactory(), OFFICE)  # the credit office's rights, wrong department
    recode(officer, listed_company, identifier=make_uscc(9003))
    listed_company.refresh_from_db()
    assert listed_company.identifier == make_uscc(9001)


def test_a_recognizing_officer_still_adds_subjects():
    officer = admin_as(DepartmentFactory(), RECOGNIZING)
    added = officer.post(
        "/admin/subjects/subject/add/",
        {"kind": "legal_person", "name": "新设公司", "identifier": make_uscc(9004), **NO_INLINES},
    )
    assert added.status_code == 302, added.context["adminform"].form.errors
    assert Subject.objects.identified_by(make_uscc(9004)).get().name == "新设公司"


def test_the_credit_office_corrects_a_subjects_code_with_an_audit_row(listed_company):
    office = admin_as(DepartmentFactory(credit_office=True), OFFICE)
    corrected = recode(office, listed_company, identifier=make_uscc(9005), name="更正后名称")
    assert corrected.status_code == 302
    listed_company.refresh_from_db()
    assert (listed_company.identifier, listed_company.name) == (make_uscc(9005), "更正后名称")
    change = AuditEntry.objects.filter(action="admin.change").get()
    assert change.before["identifier"] == make_uscc(9001)
    assert change.after["identifier"] == make_uscc(9005)


def test_a_superuser_corrects_a_subjects_code(listed_company):
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", "", "x"))
    assert recode(admin, listed_company, identifier=make_uscc(9006)).status_code == 302
    listed_company.refresh_from_db()
    assert listed_company.identifier == make_uscc(9006)


def test_the_demo_gives_subject_corrections_to_the_credit_office():
    office = {p.codename for p in permissions_for(GROUPS[OFFICE])}
    assert {"add_subject", "change_subject"} <= office
