"""What a named person's objection to being named holds back besides its own naming (R3, R4,
R6, 004 §二(三)6), where the entry's own objection does.

- An exit at the subject's request (R4, 000 §十.2) waits for every objection being verified,
  the entry's own and a person's alike (``workflow.ENDS_AN_OBJECTION_UNANSWERED``): a person's
  objection may find the listing itself wrong, and the entry then ends as corrected, announced
  as such with the apology owed, not as left at the subject's request. The department's
  worklist asks for the finding first, and the entry's page and the subject's own page say the
  exit waits for it.
- The platform's correction of ended key monitoring whose black listing was found wrong (R3,
  ``escalation.left_to_correct``) is left to the department's finding on the monitoring's own
  objection, which answers the listing itself; a person's objection to being named disputes a
  naming only, holds nothing back, and is answered after the correction by an uphold or by
  removing the naming, its letter saying the listing was corrected.
"""

import datetime as dt

import pytest

from tests import red_list_exits as shared
from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from tests.red_list_exits import ASKED, exit_entry, officer_of, red_entry
from tests.subject_remedies import logged_in
from tests.ticks import tick
from xinyong.core import clock
from xinyong.core.document_dates import written
from xinyong.core.errors import XinyongError
from xinyong.listings import selectors, services
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListEntryPerson, ListKind
from xinyong.remedies import red_list_exits
from xinyong.remedies.models import ExitRequestState

pytestmark = pytest.mark.django_db
D = dt.date
me, account, red_list = shared.me, shared.account, shared.red_list
PERSON_OBJECTED = D(2026, 11, 13)


@pytest.fixture
def person():
    return SubjectFactory(natural_person=True, name="许本人")


def person_objects(entry, officer, person, day):
    with clock.frozen(day):
        services.record_objection(
            entry.pk, actor=officer, objector=person.name, grounds="本人已离任",
            named_as="法定代表人", person=person,
        )  # fmt: skip


def test_an_exit_on_request_waits_for_a_persons_objection_to_being_named(
    me, account, red_list, person
):
    entry = red_entry(me, red_list)
    ListEntryPerson.objects.create(entry=entry, person=person, role="legal_representative")
    officer = officer_of(entry)
    person_objects(entry, officer, person, PERSON_OBJECTED)
    with clock.frozen(ASKED):
        request = red_list_exits.request_red_list_exit(entry.pk, actor=account, statement="")
    with pytest.raises(XinyongError) as refused:
        exit_entry(entry, ExitReason.REQUESTED, day=ASKED)
    assert refused.value.code == "objection-pending"
    with clock.frozen(ASKED):
        [item] = selectors.worklist(officer, ASKED)
        counts = selectors.worklist_counts(officer)
        page = logged_in(officer).get(f"/office/entries/{entry.pk}/").content.decode()
        mine = logged_in(account).get("/my/").content.decode()
    assert (item.task, item.due_on) == ("verify", D(2026, 12, 3))
    assert counts == {"verify": 1}
    assert "该名单记录有异议正在核实：请先办结异议，再应当事人申请将其移出。" in page
    assert "该名单记录有异议正在核实：认定部门先办结异议，再应您的申请将其移出。" in mine
    # Decided, the exit on the request is the task, and is taken.
    with clock.frozen(ASKED):
        services.uphold_after_verification(entry.pk, actor=officer, finding="离任晚于获评")
        [item] = selectors.worklist(officer, ASKED)
    assert item.task == "exit_on_request"
    exit_entry(entry, ExitReason.REQUESTED)
    request.refresh_from_db()
    assert (entry.state, request.state) == (EntryState.EXITED, ExitRequestState.DONE)


# A black entry objected to on 11-02 ends by expiry on 11-11, which starts a month of key
# monitoring (11-11 to 12-11), which ends by expiry on 12-12; the black listing is found wrong
# on 12-15. A person the monitoring names objects to being named on 12-01.
OBJECTED, LAST_DAY, EXITED_BLACK = D(2026, 11, 2), D(2026, 11, 10), D(2026, 11, 11)
MONITORING_OBJECTED, MONITORING_ENDED = D(2026, 12, 1), D(2026, 12, 12)
FOUND_WRONG, ANSWERED = D(2026, 12, 15), D(2026, 12, 18)


