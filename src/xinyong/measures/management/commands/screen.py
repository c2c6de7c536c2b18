"""``xinyong screen FILE -o OUT --scenario S --department CODE``: batch screening (item 6).

Every row of FILE (CSV in UTF-8 or GB18030, or Excel; a ``code`` column, a ``name`` column or
both) is written to OUT with its status, reason, matched subject, score, entries, measures and
result; invalid rows are reported, never dropped (a workbook is screened by its first sheet, and
one with anything on another is refused: ``core.tables.refuse_other_sheets``). The run is
registered as a screening job with one audit row, and OUT, which names persons, as a query of
their data (R14: an export for joint action in the scenario, naming each person found).
Measures depend on the implementing department, so ``--department`` is required; the run is
registered under its system account, or under ``--user``, who must be one of its active officers.

OUT may not be FILE itself (nor a link to it), nor lie among the platform's own screening files;
its folder must exist and take new files: all refused before anything is read. Stopped by
Ctrl-C or SIGTERM, the run ends its job as failed, interrupted, and writes nothing.

``xinyong screen --run-pending`` runs the jobs uploaded through the API that no process has
finished: queued ones, and running ones whose process died. A command-line job whose process
died is never run again (its result would land where the operator asked, behind their back):
the sweep ends it as failed, interrupted. Run it periodically (cron).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinyong.api.tokens import system_account
from xinyong.catalog.importers.excel import refuse_too_large_file
from xinyong.core.errors import XinyongError
from xinyong.core.tables import is_excel
from xinyong.measures import screening_jobs
from xinyong.measures.screening import estimate_rows
from xinyong.measures.screening_output import refuse_unusable_output
from xinyong.subjects.models import Department
from xinyong.subjects.protection import require_the_data_key


class Command(BaseCommand):
    help = "Batch screening: check every code or name of a file in a business scenario."
    # The system checks import every URL and API module: a second for nothing a batch needs.
    requires_system_checks: list[str] = []

    def run_from_argv(self, argv: list[str]) -> None:
        """From the command line, the process ends as soon as the job is committed and the
        output closed, without freeing a million-subject map object by object at exit (some
        0.3 s): the operating system takes the memory back at once. ``call_command`` (tests,
        the API's thread) never comes this way."""
        super().run_from_argv(argv)  # closes the database connections when done
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", nargs="?", help="CSV or Excel input")
        parser.add_argument("-o", "--output", metavar="OUT", help="CSV result (UTF-8 with BOM)")
        parser.add_argument("--scenario", help="the business scenario's code")
        parser.add_argument("--department", help="the implementing department's code")
        parser.add_argument("--user", help="account to register (default: the department's "
                            "system account)")  # fmt: skip
        parser.add_argument("--lookup", choices=["auto", "table", "chunks"], default="auto",
                            help="subject look-up: the whole table once, or per chunk")  # fmt: skip
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--run-pending", action="store_true",
            help="run queued API jobs and those whose process died, then exit",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        # Under another key than the stored subjects', every code would be "not found" (R14).
        require_the_data_key()
        try:
            if options["run_pending"]:
                self._run_pending(options["lookup"])
            else:
                self._screen(options)
        except XinyongError as exc:
            raise CommandError(str(exc)) from None

    def _run_pending(self, lookup: str) -> None:
        jobs = screening_jobs.run_pending(lookup=lookup)
        for job in jobs:
            self.stdout.write(f"{job.pk} {job.status} rows={job.rows} {job.error}".rstrip())
        self.stdout.write(f"已处理 {len(jobs)} 个待办核查任务")

    def _screen(self, options: dict) -> None:
        missing = [f"--{n}" for n in ("output", "scenario", "department") if not options[n]]
        if not options["file"] or missing:
            raise CommandError("用法：xinyong screen FILE -o OUT --scenario S --department CODE"
                               f"（缺少：{'、'.join(missing) or 'FILE'}）")  # fmt: skip
        source, target = Path(options["file"]).resolve(), Path(options["output"]).resolve()
        # Before anything is read: found out at the end, a whole file's screening is lost.
        try:
            screening_jobs.checked_command_line_output(source, target)
            refuse_unusable_output(target)
        except XinyongError as exc:
            raise CommandError(f"{exc}：{options['output']}") from None
        department = Department.objects.filter(code=options["department"]).first()
        if department is None:
            raise CommandError(f"部门不存在：{options['department']}")
        # The run reads a workbook whole: one whose cells would not fit in memory is refused
        # before an account is made or a job registered, as an upload is (R11, R14).
        refuse_too_large_file(source)
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"账号不存在：{options['user']}")
            _refuse_other_than_its_officers(user, department)
        else:
            user = system_account(screening_jobs.checked_department(department))
        bar = None if options["no_progress"] else self._progress_bar(source)
        try:
            job = screening_jobs.register(
                user=user, department=department, scenario=options["scenario"],
                input_path=source, output_path=target, from_command_line=True,
            )  # fmt: skip
            job, report = self._run(job, options["lookup"], bar)
        finally:
            if bar is not None:
                bar.close()
        if report is None:
            raise CommandError(f"核查任务 {job.pk} 失败：{job.error}")
        self.stdout.write(f"核查任务 {job.pk}：结果已写入 {target}")
        for line in report.describe():
            self.stdout.write(line)

    def _progress_bar(self, source: Path):
        from tqdm import tqdm

        # No monitor thread: a lone thread lets a large file be split across two processes.
        tqdm.monitor_interval = 0
        plain = source.is_file() and not is_excel(source)
        total = max(estimate_rows(source) - 1, 0) if plain else None  # less the header
        return tqdm(total=total, unit="行", unit_scale=True, file=sys.stderr, leave=False)

    def _run(self, job, lookup: str, bar):
        """Run the job; stopped by Ctrl-C or SIGTERM, it ends as failed, interrupted (the run
        says so in the job), and the command exits with the signal's status and the reason.

        A stop is asked for, not forced: the run stops at its next row count, while it reads
        and screens, never while its result is put in place and registered (R14). Cut there,
        the full result would stay at the operator's path, unregistered, with the job still
        running and the command saying it made none. Asked for too late to stop it, the run
        ends as it would have, and says so."""
        done = [0]

        with _stops_asked() as asked:

            def progress(rows: int) -> None:
                if asked:
                    raise KeyboardInterrupt
                if bar is not None:
                    bar.update(rows - done[0])
                done[0] = rows

            try:
                ended = screening_jobs.run_for_command_line(
                    job.pk, lookup=lookup, progress=progress
                )
            except KeyboardInterrupt:
                raise CommandError(
                    f"核查任务 {job.pk} 已中断，未生成结果",
                    returncode=128 + (asked[0] if asked else signal.SIGINT),
                ) from None
        if asked and ended[1] is not None:
            self.stderr.write("收到停止信号时核查已完成，结果已写入并登记")
        return ended


def _refuse_other_than_its_officers(user, department: Department) -> None:
    """Refuse a ``--user`` who is not an active officer of ``--department``: the run and its
    result are registered as that account's query, under the account's own department (R14),
    so another department's officer (or an account of none) would hide from the reviewer the
    department's query of the persons it names, as the API allows a token only its own
    department's jobs (``screening_api._own_job``)."""
    officer = getattr(user, "officer", None)
    if not user.is_active or officer is None or officer.department_id != department.pk:
        raise CommandError(
            f"账号 {user.get_username()} 不是部门 {department.code}（{department.name}）的在职"
            "工作人员，不能以其名义为该部门核查"
        )


@contextlib.contextmanager
def _stops_asked():
    """Ctrl-C and SIGTERM ask the run to stop (``Command._run``); yields the signals asked
    with. Python's defaults would cut it wherever it is (SIGTERM ends the process at once)."""
    asked: list[int] = []

    def ask(signum, frame) -> None:
        asked.append(signum)

    if threading.current_thread() is not threading.main_thread():  # only it takes signals
        yield asked
        return
    before = {stop: signal.signal(stop, ask) for stop in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield asked
    finally:
        for stop, handler in before.items():
            signal.signal(stop, handler)
