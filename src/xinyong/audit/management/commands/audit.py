"""``xinyong audit verify``: check the audit trail's hash chain."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="verify the hash chain; exit 1 at the first broken row")

    def handle(self, *args, action: str, **options) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"audit chain broken at row {report.broken_seq}: {report.problem} "
                f"({report.rows} rows verified before it)"
            )
        self.stdout.write(f"audit chain intact: {report.rows} rows")
