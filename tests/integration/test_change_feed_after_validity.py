"""An entry whose last day of validity has passed has ended by expiry (R4), whether or not the
daily job has yet recorded it: the change feed never tells ``resumed`` or ``suspended`` of it
afterwards (R11), however its objection is concluded (R6) or its list's objection-suspension
setting is changed before the job runs.

An objection concluded then is concluded on the ended entry: its expiry is recorded first, in
the conclusion's transaction, as the daily job records it (the platform's step, dated the day
after the last day), and the objector is answered as on any exited entry. A change of the
setting no longer reaches it; the daily job records its exit."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.change_feeds import implementing_client
from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import services, suspension
from xinyong.listings.models import EntryState, ExitReason, ListEntryPerson, ListKind
from xinyong.listings.tick import run_tick

pytestmark = pytest.mark.django_db
D = dt.date
LAST_DAY = D(2026, 11, 3)
OBJECTED = D(2026, 11, 2)
CONCLUDED = D(2026, 11, 5)  # the daily job has not run since the last day


def _changes(entry):
    page = implementing_client().get("/api/v1/changes", {"since": 0}).json()
    return [(c["kind"], c["business_date"]) for c in page["changes"] if c["entry_id"] == entry.pk]


def _objected(definition=None, *, valid_until=LAST_DAY, person=False):
    """A black entry in force through ``valid_until`` naming a person, under an objection recorded
    on OBJECTED: its own, or (``person``) the named person's to being named; and a signer. Its
    list, new unless given, suspends measures during objections."""
    if definition is None:
        definition = ListDefinitionFactory(kind=ListKind.BLACK, objection_suspends_measures=True)
    entry = ListEntryFactory(list=definition, effective=True, valid_until=valid_until)
    named = SubjectFactory(natural_person=True, name="许本人")
    ListEntryPerson.objects.create(entry=entry, person=named, role="legal_representative")
    officer = OfficerFactory(department=definition.recognizing_department, signer=True).user
    with clock.frozen(OBJECTED):
        if person:
            services.record_objection(
                entry.pk, actor=officer, objector=named.name, grounds="本人已离任",
                named_as="法定代表人", person=named,
            )  # fmt: skip
        else:
            services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")
    entry.refresh_from_db()
    return entry, named, officer


def _assert_expired_on_its_day(entry):
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.EXPIRED)
    assert entry.exited_on == LAST_DAY + dt.timedelta(days=1)
    exit_event = entry.events.get(action="exit")
    assert (exit_event.actor, exit_event.from_state) == ("system", EntryState.EFFECTIVE)


def test_an_objection_upheld_after_the_last_day_tells_the_end_not_a_resumption():
    entry, _, officer = _objected()
    with clock.frozen(CONCLUDED):
        services.uphold_after_verification(
            entry.pk, actor=officer, finding="异议不成立", version=entry.version
        )
    _assert_expired_on_its_day(entry)
    assert entry.verification_due_on is None
    # The expiry first, the platform's; then the conclusion, the officer's, on the ended entry.
    exit_event, upheld = entry.events.filter(action__in=["exit", "uphold"]).order_by("id")
    assert (exit_event.action, upheld.action) == ("exit", "uphold")
    assert (upheld.from_state, upheld.to_state) == (EntryState.EXITED, EntryState.EXITED)
    assert upheld.actor != "system"
    # The objector is told the entry has left the list, not that its measures resume.
    letter = upheld.data["objection_result"]
    assert "2026年11月4日移出名单" in letter and "恢复实施" not in letter
    audit = list(
        AuditEntry.objects.filter(object_id=str(entry.pk), action__startswith="listing.")
        .order_by("id")
        .values_list("action", "actor")
    )
    assert [action for action, _ in audit[-2:]] == ["listing.exit", "listing.uphold"]
    assert audit[-2][1] == "system"
    told = [("suspended", "2026-11-02"), ("ended", "2026-11-04")]
    assert _changes(entry) == told
    with clock.frozen(CONCLUDED):
        assert run_tick(CONCLUDED).expired == 0  # nothing left for the job to record
    assert _changes(entry) == told


def test_on_the_last_day_itself_an_objection_upheld_resumes_the_measures():
    entry, _, officer = _objected()
    with clock.frozen(LAST_DAY):
        services.uphold_after_verification(entry.pk, actor=officer, finding="异议不成立")
        run_tick(LAST_DAY)
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    assert _changes(entry) == [("suspended", "2026-11-02"), ("resumed", "2026-11-03")]


def test_a_stale_version_is_refused_and_records_no_expiry():
    entry, _, officer = _objected()
    with clock.frozen(CONCLUDED), pytest.raises(XinyongError) as refused:
        services.uphold_after_verification(
            entry.pk, actor=officer, finding="异议不成立", version=entry.version - 1
        )
    assert refused.value.code == "version-conflict"
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    assert not entry.events.filter(action="exit").exists()


def test_a_named_persons_objection_upheld_after_the_last_day_resumes_no_naming():
    entry, named, officer = _objected(person=True)
    with clock.frozen(CONCLUDED):
        services.uphold_after_verification(entry.pk, actor=officer, finding="不成立", person=named)
        run_tick(CONCLUDED)
    _assert_expired_on_its_day(entry)
    assert not ListEntryPerson.objects.filter(
        entry=entry, verification_due_on__isnull=False
    ).exists()
    assert _changes(entry) == [("naming_suspended", "2026-11-02"), ("ended", "2026-11-04")]


def test_a_naming_removed_after_the_last_day_is_removed_from_the_ended_entry():
    entry, named, officer = _objected(person=True)
    with clock.frozen(CONCLUDED):
        services.remove_naming_after_verification(
            entry.pk, actor=officer, finding="已离任", person=named
        )
    _assert_expired_on_its_day(entry)
    assert not ListEntryPerson.objects.filter(entry=entry, person=named).exists()
    unnamed = entry.events.get(action="unname")
    assert unnamed.from_state == EntryState.EXITED
    assert _changes(entry) == [("naming_suspended", "2026-11-02"), ("ended", "2026-11-04")]


@pytest.mark.parametrize("suspends", [True, False])
def test_the_setting_changed_after_the_last_day_reaches_only_entries_in_force(suspends):
    """Switched off, the ended entry's measures do not resume; switched on, they are not
    suspended: they stopped the day after its last day (R4). An entry of the list still in
    force is reached as before, and the daily job then tells the ended one's exit."""
    definition = ListDefinitionFactory(kind=ListKind.BLACK, objection_suspends_measures=suspends)
    entry, _, officer = _objected(definition)
    in_force, _, _ = _objected(definition, valid_until=D(2027, 11, 3))
    before = _changes(entry)
    with clock.frozen(CONCLUDED):
        definition.objection_suspends_measures = not suspends
        definition.save(update_fields=["objection_suspends_measures"])
        assert suspension.record_setting_changed(definition, actor=officer) == 1
    assert not entry.events.filter(action="suspension").exists()
    assert in_force.events.get(action="suspension").data == {"suspends": not suspends}
    assert _changes(entry) == before
    with clock.frozen(CONCLUDED):
        run_tick(CONCLUDED)
    assert _changes(entry) == [*before, ("ended", "2026-11-04")]
    kind = "suspended" if not suspends else "resumed"
    assert _changes(in_force)[-1] == (kind, "2026-11-05")
