"""A page of the change feed is full unless the feed has ended, so an empty page means caught up
(R11); and a department's system sees only the changes of lists from which one of its measures
follows, in a scenario its token names (R10, R14: least privilege)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.change_feeds import EVERYONE, event, system_client
from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    MeasureFactory,
    ScenarioFactory,
    SubjectFactory,
)
from xinyong.listings import feed_reads
from xinyong.listings.feed_reads import changes_since
from xinyong.listings.models import ListKind
from xinyong.measures.checks import describe_subject
from xinyong.measures.models import Measure
from xinyong.measures.selectors import lists_reaching

pytestmark = pytest.mark.django_db
D = dt.date


def _measure(scenario, list_kinds, **fields):
    """A measure in ``scenario`` following from ``list_kinds``, on everyone unless said."""
    fields.setdefault("targets", EVERYONE)
    measure = MeasureFactory(list_kinds=list_kinds, **fields)
    measure.scenarios.add(scenario)
    return measure


def _procurement_client(department=None):
    """A department's system whose procurement measure follows from every kind of list."""
    department = department or DepartmentFactory(implementing=True)
    _measure(ScenarioFactory(), ListKind.values)
    return system_client(department, ["government_procurement"])


def _read_until_an_empty_page(api, limit):
    """What a client that stops at the first empty page sees."""
    seen, cursor = [], 0
    while True:
        page = api.get("/api/v1/changes", {"since": cursor, "limit": limit}).json()
        if not page["changes"]:
            return seen, page["next"]
        seen += [(c["kind"], c["entry_id"]) for c in page["changes"]]
        cursor = page["next"]


def _quiet_objections_then_an_exit(objections=2):
    """Objections on a list whose objections suspend nothing, then an exit of another entry."""
    quiet = ListEntryFactory(effective=True, list__objection_suspends_measures=False)
    for _ in range(objections):
        event(quiet, "object")
    leaving = ListEntryFactory(effective=True)
    event(leaving, "exit")
    return leaving


# An empty page means caught up (R11).


def test_a_page_reads_past_objections_that_suspend_nothing():
    leaving = _quiet_objections_then_an_exit()
    changes, cursor = changes_since(0, 2)
    assert [(c.kind, c.entry.pk) for c in changes] == [("ended", leaving.pk)]
    assert cursor == 3  # past both objections and the exit
    assert changes_since(cursor, 2) == ([], 3)


def test_a_client_that_stops_at_an_empty_page_sees_every_change():
    api = _procurement_client()
    leaving = _quiet_objections_then_an_exit()
    first = api.get("/api/v1/changes", {"since": 0, "limit": 2}).json()
    assert [(c["kind"], c["entry_id"]) for c in first["changes"]] == [("ended", leaving.pk)]
    assert first["next"] == 3
    later = ListEntryFactory(effective=True)
    event(later, "sign", from_state="awaiting_signature")
    _quiet_objections_then_an_exit(objections=3)
    event(ListEntryFactory(effective=True, list__objection_suspends_measures=False), "object")
    seen, cursor = _read_until_an_empty_page(api, limit=1)
    assert [kind for kind, _ in seen] == ["ended", "took_effect", "ended"]
    assert cursor == 9  # every item read, the last objection included


def test_a_full_page_stops_at_its_last_change():
    """The items after the page's last change are read by the next page, not passed over."""
    entries = [ListEntryFactory(effective=True) for _ in range(3)]
    for entry in entries:
        event(entry, "exit")
    changes, cursor = changes_since(0, 2)
    assert ([c.entry.pk for c in changes], cursor) == ([e.pk for e in entries[:2]], 2)
    assert [c.entry.pk for c in changes_since(cursor, 2)[0]] == [entries[2].pk]


def test_a_page_reads_past_many_skipped_items_in_batches(monkeypatch):
    """However many items are skipped, each read holds a batch of them; no query per item."""
    monkeypatch.setattr(feed_reads, "FEED_BATCH", 3)
    leaving = _quiet_objections_then_an_exit(objections=10)
    changes_since(0, 1)  # numbers the feed
    with CaptureQueriesContext(connection) as queries:
        changes, cursor = changes_since(0, 1)
    assert ([c.entry.pk for c in changes], cursor) == ([leaving.pk], 11)
    # Anything to number? The last numbered; then a first read of ``limit`` (1) item and
    # batches of 3.
    assert len(queries) == 1 + 1 + 1 + 4


# Only what the caller's measures follow from (R14).


def _key_attention_person_entry():
    entry = ListEntryFactory(
        effective=True, subject=SubjectFactory(natural_person=True),
        list=ListDefinitionFactory(kind=ListKind.KEY_ATTENTION),
    )  # fmt: skip
    event(entry, "sign", from_state="awaiting_signature")
    return entry


def test_a_token_whose_scenarios_have_no_measure_from_a_list_sees_none_of_its_changes():
    honours, procurement = ScenarioFactory(code="honours", name="评优评先"), ScenarioFactory()
    _measure(honours, [ListKind.RED], type=Measure.Type.REWARD)
    _measure(procurement, [ListKind.KEY_ATTENTION])  # not in a scenario the token names
    api = system_client(DepartmentFactory(implementing=True), ["honours"])
    _key_attention_person_entry()
    page = api.get("/api/v1/changes", {"since": 0}).json()
    assert page == {"changes": [], "next": 1}  # passed over, and not read again
    assert api.get("/api/v1/changes", {"since": 1}).json() == {"changes": [], "next": 1}


