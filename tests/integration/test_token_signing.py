"""Whether a call may sign is its token's own (R14): a department's system account has many
tokens, and creating one never changes what another may do."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import DepartmentFactory, OfficerFactory
from tests.migration_steps import migrate_to_latest
from xinyong.access.roles import Role, role_of
from xinyong.api import tokens
from xinyong.api.models import ApiToken
from xinyong.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
BEFORE = [("api", "0002_token_rate_budget"), ("subjects", "0005_identifier_digest_unique")]
AFTER = [("api", "0003_token_can_sign")]


def create(*args: str) -> str:
    out = io.StringIO()
    call_command("token", "create", *args, stdout=out)
    return out.getvalue().strip()


def role_through(clear: str) -> Role:
    """The role a call with this token acts in, as a new process would find it."""
    tokens.forget_cached_tokens()
    return role_of(tokens.authenticate(clear).user)


def test_a_plain_token_made_later_leaves_the_signing_token_signing():
    department = DepartmentFactory(code="scjg")
    signing = create("--department", "scjg", "--signer")
    plain = create("--department", "scjg")  # a read-only integration of the same department
    assert role_through(signing) is Role.SIGNING_OFFICER
    assert role_through(plain) is Role.RECOGNIZING_OFFICER
    assert department.officers.get().can_sign is False  # the account itself grants nothing


def test_a_signing_token_made_later_gives_an_earlier_token_nothing():
    DepartmentFactory(code="scjg")
    plain = create("--department", "scjg", "--description", "an earlier integration")
    signing = create("--department", "scjg", "--signer")
    assert role_through(plain) is Role.RECOGNIZING_OFFICER
    assert role_through(signing) is Role.SIGNING_OFFICER


def test_tokens_cached_in_one_process_keep_their_own_rights():
    department = DepartmentFactory()
    system = tokens.system_account(department)
    signing, _ = tokens.create_token(actor="test", user=system, can_sign=True)
    plain, _ = tokens.create_token(actor="test", user=system)
    # Both live in the cache at once, each with its own account object.
    assert role_of(tokens.authenticate(signing).user) is Role.SIGNING_OFFICER
    assert role_of(tokens.authenticate(plain).user) is Role.RECOGNIZING_OFFICER
    assert role_of(tokens.authenticate(signing).user) is Role.SIGNING_OFFICER


def test_a_persons_token_signs_only_while_the_person_may():
    officer = OfficerFactory(signer=True)
    signing, _ = tokens.create_token(actor="test", user=officer.user, can_sign=True)
    plain, _ = tokens.create_token(actor="test", user=officer.user)
    assert role_through(signing) is Role.SIGNING_OFFICER
    assert role_through(plain) is Role.RECOGNIZING_OFFICER
    officer.can_sign = False
    officer.save()
    assert role_through(signing) is Role.RECOGNIZING_OFFICER


def test_the_creation_is_audited_with_whether_the_token_signs():
    DepartmentFactory(code="scjg")
    create("--department", "scjg", "--signer")
    create("--department", "scjg")
    rows = AuditEntry.objects.filter(action="token.create").order_by("seq")
    assert [(row.actor, row.after["can_sign"]) for row in rows] == [("cli", True), ("cli", False)]
    # The department's system account, made for its first token, once (R14).
    made = AuditEntry.objects.exclude(action="token.create").get()
    assert (made.action, made.actor, made.after["username"]) == (
        "access.system_account", "cli", "system:scjg",
    )  # fmt: skip


def test_the_list_shows_which_tokens_sign():
    DepartmentFactory(code="scjg")
    create("--department", "scjg", "--signer")
    create("--department", "scjg")
    out = io.StringIO()
    call_command("token", "list", stdout=out)
    signing, plain = (line.split("\t") for line in out.getvalue().splitlines())
    assert signing[1:3] == ["system:scjg", "signer"]
    assert plain[1:3] == ["system:scjg", "-"]


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_keep_what_their_account_had():
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE).apps
        user_model = apps.get_model("auth", "User")
        officer_model = apps.get_model("subjects", "Officer")
        token_model = apps.get_model("api", "ApiToken")
        department = DepartmentFactory()
        made = {}
        accounts = [("system:a", True), ("system:b", False), ("person", True), ("x", None)]
        for name, can_sign in accounts:
            user = user_model.objects.create(username=name)
            if can_sign is not None:  # "x" is an account with no officer row
                officer_model.objects.create(
                    user=user, department_id=department.pk, can_sign=can_sign
                )
            made[name] = token_model.objects.create(prefix=name, digest=name, user=user).pk
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        signs = dict(ApiToken.objects.values_list("pk", "can_sign"))
        assert {name: signs[pk] for name, pk in made.items()} == {
            "system:a": True, "system:b": False, "person": True, "x": False,
        }  # fmt: skip
    finally:
        migrate_to_latest()  # apps whose migrations follow were moved back too
