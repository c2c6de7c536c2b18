"""A person an organisation's black-list entry names enters that black list for the cross-check
(R2, 000 §六; 002 §十六: the honours of a seriously dishonest enterprise's legal representative,
principals and directly responsible persons are revoked; DOMAIN §2, 落实到人).

Named at the signature, the person's red entries end at once as blacklisted, each exit citing
the organisation's entry; while the naming is in force the person cannot be proposed or signed
onto a red list. The naming removed on the person's founded objection, or the organisation's
listing found wrong, restores the red entries it ended, as a subject's own black listing found
wrong does; a naming removed, or a black entry ended, blocks no red candidacy any more. A person
the entry does not name keeps the red entry.
"""

import datetime as dt

import pytest

from tests.factories import (
    LinkedPersonFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.documents import NO_LONGER_REWARDED
from xinyong.listings.models import EntryState, ExitReason, ListEntryPerson, ListKind
from xinyong.listings.tick import run_tick
from xinyong.subjects.models import LinkedPerson

pytestmark = pytest.mark.django_db
D = dt.date
SIGNED = D(2026, 11, 2)
OBJECTED = D(2026, 11, 5)
FOUND = D(2026, 11, 16)


def red_entry(person, **fields):
    return ListEntryFactory(
        subject=person,
        list=ListDefinitionFactory(kind=ListKind.RED),
        **{"effective": True, **fields},
    )


def sign_black(organisation, kind=ListKind.BLACK, **of_list):
    """The organisation's entry on a list of ``kind``, signed on SIGNED; and its officer."""
    entry = ListEntryFactory(
        subject=organisation, list=ListDefinitionFactory(kind=kind, **of_list),
        awaiting_signature=True,
    )  # fmt: skip
    officer = OfficerFactory(department=entry.list.recognizing_department, signer=True).user
    with clock.frozen(SIGNED):
        services.sign_decision(entry.pk, actor=officer)
    entry.refresh_from_db()
    return entry, officer


def propose_red(person, day):
    red_list = ListDefinitionFactory(kind=ListKind.RED)
    officer = OfficerFactory(department=red_list.recognizing_department).user
    with clock.frozen(day):
        return services.propose_listing(
            actor=officer, list_definition=red_list, subject=person, facts="守信事实", basis="依据"
        )


@pytest.fixture
def link():
    return LinkedPersonFactory(organisation=SubjectFactory(name="杭州某某建设有限公司"))


def test_named_at_signing_ends_the_persons_red_entry(link):
    red = red_entry(link.person)
    black, _officer = sign_black(link.organisation)
    assert ListEntryPerson.objects.filter(entry=black, person=link.person).exists()
    red.refresh_from_db()
    assert (red.state, red.exit_reason, red.exited_on) == (
        EntryState.EXITED, ExitReason.BLACKLISTED, SIGNED,
    )  # fmt: skip
    event = red.events.get(action="exit")
    assert event.data["black_entry"] == black.pk
    assert link.organisation.name in event.reason
    assert black.decision_document_number in event.reason
    audited = AuditEntry.objects.filter(action="listing.exit", object_id=str(red.pk))
    assert audited.count() == 1
    assert link.organisation.name in audited.get().reason


@pytest.mark.parametrize("how", ["link ended", "another organisation", "key attention"])
def test_a_person_not_named_keeps_the_red_entry(link, how):
    red = red_entry(link.person)
    organisation = link.organisation
    kind = ListKind.BLACK
    if how == "link ended":
        LinkedPerson.objects.filter(pk=link.pk).update(until=D(2026, 1, 1))
    elif how == "another organisation":
        organisation = SubjectFactory()
    else:
        kind = ListKind.KEY_ATTENTION
    sign_black(organisation, kind=kind)
    red.refresh_from_db()
    assert red.state == EntryState.EFFECTIVE
    propose_red(link.person, SIGNED)  # nor is a red candidacy refused


def test_a_named_person_cannot_be_proposed_or_signed_red(link):
    waiting = ListEntryFactory(
        subject=link.person, list=ListDefinitionFactory(kind=ListKind.RED), awaiting_signature=True
    )
    sign_black(link.organisation)
    with pytest.raises(XinyongError) as refused:
        propose_red(link.person, SIGNED)
    assert (refused.value.code, refused.value.status) == ("red-candidate-blacklisted", 409)
    signer = OfficerFactory(department=waiting.list.recognizing_department, signer=True).user
    with clock.frozen(SIGNED), pytest.raises(XinyongError) as refused:
        services.sign_decision(waiting.pk, actor=signer)
    assert refused.value.code == "red-candidate-blacklisted"
    waiting.refresh_from_db()
    assert waiting.state == EntryState.AWAITING_SIGNATURE


def _naming_found_wrong(black, officer, person):
    with clock.frozen(OBJECTED):
        services.record_objection(
            black.pk, actor=officer, objector=person.name, grounds="本人已辞职",
            named_as="法定代表人", person=person,
        )  # fmt: skip
    with clock.frozen(FOUND):
        services.remove_naming_after_verification(black.pk, actor=officer, finding="属实")


def test_the_naming_removed_restores_the_red_entry_and_unblocks(link):
    red = red_entry(link.person)
    black, officer = sign_black(link.organisation)
    _naming_found_wrong(black, officer, link.person)
    red.refresh_from_db()
    assert (red.state, red.exit_reason, red.exited_on) == (EntryState.EFFECTIVE, "", None)
    event = red.events.order_by("-id").first()
    assert (event.action, event.data["black_entry"]) == ("reinstate", black.pk)
    assert AuditEntry.objects.filter(action="listing.reinstate", object_id=str(red.pk)).count() == 1
    black.refresh_from_db()
    assert black.state == EntryState.EFFECTIVE  # the organisation's listing stands
    # No public text tells the naming (R5): the exit said the reward's conditions were no
    # longer met, and the reinstatement corrects that; the person's letter tells the rest.
    exit_notice = red.announcements.get(kind=Announcement.Kind.EXIT)
    assert NO_LONGER_REWARDED in exit_notice.body and link.organisation.name not in exit_notice.body
    notice = red.announcements.get(kind=Announcement.Kind.CORRECTION)
    assert notice.title.startswith("关于恢复") and link.organisation.name not in notice.body
    letter = black.events.filter(action="unname").get().data["objection_result"]
    assert red.list.name in letter and "恢复列入" in letter
    propose_red(link.person, FOUND)


def test_the_organisations_listing_found_wrong_restores_the_persons_red_entry(link):
    red = red_entry(link.person)
    black, officer = sign_black(link.organisation)
    with clock.frozen(OBJECTED):
        services.record_objection(
            black.pk, actor=officer, objector=link.organisation.name, grounds="认定有误"
        )
    with clock.frozen(FOUND):
        services.exit_entry(black.pk, actor=officer, reason=ExitReason.CORRECTED, note="有误")
    red.refresh_from_db()
    assert red.state == EntryState.EFFECTIVE
    assert red.events.order_by("-id").first().data["black_entry"] == black.pk


def test_after_the_black_entry_ends_the_person_may_be_proposed_again(link):
    red = red_entry(link.person)
    black, _officer = sign_black(link.organisation, validity_value=10, validity_unit="days")
    after = black.valid_until + dt.timedelta(days=1)
    with clock.frozen(black.valid_until), pytest.raises(XinyongError):
        propose_red(link.person, black.valid_until)  # in force through its last day (R4)
    with clock.frozen(after):
        run_tick(after)
    black.refresh_from_db()
    assert black.state == EntryState.EXITED
    red.refresh_from_db()  # an exit by expiry restores nothing, as for the subject's own
    assert (red.state, red.exit_reason) == (EntryState.EXITED, ExitReason.BLACKLISTED)
    propose_red(link.person, after)
