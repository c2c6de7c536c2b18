"""``xinyong ids check VALUE...``: check identifiers from the command line (DOMAIN.md §4).

One line per value: the value, ``valid`` or ``invalid``, the kind, and the reason (its stable
code and Chinese message). A USCC whose check characters fail is printed as ``invalid`` and
marked as accepted for review. Exits 1 when any value is not valid. Needs no database.

``xinyong ids rekey`` encrypts and hashes stored identifiers again under the current data key
after a rotation (R14).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinyong.core import clock
from xinyong.core.identifiers import IdentifierCheck, check_identifier


def printable(value: str) -> str:
    """The value as typed, with control, invisible and undecodable characters escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in value) or '""'


def describe(result: IdentifierCheck) -> str:
    """``valid``/``invalid``, the kind and the reason, tab-separated."""
    reason = f"{result.code} {result.message}"
    if result.needs_review:
        reason = f"accepted for review: {reason}"
    for warning in result.warnings:
        reason += f"; {warning.code} {warning.message}"
    return "\t".join(("valid" if result.is_valid else "invalid", result.kind, reason))


class Command(BaseCommand):
    help = "Identifier tools: check unified social credit codes and citizen ID numbers."
    requires_system_checks = ()  # a pure rule check: no models, no database

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "check",
            help="check each value; exit 1 when any is not valid",
            description="Put -- before values that start with a dash.",
        )
        check.add_argument("values", nargs="+", metavar="VALUE")
        check.add_argument(
            "--date",
            type=clock.parse_date,
            help="business date for the birth-date check (YYYY-MM-DD; default: today)",
        )
        sub.add_parser(
            "rekey", help="encrypt and hash stored identifiers again under the current data key"
        )

    def handle(
        self,
        *args,
        action: str,
        values: list[str] | None = None,
        date: dt.date | None = None,
        **options,
    ) -> None:
        if action == "rekey":
            from xinyong.audit.services import SYSTEM_ACTOR
            from xinyong.subjects.protection import require_the_data_key
            from xinyong.subjects.rekey import rekey_subjects

            # A ciphertext it cannot open would stop it part-way; a look-up hash that differs
            # is what it is run for (R14).
            require_the_data_key(rehashing=True)
            counts = rekey_subjects(actor=SYSTEM_ACTOR)
            self.stdout.write(f"{counts['subjects']} subjects, {counts['changed']} changed")
            return
        today = date or clock.today()
        failures = 0
        values = values or []
        for value in values:
            result = check_identifier(value, today=today)
            failures += not result.is_valid
            self.stdout.write(f"{printable(value)}\t{describe(result)}")
        if failures:
            raise CommandError(f"{failures} of {len(values)} values are not valid", returncode=1)
