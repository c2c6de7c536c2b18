"""How long the platform keeps a screening's files (item 6; R14: personal data kept no longer
than needed, while the job's registration is kept for ever).

An API job's upload goes as soon as no run of the job can read it again; its result and the
persons it names are kept ``XINYONG_SCREENING_RESULT_DAYS`` natural days after the day the job
finished, then the daily job deletes them, with one audit row per run. A command-line job's
files are the operator's: never deleted, but the platform no longer hands its result over."""

import datetime as dt
import io
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import (
    DepartmentFactory,
    ListEntryFactory,
    OfficerFactory,
    ScenarioFactory,
    SubjectFactory,
    UserFactory,
)
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.listings.models import ListKind
from xinyong.measures import screening_jobs
from xinyong.measures.models import ScreeningJob

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"
D = dt.date
# The job finished on 1 November, China time: kept through 8 November with 7 days (the day it
# finished not counted), gone from 9 November.
FINISHED = dt.datetime(2026, 11, 1, 22, 30, tzinfo=clock.CHINA)
EXPIRES = dt.datetime(2026, 11, 9, tzinfo=clock.CHINA)
LONG_AGO = dt.timedelta(hours=2)


@pytest.fixture
def finance(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    ScenarioFactory(code=SCENARIO, name="政府采购")
    return DepartmentFactory(implementing=True, code="czj", name="财政局")


@pytest.fixture
def person():
    subject = SubjectFactory(natural_person=True)
    ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.BLACK)
    return subject


@pytest.fixture
def api(finance):
    from django.test import Client

    user = OfficerFactory(department=finance).user
    token, _ = tokens.create_token(actor="test", user=user, scenarios=[SCENARIO])
    return Client(headers={"Authorization": f"Bearer {token}"})


def _upload(api, content: bytes) -> str:
    sent = io.BytesIO(content)
    sent.name = "list.csv"
    answer = api.post("/api/v1/screenings", {"scenario": SCENARIO, "file": sent})
    assert answer.status_code == 202, answer.json()
    return answer.json()["id"]


def _stored() -> list[str]:
    """What the platform keeps of screenings, by kind (input, result, persons)."""
    folder = screening_jobs.screenings_path()
    if not folder.exists():
        return []
    return sorted(path.name.split(".", 1)[1] for path in folder.iterdir())


def _sweep() -> None:
    call_command("screen", "--run-pending", stdout=io.StringIO())


def _tick(day: str) -> str:
    out = io.StringIO()
    call_command("tick", "--date", day, stdout=out)
    return out.getvalue()


def _finished_on(job_id, when=FINISHED) -> None:
    ScreeningJob.objects.filter(pk=job_id).update(finished_at=when)


def _removals() -> list[dict]:
    return [row.after for row in AuditEntry.objects.filter(action="screening.results_removed")]


# -- the upload -------------------------------------------------------------------------------


def test_an_api_jobs_upload_is_deleted_as_soon_as_the_job_is_done(api, person):
    _upload(api, f"code\n{person.reveal_identifier()}\n".encode())
    assert _stored() == ["input.csv"]
    _sweep()
    assert _stored() == ["persons.json", "result.csv"]


def test_an_api_jobs_upload_is_deleted_when_the_job_fails(api):
    job_id = _upload(api, "单位\n某公司\n".encode())  # no code or name column: the job fails
    _sweep()
    assert ScreeningJob.objects.get(pk=job_id).status == ScreeningJob.Status.FAILED
    assert _stored() == []


def test_an_upload_stays_while_a_run_may_be_retried_and_goes_when_the_sweep_gives_up(api):
    """A run whose process died leaves the job running: the sweep runs it again from its upload,
    up to ``MAX_ATTEMPTS`` runs; the daily job meanwhile leaves the upload alone, however old.
    Once the sweep gives up the job has ended for good, and its upload goes."""
    job_id = _upload(api, b"code\n123\n")
    long_ago = FINISHED - LONG_AGO
    ScreeningJob.objects.filter(pk=job_id).update(
        status=ScreeningJob.Status.RUNNING, attempts=1, heartbeat_at=long_ago,
        started_at=long_ago, created_at=long_ago,
    )  # fmt: skip
    _tick("2026-12-31")
    assert _stored() == ["input.csv"]
    ScreeningJob.objects.filter(pk=job_id).update(attempts=screening_jobs.MAX_ATTEMPTS)
    _sweep()
    job = ScreeningJob.objects.get(pk=job_id)
    assert (job.status, job.error.split(":")[0]) == ("failed", "screening-run-died")
    assert _stored() == []


