"""A natural person an organisation's entry names objects online to it (R6, 000 §十一.2: anyone
listed or recorded may object with evidence; 004 §二(三)6: the organisation's dishonesty is
recorded against its responsible persons too).

The person objects through the listing procedure's own service, as the subject does: the same
20-day deadline, suspension, history and audit row, one objection at a time whoever sends it.
Only the person named may object as that person; the person is answered, and is masked on
every surface the public or the organisation reads.
"""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection  # noqa: F401  (a skip condition below reads it by name)
from django.test import Client

from tests.check_clients import check
from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from tests.races import race
from xinyong.access.models import SubjectAccount
from xinyong.audit.models import AuditEntry, QueryRegistration
from xinyong.calendars.selectors import work_calendar
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import services
from xinyong.listings.models import EntryState, ExitReason, ListEntryPerson, ListKind
from xinyong.measures import selectors as measure_selectors
from xinyong.remedies import services as remedies
from xinyong.remedies.models import ObjectionEvidence, OnlineObjection

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 10, 13)  # 20 days later is Monday 2026-11-02, a working day (R15)
DUE = dt.date(2026, 11, 2)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PERSON = "许本人"
GROUNDS = "本人已于处罚前辞去法定代表人职务"


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _client(username, subject) -> Client:
    user = UserFactory(username=username)
    SubjectAccount.objects.create(user=user, subject=subject)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def organisation():
    return SubjectFactory(name="杭州某某科技有限公司")


@pytest.fixture
def person():
    return SubjectFactory(natural_person=True, name=PERSON)


@pytest.fixture
def as_person(person) -> Client:
    return _client("xu", person)


@pytest.fixture
def as_organisation(organisation) -> Client:
    return _client("danwei", organisation)


def _entry(organisation, person, trait="in_publicity", **kwargs):
    entry = ListEntryFactory(subject=organisation, **{trait: True}, **kwargs)
    ListEntryPerson.objects.create(entry=entry, person=person, role="legal_representative")
    return entry


def _object(client, entry, grounds=GROUNDS, files=(), day=DAY, named=True):
    url = f"/my/named-in/{entry.pk}/objection/" if named else f"/my/entries/{entry.pk}/objection/"
    with clock.frozen(day):
        return client.post(url, {"grounds": grounds, "files": list(files)})


