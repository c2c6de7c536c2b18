"""Officers keep reference data in the admin; each edit leaves exactly one audit row (R14)."""

import pytest

from tests.factories import CatalogItemFactory, DomainFactory, OfficerFactory
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.catalog.models import PublicationRule, PublicationTier
from xinyong.subjects.models import Domain

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    officer = OfficerFactory(user__is_staff=True, user__is_superuser=True)
    client.force_login(officer.user)
    client.officer = officer
    return client


def test_adding_a_domain_leaves_one_audit_row(admin_client):
    response = admin_client.post(
        "/admin/subjects/domain/add/",
        {
            "code": "food-safety",
            "name": "食品安全",
            "dishonesty_category": "1",
            "is_key_domain": "on",
        },
    )
    assert response.status_code == 302
    domain = Domain.objects.get(code="food-safety")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "admin.add", "subjects.domain", str(domain.pk),
    )  # fmt: skip
    assert entry.actor == admin_client.officer.user.username
    assert entry.department == admin_client.officer.department.code
    assert entry.before is None
    assert entry.after["name"] == "食品安全"
    assert verify_chain().ok


def test_changing_a_domain_records_before_and_after(admin_client):
    domain = DomainFactory(name="旧名称", is_key_domain=False)
    admin_client.post(
        f"/admin/subjects/domain/{domain.pk}/change/",
        {"code": domain.code, "name": "新名称", "dishonesty_category": "2"},
    )
    entry = AuditEntry.objects.get()
    assert entry.action == "admin.change"
    assert entry.before["name"] == "旧名称"
    assert entry.after["name"] == "新名称"


def test_deleting_through_the_admin_is_audited(admin_client):
    domain = DomainFactory()
    response = admin_client.post(f"/admin/subjects/domain/{domain.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.action == "admin.delete"
    assert entry.before["code"] == domain.code


def test_list_entries_cannot_be_edited_in_the_admin(admin_client):
    response = admin_client.get("/admin/listings/listentry/add/")
    assert response.status_code == 403


def test_admin_pages_are_in_chinese(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "信用主体与部门" in html
    assert "红黑名单" in html


def _form_data(admin_client, url, **changes):
    """The admin form as shown, with ``changes``; a check box unticked is absent."""
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields} | changes
    return {
        name: "on" if value is True else "" if value is None else value
        for name, value in data.items()
        if value is not False
    }


def test_an_accounts_roles_and_superuser_status_are_audited_never_its_password(admin_client):
    """Who may do what is a right (R14): a role given or superuser status set leaves one audit
    row with before and after; the password hash is never written into the trail."""
    from django.contrib.auth.models import Group, User

    role = Group.objects.create(name="审计测试角色")
    account = OfficerFactory().user
    url = f"/admin/auth/user/{account.pk}/change/"
    data = _form_data(admin_client, url, is_superuser=True, groups=[role.pk])
    data |= {"date_joined_0": "2026-11-01", "date_joined_1": "09:00:00"}
    answer = admin_client.post(url, data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id) == ("admin.change", str(account.pk))
    assert entry.before["is_superuser"] is False and entry.after["is_superuser"] is True
    assert entry.after["groups"] == [role.pk]
    assert "password" not in entry.before and "password" not in entry.after
    assert User.objects.get(pk=account.pk).password not in str(vars(entry))
    answer = admin_client.post(
        f"/admin/auth/user/{account.pk}/password/",
        {"password1": "A-new-long-passw0rd!", "password2": "A-new-long-passw0rd!",
         "usable_password": "true"},
    )  # fmt: skip
    assert answer.status_code == 302
    changed = AuditEntry.objects.get(action="admin.password")
    assert changed.object_id == str(account.pk) and changed.before is None
    assert verify_chain().ok


def test_a_roles_permissions_are_audited(admin_client):
    from django.contrib.auth.models import Group, Permission

    answer = admin_client.post("/admin/auth/group/add/", {
        "name": "审计测试复核",
        "permissions": [Permission.objects.get(codename="view_auditentry").pk],
    })  # fmt: skip
    assert answer.status_code == 302
    entry = AuditEntry.objects.get()
    group = Group.objects.get(name="审计测试复核")
    assert (entry.action, entry.object_id) == ("admin.add", str(group.pk))
    assert len(entry.after["permissions"]) == 1


def test_a_person_linked_to_an_organisation_is_in_its_audit_row(admin_client):
    """落实到人: attaching a legal representative through the subject's page is the change the
    audit row shows, not a row whose before and after are the same (R14)."""
    from tests.factories import SubjectFactory
    from xinyong.subjects.models import LinkedPerson

    company = SubjectFactory(name="杭州审计示例有限公司")
    person = SubjectFactory(natural_person=True)
    url = f"/admin/subjects/subject/{company.pk}/change/"
    data = _form_data(admin_client, url)
    data |= {
        "linked_persons-TOTAL_FORMS": "1", "linked_persons-INITIAL_FORMS": "0",
        "linked_persons-0-person": str(person.pk), "linked_persons-0-role": "legal_representative",
        "linked_persons-0-since": "2026-01-01",
    }  # fmt: skip
    answer = admin_client.post(url, data)
    assert answer.status_code == 302, answer.context and answer.context["errors"]
    assert LinkedPerson.objects.filter(organisation=company, person=person).exists()
    entry = AuditEntry.objects.get(action="admin.change", object_id=str(company.pk))
    assert entry.before["linked_persons"] == []
    assert entry.after["linked_persons"][0] | {"id": 0} == {
        "id": 0, "person": person.pk, "role": "legal_representative", "since": "2026-01-01",
        "until": None,
    }  # fmt: skip


def test_a_default_publication_rule_cannot_be_deleted_an_items_own_can(admin_client):
    """Without its default, a tier of an item with no rule of its own has no window: its
    penalties would never be published nor stop being shared (R8). The admin refuses."""
    default = PublicationRule.objects.get(catalog_item=None, tier=PublicationTier.SERIOUS)
    url = f"/admin/catalog/publicationrule/{default.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    selected = {"action": "delete_selected", "_selected_action": [default.pk], "post": "yes"}
    assert admin_client.post("/admin/catalog/publicationrule/", selected).status_code == 403
    assert PublicationRule.objects.filter(pk=default.pk).exists()
    change = admin_client.get(f"/admin/catalog/publicationrule/{default.pk}/change/")
    assert "catalog_item" not in change.context["adminform"].form.fields
    own = PublicationRule.objects.create(
        catalog_item=CatalogItemFactory(), tier=PublicationTier.SERIOUS, months_min=12,
        months_max=36,
    )  # fmt: skip
    own_url = f"/admin/catalog/publicationrule/{own.pk}/delete/"
    assert admin_client.post(own_url, {"post": "yes"}).status_code == 302
    assert not PublicationRule.objects.filter(pk=own.pk).exists()