def test_a_command_line_jobs_input_is_the_operators_and_stays(tmp_path, finance):
    source = tmp_path / "in.csv"
    source.write_text("code\n123\n", encoding="utf-8")
    call_command("screen", str(source), "-o", str(tmp_path / "out.csv"), "--scenario", SCENARIO,
                 "--department", "czj", "--no-progress", stdout=io.StringIO())  # fmt: skip
    assert source.read_text(encoding="utf-8") == "code\n123\n"
    assert (tmp_path / "out.csv").is_file()


# -- the result -------------------------------------------------------------------------------


def test_the_status_tells_until_when_the_result_is_kept(api, person):
    job_id = _upload(api, f"code\n{person.reveal_identifier()}\n".encode())
    queued = api.get(f"/api/v1/screenings/{job_id}").json()
    assert (queued["result_expires_at"], queued["result_expired"]) == (None, False)
    _sweep()
    _finished_on(job_id)
    with clock.frozen(D(2026, 11, 8)):
        status = api.get(f"/api/v1/screenings/{job_id}").json()
        assert dt.datetime.fromisoformat(status["result_expires_at"]) == EXPIRES
        assert status["result_expired"] is False
        downloaded = api.get(status["result"])
        assert downloaded.status_code == 200 and b"".join(downloaded.streaming_content)


def test_the_daily_job_deletes_a_result_past_its_days_and_keeps_the_job(api, person):
    """Kept through the seventh day after the day it finished; the daily job of the eighth
    deletes the result and its persons, with one audit row for the run naming how many jobs'
    files went; the job stays registered (R14). Running again deletes nothing more."""
    first = _upload(api, f"code\n{person.reveal_identifier()}\n".encode())
    second = _upload(api, b"code\n123\n")
    _sweep()
    _finished_on(first)
    _finished_on(second, FINISHED - dt.timedelta(hours=1))
    assert "screening_results_removed: 0" in _tick("2026-11-08")
    assert _stored() == ["persons.json", "persons.json", "result.csv", "result.csv"]
    assert "screening_results_removed: 2" in _tick("2026-11-09")
    assert _stored() == []
    assert _removals() == [{"jobs": 2, "result_days": 7}]
    assert ScreeningJob.objects.filter(status="done").count() == 2
    assert {job.result_removed_at is not None for job in ScreeningJob.objects.all()} == {True}
    assert "screening_results_removed: 0" in _tick("2026-11-10")
    assert len(_removals()) == 1


def test_a_result_expired_answers_gone_with_its_own_code(api, person):
    job_id = _upload(api, f"code\n{person.reveal_identifier()}\n".encode())
    _sweep()
    _finished_on(job_id)
    _tick("2026-11-09")
    with clock.frozen(D(2026, 11, 9)):
        status = api.get(f"/api/v1/screenings/{job_id}").json()
        gone = api.get(f"/api/v1/screenings/{job_id}/result")
    assert (status["status"], status["result"], status["result_expired"]) == ("done", None, True)
    assert dt.datetime.fromisoformat(status["result_expires_at"]) == EXPIRES
    assert (gone.status_code, gone.json()["code"]) == (410, "screening-result-expired")
    assert "7 天" in gone.json()["message"] and "重新" in gone.json()["message"]


def test_a_result_is_no_longer_handed_over_once_expired_even_before_the_daily_job(api, person):
    job_id = _upload(api, f"code\n{person.reveal_identifier()}\n".encode())
    _sweep()
    _finished_on(job_id)
    with clock.frozen(D(2026, 11, 9)):
        gone = api.get(f"/api/v1/screenings/{job_id}/result")
        assert api.get(f"/api/v1/screenings/{job_id}").json()["result_expired"] is True
    assert (gone.status_code, gone.json()["code"]) == (410, "screening-result-expired")