def _pdf(name="辞职证明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _officer_client(entry) -> Client:
    client = Client()
    client.force_login(OfficerFactory(department=entry.list.recognizing_department).user)
    return client


# --- the person named objects ---------------------------------------------------------------------


def test_a_named_person_objects_to_a_candidacy_in_publicity(as_person, organisation, person):
    entry = _entry(organisation, person)
    assert as_person.get(f"/my/named-in/{entry.pk}/objection/").status_code == 200
    answer = _object(as_person, entry, files=[_pdf()])
    assert (answer.status_code, answer["Location"]) == (302, f"/my/#entry-{entry.pk}")
    entry.refresh_from_db()
    assert entry.state == EntryState.UNDER_VERIFICATION
    assert entry.verification_due_on == DUE == work_calendar().add_days(DAY, 20).date
    assert entry.subject == organisation  # the subject stays the organisation
    event = entry.events.get(action="object")
    assert (event.actor, event.reason, event.data) == (
        "xu", GROUNDS,
        {"objector": PERSON, "objector_named_as": "法定代表人", "objector_person": person.pk},
    )  # fmt: skip
    sent = OnlineObjection.objects.get(event=event)
    assert (sent.person, sent.account.username) == (person, "xu")
    assert [f.file_name for f in sent.evidence.all()] == ["辞职证明.pdf"]


def test_the_objection_leaves_one_audit_row_by_the_persons_account(as_person, organisation, person):
    entry = _entry(organisation, person)
    _object(as_person, entry)
    audit = AuditEntry.objects.get(action="listing.object")
    assert (audit.actor, audit.object_type, audit.object_id) == (
        "xu", "listings.listentry", str(entry.pk)
    )  # fmt: skip
    assert audit.before["verification_due_on"] is None
    assert audit.after["verification_due_on"] == DUE.isoformat()


@pytest.mark.parametrize("suspends", [True, False])
def test_a_named_person_objects_to_an_effective_entry(as_person, organisation, person, suspends):
    definition = ListDefinitionFactory(objection_suspends_measures=suspends)
    entry = _entry(organisation, person, "effective", list=definition)
    assert _object(as_person, entry).status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    # The person disputes being named, not the organisation's listing (R6): its naming only,
    # which keeps the objection and its deadline; the entry's own objection is not taken.
    assert entry.verification_due_on is None
    assert [(n.person, n.verification_due_on) for n in entry.naming_objections] == [(person, DUE)]
    assert entry.is_suspended_by_objection is False
    assert entry.is_naming_suspended_by_objection is suspends
    assert entry.is_suspended_for(person.pk) is suspends
    assert entry.is_suspended_for(organisation.pk) is False
    with clock.frozen(DAY):
        page = as_person.get("/my/").content.decode()
    assert 'data-objection="open"' in page and GROUNDS in page
    assert "2026-11-02" in page
    assert ("相关措施暂停" in page) is suspends
    assert f'href="/my/named-in/{entry.pk}/objection/"' not in page


# --- what the person's objection suspends: its naming, never the organisation's own ---------------


def _checked(api, subject):
    """(result, [(measure, suspended)], [entry suspended]) of a check of ``subject``."""
    with clock.frozen(DAY):
        body = check(api, subject=subject.reveal_identifier(), scenario="government_procurement")
    body = body.json()
    return (
        body["result"],
        [(m["code"], m["suspended"]) for m in body["measures"]],
        [e["suspended"] for e in body["entries"]],
    )


@pytest.fixture
def named_black(organisation, person):
    """A black-list entry of the organisation naming the person and another, both as legal
    representatives (the measures: ``check_clients.measures``)."""
    entry = _entry(organisation, person, "effective", list__kind=ListKind.BLACK)
    other = SubjectFactory(natural_person=True, name="杨另一")
    ListEntryPerson.objects.create(entry=entry, person=other, role="legal_representative")
    return entry, other


def test_a_named_persons_objection_suspends_only_what_reaches_that_person(
    api, measures, finance, as_person, organisation, person, named_black
):
    """The person disputes being named, not the organisation's listing (R6: the measures based
    on the information under verification; 004 §二(三)6): while it is verified the measures
    reaching that person through the entry are suspended, the organisation's own apply, and so
    do those reaching another person the entry names."""
    entry, other = named_black
    assert _object(as_person, entry).status_code == 302
    assert _checked(api, organisation) == ("punish", [("bar-procurement", False)], [False])
    assert _checked(api, person) == ("clear", [("bar-representative", True)], [True])
    assert _checked(api, other) == ("punish", [("bar-representative", False)], [False])
    # A check by name reads the entries through the ORM: the same suspension.
    with clock.frozen(DAY):
        for subject, suspended in ((organisation, False), (person, True), (other, False)):
            facts = measure_selectors.entry_facts(subject, finance.pk)
            assert [fact.suspended for fact in facts] == [suspended], subject.name


def test_the_organisations_own_objection_still_suspends_every_measure_on_the_entry(
    api, measures, as_organisation, organisation, person, named_black
):
    entry, other = named_black
    assert _object(as_organisation, entry, named=False).status_code == 302
    entry.refresh_from_db()
    assert entry.naming_objections == [] and entry.is_suspended_by_objection
    assert _checked(api, organisation) == ("clear", [("bar-procurement", True)], [True])
    for named in (person, other):  # what reaches the persons rests on the listing disputed
        assert _checked(api, named) == ("clear", [("bar-representative", True)], [True])


def test_the_naming_is_suspended_until_the_objection_is_decided(
    api, measures, as_person, organisation, person, named_black
):
    """The workflow is the objection's as before: the 20-day deadline, the audit row, the
    decision; deciding it ends the naming's suspension with it."""
    entry, _ = named_black
    _object(as_person, entry)
    entry.refresh_from_db()
    assert entry.verification_due_on is None
    assert [(n.person, n.verification_due_on) for n in entry.naming_objections] == [(person, DUE)]
    audit = AuditEntry.objects.get(action="listing.object")
    assert (audit.before["naming_objections"], audit.after["naming_objections"]) == (
        {}, {str(person.pk): DUE.isoformat()}
    )  # fmt: skip
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(DAY + dt.timedelta(days=3)):
        services.uphold_after_verification(entry.pk, actor=officer, finding="辞职晚于违法行为")
    entry.refresh_from_db()
    assert (entry.verification_due_on, entry.naming_objections) == (None, [])
    assert AuditEntry.objects.get(action="listing.uphold").after["naming_objections"] == {}
    assert _checked(api, person) == ("punish", [("bar-representative", False)], [False])


def test_the_office_shows_whose_measures_are_suspended(
    as_person, organisation, person, named_black
):
    """The officer's dossier of each subject, and the entry page, tell what the person's
    objection suspends: that person's naming, not the organisation's measures (R6)."""
    entry, other = named_black
    _object(as_person, entry)
    office = _officer_client(entry)

    def status(subject):
        with clock.frozen(DAY):
            page = office.post(
                f"/office/subjects/{subject.pk}/",
                {"purpose": "regulatory_supervision", "purpose_detail": "检查"},
            ).content.decode()
        found = re.search(r'<span class="objection" data-suspended="(\w+)"([^>]*)>([^<]*)', page)
        return found.group(1), found.group(3)

    suspended, text = status(organisation)
    assert suspended == "false" and "所列人员对被列明提出的异议核实中" in text
    assert "仅暂停对该人员实施的奖惩措施" in text
    suspended, text = status(person)
    assert suspended == "true" and "依据该记录对本人实施的奖惩措施暂停执行" in text
    assert status(other)[0] == "false"
    with clock.frozen(DAY):
        page = office.get(f"/office/entries/{entry.pk}/").content.decode()
    assert 'data-suspended="naming"' in page and f"仅暂停对提出异议的所列人员{PERSON}" in page


def test_the_person_is_offered_the_form_only_where_the_workflow_takes_an_objection(
    as_person, organisation, person
):
    open_entry = _entry(organisation, person, "effective")
    ended = _entry(SubjectFactory(), person, "exited")
    with clock.frozen(DAY):
        page = as_person.get("/my/").content.decode()
    assert f'href="/my/named-in/{open_entry.pk}/objection/"' in page
    assert f'href="/my/named-in/{ended.pk}/objection/"' not in page
    answer = _object(as_person, ended)
    assert answer.status_code == 422 and "transition-not-allowed" in answer.content.decode()
    assert not OnlineObjection.objects.exists()


# --- least privilege ------------------------------------------------------------------------------


def test_another_person_finds_no_entry_that_does_not_name_them(organisation, person):
    entry = _entry(organisation, person)
    stranger = _client("yang", SubjectFactory(natural_person=True, name="杨他人"))
    assert stranger.get(f"/my/named-in/{entry.pk}/objection/").status_code == 404
    assert _object(stranger, entry).status_code == 404
    assert _object(stranger, entry, named=False).status_code == 404
    entry.refresh_from_db()
    assert entry.state == EntryState.IN_PUBLICITY and entry.verification_due_on is None
    assert not OnlineObjection.objects.exists()


def test_the_person_cannot_object_as_the_organisation(as_person, organisation, person):
    entry = _entry(organisation, person)
    assert _object(as_person, entry, named=False).status_code == 404
    assert not OnlineObjection.objects.exists()


def test_the_organisations_account_cannot_object_as_the_person_it_names(
    as_organisation, organisation, person
):
    entry = _entry(organisation, person)
    for answer in (
        as_organisation.get(f"/my/named-in/{entry.pk}/objection/"),
        _object(as_organisation, entry, files=[_pdf()]),
    ):
        assert answer.status_code == 403
        assert "只有名单记录所列人员本人可以以所列人员身份提出异议" in answer.content.decode()
    entry.refresh_from_db()
    assert entry.verification_due_on is None
    assert not OnlineObjection.objects.exists() and not ObjectionEvidence.objects.exists()


def test_a_draft_naming_the_person_is_not_found(as_person, organisation, person):
    draft = ListEntryFactory(subject=organisation)
    ListEntryPerson.objects.create(entry=draft, person=person, role="legal_representative")
    assert as_person.get(f"/my/named-in/{draft.pk}/objection/").status_code == 404


# --- one objection at a time of each kind ---------------------------------------------------------


@pytest.mark.parametrize("first", ["organisation", "person"])
def test_no_second_objection_to_a_candidacy_while_one_is_verified_whoever_sent_it(
    as_person, as_organisation, organisation, person, first
):
    """During publicity a person's objection stops the candidacy as the organisation's does
    (R1, R6): one objection to the candidacy at a time."""
    entry = _entry(organisation, person, "in_publicity")
    send = {
        "organisation": lambda **kw: _object(as_organisation, entry, named=False, **kw),
        "person": lambda **kw: _object(as_person, entry, **kw),
    }
    second = "person" if first == "organisation" else "organisation"
    assert send[first]().status_code == 302
    again = send[second](grounds="再次异议", files=[_pdf("再次.pdf")])
    assert again.status_code == 422
    assert "已有异议正在核实，核实结束前不能再次提出" in again.content.decode()
    assert OnlineObjection.objects.count() == 1 and ObjectionEvidence.objects.count() == 0
    assert entry.events.filter(action="object").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_the_organisation_and_the_person_objecting_at_once_one_is_taken(organisation, person):
    entry = _entry(organisation, person, "in_publicity")  # one objection stops a candidacy
    accounts = {}
    for username, subject in (("danwei", organisation), ("xu", person)):
        accounts[username] = UserFactory(username=username)
        SubjectAccount.objects.create(user=accounts[username], subject=subject)
    outcomes = race(
        lambda: remedies.object_to_entry(entry.pk, actor=accounts["danwei"], grounds="单位异议"),
        lambda: remedies.object_as_named_person(entry.pk, actor=accounts["xu"], grounds=GROUNDS),
    )
    assert sorted(outcomes) == ["objection-pending", "ok"], outcomes
    assert entry.events.filter(action="object").count() == 1
    assert OnlineObjection.objects.count() == 1
    assert AuditEntry.objects.filter(action="listing.object").count() == 1


@pytest.mark.parametrize("trait", ["in_publicity", "effective"])
def test_the_person_sees_that_the_organisations_objection_is_verified_not_its_grounds(
    as_person, as_organisation, organisation, person, trait
):
    """Against a candidacy the person waits for the organisation's objection; against an
    effective entry the person's own objection to being named is verified beside it (R6)."""
    entry = _entry(organisation, person, trait)
    _object(as_organisation, entry, grounds="单位的异议理由", named=False)
    with clock.frozen(DAY):
        page = as_person.get("/my/").content.decode()
    assert "单位的异议理由" not in page
    waits = trait == "in_publicity"
    assert ('data-field="verification-elsewhere"' in page and "2026-11-02" in page) is waits
    assert (f'href="/my/named-in/{entry.pk}/objection/"' not in page) is waits


# --- the verifying department ---------------------------------------------------------------------


def test_the_verifying_department_sees_who_objected_and_gets_the_evidence(
    as_person, organisation, person
):
    entry = _entry(organisation, person)
    _object(as_person, entry, files=[_pdf()])
    kept = ObjectionEvidence.objects.get()
    ours = _officer_client(entry)
    page = ours.get(f"/office/entries/{entry.pk}/").content.decode()
    assert "由本记录所列人员许本人（法定代表人）在网上提出" in page
    assert f'href="/office/evidence/{kept.pk}/"' in page and "辞职证明.pdf" in page
    before = set(QueryRegistration.objects.values_list("pk", flat=True))
    answer = ours.get(f"/office/evidence/{kept.pk}/")
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == PDF
    # The file names a person (R14, 001 §13): its download is registered as an export.
    download = QueryRegistration.objects.exclude(pk__in=before).get()
    assert (download.kind, download.purpose_id) == ("export", "objection_verification")
    assert download.subject_id == organisation.pk and download.natural_persons == 1
    theirs = Client()
    theirs.force_login(OfficerFactory().user)
    assert theirs.get(f"/office/evidence/{kept.pk}/").status_code == 404
    assert QueryRegistration.objects.exclude(pk__in=before).count() == 1


def test_the_evidence_goes_back_to_the_person_only(
    as_person, as_organisation, organisation, person
):
    entry = _entry(organisation, person)
    _object(as_person, entry, files=[_pdf()])
    kept = ObjectionEvidence.objects.get()
    answer = as_person.get(f"/my/evidence/{kept.pk}/")
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == PDF
    assert answer["Content-Disposition"].startswith("attachment")
    # The organisation's entry, the person's file: the organisation does not get it (R14).
    assert as_organisation.get(f"/my/evidence/{kept.pk}/").status_code == 404
    stranger = _client("yang", SubjectFactory(natural_person=True))
    assert stranger.get(f"/my/evidence/{kept.pk}/").status_code == 404


# --- the result, and masking ----------------------------------------------------------------------


def test_an_unfounded_objection_is_answered_to_the_person(
    as_person, as_organisation, organisation, person
):
    entry = _entry(organisation, person, "effective")
    _object(as_person, entry)
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(DAY + dt.timedelta(days=3)):
        services.uphold_after_verification(entry.pk, actor=officer, finding="辞职晚于违法行为")
        page = as_person.get("/my/").content.decode()
        theirs = as_organisation.get("/my/").content.decode()
    result = entry.events.get(action="uphold").data["objection_result"]
    assert result.startswith(f"{PERSON}：\n你对杭州某某科技有限公司列入{entry.list.name}提出的异议")
    assert f"维持将杭州某某科技有限公司列入{entry.list.name}的决定" in result
    assert "你（单位）" not in result
    assert 'data-objection="decided"' in page and "辞职晚于违法行为" in page
    assert f'href="/my/named-in/{entry.pk}/objection/"' in page  # a new objection may follow
    # The organisation sees that the person it names objected, masked, and when it was decided.
    assert "许某" in theirs and "2026-10-16" in theirs and "核实结果已告知提出异议的人员" in theirs
    for withheld in (PERSON, GROUNDS, "辞职晚于违法行为"):
        assert withheld not in theirs
    # Nothing of the organisation's was wrong: it receives no letter (000 §十一.3). The step
    # keeps whose naming it decided, which the change feed tells (R11).
    assert entry.events.get(action="uphold").data.keys() == {"objection_result", "objector_person"}
    assert entry.events.get(action="uphold").data["objector_person"] == person.pk
    assert 'data-field="objection-result"' not in theirs


def test_a_founded_objection_apologises_to_the_person(as_person, organisation, person):
    entry = _entry(organisation, person, "effective")
    _object(as_person, entry)
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(DAY + dt.timedelta(days=5)):
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED, note="核实有误")
    result = entry.events.get(action="exit").data["objection_result"]
    assert f"原将杭州某某科技有限公司列入{entry.list.name}的认定予以更正" in result
    assert "杭州某某科技有限公司移出该名单" in result
    assert "本机关特向你书面致歉" in result and "恢复你的名誉" in result


