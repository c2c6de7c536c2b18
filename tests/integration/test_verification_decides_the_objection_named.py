"""Every conclusion of a verification decides the objection its caller names (R6, 000 §十一.2–3,
004 §二(三)6).

An entry's own objection and each named person's objection to being named are verified side by
side, each answered on its own. The verification (the API's ``objection``, the office form's
choice, the services' ``entry_objection`` and ``person``) says which one a conclusion decides:
for an uphold and a naming removed, and as much for a listing found wrong after the entry ended
(``correct``) and a candidacy not listed (``reject``). With several open that the conclusion
may decide and none named, it is refused as ambiguous; one naming an objection not open is
refused.

A finding that the listing is wrong answers the entry's own objection, which disputes the
listing itself: while that one is open, a correction named for a person's objection to being
named is refused, and the person's is answered after the correction, by an uphold or by
removing the naming (``test_a_persons_objection_after_the_listing_is_corrected``).
"""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import ListEntryFactory, OfficerFactory, SubjectFactory
from xinyong.api import tokens
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListEntryPerson, ListKind
from xinyong.listings.tick import run_tick

pytestmark = pytest.mark.django_db
D = dt.date
FIRST_DAY, SECOND_DAY, ORG_DAY = D(2026, 11, 2), D(2026, 11, 3), D(2026, 11, 4)
LAST_DAY, EXPIRED, DECIDED = D(2026, 11, 5), D(2026, 11, 6), D(2026, 11, 9)


@pytest.fixture
def persons():
    return (
        SubjectFactory(natural_person=True, name="许本人"),
        SubjectFactory(natural_person=True, name="杨另一"),
    )


@pytest.fixture
def entry(persons):
    """An organisation's effective black entry naming both persons, valid through 11-05."""
    entry = ListEntryFactory(
        subject=SubjectFactory(name="杭州某某科技有限公司"), effective=True,
        list__kind=ListKind.BLACK, valid_until=LAST_DAY,
    )  # fmt: skip
    for person in persons:
        ListEntryPerson.objects.create(entry=entry, person=person, role="legal_representative")
    return entry


@pytest.fixture
def officer(entry):
    return OfficerFactory(department=entry.list.recognizing_department).user


def client_of(officer) -> Client:
    """``officer``'s department's case system, calling the API with a token of the officer."""
    token, _ = tokens.create_token(actor="t", user=officer)
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def api(officer):
    return client_of(officer)


def person_objects(entry, officer, person, day):
    with clock.frozen(day):
        services.record_objection(
            entry.pk, actor=officer, objector=person.name, grounds="本人已离任",
            named_as="法定代表人", person=person,
        )  # fmt: skip


def organisation_objects(entry, officer, day=ORG_DAY):
    with clock.frozen(day):
        services.record_objection(
            entry.pk, actor=officer, objector=entry.subject.name, grounds="处罚已撤销"
        )


def expired(entry):
    """The entry ended by expiry on 11-06 with its objections open (R4, R6)."""
    with clock.frozen(EXPIRED):
        run_tick(EXPIRED)
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.EXPIRED)
    return entry


def verify(api, entry, outcome, objection="", day=DECIDED):
    version = ListEntry.objects.get(pk=entry.pk).version
    with clock.frozen(day):
        return api.post(
            f"/api/v1/listings/entries/{entry.pk}/verification",
            {"version": version, "outcome": outcome, "finding": "处罚决定已被撤销",
             "objection": objection},
            content_type="application/json",
        )  # fmt: skip


def open_objections(entry) -> tuple:
    """(whether the entry's own objection is open, the names of persons whose is)."""
    entry = ListEntry.objects.get(pk=entry.pk)
    return entry.verification_due_on is not None, [n.person.name for n in entry.naming_objections]


def corrected(entry) -> bool:
    return entry.events.filter(action="correct").exists()


def test_a_correction_with_two_persons_objections_open_and_none_named_is_refused(
    api, entry, officer, persons
):
    first, second = persons
    person_objects(entry, officer, first, FIRST_DAY)
    person_objects(entry, officer, second, SECOND_DAY)
    expired(entry)
    answer = verify(api, entry, "correct")
    assert (answer.status_code, answer.json()["code"]) == (422, "objection-ambiguous")
    assert open_objections(entry) == (False, ["许本人", "杨另一"])
    assert not corrected(entry)
    assert not Announcement.objects.filter(entry=entry, kind=Announcement.Kind.CORRECTION).exists()


def test_a_correction_of_two_persons_objections_decides_the_one_named(api, entry, officer, persons):
    """The person named is answered, with the apology owed to the subject; the other person's
    objection stays open, answered after by an uphold or by removing the naming (R6)."""
    first, second = persons
    person_objects(entry, officer, first, FIRST_DAY)
    person_objects(entry, officer, second, SECOND_DAY)
    expired(entry)
    answer = verify(api, entry, "correct", second.reveal_identifier())
    assert answer.status_code == 200
    assert open_objections(entry) == (False, ["许本人"])
    step = entry.events.get(action="correct")
    assert step.data["objector_person"] == second.pk
    assert step.data["objection_result"].startswith("杨另一：")
    assert "异议成立" in step.data["objection_result"]
    assert step.data["result_to_subject"].startswith("杭州某某科技有限公司：")
    # The one left open is answered on the corrected listing.
    with clock.frozen(DECIDED):
        services.remove_naming_after_verification(entry.pk, actor=officer, finding="已离任")
    assert open_objections(entry) == (False, [])


