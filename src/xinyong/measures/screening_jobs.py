"""Screening jobs: one registered batch screening, run wherever it is safe to run it.

A job is registered when it is asked for (R14: who, department, scenario, time, and the file
naming the subjects) and leaves one audit row when it ends, done or failed. Running it is a
claim — one UPDATE from queued (or from running, when the run that held it has shown no sign of
life within ``STALE_AFTER``, i.e. its process died) to running, counting the run — so a job runs
once even when the API's background thread and ``xinyong screen --run-pending`` meet. A run
shows it is alive by its heartbeat, renewed with its row count as it goes: a large file takes
longer than ``STALE_AFTER`` and is no dead run. A run writes a file of its own, and only one
that still holds its claim (no later run took the job) puts it in place and ends the job, in
the transaction that marks it done: one that lost it stops, leaving the job to the run that
took it. No extra service is needed: the web process starts a thread after the upload commits,
and the periodic sweep picks up what a dead process left behind, up to ``MAX_ATTEMPTS`` runs:
then the sweep ends the job as failed. An API job's upload is deleted once the job has ended,
done or failed, and its result after its days (``screening_retention``).

A job the command line asked for is never run again by the sweep: its result goes where the
operator asked, at once, and a rerun behind their back would write there later (a file they
deleted, or over a newer one) without its registration. Once its process is gone the sweep
ends it as failed, interrupted; a run stopped by Ctrl-C or SIGTERM ends it so itself.

The result names persons, so handing it over is a query to register (R14). The API registers
it when it is downloaded (``registrations.register_screening_result``); the command line writes
it where it was asked at once, so its run registers it (``run_for_command_line``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import secrets
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from xinyong.audit import purposes
from xinyong.audit import services as audit
from xinyong.audit.models import QueryKind, QueryRegistration
from xinyong.core.errors import XinyongError
from xinyong.core.private_folders import private_folder
from xinyong.measures import screening_retention
from xinyong.measures.models import Scenario, ScreeningJob
from xinyong.measures.screening import screen_file
from xinyong.measures.screening_output import refuse_unusable_output
from xinyong.measures.screening_report import ScreeningReport
from xinyong.subjects.models import Department

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=30)
# Runs a job gets. A run whose process died (killed, aborted by the file it read) leaves the
# job running; the sweep takes it again once stale. A file that kills its reader would kill
# every sweep after it, and hold up the jobs queued behind it: the second death is the last.
MAX_ATTEMPTS = 2
HEARTBEAT_EVERY = 1.0  # seconds between a run's signs of life, which carry its row count
COMMAND_LINE_ROUTE = "xinyong screen"
INTERRUPTED = "screening-interrupted"
INTERRUPTED_MESSAGE = "核查任务在完成前被中断，未生成结果；如仍需要，请重新执行核查"
COMMAND_LINE_DIED_MESSAGE = (
    "命令行核查任务在完成前中断（处理进程退出），未生成结果；命令行任务不会自动重新运行，"
    "以免在不知情时写入或覆盖结果文件，如仍需要，请重新执行 xinyong screen"
)
_one_at_a_time = threading.Semaphore(1)  # per process: a job holds its maps in memory
Status = ScreeningJob.Status


def screenings_path() -> Path:
    return Path(settings.VAR_DIR) / "screenings"


def screenings_dir() -> Path:
    """Inputs, results and their persons, all personal data (R14): private to the platform."""
    return private_folder(screenings_path())


def checked_scenario(scenario: str) -> Scenario:
    found = Scenario.objects.filter(code=scenario).first()
    if found is None:
        raise XinyongError("scenario-unknown", f"未知业务场景：{scenario}", status=422)
    return found


def checked_department(department: Department) -> Department:
    """Measures depend on the implementing department, so only such a department screens."""
    if not department.is_implementing:
        raise XinyongError(
            "implementing-department-required", "仅限联合奖惩实施部门核查", status=403
        )
    return department


def register(*, user: Any, department: Department, scenario: str, input_path: Path,
             output_path: Path | None = None, from_command_line: bool = False,
             token: Any = None) -> ScreeningJob:  # fmt: skip
    """A queued job; ``output_path`` defaults to ``<id>.result.csv`` beside the input. One
    ``from_command_line`` is run by its caller alone (``run_for_command_line``). ``token``: the
    API token that uploaded it (R14), none from the command line."""
    job = ScreeningJob(
        user=user, department=checked_department(department),
        scenario=checked_scenario(scenario), input_path=str(input_path),
        from_command_line=from_command_line, heartbeat_at=timezone.now(),
        token_id=getattr(token, "pk", None),
    )  # fmt: skip
    job.output_path = str(output_path or Path(input_path).with_name(f"{job.pk}.result.csv"))
    job.save()
    return job


def checked_command_line_output(source: Path, target: Path) -> None:
    """Refuse a result that would replace its own input (the same file, or a link to it: the
    caller's file would be lost, and the job's input would name the result) or land among the
    platform's own screening files, which are the API's and private (R14)."""
    same = source.resolve() == target.resolve()
    if not same and source.exists() and target.exists():
        same = os.path.samefile(source, target)  # a hard link or a symbolic link to it
    if same:
        raise XinyongError("screening-output-is-input",
                           "结果文件不能与输入文件相同（会覆盖输入文件），请另选结果文件路径",
                           status=422)  # fmt: skip
    if target.resolve().is_relative_to(screenings_path().resolve()):
        raise XinyongError("screening-output-in-platform-folder",
                           "结果文件不能写入平台自用的核查文件目录，请另选结果文件路径",
                           status=422)  # fmt: skip


def _stale(now: dt.datetime) -> Q:
    return Q(heartbeat_at__lt=now - STALE_AFTER)


def _died(now: dt.datetime) -> Q:
    """Running, and its run has shown no sign of life within ``STALE_AFTER``: its process
    died (a long run renews its heartbeat as it goes)."""
    return Q(status=Status.RUNNING) & _stale(now)


def _command_line_gone(now: dt.datetime) -> Q:
    """A command-line job whose process is gone: it died running, or before it took the job."""
    return Q(from_command_line=True, status__in=[Status.QUEUED, Status.RUNNING]) & _stale(now)


def _claim(job_id: Any) -> int | None:
    """Take the job for a run; the run's number (its ``attempts``), which it must still hold
    to end the job (``_held_by``), or None when the job is not to be run now."""
    now = timezone.now()
    rerun = _died(now) & Q(attempts__lt=MAX_ATTEMPTS, from_command_line=False)
    with transaction.atomic():  # the number read is the one this UPDATE set
        taken = ScreeningJob.objects.filter(Q(status=Status.QUEUED) | rerun, pk=job_id).update(
            status=Status.RUNNING, started_at=now, heartbeat_at=now, finished_at=None, error="",
            attempts=F("attempts") + 1,
        )  # fmt: skip
        if taken != 1:
            return None
        return ScreeningJob.objects.values_list("attempts", flat=True).get(pk=job_id)


def _held_by(job_id: Any, attempt: int) -> Q:
    """The job, still held by its run number ``attempt``: no later run took it."""
    return Q(pk=job_id, status=Status.RUNNING, attempts=attempt)


class ClaimLost(Exception):
    """Another run took the job (this one's heartbeat had gone stale): this run stops."""


def persons_path(job: ScreeningJob) -> Path:
    """Where a job whose result waits for its download keeps the persons the result names."""
    return screenings_dir() / f"{job.pk}.persons.json"


def _keep_persons(job: ScreeningJob, report: ScreeningReport) -> None:
    """The persons found (subject ids) and how many citizen IDs asked no subject has, for the
    download's registration (R14): the result shows them masked, so it cannot be read back."""
    text = json.dumps({"persons": sorted(report.persons), "asked": len(report.persons_asked)})
    persons_path(job).write_text(text, encoding="utf-8")


def persons_found(job: ScreeningJob) -> tuple[list[int], int] | None:
    """What ``_keep_persons`` kept for ``job``: (subject ids, citizen IDs asked no subject has);
    None for a job run before they were kept."""
    try:
        kept = json.loads(persons_path(job).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return [int(pk) for pk in kept["persons"]], int(kept["asked"])


def run_job(job_id: Any, *, lookup: str = "auto", progress=None, names=None):
    """Run a job if it can be claimed; returns (job, report or None). Never raises for a bad
    file: the job fails with the reason, as its audit row says. A run stopped by Ctrl-C or
    SIGTERM (``KeyboardInterrupt``, ``SystemExit``) ends the job as failed, interrupted, and
    goes on stopping. A run whose job another run took stops without touching the job.

    Every result keeps the persons it names beside it (``_keep_persons``), for its downloads
    through the API, a command-line run's too (its department may download it); one handed
    straight over is also registered at once (``run_for_command_line``)."""
    attempt = _claim(job_id)
    if attempt is None:
        return ScreeningJob.objects.get(pk=job_id), None
    job = ScreeningJob.objects.select_related("scenario").get(pk=job_id)
    target = Path(job.output_path)
    own = _own_file(job, attempt)
    report, error = None, ""
    shown = [0.0]

    def tick(rows: int) -> None:  # a sign of life with the row count, for GET /screenings/{id}
        if time.monotonic() - shown[0] >= HEARTBEAT_EVERY:
            shown[0] = time.monotonic()
            alive = ScreeningJob.objects.filter(_held_by(job_id, attempt)).update(
                rows=rows, heartbeat_at=timezone.now()
            )
            if not alive:
                raise ClaimLost
        if progress is not None:
            progress(rows)

    try:
        refuse_unusable_output(target)
        report = screen_file(
            job.input_path, own, scenario=job.scenario.code, department_id=job.department_id,
            lookup=lookup, names=names, progress=tick,
        )  # fmt: skip
    except ClaimLost:
        error = "screening-claim-lost"
    except XinyongError as exc:
        error = f"{exc.code}: {exc.message}"
    except Exception as exc:  # a job must end as failed whatever went wrong, and say why
        log.exception("screening job %s failed", job_id)
        error = f"{type(exc).__name__}: {exc}"
    except BaseException:  # stopped (Ctrl-C, SIGTERM): said so, and the stop goes on
        _end_run(job_id, attempt, own, None, f"{INTERRUPTED}: {INTERRUPTED_MESSAGE}")
        raise
    ended = _end_run(job_id, attempt, own, report, error)
    if ended is None:
        log.warning("screening job %s: run %s was taken over by another run", job_id, attempt)
        return ScreeningJob.objects.get(pk=job_id), None
    return ended


def _end_run(job_id: Any, attempt: int, own: Path, report: ScreeningReport | None,
             error: str) -> tuple[ScreeningJob, ScreeningReport | None] | None:  # fmt: skip
    """End the job with this run's outcome if the run still holds it: its file put in place,
    the job done (or failed) and audited, in one transaction that holds the job's row. None
    when another run took it meanwhile: this run's file is dropped and the job left as it is."""
    with transaction.atomic():
        job = ScreeningJob.objects.select_for_update().get(pk=job_id)
        if not ScreeningJob.objects.filter(_held_by(job_id, attempt)).exists():
            _unlink(own)
            return None
        _remove_leftovers(job, keep=own)  # of runs that died before it: nothing else will
        if report is not None:
            try:
                os.replace(own, job.output_path)
            except OSError as exc:  # its folder changed during the run; no path named (R14)
                report, error = None, f"screening-output-failed: 结果文件无法写入（{exc.strerror}）"
            else:
                _keep_persons(job, report)
        _unlink(own)
        job.status = Status.FAILED if report is None else Status.DONE
        job.error = error
        job.finished_at = timezone.now()
        after: dict[str, Any] = {"status": job.status, "scenario": job.scenario_id,
                                 "input": Path(job.input_path).name}  # fmt: skip
        if report is not None:
            for name, value in report.counters().items():
                setattr(job, name, value)
            after |= {**report.counters(), "invalid_by_reason": dict(report.invalid),
                      "warnings_by_code": dict(report.warnings),
                      "seconds": round(report.seconds, 3), "lookup": report.lookup}  # fmt: skip
        else:
            after["error"] = error
        job.save()
        audit.record(actor=job.user, action="screening.run", obj=job, after=after)
    screening_retention.discard_input(job)  # ended: no run reads it again (R14)
    return job, report


def _unlink(path: Path) -> None:
    """Delete a run's own file if there is one. A name the file system refuses (too long)
    cannot be there either; whatever else goes wrong must not keep the job from ending."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.warning("screening: a run's own file could not be deleted", exc_info=True)


def _own_file(job: ScreeningJob, attempt: int) -> Path:
    """A run's own file beside the result: a run taken for dead that still goes on writes
    another. Named by the job too, so that ``_remove_leftovers`` takes only the job's own: two
    command-line jobs may be asked for one result path, and each starts at run 1."""
    target = Path(job.output_path)
    return target.with_name(f"{target.name}.{_tag(job)}-run{attempt}-{secrets.token_hex(4)}")


def _tag(job: ScreeningJob) -> str:
    return job.pk.hex[:16]  # 64 bits of the job's random id: the file name stays short


def _remove_leftovers(job: ScreeningJob, keep: Path | None = None) -> None:
    """Delete what runs of the job left beside its result when their process died (killed,
    the machine stopped): their own files, whole or part written (``screening.screen_file``'s
    ``.part`` and ``.part2``), but ``keep``, the ending run's own, and never another job's
    (``_own_file``). They name persons (R14), and a later run writes files of its own, so
    nothing else would ever delete them. A run of the job still going finds its file gone and
    fails, which a run that lost its job does anyway."""
    target = Path(job.output_path)
    leftover = re.compile(
        re.escape(f"{target.name}.{_tag(job)}-run") + r"\d+-[0-9a-f]{8}(?:\.part2?)?"
    )
    try:
        beside = list(target.parent.iterdir())
    except OSError:  # the folder is gone or unreadable: nothing of ours can be there
        return
    for path in beside:
        if leftover.fullmatch(path.name) and path != keep:
            path.unlink(missing_ok=True)


def run_for_command_line(job_id: Any, *, lookup: str = "auto", progress=None):
    """Run a job whose result its caller takes as soon as it is written (the command line
    writes it where it was asked), and register that result (``register_handed_over``).

    A result whose registration failed is removed, so that none is handed over unregistered;
    the job stays done, with its audit row, and the error reaches the caller."""
    job, report = run_job(job_id, lookup=lookup, progress=progress)
    if report is not None:
        try:
            register_handed_over(job, report)
        except BaseException:
            Path(job.output_path).unlink(missing_ok=True)
            raise
    return job, report


def register_handed_over(job: ScreeningJob, report: ScreeningReport) -> QueryRegistration | None:
    """Register a result handed straight to its caller as a downloaded one is registered
    (R14): purpose joint action, the scenario as its detail, kind export, the job's account
    and department, the rows — once per run; nothing when it names no one.

    The registration names each person found (``QueryRegistrationPerson``), so that the
    reviewer's "who looked up this person" finds the run under each, and counts the citizen
    IDs asked that no subject has among its natural persons. The persons are the run's own
    (``ScreeningReport.persons``, by subject id): reading the output again for its citizen IDs,
    as a download does, would take longer than the run itself (seconds a million rows)."""
    return audit.register_persons_found(
        actor=job.user, purpose=purposes.JOINT_ACTION, kind=QueryKind.EXPORT,
        route=COMMAND_LINE_ROUTE, subject_ids=report.persons, others=len(report.persons_asked),
        rows=job.rows, purpose_detail=job.scenario.name,
    )  # fmt: skip


def run_pending(*, lookup: str = "auto") -> list[ScreeningJob]:
    """Every queued job, and every running one whose run died; oldest first. A job whose
    run died ``MAX_ATTEMPTS`` times ends as failed instead, saying so (``_give_up``), and so
    does a command-line job whose process is gone (``_end_interrupted``): never run again."""
    now = timezone.now()
    ids = list(
        ScreeningJob.objects.filter(
            Q(status=Status.QUEUED, from_command_line=False) | _died(now) | _command_line_gone(now)
        )
        .order_by("created_at")
        .values_list("pk", "attempts", "from_command_line")
    )
    return [
        _end_interrupted(pk) if command_line
        else _give_up(pk) if attempts >= MAX_ATTEMPTS
        else run_job(pk, lookup=lookup)[0]
        for pk, attempts, command_line in ids
    ]  # fmt: skip


def _give_up(job_id: Any) -> ScreeningJob:
    """End a job whose every run died as failed, with the reason, in its audit row too (as
    ``run_job`` ends one that failed); one still running within its time is left to it."""
    return _end_dead(job_id, _died(timezone.now()), lambda job: (
        f"screening-run-died: 核查任务已运行 {job.attempts} 次，每次都在完成前中断"
        "（处理进程退出），不再重试；请检查文件后重新提交，或另存为 CSV 后提交"
    ))  # fmt: skip


def _end_interrupted(job_id: Any) -> ScreeningJob:
    """End a command-line job whose process is gone as failed, interrupted: its result was to
    be handed over at once, where the operator asked, never later behind their back."""
    message = f"{INTERRUPTED}: {COMMAND_LINE_DIED_MESSAGE}"
    return _end_dead(job_id, _command_line_gone(timezone.now()), lambda job: message)


def _end_dead(job_id: Any, dead: Q, error) -> ScreeningJob:
    """End the job as failed with ``error(job)`` if it is still ``dead`` once its row is held
    (a run may have shown a sign of life meanwhile), with its audit row."""
    with transaction.atomic():
        job = ScreeningJob.objects.select_for_update().get(pk=job_id)
        if not ScreeningJob.objects.filter(dead, pk=job_id).exists():
            return job
        _remove_leftovers(job)
        job.status = Status.FAILED
        job.error = error(job)
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        after = {"status": job.status, "scenario": job.scenario_id,
                 "input": Path(job.input_path).name, "error": job.error,
                 "attempts": job.attempts}  # fmt: skip
        audit.record(actor=job.user, action="screening.run", obj=job, after=after)
    screening_retention.discard_input(job)
    return job


def _run_in_thread(job_id: Any) -> None:
    with _one_at_a_time:
        try:
            run_job(job_id)
        finally:
            connection.close()  # this thread's own connection


def start_after_commit(job: ScreeningJob) -> None:
    """Run the job in a background thread of this process once the upload has committed."""

    def start() -> None:
        threading.Thread(
            target=_run_in_thread, args=(job.pk,), name=f"screening-{job.pk}", daemon=True
        ).start()

    transaction.on_commit(start)
