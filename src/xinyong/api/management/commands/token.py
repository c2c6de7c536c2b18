"""``xinyong token create|revoke|list``: API tokens for departments' systems."""

import shlex

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xinyong.api import tokens
from xinyong.api.models import ApiToken
from xinyong.core.errors import XinyongError
from xinyong.measures.models import Scenario
from xinyong.subjects.models import Department

ACTOR = "cli"
DASHED_PREFIX_HINT = (
    "a prefix starting with '-' is given as --prefix=-Ab3xYz9 (as `token list` shows)"
)


class Command(BaseCommand):
    help = "Create, revoke and list API tokens."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _hinting_dashed_prefixes(parser.error)
        return parser

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
            help="calls per minute, at least 1 (default: XINYONG_TOKEN_RATE_PER_MINUTE)",
        )  # fmt: skip
        revoke = sub.add_parser(
            "revoke",
            help="revoke a token by its prefix",
            # Prefixes made before they were drawn without a leading '-' still exist: the
            # command line reads "-Ab3…" as an option, so they are given as --prefix=-Ab3….
            epilog=f"{DASHED_PREFIX_HINT}, or after --: revoke -- -Ab3xYz9",
        )
        revoke.add_argument("prefix", nargs="?", help="the prefix `token list` shows")
        revoke.add_argument("--prefix", dest="prefix_option", metavar="PREFIX")
        sub.add_parser("list", help="list tokens (prefixes only) with the command revoking each")

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
        _check_scenarios(found, scenario)
        # The account and its token together: a refused token leaves no new account behind.
        with transaction.atomic():
            user = tokens.system_account(found, actor=ACTOR)
            token, _record = tokens.create_token(
                actor=ACTOR, user=user, scenarios=scenario, valid_days=days or None,
                description=description, rate_per_minute=rate_per_minute, can_sign=signer,
            )  # fmt: skip
        self.stdout.write(token)
        if found.is_implementing and not scenario:
            self.stderr.write("注意：该令牌未授权任何业务场景（--scenario），不能调用核查接口")

    def _revoke(self, *, prefix, prefix_option, **_) -> None:
        if (prefix is None) == (prefix_option is None):
            raise CommandError("give the token's prefix once: revoke PREFIX or --prefix=PREFIX")
        chosen = prefix if prefix is not None else prefix_option
        tokens.revoke_token(actor=ACTOR, prefix=chosen)
        self.stdout.write(f"revoked {chosen}")

    def _list(self, **_) -> None:
        for record in ApiToken.objects.select_related("user").order_by("created_at"):
            state = "revoked" if record.revoked_at else f"expires {record.expires_at or 'never'}"
            signs = "signer" if record.can_sign else "-"
            self.stdout.write(
                f"{record.prefix}\t{record.user.get_username()}\t{signs}\t{state}"
                f"\t{revoke_command(record)}"
            )


def _check_scenarios(department: Department, scenarios: list[str]) -> None:
    """Scenarios are where a token may check (应查必查, R10): each must exist, and only an
    implementing department checks. A misspelt code, or scenarios for any other department,
    would make a token that every check refuses with 403, far from the mistake."""
    if not scenarios:
        return
    known = set(Scenario.objects.filter(code__in=scenarios).values_list("code", flat=True))
    if unknown := sorted(set(scenarios) - known):
        raise CommandError(f"unknown scenario: {', '.join(unknown)} (未知业务场景)")
    if not department.is_implementing:
        raise CommandError(
            f"{department.code} is not an implementing department: its tokens cannot check, "
            "so they take no --scenario (仅联合奖惩实施部门可核查)"
        )


def _hinting_dashed_prefixes(error):
    """argparse's own error, with how to write the prefix it took for an unknown option."""

    def error_with_hint(message: str):
        if "unrecognized arguments: -" in message:
            message = f"{message}; {DASHED_PREFIX_HINT}"
        return error(message)

    return error_with_hint


def revoke_command(record: ApiToken) -> str:
    """What revokes this token, in the ``--prefix=`` form a prefix starting with '-' needs."""
    if record.revoked_at:
        return "-"
    return f"xinyong token revoke {shlex.quote(f'--prefix={record.prefix}')}"
