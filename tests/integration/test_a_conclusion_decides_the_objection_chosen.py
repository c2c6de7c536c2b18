"""A conclusion decides the objection its officer chose, never another (R6, 000 §十一.2–3,
004 §二(三)6).

The office's conclusion forms always send which objection they decide: a choice where several
may be decided, a hidden value where one is open, so a page read before another officer acted
still says which. One no longer open is refused, never retargeted to the one still open; and
the page shown again after a refusal keeps only the officer's own choice, preselecting no other.

The API decides the objection named; none named, the only one the step may decide: for a
correction, the entry's own while that is open, as the office's form offers it.
"""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.factories import ListEntryFactory, OfficerFactory, SubjectFactory
from xinyong.api import tokens
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListEntryPerson, ListKind
from xinyong.listings.tick import run_tick

pytestmark = pytest.mark.django_db
D = dt.date
FIRST_DAY, SECOND_DAY, ORG_DAY = D(2026, 11, 2), D(2026, 11, 3), D(2026, 11, 4)
LAST_DAY, EXPIRED, DECIDED = D(2026, 11, 5), D(2026, 11, 6), D(2026, 11, 9)
A_FINDING = "许本人于违法行为发生前已离任"


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


@pytest.fixture
def other_officer(entry):
    return OfficerFactory(department=entry.list.recognizing_department).user


@pytest.fixture
def office(officer):
    client = Client()
    client.force_login(officer)
    return client


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
    with clock.frozen(EXPIRED):
        run_tick(EXPIRED)
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.EXPIRED)


def version_of(entry) -> int:
    return ListEntry.objects.get(pk=entry.pk).version


def open_objections(entry) -> tuple:
    """(whether the entry's own objection is open, the names of persons whose is)."""
    entry = ListEntry.objects.get(pk=entry.pk)
    return entry.verification_due_on is not None, [n.person.name for n in entry.naming_objections]


class _Forms(HTMLParser):
    """Each action form's objection field as a page renders it: its kind (``select`` or
    ``hidden``), the values offered and the value the form would send as it stands."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, dict] = {}
        self._action: str | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-action" in attrs:
            self._action = attrs["data-action"]
        elif tag == "input" and attrs.get("name") == "objection" and self._action:
            self.fields[self._action] = {
                "kind": attrs.get("type"), "offered": [attrs.get("value", "")],
                "sent": attrs.get("value", ""),
            }  # fmt: skip
        elif tag == "select" and attrs.get("name") == "objection" and self._action:
            self._select = self.fields[self._action] = {"kind": "select", "offered": [],
                                                        "sent": None}  # fmt: skip
        elif tag == "option" and self._select is not None:
            self._select["offered"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select["sent"] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            if self._select["sent"] is None:  # a browser sends the first option
                self._select["sent"] = (self._select["offered"] or [""])[0]
            self._select = None
        elif tag == "form":
            self._action = None


def objection_field(html: str, action: str) -> dict | None:
    parser = _Forms()
    parser.feed(html)
    return parser.fields.get(action)


def conclude(office, entry, action, objection, version, finding=A_FINDING):
    data = {"version": version, "finding": finding}
    if objection is not None:
        data["objection"] = objection
    with clock.frozen(DECIDED):
        return office.post(f"/office/entries/{entry.pk}/{action}/", data)


def page_of(office, entry) -> str:
    with clock.frozen(DECIDED):
        return office.get(f"/office/entries/{entry.pk}/").content.decode()


def test_a_correction_refused_for_a_stale_version_is_not_sent_again_for_the_other_person(
    office, entry, officer, other_officer, persons
):
    """The reviewer's case: 杨另一's objection chosen, another officer upholds it meanwhile. The
    correction is refused, the page shown again does not choose 许本人's for the officer, and
    sent again as it stands it corrects nothing."""
    first, second = persons
    person_objects(entry, officer, first, FIRST_DAY)
    person_objects(entry, officer, second, SECOND_DAY)
    expired(entry)
    field = objection_field(page_of(office, entry), "correct")
    assert field["offered"] == ["", str(first.pk), str(second.pk)]
    read_version = version_of(entry)
    with clock.frozen(DECIDED):
        services.uphold_after_verification(
            entry.pk, actor=other_officer, finding="杨另一仍在任", person=second
        )
    refused = conclude(office, entry, "correct", str(second.pk), read_version)
    assert refused.status_code == 409
    field = objection_field(refused.content.decode(), "correct")
    assert field is not None and field["kind"] == "select"
    assert field["sent"] == ""  # no other objection chosen in the officer's place
    assert "所选异议已不在核实中" in refused.content.decode()
    assert str(first.pk) in field["offered"]
    again = conclude(office, entry, "correct", field["sent"], version_of(entry))
    assert again.status_code == 422
    assert open_objections(entry) == (False, ["许本人"])
    assert not entry.events.filter(action="correct").exists()


def test_a_conclusion_naming_an_objection_no_longer_open_is_refused_not_retargeted(
    office, entry, officer, other_officer, persons
):
    """Sent with the entry's current version, the choice of an objection decided meanwhile is
    refused with its code's message (R6)."""
    first, second = persons
    person_objects(entry, officer, first, FIRST_DAY)
    person_objects(entry, officer, second, SECOND_DAY)
    expired(entry)
    with clock.frozen(DECIDED):
        services.uphold_after_verification(
            entry.pk, actor=other_officer, finding="杨另一仍在任", person=second
        )
    refused = conclude(office, entry, "correct", str(second.pk), version_of(entry))
    assert refused.status_code == 409
    assert "该人员没有正在核实的对被列为所列人员的异议" in refused.content.decode()
    assert open_objections(entry) == (False, ["许本人"])
    assert not entry.events.filter(action="correct").exists()


