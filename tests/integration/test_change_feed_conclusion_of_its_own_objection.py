"""A conclusion resumes, in the change feed, what its own objection suspended (R6, R11).

The entry's own objection and a named person's objection to being named are verified side by
side (R6, 004 §二(三)6). A conclusion tells ``resumed`` (or ``naming_resumed``) when the list
suspends measures at the conclusion, or when the feed's last word on the objection it decides
was that they were suspended: the objection itself, or a later change of the list's setting or
reinstatement under it. That last word is the objection's own, never another objection's of
the same entry, which may say otherwise.

Here the last words differ: the first objection suspended the red entry's measures while the
list said so; the entry then ended as blacklisted, the list stopped suspending while it was
ended (no step on an ended entry), and the blacklisting was found wrong, so the entry was put
back in force with nothing suspended (``listings.suspension``). The second objection, recorded
then, suspends nothing. Concluding the first must still end the suspension the feed told.
"""

import datetime as dt

import pytest
from django.db import transaction

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.core import clock
from xinyong.listings import feed_reads, services, suspension
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListEntryPerson, ListKind
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
D = dt.date
FIRST_OBJECTED = D(2026, 11, 1)
SIGNED = D(2026, 11, 2)  # the black listing takes effect: the red entry ends (R2)
SETTING_CHANGED = D(2026, 11, 4)
BLACK_OBJECTED = D(2026, 11, 5)
FOUND_WRONG = D(2026, 11, 16)  # the black listing found wrong: the red entry is back in force
SECOND_OBJECTED = D(2026, 11, 17)
CONCLUDED = D(2026, 11, 18)


def red_entry_naming_a_person():
    """An organisation's red entry in force, on a list whose objections suspend measures, naming
    a person; and a signing officer of its department."""
    red_list = ListDefinitionFactory(kind=ListKind.RED, objection_suspends_measures=True)
    entry = ListEntryFactory(subject=SubjectFactory(), list=red_list, effective=True)
    person = SubjectFactory(natural_person=True, name="许本人")
    ListEntryPerson.objects.create(entry=entry, person=person, role="legal_representative")
    officer = OfficerFactory(department=red_list.recognizing_department, signer=True).user
    return entry, person, officer


def objects(red, officer, person, whose, day):
    """The objection of ``whose``: the entry's own, or the person's to being named."""
    with clock.frozen(day):
        if whose == "entry":
            services.record_objection(
                red.pk, actor=officer, objector=red.subject.name, grounds="表彰已撤销"
            )
        else:
            services.record_objection(
                red.pk, actor=officer, objector=person.name, grounds="本人已离任",
                named_as="法定代表人", person=person,
            )  # fmt: skip


def blacklisted(subject):
    """A black listing of ``subject`` signed on SIGNED, ending its red entries (R2); answers a
    step that finds it wrong on FOUND_WRONG while in force, restoring them (R6, 000 §十一.3)."""
    black = ListEntryFactory(
        subject=subject, list=ListDefinitionFactory(kind=ListKind.BLACK), awaiting_signature=True
    )
    officer = OfficerFactory(department=black.list.recognizing_department, signer=True).user
    with clock.frozen(SIGNED):
        services.sign_decision(black.pk, actor=officer)
    with clock.frozen(BLACK_OBJECTED):
        services.record_objection(black.pk, actor=officer, objector=subject.name, grounds="有误")

    def found_wrong():
        with clock.frozen(FOUND_WRONG):
            services.exit_entry(black.pk, actor=officer, reason=ExitReason.CORRECTED, note="有误")

    return found_wrong


def told(red):
    changes, _ = feed_reads.changes_since(0, 1000)
    return [(c.kind, c.person_id, c.business_date) for c in changes if c.entry.pk == red.pk]


def concluded_first(first: str) -> tuple[ListEntry, Subject, list]:
    """The story of the module, the ``first`` objection (``entry`` or ``person``) concluded
    first: the red entry, the person, and what the feed tells of the entry."""
    red, person, officer = red_entry_naming_a_person()
    second = "person" if first == "entry" else "entry"
    objects(red, officer, person, first, FIRST_OBJECTED)
    found_wrong = blacklisted(red.subject)
    assert ListEntry.objects.get(pk=red.pk).state == EntryState.EXITED
    red_list = red.list
    with clock.frozen(SETTING_CHANGED), transaction.atomic():  # as the admin saves it
        suspension.before_the_change()
        red_list.objection_suspends_measures = False
        red_list.save()
        assert suspension.record_setting_changed(red_list, actor=officer) == 0  # it had ended
    found_wrong()
    red.refresh_from_db()
    assert red.state == EntryState.EFFECTIVE
    objects(red, officer, person, second, SECOND_OBJECTED)
    which = {"entry_objection": True} if first == "entry" else {"person": person}
    with clock.frozen(CONCLUDED):
        services.uphold_after_verification(red.pk, actor=officer, finding="核实无误", **which)
    after_first = told(red)
    # The second objection suspended nothing: its conclusion tells nothing either.
    other = {"person": person} if first == "entry" else {"entry_objection": True}
    with clock.frozen(CONCLUDED):
        services.uphold_after_verification(red.pk, actor=officer, finding="核实无误", **other)
    assert told(red) == after_first
    return red, person, after_first


def expected(first: str, person: Subject) -> list:
    own = None if first == "entry" else person.pk
    kind = "" if first == "entry" else "naming_"
    return [
        (f"{kind}suspended", own, FIRST_OBJECTED),
        ("ended", None, SIGNED),
        ("took_effect", None, FOUND_WRONG),
        (f"{kind}resumed", own, CONCLUDED),
    ]


@pytest.mark.parametrize("first", ["entry", "person"])
def test_the_conclusion_ends_the_suspension_its_own_objection_told(first):
    _red, person, after_first = concluded_first(first)
    assert after_first == expected(first, person)


@pytest.mark.django_db(transaction=True)
def test_the_trigger_reads_its_own_objection_after_a_step_back_and_forth():
    """Migrating back before the trigger that reads the objection's own last word, and forward
    again, leaves the trigger as it is defined now (and the test database, built by
    ``migrate``, has it on SQLite too: ``feed_trigger``)."""
    try:
        migrate([("listings", "0030_naming_objections_on_the_naming")])
    finally:
        migrate_to_latest()
    _red, person, after_first = concluded_first("person")
    assert after_first == expected("person", person)
