"""Officers keep reference data in the admin; each edit leaves exactly one audit row (R14)."""

import pytest

from tests.factories import DomainFactory, OfficerFactory
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
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
