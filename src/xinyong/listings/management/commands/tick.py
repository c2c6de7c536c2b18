"""``xinyong tick [--date D]``: the daily job of the listing procedure."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.catalog.services.abandoned import end_abandoned_imports
from xinyong.catalog.tick import end_record_publication
from xinyong.core import clock
from xinyong.listings import feed
from xinyong.listings.tick import run_tick
from xinyong.measures.screening_retention import remove_expired
from xinyong.remedies.repair_closures import close_for_ended_records
from xinyong.subjects.protection import require_the_data_key
from xinyong.submissions.tick import count_overdue_updates


class Command(BaseCommand):
    help = (
        "End publicity periods, expire entries, rebuild warnings, flag deadlines; end records'"
        " publication and sharing, and close repair applications left nothing to repair;"
        " count overdue updates of submission lists; end imports killed and never resumed, and"
        " delete their uploads; delete screening results past their days."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="the business date to run for (default: today)")

    def handle(self, *args, date: str | None, **options) -> None:
        try:
            day = clock.parse_date(date) if date else clock.today()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        # The announcements of the entries it ends may show a person's ID in full (R14).
        require_the_data_key()
        with clock.frozen(day):
            report = run_tick(day)
            records = end_record_publication(day)
            repairs_closed = close_for_ended_records(day)
            overdue_updates = count_overdue_updates(day)
            abandoned = end_abandoned_imports(day)
            screenings = remove_expired(day)
        # The day's changes, committed, get their feed positions now rather than in the first
        # implementing department's request for them.
        numbered = feed.assign_positions()
        lines = [*report.lines(), *records.lines(), f"record_repairs_closed: {repairs_closed}",
                 f"feed_numbered: {numbered}",
                 f"submission_updates_overdue: {overdue_updates}", *abandoned.lines(),
                 *screenings.lines()]  # fmt: skip
        for line in lines:
            self.stdout.write(line)
