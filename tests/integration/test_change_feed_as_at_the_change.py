"""Each item of the change feed tells the entry as it was at the change: a department replaying
the feed from an earlier cursor rebuilds each step as it happened (R11), not every step with the
entry's end, or its list's objection setting, as they stand today."""

from __future__ import annotations

import datetime as dt

import pytest

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
from xinyong.listings import feed, services
from xinyong.listings.feed_reads import changes_since
from xinyong.listings.models import ChangeFeedItem, ExitReason, ListKind
from xinyong.listings.tick import run_tick

pytestmark = pytest.mark.django_db
D = dt.date


def _steps(api, since=0):
    page = api.get("/api/v1/changes", {"since": since}).json()
    return [(c["kind"], c["entry_id"], c["valid_until"]) for c in page["changes"]], page["next"]


def _event(entry, action, from_state="effective"):
    return change_feeds.event(entry, action, from_state, day=D(2026, 6, 1))


def _monitoring_list(**fields):
    return ListDefinitionFactory(
        kind=ListKind.KEY_MONITORING, recognizing_department=DepartmentFactory(credit_office=True),
        **fields,
    )  # fmt: skip


def _black_entry(subject, last_day):
    """An effective black-list entry whose exit starts six months' key monitoring (R3)."""
    return ListEntryFactory(
        subject=subject, effective=True, valid_until=last_day,
        list=ListDefinitionFactory(kind=ListKind.BLACK, monitoring_months=6),
    )  # fmt: skip


def test_an_entry_signed_then_extended_keeps_its_first_end_in_the_first_item():
    """The officers' path: a monitoring entry signed for three months, then run on to a later end
    by the exit of the subject's black-list entry (R3, 002 §二十一)."""
    api = implementing_client()
    monitoring = _monitoring_list(validity_value=3, validity_unit="months")
    signer = OfficerFactory(department=monitoring.recognizing_department, signer=True).user
    live = ListEntryFactory(list=monitoring, awaiting_signature=True)
    with clock.frozen(D(2026, 10, 27)):
        services.sign_decision(live.pk, actor=signer)
    live.refresh_from_db()
    first_end = live.valid_until.isoformat()
    assert first_end < "2027-05-02"
    black = _black_entry(live.subject, D(2029, 10, 27))
    officer = OfficerFactory(department=black.list.recognizing_department).user
    with clock.frozen(D(2026, 11, 2)):
        services.exit_entry(black.pk, actor=officer, reason=ExitReason.REPAIRED)
    steps, _ = _steps(api)
    assert steps == [
        ("took_effect", live.pk, first_end),  # as signed, not the end the extension set
        ("extended", live.pk, "2027-05-02"),  # written within the exit, before its own event
        ("ended", black.pk, "2029-10-27"),
    ]


def test_the_daily_jobs_monitoring_then_its_extension_replay_as_they_happened():
    """The daily job's bulk path: a black-list expiry starts key monitoring, a later one runs it
    on; read after both, from the start, the first item keeps the first end."""
    api = implementing_client()
    _monitoring_list(validity_value=None)
    first = _black_entry(SubjectFactory(), D(2026, 10, 31))
    second = _black_entry(first.subject, D(2027, 1, 31))
    with clock.frozen(D(2026, 11, 2)):
        assert run_tick(D(2026, 11, 2)).monitoring_started == 1
    steps, after_first_run = _steps(api)
    monitored = first.consequences.get()
    assert steps == [
        ("ended", first.pk, "2026-10-31"),
        ("took_effect", monitored.pk, "2027-05-01"),
    ]
    with clock.frozen(D(2027, 2, 2)):
        assert run_tick(D(2027, 2, 2)).monitoring_extended == 1
    monitored.refresh_from_db()
    assert monitored.valid_until == D(2027, 8, 1)
    replayed, _ = _steps(api)  # a department that rebuilds its copy from the start
    assert replayed == [
        ("ended", first.pk, "2026-10-31"),
        ("took_effect", monitored.pk, "2027-05-01"),
        ("ended", second.pk, "2027-01-31"),
        ("extended", monitored.pk, "2027-08-01"),
    ]
    assert _steps(api, since=after_first_run)[0] == replayed[2:]


