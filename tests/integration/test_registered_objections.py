"""An officer registers an objection received on paper or at the counter and says who objects:
the entry's subject itself, one of the persons the entry names, or another party (R6, 000 §十一.2;
004 §二(三)6). The subject or the person then follows it on /my/ as one it sent online, without
evidence files (they stay on paper); a person the entry does not name is refused; the person is
masked wherever the organisation or the public reads.
"""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from xinyong.access.models import SubjectAccount
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ListEntryPerson
from xinyong.remedies import registered
from xinyong.remedies.models import RegisteredObjection

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 10, 13)  # 20 days later is Monday 2026-11-02, a working day (R15)
ORGANISATION = "杭州某某科技有限公司"
PERSON = "许本人"
PERSON_ID = "11010519491231002X"
GROUNDS = "本人已于处罚前辞去法定代表人职务"


@pytest.fixture
def organisation():
    return SubjectFactory(name=ORGANISATION)


@pytest.fixture
def person():
    return SubjectFactory(natural_person=True, name=PERSON, identifier=PERSON_ID)


@pytest.fixture
def entry(organisation, person):
    entry = ListEntryFactory(
        subject=organisation, effective=True,
        list=ListDefinitionFactory(objection_suspends_measures=True),
    )  # fmt: skip
    ListEntryPerson.objects.create(entry=entry, person=person, role="legal_representative")
    ListEntryPerson.objects.create(entry=entry, person=person, role="principal")
    return entry


@pytest.fixture
def officer(entry):
    return OfficerFactory(department=entry.list.recognizing_department).user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _own_client(username, subject) -> Client:
    user = UserFactory(username=username)
    SubjectAccount.objects.create(user=user, subject=subject)
    return _client(user)


def _my_page(client) -> str:
    with clock.frozen(DAY):
        return client.get("/my/").content.decode()


def _by_form(officer, entry, **fields):
    data = {"version": entry.version, "grounds": GROUNDS, **fields}
    with clock.frozen(DAY):
        return _client(officer).post(f"/office/entries/{entry.pk}/object/", data)


def _by_api(officer, entry, **fields):
    token, _ = tokens.create_token(actor="test", user=officer)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    payload = {"version": entry.version, "grounds": GROUNDS, **fields}
    with clock.frozen(DAY):
        return api.post(
            f"/api/v1/listings/entries/{entry.pk}/objections", payload,
            content_type="application/json",
        )  # fmt: skip


def _untouched(entry):
    version = entry.version
    entry.refresh_from_db()
    assert (entry.version, entry.verification_due_on) == (version, None)
    assert not entry.events.filter(action="object").exists()
    assert not RegisteredObjection.objects.exists()
    assert not AuditEntry.objects.filter(action="listing.object").exists()


# --- each choice, by the office's form and by the API ---------------------------------------------


def test_the_form_registers_the_subjects_own_objection(officer, entry):
    answer = _by_form(officer, entry, objector_kind="subject")
    assert answer.status_code == 302
    event = entry.events.get(action="object")
    assert event.data == {"objector": ORGANISATION, "objector_kind": "subject"}
    row = RegisteredObjection.objects.get()
    assert (row.event, row.objector_kind, row.person) == (event, "subject", None)


def test_the_form_registers_a_named_persons_objection(officer, entry, person):
    answer = _by_form(officer, entry, objector_kind="named_person", person=str(person.pk))
    assert answer.status_code == 302
    event = entry.events.get(action="object")
    assert event.data == {
        "objector": PERSON, "objector_named_as": "法定代表人、主要负责人",
        "objector_kind": "named_person", "objector_person": person.pk,
    }  # fmt: skip
    row = RegisteredObjection.objects.get()
    assert (row.objector_kind, row.person) == ("named_person", person)
    entry.refresh_from_db()
    # The naming is disputed, not the listing (R6): the objection is kept on the naming.
    assert [n.person for n in entry.naming_objections] == [person]
    page = _client(officer).get(f"/office/entries/{entry.pk}/").content.decode()
    assert "本记录所列人员许本人（法定代表人、主要负责人）提出的异议，由本部门登记" in page
    assert "在网上提出" not in page


