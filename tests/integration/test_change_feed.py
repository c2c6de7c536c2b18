"""The change feed never passes over an event that commits late (R11: implementing departments
stay current from the feed alone, without polling every subject)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from tests import change_feeds
from tests.change_feeds import implementing_client
from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import feed, services, suspension
from xinyong.listings.feed_reads import changes_of_entries, changes_since
from xinyong.listings.models import ChangeFeedItem, ExitReason, ListEntryPerson, ListKind

pytestmark = pytest.mark.django_db
D = dt.date


def _event(entry, action="sign", from_state="awaiting_signature", **fields):
    return change_feeds.event(entry, action, from_state, **fields)


def test_an_event_with_a_lower_id_that_commits_late_comes_after_the_cursor():
    entry = ListEntryFactory(effective=True)
    later = _event(entry, id=500)
    changes, cursor = changes_since(0, 100)
    assert [position for position, *_ in changes] == [1] and cursor == 1
    # An event whose id was taken before 500 but whose transaction commits only now.
    _event(entry, id=300, action="exit", from_state="effective")
    changes, cursor = changes_since(cursor, 100)
    assert [(position, kind) for position, kind, *_ in changes] == [(2, "ended")]
    assert later.feed_item.position == 1


def test_only_events_that_change_what_applies_enter_the_feed():
    entry = ListEntryFactory(effective=True)
    _event(entry, action="notify", from_state="draft")
    _event(entry, action="object", from_state="in_publicity")  # a candidate's objection
    _event(entry, action="object", from_state="effective")
    assert ChangeFeedItem.objects.count() == 1


def test_an_objection_on_a_list_that_suspends_nothing_is_passed_over_with_the_cursor():
    quiet = ListEntryFactory(effective=True, list__objection_suspends_measures=False)
    _event(quiet, action="object", from_state="effective")
    changes, cursor = changes_since(0, 100)
    assert changes == [] and cursor == 1  # the next call does not read it again


def test_a_named_persons_objection_is_told_as_a_change_of_that_naming_only():
    """A person the entry names objecting to being named suspends that naming, not the
    organisation's measures (R6): a department hears it as ``naming_suspended`` with the person
    (masked), then ``naming_resumed``, never as the entry's own suspension (R11); so do a change
    of the list's setting under it, and a report's reading of the entry's history."""
    api = implementing_client()
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    person = SubjectFactory(natural_person=True, name="许本人")
    ListEntryPerson.objects.create(entry=entry, person=person, role="legal_representative")
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(D(2026, 10, 27)):
        services.record_objection(
            entry.pk, actor=officer, objector=person.name, grounds="已辞职", named_as="法定代表人",
            person=person,
        )  # fmt: skip
        entry.list.objection_suspends_measures = False
        entry.list.save()
        suspension.record_setting_changed(entry.list, actor=officer)
        services.uphold_after_verification(entry.pk, actor=officer, finding="不成立")
    feed = api.get("/api/v1/changes?since=0").json()["changes"]
    # Resumed once, by the change of the setting: the decision then resumes nothing more.
    assert [c["kind"] for c in feed] == ["naming_suspended", "naming_resumed"]
    for change in feed:
        assert change["subject"]["code"] == entry.subject.identifier
        assert change["person"]["name"] == "许某" and "*" in change["person"]["code"]
    day = D(2026, 10, 27)
    assert changes_of_entries([entry.pk], day, day, entry.subject_id) == []
    assert [kind for _, kind, _, _ in changes_of_entries([entry.pk], day, day, person.pk)] == [
        "naming_suspended", "naming_resumed"
    ]  # fmt: skip
    # The organisation's own objection is the entry's, as before.
    with clock.frozen(D(2026, 10, 28)):
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")
    assert len(changes_since(0, 100)[0]) == 2  # the list suspends nothing now
    entry.list.objection_suspends_measures = True
    entry.list.save()
    suspension.record_setting_changed(entry.list, actor=officer)
    last = changes_since(0, 100)[0][-1]
    assert (last.kind, last.person) == ("suspended", None)


def test_numbering_is_dense_and_in_commit_order_of_the_numbering():
    entry = ListEntryFactory(effective=True)
    for n in range(5):
        _event(entry, id=1000 - n)
    assert feed.assign_positions() == 5
    assert feed.assign_positions() == 0
    positions = ChangeFeedItem.objects.order_by("event_id").values_list("position", flat=True)
    assert list(positions) == [1, 2, 3, 4, 5]  # the waiting ones by id, within one numbering


