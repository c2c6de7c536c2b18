"""The back office's import page and the ``xinyong import`` command (R9)."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from tests.data.ingest import samples
from tests.factories import (
    CatalogItemFactory,
    CreditRecordFactory,
    DepartmentFactory,
    OfficerFactory,
    SubjectFactory,
)
from xinyong.catalog.models import CreditRecord, ImportJob, RecordFormat
from xinyong.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def business_date():
    with clock.frozen(dt.date(2026, 11, 20)):
        yield


@pytest.fixture
def department():
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    return DepartmentFactory(code="hz-scjg", name="杭州市市场监督管理局")


@pytest.fixture
def officer_client(department):
    client = Client()
    client.force_login(OfficerFactory(department=department).user)
    return client


def upload(tmp_path, rows):
    path = samples.write_csv(tmp_path / "处罚.csv", samples.PENALTY_FIELDS, rows)
    return SimpleUploadedFile("处罚.csv", path.read_bytes(), content_type="text/csv")


def test_an_officer_uploads_and_reads_the_report(tmp_path, officer_client):
    page = officer_client.get("/office/imports/")
    assert page.status_code == 200
    rows = [samples.penalty(1), samples.penalty(2, CF_XDR_LB="外星组织")]
    answer = officer_client.post(
        "/office/imports/", {"kind": "penalties", "file": upload(tmp_path, rows)}, follow=True
    )
    job = ImportJob.objects.get()
    assert answer.redirect_chain[-1][0] == f"/office/imports/{job.pk}/"
    html = answer.content.decode()
    # The page gives the reason in Chinese, the downloaded report its code as well.
    assert "行政相对人类别“外星组织”无法识别" in html and "<th>错误代码</th>" not in html
    assert "<td>subject-kind-unknown</td>" not in html
    listing = officer_client.get("/office/imports/").content.decode()
    assert "处罚.csv" in listing and f"/office/imports/{job.pk}/report.csv" in listing
    report = officer_client.get(f"/office/imports/{job.pk}/report.csv")
    downloaded = b"".join(report.streaming_content).decode()
    assert "行政相对人类别“外星组织”无法识别" in downloaded
    assert "错误代码" in downloaded and "subject-kind-unknown" in downloaded
    assert CreditRecord.objects.count() == 1


def test_the_summary_names_each_reason_in_chinese(tmp_path, officer_client):
    rows = [samples.penalty(1), samples.penalty(2, CF_XDR_LB="外星组织")]
    officer_client.post("/office/imports/", {"kind": "penalties", "file": upload(tmp_path, rows)})
    html = officer_client.get(f"/office/imports/{ImportJob.objects.get().pk}/").content.decode()
    assert "行政相对人类别无法识别：1" in html
    assert "<code>subject-kind-unknown</code>" not in html
    # The report table scrolls inside its card, by keyboard too (WCAG 2.1.1).
    assert '<div class="scroll" tabindex="0" role="region" aria-label="报告">' in html


def test_a_failed_import_says_why_and_not_that_every_row_was_accepted(tmp_path, officer_client):
    broken = SimpleUploadedFile("处罚.xlsx", b"PK\x03\x04 not a workbook" * 10)
    officer_client.post("/office/imports/", {"kind": "penalties", "file": broken})
    job = ImportJob.objects.get()
    assert (job.status, job.error_code) == ("failed", "file-unreadable")
    html = officer_client.get(f"/office/imports/{job.pk}/").content.decode()
    assert "导入失败：文件不是有效的 Excel 文件（.xlsx），可能已损坏或并非 Excel 格式" in html
    assert "所有行均已接收" not in html
    assert "（file-unreadable）" not in html and "EOCD" not in html


def test_the_page_shows_the_departments_timeliness(tmp_path, officer_client):
    form = {"kind": "penalties", "file": upload(tmp_path, [samples.penalty(1)])}
    officer_client.post("/office/imports/", form)
    html = officer_client.get("/office/imports/").content.decode()
    assert "2026-11" in html and "0%" in html  # decided 11-02, due 11-11, collected 11-20


def test_the_credit_office_sees_every_departments_timeliness(tmp_path, officer_client):
    """As through the API: the credit office's page counts every department (R9)."""
    form = {"kind": "penalties", "file": upload(tmp_path, [samples.penalty(1)])}
    officer_client.post("/office/imports/", form)
    office = Client()
    office.force_login(OfficerFactory(department=DepartmentFactory(credit_office=True)).user)
    html = office.get("/office/imports/").content.decode()
    assert "<td>杭州市市场监督管理局</td><td>2026-11</td>" in html


