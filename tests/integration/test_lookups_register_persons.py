"""A list answer that names persons registers each of them by subject, so that the reviewer's
"who looked up this person" finds an admin search or an API list filtered by a citizen ID
(R14: who, department, purpose, subject, time; 000 §十一.4, 001 §13-14)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.admin_clients import admin_as
from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    make_citizen_id,
)
from xinyong.api import tokens
from xinyong.audit import query_review
from xinyong.audit.models import QueryRegistration
from xinyong.core import clock
from xinyong.core.masking import mask_subject_name

pytestmark = pytest.mark.django_db
INSERT_REGISTRATION = f'INSERT INTO "{QueryRegistration._meta.db_table}"'


def reviewer_rows_about(person) -> int:
    today = clock.today()
    wanted = query_review.QueryFilter(
        since=today - dt.timedelta(days=1), until=today + dt.timedelta(days=1),
        subject_id=person.pk,
    )  # fmt: skip
    return query_review.count_rows(wanted)


def inserts_of_registrations(queries: CaptureQueriesContext) -> int:
    return sum(INSERT_REGISTRATION in q["sql"] for q in queries.captured_queries)


@pytest.fixture
def recognizing_admin() -> Client:
    return admin_as(None, "认定部门工作人员")


@pytest.fixture
def our_list():
    return ListDefinitionFactory(code="ours")


@pytest.fixture
def officer_api(our_list) -> Client:
    officer = OfficerFactory(department=our_list.recognizing_department)
    token, _ = tokens.create_token(actor="t", user=officer.user)
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_an_admin_search_by_citizen_id_registers_the_person_found(recognizing_admin):
    person = SubjectFactory(natural_person=True, name="欧阳娜娜")
    page = recognizing_admin.get("/admin/subjects/subject/", {"q": person.reveal_identifier()})
    assert "欧阳娜娜" in page.content.decode()
    registration = QueryRegistration.objects.get()
    assert (registration.subject, registration.natural_persons, registration.rows) == (
        person, 1, 1,
    )  # fmt: skip
    assert reviewer_rows_about(person) == 1


def test_an_admin_list_page_registers_each_person_once_in_one_insert(recognizing_admin):
    persons = [SubjectFactory(natural_person=True) for _ in range(3)]
    SubjectFactory()  # an organisation: shown, but no person
    with CaptureQueriesContext(connection) as queries:
        recognizing_admin.get("/admin/subjects/subject/")
    assert inserts_of_registrations(queries) == 1
    rows = QueryRegistration.objects.values_list("subject", "natural_persons", "rows")
    assert sorted(rows) == sorted((p.pk, 1, 4) for p in persons)


def test_an_admin_page_of_organisations_only_registers_nothing(recognizing_admin):
    SubjectFactory()
    recognizing_admin.get("/admin/subjects/subject/")
    assert not QueryRegistration.objects.exists()


def test_the_api_list_filtered_by_a_citizen_id_registers_the_person(our_list, officer_api):
    person = SubjectFactory(natural_person=True, identifier=make_citizen_id(5252))
    ListEntryFactory(list=our_list, subject=person, effective=True)
    found = officer_api.get("/api/v1/listings/entries", {"subject": make_citizen_id(5252)}).json()
    assert found["count"] == 1
    registration = QueryRegistration.objects.get()
    assert (registration.subject, registration.natural_persons, registration.kind) == (
        person, 1, "entry_list",
    )  # fmt: skip
    assert reviewer_rows_about(person) == 1


def test_an_api_page_registers_each_person_it_names_in_one_insert(our_list, officer_api):
    """Two entries of one person name that person once; an organisation's entry no one."""
    first, second = (SubjectFactory(natural_person=True) for _ in range(2))
    for subject in (first, first, second, SubjectFactory()):
        ListEntryFactory(list=our_list, subject=subject, state="rejected")
    with CaptureQueriesContext(connection) as queries:
        page = officer_api.get("/api/v1/listings/entries").json()
    assert len(page["items"]) == 4
    assert inserts_of_registrations(queries) == 1
    rows = QueryRegistration.objects.values_list("subject", "natural_persons", "rows")
    assert sorted(rows) == sorted([(first.pk, 1, 4), (second.pk, 1, 4)])


