"""A person's objection to being named left open once the listing itself was found wrong (R4,
R6, 000 §十一.3, 004 §二(三)6): the organisation's objection answered by an exit as corrected,
or by a ``correct`` step after an exit by expiry, already corrected the listing in public, with
the apology to the subject. The person's objection is then answered by an uphold or by removing
the naming, never by correcting the listing a second time (a second announcement, apology,
restoration); and its letter does not tell the person the listing stands.
"""

import datetime as dt

import pytest

from tests.factories import ListEntryFactory, OfficerFactory, SubjectFactory
from xinyong.core import clock
from xinyong.core.document_dates import written
from xinyong.core.errors import XinyongError
from xinyong.listings import services, workflow
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import (
    EntryState,
    ExitReason,
    ListEntry,
    ListEntryEvent,
    ListEntryPerson,
    ListKind,
)
from xinyong.listings.tick import run_tick

pytestmark = pytest.mark.django_db
D = dt.date
PERSON_DAY, ORG_DAY, FOUND_WRONG = D(2026, 11, 3), D(2026, 11, 4), D(2026, 11, 5)
LAST_DAY, EXPIRED, ANSWERED = D(2026, 11, 5), D(2026, 11, 6), D(2026, 11, 9)


@pytest.fixture
def person():
    return SubjectFactory(natural_person=True, name="许本人")


@pytest.fixture
def entry(person):
    """An organisation's effective black entry naming the person, valid through 11-05."""
    organisation = SubjectFactory(name="杭州某某科技有限公司")
    entry = ListEntryFactory(
        subject=organisation, effective=True, list__kind=ListKind.BLACK, valid_until=LAST_DAY
    )
    ListEntryPerson.objects.create(entry=entry, person=person, role="legal_representative")
    return entry


@pytest.fixture
def officer(entry):
    return OfficerFactory(department=entry.list.recognizing_department).user


def both_object(entry, officer, person):
    with clock.frozen(PERSON_DAY):
        services.record_objection(
            entry.pk, actor=officer, objector=person.name, grounds="本人已辞职",
            named_as="法定代表人", person=person,
        )  # fmt: skip
    with clock.frozen(ORG_DAY):
        services.record_objection(
            entry.pk, actor=officer, objector=entry.subject.name, grounds="处罚已撤销"
        )


@pytest.fixture(params=["exited-as-corrected", "corrected-after-expiry"])
def found_wrong(request, entry, officer, person):
    """Both objected; the listing found wrong on the organisation's objection, by an exit as
    corrected (11-05), or, the entry having expired meanwhile, by a ``correct`` step after its
    exit (11-06): (the entry, the day it was found wrong)."""
    both_object(entry, officer, person)
    day = FOUND_WRONG if request.param == "exited-as-corrected" else EXPIRED
    if request.param == "exited-as-corrected":
        with clock.frozen(FOUND_WRONG):
            services.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED, note="有误")
    else:
        with clock.frozen(EXPIRED):
            run_tick(EXPIRED)
            # Both open: the correction says it decides the organisation's (R6).
            services.correct_after_exit(
                entry.pk, actor=officer, finding="处罚已撤销", entry_objection=True
            )
    ended = ListEntry.objects.get(pk=entry.pk)
    assert ended.state == EntryState.EXITED and ended.verification_due_on is None
    assert [n.person_id for n in ended.naming_objections] == [person.pk]
    return ended, day


def offered(entry) -> set[workflow.Action]:
    entry = ListEntry.objects.get(pk=entry.pk)
    ctx = workflow.Context.of(entry, today=ANSWERED, actor_can_sign=False)
    return set(workflow.possible_actions(entry.state, ctx))


def test_the_listing_is_not_corrected_again(found_wrong, officer):
    """Neither offered nor taken: a second correction would announce it again, apologise to the
    subject again and run restoration and warnings again (R6, 000 §十一.3)."""
    entry, _day = found_wrong
    assert offered(entry) == {workflow.Action.UPHOLD, workflow.Action.UNNAME}
    announced = Announcement.objects.filter(entry=entry).count()
    steps = ListEntryEvent.objects.filter(entry=entry).count()
    with clock.frozen(ANSWERED), pytest.raises(XinyongError) as refused:
        services.correct_after_exit(entry.pk, actor=officer, finding="同上")
    assert (refused.value.code, refused.value.status) == ("listing-already-corrected", 409)
    assert Announcement.objects.filter(entry=entry).count() == announced
    assert ListEntryEvent.objects.filter(entry=entry).count() == steps


def test_the_naming_removed_after_the_correction_is_told_rightly(found_wrong, officer, person):
    """The person's letter says the listing was corrected and has ended, not that the decision
    to list the organisation is unaffected (000 §十一.3, 004 §二(三)6)."""
    entry, day = found_wrong
    with clock.frozen(ANSWERED):
        services.remove_naming_after_verification(entry.pk, actor=officer, finding="已辞职")
    letter = ListEntryEvent.objects.filter(entry=entry).latest("pk").data["objection_result"]
    assert "不受影响" not in letter
    assert "已将你从该名单记录所列人员（法定代表人）中移除" in letter
    assert f"{entry.subject.name}列入{entry.list.name}的认定已于{written(day)}予以更正" in letter
    assert "书面致歉" in letter
    assert not ListEntryPerson.objects.filter(entry=entry, person=person).exists()


def test_an_unfounded_objection_after_the_correction_maintains_nothing(found_wrong, officer):
    """Unfounded, the person is not told the listing is maintained: it was corrected (R6)."""
    entry, day = found_wrong
    with clock.frozen(ANSWERED):
        services.uphold_after_verification(entry.pk, actor=officer, finding="辞职晚于违法行为")
    letter = ListEntryEvent.objects.filter(entry=entry).latest("pk").data["objection_result"]
    assert "维持" not in letter
    assert "异议不成立" in letter
    assert f"{entry.subject.name}列入{entry.list.name}的认定已于{written(day)}予以更正" in letter


def test_a_persons_objection_alone_still_corrects_an_expired_listing(entry, officer, person):
    """With no finding yet, the person's objection open on the expired entry may still find the
    listing itself wrong, once (R6)."""
    with clock.frozen(PERSON_DAY):
        services.record_objection(
            entry.pk, actor=officer, objector=person.name, grounds="处罚已撤销",
            named_as="法定代表人", person=person,
        )  # fmt: skip
    with clock.frozen(EXPIRED):
        run_tick(EXPIRED)
    assert workflow.Action.CORRECT in offered(entry)
    with clock.frozen(ANSWERED):
        services.correct_after_exit(entry.pk, actor=officer, finding="处罚已撤销")
    assert workflow.Action.CORRECT not in offered(entry)
