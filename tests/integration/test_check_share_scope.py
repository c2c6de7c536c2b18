"""What another department learns of a list follows the share scope of the list's catalog item,
wherever it asks: the subject page, a check by code or by name, batch screening and the change
feed. A list published under an item not shared (不予共享), or shared only on conditions, is
neither disclosed to nor acted on by other departments; its own department still sees it, and
a list under an item shared unconditionally, or under none, is seen by all (R13, R11;
001 §三(二))."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.test import Client

from tests.check_clients import check, client_for
from tests.factories import (
    CatalogItemFactory,
    DepartmentFactory,
    LinkedPersonFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    SubjectFactory,
)
from xinyong.api import tokens
from xinyong.catalog.models import ShareScope
from xinyong.core import clock
from xinyong.listings.models import ListEntryEvent, ListEntryPerson, ListKind
from xinyong.measures import selectors
from xinyong.measures.screening import screen_file
from xinyong.subjects.name_index import reset_index

pytestmark = pytest.mark.django_db
D = dt.date
SCENARIO = "government_procurement"
TODAY = D(2026, 11, 23)


@pytest.fixture(autouse=True)
def fresh_index():
    reset_index()  # each test's subjects, not a rolled-back test's
    yield
    reset_index()


@pytest.fixture
def keeper():
    """The recognizing department of the lists below, which also checks in its own business."""
    return DepartmentFactory(implementing=True, is_recognizing=True, name="市场监管局")


def black_list(scope: str | None, name: str, keeper) -> object:
    """A black list of ``keeper`` published under a catalog item of ``scope``; None: no item."""
    item = None if scope is None else CatalogItemFactory(share_scope=scope)
    return ListDefinitionFactory(
        name=name, kind=ListKind.BLACK, catalog_item=item, recognizing_department=keeper
    )


def subject_on(definition, **subject):
    entry = ListEntryFactory(list=definition, subject=SubjectFactory(**subject), effective=True)
    return entry


def by_code(api: Client, subject) -> dict:
    with clock.frozen(TODAY):
        answer = check(api, subject=subject.reveal_identifier(), scenario=SCENARIO)
    assert answer.status_code == 200, answer.json()
    return answer.json()


def by_name(api: Client, subject) -> dict:
    with clock.frozen(TODAY):
        answer = check(api, name=subject.name, scenario=SCENARIO)
    assert answer.status_code == 200, answer.json()
    return answer.json()


def screened(tmp_path, department, subject) -> dict:
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([["code"], [subject.reveal_identifier()]])
    with clock.frozen(TODAY):
        screen_file(source, tmp_path / "out.csv", scenario=SCENARIO, department_id=department.pk)
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as stream:
        (row,) = csv.DictReader(stream)
    return row


def listed(answer: dict) -> list[str]:
    return [entry["list_name"] for entry in answer["entries"]]


SCOPES_HIDDEN = pytest.mark.parametrize("scope", [ShareScope.NONE, ShareScope.CONDITIONAL])


@SCOPES_HIDDEN
def test_another_department_checking_by_code_meets_nothing_of_an_unshared_list(
    api, measures, keeper, scope
):
    entry = subject_on(black_list(scope, "不予共享名单", keeper))
    body = by_code(api, entry.subject)
    assert (listed(body), body["measures"], body["result"]) == ([], [], "clear")


@SCOPES_HIDDEN
def test_another_department_checking_by_name_meets_nothing_of_an_unshared_list(
    api, measures, keeper, scope
):
    entry = subject_on(black_list(scope, "不予共享名单", keeper), name="湖州不予共享示例有限公司")
    body = by_name(api, entry.subject)
    assert body["subject"]["matched_by"] == "exact"
    assert (listed(body), body["measures"], body["result"]) == ([], [], "clear")


@pytest.mark.parametrize("lookup", ["table", "chunks"])
def test_screening_answers_what_the_check_answers(tmp_path, api, measures, finance, keeper, lookup):
    """A subject on an unshared list and a shared one: the same one entry, measure and result
    by code, by name and in a screening row."""
    subject = SubjectFactory(name="嘉兴两份名单示例有限公司")
    for scope, name in [(ShareScope.NONE, "不予共享名单"), (None, "共享名单")]:
        ListEntryFactory(list=black_list(scope, name, keeper), subject=subject, effective=True)
    code, named = by_code(api, subject), by_name(api, subject)
    assert listed(code) == listed(named) == ["共享名单"]
    assert code["result"] == named["result"] == "punish"
    row = screened(tmp_path, finance, subject)
    assert row["entries"].split(":", 1)[1].split("(")[0] == "共享名单"
    assert (row["measures"], row["result"]) == ("bar-procurement", "punish")


def test_screening_a_subject_only_on_an_unshared_list_is_clear(tmp_path, measures, finance, keeper):
    entry = subject_on(black_list(ShareScope.NONE, "不予共享名单", keeper))
    row = screened(tmp_path, finance, entry.subject)
    assert (row["entries"], row["measures"], row["result"]) == ("", "", "clear")


@pytest.mark.django_db(transaction=True)  # outside a transaction, PostgreSQL reads on threads
def test_screening_outside_a_transaction_drops_the_unshared_list_too(
    tmp_path, measures, finance, keeper
):
    subject = SubjectFactory()
    for scope, name in [(ShareScope.NONE, "不予共享名单"), (None, "共享名单")]:
        ListEntryFactory(list=black_list(scope, name, keeper), subject=subject, effective=True)
    row = screened(tmp_path, finance, subject)
    assert row["entries"].split(":", 1)[1].split("(")[0] == "共享名单"
    assert (row["measures"], row["result"]) == ("bar-procurement", "punish")


def test_a_person_named_on_an_unshared_list_is_clear_for_others(api, measures, keeper):
    """落实到人: the entries naming a person follow the same scope."""
    link = LinkedPersonFactory()
    entry = ListEntryFactory(list=black_list(ShareScope.NONE, "不予共享名单", keeper),
                             subject=link.organisation, effective=True)  # fmt: skip
    ListEntryPerson.objects.create(entry=entry, person=link.person, role=link.role)
    body = by_code(api, link.person)
    assert (listed(body), body["result"]) == ([], "clear")


def test_the_recognizing_department_sees_its_own_unshared_list(
    tmp_path, measures, procurement, keeper
):
    entry = subject_on(black_list(ShareScope.NONE, "本部门不予共享名单", keeper),
                       name="绍兴本部门示例有限公司")  # fmt: skip
    own = client_for(keeper, [SCENARIO])
    for body in (by_code(own, entry.subject), by_name(own, entry.subject)):
        assert (listed(body), body["result"]) == (["本部门不予共享名单"], "punish")
    assert screened(tmp_path, keeper, entry.subject)["result"] == "punish"


def test_a_list_shared_unconditionally_is_seen_by_every_department(api, measures, keeper):
    entry = subject_on(black_list(ShareScope.UNCONDITIONAL, "无条件共享名单", keeper))
    body = by_code(api, entry.subject)
    assert (listed(body), body["result"]) == (["无条件共享名单"], "punish")


def test_the_one_statement_read_of_a_check_sees_what_a_check_by_name_sees(measures, keeper):
    """The check by code's one statement and the ORM read of a check by name keep the same
    entries for each department, directly and through a named person, in the same order."""
    link = LinkedPersonFactory()
    person = link.person
    for scope in (ShareScope.NONE, ShareScope.CONDITIONAL, ShareScope.UNCONDITIONAL, None):
        definition = black_list(scope, f"名单{scope}", keeper)
        ListEntryFactory(list=definition, subject=person, effective=True)
        named = ListEntryFactory(list=definition, subject=link.organisation, effective=True)
        ListEntryPerson.objects.create(entry=named, person=person, role=link.role)
    other = DepartmentFactory(implementing=True)
    for department, expected in ((other, 4), (keeper, 8)):
        read = selectors.check_read(person.identifier_digest, SCENARIO, department.pk)
        orm = selectors.entry_facts(person, department.pk)
        assert [(f.entry_id, f.via_role) for f in read.facts] == [
            (f.entry_id, f.via_role) for f in orm
        ]
        assert len(read.facts) == expected
        assert read.subject == person


# -- the change feed ------------------------------------------------------------------------


def _feed_client(department) -> Client:
    token, _ = tokens.create_token(
        actor="test", user=tokens.system_account(department), scenarios=[SCENARIO]
    )
    return Client(headers={"Authorization": f"Bearer {token}"})


def _took_effect(entry) -> None:
    ListEntryEvent.objects.create(
        entry=entry, action="sign", from_state="awaiting_signature", to_state="effective",
        business_date=D(2026, 10, 27), actor="test",
    )  # fmt: skip


def test_the_change_feed_tells_others_only_the_shared_lists(measures, finance, keeper):
    hidden = subject_on(black_list(ShareScope.NONE, "不予共享名单", keeper))
    shared = subject_on(black_list(ShareScope.UNCONDITIONAL, "无条件共享名单", keeper))
    _took_effect(hidden)
    _took_effect(shared)
    page = _feed_client(finance).get("/api/v1/changes", {"since": 0}).json()
    assert [c["entry_id"] for c in page["changes"]] == [shared.pk]
    own = _feed_client(keeper).get("/api/v1/changes", {"since": 0}).json()
    assert [c["entry_id"] for c in own["changes"]] == [hidden.pk, shared.pk]