def test_an_objection_suspends_as_its_list_said_at_the_time():
    """A list that stops suspending measures on objections does not rewrite the objections
    already published; the conclusion of one that suspended still resumes them (R6)."""
    api = implementing_client()
    black = ListDefinitionFactory(kind=ListKind.BLACK, objection_suspends_measures=True)
    officer = OfficerFactory(department=black.recognizing_department, signer=True).user
    entry = ListEntryFactory(list=black, effective=True)
    with clock.frozen(D(2026, 11, 2)):
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")
    black.objection_suspends_measures = False
    black.save(update_fields=["objection_suspends_measures"])
    with clock.frozen(D(2026, 11, 9)):
        services.uphold_after_verification(entry.pk, actor=officer, finding="不成立")
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="再议")
        services.uphold_after_verification(entry.pk, actor=officer, finding="不成立")
    steps, _ = _steps(api)
    assert [kind for kind, *_ in steps] == ["suspended", "resumed"]  # the second suspends nothing


def test_reading_the_feed_costs_the_same_however_many_items(django_assert_num_queries):
    """What each item tells is on its row: no query per item."""
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    for n in range(2):
        _sign_and_extend(black, n)
    feed.assign_positions()
    with django_assert_num_queries(3):  # anything to number? the last numbered, the page
        assert len(changes_since(0, 100)[0]) == 4
    for n in range(2, 6):
        _sign_and_extend(black, n)
    feed.assign_positions()
    with django_assert_num_queries(3):
        assert len(changes_since(0, 100)[0]) == 12


def _sign_and_extend(black, n):
    entry = ListEntryFactory(list=black, effective=True, valid_until=D(2027, 1, 1))
    _event(entry, "sign", from_state="awaiting_signature")
    entry.valid_until = D(2028, 1, n + 1)
    entry.save(update_fields=["valid_until"])
    _event(entry, "extend")
    assert [i.valid_until for i in ChangeFeedItem.objects.filter(event__entry=entry)
            .order_by("event_id")] == [D(2027, 1, 1), D(2028, 1, n + 1)]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_items_written_before_they_kept_the_entry_are_filled_from_its_history():
    """The migration gives each earlier item the end its entry had before the next extension,
    as the extension events record it, and objections their list's setting as it stands."""
    from tests.migration_steps import migrate, migrate_to_latest

    extended = ListEntryFactory(effective=True, valid_until=D(2028, 1, 1))
    plain = ListEntryFactory(effective=True, valid_until=D(2029, 10, 27),
                             list__objection_suspends_measures=False)  # fmt: skip
    try:
        apps = migrate([("listings", "0012_entry_leniency")])
        event = apps.get_model("listings", "ListEntryEvent")

        def write(entry, action, data=None, from_state="effective"):
            return event.objects.create(
                entry_id=entry.pk, action=action, from_state=from_state, to_state="effective",
                business_date=D(2026, 10, 27), actor="test", data=data or {},
            ).pk  # fmt: skip

        signed = write(extended, "sign", from_state="awaiting_signature")
        objected = write(extended, "object")
        first = write(extended, "extend", {"valid_until_before": "2027-01-01",
                                           "valid_until": "2027-06-01"})  # fmt: skip
        upheld = write(extended, "uphold")
        second = write(extended, "extend", {"valid_until_before": "2027-06-01",
                                            "valid_until": "2028-01-01"})  # fmt: skip
        plain_signed = write(plain, "sign", from_state="awaiting_signature")
        plain_objected = write(plain, "object")
    finally:
        migrate_to_latest()
    kept = dict(ChangeFeedItem.objects.values_list("event_id", "valid_until"))
    assert [kept[pk] for pk in (signed, objected, first, upheld, second, plain_signed)] == [
        D(2027, 1, 1), D(2027, 1, 1), D(2027, 6, 1), D(2027, 6, 1), D(2028, 1, 1),
        D(2029, 10, 27),
    ]  # fmt: skip
    suspends = dict(ChangeFeedItem.objects.values_list("event_id", "objection_suspends"))
    assert (suspends[signed], suspends[objected], suspends[upheld]) == (None, True, True)
    assert suspends[plain_objected] is False
    # New items are written by the new trigger, with what they tell as at their change.
    _event(plain, "exit")
    assert ChangeFeedItem.objects.filter(valid_until__isnull=True).count() == 0