def test_the_form_refuses_a_person_chosen_for_another_party(officer, entry, person):
    """Who objects says another party, yet a named person is chosen: refused, as the API
    refuses it, not filed as another party's with the person dropped (R6)."""
    answer = _by_form(officer, entry, objector_kind="other", objector=PERSON, person=str(person.pk))
    assert answer.status_code == 422
    assert "已选择名单记录所列人员" in answer.content.decode()
    _untouched(entry)


def test_the_form_registers_another_partys_objection_as_typed(officer, entry):
    answer = _by_form(officer, entry, objector_kind="other", objector="  某律师事务所 ")
    assert answer.status_code == 302
    event = entry.events.get(action="object")
    assert event.data == {"objector": "某律师事务所", "objector_kind": "other"}
    assert RegisteredObjection.objects.get().person is None


def test_the_form_offers_the_persons_the_entry_names_once_each(officer, entry, person):
    page = _client(officer).get(f"/office/entries/{entry.pk}/").content.decode()
    form = page[page.index('data-action="object"') :]
    form = form[: form.index("</form>")]
    assert form.count(f'value="{person.pk}"') == 1
    assert "许本人（法定代表人、主要负责人）" in form
    for kind in ("subject", "named_person", "other"):
        assert f'value="{kind}"' in form


def test_an_entry_naming_no_one_offers_no_person(officer, organisation):
    department = officer.officer.department
    entry = ListEntryFactory(
        subject=organisation, effective=True, list__recognizing_department=department
    )
    page = _client(officer).get(f"/office/entries/{entry.pk}/").content.decode()
    form = page[page.index('data-action="object"') :]
    form = form[: form.index("</form>")]
    assert 'value="named_person"' not in form and 'name="person"' not in form
    assert _by_form(officer, entry, objector_kind="named_person").status_code == 422
    _untouched(entry)


@pytest.mark.parametrize(
    "fields, problem",
    [
        ({"objector_kind": "named_person"}, "请选择提出异议的名单记录所列人员"),
        ({"objector_kind": "subject", "objector": "某人"}, "仅异议人为其他人时填写名称"),
        ({"objector_kind": "other"}, "这个字段是必填项"),
    ],
)
def test_the_form_says_what_is_missing_or_not_taken(officer, entry, fields, problem):
    answer = _by_form(officer, entry, **fields)
    assert answer.status_code == 422 and problem in answer.content.decode()
    _untouched(entry)


def test_the_api_registers_each_choice(officer, entry, person):
    answer = _by_api(officer, entry, objector_kind="named_person", person=f" {PERSON_ID} ")
    assert answer.status_code == 200, answer.json()
    assert RegisteredObjection.objects.get().person == person
    event = answer.json()["history"][-1]
    assert (event["action"], event["data"]["objector"]) == ("object", PERSON)
    assert event["data"]["objector_kind"] == "named_person"
    officer_of = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(DAY):
        services.uphold_after_verification(entry.pk, actor=officer_of, finding="辞职晚于违法行为")
    entry.refresh_from_db()
    assert _by_api(officer, entry, objector_kind="subject").status_code == 200
    with clock.frozen(DAY):
        services.uphold_after_verification(entry.pk, actor=officer_of, finding="理由不成立")
    entry.refresh_from_db()
    assert _by_api(officer, entry, objector="某律师事务所").status_code == 200  # other, omitted
    kinds = list(RegisteredObjection.objects.order_by("id").values_list("objector_kind", flat=True))
    assert kinds == ["named_person", "subject", "other"]
    objectors = [e.data["objector"] for e in entry.events.filter(action="object").order_by("id")]
    assert objectors == [PERSON, ORGANISATION, "某律师事务所"]


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"objector_kind": "named_person"}, "objector-person-required"),
        ({"objector_kind": "subject", "objector": "某人"}, "objector-name-not-taken"),
        ({"objector_kind": "other", "person": PERSON_ID, "objector": "某人"},
         "objector-person-not-taken"),
        ({"objector_kind": "other"}, "objection-objector-required"),
    ],
)  # fmt: skip
def test_the_api_refuses_what_the_choice_does_not_take(officer, entry, fields, code):
    answer = _by_api(officer, entry, **fields)
    assert (answer.status_code, answer.json()["code"]) == (422, code)
    _untouched(entry)


def test_the_api_refuses_an_unknown_kind_in_the_standard_shape(officer, entry):
    answer = _by_api(officer, entry, objector_kind="lawyer", objector="某人")
    assert answer.status_code == 422
    assert [(e["field"], e["type"]) for e in answer.json()["errors"]] == [
        ("objector_kind", "literal_error")
    ]
    _untouched(entry)


