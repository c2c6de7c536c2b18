"""The migration that keeps a named person's objection to being named on the naming moves the
objections open before it (R6, 004 §二(三)6): an effective entry's, or an ended one's, goes to
every row naming the person, with its deadline and provisional mark, and the entry's own
deadline is cleared; a candidacy keeps it, as a person's objection stops a candidacy still. The
change feed's trigger, which reads the entries' table SQLite rebuilds, works after it."""

import datetime as dt

import pytest

from tests.factories import ListEntryFactory, SubjectFactory
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.listings.models import ListEntryPerson

BEFORE = [("listings", "0029_feed_tells_namings_removed")]
AFTER = [("listings", "0030_naming_objections_on_the_naming")]
DUE = dt.date(2026, 11, 2)


@pytest.mark.django_db(transaction=True)
def test_open_objections_of_named_persons_move_onto_their_namings():
    try:
        person, other = (SubjectFactory(natural_person=True) for _ in range(2))
        effective = ListEntryFactory(effective=True)
        ended = ListEntryFactory(exited=True)
        candidate = ListEntryFactory(in_publicity=True)
        own = ListEntryFactory(effective=True)  # the subject's own objection
        for entry in (effective, ended, candidate, own):
            for named, role in ((person, "legal_representative"), (person, "principal"),
                                (other, "legal_representative")):  # fmt: skip
                ListEntryPerson.objects.create(entry=entry, person=named, role=role)
        apps = migrate(BEFORE)
        entries = apps.get_model("listings", "ListEntry").objects
        for entry in (effective, ended):
            entries.filter(pk=entry.pk).update(
                verification_due_on=DUE, verification_due_provisional=True, objecting_person=person
            )
        entries.filter(pk=candidate.pk).update(
            state="under_verification", verification_due_on=DUE, objecting_person=person
        )
        entries.filter(pk=own.pk).update(verification_due_on=DUE)
        apps = migrate(AFTER)
        entries = apps.get_model("listings", "ListEntry").objects
        namings = apps.get_model("listings", "ListEntryPerson").objects
        assert dict(entries.values_list("pk", "verification_due_on")) == {
            effective.pk: None, ended.pk: None, candidate.pk: DUE, own.pk: DUE,
        }  # fmt: skip
        moved = namings.filter(verification_due_on__isnull=False).order_by("pk")
        assert [
            (n.entry_id, n.person_id, n.role, n.verification_due_on, n.verification_due_provisional)
            for n in moved
        ] == [
            (effective.pk, person.pk, "legal_representative", DUE, True),
            (effective.pk, person.pk, "principal", DUE, True),
            (ended.pk, person.pk, "legal_representative", DUE, True),
            (ended.pk, person.pk, "principal", DUE, True),
        ]
        # The feed's trigger still takes what it took: a step on an effective entry enters it.
        events = apps.get_model("listings", "ListEntryEvent").objects
        items = apps.get_model("listings", "ChangeFeedItem").objects
        upheld = events.create(
            entry_id=effective.pk, action="uphold", from_state="effective",
            to_state="effective", business_date=dt.date(2026, 10, 20), actor="test",
            data={"objector_person": person.pk},
        )  # fmt: skip
        assert items.get(event_id=upheld.pk).objection_suspends is True
    finally:
        migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_going_back_puts_one_persons_objection_back_on_the_entry():
    try:
        person = SubjectFactory(natural_person=True)
        entry = ListEntryFactory(effective=True)
        ListEntryPerson.objects.create(
            entry=entry, person=person, role="legal_representative", verification_due_on=DUE
        )
        apps = migrate(BEFORE)
        found = apps.get_model("listings", "ListEntry").objects.get(pk=entry.pk)
        assert (found.verification_due_on, found.objecting_person_id) == (DUE, person.pk)
    finally:
        migrate_to_latest()
