"""Runs of a screening job: one alive however long it takes, one taken for dead that goes on,
one the command line asked for and that was stopped, and where the command line may write (item
6; R14: every result naming persons is registered, and only where it was asked)."""

import datetime as dt
import io
import os
import signal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tests.check_clients import client_for
from tests.factories import (
    DepartmentFactory,
    ListEntryFactory,
    ScenarioFactory,
    SubjectFactory,
    UserFactory,
)
from xinyong.audit.models import AuditEntry, QueryRegistration
from xinyong.listings.models import ListKind
from xinyong.measures import screening, screening_jobs, screening_output
from xinyong.measures.models import ScreeningJob

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"
LONG_AGO = dt.timedelta(hours=2)


@pytest.fixture
def finance():
    ScenarioFactory(code=SCENARIO, name="政府采购")
    return DepartmentFactory(implementing=True, code="czj", name="财政局")


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def source(tmp_path):
    """A file naming a black-listed person and two unknown codes."""
    person = SubjectFactory(natural_person=True)
    ListEntryFactory(subject=person, effective=True, list__kind=ListKind.BLACK)
    path = tmp_path / "in.csv"
    path.write_text(f"code\n{person.reveal_identifier()}\n123\n456\n", encoding="utf-8")
    return path


def _api_job(source, finance) -> ScreeningJob:
    return screening_jobs.register(
        user=UserFactory(), department=finance, scenario=SCENARIO, input_path=source,
        output_path=source.with_name("out.csv"),
    )  # fmt: skip


def _sweep() -> list[ScreeningJob]:
    return screening_jobs.run_pending()


def _runs(job) -> list[dict]:
    return [row.after for row in AuditEntry.objects.filter(action="screening.run",
                                                           object_id=str(job.pk))]  # fmt: skip


def _files(tmp_path) -> list[str]:
    return sorted(path.name for path in tmp_path.iterdir() if path.is_file())


# -- a run's signs of life ---------------------------------------------------------------------


def test_a_run_longer_than_the_stale_time_is_never_taken_for_dead(tmp_path, source, finance):
    """A large file takes longer than ``STALE_AFTER``: its run renews its heartbeat as it goes,
    so the sweep meanwhile leaves it alone, and it ends the job once, done."""
    job = _api_job(source, finance)
    swept = []

    def meanwhile(rows):  # hours into the run, the sweep comes by
        if not swept:
            ScreeningJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - LONG_AGO)
            swept.append(_sweep())

    ran, report = screening_jobs.run_job(job.pk, progress=meanwhile)
    assert swept == [[]] and report is not None
    assert (ran.status, ran.attempts, ran.rows) == (ScreeningJob.Status.DONE, 1, 3)
    assert [run["status"] for run in _runs(job)] == ["done"]
    assert _files(tmp_path) == ["in.csv", "out.csv"]


def test_a_run_taken_for_dead_leaves_the_job_to_the_run_that_took_it(tmp_path, source, finance):
    """A run that showed no sign of life for ``STALE_AFTER`` (its process stopped, then went on)
    is taken again by the sweep; the second run writes its own file and ends the job. The
    first, going on, finds the job no longer its own: it drops its file and leaves the job
    done, with one audit row (both wrote one file, and the loser set the job failed)."""
    job = _api_job(source, finance)
    swept = []

    def stalled(rows):
        if not swept:
            long_ago = timezone.now() - LONG_AGO
            ScreeningJob.objects.filter(pk=job.pk).update(started_at=long_ago,
                                                          heartbeat_at=long_ago)  # fmt: skip
            swept.append(_sweep())

    ran, report = screening_jobs.run_job(job.pk, progress=stalled)
    assert report is None
    assert [(j.status, j.attempts) for j in swept[0]] == [(ScreeningJob.Status.DONE, 2)]
    assert (ran.status, ran.attempts, ran.error) == (ScreeningJob.Status.DONE, 2, "")
    assert [run["status"] for run in _runs(job)] == ["done"]
    assert _files(tmp_path) == ["in.csv", "out.csv"]
    assert len((tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()) == 4


def test_a_run_that_lost_its_job_stops_at_its_next_sign_of_life(
    tmp_path, source, finance, monkeypatch
):
    """Told at its next heartbeat that another run took the job, a run stops there."""
    monkeypatch.setattr(screening_jobs, "HEARTBEAT_EVERY", 0)
    monkeypatch.setattr(screening, "CHUNK", 1)
    job = _api_job(source, finance)
    seen = []

    def stalled(rows):
        seen.append(rows)
        if len(seen) == 1:
            ScreeningJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - LONG_AGO)
            _sweep()

    ran, report = screening_jobs.run_job(job.pk, progress=stalled)
    assert report is None and seen == [1]
    assert (ran.status, ran.attempts) == (ScreeningJob.Status.DONE, 2)
    assert [run["status"] for run in _runs(job)] == ["done"]
    assert _files(tmp_path) == ["in.csv", "out.csv"]


