"""The same file sent again after rows were quarantined: checked again as a new job, so that
the rows the platform's own settings refused go in once the credit office has set them; a file
whose job quarantined nothing still answers that job, and a job killed part-way still resumes
(R9, R13; issue: "the good rows are in")."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory, OfficerFactory, make_uscc
from xinyong.api import tokens
from xinyong.catalog import services
from xinyong.catalog.models import (
    CreditRecord,
    ImportJob,
    ImportStatus,
    PenaltyType,
    PublicationRule,
    RecordFormat,
)
from xinyong.core import clock

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def business_date():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)


@pytest.fixture
def penalty_item(department):
    return CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                              provider=None)  # fmt: skip


def run(path, department, kind="penalties", **options):
    return services.import_file(actor="test", kind=kind, path=path, department=department,
                                **options)  # fmt: skip


def counted(job):
    return (job.rows_done, job.accepted, job.inserted, job.already_recorded, job.quarantined)


def accounts_for_every_row(job, rows):
    return job.rows_done == rows == job.accepted + job.quarantined and (
        job.accepted == job.inserted + job.already_recorded
    )


def test_a_tier_rule_added_lets_the_same_file_bring_its_refused_row(
    tmp_path, department, penalty_item
):
    """``tier-rule-missing`` tells the credit office to set the tier's rule and import again:
    the same file then records the row, and the rows stored before count as already recorded."""
    PublicationRule.objects.filter(catalog_item=None, tier="serious").delete()
    rows = [samples.penalty(1), samples.penalty(2, CF_CFLB="吊销许可证件")]
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)
    first = run(path, department)
    assert (first.accepted, first.quarantined_by_reason) == (1, {"tier-rule-missing": 1})
    PublicationRule.objects.create(catalog_item=None, tier="serious", is_published=True,
                                   months_min=12, months_max=36)  # fmt: skip
    again = run(path, department)
    assert again.pk != first.pk and again.status == ImportStatus.DONE
    assert counted(again) == (2, 2, 1, 1, 0) and accounts_for_every_row(again, 2)
    assert CreditRecord.objects.count() == 2
    assert CreditRecord.objects.get(import_job=again).tier == "serious"
    assert run(path, department).pk == again.pk  # nothing quarantined now: answered as done


def test_a_penalty_type_alias_added_lets_the_same_file_bring_its_refused_row(
    tmp_path, department, penalty_item
):
    rows = [samples.penalty(1), samples.penalty(2, CF_CFLB="限制从业资格")]
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)
    first = run(path, department)
    assert first.quarantined_by_reason == {"penalty-type-unknown": 1}
    PenaltyType.objects.filter(name="限制从业").update(aliases=["限制从业资格"])
    again = run(path, department)
    assert again.pk != first.pk and counted(again) == (2, 2, 1, 1, 0)
    assert CreditRecord.objects.count() == 2


def test_a_catalog_item_widened_to_persons_takes_the_same_files_person(tmp_path, department):
    item = CatalogItemFactory(code="penalty-organisations", record_format=RecordFormat.PENALTY,
                              provider=department, subject_kinds=["legal_person"])  # fmt: skip
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS,
                             [samples.penalty(1), samples.penalty(2, person=True)])  # fmt: skip
    first = run(path, department)
    assert first.quarantined_by_reason == {"catalog-subject-kind": 1}
    item.subject_kinds = ["legal_person", "natural_person"]
    item.save()
    again = run(path, department)
    assert again.pk != first.pk and counted(again) == (2, 2, 1, 1, 0)
    assert CreditRecord.objects.count() == 2


def test_a_catalog_item_added_takes_the_same_records_file_row(tmp_path, department):
    CatalogItemFactory(code="integrity-honour", provider=department, subject_kinds=["legal_person"],
                       publication_months_max=24)  # fmt: skip
    header = ["目录编码", "主体名称", "主体类别", "统一社会信用代码", "文书号", "决定日期",
              "决定机关"]  # fmt: skip
    rows = [
        dict(zip(header, [code, name, "法人", make_uscc(n), f"杭文明〔2026〕{n}号", "2026-11-02",
                          "杭州市文明办"], strict=True))
        for n, code, name in ((1, "integrity-honour", "甲公司"), (2, "integrity-model", "乙公司"))
    ]  # fmt: skip
    path = samples.write_csv(tmp_path / "r.csv", header, rows)
    first = run(path, department, kind="records")
    assert first.quarantined_by_reason == {"not-in-catalog": 1}
    CatalogItemFactory(code="integrity-model", provider=department, subject_kinds=["legal_person"],
                       publication_months_max=24)  # fmt: skip
    again = run(path, department, kind="records")
    assert again.pk != first.pk and counted(again) == (2, 2, 1, 1, 0)
    assert sorted(CreditRecord.objects.values_list("catalog_item__code", flat=True)) == [
        "integrity-honour", "integrity-model"]  # fmt: skip


def test_rows_refused_again_are_reported_again_and_nothing_is_doubled(
    tmp_path, department, penalty_item
):
    """A row whose fault is its own is quarantined by every new job; a row the file repeats is
    a duplicate in the file however often it is sent, never already recorded."""
    rows = [samples.penalty(1), samples.penalty(2, CF_JDRQ=""), samples.penalty(1),
            samples.penalty(3)]  # fmt: skip
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)
    first = run(path, department)
    again = run(path, department)
    assert again.pk != first.pk
    assert counted(first) == (4, 2, 2, 0, 2) and counted(again) == (4, 2, 0, 2, 2)
    assert again.quarantined_by_reason == first.quarantined_by_reason
    assert sorted(again.report_rows.values_list("row_number", flat=True)) == [2, 3]
    assert accounts_for_every_row(again, 4)
    assert CreditRecord.objects.count() == 2


class Interrupted(Exception):
    """Stands for the process being killed right after a chunk committed."""


def test_a_job_killed_after_quarantining_a_row_still_resumes(tmp_path, department, penalty_item):
    rows = [samples.penalty(1), samples.penalty(2, CF_JDRQ=""), samples.penalty(3),
            samples.penalty(4)]  # fmt: skip
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)

    def stop(job, position):
        raise Interrupted

    with pytest.raises(Interrupted):
        run(path, department, chunk_rows=2, on_progress=stop)
    interrupted = ImportJob.objects.get()
    assert (interrupted.status, interrupted.quarantined) == (ImportStatus.RUNNING, 1)
    job = run(path, department, chunk_rows=2)
    assert job.pk == interrupted.pk and job.runs == 2
    assert counted(job) == (4, 3, 3, 0, 1)


def test_the_command_the_api_and_the_page_check_the_file_again(tmp_path, department, penalty_item):
    rows = [samples.penalty(1), samples.penalty(2, CF_CFLB="限制从业资格")]
    path = samples.write_csv(tmp_path / "处罚.csv", samples.PENALTY_FIELDS, rows)

    def command():
        out = io.StringIO()
        call_command("import", "penalties", str(path), "--department", "hz-scjg", "--no-progress",
                     stdout=out)  # fmt: skip
        return dict(line.split(": ", 1) for line in out.getvalue().splitlines())

    def uploaded():
        return SimpleUploadedFile("处罚.csv", path.read_bytes(), content_type="text/csv")

    def alias(*names):
        PenaltyType.objects.filter(name="限制从业").update(aliases=list(names))

    first, still = command(), command()
    assert first["job"] != still["job"] and still["quarantined"] == "1"  # a new job each time
    alias("限制从业资格")
    done = command()
    assert (done["inserted"], done["already_recorded"], done["quarantined"]) == ("1", "1", "0")
    assert CreditRecord.objects.count() == 2

    # The API: the same file, all of it recorded, answers the job that recorded it (200).
    token, _ = tokens.create_token(actor="test", user=tokens.system_account(department))
    api = Client(headers={"Authorization": f"Bearer {token}"})
    answer = api.post("/api/v1/imports", {"kind": "penalties", "file": uploaded()})
    assert (answer.status_code, answer.json()["id"]) == (200, int(done["job"]))

    # A file with a row quarantined, sent again through the API and the page: a new job each.
    rows.append(samples.penalty(3, CF_CFLB="限制从业资格证明"))
    path = samples.write_csv(tmp_path / "处罚.csv", samples.PENALTY_FIELDS, rows)
    sent = api.post("/api/v1/imports", {"kind": "penalties", "file": uploaded()})
    assert (sent.status_code, sent.json()["quarantined"]) == (201, 1)
    again = api.post("/api/v1/imports", {"kind": "penalties", "file": uploaded()})
    assert again.status_code == 201 and again.json()["id"] != sent.json()["id"]
    alias("限制从业资格", "限制从业资格证明")
    page = Client()
    page.force_login(OfficerFactory(department=department).user)
    answer = page.post("/office/imports/", {"kind": "penalties", "file": uploaded()}, follow=True)
    job = ImportJob.objects.latest("id")
    assert job.pk != again.json()["id"]
    assert answer.redirect_chain[-1][0] == f"/office/imports/{job.pk}/"
    assert counted(job) == (3, 3, 1, 2, 0) and accounts_for_every_row(job, 3)
    assert CreditRecord.objects.count() == 3
