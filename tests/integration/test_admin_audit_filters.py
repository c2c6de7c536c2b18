"""The audit trail's admin filters offer the known actions and object types without reading the
trail (R14): two scans of the whole trail on every view grew with it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OfficerFactory
from xinyong.audit import services
from xinyong.audit.labels import action_label, object_type_label

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    officer = OfficerFactory(user__is_staff=True, user__is_superuser=True)
    client.force_login(officer.user)
    return client


def test_the_filters_offer_the_known_labels_and_read_no_distinct_values(admin_client):
    services.record(actor="root", action="token.create", obj=("demo", "1"))
    with CaptureQueriesContext(connection) as queries:
        answer = admin_client.get("/admin/audit/auditentry/")
    assert answer.status_code == 200
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"].upper()]
    html = answer.content.decode()
    assert "?action=token.create" in html and action_label("token.create") in html
    assert "?action=listing.sign" in html  # a list entry's action, by its label
    assert "?object_type=catalog.creditrecord" in html
    assert object_type_label("catalog.creditrecord") in html


def test_a_code_chosen_outside_the_known_ones_is_still_offered_and_filters(admin_client):
    services.record(actor="root", action="something.new", obj=("demo", "1"))
    services.record(actor="root", action="token.create", obj=("demo", "2"))
    answer = admin_client.get("/admin/audit/auditentry/", {"action": "something.new"})
    assert answer.status_code == 200
    assert answer.context["cl"].result_count == 1
    assert "?action=something.new" in answer.content.decode()
