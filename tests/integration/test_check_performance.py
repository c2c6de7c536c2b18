"""What the check API's speed-ups keep: the answer, the registration, revocable tokens.

A check by code is one read and one insert once the caller's token is known (bench/check_api.py);
the token is kept per process for ``tokens.AUTH_CACHE_SECONDS``, so a revocation elsewhere takes
effect within that time and one in this process at once.
"""

import datetime as dt
import types

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import (
    DepartmentFactory,
    LinkedPersonFactory,
    ListEntryFactory,
    MeasureFactory,
    OfficerFactory,
    ScenarioFactory,
    make_uscc,
)
from xinyong.api import tokens
from xinyong.api.models import ApiToken
from xinyong.listings.models import ListDefinition, ListEntryPerson, ListKind
from xinyong.measures import selectors
from xinyong.measures.models import Check
from xinyong.subjects.protection import identifier_digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance():
    ScenarioFactory(code="government_procurement")
    return DepartmentFactory(implementing=True, name="财政局")


@pytest.fixture
def officer(finance):
    return OfficerFactory(department=finance)


def client_with(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def token(officer):
    clear, _ = tokens.create_token(
        actor="test", user=officer.user, scenarios=["government_procurement"]
    )
    return clear


def check(api: Client, code: str, scenario: str = "government_procurement"):
    return api.post(
        "/api/v1/checks", {"subject": code, "scenario": scenario}, content_type="application/json"
    )


def test_a_check_is_one_read_and_one_insert_once_the_token_is_known(
    token, django_assert_num_queries
):
    MeasureFactory(targets=["organisation"]).scenarios.add(
        ScenarioFactory(code="government_procurement")
    )
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    api = client_with(token)
    assert check(api, make_uscc(7)).status_code == 200  # reads the token, prepares statements
    with django_assert_num_queries(2):
        answer = check(api, entry.subject.reveal_identifier())
    assert answer.json()["result"] == "punish"


def test_every_check_is_registered_with_who_what_and_when(token, officer):
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    before = timezone.now()
    body = check(client_with(token), entry.subject.reveal_identifier()).json()
    made = Check.objects.get(pk=body["check_id"])
    assert (made.user, made.department, made.scenario.code, made.subject) == (
        officer.user, officer.department, "government_procurement", entry.subject,
    )  # fmt: skip
    assert made.query_identifier == entry.subject.identifier  # a person's ID kept masked
    assert before <= made.created_at <= timezone.now()
    assert made.response["entries"][0]["entry_id"] == entry.pk
    assert made.result == body["result"]


def test_the_registered_row_is_the_answer_given_byte_for_byte(token, officer):
    """The answer is encoded once: the reply is the registered JSON with the check's id in
    front, Chinese as UTF-8 (not escaped), and the row reads back through the ORM whole."""
    MeasureFactory(targets=["organisation"]).scenarios.add(
        ScenarioFactory(code="government_procurement")
    )
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, list__name="严重失信名单")
    reply = check(client_with(token), entry.subject.reveal_identifier())
    assert reply["Content-Type"] == "application/json; charset=utf-8"
    assert "严重失信名单".encode() in reply.content
    body = reply.json()
    made = Check.objects.get(pk=body["check_id"])
    assert {"check_id": str(made.pk), **made.response} == body
    assert list(body) == ["check_id", "as_of", "scenario", "subject", "entries", "measures",
                          "result", "candidates"]  # fmt: skip
    assert (made.as_of.isoformat(), made.result, made.query_name) == (
        body["as_of"], "punish", ""
    )  # fmt: skip
    assert made.created_at.tzinfo is not None


def test_a_rolled_back_registration_leaves_no_row_and_the_next_one_goes_in(token, officer):
    """The insert is a statement prepared once per connection: a transaction rolled back after
    it (the statement stays prepared) leaves no row, and the next check is registered."""
    from django.db import transaction

    from xinyong.measures import registration

    ScenarioFactory(code="government_procurement")
    api = client_with(token)
    assert check(api, make_uscc(11)).status_code == 200
    scenario_id = Check.objects.get().scenario_id
    with pytest.raises(RuntimeError), transaction.atomic():
        registration.register(
            as_of=dt.date(2026, 11, 20), user=officer.user, department=officer.department,
            scenario_id=scenario_id, subject=None, query_identifier="X",
            response={"result": "clear"},
        )  # fmt: skip
        raise RuntimeError("the caller failed after registering")
    assert not Check.objects.filter(query_identifier="X").exists()
    assert check(api, make_uscc(12)).status_code == 200
    assert Check.objects.count() == 2