# -- a job the command line asked for ----------------------------------------------------------


def _command_line_job(source, finance, status=ScreeningJob.Status.RUNNING) -> ScreeningJob:
    """A command-line job whose process died (killed) running it, or before it took it."""
    job = screening_jobs.register(
        user=UserFactory(), department=finance, scenario=SCENARIO, input_path=source,
        output_path=source.with_name("out.csv"), from_command_line=True,
    )  # fmt: skip
    if status == ScreeningJob.Status.RUNNING:
        assert screening_jobs._claim(job.pk)
    long_ago = timezone.now() - LONG_AGO
    ScreeningJob.objects.filter(pk=job.pk).update(started_at=long_ago, heartbeat_at=long_ago)
    return job


@pytest.mark.parametrize("status", [ScreeningJob.Status.RUNNING, ScreeningJob.Status.QUEUED])
def test_the_sweep_ends_a_dead_command_line_job_instead_of_running_it(
    tmp_path, source, finance, status
):
    """Its result was to go where the operator asked, at once, and be registered (R14): run by
    the sweep, it recreated a file they deleted, unregistered. It ends failed, interrupted."""
    job = _command_line_job(source, finance, status)
    swept = _sweep()
    assert [j.pk for j in swept] == [job.pk]
    job.refresh_from_db()
    assert job.status == ScreeningJob.Status.FAILED
    assert job.error.startswith("screening-interrupted: ") and "不会自动重新运行" in job.error
    assert [(run["status"], run["error"]) for run in _runs(job)] == [("failed", job.error)]
    assert _files(tmp_path) == ["in.csv"] and not QueryRegistration.objects.exists()
    assert screening_jobs.run_job(job.pk)[1] is None  # nor by the API's thread
    assert _sweep() == []


LEFTOVERS = ["run1-0a1b2c3d", "run1-0a1b2c3d.part", "run2-deadbeef.part2"]
# Another job's run files for the same path (two operators asked for one result), and others.
NOT_OURS = ["out.csv.0123456789abcdef-run1-0a1b2c3d", "out.csv.run1-0a1b2c3d", "out.csv.bak",
            "other.csv.run1-0a1b2c3d"]  # fmt: skip


@pytest.mark.parametrize("how", ["a later run ends it", "the sweep ends it"])
def test_what_runs_that_died_left_beside_the_result_goes_when_the_job_ends(
    tmp_path, source, finance, how
):
    """A killed run leaves its own file, whole or part written, beside the result; each run
    writes one of its own, so nothing else would delete them, and they name persons (R14).
    The job's end deletes them, and nothing else beside the result."""
    if how == "the sweep ends it":
        job = _command_line_job(source, finance, ScreeningJob.Status.RUNNING)
    else:
        job = _api_job(source, finance)
    for name in [f"out.csv.{job.pk.hex[:16]}-{leftover}" for leftover in LEFTOVERS] + NOT_OURS:
        (tmp_path / name).write_text("330106196001010006\n")
    if how == "the sweep ends it":
        _sweep()
        job.refresh_from_db()
        assert job.status == ScreeningJob.Status.FAILED
        kept = ["in.csv", *NOT_OURS]
    else:
        assert screening_jobs.run_job(job.pk)[1] is not None
        kept = ["in.csv", "out.csv", *NOT_OURS]
    assert _files(tmp_path) == sorted(kept)


