"""Object-level access (R14): a department's officer sees and acts only on its own entries; a
credit subject sees only itself, in full, and nothing of any other subject through any route."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    CreditRecordFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
    make_citizen_id,
    meeting_fields,
)
from xinyong.access import matrix, routes
from xinyong.access.middleware import REFUSAL_HEADER
from xinyong.access.models import SubjectAccount
from xinyong.catalog.models import CreditRecord
from xinyong.core import clock
from xinyong.listings import documents
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ListEntry, ListEntryEvent, ListEntryPerson
from xinyong.remedies.models import (
    ObjectionEvidence,
    OnlineObjection,
    RecordObjection,
    RepairApplication,
    RepairMaterial,
)

pytestmark = pytest.mark.django_db
D = dt.date

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@pytest.fixture
def ours():
    return ListDefinitionFactory(code="food-black")


@pytest.fixture
def theirs():
    return ListDefinitionFactory(code="tax-black")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- one department's officer and another department's entries -------------------------------


def test_the_api_shows_another_departments_entry_to_no_one(ours, theirs):
    mine = ListEntryFactory(list=ours)
    other = ListEntryFactory(list=theirs)
    api = logged_in(OfficerFactory(department=ours.recognizing_department).user)
    assert api.get(f"/api/v1/listings/entries/{mine.pk}").status_code == 200
    assert api.get(f"/api/v1/listings/entries/{other.pk}").status_code == 404
    listed = api.get("/api/v1/listings/entries").json()["items"]
    assert [e["id"] for e in listed] == [mine.pk]
    found = api.get("/api/v1/listings/entries", {"subject": other.subject.name}).json()
    assert found["items"] == []


def test_the_api_lets_no_officer_act_on_another_departments_entry(ours, theirs):
    drafted = ListEntryFactory(list=theirs)
    waiting = ListEntryFactory(list=theirs, awaiting_signature=True)
    api = logged_in(OfficerFactory(department=ours.recognizing_department, signer=True).user)
    with clock.frozen(dt.date(2026, 10, 27)):
        notify = api.post(
            f"/api/v1/listings/entries/{drafted.pk}/notify",
            {"version": drafted.version, **meeting_fields(drafted.pk)},
            content_type="application/json",
        )  # fmt: skip
        sign = api.post(
            f"/api/v1/listings/entries/{waiting.pk}/sign", {"version": waiting.version},
            content_type="application/json",
        )  # fmt: skip
    # As for a read, the answer does not tell that the entry exists.
    assert (notify.status_code, notify.json()["code"]) == (404, "entry-not-found")
    assert (sign.status_code, sign.json()["code"]) == (404, "entry-not-found")
    drafted.refresh_from_db()
    waiting.refresh_from_db()
    assert (drafted.state, waiting.state) == (EntryState.DRAFT, EntryState.AWAITING_SIGNATURE)


def test_office_pages_show_and_act_on_the_departments_own_entries_only(ours, theirs):
    mine = ListEntryFactory(list=ours, subject__name="本部门主体公司")
    other = ListEntryFactory(list=theirs, subject__name="他部门主体公司")
    office = logged_in(OfficerFactory(department=ours.recognizing_department).user)
    worklist = office.get("/office/").content.decode()
    assert "本部门主体公司" in worklist and "他部门主体公司" not in worklist
    assert office.get(f"/office/entries/{mine.pk}/").status_code == 200
    assert office.get(f"/office/entries/{other.pk}/").status_code == 404
    with clock.frozen(dt.date(2026, 9, 21)):
        acted = office.post(f"/office/entries/{other.pk}/notify/", {"version": other.version})
    assert acted.status_code == 404  # as invisible to a write as to a read, with no message left
    assert not list(acted.wsgi_request._messages)
    other.refresh_from_db()
    assert other.state == EntryState.DRAFT


# --- a credit subject sees only itself ------------------------------------------------------


@pytest.fixture
def people():
    """Subject X (with an account) and subject Y, each with an entry and a credit record."""
    x = SubjectFactory(natural_person=True, name="许本人")
    y = SubjectFactory(natural_person=True, name="杨他人")
    for person in (x, y):
        ListEntryFactory(subject=person, in_publicity=True, facts=f"{person.name}的失信事实")
        CreditRecordFactory(subject=person, title=f"{person.name}的行政处罚")
    ListEntryFactory(subject=x)  # a draft: the subject has not been told yet
    user = UserFactory(username="xu")
    SubjectAccount.objects.create(user=user, subject=x)
    return user, x, y


def test_the_subjects_page_shows_itself_in_full(people):
    user, x, _ = people
    html = logged_in(user).get("/my/").content.decode()
    assert x.reveal_identifier() in html
    assert "许本人的失信事实" in html and "许本人的行政处罚" in html
    assert html.count("data-entry=") == 1  # the draft is not shown


def test_the_subjects_page_says_how_and_when_an_entry_ended(people):
    """An exited entry shows its reason and day; the page says it shows the subject's own data
    in full, and offers no back-office link the subject cannot use."""
    user, x, _ = people
    ListEntryFactory(subject=x, exited=True, exit_reason="corrected", exited_on=D(2026, 9, 6))
    html = logged_in(user).get("/my/").content.decode()
    assert "已移出（经核实认定有误，予以更正，2026-09-06）" in html
    assert "完整显示" in html
    assert "/admin/" not in html


def test_the_me_api_answers_the_callers_own_record_whatever_it_asks(people):
    user, x, y = people
    api = logged_in(user)
    me = api.get("/api/v1/me", {"subject": y.reveal_identifier(), "id": y.pk}).json()
    assert me["subject"] == {"kind": "natural_person", "name": "许本人",
                             "identifier": x.reveal_identifier()}  # fmt: skip
    assert [e["facts"] for e in me["entries"]] == ["许本人的失信事实"]
    assert [r["title"] for r in me["records"]] == ["许本人的行政处罚"]


def test_a_person_sees_the_entries_of_organisations_naming_them(people):
    user, x, _ = people
    organisation = ListEntryFactory(effective=True, subject__name="许本人任法定代表人的公司")
    ListEntryPerson.objects.create(entry=organisation, person=x, role="legal_representative")
    me = logged_in(user).get("/api/v1/me").json()
    assert [e["subject_name"] for e in me["named_in"]] == ["许本人任法定代表人的公司"]


def test_an_officer_has_no_own_record():
    answer = logged_in(OfficerFactory().user).get("/api/v1/me")
    assert (answer.status_code, answer[REFUSAL_HEADER]) == (403, "denied")


def _evidence_of(entry) -> ObjectionEvidence:
    """An evidence file Y sent with an objection (its bytes need not exist: X is never given it)."""
    event = ListEntryEvent.objects.create(
        entry=entry, action="object", to_state=entry.state, business_date=clock.today(),
        actor="y", reason="异议",
    )  # fmt: skip
    objection = OnlineObjection.objects.create(entry=entry, event=event, account=UserFactory())
    return ObjectionEvidence.objects.create(
        objection=objection, stored_name=f"{entry.pk}/y.pdf", file_name=f"{entry.subject.name}.pdf",
        content_type="application/pdf", size=1,
    )  # fmt: skip


def _repair_material_of(entry) -> RepairMaterial:
    """A material Y sent with a repair application (its bytes need not exist either)."""
    application = RepairApplication.objects.create(
        subject=entry.subject, entry=entry, department=entry.list.recognizing_department,
        account=UserFactory(), corrected="已履行", submitted_on=clock.today(),
    )  # fmt: skip
    return RepairMaterial.objects.create(
        application=application, kind="commitment", stored_name=f"repairs/{entry.pk}/y.pdf",
        file_name=f"{entry.subject.name}.pdf", content_type="application/pdf", size=1,
    )  # fmt: skip


def _record_objection_of(record) -> RecordObjection:
    """An objection Y made to its own record."""
    return RecordObjection.objects.create(
        record=record, department=record.department, objector=record.subject.name,
        grounds="异议", received_on=clock.today(), due_on=clock.today(),
    )  # fmt: skip


def _urls_pointing_at(y) -> list[tuple[str, str]]:
    """Every row's sample URL, its parameters naming Y's objects where they name any."""
    entry = ListEntry.objects.filter(subject=y).first()
    title, body = documents.publicity_notice(entry)
    notice = Announcement.objects.create(
        entry=entry, kind=Announcement.Kind.PUBLICITY, channel=entry.channel,
        published_on=clock.today(), title=title, body=body,
    )  # fmt: skip
    material = _repair_material_of(entry)
    record = CreditRecord.objects.filter(subject=y).first()
    samples = {
        "entry_id": entry.pk,
        "announcement_id": notice.pk,
        "subject_id": y.pk,
        "job_id": 1,
        "action": "notify",
        "check_id": "00000000-0000-0000-0000-000000000001",
        "feedback_id": 1,
        "kind": "black",
        "record_format": "penalties",
        "evidence_id": _evidence_of(entry).pk,
        "application_id": material.application_id,
        "material_id": material.pk,
        "record_id": record.pk,
        "objection_id": _record_objection_of(record).pk,
        "report_id": 1,
        "duty_id": 1,
    }
    by_name = {route.name: route for route in routes.all_routes()}
    calls = []
    for rule in matrix.load().rules:
        name = "admin:index" if rule.route == "admin:*" else rule.route
        kwargs = {p: samples[p] for p in PARAMETER.findall(by_name[name].path)}
        calls.append((rule.method.replace("*", "GET"), reverse(name, kwargs=kwargs)))
    return calls


def test_no_route_shows_subject_y_to_subject_x(people):
    user, _, y = people
    secrets = [y.reveal_identifier(), y.name]
    leaks, answered = [], []
    for method, url in _urls_pointing_at(y):
        client = logged_in(user)
        if url.startswith("/api/"):
            response = client.generic(method, url, "{}", content_type="application/json")
        else:
            response = client.generic(method, url)
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        if response.get(REFUSAL_HEADER) is None:
            answered.append(f"{method} {url}")
            if any(secret in text for secret in secrets):
                leaks.append(f"{method} {url}")
    assert not leaks, f"subject Y shown to subject X by: {leaks}"
    assert {"GET /my/", "GET /api/v1/me"} <= set(answered)


def test_an_organisations_facts_mask_the_other_persons_they_name_for_a_person_it_names(people):
    """The person sees the organisation's entry, not other persons' data: an ID number and
    another linked person written into the facts are masked, on the page and in the API."""
    user, x, _ = people
    colleague = SubjectFactory(natural_person=True, name="欧阳娜娜")
    other_id = make_citizen_id(77, region="110105")  # no factory sequence makes it: no one here
    organisation = ListEntryFactory(
        effective=True, subject__name="许本人任法定代表人的公司",
        facts=f"经查，该公司财务负责人欧阳娜娜（身份证号{other_id}）参与虚开发票",
    )  # fmt: skip
    ListEntryPerson.objects.create(entry=organisation, person=x, role="legal_representative")
    ListEntryPerson.objects.create(entry=organisation, person=colleague, role="principal")
    client = logged_in(user)
    facts = client.get("/api/v1/me").json()["named_in"][0]["facts"]
    html = client.get("/my/").content.decode()
    for shown in (facts, html):
        assert "欧阳娜娜" not in shown and other_id not in shown
    assert "参与虚开发票" in facts