def test_the_one_statement_read_sees_what_the_orm_sees():
    """Direct entries, an organisation's entry naming the person, suspension, exited entries."""
    link = LinkedPersonFactory()
    person = link.person
    named = ListEntryFactory(subject=link.organisation, effective=True, list__kind=ListKind.BLACK)
    ListEntryPerson.objects.create(entry=named, person=person, role=link.role)
    ListEntryFactory(subject=person, effective=True, list__kind=ListKind.RED)
    ListEntryFactory(subject=person, effective=True, verification_due_on=dt.date(2026, 12, 1))
    ListEntryFactory(subject=person, exited=True)

    def shape(facts):
        return [
            (f.entry_id, f.via_role, f.suspended, f.list_kind, f.list_name, f.domain_id,
             f.domain_name, f.state, f.valid_until, f.organisation)
            for f in facts
        ]  # fmt: skip

    read = selectors.check_read(person.identifier_digest, "government_procurement")
    assert read.subject == person
    expected = shape(selectors.entry_facts(person))
    assert sorted(shape(read.facts), key=lambda row: (row[1] is not None, row[0])) == sorted(
        expected, key=lambda row: (row[1] is not None, row[0])
    )
    assert len(read.facts) == 3
    assert [f.suspended for f in read.facts if f.via_role is None] == [False, True]


def test_an_unknown_subject_and_an_unknown_scenario_read_as_none():
    read = selectors.check_read(identifier_digest(make_uscc(424_242)), "nowhere")
    assert (read.scenario_id, read.subject, read.facts) == (None, None, [])


def test_an_unknown_scenario_outranks_a_malformed_code(officer):
    clear, _ = tokens.create_token(actor="test", user=officer.user, scenarios=["ghost"])
    answer = check(client_with(clear), "123", scenario="ghost")
    assert (answer.status_code, answer.json()["code"]) == (422, "scenario-unknown")
    answer = check(client_with(clear), make_uscc(1), scenario="ghost")
    assert (answer.status_code, answer.json()["code"]) == (422, "scenario-unknown")


def test_a_measure_added_to_the_list_counts_in_the_next_check(token):
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    api = client_with(token)
    assert check(api, entry.subject.reveal_identifier()).json()["result"] == "clear"
    late = MeasureFactory(code="late", targets=["organisation"])
    late.scenarios.add(ScenarioFactory(code="government_procurement"))
    body = check(api, entry.subject.reveal_identifier()).json()
    assert (body["result"], [m["code"] for m in body["measures"]]) == ("punish", ["late"])


def test_a_token_revoked_in_this_process_is_refused_at_once(token):
    api = client_with(token)
    assert check(api, make_uscc(1)).status_code == 200
    tokens.revoke_token(actor="test", prefix=token[len(tokens.TOKEN_PREFIX) :][:8])
    assert check(api, make_uscc(1)).status_code == 401


def test_a_token_revoked_elsewhere_is_refused_once_the_cache_time_is_over(token, monkeypatch):
    """Another process revoked it: this one learns within AUTH_CACHE_SECONDS."""
    api = client_with(token)
    assert check(api, make_uscc(1)).status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())  # a plain UPDATE: no signal here
    assert check(api, make_uscc(1)).status_code == 200  # still cached
    now = tokens._monotonic()
    monkeypatch.setattr(tokens, "_monotonic", lambda: now + tokens.AUTH_CACHE_SECONDS + 1)
    assert check(api, make_uscc(1)).status_code == 401
    assert check(api, make_uscc(1)).status_code == 401  # refusals are not cached as live


def test_an_expired_token_is_refused_even_while_cached(officer, monkeypatch):
    clear, record = tokens.create_token(
        actor="test", user=officer.user, scenarios=["government_procurement"], valid_days=1
    )
    api = client_with(clear)
    assert check(api, make_uscc(1)).status_code == 200
    later = record.expires_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(tokens, "timezone", types.SimpleNamespace(now=lambda: later))
    assert check(api, make_uscc(1)).status_code == 401


