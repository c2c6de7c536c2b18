"""A named person's objection to being named runs beside the entry's own objection (R6, 000
§十一.2: anyone listed or recorded may object, and the measures based on the information under
verification are suspended; 004 §二(三)6: an organisation's dishonesty is recorded against its
responsible persons too).

The organisation's own objection, and each person's objection to being named, are open at once,
each with its own day of receipt and 20-day deadline; one of each kind at a time. The entry's
own suspends what the entry brings on everyone it reaches; a person's, only what reaches that
person. Each is concluded on its own, and the change feed pairs each with its conclusion.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from tests.check_clients import check
from tests.factories import ListEntryFactory, OfficerFactory, SubjectFactory
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import selectors, services
from xinyong.listings.feed_reads import changes_since
from xinyong.listings.models import EntryState, ListEntry, ListEntryPerson, ListKind
from xinyong.listings.tick.deadlines import count_deadlines
from xinyong.measures import typical_cases

pytestmark = pytest.mark.django_db
D = dt.date
PERSON_DAY, ORG_DAY = D(2026, 10, 13), D(2026, 10, 14)
PERSON_DUE, ORG_DUE = D(2026, 11, 2), D(2026, 11, 3)  # 20 days on, working days (R15)
DECIDED = D(2026, 10, 20)


@pytest.fixture
def organisation():
    return SubjectFactory(name="杭州某某科技有限公司")


@pytest.fixture
def persons():
    return SubjectFactory(natural_person=True, name="许本人"), SubjectFactory(
        natural_person=True, name="杨另一"
    )


@pytest.fixture
def entry(organisation, persons):
    """The organisation's effective black-list entry naming both persons; the first in two
    roles, as a naming may be."""
    entry = ListEntryFactory(subject=organisation, effective=True, list__kind=ListKind.BLACK)
    first, second = persons
    for person, role in ((first, "legal_representative"), (first, "principal"),
                         (second, "legal_representative")):  # fmt: skip
        ListEntryPerson.objects.create(entry=entry, person=person, role=role)
    return entry


@pytest.fixture
def officer(entry):
    return OfficerFactory(department=entry.list.recognizing_department).user


def person_objects(entry, officer, person, day=PERSON_DAY):
    with clock.frozen(day):
        return services.record_objection(
            entry.pk, actor=officer, objector=person.name, grounds="本人已辞职",
            named_as="法定代表人", person=person,
        )  # fmt: skip


def organisation_objects(entry, officer, day=ORG_DAY):
    with clock.frozen(day):
        return services.record_objection(
            entry.pk, actor=officer, objector=entry.subject.name, grounds="处罚已撤销"
        )


def uphold(entry, officer, day=DECIDED, **which):
    with clock.frozen(day):
        return services.uphold_after_verification(
            entry.pk, actor=officer, finding="核实无误", **which
        )


def dues(entry) -> tuple:
    """(the entry's own deadline, {person: deadline of its objection to being named})."""
    entry = ListEntry.objects.get(pk=entry.pk)
    return entry.verification_due_on, {
        n.person.name: n.verification_due_on for n in entry.naming_objections
    }


def checked(api, subject, day=DECIDED) -> tuple[str, list[tuple[str, bool]]]:
    """(result, [(measure, suspended)]) of a check of ``subject``."""
    with clock.frozen(day):
        body = check(api, subject=subject.reveal_identifier(), scenario="government_procurement")
    body = body.json()
    return body["result"], [(m["code"], m["suspended"]) for m in body["measures"]]


ORG_APPLIES = ("punish", [("bar-procurement", False)])
ORG_SUSPENDED = ("clear", [("bar-procurement", True)])
PERSON_APPLIES = ("punish", [("bar-representative", False)])
PERSON_SUSPENDED = ("clear", [("bar-representative", True)])


def test_the_organisation_objects_while_a_persons_objection_is_verified(
    api, measures, entry, officer, organisation, persons
):
    """The organisation's objection is taken beside the person's, each with its own deadline;
    while it is verified, every measure the entry brings is suspended (R6)."""
    first, second = persons
    person_objects(entry, officer, first)
    assert dues(entry) == (None, {"许本人": PERSON_DUE})
    assert checked(api, organisation) == ORG_APPLIES  # the person's disputes the naming only
    assert checked(api, first) == PERSON_SUSPENDED
    assert checked(api, second) == PERSON_APPLIES
    organisation_objects(entry, officer)
    assert dues(entry) == (ORG_DUE, {"许本人": PERSON_DUE})
    for subject, answer in ((organisation, ORG_SUSPENDED), (first, PERSON_SUSPENDED),
                            (second, PERSON_SUSPENDED)):  # fmt: skip
        assert checked(api, subject) == answer, subject.name
    # Upholding the organisation's leaves the person's open, and its naming suspended.
    uphold(entry, officer, entry_objection=True)
    assert dues(entry) == (None, {"许本人": PERSON_DUE})
    assert checked(api, organisation) == ORG_APPLIES
    assert checked(api, first) == PERSON_SUSPENDED
    assert checked(api, second) == PERSON_APPLIES
    uphold(entry, officer, person=first)
    assert dues(entry) == (None, {})
    assert checked(api, first) == PERSON_APPLIES


def test_two_persons_object_at_once_and_each_is_decided_on_its_own(
    api, measures, entry, officer, organisation, persons
):
    first, second = persons
    person_objects(entry, officer, first)
    person_objects(entry, officer, second, day=ORG_DAY)
    assert dues(entry) == (None, {"许本人": PERSON_DUE, "杨另一": ORG_DUE})
    # Every row naming the first carries its deadline, whatever role.
    assert set(
        entry.persons.filter(person=first).values_list("verification_due_on", flat=True)
    ) == {PERSON_DUE}
    assert checked(api, organisation) == ORG_APPLIES
    assert checked(api, first) == PERSON_SUSPENDED and checked(api, second) == PERSON_SUSPENDED
    # With two open, the officer says whose: unsaid, the conclusion is refused.
    with pytest.raises(XinyongError) as refused:
        uphold(entry, officer)
    assert refused.value.code == "objection-ambiguous"
    with clock.frozen(D(2026, 10, 20)), pytest.raises(XinyongError) as refused:
        services.remove_naming_after_verification(entry.pk, actor=officer, finding="有误")
    assert refused.value.code == "naming-objection-ambiguous"
    uphold(entry, officer, person=second)
    assert dues(entry) == (None, {"许本人": PERSON_DUE})
    assert checked(api, second) == PERSON_APPLIES and checked(api, first) == PERSON_SUSPENDED
    upheld = entry.events.get(action="uphold")
    assert upheld.data["objector_person"] == second.pk
    assert upheld.data["objection_result"].startswith("杨另一：")
    # The one left is decided without saying whose; the person is unnamed, the rest stands.
    with clock.frozen(D(2026, 10, 21)):
        services.remove_naming_after_verification(entry.pk, actor=officer, finding="已辞职")
    assert dues(entry) == (None, {})
    assert not entry.persons.filter(person=first).exists()
    assert entry.events.get(action="unname").data["objection_result"].startswith("许本人：")
    assert checked(api, first) == ("clear", [])
    assert checked(api, organisation) == ORG_APPLIES


def test_a_second_objection_of_the_same_kind_is_refused_while_the_first_is_verified(
    entry, officer, persons
):
    first, second = persons
    person_objects(entry, officer, first)
    with pytest.raises(XinyongError) as refused:
        person_objects(entry, officer, first, day=ORG_DAY)
    assert refused.value.code == "naming-objection-pending"
    person_objects(entry, officer, second, day=ORG_DAY)  # another person's is taken
    organisation_objects(entry, officer)
    with pytest.raises(XinyongError) as refused:
        organisation_objects(entry, officer, day=D(2026, 10, 15))
    assert refused.value.code == "objection-pending"
    assert entry.events.filter(action="object").count() == 3


def test_the_change_feed_pairs_each_objection_with_its_conclusion(
    api, measures, entry, officer, persons
):
    """Person objects, organisation objects, the organisation's upheld, then the person's
    (R6, R11): the entry's measures resume while the person's naming stays suspended, and the
    naming's resume last."""
    first, _ = persons
    person_objects(entry, officer, first)
    organisation_objects(entry, officer)
    uphold(entry, officer, entry_objection=True)
    uphold(entry, officer, D(2026, 10, 21), person=first)
    changes, _ = changes_since(0, 100)
    told = [(c.kind, c.person_id) for c in changes if c.entry.pk == entry.pk]
    assert told == [
        ("naming_suspended", first.pk),
        ("suspended", None),
        ("resumed", None),
        ("naming_resumed", first.pk),
    ]


def test_a_list_setting_changed_under_both_objections_tells_each(entry, officer, persons):
    """A change of the list's suspension setting reaches each objection open (R6, R11): the
    entry's own, and each person's naming."""
    from xinyong.listings import suspension

    first, _ = persons
    person_objects(entry, officer, first)
    organisation_objects(entry, officer)
    definition = entry.list
    definition.objection_suspends_measures = False
    definition.save()
    with clock.frozen(D(2026, 10, 16)):
        assert suspension.record_setting_changed(definition, actor=officer) == 2
    changes, _ = changes_since(0, 100)
    told = [(c.kind, c.person_id) for c in changes if c.entry.pk == entry.pk]
    assert told[-2:] == [("resumed", None), ("naming_resumed", first.pk)]


def test_the_worklist_and_the_daily_count_take_each_deadline(entry, officer, persons):
    first, second = persons
    person_objects(entry, officer, first)
    organisation_objects(entry, officer)
    person_objects(entry, officer, second, day=D(2026, 10, 15))
    (item,) = selectors.worklist(officer, D(2026, 10, 20))
    assert (item.entry.pk, item.due_on) == (entry.pk, PERSON_DUE)  # the nearest deadline
    # Each person once, whatever its roles: the second's, due 11-04, is due soon on 11-04.
    assert count_deadlines(D(2026, 11, 4)) == (1, 2)
    assert count_deadlines(D(2026, 11, 5)) == (0, 3)


def test_a_provisional_deadline_of_an_objection_to_being_named_follows_the_calendar(
    entry, officer, persons, tmp_path
):
    """20 days from 2026-12-12 end on New Year's Day, so on Monday 2027-01-04, provisional
    until 2027's notice is loaded (R6, R15): counted again on the naming, as the entry's own."""
    first, _ = persons
    person_objects(entry, officer, first, day=D(2026, 12, 12))
    naming = entry.persons.filter(person=first)
    assert set(naming.values_list("verification_due_on", "verification_due_provisional")) == {
        (D(2027, 1, 4), True)
    }
    notice = tmp_path / "2027.csv"
    notice.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n"
        "2027-01-04,holiday,元旦\n",
        encoding="utf-8",
    )
    call_command("calendar", "load", str(notice), stdout=io.StringIO())
    assert set(naming.values_list("verification_due_on", "verification_due_provisional")) == {
        (D(2027, 1, 5), False)
    }
    recount = entry.events.get(action="recount")
    assert recount.data["deadline"] == "naming_verification_due_on"
    assert (recount.data["objector_person"], recount.data["to"]) == (first.pk, "2027-01-05")
    assert ListEntry.objects.get(pk=entry.pk).verification_due_on is None


