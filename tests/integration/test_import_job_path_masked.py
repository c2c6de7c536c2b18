"""A file named on the command line is the department's own, where it keeps it: its path may hold
a citizen ID, in a folder's name as well as the file's. The job keeps the path as it is, for a
resumed import reads the file there again, and the admin shows it masked (R14)."""

import pytest

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.factories import OfficerFactory, make_citizen_id
from tests.ingest_imports import import_penalties
from xinyong.core.masking import mask_id_number

pytestmark = pytest.mark.django_db
department, penalty_item = imports.department, imports.penalty_item  # shared fixtures
CITIZEN_ID = make_citizen_id(17)
MASKED = mask_id_number(CITIZEN_ID)


@pytest.fixture
def admin_client(client):
    client.force_login(OfficerFactory(user__is_staff=True, user__is_superuser=True).user)
    return client


def test_the_admin_shows_a_command_line_files_path_masked(
    tmp_path, department, penalty_item, admin_client
):
    folder = tmp_path / f"张三{CITIZEN_ID}"
    folder.mkdir()
    path = samples.write_csv(
        folder / f"{CITIZEN_ID}.csv", samples.PENALTY_FIELDS, [samples.penalty(1)]
    )
    job = import_penalties(path, department)
    assert job.file_path == str(path)  # where a resumed import finds the file again
    page = admin_client.get(f"/admin/catalog/importjob/{job.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert CITIZEN_ID not in html
    assert str(tmp_path / f"张三{MASKED}" / f"{MASKED}.csv") in html
    listed = admin_client.get("/admin/catalog/importjob/").content.decode()
    assert CITIZEN_ID not in listed and f"{MASKED}.csv" in listed