def test_the_api_follows_the_feed_to_its_end(settings):
    api = implementing_client()
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    officer = OfficerFactory(department=black.recognizing_department, signer=True).user
    entries = [ListEntryFactory(list=black, awaiting_signature=True) for _ in range(3)]
    with clock.frozen(D(2026, 10, 27)):
        for entry in entries:
            services.sign_decision(entry.pk, actor=officer)
    seen, cursor = [], 0
    while True:
        page = api.get("/api/v1/changes", {"since": cursor, "limit": 2}).json()
        if not page["changes"]:
            break
        seen += [c["entry_id"] for c in page["changes"]]
        cursor = page["next"]
    assert seen == [e.pk for e in entries]
    with clock.frozen(D(2026, 10, 28)):
        services.exit_entry(entries[0].pk, actor=officer, reason=ExitReason.REPAIRED)
    assert [c["kind"] for c in api.get("/api/v1/changes", {"since": cursor}).json()["changes"]] == [
        "ended"
    ]


def test_a_cursor_beyond_the_feeds_end_is_refused_not_echoed():
    """A cursor the feed never handed out (kept across a database restore, or from another
    environment) is refused: answered as ``next``, it would pass over every later change up to
    it for good (R11). The feed's end itself is caught up, and a later change follows it."""
    api = implementing_client()
    _event(ListEntryFactory(effective=True), action="exit", from_state="effective")
    ahead = api.get("/api/v1/changes", {"since": 1000})
    assert (ahead.status_code, ahead.json()["code"]) == (422, "cursor-ahead")
    assert "since=0" in ahead.json()["message"]
    with pytest.raises(XinyongError):
        changes_since(2, 100)
    caught_up = api.get("/api/v1/changes", {"since": 1}).json()
    assert (caught_up["changes"], caught_up["next"]) == ([], 1)
    later = ListEntryFactory(effective=True)
    _event(later, action="exit", from_state="effective")
    page = api.get("/api/v1/changes", {"since": caught_up["next"]}).json()
    assert [(c["entry_id"], c["kind"]) for c in page["changes"]] == [(later.pk, "ended")]
    assert page["next"] == 2


@pytest.mark.django_db(transaction=True)
def test_a_transaction_open_while_the_feed_is_read_is_seen_after_it_commits(on_postgres):
    """Two connections on PostgreSQL: an event written first commits after a later one was read."""
    if not on_postgres:
        pytest.skip("needs concurrent writers: SQLite has one writer at a time")
    slow_entry, quick_entry = ListEntryFactory(effective=True), ListEntryFactory(effective=True)
    written, release = threading.Event(), threading.Event()

    def write_slowly():
        try:
            with transaction.atomic():
                _event(slow_entry)
                written.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=write_slowly)
    worker.start()
    assert written.wait(10)
    quick = _event(quick_entry)  # a higher event id, committed first
    first, cursor = changes_since(0, 100)
    release.set()
    worker.join(10)
    second, _ = changes_since(cursor, 100)
    assert [change.entry.pk for change in first] == [quick_entry.pk]
    assert [change.entry.pk for change in second] == [slow_entry.pk]
    assert quick.pk > second[0].entry.events.get().pk  # the late one had the lower id


@pytest.mark.django_db(transaction=True)
def test_the_first_audit_rows_written_at_once_number_the_chain_without_a_gap(on_postgres):
    if not on_postgres:
        pytest.skip("needs concurrent writers: SQLite has one writer at a time")
    from xinyong.audit import services as audit
    from xinyong.audit.models import AuditChainHead
    from xinyong.audit.selectors import verify_chain

    AuditChainHead.objects.all().delete()
    start = threading.Barrier(4)
    failures = []

    def write():
        try:
            start.wait(10)
            with transaction.atomic():
                audit.record(actor="test", action="test.write", obj=("test", 1))
        except Exception as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=write) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(20)
    assert failures == []
    assert AuditChainHead.objects.get(pk=1).length == 4
    assert verify_chain().ok


def test_a_backlog_is_numbered_in_one_statement_in_event_order():
    """After a day on which many entries ended: one UPDATE, not a statement per thousand."""
    from django.test.utils import CaptureQueriesContext

    entries = [ListEntryFactory(effective=True) for _ in range(5)]
    events = [_event(entry, id=900 - n, action="exit", from_state="effective")
              for n, entry in enumerate(entries)]  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        assert feed.assign_positions() == 5
    updates = [
        q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")
    ]
    assert len(updates) == 1
    numbered = ChangeFeedItem.objects.order_by("position").values_list("event_id", "position")
    assert list(numbered) == [
        (e.pk, n) for n, e in enumerate(sorted(events, key=lambda e: e.pk), 1)
    ]
    assert feed.assign_positions() == 0
    _event(entries[0], id=950, action="object", from_state="effective")
    assert feed.assign_positions() == 1
    assert ChangeFeedItem.objects.get(event_id=950).position == 6


