"""Imports over the API: a department uploads, follows its job, downloads the report; it sees
only its own jobs, and an upload past the size limit is refused with 413 (R9, R13)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import include, path
from ninja import NinjaAPI

from tests.data.ingest import samples
from tests.factories import (
    CatalogItemFactory,
    DepartmentFactory,
    OfficerFactory,
    make_citizen_id,
    make_uscc,
)
from xinyong.api import tokens
from xinyong.api.auth import API_AUTH
from xinyong.api.main import api as main_api
from xinyong.catalog.api import router
from xinyong.catalog.models import CreditRecord, ImportJob, ImportStatus, RecordFormat
from xinyong.core import clock
from xinyong.core.errors import XinyongError

# The router is mounted at /api/v1/imports by the API's assembly; until it is, these tests
# mount it on an API of their own with the same error mapping.
if any(mounted is router for _, mounted in main_api._routers):
    pytestmark = [pytest.mark.django_db]
    BASE = "/api/v1/imports"
else:
    test_api = NinjaAPI(urls_namespace="imports-test", auth=API_AUTH)
    test_api.add_router("/imports", router)

    @test_api.exception_handler(XinyongError)
    def refused(request: HttpRequest, exc: XinyongError):
        return test_api.create_response(request, exc.as_dict(), status=exc.status)

    urlpatterns = [path("api/v1/", test_api.urls), path("office/", include("xinyong.office.urls"))]
    pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
    BASE = "/api/v1/imports"

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def business_date():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def department():
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    return DepartmentFactory(code="hz-scjg")


def system_client(department) -> Client:
    token, _ = tokens.create_token(actor="test", user=tokens.system_account(department))
    return Client(headers={"Authorization": f"Bearer {token}"})


def penalty_file(tmp_path, rows, name="p.csv"):
    path = samples.write_csv(tmp_path / name, samples.PENALTY_FIELDS, rows)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def test_upload_follow_and_download_the_report(tmp_path, department):
    client = system_client(department)
    upload = penalty_file(tmp_path, [samples.penalty(1), samples.penalty(2, CF_JDRQ="")])
    answer = client.post(BASE, {"kind": "penalties", "file": upload})
    assert answer.status_code == 201, answer.content
    job = answer.json()
    assert (job["rows"], job["accepted"], job["quarantined"], job["status"]) == (2, 1, 1, "done")
    assert job["department"] == "hz-scjg"
    assert client.get(f"{BASE}/{job['id']}").json()["quarantined_by_reason"] == {"required": 1}
    assert [j["id"] for j in client.get(BASE).json()["items"]] == [job["id"]]
    report = client.get(job["report_url"])
    assert report.status_code == 200
    assert report["Content-Type"].startswith("text/csv")
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("数据行号,处理结果,错误代码,说明,CF_XDR_MC")
    assert "必填项“处罚决定日期”未填写" in text
    # The same file again: a row was quarantined, so a new job checks it again; nothing added.
    again = client.post(BASE, {"kind": "penalties", "file": penalty_file(
        tmp_path, [samples.penalty(1), samples.penalty(2, CF_JDRQ="")])})  # fmt: skip
    assert again.status_code == 201 and again.json()["id"] != job["id"]
    assert (again.json()["already_recorded"], again.json()["quarantined"]) == (1, 1)
    assert CreditRecord.objects.count() == 1
    # Sent without the faulty row, then again: the job that quarantined nothing answers.
    whole = client.post(BASE, {"kind": "penalties", "file": penalty_file(
        tmp_path, [samples.penalty(1)])})  # fmt: skip
    same = client.post(BASE, {"kind": "penalties", "file": penalty_file(
        tmp_path, [samples.penalty(1)])})  # fmt: skip
    assert (whole.status_code, same.status_code, same.json()["id"]) == (
        201, 200, whole.json()["id"])  # fmt: skip
    assert CreditRecord.objects.count() == 1


def test_the_jobs_are_listed_by_a_known_status_and_an_unknown_one_is_refused(tmp_path, department):
    """As every other list: a status that is none of the jobs' is a 422 naming the ones there
    are, never the whole list as though no status had been asked."""
    client = system_client(department)
    upload = penalty_file(tmp_path, [samples.penalty(1)])
    assert client.post(BASE, {"kind": "penalties", "file": upload}).status_code == 201
    assert [client.get(BASE, {"status": s}).json()["count"] for s in ("done", "failed")] == [1, 0]
    assert client.get(BASE).json()["count"] == 1
    for unknown in ("bogus", "DONE", ""):
        refused = client.get(BASE, {"status": unknown})
        assert refused.status_code == 422, (unknown, refused.json())
        assert refused.json()["code"] == "invalid-request"
        assert [e["field"] for e in refused.json()["errors"]] == ["status"]
        assert "running" in refused.json()["message"]


def test_another_departments_jobs_are_not_seen(tmp_path, department):
    ours = system_client(department)
    job = ours.post(
        BASE, {"kind": "penalties", "file": penalty_file(tmp_path, [samples.penalty(1)])}
    )
    theirs = system_client(DepartmentFactory())
    assert theirs.get(f"{BASE}/{job.json()['id']}").status_code == 404
    assert theirs.get(f"{BASE}/{job.json()['id']}/report").status_code == 404
    assert theirs.get(BASE).json()["items"] == []


def test_a_record_goes_to_the_callers_department_only(tmp_path, department):
    job = system_client(department).post(
        BASE, {"kind": "penalties", "file": penalty_file(tmp_path, [samples.penalty(1)])}
    )
    assert job.status_code == 201
    assert CreditRecord.objects.get().department == department


@override_settings(XINYONG_IMPORT_MAX_UPLOAD_BYTES=2000)
def test_an_upload_past_the_limit_is_refused_with_413(tmp_path, department):
    rows = [samples.penalty(n) for n in range(1, 20)]
    answer = system_client(department).post(
        BASE, {"kind": "penalties", "file": penalty_file(tmp_path, rows)}
    )
    assert answer.status_code == 413
    assert answer.json()["code"] == "upload-too-large"
    assert "上限" in answer.json()["message"]
    assert not CreditRecord.objects.exists()


@pytest.mark.parametrize("last", ["XFD1048576", "ZZ200000"])
def test_a_workbook_of_two_cells_far_apart_is_refused_with_422_and_the_server_lives(
    tmp_path, department, last
):
    """1.6 KB that the reader would hold as 550 GB (the worker aborted) or 4.4 GB: refused
    before it is read, the job failed with the reason, and the next upload is served (R14
    secure by default; R9: one department's file must not stop the others' imports)."""
    path = samples.write_sheets(tmp_path / "far.xlsx", samples.far_apart(last))
    client = system_client(department)
    answer = client.post(
        BASE, {"kind": "penalties", "file": SimpleUploadedFile("far.xlsx", path.read_bytes())}
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "excel-too-many-cells")
    assert "CSV" in answer.json()["message"]
    job = ImportJob.objects.get()
    assert (job.status, job.error_code) == (ImportStatus.FAILED, "excel-too-many-cells")
    served = client.post(BASE, {"kind": "penalties",
                                "file": penalty_file(tmp_path, [samples.penalty(1)])})  # fmt: skip
    assert served.status_code == 201


def test_a_file_the_catalog_does_not_take_is_refused_with_its_reason(tmp_path):
    department = DepartmentFactory()
    answer = system_client(department).post(
        BASE, {"kind": "penalties", "file": penalty_file(tmp_path, [samples.penalty(1)])}
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "not-in-catalog"
    assert "job" in answer.json()


def test_a_records_upload_naming_a_penalty_item_sends_it_to_its_own_import(tmp_path, department):
    CatalogItemFactory(code="integrity-honour", provider=department)
    rows = [
        {
            "ITEM": code,
            "SUBJECT_NAME": "甲公司",
            "SUBJECT_KIND": "法人",
            "USCC": make_uscc(n),
            "DOCUMENT_NUMBER": f"杭〔2026〕{n}号",
            "DECISION_DATE": "2026-11-02",
            "ISSUING_BODY": "某局",
        }
        for n, code in enumerate(["integrity-honour", "administrative-penalty"], start=1)
    ]
    path = samples.write_json(tmp_path / "r.json", rows)
    upload = SimpleUploadedFile("r.json", path.read_bytes(), content_type="application/json")
    answer = system_client(department).post(
        BASE, {"kind": "records", "item": "administrative-penalty", "file": upload}
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    job = answer.json()
    assert (job["accepted"], job["quarantined_by_reason"]) == (1, {"item-needs-own-import": 1})


def test_bad_requests_are_refused_in_chinese(tmp_path, department):
    client = system_client(department)
    assert client.post(BASE, {"kind": "penalties"}).json()["code"] == "file-required"
    wrong = client.post(BASE, {"kind": "fines", "file": penalty_file(tmp_path, [])})
    assert wrong.json()["code"] == "import-kind"
    anonymous = Client().post(BASE, {"kind": "penalties"})
    assert anonymous.status_code == 401


def test_an_officer_in_the_back_office_session_can_upload(tmp_path, department):
    officer = OfficerFactory(department=department)
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer.user)
    client.get("/office/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    answer = client.post(
        BASE, {"kind": "penalties", "file": penalty_file(tmp_path, [samples.penalty(1)])},
        headers={"X-CSRFToken": token},
    )  # fmt: skip
    assert answer.status_code == 201, answer.content


def test_timeliness_for_the_department(tmp_path, department):
    client = system_client(department)
    rows = [samples.penalty(1, CF_JDRQ="2026-11-02"), samples.penalty(2, CF_JDRQ="2026-11-13")]
    client.post(BASE, {"kind": "penalties", "file": penalty_file(tmp_path, rows)})
    answer = client.get(f"{BASE}/timeliness")
    assert answer.status_code == 200
    assert answer.json() == [{
        "department": "hz-scjg", "department_name": department.name, "month": "2026-11",
        "total": 2, "on_time": 1, "late": 1, "share_on_time": 0.5, "provisional": False,
    }]  # fmt: skip


def test_timeliness_since_a_day_counts_that_whole_month(tmp_path, department):
    """A row is a month: ``since`` counts from the first of its month, so that the month it
    names is whole, not its decisions from that day on under the month's label (R9)."""
    client = system_client(department)
    rows = [samples.penalty(1, CF_JDRQ="2026-11-02"), samples.penalty(2, CF_JDRQ="2026-11-13"),
            samples.penalty(3, CF_JDRQ="2026-10-30")]  # fmt: skip
    client.post(BASE, {"kind": "penalties", "file": penalty_file(tmp_path, rows)})
    for since in ("2026-11-10", "2026-11-30", "2026-11-01"):
        answer = client.get(f"{BASE}/timeliness", {"since": since})
        assert answer.status_code == 200
        assert [(r["month"], r["total"], r["on_time"]) for r in answer.json()] == [
            ("2026-11", 2, 1)
        ], since
    answer = client.get(f"{BASE}/timeliness", {"since": "2026-12-01"})
    assert answer.json() == []


