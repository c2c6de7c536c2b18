"""The reviewer's page with more accounts over the limit than one read can OR together: SQLite
refuses an expression tree deeper than 1,000, and each account's run of days is a level."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from tests.factories import DepartmentFactory, OfficerFactory, SubjectFactory
from xinyong.audit import purposes, unusual
from xinyong.audit.models import QueryPurpose, QueryRegistration

pytestmark = pytest.mark.django_db
D = dt.date


def test_reads_are_cut_below_the_deepest_expression_any_database_takes():
    every_other_day = {D(2026, 10, 1) + dt.timedelta(days=2 * n) for n in range(15)}
    wanted = {account: every_other_day for account in range(1, 101)}  # 1,500 ranges in all
    batches = unusual._batches(wanted)
    assert [account for batch in batches for account in batch] == list(wanted)
    for batch in batches:
        assert sum(len(unusual._spans(days)) for days in batch.values()) <= 200
    one_long_account = {7: {D(2026, 1, 1) + dt.timedelta(days=2 * n) for n in range(300)}}
    assert unusual._batches(one_long_account) == [one_long_account]  # never split, nor lost


def test_the_page_shows_eleven_hundred_flagged_accounts(settings, client):
    settings.XINYONG_UNUSUAL_PERSONS = 1
    purposes.ensure_built_in(QueryPurpose)
    department = DepartmentFactory(code="scjg")
    persons = [SubjectFactory(natural_person=True) for _ in range(2)]
    User.objects.bulk_create([User(username=f"busy{n}") for n in range(1100)])
    at = timezone.now() - dt.timedelta(hours=1)
    QueryRegistration.objects.bulk_create([
        QueryRegistration(
            at=at, account=user, actor=user.username, department=department,
            role="recognizing_officer", purpose_id="credit_repair", kind="subject_page",
            route="GET /office/subjects/<int:subject_id>/", subject=person,
            natural_persons=1, rows=1, client_address="10.0.0.8",
        )
        for user in User.objects.filter(username__startswith="busy") for person in persons
    ])  # fmt: skip
    reviewer = OfficerFactory(department=DepartmentFactory(credit_office=True, code="xyb"))
    reviewer.user.groups.add(Group.objects.get_or_create(name="credit_reviewer")[0])
    client.force_login(reviewer.user)
    answer = client.get("/office/queries/")
    assert answer.status_code == 200
    assert len(answer.context["flagged"]) == 1100