def test_a_token_with_a_measure_from_the_list_sees_its_changes():
    _measure(ScenarioFactory(), [ListKind.KEY_ATTENTION])
    api = system_client(DepartmentFactory(implementing=True), ["government_procurement"])
    entry = _key_attention_person_entry()
    red = ListEntryFactory(effective=True, list__kind=ListKind.RED)
    event(red, "sign", from_state="awaiting_signature")
    page = api.get("/api/v1/changes", {"since": 0}).json()
    assert [(c["entry_id"], c["subject"]) for c in page["changes"]] == [
        (entry.pk, describe_subject(entry.subject))  # a natural person, masked (R5)
    ]
    assert page["next"] == 2  # the red list's change passed over


def test_a_measure_limited_to_other_departments_does_not_count():
    mine, other = DepartmentFactory(implementing=True), DepartmentFactory(implementing=True)
    _measure(ScenarioFactory(), [ListKind.KEY_ATTENTION]).implementing_departments.add(other)
    _key_attention_person_entry()
    assert system_client(mine, ["government_procurement"]).get("/api/v1/changes").json() == {
        "changes": [], "next": 1,
    }  # fmt: skip
    theirs = system_client(other, ["government_procurement"]).get("/api/v1/changes").json()
    assert [c["kind"] for c in theirs["changes"]] == ["took_effect"]


def test_a_measure_limited_to_other_domains_does_not_count():
    entry = _key_attention_person_entry()
    elsewhere = ListDefinitionFactory().domain
    measure = _measure(ScenarioFactory(), [ListKind.KEY_ATTENTION])
    measure.domains.add(elsewhere)
    api = system_client(DepartmentFactory(implementing=True), ["government_procurement"])
    assert api.get("/api/v1/changes").json()["changes"] == []
    measure.domains.add(entry.list.domain)
    assert [c["entry_id"] for c in api.get("/api/v1/changes").json()["changes"]] == [entry.pk]


def test_after_the_measures_list_changes_reading_again_from_zero_replays_every_change():
    """What a department receives follows the measures list as it stands when it reads."""
    api = system_client(DepartmentFactory(implementing=True), ["government_procurement"])
    entry = _key_attention_person_entry()
    cursor = api.get("/api/v1/changes").json()["next"]
    assert api.get("/api/v1/changes", {"since": cursor}).json()["changes"] == []
    _measure(ScenarioFactory(), [ListKind.KEY_ATTENTION])
    assert api.get("/api/v1/changes", {"since": cursor}).json()["changes"] == []
    replay = api.get("/api/v1/changes", {"since": 0}).json()
    assert [c["entry_id"] for c in replay["changes"]] == [entry.pk]


def test_scoping_a_page_costs_the_same_however_many_items(django_assert_num_queries):
    """The lists come with the page's items and the measures index is cached: no query per
    item, however many lists and entries the page holds."""
    department = DepartmentFactory(implementing=True)
    _measure(ScenarioFactory(), [ListKind.BLACK])
    for kind in (ListKind.BLACK, ListKind.RED, ListKind.BLACK, ListKind.KEY_ATTENTION):
        for _ in range(3):
            event(ListEntryFactory(effective=True, list__kind=kind), "exit")
    reaches = lists_reaching(department.pk, ["government_procurement"])
    changes_since(0, 100)  # numbers the feed
    # Anything to number? The last numbered, the lists reached, then the page, and the roles
    # its organisations' entries name persons in, and named them in (``feed_targets``).
    with django_assert_num_queries(6):
        changes, cursor = changes_since(0, 100, reaches=reaches)
    assert (len(changes), cursor) == (6, 12)
    with django_assert_num_queries(2):  # the index is cached: its fingerprint, the scenarios
        lists_reaching(department.pk, ["government_procurement"])


def test_a_caller_that_reaches_a_rare_list_does_not_walk_the_others(monkeypatch):
    """The lists a caller reaches filter the feed in the database: many items of other lists
    cost no batch, and the page at the feed's end passes them all (R11, R14)."""
    monkeypatch.setattr(feed_reads, "FEED_BATCH", 3)
    department = DepartmentFactory(implementing=True)
    _measure(ScenarioFactory(), [ListKind.RED], type=Measure.Type.REWARD)
    for _ in range(20):
        event(ListEntryFactory(effective=True, list__kind=ListKind.BLACK), "exit")
    rare = ListEntryFactory(effective=True, list__kind=ListKind.RED)
    event(rare, "exit")
    for _ in range(5):
        event(ListEntryFactory(effective=True, list__kind=ListKind.BLACK), "exit")
    reaches = lists_reaching(department.pk, ["government_procurement"])
    changes_since(0, 1)  # numbers the feed
    with CaptureQueriesContext(connection) as queries:
        changes, cursor = changes_since(0, 1, reaches=reaches)
    assert ([c.entry.pk for c in changes], cursor) == ([rare.pk], 21)
    # Anything to number? The last numbered, the lists, the page and the roles it names.
    assert len(queries) == 6
    changes, cursor = changes_since(cursor, 1, reaches=reaches)
    assert (changes, cursor) == ([], 26)  # caught up, past every item it cannot see
    later = ListEntryFactory(effective=True, list__kind=ListKind.RED)
    event(later, "exit")
    assert [c.entry.pk for c in changes_since(cursor, 1, reaches=reaches)[0]] == [later.pk]