def test_a_column_named_like_a_citizen_id_is_masked_in_the_warnings(tmp_path, department):
    """A name the file gives a column may be a value: a message never echoes it in full (R14),
    nor do the job's columns and its report (``test_ingest_names_masked``)."""
    citizen_id = make_citizen_id(7)
    header = [*samples.PENALTY_FIELDS, citizen_id]
    path = samples.write_csv(tmp_path / "p.csv", header, [samples.penalty(1)])
    upload = SimpleUploadedFile("p.csv", path.read_bytes(), content_type="text/csv")
    job = system_client(department).post(BASE, {"kind": "penalties", "file": upload}).json()
    assert job["warnings"] == [{
        "code": "unknown-columns",
        "message": f"以下列不属于本格式，未导入：{citizen_id[:6]}********{citizen_id[-4:]}",
    }]  # fmt: skip


def test_a_header_the_csv_module_cannot_read_is_refused_in_chinese(department):
    """A carriage return alone inside the header line: a 422 saying so, not a server error."""
    upload = SimpleUploadedFile("p.csv", b"CF_XDR_MC\r,CF_WSH\n1,2\n", content_type="text/csv")
    answer = system_client(department).post(BASE, {"kind": "penalties", "file": upload})
    assert answer.status_code == 422, answer.content
    assert answer.json()["code"] == "file-csv"
    assert answer.json()["message"].startswith("表头无法按 CSV 格式读取：")
    assert not CreditRecord.objects.exists()