def test_a_correction_of_the_entrys_own_named_leaves_the_persons_open(api, entry, officer, persons):
    first, _ = persons
    person_objects(entry, officer, first, FIRST_DAY)
    organisation_objects(entry, officer)
    expired(entry)
    answer = verify(api, entry, "correct", "entry")
    assert answer.status_code == 200
    assert open_objections(entry) == (False, ["许本人"])
    step = entry.events.get(action="correct")
    assert "objector_person" not in step.data
    assert step.data["objection_result"].startswith("杭州某某科技有限公司：")


def test_a_correction_named_for_a_person_while_the_entrys_own_is_open_is_refused(
    api, entry, officer, persons
):
    """The entry's own objection disputes the listing, and a finding that it is wrong answers
    it: answered on a person's objection instead, it would be left to an uphold on a listing
    already corrected (R6, 000 §十一.3)."""
    first, _ = persons
    person_objects(entry, officer, first, FIRST_DAY)
    organisation_objects(entry, officer)
    expired(entry)
    answer = verify(api, entry, "correct", first.reveal_identifier())
    assert (answer.status_code, answer.json()["code"]) == (
        422, "correction-answers-entry-objection",
    )  # fmt: skip
    assert open_objections(entry) == (True, ["许本人"])
    assert not corrected(entry)


def test_a_correction_named_for_an_objection_not_open_is_refused(api, entry, officer, persons):
    first, second = persons
    person_objects(entry, officer, first, FIRST_DAY)
    expired(entry)
    answer = verify(api, entry, "correct", "entry")
    assert (answer.status_code, answer.json()["code"]) == (409, "no-objection-pending")
    answer = verify(api, entry, "correct", second.reveal_identifier())
    assert (answer.status_code, answer.json()["code"]) == (409, "no-naming-objection-pending")
    assert open_objections(entry) == (False, ["许本人"])
    assert not corrected(entry)
    # Named rightly, or left unsaid with one open, it is decided.
    assert verify(api, entry, "correct", first.reveal_identifier()).status_code == 200
    assert open_objections(entry) == (False, [])


@pytest.fixture
def candidate(persons):
    """An organisation's candidacy awaiting the decision, naming the first person, and an
    officer of its department."""
    entry = ListEntryFactory(
        subject=SubjectFactory(name="杭州某某贸易有限公司"), awaiting_signature=True,
        list__kind=ListKind.BLACK,
    )  # fmt: skip
    ListEntryPerson.objects.create(entry=entry, person=persons[0], role="legal_representative")
    return entry, OfficerFactory(department=entry.list.recognizing_department).user


def test_a_rejection_naming_an_objection_not_open_is_refused(candidate, persons):
    """No objection to the candidacy is being verified: a rejection said to decide one is
    refused, and the candidacy stands; unsaid, it is the decision not to list (001 §8)."""
    candidate, officer = candidate
    api = client_of(officer)
    first, _ = persons
    answer = verify(api, candidate, "reject", "entry")
    assert (answer.status_code, answer.json()["code"]) == (409, "no-objection-pending")
    answer = verify(api, candidate, "reject", first.reveal_identifier())
    assert (answer.status_code, answer.json()["code"]) == (409, "no-naming-objection-pending")
    assert ListEntry.objects.get(pk=candidate.pk).state == EntryState.AWAITING_SIGNATURE
    assert verify(api, candidate, "reject").status_code == 200
    assert ListEntry.objects.get(pk=candidate.pk).state == EntryState.REJECTED


def test_a_rejection_decides_the_objection_to_the_candidacy_named(candidate):
    """Named as the entry's, the rejection answers the objection to the candidacy (R6)."""
    candidate, officer = candidate
    with clock.frozen(D(2026, 10, 28)):
        services.record_objection(
            candidate.pk, actor=officer, objector=candidate.subject.name, grounds="事实有误"
        )
    answer = verify(client_of(officer), candidate, "reject", "entry")
    assert answer.status_code == 200
    rejected = ListEntry.objects.get(pk=candidate.pk)
    assert (rejected.state, rejected.verification_due_on) == (EntryState.REJECTED, None)
    assert "异议成立" in rejected.events.get(action="reject").data["objection_result"]


def test_the_office_asks_which_objection_a_correction_decides(entry, officer, persons):
    """With the entry's own and a person's objection open on the ended entry, the entry page's
    correction says it decides the entry's own: the only one a finding that the listing is
    wrong may answer then (R6)."""
    first, _ = persons
    person_objects(entry, officer, first, FIRST_DAY)
    organisation_objects(entry, officer)
    expired(entry)
    office = Client()
    office.force_login(officer)
    with clock.frozen(DECIDED):
        page = office.get(f"/office/entries/{entry.pk}/").content.decode()
    form = page[page.index('data-action="correct"') :]
    form = form[: form.index("</form>")]
    assert 'name="objection"' in form and 'value="entry"' in form
    assert f'value="{first.pk}"' not in form
    version = ListEntry.objects.get(pk=entry.pk).version
    with clock.frozen(DECIDED):
        answer = office.post(
            f"/office/entries/{entry.pk}/correct/",
            {"version": version, "finding": "处罚决定已被撤销", "objection": "entry"},
        )
    assert answer.status_code == 302
    assert open_objections(entry) == (False, ["许本人"])
    assert corrected(entry)
