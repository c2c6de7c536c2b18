"""An admin change list reads the rows' related objects it shows with the rows: its number of
queries does not grow with the page (a nullable foreign key is not joined unless asked)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OfficerFactory, RegionFactory, SubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    officer = OfficerFactory(user__is_staff=True, user__is_superuser=True)
    client.force_login(officer.user)
    return client


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _regions(first: int, count: int) -> list:
    parent = RegionFactory(code=f"33{first:04d}", name="上级", level="city")
    return [
        RegionFactory(code=f"{330000 + first + i + 1}", name=f"区{i}", parent=parent)
        for i in range(count)
    ]


def test_the_subject_list_reads_the_regions_with_the_subjects(admin_client):
    for region in _regions(100, 2):
        SubjectFactory(region=region)
    few = _queries(admin_client, "/admin/subjects/subject/")
    for region in _regions(200, 6):
        SubjectFactory(region=region)
    assert _queries(admin_client, "/admin/subjects/subject/") == few


def test_the_region_list_reads_the_parents_with_the_regions(admin_client):
    _regions(100, 2)
    few = _queries(admin_client, "/admin/subjects/region/")
    _regions(200, 2)
    _regions(300, 2)
    assert _queries(admin_client, "/admin/subjects/region/") == few
