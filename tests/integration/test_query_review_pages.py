"""The reviewer's page of query registrations reads one page, not the whole period (R14).

A page takes from each side (registrations, checks) only its newest rows up to the page's end,
then sorts those together: the same rows in the same order as sorting the whole union. The
flagged accounts' lookups are read in a fixed number of queries, however many are flagged.
"""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import DepartmentFactory, OfficerFactory, SubjectFactory
from tests.integration.test_query_registration_review import check, lookup
from xinyong.audit import purposes, query_review, unusual
from xinyong.audit.models import QueryPurpose, QueryRegistration, QueryRegistrationPerson

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def purpose_list():
    purposes.ensure_built_in(QueryPurpose)


@pytest.fixture
def mixed():
    """Registrations and checks by two officers and a system, many at the very same times (ties
    sorted by their references), a bulk answer naming a person, over three days."""
    rng = random.Random(7)
    scjg = OfficerFactory(department=DepartmentFactory(code="scjg"))
    swj = OfficerFactory(department=DepartmentFactory(code="swj"))
    finance = DepartmentFactory(implementing=True, code="cz")
    persons = [SubjectFactory(natural_person=True) for _ in range(4)]
    company = SubjectFactory()
    start = timezone.make_aware(dt.datetime(2026, 11, 2, 8))
    times = [start + dt.timedelta(hours=rng.randrange(60)) for _ in range(6)]
    for _ in range(70):
        when = rng.choice(times)  # few times: ties everywhere, across both sides too
        what = rng.random()
        if what < 0.55:
            lookup(rng.choice([scjg, swj]), rng.choice(persons), when=when,
                   purpose=rng.choice(["credit_repair", "administrative_approval"]))  # fmt: skip
        elif what < 0.65:
            lookup(scjg, company, when=when, kind="entry_list", persons=2)
        else:
            check(rng.choice(persons), when=when, department=finance)
    bulk = QueryRegistration.objects.create(
        at=times[0], account=swj.user, actor=swj.user.username, department=swj.department,
        role="recognizing_officer", purpose_id="credit_repair", kind="export",
        route="POST /office/screening/", subject=None, natural_persons=1, rows=1,
    )  # fmt: skip
    QueryRegistrationPerson.objects.create(registration=bulk, subject=persons[0])
    return {"scjg": scjg, "swj": swj, "person": persons[0], "company": company}


def _filters(mixed) -> list[query_review.QueryFilter]:
    day = dt.date(2026, 11, 3)
    return [
        query_review.QueryFilter(),
        query_review.QueryFilter(since=day, until=day + dt.timedelta(days=1)),
        query_review.QueryFilter(department="scjg"),
        query_review.QueryFilter(account=mixed["swj"].user.username),
        query_review.QueryFilter(purpose=purposes.JOINT_ACTION),
        query_review.QueryFilter(purpose="credit_repair"),
        query_review.QueryFilter(kind="check"),
        query_review.QueryFilter(subject_id=mixed["person"].pk),
        query_review.QueryFilter(subject_id=mixed["company"].pk),
        query_review.QueryFilter(unusual_only=True),
    ]


@pytest.mark.parametrize("size", [1, 7, 50])
def test_a_page_holds_the_rows_and_order_of_sorting_the_whole_union(mixed, settings, size):
    settings.XINYONG_UNUSUAL_PERSONS = 2
    for wanted in _filters(mixed):
        flagged = unusual.flagged_accounts(wanted.since, wanted.until)
        everything = list(query_review.query_rows(wanted, flagged))
        pages = query_review.QueryRows(wanted, flagged)
        assert pages.count() == len(everything), wanted
        for start in range(0, len(everything) + size, size):
            assert pages[start : start + size] == everything[start : start + size], (wanted, start)


def test_a_page_sorts_only_the_newest_rows_of_each_side(mixed):
    """Each side is read newest first up to the page's end (a LIMIT by its time index) before
    the two are merged: never the whole period joined to the subjects and sorted."""
    with CaptureQueriesContext(connection) as queries:
        query_review.QueryRows(query_review.QueryFilter())[50:100]
    (read,) = queries.captured_queries
    assert read["sql"].upper().count("LIMIT 100") == 2


def test_the_page_reads_a_fixed_number_of_queries_however_many_accounts_are_flagged(
    settings, client
):
    from django.contrib.auth.models import Group

    settings.XINYONG_UNUSUAL_PERSONS = 1
    office = DepartmentFactory(credit_office=True, code="xyb")
    reviewer = OfficerFactory(department=office)
    reviewer.user.groups.add(Group.objects.get_or_create(name="credit_reviewer")[0])
    client.force_login(reviewer.user)
    persons = [SubjectFactory(natural_person=True) for _ in range(3)]
    counts = []
    for n in range(2):
        for _ in range(3):  # three more accounts over the limit each round
            officer = OfficerFactory(department=DepartmentFactory())
            for person in persons:
                lookup(officer, person)
        with CaptureQueriesContext(connection) as queries:
            answer = client.get("/office/queries/")
        assert answer.status_code == 200
        assert len(answer.context["flagged"]) == 3 * (n + 1)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_the_export_reads_the_purposes_once_however_many_chunks(mixed):
    with CaptureQueriesContext(connection) as queries:
        rows = list(query_review.iter_rows(query_review.QueryFilter(), {}, chunk=5))
    assert len(rows) > 10
    purposes_read = [q for q in queries.captured_queries if "audit_querypurpose" in q["sql"]]
    assert len(purposes_read) == 1