def test_a_command_line_job_still_alive_is_left_to_its_process(source, finance):
    job = screening_jobs.register(
        user=UserFactory(), department=finance, scenario=SCENARIO, input_path=source,
        output_path=source.with_name("out.csv"), from_command_line=True,
    )  # fmt: skip
    assert _sweep() == []
    assert screening_jobs._claim(job.pk) == 1
    ScreeningJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - LONG_AGO)
    assert _sweep() == []
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ScreeningJob.Status.RUNNING, 1)


def _screen(source, out):
    call_command("screen", str(source), "-o", str(out), "--scenario", SCENARIO,
                 "--department", "czj", "--no-progress", stdout=io.StringIO())  # fmt: skip


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_command_line_run_stopped_by_a_signal_ends_its_job_as_interrupted(
    tmp_path, source, finance, signum, status
):
    """Ctrl-C or SIGTERM (sent here at the run's first sign of life) ends the job failed,
    interrupted, with its audit row, writes nothing and registers nothing; the command says so
    and exits with the signal's status."""
    sent = []

    def signal_at_first_heartbeat(execute, sql, params, many, context):
        if not sent and sql.startswith("UPDATE") and '"rows"' in sql and "heartbeat_at" in sql:
            sent.append(signum)
            signal.raise_signal(signum)
        return execute(sql, params, many, context)

    before = signal.getsignal(signal.SIGTERM)
    stopping = connection.execute_wrapper(signal_at_first_heartbeat)
    try:
        with stopping, pytest.raises(CommandError, match="已中断") as stopped:
            _screen(source, tmp_path / "out.csv")
    except KeyboardInterrupt:  # would end the whole test session
        pytest.fail("the interruption went past the command")
    assert sent == [signum] and stopped.value.returncode == status
    assert signal.getsignal(signal.SIGTERM) is before
    job = ScreeningJob.objects.get()
    assert job.status == ScreeningJob.Status.FAILED and job.from_command_line
    assert job.error.startswith("screening-interrupted: ")
    assert [run["status"] for run in _runs(job)] == ["failed"]
    assert _files(tmp_path) == ["in.csv"] and not QueryRegistration.objects.exists()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("at", ["the job's lock", "the run's audit row", "the registration"])
def test_a_stop_asked_while_the_result_is_ended_lets_it_end_whole(
    tmp_path, source, finance, signum, at
):
    """A stop asked for once the file is screened, while its result is put in place and
    registered, does not cut that short: cut there, the full result stayed at the operator's
    path unregistered, the job running, and the command said it made none (R14). The run ends
    done and registered, and the command says the stop came too late to stop it."""
    marks = {"the job's lock": ("SELECT", '"attempts" ='),  # whether the run still holds it
             "the run's audit row": ("INSERT", "screening.run"),
             "the registration": ("INSERT", "audit_queryregistration")}  # fmt: skip
    verb, mark = marks[at]
    sent = []

    def signal_while_ending(execute, sql, params, many, context):
        said = sql + " " + " ".join(map(str, params or ()))
        if not sent and sql.startswith(verb) and mark in said:
            sent.append(signum)
            signal.raise_signal(signum)
        return execute(sql, params, many, context)

    err = io.StringIO()
    with connection.execute_wrapper(signal_while_ending):
        call_command("screen", str(source), "-o", str(tmp_path / "out.csv"),
                     "--scenario", SCENARIO, "--department", "czj", "--no-progress",
                     stdout=io.StringIO(), stderr=err)  # fmt: skip
    assert sent == [signum]
    job = ScreeningJob.objects.get()
    assert job.status == ScreeningJob.Status.DONE
    assert [run["status"] for run in _runs(job)] == ["done"]
    assert _files(tmp_path) == ["in.csv", "out.csv"] and QueryRegistration.objects.count() == 1
    assert "结果已写入并登记" in err.getvalue()