def test_the_daily_job_numbers_the_changes_it_made():
    import io

    from django.core.management import call_command

    ListEntryFactory(effective=True, valid_until=D(2026, 10, 31), list__kind=ListKind.BLACK)
    out = io.StringIO()
    call_command("tick", "--date", "2026-11-02", stdout=out)
    assert "feed_numbered: 1" in out.getvalue()
    assert not feed.pending()


def _monitored_and_leaving_black_list(valid_until):
    """A subject monitored to 2027-03-01 whose black-list entry (6 months' monitoring after it)
    has its last day on ``valid_until``."""
    monitoring = ListDefinitionFactory(
        kind=ListKind.KEY_MONITORING, validity_value=None,
        recognizing_department=DepartmentFactory(credit_office=True),
    )  # fmt: skip
    live = ListEntryFactory(
        list=monitoring, effective=True, effective_on=D(2026, 6, 1), valid_until=D(2027, 3, 1)
    )
    black = ListEntryFactory(
        subject=live.subject, effective=True, valid_until=valid_until,
        list=ListDefinitionFactory(kind=ListKind.BLACK, monitoring_months=6),
    )  # fmt: skip
    return live, black


def test_the_daily_jobs_extension_of_key_monitoring_is_in_the_feed_once():
    """R3, R11: a department keeping the entry's end from the feed learns the new one."""
    from xinyong.listings.tick import run_tick

    api = implementing_client()
    live, black = _monitored_and_leaving_black_list(valid_until=D(2026, 10, 31))
    cursor = api.get("/api/v1/changes").json()["next"]  # the department's copy is current
    with clock.frozen(D(2026, 11, 3)):
        assert run_tick(D(2026, 11, 3)).monitoring_extended == 1
    changes = api.get("/api/v1/changes", {"since": cursor}).json()
    assert [(c["kind"], c["entry_id"], c["business_date"], c["valid_until"])
            for c in changes["changes"]] == [
        ("ended", black.pk, "2026-11-01", "2026-10-31"),
        # On the exit's day, as a daily run would have told it, not the late run's (R15).
        ("extended", live.pk, "2026-11-01", "2027-05-01"),
    ]  # fmt: skip
    with clock.frozen(D(2026, 11, 3)):
        assert run_tick(D(2026, 11, 3)).changed == 0  # a second run the same day
    assert api.get("/api/v1/changes", {"since": changes["next"]}).json()["changes"] == []
    assert ChangeFeedItem.objects.filter(event__action="extend").count() == 1


def test_an_officers_exit_that_extends_key_monitoring_is_in_the_feed():
    live, black = _monitored_and_leaving_black_list(valid_until=D(2029, 10, 27))
    officer = OfficerFactory(department=black.list.recognizing_department).user
    with clock.frozen(D(2026, 11, 2)):
        services.exit_entry(black.pk, actor=officer, reason=ExitReason.REPAIRED)
    changes, _ = changes_since(0, 100)
    assert sorted((c.kind, c.entry.pk, c.valid_until) for c in changes) == [
        ("ended", black.pk, D(2029, 10, 27)),
        ("extended", live.pk, D(2027, 5, 2)),
    ]  # written in one transaction: the extension as part of the exit


def test_the_api_schema_names_every_kind_of_change():
    api = implementing_client()
    schema = api.get("/api/v1/openapi.json").json()
    kind = schema["components"]["schemas"]["ChangeOut"]["properties"]["kind"]
    assert kind["enum"] == [
        "took_effect", "extended", "shortened", "ended", "suspended", "resumed",
        "naming_suspended", "naming_resumed", "naming_ended",
    ]  # fmt: skip
    assert "extended" in kind["description"] and "shortened" in kind["description"]


@pytest.mark.django_db(transaction=True)
def test_extensions_recorded_before_the_feed_took_them_are_numbered_after_what_was_read():
    from tests.migration_steps import migrate, migrate_to_latest

    live = ListEntryFactory(effective=True)
    try:
        apps = migrate([("listings", "0010_publicity_amended_announcement")])
        event = apps.get_model("listings", "ListEntryEvent")
        signed = event.objects.create(entry_id=live.pk, action="sign", from_state="x",
                                      to_state="effective", business_date=D(2026, 10, 27),
                                      actor="test")  # fmt: skip
        extended = event.objects.create(entry_id=live.pk, action="extend", from_state="effective",
                                        to_state="effective", business_date=D(2026, 11, 3),
                                        actor="test", data={})  # fmt: skip
        feed.assign_positions()  # the sign is read before the extension enters the feed
        assert not ChangeFeedItem.objects.filter(event_id=extended.pk).exists()
    finally:
        migrate_to_latest()
    changes, _ = changes_since(ChangeFeedItem.objects.get(event_id=signed.pk).position, 100)
    assert [(c.kind, c.entry.pk) for c in changes] == [("extended", live.pk)]