def test_an_uphold_of_a_persons_objection_decided_meanwhile_never_answers_the_company(
    office, entry, officer, other_officer, persons
):
    """The finding about 许本人 is never recorded as the rejection of the company's own
    objection, nor sent to it in a letter."""
    first, _ = persons
    person_objects(entry, officer, first, FIRST_DAY)
    organisation_objects(entry, officer, day=SECOND_DAY)
    field = objection_field(page_of(office, entry), "uphold")
    assert field["offered"] == ["", "entry", str(first.pk)]
    read_version = version_of(entry)
    with clock.frozen(DECIDED):
        services.uphold_after_verification(
            entry.pk, actor=other_officer, finding="许本人仍在任", person=first
        )
    refused = conclude(office, entry, "uphold", str(first.pk), read_version)
    assert refused.status_code == 409
    field = objection_field(refused.content.decode(), "uphold")
    assert field["sent"] == "" and "entry" in field["offered"]
    assert conclude(office, entry, "uphold", field["sent"], version_of(entry)).status_code == 422
    # A page kept from before, sent with its choice and the current version, is refused too.
    again = conclude(office, entry, "uphold", str(first.pk), version_of(entry))
    assert again.status_code == 409
    assert open_objections(entry) == (True, [])
    assert [event.data.get("objector_person") for event in entry.events.filter(
        action="uphold")] == [first.pk]  # fmt: skip


def test_after_a_refusal_the_officers_own_choice_still_open_is_kept(
    office, entry, officer, other_officer, persons
):
    """Another officer decided the other objection: the page shown again keeps the officer's
    choice, and sent again it decides that one."""
    first, second = persons
    person_objects(entry, officer, first, FIRST_DAY)
    person_objects(entry, officer, second, SECOND_DAY)
    expired(entry)
    read_version = version_of(entry)
    with clock.frozen(DECIDED):
        services.uphold_after_verification(
            entry.pk, actor=other_officer, finding="杨另一仍在任", person=second
        )
    refused = conclude(office, entry, "correct", str(first.pk), read_version)
    assert refused.status_code == 409
    field = objection_field(refused.content.decode(), "correct")
    assert field["sent"] == str(first.pk)
    done = conclude(office, entry, "correct", field["sent"], version_of(entry))
    assert done.status_code == 302
    assert entry.events.get(action="correct").data["objector_person"] == first.pk