def _late(department, decided):
    """A record due 9 days after its decision and collected a working day late."""
    due = decided + dt.timedelta(days=9)
    CreditRecordFactory(
        catalog_item=CatalogItemFactory(provider=department), decision_date=decided,
        publication_due_on=due, published_on=due + dt.timedelta(days=1), workdays_late=1,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("viewed_on", "oldest", "before_it"),
    [
        # 29 February 2028 in the span: 365 days back from 2028-03-01 is 2027-03-02.
        (dt.date(2028, 3, 15), "2027-03", dt.date(2027, 2, 28)),
        (dt.date(2027, 3, 15), "2026-03", dt.date(2026, 2, 28)),  # no 29 February: as before
    ],
)
def test_the_oldest_month_of_timeliness_is_counted_whole(
    officer_client, department, viewed_on, oldest, before_it
):
    """Twelve months back from the first of the month, by the calendar (R9, R15): the records of
    the oldest month's first day count, the month before it is not shown."""
    first = dt.date.fromisoformat(f"{oldest}-01")
    for day in (first, first, first.replace(day=15), before_it):
        _late(department, day)
    with clock.frozen(viewed_on):
        html = officer_client.get("/office/imports/").content.decode()
    # A month counted over a year without its holiday notice is marked provisional (R15).
    marked = r'(<span class="provisional" data-field="provisional">[^<]*</span>)?'
    assert re.search(f"<td>{oldest}{marked}</td><td>3</td><td>0</td><td>3</td><td>0.0%</td>", html)
    assert f"<td>{before_it:%Y-%m}" not in html


@pytest.mark.parametrize(
    ("on_time", "late", "shown"),
    [(199, 1, "99.5%"), (2, 1, "66.6%"), (1, 0, "100.0%")],
)
def test_the_share_on_time_is_shown_rounded_down(officer_client, department, on_time, late, shown):
    """A month with one record late is not all on time: the share is rounded down, as every
    share the back office shows, so that it never reads as more than it is (R9)."""
    item, subject = CatalogItemFactory(provider=department), SubjectFactory()
    decided, due = dt.date(2026, 11, 2), dt.date(2026, 11, 11)
    for n in range(on_time + late):
        CreditRecordFactory(
            catalog_item=item, subject=subject, decision_date=decided,
            publication_due_on=due, published_on=due if n < on_time else due + dt.timedelta(1),
            workdays_late=0 if n < on_time else 1,
        )  # fmt: skip
    html = officer_client.get("/office/imports/").content.decode()
    row = re.search(r"<td>2026-11</td>(<td>[^<]*</td>)*", html).group()
    assert row.endswith(
        f"<td>{on_time + late}</td><td>{on_time}</td><td>{late}</td><td>{shown}</td>"
    )


@override_settings(XINYONG_IMPORT_MAX_UPLOAD_BYTES=500)
def test_a_refusal_is_shown_in_chinese(tmp_path, officer_client):
    answer = officer_client.post(
        "/office/imports/",
        {"kind": "penalties", "file": upload(tmp_path, [samples.penalty(1), samples.penalty(2)])},
        follow=True,
    )
    assert "上传文件超过" in answer.content.decode()
    assert not ImportJob.objects.exists()


def test_another_departments_job_is_not_found(tmp_path, officer_client, department):
    form = {"kind": "penalties", "file": upload(tmp_path, [samples.penalty(1)])}
    officer_client.post("/office/imports/", form)
    job = ImportJob.objects.get()
    stranger = Client()
    stranger.force_login(OfficerFactory(department=DepartmentFactory()).user)
    assert stranger.get(f"/office/imports/{job.pk}/").status_code == 404
    assert stranger.get(f"/office/imports/{job.pk}/report.csv").status_code == 404


def test_an_upload_is_deleted_once_its_job_has_ended_or_the_file_is_refused(
    tmp_path, officer_client, settings
):
    """As through the API: an upload is not kept once nothing can resume from it (001 §14, R14),
    whether its job is done, failed, or the whole file refused."""
    settings.VAR_DIR = tmp_path / "var"
    broken = SimpleUploadedFile("处罚.xlsx", b"PK\x03\x04 not a workbook" * 10)
    layout = SimpleUploadedFile("x.csv", "姓名\n张三\n".encode(), content_type="text/csv")
    for file in (upload(tmp_path, [samples.penalty(1)]), broken, layout):
        officer_client.post("/office/imports/", {"kind": "penalties", "file": file})
    statuses = sorted(ImportJob.objects.values_list("status", flat=True))
    assert statuses == ["done", "failed", "failed"]
    assert list((tmp_path / "var" / "imports").iterdir()) == []


def test_the_command_prints_a_summary(tmp_path, department):
    rows = [samples.penalty(1), samples.penalty(2), samples.penalty(2)]
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "penalties", str(path), "--department", "hz-scjg",
                 "--date", "2026-11-20", stdout=out, stderr=err)  # fmt: skip
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    assert (lines["rows"], lines["accepted"], lines["quarantined"]) == ("3", "2", "1")
    assert lines["quarantined[duplicate-in-file]"] == "1"
    assert int(lines["rows_per_second"]) > 0
    assert CreditRecord.objects.count() == 2
    assert path.exists()  # the department's own file, left where it is


def test_the_command_refuses_in_chinese(tmp_path, department):
    path = samples.write_csv(tmp_path / "p.csv", ["姓名"], [{"姓名": "张三"}])
    with pytest.raises(CommandError, match="file-layout"):
        call_command("import", "penalties", str(path), "--department", "hz-scjg",
                     "--no-progress", stdout=io.StringIO())  # fmt: skip
    with pytest.raises(CommandError, match="department-not-found"):
        call_command("import", "penalties", str(path), "--department", "nope")
