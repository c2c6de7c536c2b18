"""A red entry ended as blacklisted is restored once every black listing that kept it out is
found wrong (R2, R4, R6; 000 §十一.3).

The subject on two black lists, its own or as a person two organisations' entries name, the red
entry's exit cites the first signed. The first found wrong, the exit stands (the other is in
force) and its notice is corrected; the second found wrong, the subject is on no black list and
the red entry is in force again, though its exit never cited the second. Where a black listing
ended by expiry or repair instead, nothing is restored.
"""

import datetime as dt

import pytest

from tests.factories import LinkedPersonFactory, SubjectFactory
from tests.integration.test_named_persons_leave_red_lists import (
    FOUND,
    OBJECTED,
    _naming_found_wrong,
    red_entry,
    sign_black,
)
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import EntryState, ExitReason, ListEntry

pytestmark = pytest.mark.django_db


def _listing_found_wrong(black, officer):
    with clock.frozen(OBJECTED):
        services.record_objection(
            black.pk, actor=officer, objector=black.subject.name, grounds="有误"
        )
    with clock.frozen(FOUND):
        services.exit_entry(black.pk, actor=officer, reason=ExitReason.CORRECTED, note="有误")


def _found_wrong(how, black, officer, person):
    if how == "naming":
        _naming_found_wrong(black, officer, person)
    else:
        _listing_found_wrong(black, officer)


def _two_organisations():
    first = LinkedPersonFactory(organisation=SubjectFactory(name="甲有限公司"))
    person = first.person
    second = LinkedPersonFactory(organisation=SubjectFactory(name="乙有限公司"), person=person)
    red = red_entry(person)
    return person, red, sign_black(first.organisation), sign_black(second.organisation)


def _assert_reinstated_once(red, black):
    red.refresh_from_db()
    assert (red.state, red.exit_reason, red.exited_on) == (EntryState.EFFECTIVE, "", None)
    reinstated = red.events.filter(action="reinstate")
    assert reinstated.count() == 1
    assert reinstated.get().data["black_entry"] == black.pk
    assert AuditEntry.objects.filter(action="listing.reinstate", object_id=str(red.pk)).count() == 1


@pytest.mark.parametrize("how", ["naming", "listing"])
def test_a_person_named_by_two_organisations_both_found_wrong(how):
    person, red, (b1, o1), (b2, o2) = _two_organisations()
    _found_wrong(how, b1, o1, person)
    red.refresh_from_db()
    assert (red.state, red.exit_reason) == (EntryState.EXITED, ExitReason.BLACKLISTED)
    assert red.events.filter(action="amend_exit").count() == 1
    _found_wrong(how, b2, o2, person)
    _assert_reinstated_once(red, b2)
    assert red.events.filter(action="amend_exit").count() == 1  # no second notice correction


def test_an_organisations_own_two_black_listings_both_found_wrong():
    organisation = SubjectFactory(name="戊有限公司")
    red = red_entry(organisation)
    b1, o1 = sign_black(organisation)
    b2, o2 = sign_black(organisation)
    _listing_found_wrong(b1, o1)
    red.refresh_from_db()
    assert red.state == EntryState.EXITED
    _listing_found_wrong(b2, o2)
    _assert_reinstated_once(red, b2)


@pytest.mark.parametrize("reason", [ExitReason.EXPIRED, ExitReason.REPAIRED])
def test_the_cited_listing_ended_by_expiry_or_repair_restores_nothing(reason):
    _person, red, (b1, _o1), (b2, o2) = _two_organisations()
    ListEntry.objects.filter(pk=b1.pk).update(
        state=EntryState.EXITED, exit_reason=reason, exited_on=OBJECTED
    )
    _listing_found_wrong(b2, o2)
    red.refresh_from_db()
    assert (red.state, red.exit_reason) == (EntryState.EXITED, ExitReason.BLACKLISTED)
    assert not red.events.filter(action__in=["reinstate", "amend_exit"]).exists()


@pytest.mark.parametrize("reason", [ExitReason.EXPIRED, ExitReason.REPAIRED])
def test_the_other_listing_ended_by_expiry_or_repair_keeps_it_out(reason):
    """The first found wrong while the second was in force, the second then ended by expiry or
    repair: a third found wrong does not restore what the second kept out."""
    person, red, (b1, o1), (b2, _o2) = _two_organisations()
    _listing_found_wrong(b1, o1)
    ListEntry.objects.filter(pk=b2.pk).update(
        state=EntryState.EXITED, exit_reason=reason, exited_on=FOUND + dt.timedelta(days=1)
    )
    third = LinkedPersonFactory(organisation=SubjectFactory(name="丙有限公司"), person=person)
    b3, o3 = sign_black(third.organisation)
    _listing_found_wrong(b3, o3)
    red.refresh_from_db()
    assert (red.state, red.exit_reason) == (EntryState.EXITED, ExitReason.BLACKLISTED)
    assert not red.events.filter(action="reinstate").exists()


def test_still_on_another_black_list_stays_out():
    person, red, (b1, o1), (b2, o2) = _two_organisations()
    third = LinkedPersonFactory(organisation=SubjectFactory(name="丙有限公司"), person=person)
    sign_black(third.organisation)
    _listing_found_wrong(b1, o1)
    _listing_found_wrong(b2, o2)
    red.refresh_from_db()
    assert (red.state, red.exit_reason) == (EntryState.EXITED, ExitReason.BLACKLISTED)
    assert not red.events.filter(action="reinstate").exists()