def test_with_one_objection_open_the_form_still_says_which(office, entry, officer, persons):
    """One open: the form carries it, hidden; a conclusion that names none is refused (R6)."""
    first, _ = persons
    person_objects(entry, officer, first, FIRST_DAY)
    field = objection_field(page_of(office, entry), "uphold")
    assert field == {"kind": "hidden", "offered": [str(first.pk)], "sent": str(first.pk)}
    assert conclude(office, entry, "uphold", None, version_of(entry)).status_code == 422
    assert open_objections(entry) == (False, ["许本人"])
    assert conclude(office, entry, "uphold", field["sent"], version_of(entry)).status_code == 302
    assert open_objections(entry) == (False, [])


def test_a_rejection_said_to_decide_an_objection_is_not_taken_as_the_meetings_decision(persons):
    """A rejection that named the candidacy's objection, upheld meanwhile, is refused rather
    than recorded as the decision not to list (001 §8, R6)."""
    candidate = ListEntryFactory(
        subject=SubjectFactory(name="杭州某某贸易有限公司"), awaiting_signature=True,
        list__kind=ListKind.BLACK,
    )  # fmt: skip
    officer = OfficerFactory(department=candidate.list.recognizing_department).user
    office = Client()
    office.force_login(officer)
    assert objection_field(page_of(office, candidate), "reject") is None
    answer = conclude(office, candidate, "reject", "entry", version_of(candidate))
    assert answer.status_code == 409
    assert "没有正在核实的异议" in answer.content.decode()
    assert ListEntry.objects.get(pk=candidate.pk).state == EntryState.AWAITING_SIGNATURE


def test_removing_a_naming_on_the_entrys_own_objection_is_refused(office, entry, officer, persons):
    first, _ = persons
    person_objects(entry, officer, first, FIRST_DAY)
    organisation_objects(entry, officer)
    answer = conclude(office, entry, "unname", "entry", version_of(entry))
    assert answer.status_code == 409
    assert open_objections(entry) == (True, ["许本人"])


def api_verify(officer, entry, outcome, objection=""):
    token, _ = tokens.create_token(actor="t", user=officer)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    with clock.frozen(DECIDED):
        return api.post(
            f"/api/v1/listings/entries/{entry.pk}/verification",
            {"version": version_of(entry), "outcome": outcome, "finding": "处罚决定已被撤销",
             "objection": objection},
            content_type="application/json",
        )  # fmt: skip


def test_the_api_corrects_on_the_entrys_own_left_unsaid_as_the_office_offers_it(
    officer, entry, persons
):
    """With the entry's own and a person's objection open on the ended entry, a correction may
    decide only the entry's own: unsaid, it is that one, as the office's form preselects it."""
    first, _ = persons
    person_objects(entry, officer, first, FIRST_DAY)
    organisation_objects(entry, officer)
    expired(entry)
    answer = api_verify(officer, entry, "correct")
    assert answer.status_code == 200
    assert open_objections(entry) == (False, ["许本人"])
    assert "objector_person" not in entry.events.get(action="correct").data


def test_the_api_still_asks_which_persons_objection_a_correction_decides(officer, entry, persons):
    first, second = persons
    person_objects(entry, officer, first, FIRST_DAY)
    person_objects(entry, officer, second, SECOND_DAY)
    expired(entry)
    answer = api_verify(officer, entry, "correct")
    assert (answer.status_code, answer.json()["code"]) == (422, "objection-ambiguous")
    assert open_objections(entry) == (False, ["许本人", "杨另一"])