def test_a_founded_objection_to_a_candidacy_names_the_organisation_not_listed(
    as_person, organisation, person
):
    entry = _entry(organisation, person)
    _object(as_person, entry)
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(DAY + dt.timedelta(days=5)):
        services.reject_listing(entry.pk, actor=officer, finding="核实有误")
    result = entry.events.get(action="reject").data["objection_result"]
    assert f"处理结果：异议成立，杭州某某科技有限公司不予列入{entry.list.name}。" in result


FOUND = "该处罚决定已被撤销"


def _decide_founded(entry, verb):
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(DAY + dt.timedelta(days=5)):
        if verb == "exit":
            services.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED, note=FOUND)
        else:
            services.reject_listing(entry.pk, actor=officer, finding=FOUND)
    return entry.events.get(action=verb).data


@pytest.mark.parametrize(
    ("trait", "verb", "outcome"),
    [
        ("effective", "exit", "原列入{list}的认定予以更正，你（单位）移出该名单。"),
        ("in_publicity", "reject", "处理结果：异议成立，不予列入{list}。"),
    ],
)
def test_a_founded_objection_corrects_and_apologises_to_the_organisation(
    as_person, as_organisation, organisation, person, trait, verb, outcome
):
    """The listing was wrong: the 当事人 whose information is corrected, apologised to and
    whose reputation is restored is the organisation listed, whoever pointed out the error
    (000 §十一.3); the person still receives its own answer."""
    entry = _entry(organisation, person, trait)
    _object(as_person, entry, files=[_pdf()])
    data = _decide_founded(entry, verb)
    letter = data["result_to_subject"]
    assert letter.startswith(
        f"杭州某某科技有限公司：\n对你（单位）{'列入' if trait == 'effective' else '拟列入'}"
    )
    assert "该名单记录所列人员提出了异议" in letter and f"核实结论：{FOUND}" in letter
    assert outcome.format(list=entry.list.name) in letter
    for part in ("本机关特向你（单位）书面致歉", "发布更正公告予以澄清", "恢复你（单位）的名誉"):
        assert part in letter
    assert "行政复议" in letter and "行政诉讼" in letter
    # The person's own letter is unchanged by it.
    assert data["objection_result"].startswith(f"{PERSON}：\n你对杭州某某科技有限公司")
    assert "本机关特向你书面致歉" in data["objection_result"]
    for withheld in (PERSON, GROUNDS, "法定代表人", person.reveal_identifier()):
        assert withheld not in letter


