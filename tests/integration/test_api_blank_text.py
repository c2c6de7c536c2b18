"""Text the services or the office's forms require is refused by the API when it is empty or only
whitespace (the full-width space of Chinese input too): the standard 422 in Chinese, naming the
field, and nothing changes. The services refuse the same for callers that bypass the API.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    ScenarioFactory,
    SubjectFactory,
)
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.core.errors import XinyongError
from xinyong.listings import services
from xinyong.listings.models import ExitReason, ListEntry, ListEntryEvent, ListKind
from xinyong.measures import name_decisions
from xinyong.measures import services as measures
from xinyong.measures.models import Check, CheckFeedback, NameDecision
from xinyong.subjects.name_index import reset_index

pytestmark = pytest.mark.django_db

BLANKS = ["", "  ", "\u3000", "\t\n "]  # \u3000: the full-width space


def _client(user, scenarios=()) -> Client:
    token, _ = tokens.create_token(actor="test", user=user, scenarios=list(scenarios))
    return Client(headers={"Authorization": f"Bearer {token}"})


def _post(api, url, payload):
    return api.post(url, payload, content_type="application/json")


def _refused_as_blank(answer, field):
    assert answer.status_code == 422, answer.content
    body = answer.json()
    assert body["code"] == "invalid-request"
    assert body["errors"] == [
        {"field": field, "type": "blank", "message": "不能为空，也不能只含空白字符"}
    ]
    assert body["message"] == f"请求不符合要求：{field}不能为空，也不能只含空白字符"


# --- the listing procedure ------------------------------------------------------------------------


@pytest.fixture
def black_list():
    return ListDefinitionFactory(kind=ListKind.BLACK)


@pytest.fixture
def officer(black_list):
    return OfficerFactory(department=black_list.recognizing_department, signer=True).user


def _as_it_is(entry):
    """What a refused step must leave as it was: version, state, history and audit trail."""
    entry.refresh_from_db()
    return entry.version, entry.state, entry.events.count(), AuditEntry.objects.count()


@pytest.mark.parametrize("field", ["list", "subject", "facts", "basis"])
@pytest.mark.parametrize("blank", BLANKS)
def test_a_proposal_needs_every_field(officer, black_list, field, blank):
    subject = SubjectFactory()
    payload = {
        "list": black_list.code, "subject": subject.reveal_identifier(),
        "facts": "未按期履行行政处罚决定", "basis": "《行政处罚法》第七十二条", field: blank,
    }  # fmt: skip
    api = _client(officer)
    audited = AuditEntry.objects.count()
    _refused_as_blank(_post(api, "/api/v1/listings/entries", payload), field)
    assert not ListEntry.objects.exists() and AuditEntry.objects.count() == audited


# (operation, entry trait, body beside the blank field, the field)
STEPS = [
    ("verification", "under_verification", {"outcome": "uphold"}, "finding"),
    ("verification", "under_verification", {"outcome": "reject"}, "finding"),
    ("reject", "awaiting_signature", {}, "reason"),
    ("exit", "effective", {"note": "核实有误"}, "reason"),
    ("withdraw", "in_publicity", {}, "reason"),
    ("objections", "in_publicity", {"objector_kind": "named_person"}, "person"),
]


def _entry(black_list, trait):
    if trait == "under_verification":
        entry = ListEntryFactory(list=black_list, in_publicity=True)
        officer = OfficerFactory(department=black_list.recognizing_department).user
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="异议理由")
        entry.refresh_from_db()
        return entry
    return ListEntryFactory(list=black_list, **{trait: True})


@pytest.mark.parametrize(("operation", "trait", "body", "field"), STEPS)
@pytest.mark.parametrize("blank", BLANKS)
def test_a_step_of_the_procedure_needs_its_words(
    officer, black_list, operation, trait, body, field, blank
):
    entry = _entry(black_list, trait)
    api = _client(officer)
    before = _as_it_is(entry)
    payload = {"version": entry.version, "grounds": "异议理由", **body, field: blank}
    url = f"/api/v1/listings/entries/{entry.pk}/{operation}"
    _refused_as_blank(_post(api, url, payload), field)
    assert _as_it_is(entry) == before


def test_the_words_are_taken_without_the_spaces_around_them(officer, black_list):
    entry = _entry(black_list, "under_verification")
    payload = {"version": entry.version, "outcome": "uphold", "finding": "\u3000异议不成立 \n"}
    url = f"/api/v1/listings/entries/{entry.pk}/verification"
    assert _post(_client(officer), url, payload).status_code == 200
    assert ListEntryEvent.objects.get(entry=entry, action="uphold").reason == "异议不成立"


@pytest.mark.parametrize(
    ("verb", "trait", "words", "code"),
    [
        ("uphold_after_verification", "under_verification", "finding", "finding-required"),
        ("reject_listing", "under_verification", "finding", "finding-required"),
        ("withdraw_listing", "in_publicity", "reason", "withdraw-reason-required"),
        ("exit_entry", "effective", "reason", "exit-reason-not-allowed"),
    ],
)
def test_the_services_refuse_the_same_for_any_caller(officer, black_list, verb, trait, words, code):
    entry = _entry(black_list, trait)
    before = _as_it_is(entry)
    with pytest.raises(XinyongError) as refused:
        getattr(services, verb)(entry.pk, actor=officer, **{words: " \u3000\t"})
    assert (refused.value.code, refused.value.status) == (code, 422)
    assert _as_it_is(entry) == before


def test_a_proposal_service_refuses_blank_facts(officer, black_list):
    with pytest.raises(XinyongError) as refused:
        services.propose_listing(
            actor=officer, list_definition=black_list, subject=SubjectFactory(),
            facts="\u3000", basis="《行政处罚法》",
        )  # fmt: skip
    assert refused.value.code == "facts-and-basis-required"
    assert not ListEntry.objects.exists()


def test_an_exit_keeps_its_note_optional(officer, black_list):
    entry = ListEntryFactory(list=black_list, effective=True)
    payload = {"version": entry.version, "reason": f" {ExitReason.CORRECTED} "}
    answer = _post(_client(officer), f"/api/v1/listings/entries/{entry.pk}/exit", payload)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["exit_reason"] == ExitReason.CORRECTED


# --- checks, feedback and name decisions ----------------------------------------------------------


@pytest.fixture
def system():
    reset_index()  # this test's subjects only
    ScenarioFactory(code="government_procurement")
    user = OfficerFactory(department=DepartmentFactory(implementing=True)).user
    yield _client(user, ["government_procurement"])
    reset_index()


@pytest.mark.parametrize("blank", BLANKS)
def test_a_check_needs_its_scenario(system, blank):
    asked = {"subject": SubjectFactory().identifier, "scenario": blank}
    _refused_as_blank(_post(system, "/api/v1/checks", asked), "scenario")
    assert not Check.objects.exists()


def _check(system, **asked):
    answer = _post(system, "/api/v1/checks", {"scenario": "government_procurement", **asked})
    assert answer.status_code == 200, answer.json()
    return answer.json()["check_id"]


@pytest.mark.parametrize(
    ("field", "payload"),
    [
        ("business_reference", {"business_reference": "\u3000", "measures": []}),
        (
            "measures.0.measure",
            {"business_reference": "ZFCG-1", "measures": [{"measure": " ", "applied": False}]},
        ),
    ],
)
def test_feedback_needs_its_business_and_measures(system, field, payload):
    made = _check(system, subject=SubjectFactory().identifier)
    _refused_as_blank(_post(system, f"/api/v1/checks/{made}/feedback", payload), field)
    assert not CheckFeedback.objects.exists()


@pytest.mark.parametrize("field", ["subject", "reason"])
@pytest.mark.parametrize("blank", BLANKS)
def test_a_name_decision_needs_its_subject_and_reason(system, field, blank):
    company = SubjectFactory(name="杭州恒泰网络科技有限公司")
    SubjectFactory(name="杭州恒泰网路科技有限公司")
    made = _check(system, name="恒泰网络科技有限公司")
    payload = {"subject": company.identifier, "same_subject": True, "reason": "地址一致"}
    answer = _post(system, f"/api/v1/checks/{made}/decisions", {**payload, field: blank})
    _refused_as_blank(answer, field)
    assert not NameDecision.objects.exists()


def test_the_measures_services_refuse_the_same_for_any_caller(system):
    company = SubjectFactory(name="杭州恒泰网络科技有限公司")
    by_code = _check(system, subject=SubjectFactory().identifier)
    by_name = _check(system, name="杭州恒泰网络科技有限公司")
    user = Check.objects.get(pk=by_code).department.officers.get().user  # the system's own
    with pytest.raises(XinyongError) as refused:
        measures.report_feedback(
            actor=user, check_id=by_code, business_reference="\u3000 ", outcome="", measures=[]
        )
    assert (refused.value.code, refused.value.status) == ("business-reference-required", 422)
    with pytest.raises(XinyongError) as refused:
        name_decisions.decide_name(
            actor=user, check_id=by_name, subject_code=company.identifier, same_subject=True,
            reason=" \u3000",
        )  # fmt: skip
    assert (refused.value.code, refused.value.status) == ("reason-required", 422)
    assert not CheckFeedback.objects.exists() and not NameDecision.objects.exists()


def test_the_schema_tells_a_client_which_text_must_say_something(system):
    schemas = system.get("/api/v1/openapi.json").json()["components"]["schemas"]
    required = {
        "ProposeIn": ["list", "subject", "facts", "basis"],
        "VerificationIn": ["finding"],
        "ExitIn": ["reason"],
        "WithdrawIn": ["reason"],
        "ObjectionIn": ["objector", "grounds", "person"],
        "CheckIn": ["scenario"],
        "FeedbackIn": ["business_reference"],
        "MeasureFeedbackIn": ["measure"],
        "DecisionIn": ["reason"],
    }
    for name, fields in required.items():
        for field in fields:
            assert schemas[name]["properties"][field]["pattern"] == r"\S", (name, field)
    # A decision names its candidate by ``candidate`` or by ``subject``: a code, if sent, says
    # something too.
    assert {"pattern": r"\S", "type": "string"} in schemas["DecisionIn"]["properties"]["subject"][
        "anyOf"
    ]
    # Optional text stays optional.
    assert "pattern" not in schemas["ExitIn"]["properties"]["note"]
    assert "pattern" not in schemas["MeasureFeedbackIn"]["properties"]["reason"]
    assert schemas["FeedbackIn"]["properties"]["business_reference"]["maxLength"] == 128