@pytest.fixture
def uploads(tmp_path, settings):
    """The folder uploads are kept in, for this test alone."""
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR / "imports"


def kept(uploads) -> list[str]:
    return sorted(p.name for p in uploads.iterdir()) if uploads.exists() else []


def test_an_upload_is_deleted_once_its_job_has_ended_or_the_file_is_refused(
    tmp_path, department, uploads
):
    """An upload holds citizen IDs, and may hold a prohibited column's values (001 §14, R14):
    it is kept only while its job may resume, neither once it is done or failed nor when the
    whole file is refused; the report is read from the database, never from the file."""
    client = system_client(department)
    header = [*samples.PENALTY_FIELDS, "宗教信仰"]
    rows = [samples.penalty(1), samples.penalty(2, **{"宗教信仰": "某某教派信徒"})]
    path = samples.write_csv(tmp_path / "p.csv", header, rows)
    sensitive = SimpleUploadedFile("p.csv", path.read_bytes(), content_type="text/csv")
    done = client.post(BASE, {"kind": "penalties", "file": sensitive})
    assert (done.status_code, done.json()["status"]) == (201, "done")
    assert kept(uploads) == []
    report = client.get(done.json()["report_url"])
    assert "宗教信仰" in b"".join(report.streaming_content).decode("utf-8-sig")

    again = client.post(BASE, {"kind": "penalties", "file": penalty_file(tmp_path, rows[:1])})
    assert again.status_code == 201 and kept(uploads) == []
    layout = SimpleUploadedFile("x.csv", "姓名\n张三\n".encode(), content_type="text/csv")
    assert client.post(BASE, {"kind": "penalties", "file": layout}).status_code == 422
    outside = client.post(BASE, {"kind": "licences", "file": penalty_file(tmp_path, rows[:1])})
    assert outside.json()["code"] == "not-in-catalog"  # no licence in the catalog
    assert kept(uploads) == []
    assert ImportJob.objects.filter(status=ImportStatus.RUNNING).count() == 0


class Killed(BaseException):
    """Stands for the serving process being killed part-way: nothing after it runs."""


def test_an_upload_is_kept_while_its_job_may_resume(tmp_path, department, uploads, monkeypatch):
    """Stopped part-way, the job stays running and its upload stays; sent again and resumed
    to its end, neither copy is left."""
    from xinyong.catalog.importers.validation import RowChecker

    rows = [samples.penalty(n) for n in range(1, 4)]
    check = RowChecker.check

    def killed_at_row_two(self, number, cells):
        if number == 2:
            raise Killed
        return check(self, number, cells)

    monkeypatch.setattr(RowChecker, "check", killed_at_row_two)
    client = system_client(department)
    with pytest.raises(Killed):
        client.post(BASE, {"kind": "penalties", "file": penalty_file(tmp_path, rows)})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.RUNNING
    assert kept(uploads) == [job.file_path.rsplit("/", 1)[-1]]

    monkeypatch.setattr(RowChecker, "check", check)
    resumed = client.post(BASE, {"kind": "penalties", "file": penalty_file(tmp_path, rows)})
    assert (resumed.status_code, resumed.json()["id"], resumed.json()["status"]) == (
        200, job.pk, "done",
    )  # fmt: skip
    assert kept(uploads) == []
