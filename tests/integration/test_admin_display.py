"""What the admin shows an officer: Chinese words and ISO dates, the newest audit rows first."""

import re

import pytest

from tests.factories import OfficerFactory
from xinyong.audit import services as audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    officer = OfficerFactory(user__is_staff=True, user__is_superuser=True)
    client.force_login(officer.user)
    client.officer = officer
    return client


def results(html: str) -> str:
    """The change list's table, where the rows are."""
    match = re.search(r'<table id="result_list".*?</table>', html, re.S)
    assert match, "no result list"
    return match[0]


def test_the_admin_writes_dates_and_times_in_iso_form(admin_client):
    audit.record(actor=admin_client.officer.user, action="admin.add", obj=("demo", "1"))
    table = results(admin_client.get("/admin/audit/auditentry/").content.decode())
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", table)
    assert "年" not in table


def test_the_audit_trail_lists_the_newest_row_first(admin_client):
    for number in (1, 2, 3):
        audit.record(actor="system", action="admin.add", obj=("demo", f"row-{number}"))
    table = results(admin_client.get("/admin/audit/auditentry/").content.decode())
    assert table.index("row-3") < table.index("row-2") < table.index("row-1")
