"""A measure reaching a named person, reported applied while either of two objections is open
(R6, R11): the organisation's own objection suspends what its entry brings on everyone it
reaches, the person's objection to being named what reaches that person; the measure is
suspended while either is verified, whichever is concluded first (002 §二十七: 联合惩戒措施在
信息核实期间暂不执行; 004 §二(三)6).
"""

import datetime as dt

import pytest

from tests.check_clients import check
from tests.factories import ListEntryFactory, OfficerFactory, SubjectFactory
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import ListEntry, ListEntryPerson, ListKind

pytestmark = pytest.mark.django_db
D = dt.date
CHECKED, FIRST, SECOND, DECIDED = D(2026, 11, 2), D(2026, 11, 3), D(2026, 11, 4), D(2026, 11, 5)
REPORTED = D(2026, 11, 9)


@pytest.fixture
def named(measures):
    """(entry, person, officer): an organisation's effective black-list entry naming the
    person as its legal representative, which brings ``bar-representative`` on the person."""
    organisation = SubjectFactory(name="杭州某某科技有限公司")
    person = SubjectFactory(natural_person=True, name="许本人")
    entry = ListEntryFactory(subject=organisation, effective=True, list__kind=ListKind.BLACK)
    ListEntryPerson.objects.create(entry=entry, person=person, role="legal_representative")
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    return entry, person, officer


def person_objects(entry, officer, person, day):
    with clock.frozen(day):
        services.record_objection(
            entry.pk, actor=officer, objector=person.name, grounds="本人已辞职",
            named_as="法定代表人", person=person,
        )  # fmt: skip


def organisation_objects(entry, officer, day):
    with clock.frozen(day):
        services.record_objection(
            entry.pk, actor=officer, objector=entry.subject.name, grounds="处罚已撤销"
        )


def uphold(entry, officer, day, **which):
    with clock.frozen(day):
        services.uphold_after_verification(entry.pk, actor=officer, finding="核实无误", **which)


def checked(api, person, day=CHECKED) -> str:
    with clock.frozen(day):
        body = check(api, subject=person.reveal_identifier(), scenario="government_procurement")
    assert [m["suspended"] for m in body.json()["measures"]] == [False]
    return body.json()["check_id"]


def report(api, check_id, start, end=None, today=REPORTED):
    applied = {"measure": "bar-representative", "applied": True, "reason": "",
               "start": start.isoformat(), "end": end.isoformat() if end else None}  # fmt: skip
    with clock.frozen(today):
        return api.post(
            f"/api/v1/checks/{check_id}/feedback",
            {"business_reference": f"CG-{start}", "measures": [applied]},
            content_type="application/json",
        )


def test_the_persons_objection_still_suspends_once_the_organisations_is_upheld(api, named):
    """The person objects first, the organisation next; the organisation's objection upheld
    resumes the entry's own measures, not the one reaching the person, whose objection to being
    named is still verified: applied on a day since is refused (R6)."""
    entry, person, officer = named
    check_id = checked(api, person)
    person_objects(entry, officer, person, FIRST)
    organisation_objects(entry, officer, SECOND)
    uphold(entry, officer, DECIDED, entry_objection=True)
    assert ListEntry.objects.get(pk=entry.pk).is_suspended_for(person.pk)
    answer = report(api, check_id, D(2026, 11, 6))
    assert answer.status_code == 422
    assert answer.json()["code"] == "measure-suspended-by-objection"


def test_the_organisations_objection_still_suspends_once_the_persons_is_upheld(api, named):
    """The mirror: the organisation objects first, the person next, and the person's objection
    upheld leaves the organisation's open, which suspends the measure on everyone (R6)."""
    entry, person, officer = named
    check_id = checked(api, person)
    organisation_objects(entry, officer, FIRST)
    person_objects(entry, officer, person, SECOND)
    uphold(entry, officer, DECIDED, person=person)
    assert ListEntry.objects.get(pk=entry.pk).is_suspended_for(person.pk)
    answer = report(api, check_id, D(2026, 11, 6))
    assert answer.status_code == 422
    assert answer.json()["code"] == "measure-suspended-by-objection"


def test_a_period_through_the_first_conclusion_is_broken_where_either_was_open(api, named):
    """A period that ran before the objections ends the day before the first of them; one said
    to run on past the first conclusion, while the other was still open, is refused (R6)."""
    entry, person, officer = named
    check_id = checked(api, person)
    person_objects(entry, officer, person, FIRST)
    organisation_objects(entry, officer, SECOND)
    uphold(entry, officer, DECIDED, entry_objection=True)
    answer = report(api, check_id, CHECKED, end=D(2026, 11, 7))
    assert answer.status_code == 422
    assert answer.json()["code"] == "measure-period-not-in-force"
    assert answer.json()["measures"][0]["not_carried_on"] == FIRST.isoformat()


def test_applied_once_both_objections_are_concluded(api, named):
    """Both upheld, each on its own day: the measure applies again from the day after the
    later conclusion, and a report of it applied from then is taken (R6, R11)."""
    entry, person, officer = named
    check_id = checked(api, person)
    person_objects(entry, officer, person, FIRST)
    organisation_objects(entry, officer, SECOND)
    uphold(entry, officer, DECIDED, entry_objection=True)
    uphold(entry, officer, D(2026, 11, 6), person=person)
    assert not ListEntry.objects.get(pk=entry.pk).is_suspended_for(person.pk)
    assert report(api, check_id, D(2026, 11, 6), end=D(2026, 11, 8)).status_code == 201