@pytest.mark.parametrize(("trait", "verb"), [("effective", "exit"), ("in_publicity", "reject")])
def test_the_organisation_reads_its_apology_and_the_person_its_own(
    as_person, as_organisation, organisation, person, trait, verb
):
    entry = _entry(organisation, person, trait)
    _object(as_person, entry, files=[_pdf()])
    data = _decide_founded(entry, verb)
    kept = ObjectionEvidence.objects.get()
    with clock.frozen(DAY + dt.timedelta(days=5)):
        theirs = as_organisation.get("/my/").content.decode()
        page = as_person.get("/my/").content.decode()
    assert "致你（单位）的更正致歉书（2026-10-18）" in theirs
    assert data["result_to_subject"] in theirs and "本机关特向你（单位）书面致歉" in theirs
    assert "许某" in theirs  # who objected, masked, as before the decision
    # The person's grounds, evidence and letter stay the person's (R14).
    for withheld in (PERSON, GROUNDS, "辞职证明.pdf", f"/my/evidence/{kept.pk}/"):
        assert withheld not in theirs
    assert data["objection_result"] not in theirs
    assert data["objection_result"] in page and GROUNDS in page
    assert data["result_to_subject"] not in page


def test_the_person_is_masked_on_every_public_surface(as_person, organisation, person):
    entry = _entry(organisation, person, "effective")
    _object(as_person, entry)
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(DAY):
        listed = Client().get(f"/lists/{entry.list.kind}/").content.decode()
    with clock.frozen(DAY + dt.timedelta(days=5)):
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED, note="核实有误")
        announcements = Client().get("/announcements/").content.decode()
    assert "杭州某某科技有限公司" in listed and "杭州某某科技有限公司" in announcements
    for public in (listed, announcements):
        assert PERSON not in public and GROUNDS not in public
        assert person.reveal_identifier() not in public


