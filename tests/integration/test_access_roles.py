"""Which role an account acts in (R14), and what finding it costs an API call."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import DepartmentFactory, OfficerFactory, SubjectFactory, UserFactory
from xinyong.access.models import SubjectAccount
from xinyong.access.roles import ADMIN_GROUP, REVIEWER_GROUP, Role, role_of
from xinyong.api import tokens

pytestmark = pytest.mark.django_db


def in_group(user, name):
    user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def fresh(user):
    """The account as a new request would load it (the role is kept on the object)."""
    return type(user).objects.get(pk=user.pk)


def test_the_data_migration_makes_both_groups():
    from django.apps import apps

    migration = importlib.import_module("xinyong.access.migrations.0002_credit_office_groups")
    Group.objects.filter(name__in=[ADMIN_GROUP, REVIEWER_GROUP]).delete()
    migration.create_groups(apps, None)
    migration.create_groups(apps, None)  # idempotent
    assert set(Group.objects.values_list("name", flat=True)) >= {ADMIN_GROUP, REVIEWER_GROUP}


def test_nobody_logged_in_is_the_public():
    assert role_of(None) is Role.PUBLIC
    assert role_of(UserFactory()) is Role.PUBLIC  # an account with no officer and no subject


def test_an_inactive_account_is_the_public():
    user = OfficerFactory(user__is_active=False).user
    assert role_of(user) is Role.PUBLIC


def test_a_superuser_is_a_credit_office_administrator():
    assert role_of(UserFactory(is_superuser=True)) is Role.CREDIT_ADMIN


def test_credit_office_groups_count_only_in_a_credit_office():
    office = DepartmentFactory(credit_office=True)
    admin = in_group(OfficerFactory(department=office).user, ADMIN_GROUP)
    reviewer = in_group(OfficerFactory(department=office).user, REVIEWER_GROUP)
    elsewhere = in_group(OfficerFactory().user, ADMIN_GROUP)
    assert role_of(fresh(admin)) is Role.CREDIT_ADMIN
    assert role_of(fresh(reviewer)) is Role.CREDIT_REVIEWER
    assert role_of(fresh(elsewhere)) is Role.RECOGNIZING_OFFICER


def test_officers_sign_or_not():
    assert role_of(OfficerFactory().user) is Role.RECOGNIZING_OFFICER
    assert role_of(OfficerFactory(signer=True).user) is Role.SIGNING_OFFICER


def test_a_department_system_is_a_system_only_for_an_implementing_department():
    implementing = tokens.system_account(DepartmentFactory(implementing=True))
    recognizing = tokens.system_account(DepartmentFactory())
    signing, _ = tokens.create_token(actor="test", user=recognizing, can_sign=True)
    assert role_of(fresh(implementing)) is Role.IMPLEMENTING_SYSTEM
    assert role_of(fresh(recognizing)) is Role.RECOGNIZING_OFFICER  # signs through a token only
    assert role_of(tokens.authenticate(signing).user) is Role.SIGNING_OFFICER


def test_an_account_of_a_subject_is_that_subject():
    user = UserFactory()
    SubjectAccount.objects.create(user=user, subject=SubjectFactory())
    assert role_of(fresh(user)) is Role.SUBJECT


def test_a_token_call_finds_its_role_without_a_database_round_trip(django_assert_num_queries):
    user = tokens.system_account(DepartmentFactory(implementing=True))
    token, _ = tokens.create_token(actor="test", user=user, scenarios=["x"])
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/v1/health").status_code == 200  # reads the token once
    with django_assert_num_queries(0):
        assert client.get("/api/v1/health").status_code == 200


@pytest.fixture
def implementing_token():
    system = tokens.system_account(DepartmentFactory(implementing=True))
    clear, _ = tokens.create_token(actor="test", user=system, scenarios=["x"])
    return system, clear


@pytest.mark.parametrize("header", ["Bearer  {}", "Bearer {} ", "bearer\t{}", " Bearer {}"])
def test_a_call_with_a_token_acts_as_the_token_however_the_header_is_spaced(
    implementing_token, header
):
    """One parse of the Authorization header decides both the role the matrix judges and the
    account the operation runs as: a reviewer's session never runs an operation that only the
    token's role may use (R14)."""
    system, clear = implementing_token
    office = DepartmentFactory(credit_office=True)
    reviewer = in_group(OfficerFactory(department=office).user, REVIEWER_GROUP)
    browser = Client()
    browser.force_login(reviewer)
    assert browser.get("/api/v1/imports").status_code == 403  # not the reviewer's to use
    answer = browser.get("/api/v1/imports", headers={"Authorization": header.format(clear)})
    assert answer.status_code == 200
    assert answer.wsgi_request.user.pk == system.pk  # ran as the token's account


@pytest.mark.parametrize(
    "header",
    ["Bearer xy_not-a-token", "Bearer  xy_not-a-token", "Bearer not-ours", "Bearer", "Bearer  "],
)
@pytest.mark.parametrize("path", ["/api/v1/imports", "/api/v1/changes", "/api/v1/health"])
def test_a_bearer_that_does_not_authenticate_is_refused_never_answered_by_the_session(header, path):
    """A call that presents a token acts as that token or not at all: the session of the same
    browser does not stand in for a token that is unknown, expired or revoked (R14)."""
    officer = OfficerFactory(department=DepartmentFactory(implementing=True))
    browser = Client()
    browser.force_login(officer.user)
    assert browser.get("/api/v1/imports").status_code == 200  # the session alone may
    refused = browser.get(path, headers={"Authorization": header})
    assert refused.status_code == 401
    assert refused.json()["code"] == "authentication-required"
    assert refused["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_is_refused_though_the_browser_has_a_session(implementing_token):
    system, clear = implementing_token
    officer = OfficerFactory(department=DepartmentFactory(implementing=True))
    browser = Client(headers={"Authorization": f"Bearer {clear}"})
    browser.force_login(officer.user)
    assert browser.get("/api/v1/imports").wsgi_request.user.pk == system.pk
    tokens.revoke_token(actor="test", prefix=system.api_tokens.get().prefix)
    assert browser.get("/api/v1/imports").status_code == 401


def test_another_scheme_leaves_the_call_to_the_session():
    """Only the Bearer scheme is a token call; a proxy's Basic credentials are not ours."""
    officer = OfficerFactory(department=DepartmentFactory(implementing=True))
    browser = Client(headers={"Authorization": "Basic dXNlcjpwYXNz"})
    browser.force_login(officer.user)
    assert browser.get("/api/v1/imports").status_code == 200
