"""What a screening upload may cost a server, and a job whose run keeps dying (R14 secure by
default; R11: the checks of every implementing department must go on)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.check_clients import client_for
from tests.data.ingest import samples
from tests.factories import DepartmentFactory, ScenarioFactory, UserFactory
from xinyong.audit.models import AuditEntry
from xinyong.measures import screening_jobs
from xinyong.measures.models import ScreeningJob

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"


@pytest.fixture
def finance():
    ScenarioFactory(code=SCENARIO, name="政府采购")
    return DepartmentFactory(implementing=True, code="czj", name="财政局")


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _upload(client, content: bytes, name: str):
    sent = io.BytesIO(content)
    sent.name = name
    return client.post("/api/v1/screenings", {"scenario": SCENARIO, "file": sent})


@pytest.mark.parametrize("last", ["XFD1048576", "ZZ200000"])
def test_a_workbook_of_two_cells_far_apart_is_refused_at_the_upload(tmp_path, finance, last):
    """Read by the job, it aborted the process that ran it (550 GB) or took 4.4 GB; it is
    refused at the upload, with the reason, and no job or stored file is left behind."""
    path = samples.write_sheets(tmp_path / "far.xlsx", samples.far_apart(last))
    answer = _upload(client_for(finance, [SCENARIO]), path.read_bytes(), "far.xlsx")
    assert (answer.status_code, answer.json()["code"]) == (422, "excel-too-many-cells")
    assert not ScreeningJob.objects.exists()
    assert not list((tmp_path / "screenings").iterdir())


def test_a_workbook_within_the_budget_is_taken(tmp_path, finance):
    path = samples.write_xlsx(tmp_path / "list.xlsx", ["code"], [{"code": "123"}])
    answer = _upload(client_for(finance, [SCENARIO]), path.read_bytes(), "list.xlsx")
    assert answer.status_code == 202, answer.json()


# -- a run that died ------------------------------------------------------------------------


def _job(tmp_path, finance) -> ScreeningJob:
    source = tmp_path / "in.csv"
    source.write_text("code\n123\n", encoding="utf-8")
    return screening_jobs.register(
        user=UserFactory(), department=finance, scenario=SCENARIO, input_path=source
    )


def _dies(job: ScreeningJob) -> None:
    """A run that took the job and whose process then ended before the job did (killed,
    aborted): the job stays running until its last sign of life is stale."""
    assert screening_jobs._claim(job.pk)
    long_ago = timezone.now() - screening_jobs.STALE_AFTER - dt.timedelta(minutes=1)
    ScreeningJob.objects.filter(pk=job.pk).update(started_at=long_ago, heartbeat_at=long_ago)


def _sweep() -> str:
    out = io.StringIO()
    call_command("screen", "--run-pending", stdout=out)
    return out.getvalue()


def test_each_run_of_a_job_is_counted(tmp_path, finance):
    job = _job(tmp_path, finance)
    assert job.attempts == 0
    screening_jobs.run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ScreeningJob.Status.DONE, 1)


def test_a_job_whose_run_died_once_is_run_again(tmp_path, finance):
    job = _job(tmp_path, finance)
    _dies(job)
    _sweep()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ScreeningJob.Status.DONE, 2)


def test_a_job_whose_run_died_twice_ends_as_failed_with_the_reason(tmp_path, finance):
    """A file that kills the process reading it killed every sweep after it, for ever, and
    every job queued behind it waited: after two deaths the job ends, failed, saying why, and
    its audit row says so; the jobs behind it run."""
    doomed, behind = _job(tmp_path, finance), _job(tmp_path, finance)
    _dies(doomed)
    _dies(doomed)
    said = _sweep()
    doomed.refresh_from_db()
    assert (doomed.status, doomed.attempts) == (ScreeningJob.Status.FAILED, 2)
    assert doomed.error.startswith("screening-run-died: ")
    assert "2 次" in doomed.error and doomed.finished_at is not None
    assert f"{doomed.pk} failed" in said
    row = AuditEntry.objects.get(action="screening.run", object_id=str(doomed.pk))
    assert row.after["status"] == "failed" and row.after["attempts"] == 2
    assert row.after["error"] == doomed.error
    behind.refresh_from_db()
    assert behind.status == ScreeningJob.Status.DONE
    # Ended for good: neither a later sweep nor the API's thread takes it again.
    _sweep()
    assert screening_jobs.run_job(doomed.pk)[1] is None
    assert AuditEntry.objects.filter(object_id=str(doomed.pk)).count() == 1


def test_a_job_still_running_within_its_time_is_left_alone(tmp_path, finance):
    job = _job(tmp_path, finance)
    assert screening_jobs._claim(job.pk)
    assert screening_jobs._claim(job.pk) is None
    _sweep()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ScreeningJob.Status.RUNNING, 1)