def monitoring_naming(person):
    """The key monitoring that the black entry's expiry started (R3), naming ``person``, who
    objects to being named on 12-01: (the monitoring, the black entry and an officer of each
    department)."""
    monitoring = ListDefinitionFactory(
        kind=ListKind.KEY_MONITORING, validity_value=None,
        recognizing_department=DepartmentFactory(credit_office=True),
    )  # fmt: skip
    subject = SubjectFactory()
    black = ListEntryFactory(
        subject=subject, list=ListDefinitionFactory(kind=ListKind.BLACK, monitoring_months=1),
        effective=True, valid_until=LAST_DAY,
    )  # fmt: skip
    black_officer = OfficerFactory(department=black.list.recognizing_department).user
    with clock.frozen(OBJECTED):
        services.record_objection(
            black.pk, actor=black_officer, objector=subject.name, grounds="认定事实错误"
        )
    tick(EXITED_BLACK)
    monitored = ListEntry.objects.get(list=monitoring, origin=black)
    ListEntryPerson.objects.create(entry=monitored, person=person, role="legal_representative")
    office = OfficerFactory(department=monitoring.recognizing_department).user
    person_objects(monitored, office, person, MONITORING_OBJECTED)
    return monitored, office, black, black_officer


def black_found_wrong(black, black_officer):
    """The monitoring ends by expiry on 12-12, and the black listing is found wrong on 12-15."""
    tick(MONITORING_ENDED)
    with clock.frozen(FOUND_WRONG):
        services.correct_after_exit(black.pk, actor=black_officer, finding="认定有误")


def test_a_persons_objection_to_being_named_leaves_ended_key_monitoring_to_the_platform(person):
    monitored, office, black, black_officer = monitoring_naming(person)
    black_found_wrong(black, black_officer)
    monitored.refresh_from_db()
    assert (monitored.state, monitored.exit_reason) == (EntryState.EXITED, ExitReason.EXPIRED)
    correction = monitored.events.get(action="correct")
    assert correction.data["found_wrong"] == black.pk
    assert "objection_result" not in correction.data  # the person's is not answered by it
    assert [n.person_id for n in monitored.naming_objections] == [person.pk]
    with clock.frozen(ANSWERED):
        services.remove_naming_after_verification(monitored.pk, actor=office, finding="已离任")
    letter = monitored.events.get(action="unname").data["objection_result"]
    assert f"列入{monitored.list.name}的认定已于{written(FOUND_WRONG)}予以更正" in letter
    assert ListEntry.objects.get(pk=monitored.pk).naming_objections == []


def test_the_monitorings_own_objection_holds_the_correction_for_its_finding(person):
    """Beside the person's, the monitoring's own objection is open: the platform leaves the
    correction to the department's finding on it (R6), and an unfounded one corrects it then
    (``exits.correct_monitoring_left_to_its_objection``); the person's, upheld first, does
    not."""
    monitored, office, black, black_officer = monitoring_naming(person)
    with clock.frozen(MONITORING_OBJECTED):
        services.record_objection(
            monitored.pk, actor=office, objector=monitored.subject.name, grounds="不应重点监测"
        )
    black_found_wrong(black, black_officer)
    assert not monitored.events.filter(action="correct").exists()
    with clock.frozen(ANSWERED):
        services.uphold_after_verification(
            monitored.pk, actor=office, finding="监测无误", person=person
        )
    assert not monitored.events.filter(action="correct").exists()
    with clock.frozen(ANSWERED):
        services.uphold_after_verification(
            monitored.pk, actor=office, finding="监测无误", entry_objection=True
        )
    assert monitored.events.get(action="correct").data["found_wrong"] == black.pk
