"""Credit repair applications over the API, for the deciding department's own system, with the
rights the office pages give (R8, R4; 000 §九, 002 §二十六): its own applications only, each
with its materials; accepted with the outcome the office form offers, or rejected, with reasons;
one decision, one audit row; every answer naming a person registered (R14)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import (
    CreditRecordFactory,
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from xinyong.access.models import SubjectAccount
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry, QueryRegistration
from xinyong.catalog.models import PublicationTier
from xinyong.core import clock
from xinyong.listings.models import EntryState, ExitReason
from xinyong.remedies import repairs
from xinyong.remedies.models import RepairApplication, RepairState
from xinyong.remedies.repair_workflow import RepairAction

pytestmark = pytest.mark.django_db
D = dt.date
APPLIED, DECIDED = D(2027, 3, 2), D(2027, 3, 9)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
REASONS = "已履行处罚决定，材料齐全"


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _materials():
    return {
        "fulfilment": [SimpleUploadedFile("缴款凭证.pdf", PDF, content_type="application/pdf")],
        "commitment": [SimpleUploadedFile("信用承诺书.pdf", PDF, content_type="application/pdf")],
    }


def _account_of(subject):
    user = UserFactory()
    SubjectAccount.objects.create(user=user, subject=subject)
    return user


def _for_entry(subject=None, department=None) -> RepairApplication:
    subject = subject or SubjectFactory(name="杭州某某科技有限公司")
    definition = ListDefinitionFactory(
        **({"recognizing_department": department} if department else {})
    )
    entry = ListEntryFactory(subject=subject, list=definition, effective=True)
    with clock.frozen(APPLIED):
        return repairs.apply_for_entry(
            entry.pk, actor=_account_of(subject), corrected="已缴清罚款", materials=_materials()
        )


def _general_record(subject=None, department=None):
    """A general penalty decided on 2026-09-01: minimum to 2026-12-01, public to 2027-09-01."""
    extra = {"department": department} if department else {}
    return CreditRecordFactory(
        subject=subject or SubjectFactory(name="杭州某某餐饮有限公司"),
        tier=PublicationTier.GENERAL, published_on=D(2026, 9, 3),
        publication_min_ends_on=D(2026, 12, 1), publication_ends_on=D(2027, 9, 1),
        sharing_ends_on=D(2027, 9, 1), **extra,
    )  # fmt: skip


def _for_record(record) -> RepairApplication:
    with clock.frozen(APPLIED):
        return repairs.apply_for_record(
            record.pk, actor=_account_of(record.subject), corrected="已缴清罚款",
            materials=_materials(),
        )  # fmt: skip


def _api(department) -> Client:
    user = OfficerFactory(department=department).user
    token, _ = tokens.create_token(actor="test", user=user)
    return Client(headers={"Authorization": f"Bearer {token}"})


def _post(client, application, verb, day=DECIDED, **payload):
    with clock.frozen(day):
        return client.post(
            f"/api/v1/repairs/{application.pk}/{verb}", payload, content_type="application/json"
        )


def _get(client, path="", **params):
    with clock.frozen(DECIDED):
        return client.get(f"/api/v1/repairs{path}", params)


def _download(client, application, material):
    """The answer and its bytes, read to the end (which closes the file it streams from)."""
    answer = client.get(f"/api/v1/repairs/{application.pk}/materials/{material.pk}")
    content = b"".join(answer.streaming_content) if answer.streaming else answer.content
    return answer, content


def _record_dates(record):
    record.refresh_from_db()
    return (
        record.tier, record.publication_ends_on, record.publication_ended_on,
        record.sharing_ends_on, record.sharing_stopped_on,
    )  # fmt: skip


def _decisions():
    return AuditEntry.objects.filter(action__startswith="remedies.repair.").exclude(
        action="remedies.repair.apply"
    )


# --- the list and one application ---------------------------------------------------------


def test_the_department_lists_its_own_applications_filtered_and_paginated():
    department = DepartmentFactory()
    first, second = _for_entry(department=department), _for_entry(department=department)
    _for_entry()  # another department's
    api = _api(department)
    repairs.decide_repair(
        second.pk, actor=OfficerFactory(department=department).user, action=RepairAction.REJECT,
        reasons="材料不全",
    )  # fmt: skip
    listed = _get(api).json()
    assert listed["count"] == 2
    assert [a["id"] for a in listed["items"]] == [first.pk, second.pk]  # open ones first
    assert [a["id"] for a in _get(api, state="submitted").json()["items"]] == [first.pk]
    assert [a["id"] for a in _get(api, state="rejected").json()["items"]] == [second.pk]
    page = _get(api, limit=1, offset=1).json()
    assert (page["count"], [a["id"] for a in page["items"]]) == (2, [second.pk])
    refused = _get(api, state="bogus")
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid-request")
    assert "state须为以下之一" in refused.json()["message"]


def test_one_application_lists_its_materials_by_kind_name_and_size():
    application = _for_entry()
    api = _api(application.department)
    answer = _get(api, f"/{application.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["state"], body["target"], body["entry_id"]) == (
        "submitted", "entry", application.entry_id
    )  # fmt: skip
    assert body["subject_name"] == "杭州某某科技有限公司"
    assert body["corrected"] == "已缴清罚款"
    assert [(m["kind"], m["name"], m["size"]) for m in body["materials"]] == [
        ("fulfilment", "缴款凭证.pdf", len(PDF)), ("commitment", "信用承诺书.pdf", len(PDF)),
    ]  # fmt: skip
    assert body["choices"]["outcomes"] == ["exit"]


def test_a_records_application_offers_what_the_office_form_offers():
    application = _for_record(_general_record())
    body = _get(_api(application.department), f"/{application.pk}").json()
    assert body["target"] == "record" and body["record"]["tier"] == "general"
    assert body["choices"] == {
        "outcomes": ["stop", "lower", "shorten"], "lower_to": "minor",
        "earliest_end": "2027-03-09", "latest_end": "2027-09-01",
    }  # fmt: skip


def test_a_material_is_given_as_a_download_of_the_department_only():
    application = _for_entry()
    material = application.materials.get(kind="commitment")
    api = _api(application.department)
    answer, content = _download(api, application, material)
    assert answer.status_code == 200
    assert content == PDF
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith("attachment")
    other = _for_entry()
    wrong = api.get(f"/api/v1/repairs/{application.pk}/materials/{other.materials.first().pk}")
    assert (wrong.status_code, wrong.json()["code"]) == (404, "material-not-found")
    mismatched = api.get(f"/api/v1/repairs/{other.pk}/materials/{material.pk}")
    assert mismatched.status_code == 404


def test_a_persons_application_is_registered_each_time_it_is_answered():
    person = SubjectFactory(natural_person=True, name="赵某某")
    application = _for_entry(subject=person)
    material = application.materials.first()
    organisation = _for_entry(department=application.department)
    api = _api(application.department)
    _get(api, f"/{organisation.pk}")
    assert not QueryRegistration.objects.exists()  # an organisation only names no person
    _get(api, f"/{application.pk}")
    _download(api, application, material)
    _get(api)
    rows = list(QueryRegistration.objects.order_by("id"))
    assert [(r.kind, r.natural_persons, r.purpose_id) for r in rows] == [
        ("entry_read", 1, "credit_repair"), ("export", 1, "credit_repair"),
        ("entry_list", 1, "credit_repair"),
    ]  # fmt: skip
    assert rows[0].subject == person and rows[0].route == "GET /api/v1/repairs/<application_id>"


# --- deciding ---------------------------------------------------------------------------------


def test_accepting_an_entrys_repair_exits_it_early_with_one_audit_row():
    application = _for_entry()
    answer = _post(_api(application.department), application, "accept", reasons=REASONS)
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["state"], body["outcome"], body["decided_on"], body["reasons"]) == (
        "accepted", "exit", "2027-03-09", REASONS
    )  # fmt: skip
    assert body["choices"] is None
    entry = application.entry
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.REPAIRED)
    assert list(_decisions().values_list("action", flat=True)) == ["remedies.repair.accept"]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({}, ("stop", "", None, D(2027, 3, 9))),
        ({"outcome": "lower"}, ("lower", "minor", None, D(2027, 3, 9))),
        ({"outcome": "shorten", "ends_on": "2027-06-30"},
         ("shorten", "", D(2027, 6, 30), None)),
    ],
    ids=["stop", "lower", "shorten"],
)  # fmt: skip
def test_accepting_a_records_repair_carries_the_outcome_chosen(payload, expected):
    record = _general_record()
    application = _for_record(record)
    answer = _post(_api(record.department), application, "accept", reasons=REASONS, **payload)
    assert answer.status_code == 200, answer.json()
    outcome, new_tier, new_ends_on, ended_on = expected
    body = answer.json()
    assert (body["outcome"], body["new_tier"]) == (outcome, new_tier)
    assert body["new_ends_on"] == (new_ends_on.isoformat() if new_ends_on else None)
    record.refresh_from_db()
    assert record.publication_ended_on == ended_on
    assert _decisions().count() == 1


def test_rejecting_keeps_the_entry_and_tells_the_reasons():
    application = _for_entry()
    answer = _post(_api(application.department), application, "reject", reasons="金额不符")
    assert answer.status_code == 200
    assert (answer.json()["state"], answer.json()["reasons"]) == ("rejected", "金额不符")
    application.entry.refresh_from_db()
    assert application.entry.state == EntryState.EFFECTIVE
    assert list(_decisions().values_list("action", flat=True)) == ["remedies.repair.reject"]


def test_a_decided_application_refuses_a_second_decision_in_chinese():
    application = _for_entry()
    api = _api(application.department)
    assert _post(api, application, "reject", reasons="材料不全").status_code == 200
    again = _post(api, application, "accept", reasons=REASONS)
    assert (again.status_code, again.json()) == (
        409, {"code": "repair-already-decided", "message": "该信用修复申请已办结，请刷新后查看"},
    )  # fmt: skip
    application.refresh_from_db()
    assert application.state == RepairState.REJECTED
    assert _decisions().count() == 1


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"outcome": "bogus"}, "invalid-request"),
        ({"outcome": "exit"}, "repair-outcome-invalid"),
        ({"outcome": "shorten"}, "repair-end-required"),
        ({"outcome": "shorten", "ends_on": "2026-11-30"}, "repair-end-before-minimum"),
        ({"outcome": "shorten", "ends_on": "2027-09-02"}, "repair-end-after-current"),
        ({"outcome": "shorten", "ends_on": "2027-02-30"}, "invalid-request"),
        ({"outcome": "shorten", "ends_on": "20270630"}, "invalid-request"),
        ({"ends_on": "2027-06-30"}, "repair-end-unused"),
        ({"outcome": "stop", "ends_on": "2027-06-30"}, "repair-end-unused"),
        ({"reasons": "   "}, "invalid-request"),
        ({"reasons": "x" * 5001}, "invalid-request"),
    ],
)  # fmt: skip
def test_an_outcome_or_day_refused_changes_nothing(payload, code):
    record = _general_record()
    application = _for_record(record)
    before = _record_dates(record)
    answer = _post(
        _api(record.department), application, "accept", **{"reasons": REASONS, **payload}
    )
    assert (answer.status_code, answer.json()["code"]) == (422, code), answer.json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in answer.json()["message"])  # Chinese
    application.refresh_from_db()
    assert (application.state, application.outcome) == (RepairState.SUBMITTED, "")
    assert _record_dates(record) == before
    assert not _decisions().exists()


def test_an_entry_takes_no_record_outcome():
    application = _for_entry()
    answer = _post(_api(application.department), application, "accept", reasons=REASONS,
                   outcome="lower")  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (422, "repair-outcome-invalid")
    application.entry.refresh_from_db()
    assert application.entry.state == EntryState.EFFECTIVE


# --- who may not ------------------------------------------------------------------------------


def test_another_department_neither_sees_nor_decides():
    application = _for_entry()
    material = application.materials.first()
    api = _api(DepartmentFactory())
    assert _get(api).json()["items"] == []
    answers = [
        _get(api, f"/{application.pk}"),
        api.get(f"/api/v1/repairs/{application.pk}/materials/{material.pk}"),
        _post(api, application, "accept", reasons=REASONS),
        _post(api, application, "reject", reasons=REASONS),
    ]
    assert [a.status_code for a in answers] == [404] * 4
    assert {a.json()["code"] for a in answers} == {"repair-not-found", "material-not-found"}
    application.refresh_from_db()
    assert application.state == RepairState.SUBMITTED
    assert not _decisions().exists()


@pytest.mark.parametrize("caller", ["anonymous", "subject", "implementing"])
def test_no_subject_public_or_implementing_system_reaches_them(caller):
    application = _for_entry()
    client = Client()
    if caller == "subject":  # even the applicant: its own applications are on /my/
        client.force_login(application.account)
    elif caller == "implementing":
        user = tokens.system_account(DepartmentFactory(implementing=True))
        token, _ = tokens.create_token(actor="test", user=user)
        client = Client(headers={"Authorization": f"Bearer {token}"})
    expected = (401, "authentication-required") if caller == "anonymous" else (403, "access-denied")
    answers = [
        _get(client), _get(client, f"/{application.pk}"),
        _post(client, application, "accept", reasons=REASONS),
    ]  # fmt: skip
    assert {(a.status_code, a.json()["code"]) for a in answers} == {expected}
    application.refresh_from_db()
    assert application.state == RepairState.SUBMITTED
