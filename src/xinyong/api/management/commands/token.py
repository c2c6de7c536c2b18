"""``xinyong token create|revoke|list``: API tokens for departments' systems."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.api import tokens
from xinyong.api.models import ApiToken
from xinyong.core.errors import XinyongError
from xinyong.subjects.models import Department

ACTOR = "cli"


class Command(BaseCommand):
    help = "Create, revoke and list API tokens."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token; it is printed once")
        create.add_argument("--department", required=True, help="the department's code")
        create.add_argument("--scenario", action="append", default=[], help="repeatable")
        create.add_argument("--signer", action="store_true", help="calls with this token may sign")
        create.add_argument("--days", type=int, default=365, help="validity (0: no expiry)")
        create.add_argument("--description", default="")
        create.add_argument(
            "--rate-per-minute", type=int, default=None,
            help="calls per minute (default: XINYONG_TOKEN_RATE_PER_MINUTE)",
        )  # fmt: skip
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")
        sub.add_parser("list", help="list tokens (prefixes only)")

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except XinyongError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc

    def _create(
        self, *, department, scenario, signer, days, description, rate_per_minute, **_
    ) -> None:
        found = Department.objects.filter(code=department).first()
        if found is None:
            raise CommandError(f"unknown department: {department}")
        user = tokens.system_account(found, actor=ACTOR)
        token, _record = tokens.create_token(
            actor=ACTOR, user=user, scenarios=scenario, valid_days=days or None,
            description=description, rate_per_minute=rate_per_minute, can_sign=signer,
        )  # fmt: skip
        self.stdout.write(token)

    def _revoke(self, *, prefix, **_) -> None:
        tokens.revoke_token(actor=ACTOR, prefix=prefix)
        self.stdout.write(f"revoked {prefix}")

    def _list(self, **_) -> None:
        for record in ApiToken.objects.select_related("user").order_by("created_at"):
            state = "revoked" if record.revoked_at else f"expires {record.expires_at or 'never'}"
            signs = "signer" if record.can_sign else "-"
            self.stdout.write(f"{record.prefix}\t{record.user.get_username()}\t{signs}\t{state}")