# --- a person the entry does not name -------------------------------------------------------------


def test_a_person_the_entry_does_not_name_is_refused(officer, entry, organisation):
    stranger = SubjectFactory(natural_person=True, name="杨他人")
    elsewhere = ListEntryFactory(list=entry.list, effective=True)
    ListEntryPerson.objects.create(entry=elsewhere, person=stranger, role="legal_representative")
    for identifier in (stranger.reveal_identifier(), "110105194912310029"):  # another; nobody
        answer = _by_api(officer, entry, objector_kind="named_person", person=identifier)
        assert (answer.status_code, answer.json()["code"]) == (422, "objector-not-named")
        assert "不是此名单记录所列人员" in answer.json()["message"]
    for who in (stranger, organisation):  # nor the organisation as a person it names
        with pytest.raises(XinyongError) as refused:
            registered.register_objection(
                entry.pk, actor=officer, objector_kind="named_person", person=who,
                grounds=GROUNDS,
            )  # fmt: skip
        assert (refused.value.code, refused.value.status) == ("objector-not-named", 422)
    answer = _by_form(officer, entry, objector_kind="named_person", person=str(stranger.pk))
    assert answer.status_code == 422
    _untouched(entry)


def test_another_departments_entry_is_not_found_whoever_is_named(entry, person):
    stranger = OfficerFactory().user
    with pytest.raises(XinyongError) as refused:
        registered.register_objection(
            entry.pk, actor=stranger, objector_kind="named_person", person=person,
            grounds=GROUNDS,
        )  # fmt: skip
    assert (refused.value.code, refused.value.status) == ("entry-not-found", 404)
    _untouched(entry)


# --- the audit row --------------------------------------------------------------------------------


def test_one_audit_row_by_the_officer(officer, entry, person):
    _by_form(officer, entry, objector_kind="named_person", person=str(person.pk))
    audit = AuditEntry.objects.get(action="listing.object")
    assert (audit.actor, audit.object_type, audit.object_id, audit.reason) == (
        officer.username, "listings.listentry", str(entry.pk), GROUNDS
    )  # fmt: skip
    # The person's objection to being named is the naming's, not the entry's own (R6).
    assert audit.before["naming_objections"] == {} and audit.after["verification_due_on"] is None
    assert audit.after["naming_objections"] == {str(person.pk): "2026-11-02"}


# --- what /my/ shows ------------------------------------------------------------------------------


def test_the_person_follows_a_registered_objection_on_my_page(officer, entry, person):
    as_person = _own_client("xu", person)
    _by_form(officer, entry, objector_kind="named_person", person=str(person.pk))
    entry.refresh_from_db()
    # The person's naming only: the organisation's own measures still apply (R6).
    assert entry.is_naming_suspended_by_objection and not entry.is_suspended_by_objection
    page = _my_page(as_person)
    assert 'data-objection="open"' in page and GROUNDS in page and "2026-11-02" in page
    assert "相关措施暂停" in page
    assert "data-evidence=" not in page  # evidence stays on paper
    with clock.frozen(DAY + dt.timedelta(days=3)):
        services.uphold_after_verification(entry.pk, actor=officer, finding="辞职晚于违法行为")
    page = _my_page(as_person)
    assert 'data-objection="decided"' in page and "辞职晚于违法行为" in page
    result = entry.events.get(action="uphold").data["objection_result"]
    assert result.startswith(f"{PERSON}：\n你对{ORGANISATION}列入{entry.list.name}提出的异议")


def test_the_organisation_sees_a_named_persons_objection_masked(
    officer, entry, person, organisation
):
    as_organisation = _own_client("danwei", organisation)
    _by_form(officer, entry, objector_kind="named_person", person=str(person.pk))
    with clock.frozen(DAY + dt.timedelta(days=3)):
        services.uphold_after_verification(entry.pk, actor=officer, finding="辞职晚于违法行为")
    page = _my_page(as_organisation)
    assert 'data-field="named-objector"' in page and "许某" in page
    for withheld in (PERSON, GROUNDS, "辞职晚于违法行为"):
        assert withheld not in page