def test_the_days_are_a_setting(settings, api, person):
    settings.XINYONG_SCREENING_RESULT_DAYS = 2
    job_id = _upload(api, f"code\n{person.reveal_identifier()}\n".encode())
    _sweep()
    _finished_on(job_id)
    _tick("2026-11-03")
    assert _stored() == ["persons.json", "result.csv"]
    _tick("2026-11-04")
    assert _stored() == []
    assert _removals() == [{"jobs": 1, "result_days": 2}]
    with clock.frozen(D(2026, 11, 4)):
        assert "2 天" in api.get(f"/api/v1/screenings/{job_id}/result").json()["message"]


def test_a_result_whose_job_finished_on_the_days_clock_is_kept_on_a_day_run_ahead(api, person):
    """A daily job run for a day ahead (``--date`` in a demo) deletes no result that has not in
    fact been kept its days."""
    job_id = _upload(api, f"code\n{person.reveal_identifier()}\n".encode())
    _sweep()
    assert ScreeningJob.objects.get(pk=job_id).status == "done"
    _tick("2099-01-01")
    assert _stored() == ["persons.json", "result.csv"]


def test_a_command_line_result_stays_where_it_was_written_but_is_no_longer_handed_over(
    tmp_path, api, finance, person
):
    source = tmp_path / "in.csv"
    source.write_text(f"code\n{person.reveal_identifier()}\n", encoding="utf-8")
    call_command("screen", str(source), "-o", str(tmp_path / "out.csv"), "--scenario", SCENARIO,
                 "--department", "czj", "--no-progress", stdout=io.StringIO())  # fmt: skip
    job = ScreeningJob.objects.get()
    _finished_on(job.pk)
    assert _stored() == ["persons.json"]
    assert "screening_results_removed: 1" in _tick("2026-11-09")
    assert _stored() == []
    assert source.is_file() and (tmp_path / "out.csv").is_file()
    with clock.frozen(D(2026, 11, 9)):
        gone = api.get(f"/api/v1/screenings/{job.pk}/result")
    assert (gone.status_code, gone.json()["code"]) == (410, "screening-result-expired")


def test_a_failed_job_has_no_result_to_keep(api):
    job_id = _upload(api, "单位\n某公司\n".encode())
    _sweep()
    _finished_on(job_id)
    assert "screening_results_removed: 0" in _tick("2026-11-09")
    status = api.get(f"/api/v1/screenings/{job_id}").json()
    assert (status["result_expires_at"], status["result_expired"]) == (None, False)


def test_a_job_registered_by_hand_with_its_files_elsewhere_keeps_them(tmp_path, finance):
    """Only what the platform stored itself is ever deleted: an input or result path named
    outside its screening folder is someone else's."""
    source = tmp_path / "in.csv"
    source.write_text("code\n123\n", encoding="utf-8")
    job = screening_jobs.register(user=UserFactory(), department=finance, scenario=SCENARIO,
                                  input_path=source, output_path=tmp_path / "out.csv")  # fmt: skip
    screening_jobs.run_job(job.pk)
    _finished_on(job.pk)
    _tick("2026-11-09")
    assert source.is_file() and (tmp_path / "out.csv").is_file()


def test_the_daily_job_deletes_files_no_job_needs_once_past_the_days(api, person):
    """An upload whose job was never registered (its process killed in between), or whose
    deletion failed, names persons too: the daily job deletes it once past the days, in the
    same audit row. A running job's upload and a done job's result are never such files."""
    running = _upload(api, b"code\n123\n")
    done = _upload(api, f"code\n{person.reveal_identifier()}\n".encode())
    screening_jobs.run_job(done)
    ScreeningJob.objects.filter(pk=running).update(status=ScreeningJob.Status.RUNNING)
    folder = screening_jobs.screenings_path()
    stray, fresh = folder / "stray.input.csv", folder / "fresh.input.csv"
    stray.write_text("code\n123\n", encoding="utf-8")
    fresh.write_text("code\n123\n", encoding="utf-8")
    old = (timezone.now() - dt.timedelta(days=30)).timestamp()
    for path in [stray, *folder.iterdir()]:
        if path != fresh:
            os.utime(path, (old, old))
    out = _tick(str(clock.today()))
    assert "screening_files_removed: 1" in out and "screening_results_removed: 0" in out
    assert not stray.exists() and fresh.exists()
    assert _stored() == ["input.csv", "input.csv", "persons.json", "result.csv"]
    assert _removals() == [{"jobs": 0, "result_days": 7, "other_files": 1}]
