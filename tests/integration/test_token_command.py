"""``xinyong token create|revoke|list`` (R14): every token can be revoked as the list shows it,
a department's token acts for that department only, and a budget below one call is refused."""

import io
import shlex

import pytest
from django.core.management import CommandError, call_command

from tests.factories import DepartmentFactory, ScenarioFactory
from xinyong.access.roles import Role
from xinyong.api import tokens
from xinyong.api.models import ApiToken
from xinyong.audit.models import AuditEntry
from xinyong.core.errors import XinyongError
from xinyong.subjects.models import Officer

pytestmark = pytest.mark.django_db
DASHED = "-Ab3xYz9"  # token_urlsafe draws '-' first for one token in 64


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def dashed_token() -> ApiToken:
    """A token made before prefixes were drawn without a leading '-'."""
    _, record = tokens.create_token(
        actor="test", user=tokens.system_account(DepartmentFactory(implementing=True))
    )
    ApiToken.objects.filter(pk=record.pk).update(prefix=DASHED)
    return record


def test_a_new_tokens_prefix_never_starts_with_a_dash(monkeypatch):
    drawn = iter(["-" + "a" * 53, "b" * 54])
    monkeypatch.setattr(tokens.secrets, "token_urlsafe", lambda nbytes: next(drawn))
    system = tokens.system_account(DepartmentFactory(implementing=True))
    clear, record = tokens.create_token(actor="test", user=system)
    assert record.prefix == "b" * 8
    assert tokens.authenticate(clear) == record


@pytest.mark.parametrize("args", [("--prefix=" + DASHED,), ("--", DASHED)])
def test_a_prefix_starting_with_a_dash_is_revoked(dashed_token, args):
    assert run("revoke", *args).strip() == f"revoked {DASHED}"
    dashed_token.refresh_from_db()
    assert dashed_token.revoked_at is not None


def test_the_list_prints_a_revoke_command_that_works(dashed_token):
    plain = run("create", "--department", dashed_token.user.officer.department.code)
    listed = {line.split("\t")[0]: line.split("\t")[-1] for line in run("list").splitlines()}
    assert listed[DASHED] == f"xinyong token revoke --prefix={DASHED}"
    for command in listed.values():
        run(*shlex.split(command)[2:])
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    assert tokens.authenticate(plain.strip()) is None
    assert {line.split("\t")[-1] for line in run("list").splitlines()} == {"-"}  # all revoked


@pytest.mark.parametrize("args", [(), ("Ab3xYz9a", "--prefix=Zz9xYz9a"), (DASHED,)])
def test_revoke_needs_exactly_one_prefix(dashed_token, args):
    with pytest.raises(CommandError, match="prefix"):
        run("revoke", *args)
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_a_department_gets_no_token_of_an_account_made_for_another_department():
    """A re-coded department's old code given to a new department: ``system:CODE`` still acts
    for the department it was made for, so the new one is refused, and nothing is written."""
    old = DepartmentFactory(code="scjg", implementing=True)
    account = tokens.system_account(old)
    old.code = "scjg-2019"
    old.save()
    DepartmentFactory(code="scjg", implementing=True)
    audited = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="system-account-taken") as refused:
        run("create", "--department", "scjg")
    assert "scjg-2019" in str(refused.value)
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.count() == audited
    assert Officer.objects.get(user=account).department == old


def test_a_system_account_acts_for_its_own_department_again():
    department = DepartmentFactory(code="scjg", implementing=True)
    first = tokens.system_account(department)
    assert tokens.system_account(department) == first
    assert tokens.authenticate(run("create", "--department", "scjg").strip()).user == first


@pytest.mark.parametrize("rate", ["0", "-1"])
def test_a_budget_below_one_call_a_minute_is_refused(rate):
    DepartmentFactory(code="scjg", implementing=True)
    with pytest.raises(CommandError, match="rate-per-minute"):
        run("create", "--department", "scjg", "--rate-per-minute", rate)
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.filter(action="token.create").exists()