# -- where the command line may write ----------------------------------------------------------


def _links(tmp_path, source):
    (tmp_path / "sub").mkdir()
    os.link(source, tmp_path / "hard.csv")
    (tmp_path / "soft.csv").symlink_to(source)
    return [source, tmp_path / "sub" / ".." / "in.csv", tmp_path / "hard.csv",
            tmp_path / "soft.csv"]  # fmt: skip


def test_the_output_may_not_be_the_input(tmp_path, source, finance):
    """Written over its input, the caller's file was lost and the job's input named the
    result: refused before anything is read, whatever the path names the input by."""
    before = source.read_bytes()
    for same in _links(tmp_path, source):
        with pytest.raises(CommandError, match="结果文件不能与输入文件相同"):
            _screen(source, same)
    assert source.read_bytes() == before
    assert not ScreeningJob.objects.exists()


def test_the_output_may_not_go_among_the_platforms_screening_files(settings, source, finance):
    screenings = screening_jobs.screenings_dir()
    with pytest.raises(CommandError, match="平台自用的核查文件目录"):
        _screen(source, screenings / "mine.csv")
    assert not list(screenings.iterdir()) and not ScreeningJob.objects.exists()


@pytest.mark.parametrize(
    ("where", "said"),
    [("missing/out.csv", "结果文件所在的目录不存在"), ("folder", "结果文件路径是一个目录")],
)
def test_an_output_that_cannot_be_written_is_refused_before_the_run(
    tmp_path, source, finance, where, said
):
    """Found at the end, it cost the whole run and ended in a traceback in English."""
    (tmp_path / "folder").mkdir()
    with pytest.raises(CommandError, match=said) as refused:
        _screen(source, tmp_path / where)
    assert where in str(refused.value)  # the operator's own path, to find the mistake
    assert not ScreeningJob.objects.exists()


@pytest.mark.parametrize("length", [206, 207, 255])
def test_an_output_name_too_long_for_a_runs_files_is_refused_before_the_run(
    tmp_path, source, finance, length
):
    """A run writes files beside its result whose names add to the result's (its own file,
    named by its job and run, and its parts): a name that leaves them no room failed with a
    traceback after the whole file was screened, the job left running."""
    name = "结" * ((length - 4) // 3) + "x" * ((length - 4) % 3) + ".csv"
    assert len(name.encode()) == length
    if length <= 255 - screening_output.OUTPUT_NAME_RESERVE:
        _screen(source, tmp_path / name)
        assert ScreeningJob.objects.get().status == ScreeningJob.Status.DONE
        return
    with pytest.raises(CommandError, match="结果文件名过长"):
        _screen(source, tmp_path / name)
    assert not ScreeningJob.objects.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into any folder")
def test_an_output_in_a_read_only_folder_is_refused_before_the_run(tmp_path, source, finance):
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    with pytest.raises(CommandError, match="结果文件所在的目录不可写入"):
        _screen(source, folder / "out.csv")
    assert not ScreeningJob.objects.exists()


def test_an_api_job_whose_output_cannot_be_written_fails_naming_no_path(source, finance):
    """The API's job fails at once with the reason, which names none of the server's paths."""
    job = _api_job(source, finance)
    ScreeningJob.objects.filter(pk=job.pk).update(output_path=str(source.parent / "gone" / "o.csv"))
    ran, report = screening_jobs.run_job(job.pk)
    assert report is None and ran.status == ScreeningJob.Status.FAILED
    said = client_for(finance, [SCENARIO]).get(f"/api/v1/screenings/{job.pk}").json()
    assert said["error"] == "screening-output-folder-missing: 结果文件所在的目录不存在"