# --- a founded objection to being named removes that naming, not the listing ---------------------


def test_a_founded_objection_to_being_named_removes_that_naming_only(
    api, measures, as_person, as_organisation, organisation, person, named_black
):
    """Verification found the person wrongly named (R6, 000 §十一.3, 004 §二(三)6): the
    ``unname`` step removes that naming alone, with its history and audit row. The
    organisation's listing stays in force, is not announced as wrong and owes it no apology;
    the person is answered with the apology; the other person named stays named."""
    entry, other = named_black
    assert _object(as_person, entry).status_code == 302
    announcements = entry.announcements.count()
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(DAY + dt.timedelta(days=5)):
        services.remove_naming_after_verification(entry.pk, actor=officer, finding=FOUND)
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EFFECTIVE, "")
    assert (entry.verification_due_on, entry.naming_objections) == (None, [])
    assert list(entry.persons.values_list("person", flat=True)) == [other.pk]
    assert entry.announcements.count() == announcements
    event = entry.events.get(action="unname")
    assert (event.reason, event.data["objector_person"], event.data["removed_roles"]) == (
        FOUND, person.pk, ["legal_representative"]
    )  # fmt: skip
    assert "result_to_subject" not in event.data
    letter = event.data["objection_result"]
    assert letter.startswith(f"{PERSON}：\n你对杭州某某科技有限公司列入{entry.list.name}")
    assert "已将你从该名单记录所列人员（法定代表人）中移除" in letter
    assert "本机关特向你书面致歉" in letter and "不受影响" in letter
    audit = AuditEntry.objects.get(action="listing.unname")
    assert (audit.before["naming_objections"], audit.after["naming_objections"]) == (
        {str(person.pk): (DUE).isoformat()}, {}
    )  # fmt: skip
    # The organisation and the other person still answer punish; the person is clear.
    assert _checked(api, organisation) == ("punish", [("bar-procurement", False)], [False])
    assert _checked(api, other) == ("punish", [("bar-representative", False)], [False])
    assert _checked(api, person) == ("clear", [], [])
    # The person reads the answer on its own page; the organisation reads no apology.
    with clock.frozen(DAY + dt.timedelta(days=5)):
        page = as_person.get("/my/").content.decode()
        theirs = as_organisation.get("/my/").content.decode()
    assert letter in page
    assert f'href="/my/named-in/{entry.pk}/objection/"' not in page  # it names them no more
    assert letter not in theirs and "书面致歉" not in theirs


