"""``xinyong import licences|penalties|records FILE [--department CODE]``: collect a file.

A progress bar on stderr, then the summary on stdout as ``name: value`` lines: rows per second,
rows, accepted (new and already recorded), quarantined, by reason. Run again after an
interruption, the same command resumes the import where it stopped.

``--date`` sets the business date ahead (a test, a rehearsal of a later day), never back: a
record is public from the day it is stored (R9), and one stamped with an earlier day would
claim to have been public, and on time, before it was. A demo's history is seeded by the demo
itself (``xinyong.demo``), and ``XINYONG_TODAY`` moves the whole platform's day.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from xinyong.catalog import services
from xinyong.catalog.importers import forked
from xinyong.catalog.models import ImportJob, ImportKind, ImportStatus
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.subjects.models import Department
from xinyong.subjects.protection import require_the_data_key


class Command(BaseCommand):
    help = "Import administrative licences, penalties (双公示) or other catalog information."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file", help="CSV (UTF-8 or GB18030), Excel or JSON")
        parser.add_argument("--department", help="the submitting department's code")
        parser.add_argument("--item", help="the catalog item's code (licences, penalties)")
        parser.add_argument("--date", help="the business date, not before today (default: today)")
        parser.add_argument("--actor", default="cli", help="who runs the import (audit trail)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options) -> None:
        # Under another key than the stored subjects', each would be recorded again (R14).
        require_the_data_key()
        department = self._department(options["department"])
        path = Path(options["file"])
        try:
            day = clock.parse_date(options["date"]) if options["date"] else clock.today()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if day < clock.today():
            raise CommandError(
                f"import-date-past: 业务日期 {day} 早于今天（{clock.today()}）："
                "信息自入库之日起公示，不能以更早的日期导入"
            )
        bar = tqdm(
            total=path.stat().st_size if path.is_file() else None, unit="B", unit_scale=True,
            file=sys.stderr, disable=options["no_progress"], desc=path.name,
        )  # fmt: skip

        def progress(job: ImportJob, position: tuple[int, int]) -> None:
            done, total = position
            if bar.total != total:
                bar.total = total
            bar.update(done - bar.n)
            bar.set_postfix(rows=job.rows_done, quarantined=job.quarantined, refresh=False)

        started = time.perf_counter()
        with clock.frozen(day):
            try:
                job = services.import_file(
                    actor=options["actor"], kind=options["kind"], path=path,
                    department=department, item_code=options["item"], on_progress=progress,
                    fork_min_bytes=forked.default_min_bytes(),
                )  # fmt: skip
            except XinyongError as refused:
                bar.close()
                raise CommandError(f"{refused.code}: {refused.message}") from refused
        bar.close()
        elapsed = time.perf_counter() - started
        done_now = job.rows_done - getattr(job, "resumed_from", job.rows_done)
        for name, value in services.describe(job):
            self.stdout.write(f"{name}: {value}")
        self.stdout.write(f"elapsed_seconds: {elapsed:.2f}")
        self.stdout.write(f"rows_this_run: {done_now}")
        self.stdout.write(f"rows_per_second: {done_now / elapsed if elapsed else 0:.0f}")
        if job.status != ImportStatus.DONE:
            raise CommandError(f"{job.error_code}: {job.error_message}")

    def _department(self, code: str | None) -> Department:
        if code:
            department = Department.objects.filter(code=code).first()
            if department is None:
                raise CommandError(f"department-not-found: 部门不存在：{code}")
            return department
        recognizing = Department.objects.filter(is_recognizing=True)
        if recognizing.count() == 1:
            return recognizing.get()
        raise CommandError("department-required: 请用 --department 指定报送部门的代码")
