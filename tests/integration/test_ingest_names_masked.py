"""Names that a file or a request brings may be values: a citizen ID typed as a column's name, in
an uploaded file's name, in the catalog item asked for or in a JSON key is stored and shown
masked, wherever the import keeps or echoes the name (R14)."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.factories import OfficerFactory, make_citizen_id
from tests.ingest_imports import import_penalties
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.catalog.models import ImportJob, ImportStatus
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.masking import mask_id_number

pytestmark = pytest.mark.django_db
department, penalty_item = imports.department, imports.penalty_item  # shared fixtures
BASE = "/api/v1/imports"
CITIZEN_ID = make_citizen_id(7)
MASKED = mask_id_number(CITIZEN_ID)  # its first 6 and last 4 characters


@pytest.fixture(autouse=True)
def business_date():
    with clock.frozen(imports.TODAY):
        yield


def system_client(department) -> Client:
    token, _ = tokens.create_token(actor="test", user=tokens.system_account(department))
    return Client(headers={"Authorization": f"Bearer {token}"})


def officer_client(department) -> Client:
    client = Client()
    client.force_login(OfficerFactory(department=department).user)
    return client


def penalty_upload(tmp_path, header, rows, name="p.csv") -> SimpleUploadedFile:
    path = samples.write_csv(tmp_path / "p.csv", header, rows)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def stored_text() -> str:
    """What the import keeps of a job and its audit rows, as one text to search."""
    stored = [
        *ImportJob.objects.values_list("file_name", "columns", "warnings", "error_message"),
        *AuditEntry.objects.values_list("before", "after", "reason"),
    ]
    return json.dumps(stored, ensure_ascii=False, default=str)


# -- a column's name ---------------------------------------------------------------------------


def test_a_citizen_id_as_a_column_name_is_masked_in_the_job_and_the_report(
    tmp_path, department, penalty_item
):
    """The job keeps the report's column names, and the report heads its columns with them: the
    name is masked in both, as the row's values are, and the header still heads its own column."""
    client = system_client(department)
    header = [*samples.PENALTY_FIELDS, CITIZEN_ID]
    rows = [samples.penalty(1), samples.penalty(2, CF_JDRQ="", **{CITIZEN_ID: "补充说明"})]
    job = client.post(
        BASE, {"kind": "penalties", "file": penalty_upload(tmp_path, header, rows)}
    ).json()
    assert ImportJob.objects.get().columns == [*samples.PENALTY_FIELDS, MASKED]
    report = b"".join(client.get(job["report_url"]).streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(report)))
    assert lines[0][-1] == MASKED
    assert [len(line) for line in lines] == [len(lines[0])] * len(lines)
    row = next(line for line in lines[1:] if line[0] == "2")
    assert row[lines[0].index(MASKED)] == "补充说明"
    assert CITIZEN_ID not in report and CITIZEN_ID not in stored_text()


def test_the_job_page_shows_a_column_named_by_a_citizen_id_masked(
    tmp_path, department, penalty_item
):
    header = [*samples.PENALTY_FIELDS, CITIZEN_ID]
    upload = penalty_upload(tmp_path, header, [samples.penalty(1, CF_JDRQ="")])
    client = officer_client(department)
    client.post("/office/imports/", {"kind": "penalties", "file": upload})
    html = client.get(f"/office/imports/{ImportJob.objects.get().pk}/").content.decode()
    assert MASKED in html and CITIZEN_ID not in html


# -- the file's name ---------------------------------------------------------------------------


def test_a_citizen_id_in_an_uploaded_files_name_is_stored_masked(
    tmp_path, department, penalty_item
):
    """The name is shown on the job's page, in the list of imports and in the API's answers, and
    written in the job's audit row: masked in all of them."""
    upload = penalty_upload(
        tmp_path, samples.PENALTY_FIELDS, [samples.penalty(1)], name=f"处罚{CITIZEN_ID}.csv"
    )
    api = system_client(department)
    job = api.post(BASE, {"kind": "penalties", "file": upload}).json()
    assert job["file_name"] == f"处罚{MASKED}.csv"
    assert api.get(BASE).json()["items"][0]["file_name"] == f"处罚{MASKED}.csv"
    office = officer_client(department)
    listing = office.get("/office/imports/").content.decode()
    page = office.get(f"/office/imports/{job['id']}/").content.decode()
    assert f"处罚{MASKED}.csv" in listing and f"处罚{MASKED}.csv" in page
    assert CITIZEN_ID not in listing + page
    assert CITIZEN_ID not in stored_text()