@pytest.mark.parametrize("rate", [0, -5])
def test_the_service_refuses_a_budget_below_one_call_a_minute(rate):
    system = tokens.system_account(DepartmentFactory(implementing=True))
    with pytest.raises(XinyongError) as refused:
        tokens.create_token(actor="test", user=system, rate_per_minute=rate)
    assert refused.value.code == "invalid-rate-per-minute"
    assert not ApiToken.objects.exists()


def test_a_budget_of_one_call_a_minute_is_kept():
    DepartmentFactory(code="scjg", implementing=True)
    run("create", "--department", "scjg", "--rate-per-minute", "1")
    assert ApiToken.objects.get().rate_per_minute == 1


def test_negative_validity_is_refused():
    DepartmentFactory(code="scjg", implementing=True)
    with pytest.raises(CommandError, match="days"):
        run("create", "--department", "scjg", "--days", "-1")
    assert not ApiToken.objects.exists()


CASE_SYSTEM_ROUTES = (
    "/api/v1/listings/entries?state=awaiting_signature", "/api/v1/repairs", "/api/v1/reports",
    "/api/v1/record-objections", "/api/v1/submission-duties",
)  # fmt: skip


@pytest.mark.parametrize(
    ("options", "role"),
    [
        (["--signer"], Role.SIGNING_OFFICER),
        ([], Role.RECOGNIZING_OFFICER),
        (["--scenario", "government_procurement"], Role.IMPLEMENTING_SYSTEM),
        (["--signer", "--scenario", "government_procurement"], Role.IMPLEMENTING_SYSTEM),
    ],
)
def test_a_token_of_a_department_that_recognizes_and_implements_acts_as_made(options, role):
    """Most recognizing departments implement measures too: a token made with scenarios checks
    in them, even one made to sign; one made with no scenario serves the department's own case
    system (listings, repairs, reports, objections, submission duties), as the README shows
    (R14)."""
    from django.test import Client

    from xinyong.access.roles import role_of

    DepartmentFactory(code="zj-scjg", is_recognizing=True, is_implementing=True)
    ScenarioFactory(code="government_procurement")
    clear = run("create", "--department", "zj-scjg", *options).strip()
    tokens.forget_cached_tokens()
    assert role_of(tokens.authenticate(clear).user) is role
    client = Client(headers={"Authorization": f"Bearer {clear}"})
    codes = {client.get(path).status_code for path in CASE_SYSTEM_ROUTES}
    assert codes == ({403} if role is Role.IMPLEMENTING_SYSTEM else {200})


def _created(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("implementing", "scenarios", "says"),
    [(True, ["goverment_procurment"], "unknown scenario: goverment_procurment"),
     (True, ["honours", "nope", "also_nope"], "unknown scenario: also_nope, nope"),
     (False, ["honours"], "is not an implementing department")],
    ids=["misspelt", "some unknown", "not implementing"],
)  # fmt: skip
def test_a_token_that_could_never_check_is_refused(implementing, scenarios, says):
    """A token is made to check where it is granted (R10): a misspelt scenario, or scenarios
    for a department that implements no measures, would give a token every check refuses
    with 403. Refused when made, and nothing is written."""
    ScenarioFactory(code="honours")
    department = DepartmentFactory(implementing=implementing)
    audited = AuditEntry.objects.count()
    options = [part for code in scenarios for part in ("--scenario", code)]
    with pytest.raises(CommandError, match=says):
        _created("--department", department.code, *options)
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.count() == audited


def test_a_token_without_scenarios_is_made_and_said_not_to_check():
    """Other calls (records, objections) need no scenario: such a token is made, and an
    implementing department is told it cannot check with it."""
    ScenarioFactory(code="honours")
    implementing = DepartmentFactory(implementing=True)
    token, warned = _created("--department", implementing.code)
    assert tokens.authenticate(token.strip()) is not None
    assert "不能调用核查接口" in warned
    granted, quiet = _created("--department", implementing.code, "--scenario", "honours")
    assert tokens.authenticate(granted.strip()).scenarios == ["honours"]
    assert quiet == ""
    assert _created("--department", DepartmentFactory(implementing=False).code)[1] == ""