def test_a_case_about_the_organisation_stands_while_only_a_persons_objection_is_open(
    entry, officer, organisation, persons
):
    """A typical case stays on the portal while the organisation's listing is not disputed:
    a person's objection to being named disputes the naming only (R6, R11)."""
    first, _ = persons
    person_objects(entry, officer, first)

    def standing():
        return list(typical_cases.standing_entries(D(2026, 10, 20)).values_list("pk", flat=True))

    assert entry.pk in standing()
    organisation_objects(entry, officer)
    assert entry.pk not in standing()


def test_an_exit_as_corrected_answers_the_entrys_own_and_leaves_the_persons_open(
    entry, officer, persons
):
    """A finding that the listing is wrong answers the entry's own objection; the person's
    objection to being named stays open on the ended entry and is still answered (R6)."""
    from xinyong.listings.models import ExitReason

    first, _ = persons
    person_objects(entry, officer, first)
    organisation_objects(entry, officer)
    with clock.frozen(D(2026, 10, 20)):
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED, note="有误")
    ended = ListEntry.objects.get(pk=entry.pk)
    assert ended.state == EntryState.EXITED
    assert dues(entry) == (None, {"许本人": PERSON_DUE})
    with clock.frozen(D(2026, 10, 21)):
        services.remove_naming_after_verification(entry.pk, actor=officer, finding="已辞职")
    assert dues(entry) == (None, {})