def test_the_change_feed_tells_the_naming_ended(api, measures, as_person, person, named_black):
    """A department applying measures to the person through the entry hears they end
    (``naming_ended``, with the person); the entry itself is not told ended (R11)."""
    entry, _ = named_black
    _object(as_person, entry)
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(DAY + dt.timedelta(days=5)):
        services.remove_naming_after_verification(entry.pk, actor=officer, finding=FOUND)
        body = api.get("/api/v1/changes?since=0").json()
    told = [(c["kind"], c["entry_id"]) for c in body["changes"] if c["entry_id"] == entry.pk]
    assert told[-1] == ("naming_ended", entry.pk)
    assert ("ended", entry.pk) not in told
    last = [c for c in body["changes"] if c["entry_id"] == entry.pk][-1]
    assert last["person"]["name"] != PERSON and last["person"]["name"].startswith("许")


def test_the_officer_concludes_a_naming_objection_on_the_entry_page(
    as_person, organisation, person, named_black
):
    """The entry page offers the founded outcome of a named person's objection (the workflow's
    ``unname`` edge), which is refused when no such objection is open."""
    entry, _ = named_black
    office = _officer_client(entry)
    with clock.frozen(DAY):
        assert (
            'data-action="unname"'
            not in office.get(f"/office/entries/{entry.pk}/").content.decode()
        )
    _object(as_person, entry)
    entry.refresh_from_db()
    with clock.frozen(DAY + dt.timedelta(days=5)):
        page = office.get(f"/office/entries/{entry.pk}/").content.decode()
        assert 'data-action="unname"' in page and "异议成立：移除该所列人员" in page
        answer = office.post(
            f"/office/entries/{entry.pk}/unname/",
            {"version": entry.version, "finding": FOUND, "objection": str(person.pk)},
        )
    assert answer.status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    assert not entry.persons.filter(person=person).exists()


def test_the_founded_outcome_of_a_naming_objection_needs_one_open(organisation, person):
    entry = _entry(organisation, person, "effective")
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(DAY), pytest.raises(XinyongError) as refused:
        services.remove_naming_after_verification(entry.pk, actor=officer, finding=FOUND)
    assert refused.value.code == "no-naming-objection-pending"
    assert entry.persons.filter(person=person).exists()
