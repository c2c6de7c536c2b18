"""``xinyong demo [--subjects N] [--seed S] [--reset]``: realistic synthetic demo data."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError

from xinyong.api import tokens
from xinyong.core import clock
from xinyong.demo.accounts import DEFAULT_PASSWORD, DEFAULT_SITE_URL, login_block
from xinyong.demo.loader import MINIMUM_SUBJECTS, DemoAlreadyLoaded, DemoLoader, Summary
from xinyong.demo.purge import DemoResetRefused
from xinyong.measures.models import Scenario
from xinyong.subjects.models import Department
from xinyong.subjects.protection import require_the_data_key

# The demo's objections, repairs and reports move entries through the listing services, which
# log each change once committed: the load's own progress lines already say what was made.
TRANSITION_LOG = "xinyong.listings.notifications"
# The implementing department whose system gets the printed token (the finance department,
# which checks subjects in government procurement).
API_DEPARTMENT = "zj-czt"


@contextlib.contextmanager
def quiet(name: str) -> Iterator[None]:
    """Only warnings and errors from logger ``name`` inside the block."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Load realistic synthetic demo data: Zhejiang regions, departments, the catalog, the "
        "measures list, list definitions, subjects with linked persons, credit records and list "
        "entries in every state, online objections, credit repair applications and reports on "
        "red-list entries, and demo log-ins. Refuses to load twice unless --reset."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--subjects",
            type=int,
            default=5000,
            help=f"credit subjects to create (default 5000, at least {MINIMUM_SUBJECTS})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help="random seed: the same seed gives the same data (default 2026)",
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"password of the demo accounts (default {DEFAULT_PASSWORD!r})",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the previous demo data (not the audit trail) and load again",
        )
        parser.add_argument("--date", help="the business date to build around (default: today)")
        parser.add_argument(
            "--site-url",
            default=DEFAULT_SITE_URL,
            help=f"where the platform will be served, for the printed log-ins ({DEFAULT_SITE_URL})",
        )

    def handle(
        self,
        *args,
        subjects: int,
        seed: int,
        password: str,
        reset: bool,
        date: str | None,
        site_url: str,
        **options,
    ) -> None:
        if subjects < MINIMUM_SUBJECTS:
            raise CommandError(f"--subjects must be at least {MINIMUM_SUBJECTS}")
        if not password:
            raise CommandError("--password must not be empty")
        try:
            day = clock.parse_date(date) if date else clock.today()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not reset:  # a reset removes what another key sealed; adding to it would not
            require_the_data_key()
        self.stdout.write(
            f"Loading demo data: {subjects:,} subjects, seed {seed}, business date {day}"
        )
        with clock.frozen(day), quiet(TRANSITION_LOG):
            loader = DemoLoader(
                subjects=subjects,
                seed=seed,
                password=password,
                reset=reset,
                progress=self.stdout.write,
            )
            try:
                summary = loader.run()
            except DemoAlreadyLoaded as exc:
                # Not an error: `make demo` runs this before serving, and may run twice.
                self.stdout.write(self.style.WARNING(str(exc)))
                self.stdout.write(login_block(None, site_url))
                self.print_api_token()
                return
            except DemoResetRefused as exc:
                raise CommandError(f"cannot reset the demo data: {exc}") from exc
        self.print_summary(summary)
        self.stdout.write(login_block(password, site_url))
        self.print_api_token()

    def print_api_token(self) -> None:
        """A fresh token for one implementing department, so a newcomer can call the check API."""
        department = Department.objects.get(code=API_DEPARTMENT)
        scenarios = list(Scenario.objects.values_list("code", flat=True))
        token, _ = tokens.create_token(
            actor="demo", user=tokens.system_account(department), scenarios=scenarios,
            description="demo",
        )  # fmt: skip
        self.stdout.write(f"\nAPI token ({department.name}): {token}")

    def print_summary(self, summary: Summary) -> None:
        write = self.stdout.write
        if summary.deleted:
            deleted = ", ".join(f"{label} {n:,}" for label, n in sorted(summary.deleted.items()))
            write(f"Deleted the previous demo data: {deleted} (the audit trail stays).")
        write(
            self.style.SUCCESS(
                f"Demo data loaded in {summary.seconds:.1f} s: {summary.rows:,} rows, "
                f"{summary.rows / summary.seconds:,.0f} rows/s, "
                f"{summary.counts['subjects'] / summary.seconds:,.0f} subjects/s."
            )
        )
        write("Rows per table:")
        for name, count in summary.counts.items():
            write(f"  {name:<22}{count:>10,}")
        write(
            "Subjects by kind:  "
            + ", ".join(f"{k} {n:,}" for k, n in sorted(summary.by_kind.items()))
        )
        write(
            "Entries by state:  "
            + ", ".join(f"{k} {n:,}" for k, n in sorted(summary.by_state.items()))
        )