def test_the_office_asks_which_objection_an_uphold_decides(entry, officer, persons):
    """With the entry's own and a person's objection open, the entry page's conclusion says
    which it decides (R6); the page shows each deadline."""
    from django.test import Client

    first, _ = persons
    person_objects(entry, officer, first)
    organisation_objects(entry, officer)
    office = Client()
    office.force_login(officer)
    with clock.frozen(DECIDED):
        page = office.get(f"/office/entries/{entry.pk}/").content.decode()
    assert 'name="objection"' in page and f'value="{first.pk}"' in page
    assert 'data-field="naming-objection"' in page and "2026-11-02" in page
    version = ListEntry.objects.get(pk=entry.pk).version
    with clock.frozen(DECIDED):
        answer = office.post(
            f"/office/entries/{entry.pk}/uphold/",
            {"version": version, "finding": "辞职晚于违法行为", "objection": str(first.pk)},
        )
    assert answer.status_code == 302
    assert dues(entry) == (ORG_DUE, {})


def test_the_api_refuses_to_unname_on_the_entrys_own_objection(entry, officer, persons):
    """Removing a naming answers a person's objection to being named, never the entry's own
    (R6, 004 §二(三)6): a case system asking it of ``entry`` is refused with a stable code,
    and both objections stay open."""
    from django.test import Client

    from xinyong.api import tokens

    first, _ = persons
    person_objects(entry, officer, first)
    organisation_objects(entry, officer)
    token, _ = tokens.create_token(actor="t", user=officer)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    version = ListEntry.objects.get(pk=entry.pk).version
    with clock.frozen(DECIDED):
        answer = client.post(
            f"/api/v1/listings/entries/{entry.pk}/verification",
            {"version": version, "outcome": "unname", "finding": "已辞职", "objection": "entry"},
            content_type="application/json",
        )
    assert answer.status_code == 422
    assert answer.json()["code"] == "unname-not-for-entry-objection"
    assert dues(entry) == (ORG_DUE, {"许本人": PERSON_DUE})