def test_a_citizen_id_in_the_name_of_a_file_refused_whole_is_stored_masked(tmp_path, department):
    """No catalog item takes the file: its failed job and the refusal's audit row keep its name
    masked too (R13)."""
    upload = penalty_upload(
        tmp_path, samples.PENALTY_FIELDS, [samples.penalty(1)], name=f"{CITIZEN_ID}.csv"
    )
    answer = system_client(department).post(BASE, {"kind": "penalties", "file": upload})
    assert answer.json()["code"] == "not-in-catalog"
    assert ImportJob.objects.get().file_name == f"{MASKED}.csv"
    assert CITIZEN_ID not in stored_text()


def test_a_citizen_id_in_the_name_of_a_file_named_on_the_command_line_is_masked(
    tmp_path, department, penalty_item
):
    """A department's own file, named on the command line: its name is kept masked, as an
    upload's is."""
    path = samples.write_csv(
        tmp_path / f"{CITIZEN_ID}.csv", samples.PENALTY_FIELDS, [samples.penalty(1)]
    )
    job = import_penalties(path, department)
    assert job.file_name == f"{MASKED}.csv"
    assert CITIZEN_ID not in stored_text()


# -- the catalog item asked for ----------------------------------------------------------------


def test_the_item_asked_for_is_echoed_masked_and_cut_short(tmp_path, department, penalty_item):
    """The refusal names the item the request asked for, in its message, the failed job and the
    audit row: free text from the request, masked and cut to its first 64 characters."""
    asked = f"{CITIZEN_ID}-{'a' * 500}"
    upload = penalty_upload(tmp_path, samples.PENALTY_FIELDS, [samples.penalty(1)])
    answer = system_client(department).post(
        BASE, {"kind": "penalties", "item": asked, "file": upload}
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "not-in-catalog")
    echoed = f"{MASKED}-{'a' * 500}"[:64] + "…"
    assert f"“{echoed}”" in answer.json()["message"]
    job = ImportJob.objects.get()
    assert job.error_message == answer.json()["message"]
    refusal = AuditEntry.objects.get(action="catalog.refused")
    assert refusal.after["item"] == echoed and f"“{echoed}”" in refusal.reason
    assert CITIZEN_ID not in stored_text() and "a" * 100 not in stored_text()


def test_a_short_item_asked_for_is_echoed_as_sent(tmp_path, department):
    upload = penalty_upload(tmp_path, samples.PENALTY_FIELDS, [samples.penalty(1)])
    answer = system_client(department).post(
        BASE, {"kind": "penalties", "item": "no-such-item", "file": upload}
    )
    assert "“no-such-item”" in answer.json()["message"]
    assert AuditEntry.objects.get(action="catalog.refused").after["item"] == "no-such-item"


# -- a JSON key --------------------------------------------------------------------------------


@pytest.mark.parametrize("before", ["备注", "说明" * 14], ids=["whole", "across-the-cut"])
def test_a_json_key_no_column_name_can_be_is_named_masked(
    tmp_path, department, penalty_item, before
):
    """A key that cannot be stored refuses the file, and the refusal names it, cut to its first
    40 characters: a citizen ID in it is masked before the cut, so that a cut through the ID
    leaves none of its birth date behind."""
    key = f"{before}{CITIZEN_ID}\x00"
    path = tmp_path / "p.json"
    path.write_text(json.dumps([{**samples.penalty(1), key: "x"}]), "ascii")
    with pytest.raises(XinyongError) as refused:
        import_penalties(path, department)
    assert refused.value.code == "json-key"
    assert f"“{f'{before}{MASKED}␀'[:40]}”" in refused.value.message
    job = ImportJob.objects.get()
    assert (job.status, job.error_code) == (ImportStatus.FAILED, "json-key")
    assert CITIZEN_ID[:10] not in stored_text()