def test_the_subject_follows_its_own_registered_objection(officer, entry, person, organisation):
    as_organisation = _own_client("danwei", organisation)
    as_person = _own_client("xu", person)
    _by_api(officer, entry, objector_kind="subject")
    page = _my_page(as_organisation)
    assert 'data-objection="open"' in page and GROUNDS in page and "2026-11-02" in page
    assert 'data-field="named-objector"' not in page
    # The person the entry names does not see its grounds, and may object to being named
    # meanwhile: that objection is verified beside the subject's own (R6).
    theirs = _my_page(as_person)
    assert 'data-field="verification-elsewhere"' not in theirs and GROUNDS not in theirs
    assert f'href="/my/named-in/{entry.pk}/objection/"' in theirs


def test_another_partys_objection_is_not_the_persons(officer, entry, person):
    as_person = _own_client("xu", person)
    _by_form(officer, entry, objector_kind="other", objector="某律师事务所")
    page = _my_page(as_person)
    assert GROUNDS not in page
    # Disputing the listing, it is the entry's own objection: the person's to being named is
    # verified beside it, and not kept waiting (R6).
    assert 'data-field="verification-elsewhere"' not in page


def test_the_person_is_not_named_in_what_the_public_reads(person, organisation):
    candidate = ListEntryFactory(subject=organisation, in_publicity=True)
    ListEntryPerson.objects.create(entry=candidate, person=person, role="legal_representative")
    officer = OfficerFactory(department=candidate.list.recognizing_department).user
    answer = _by_form(officer, candidate, objector_kind="named_person", person=str(person.pk))
    assert answer.status_code == 302
    candidate.refresh_from_db()
    assert candidate.state == EntryState.UNDER_VERIFICATION
    with clock.frozen(DAY + dt.timedelta(days=3)):
        services.reject_listing(candidate.pk, actor=officer, finding="辞职早于违法行为")
    bodies = " ".join(Announcement.objects.filter(entry=candidate).values_list("body", flat=True))
    assert Announcement.objects.filter(entry=candidate, kind="correction").exists()
    assert PERSON not in bodies and PERSON_ID not in bodies
    with clock.frozen(DAY + dt.timedelta(days=3)):
        public = Client().get("/announcements/").content.decode()
    assert PERSON not in public


def test_another_partys_objection_is_answered_to_it_and_kept_from_the_subject(
    officer, entry, organisation
):
    """The subject sees that an objection was made and decided, never by whom or why (R14);
    the letter names and answers the party; where the listing proves wrong the subject gets its
    own correction and apology (000 §十一.3)."""
    as_organisation = _own_client("danwei", organisation)
    _by_form(officer, entry, objector_kind="other", objector="某律师事务所")
    page = _my_page(as_organisation)
    assert 'data-field="other-objector"' in page and 'data-objection="open"' in page
    assert GROUNDS not in page and "某律师事务所" not in page
    with clock.frozen(DAY + dt.timedelta(days=5)):
        services.exit_entry(entry.pk, actor=officer, reason="corrected", note="处罚已被撤销")
    event = entry.events.get(action="exit")
    to_party, to_subject = event.data["objection_result"], event.data["result_to_subject"]
    assert to_party.startswith("某律师事务所：") and f"将{ORGANISATION}列入" in to_party
    assert "已向当事人书面致歉" in to_party and "恢复你" not in to_party
    assert to_subject.startswith(f"{ORGANISATION}：") and "有关方面提出了异议" in to_subject
    assert "某律师事务所" not in to_subject and "书面致歉" in to_subject
    with clock.frozen(DAY + dt.timedelta(days=5)):
        decided = as_organisation.get("/my/").content.decode()
    assert "有关方面提出了异议" in decided and "某律师事务所" not in decided
    assert GROUNDS not in decided


def test_an_unfounded_objection_of_another_party_tells_the_subject_only_that_it_was_verified(
    officer, entry, organisation
):
    as_organisation = _own_client("danwei", organisation)
    _by_form(officer, entry, objector_kind="other", objector="某律师事务所")
    with clock.frozen(DAY + dt.timedelta(days=5)):
        services.uphold_after_verification(entry.pk, actor=officer, finding="处罚合法有效")
    letter = entry.events.get(action="uphold").data["objection_result"]
    assert letter.startswith("某律师事务所：") and "异议不成立" in letter
    with clock.frozen(DAY + dt.timedelta(days=5)):
        page = as_organisation.get("/my/").content.decode()
    assert 'data-field="other-objection-decided"' in page and "处罚合法有效" not in page