def test_a_run_naming_many_persons_is_one_registration_naming_each_in_one_statement():
    """A run naming many persons is one registration, whose natural persons are those found
    and the IDs asked that no subject has, naming each person found in one statement (R14);
    the reviewer finds it under each of them, showing that person."""
    from xinyong.audit import services
    from xinyong.audit.models import QueryKind, QueryRegistrationPerson

    persons = [SubjectFactory(natural_person=True) for _ in range(5)]
    officer = OfficerFactory().user
    with CaptureQueriesContext(connection) as queries:
        registration = services.register_persons_found(
            actor=officer, purpose="joint_action", kind=QueryKind.EXPORT, route="xinyong screen",
            subject_ids={p.pk for p in persons}, others=2, rows=7, purpose_detail="政府采购",
        )  # fmt: skip
    assert inserts_of_registrations(queries) == 1
    named = [q for q in queries.captured_queries if "INSERT INTO" in q["sql"]
             and QueryRegistrationPerson._meta.db_table in q["sql"]]  # fmt: skip
    assert len(named) == 1
    r = QueryRegistration.objects.get()
    assert r == registration
    assert (r.actor, r.department_id, r.kind, r.rows, r.purpose_detail, r.subject_id) == (
        officer.username,
        officer.officer.department_id,
        QueryKind.EXPORT,
        7,
        "政府采购",
        None,
    )
    assert r.natural_persons == 7  # five found, two IDs nobody has
    assert sorted(r.persons.values_list("subject_id", flat=True)) == sorted(p.pk for p in persons)
    for person in persons:
        assert reviewer_rows_about(person) == 1
        (row,) = query_review.iter_rows(query_review.QueryFilter(subject_id=person.pk), {})
        assert (row.subject_id, row.natural_persons) == (person.pk, 7)
        assert row.subject_shown == mask_subject_name(person.name, is_natural_person=True)
    assert reviewer_rows_about(SubjectFactory(natural_person=True)) == 0
    assert query_review.persons_in(query_review.QueryFilter()) == 5
    assert query_review.persons_in(query_review.QueryFilter(subject_id=persons[0].pk)) == 1


def test_a_run_naming_only_ids_nobody_has_is_registered_and_one_naming_no_one_is_not():
    from xinyong.audit import services
    from xinyong.audit.models import QueryKind

    officer = OfficerFactory().user
    shared = {"actor": officer, "purpose": "joint_action", "kind": QueryKind.EXPORT,
              "route": "xinyong screen", "rows": 3}  # fmt: skip
    assert services.register_persons_found(**shared, subject_ids=set(), others=0) is None
    registration = services.register_persons_found(**shared, subject_ids=set(), others=2)
    assert (registration.natural_persons, registration.persons.count()) == (2, 0)


def test_two_runs_naming_the_same_persons_count_them_once_for_unusual_use(settings):
    """The unusual-use count takes the persons a bulk answer names by subject once each,
    however many runs name them (R14), and still counts the hashes no person has."""
    from xinyong.audit import services, unusual
    from xinyong.audit.models import QueryKind

    settings.XINYONG_UNUSUAL_PERSONS = 4
    persons = {SubjectFactory(natural_person=True).pk for _ in range(3)}
    officer = OfficerFactory().user

    def run(others=0):
        services.register_persons_found(
            actor=officer, purpose="joint_action", kind=QueryKind.EXPORT, route="xinyong screen",
            subject_ids=persons, others=others, rows=len(persons) + others,
        )  # fmt: skip

    run()
    run()
    assert unusual.flagged_accounts() == {}  # 3 persons, twice: 3 within the window
    run(others=2)
    (flagged,) = unusual.flagged_accounts().values()
    assert (flagged.account_id, flagged.persons) == (officer.pk, 5)  # and two IDs no one has


def test_the_persons_a_registration_names_are_append_only():
    from django.db import DatabaseError, transaction

    from xinyong.audit import services
    from xinyong.audit.models import QueryKind

    person = SubjectFactory(natural_person=True)
    services.register_persons_found(
        actor=OfficerFactory().user, purpose="joint_action", kind=QueryKind.EXPORT,
        route="xinyong screen", subject_ids={person.pk}, others=0, rows=1,
    )  # fmt: skip
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_queryregistrationperson SET subject_id = subject_id + 1")
    if connection.vendor == "postgresql":
        refused = pytest.raises(DatabaseError, match="append-only")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL xinyong.audit_purge = off")
            cursor.execute("DELETE FROM audit_queryregistrationperson")


def test_the_admin_page_of_a_run_names_its_persons_masked(settings):
    """R14 reviewable: a run's registration page in the admin names the persons it found,
    masked, the first fifty and how many more."""
    from django.contrib.auth import get_user_model

    from xinyong.audit import services
    from xinyong.audit.admin import QueryRegistrationAdmin
    from xinyong.audit.models import QueryKind

    persons = [SubjectFactory(natural_person=True, name=f"欧阳{n}明") for n in range(3)]
    registration = services.register_persons_found(
        actor=OfficerFactory().user, purpose="joint_action", kind=QueryKind.EXPORT,
        route="xinyong screen", subject_ids={p.pk for p in persons}, others=0, rows=3,
    )  # fmt: skip
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456!")
    client = Client()
    client.force_login(root)
    page = client.get(f"/admin/audit/queryregistration/{registration.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert all(f"{p.pk} 欧阳某" in html for p in persons) and "欧阳0明" not in html
    QueryRegistrationAdmin.SHOWN_PERSONS = 2
    try:
        html = client.get(f"/admin/audit/queryregistration/{registration.pk}/change/")
    finally:
        QueryRegistrationAdmin.SHOWN_PERSONS = 50
    assert "共 3 人，另 1 人未列出" in html.content.decode()