def test_a_deactivated_account_is_refused_at_once(token, officer):
    api = client_with(token)
    assert check(api, make_uscc(1)).status_code == 200
    officer.user.is_active = False
    officer.user.save()
    assert check(api, make_uscc(1)).status_code == 401


def test_a_department_that_stops_implementing_is_refused_at_once(token, finance):
    api = client_with(token)
    assert check(api, make_uscc(1)).status_code == 200
    finance.is_implementing = False
    finance.save()
    answer = check(api, make_uscc(1))
    assert (answer.status_code, answer.json()["code"]) == (403, "implementing-department-required")


def test_the_token_cache_stays_bounded(officer, monkeypatch):
    monkeypatch.setattr(tokens, "AUTH_CACHE_SIZE", 2)
    for _ in range(3):
        clear, _ = tokens.create_token(actor="test", user=officer.user)
        assert tokens.authenticate(clear) is not None
    assert len(tokens._live) <= 2


def test_an_unknown_token_is_never_cached(officer):
    tokens.forget_cached_tokens()
    assert tokens.authenticate(tokens.TOKEN_PREFIX + "not-a-token") is None
    assert tokens._live == {}


@pytest.mark.django_db(transaction=True)
def test_the_check_statements_survive_a_new_connection(token, on_postgres):
    """Statements are prepared per connection: after the connection is closed (an idle one
    past its age, a restarted server), the next check prepares them again on the new one, and
    nothing kept for the closed one keeps it alive. On PostgreSQL they went through the driver's
    cursor, not Django's (no query is logged); on SQLite nothing is kept (and its connections
    take no weak reference)."""
    import gc
    import weakref

    from django.db import connection, connections

    from xinyong.measures import statements

    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    api = client_with(token)
    assert check(api, entry.subject.reveal_identifier()).status_code == 200
    closed = weakref.ref(connection.connection) if on_postgres else lambda: None  # no weakref
    connection.close()
    answer = check(api, entry.subject.reveal_identifier())
    assert (answer.status_code, answer.json()["entries"][0]["entry_id"]) == (200, entry.pk)
    assert Check.objects.count() == 2
    kept = connections["default"].__dict__.get(statements._STATE)
    assert (kept is not None and kept.driver is connection.connection) is on_postgres
    gc.collect()
    assert closed() is None


def test_a_driver_error_arrives_as_djangos_and_a_broken_transaction_is_refused(
    officer, on_postgres
):
    """The statements skip Django's cursor but not its error translation (a NUL is what
    PostgreSQL's text cannot hold; SQLite stores it) nor its refusal to go on in a transaction
    that has failed."""
    from django.db import DataError, transaction
    from django.db.transaction import TransactionManagementError

    from xinyong.measures import registration

    scenario = ScenarioFactory(code="government_procurement")

    def register(name: str):
        return registration.register(
            as_of=dt.date(2026, 11, 20), user=officer.user, department=officer.department,
            scenario_id=scenario.pk, subject=None, query_name=name, response={"result": "clear"},
        )  # fmt: skip

    if on_postgres:
        with pytest.raises(DataError), transaction.atomic():
            register("甲\x00公司")
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic(savepoint=False):
            register("乙公司")
            raise RuntimeError("the caller failed")
        with pytest.raises(TransactionManagementError):
            register("丙公司")
    made = register("丁公司")
    assert list(Check.objects.values_list("pk", "query_name")) == [(made.check_id, "丁公司")]


@pytest.mark.django_db(transaction=True)
def test_a_migration_under_a_running_server_fails_one_check_not_every_one(token, on_postgres):
    """A column the prepared read selects changes type (a migration while the server runs):
    PostgreSQL refuses the stale statement once; the next check prepares it afresh."""
    from django.db import NotSupportedError, connection

    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, list__name="黑名单")
    api = client_with(token)
    assert check(api, entry.subject.reveal_identifier()).status_code == 200
    if not on_postgres:
        return  # nothing is prepared on SQLite
    table = ListDefinition._meta.db_table
    length = ListDefinition._meta.get_field("name").max_length
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} ALTER COLUMN name TYPE text")
    try:
        with pytest.raises(NotSupportedError):
            check(api, entry.subject.reveal_identifier())
        answer = check(api, entry.subject.reveal_identifier())
        assert (answer.status_code, answer.json()["entries"][0]["list_name"]) == (200, "黑名单")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN name TYPE varchar({length})")
