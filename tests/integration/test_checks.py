"""Checks by implementing departments (应查必查): entries, measures, suspension, registration."""

import datetime as dt

import pytest
from django.test import Client

from tests.check_clients import DECIDED_ON, check, client_for, decided
from tests.factories import (
    DepartmentFactory,
    LinkedPersonFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    MeasureFactory,
    OfficerFactory,
    SubjectFactory,
    make_uscc,
)
from xinyong.audit import query_review
from xinyong.core import clock
from xinyong.core.identifiers import CHECK_CHARACTER_WARNING
from xinyong.core.masking import mask_id_number
from xinyong.listings import services
from xinyong.listings.models import ExitReason, ListEntry, ListEntryPerson, ListKind
from xinyong.listings.tick.expiry import expire_entries
from xinyong.measures.models import Check, CheckFeedback
from xinyong.subjects.name_index import reset_index

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_black_listed_company_in_procurement(api, measures):
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    with clock.frozen(D(2026, 11, 23)):
        answer = check(
            api, subject=entry.subject.reveal_identifier(), scenario="government_procurement"
        )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["result"] == "punish"
    assert body["as_of"] == "2026-11-23"
    assert [e["list_kind"] for e in body["entries"]] == ["black"]
    assert [(m["code"], m["mandatory"], m["entry_id"]) for m in body["measures"]] == [
        ("bar-procurement", True, entry.pk)
    ]
    assert body["measures"][0]["legal_basis"]
    made = Check.objects.get(pk=body["check_id"])
    assert (made.subject, made.scenario.code, made.result) == (
        entry.subject, "government_procurement", "punish",
    )  # fmt: skip


def test_a_renamed_scenario_keeps_its_measures(api, measures, procurement, finance):
    """The measures index is kept per process and refreshed when the measures list changes; a
    scenario renamed in the admin changes no measure, and must not leave its checks clear."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    code = entry.subject.reveal_identifier()
    assert check(api, subject=code, scenario="government_procurement").json()["result"] == "punish"
    procurement.code = "procurement"
    procurement.save()
    renamed = client_for(finance, ["procurement"])
    body = check(renamed, subject=code, scenario="procurement").json()
    assert body["result"] == "punish"
    assert [m["code"] for m in body["measures"]] == ["bar-procurement"]


def test_each_scenario_has_its_own_measures(api, measures):
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    body = check(api, subject=entry.subject.reveal_identifier(), scenario="honours").json()
    assert body["result"] == "clear"  # no punishment in this scenario's list
    assert len(body["entries"]) == 1  # but the entry is named
    red = ListEntryFactory(effective=True, list__kind=ListKind.RED)
    body = check(api, subject=red.subject.reveal_identifier(), scenario="honours").json()
    assert (body["result"], [m["type"] for m in body["measures"]]) == ("reward", ["reward"])


def test_a_subject_on_both_kinds_of_lists_answers_both(api, measures):
    subject = SubjectFactory()
    ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.BLACK)
    ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.RED)
    body = check(api, subject=subject.reveal_identifier(), scenario="government_procurement").json()
    assert body["result"] == "both"


def test_an_objection_under_verification_suspends_the_measures(api, measures):
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK,
                             verification_due_on=D(2026, 12, 1))  # fmt: skip
    body = check(
        api, subject=entry.subject.reveal_identifier(), scenario="government_procurement"
    ).json()
    assert body["entries"][0]["suspended"] is True
    assert body["measures"][0]["suspended"] is True
    assert body["result"] == "clear"


def test_a_court_list_is_not_suspended_by_an_objection(api, measures):
    entry = ListEntryFactory(
        effective=True, verification_due_on=D(2026, 12, 1),
        list__kind=ListKind.BLACK, list__objection_suspends_measures=False,
    )  # fmt: skip
    body = check(
        api, subject=entry.subject.reveal_identifier(), scenario="government_procurement"
    ).json()
    assert (body["result"], body["measures"][0]["suspended"]) == ("punish", False)


def test_a_person_sees_the_entries_of_organisations_naming_them(api, measures):
    link = LinkedPersonFactory()
    entry = ListEntryFactory(subject=link.organisation, effective=True, list__kind=ListKind.BLACK)
    ListEntryPerson.objects.create(entry=entry, person=link.person, role=link.role)
    body = check(
        api, subject=link.person.reveal_identifier(), scenario="government_procurement"
    ).json()
    assert body["entries"][0]["via"]["role"] == "legal_representative"
    assert [m["code"] for m in body["measures"]] == ["bar-representative"]  # not the company's
    assert body["subject"]["name"].endswith("某")  # a person's name is masked
    assert "*" in body["subject"]["code"]


def test_only_the_measures_its_decision_states_follow_from_an_entry(api, measures, funds):
    """The decision states 限制参加政府采购 alone: 限制申请财政性资金项目, which the measures list
    also has for black lists in procurement, is not added, whether the company is checked by
    code or by name; nor is the measure on its legal representative, who is checked through
    the company's entry (R1, R10: none added)."""
    link = LinkedPersonFactory()
    entry = decided(["限制参加政府采购"], subject=link.organisation)
    reset_index()  # the name index of this test's subjects
    with clock.frozen(DECIDED_ON):
        by_code = check(api, subject=entry.subject.reveal_identifier(),
                        scenario="government_procurement").json()  # fmt: skip
        by_name = check(api, name=entry.subject.name, scenario="government_procurement").json()
        person = check(api, subject=link.person.reveal_identifier(),
                       scenario="government_procurement").json()  # fmt: skip
    reset_index()
    assert entry.stated_measures == ["限制参加政府采购"]
    for body in (by_code, by_name):
        assert [(m["code"], m["entry_id"]) for m in body["measures"]] == [
            ("bar-procurement", entry.pk)
        ]
        assert body["result"] == "punish"
    assert [e["entry_id"] for e in person["entries"]] == [entry.pk]
    assert (person["measures"], person["result"]) == ([], "clear")


def test_a_decision_naming_no_measure_states_those_the_list_had_when_signed(
    api, measures, funds, procurement
):
    """A department that names no measure signs a decision stating those the measures list has
    for the list then (R1), and its announcement publishes them: they follow, and a measure
    added to the list later, which the decision never stated, does not (R10: none added)."""
    entry = decided([])
    later = MeasureFactory(code="later", name="加强日常监管检查", list_kinds=["black"],
                           targets=["organisation"])  # fmt: skip
    later.scenarios.add(procurement)
    with clock.frozen(DECIDED_ON):
        body = check(api, subject=entry.subject.reveal_identifier(),
                     scenario="government_procurement").json()  # fmt: skip
    published = ["限制申请财政性资金项目", "限制参加政府采购", "限制担任法定代表人"]
    assert entry.stated_measures == entry.events.get(action="sign").data["measures"] == published
    assert "加强日常监管检查" not in entry.announcements.get().body
    assert sorted(m["code"] for m in body["measures"]) == ["bar-funds", "bar-procurement"]
    assert body["result"] == "punish"


def test_a_decision_signed_while_the_list_had_no_measure_refers_to_the_list(api, procurement):
    """With no measure in the list for it, the decision states 按照措施清单实施 (R1): the measures
    the list comes to have for it follow (R10); so do they from an entry the daily job derives,
    which no decision states (R3)."""
    entry = decided([])
    derived = ListEntryFactory(effective=True, list__kind=ListKind.KEY_MONITORING)
    watch = MeasureFactory(code="watch", name="加强日常监管检查", targets=["organisation"],
                           list_kinds=["black", "key_monitoring"])  # fmt: skip
    watch.scenarios.add(procurement)
    with clock.frozen(DECIDED_ON):
        answers = [
            check(api, subject=e.subject.reveal_identifier(),
                  scenario="government_procurement").json()
            for e in (entry, derived)
        ]  # fmt: skip
    assert (entry.stated_measures, derived.stated_measures) == (None, None)
    assert "按照措施清单实施" in entry.announcements.get().body
    assert [[m["code"] for m in body["measures"]] for body in answers] == [["watch"], ["watch"]]


def test_exited_entries_and_measures_outside_the_list_never_count(api, measures):
    entry = ListEntryFactory(exited=True, list__kind=ListKind.BLACK)
    measures["bar"].is_active = False
    measures["bar"].save()
    body = check(
        api, subject=entry.subject.reveal_identifier(), scenario="government_procurement"
    ).json()
    assert (body["result"], body["entries"], body["measures"]) == ("clear", [], [])


def test_an_entry_counts_through_the_last_day_of_its_validity_whenever_the_job_runs(api, measures):
    """Valid until 2026-11-22: it counts that day; from 11-23 it does not, although the daily
    job, not yet run, still has it effective (R4)."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, valid_until=D(2026, 11, 22))
    code = entry.subject.reveal_identifier()
    with clock.frozen(D(2026, 11, 22)):
        body = check(api, subject=code, scenario="government_procurement").json()
    assert (body["result"], [e["entry_id"] for e in body["entries"]]) == ("punish", [entry.pk])
    with clock.frozen(D(2026, 11, 23)):
        body = check(api, subject=code, scenario="government_procurement").json()
        by_name = check(api, name=entry.subject.name, scenario="government_procurement").json()
    assert (body["result"], body["entries"], body["measures"]) == ("clear", [], [])
    assert (by_name["result"], by_name["entries"]) == ("clear", [])
    entry.refresh_from_db()
    assert entry.state == "effective"  # the job has not run: the check did not wait for it


def test_key_monitoring_counts_from_the_day_after_a_black_listing_ends_whenever_the_job_runs(
    api, procurement
):
    """A black listing valid until 2026-11-22 ends by expiry on 11-23, and its subject is
    monitored from that day for the 12 months its list sets (R3, 002 §二十一; R4). A check on
    11-23 before the daily job answers as one after it: the monitoring and its measure, an
    entry yet to be recorded (no id), with the same last day."""
    watch = MeasureFactory(code="watch", name="重点监测：加强审查", list_kinds=["key_monitoring"],
                           targets=["organisation"])  # fmt: skip
    watch.scenarios.add(procurement)
    black = ListDefinitionFactory(kind=ListKind.BLACK, monitoring_months=12)
    ListDefinitionFactory(kind=ListKind.KEY_MONITORING, domain=black.domain,
                          recognizing_department=black.recognizing_department)  # fmt: skip
    entry = ListEntryFactory(list=black, effective=True, valid_until=D(2026, 11, 22))
    code = entry.subject.reveal_identifier()

    def answer(body):
        return (
            body["result"],
            [(e["list_kind"], e["valid_until"]) for e in body["entries"]],
            [m["code"] for m in body["measures"]],
        )

    with clock.frozen(D(2026, 11, 23)):
        before = check(api, subject=code, scenario="government_procurement").json()
        by_name = check(api, name=entry.subject.name, scenario="government_procurement").json()
        expire_entries(D(2026, 11, 23))
        after = check(api, subject=code, scenario="government_procurement").json()
    monitored = [("key_monitoring", "2027-11-23")]
    assert answer(before) == answer(by_name) == answer(after) == ("punish", monitored, ["watch"])
    assert [e["entry_id"] for e in before["entries"]] == [None]
    assert [e["entry_id"] for e in after["entries"]] == [ListEntry.objects.get(origin=entry).pk]


def test_a_black_listing_past_its_validity_whose_list_sets_no_monitoring_is_clear(api, procurement):
    """No monitoring period on the black list: nothing follows its expiry (R3)."""
    watch = MeasureFactory(code="watch", name="重点监测：加强审查", list_kinds=["key_monitoring"],
                           targets=["organisation"])  # fmt: skip
    watch.scenarios.add(procurement)
    black = ListDefinitionFactory(kind=ListKind.BLACK, monitoring_months=None)
    ListDefinitionFactory(kind=ListKind.KEY_MONITORING, domain=black.domain)
    entry = ListEntryFactory(list=black, effective=True, valid_until=D(2026, 11, 22))
    with clock.frozen(D(2026, 11, 23)):
        body = check(
            api, subject=entry.subject.reveal_identifier(), scenario="government_procurement"
        ).json()
    assert (body["result"], body["entries"], body["measures"]) == ("clear", [], [])


def test_a_code_shaped_like_a_citizen_id_is_never_echoed_or_registered_in_full(api, measures):
    """330112198613303439 has a person's shape with a mistyped month; its digits also pass as a
    USCC kept for review, so it is checked as one, but shown and registered masked (R14)."""
    body = check(api, subject="330112198613303439", scenario="government_procurement").json()
    assert body["subject"] == {"code": "330112********3439", "known": False,
                               "identifier_status": "check-character-mismatch",
                               "warning": CHECK_CHARACTER_WARNING}  # fmt: skip
    assert Check.objects.get(pk=body["check_id"]).query_identifier == "330112********3439"


def test_a_mistyped_id_that_passes_the_uscc_check_is_answered_and_registered_masked(api, measures):
    """The standard's example with 1231 mistyped 0230: its last character happens to be the
    USCC's, but a real province and a birth date a typo could make say it may be a person's
    ID, so it is shown and registered masked, as 11010519490231002X is (R14)."""
    code = "11010519490230002X"
    with clock.frozen(D(2026, 11, 23)):
        body = check(api, subject=code, scenario="government_procurement").json()
    assert (body["subject"]["code"], body["subject"]["known"]) == ("110105********002X", False)
    assert code not in str(body)
    assert Check.objects.get(pk=body["check_id"]).query_identifier == "110105********002X"


def test_a_mistyped_id_inside_a_name_is_registered_masked(api, measures):
    """The same in a name: 11010519491231008X (002 typed 008) passes the USCC's check, and is
    masked before the name is searched or kept (R14)."""
    with clock.frozen(D(2026, 11, 23)):
        body = check(api, name="张三11010519491231008X", scenario="government_procurement").json()
    made = Check.objects.get(pk=body["check_id"])
    assert made.query_name == "张三110105********008X"
    assert "11010519491231008X" not in str(body)


def test_an_unknown_well_formed_code_is_clear(api, measures):
    body = check(api, subject=make_uscc(99_999_999), scenario="government_procurement").json()
    assert (body["result"], body["subject"]["known"]) == ("clear", False)
    assert "identifier_status" not in body["subject"] and "warning" not in body["subject"]
    assert Check.objects.get().subject is None


def _one_character_off(code: str) -> str:
    return code[:-1] + ("1" if code[-1] != "1" else "2")


def test_a_code_one_check_character_off_a_listed_firm_is_clear_but_flagged(api, measures):
    """A typo must not pass silently: the code is kept for review, not refused (real codes fail
    the check), but the answer says it matches nobody and its check character is wrong."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    typo = _one_character_off(entry.subject.reveal_identifier())
    answer = check(api, subject=typo, scenario="government_procurement")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["result"], body["subject"]["known"]) == ("clear", False)
    assert body["subject"]["identifier_status"] == "check-character-mismatch"
    assert "核实" in body["subject"]["warning"]
    stored = Check.objects.get(pk=body["check_id"]).response
    assert stored["subject"]["identifier_status"] == "check-character-mismatch"


def test_a_registered_code_that_fails_its_check_character_is_answered_as_usual(api, measures):
    code = _one_character_off(make_uscc(4_242))
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject__identifier=code)
    body = check(api, subject=code, scenario="government_procurement").json()
    assert (body["result"], body["subject"]["known"]) == ("punish", True)
    assert "identifier_status" not in body["subject"]
    assert entry.subject.reveal_identifier() == code


def test_the_check_schema_declares_the_check_character_flag(api):
    schema = api.get("/api/v1/openapi.json").json()["components"]["schemas"]
    properties = schema["CheckedSubject"]["properties"]
    assert {"identifier_status", "warning"} <= set(properties)


@pytest.mark.parametrize(
    ("value", "code"),
    [("91330106MA000000O0", "uscc-charset"), ("123", "unknown-format"),
     ("110105194912310021", "ric-check-character")],
)  # fmt: skip
def test_a_malformed_code_is_refused_with_the_reason(api, measures, value, code):
    answer = check(api, subject=value, scenario="government_procurement")
    assert answer.status_code == 422
    assert answer.json()["code"] == code
    assert not Check.objects.exists()


@pytest.mark.parametrize(
    "value",
    ["11010519491231002X11010519491231002X", "110105-19491231-002X", "ID:11010519491231002X",
     "110105194912310021"],
)  # fmt: skip
def test_a_malformed_code_is_echoed_without_its_birth_date(api, measures, value):
    """R14: the refused code comes back with all but its first 6 and last 4 characters masked,
    however a person's ID is written in it."""
    answer = check(api, subject=value, scenario="government_procurement")
    assert answer.status_code == 422
    assert "19491231" not in answer.content.decode()
    assert answer.json()["value"] == mask_id_number(value)


@pytest.mark.parametrize(
    "name", ["某某公司11010519491231002X11010519491231002X", "某某公司110105-19491231-002X"]
)
def test_an_id_inside_a_name_is_registered_without_its_birth_date(api, measures, name):
    """R14: a citizen ID in a name, two back to back or parted by hyphens, is masked before
    the check keeps or answers the name."""
    answer = check(api, name=name, scenario="government_procurement")
    assert "19491231" not in answer.content.decode()
    assert "19491231" not in Check.objects.get().query_name


def test_only_implementing_departments_with_the_scenario_may_check(procurement, measures):
    recognizing = client_for(DepartmentFactory(), ["government_procurement"])
    answer = check(recognizing, subject=make_uscc(1), scenario="government_procurement")
    assert (answer.status_code, answer.json()["code"]) == (403, "implementing-department-required")
    narrow = client_for(DepartmentFactory(implementing=True), ["honours"])
    answer = check(narrow, subject=make_uscc(1), scenario="government_procurement")
    assert (answer.status_code, answer.json()["code"]) == (403, "scenario-not-granted")
    assert check(Client(), subject=make_uscc(1), scenario="x").status_code == 401


def test_feedback_on_a_check(api, measures, finance):
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    body = check(
        api, subject=entry.subject.reveal_identifier(), scenario="government_procurement"
    ).json()
    answer = api.post(
        f"/api/v1/checks/{body['check_id']}/feedback",
        {"business_reference": "ZFCG-2026-001", "outcome": "取消投标资格",
         "measures": [{"measure": "bar-procurement", "applied": True, "reason": "依法限制"}]},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.json()
    assert CheckFeedback.objects.get().measures[0]["applied"] is True
    wrong = api.post(
        f"/api/v1/checks/{body['check_id']}/feedback",
        {"business_reference": "x", "measures": [{"measure": "invented", "applied": True}]},
        content_type="application/json",
    )
    assert (wrong.status_code, wrong.json()["code"]) == (422, "measure-not-in-answer")
    other = client_for(DepartmentFactory(implementing=True), ["government_procurement"])
    answer = other.post(f"/api/v1/checks/{body['check_id']}/feedback",
                        {"business_reference": "x", "measures": []},
                        content_type="application/json")  # fmt: skip
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        # Refused by the API's schema (the service refuses it too: test_api_blank_text).
        ({"business_reference": "   ", "measures": []}, "invalid-request"),
        ({"business_reference": "ZFCG-1", "measures": [
            {"measure": "bar-procurement", "applied": True},
            {"measure": "bar-procurement", "applied": False, "reason": "x"}]},
         "measure-reported-twice"),
        ({"business_reference": "ZFCG-1", "measures": [
            {"measure": "bar-procurement", "applied": False, "reason": "  "}]},
         "reason-required-for-mandatory-measure"),
    ],
)  # fmt: skip
def test_feedback_that_does_not_account_for_the_measures_is_refused(api, measures, payload, code):
    """A mandatory measure not applied needs a reason; each measure is reported once; the
    department's business reference is required (R10, R11). Nothing is stored."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    made = check(api, subject=entry.subject.reveal_identifier(), scenario="government_procurement")
    answer = api.post(f"/api/v1/checks/{made.json()['check_id']}/feedback", payload,
                      content_type="application/json")  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (422, code)
    assert not CheckFeedback.objects.exists()


def test_a_mandatory_measure_suspended_by_an_objection_may_go_unapplied(api, measures):
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK,
                             verification_due_on=D(2026, 12, 1))  # fmt: skip
    made = check(api, subject=entry.subject.reveal_identifier(), scenario="government_procurement")
    answer = api.post(
        f"/api/v1/checks/{made.json()['check_id']}/feedback",
        {"business_reference": "ZFCG-2", "measures": [
            {"measure": "bar-procurement", "applied": False}]},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.json()


def test_a_named_persons_objection_leaves_the_organisations_measure_binding_in_a_report(
    api, measures
):
    """A person the entry names objects to being named after the organisation's check: the
    organisation's measure is not suspended by it (R6), so not applying it still needs a
    reason (R10, R11); the person's own check reports its measure suspended."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    person = SubjectFactory(natural_person=True, name="许本人")
    ListEntryPerson.objects.create(entry=entry, person=person, role="legal_representative")
    made = check(api, subject=entry.subject.reveal_identifier(), scenario="government_procurement")
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    services.record_objection(entry.pk, actor=officer, objector=person.name, grounds="已辞职",
                              named_as="法定代表人", person=person)  # fmt: skip
    answer = api.post(f"/api/v1/checks/{made.json()['check_id']}/feedback",
                      {"business_reference": "ZFCG-8",
                       "measures": [{"measure": "bar-procurement", "applied": False}]},
                      content_type="application/json")  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (
        422, "reason-required-for-mandatory-measure",
    )  # fmt: skip
    theirs = check(api, subject=person.reveal_identifier(), scenario="government_procurement")
    assert [(m["code"], m["suspended"]) for m in theirs.json()["measures"]] == [
        ("bar-representative", True)
    ]  # fmt: skip


def test_a_measure_in_force_through_any_entry_needs_a_reason_not_to_apply(api, measures):
    """bar-procurement follows from two black entries and only the later one is suspended: it
    is in force through the first, so not applying it needs a reason (R10)."""
    org = SubjectFactory()
    ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=org)
    ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=org,
                     verification_due_on=D(2026, 12, 1))  # fmt: skip
    made = check(api, subject=org.reveal_identifier(), scenario="government_procurement").json()
    assert [(m["code"], m["suspended"]) for m in made["measures"]] == [
        ("bar-procurement", False), ("bar-procurement", True),
    ]  # fmt: skip
    answer = api.post(f"/api/v1/checks/{made['check_id']}/feedback",
                      {"business_reference": "ZFCG-9",
                       "measures": [{"measure": "bar-procurement", "applied": False}]},
                      content_type="application/json")  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (
        422, "reason-required-for-mandatory-measure",
    )  # fmt: skip


def test_feedback_that_leaves_out_a_mandatory_measure_is_refused(api, measures):
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    made = check(api, subject=entry.subject.reveal_identifier(),
                 scenario="government_procurement").json()  # fmt: skip
    answer = api.post(f"/api/v1/checks/{made['check_id']}/feedback",
                      {"business_reference": "ZFCG-9", "measures": []},
                      content_type="application/json")  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (422, "mandatory-measure-unreported")


def test_an_all_digit_code_of_a_county_ending_in_19_is_not_masked(api, measures):
    """Yanqing's region 110119 puts "19" where a person's ID has its century: a code whose USCC
    check character is right (and its ID one wrong) is an organisation's, shown in full."""
    code = next(c for c in (make_uscc(n, region="110119") for n in range(1000)) if c.isdigit())
    body = check(api, subject=code, scenario="government_procurement").json()
    assert body["subject"]["code"] == code


def test_the_change_feed(api, measures):  # a measure follows from black lists (R14)
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    officer = OfficerFactory(department=black.recognizing_department, signer=True).user
    entry = ListEntryFactory(list=black, awaiting_signature=True)
    with clock.frozen(D(2026, 10, 27)):
        services.sign_decision(entry.pk, actor=officer)
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")
        services.uphold_after_verification(entry.pk, actor=officer, finding="不成立")
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.REPAIRED)
    feed = api.get("/api/v1/changes?since=0").json()
    assert [c["kind"] for c in feed["changes"]] == ["took_effect", "suspended", "resumed", "ended"]
    assert api.get(f"/api/v1/changes?since={feed['next']}").json()["changes"] == []
    assert api.get("/api/v1/changes?since=0&limit=2").json()["next"] == feed["changes"][1]["cursor"]


def test_a_code_held_for_review_is_still_checked(api, measures):
    """A real code that fails its check character is looked up, never dropped (DOMAIN §4)."""
    good = make_uscc(4242)
    flawed = good[:-1] + ("0" if good[-1] != "0" else "1")
    subject = SubjectFactory(identifier=flawed, identifier_status="review")
    ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.BLACK)
    body = check(api, subject=flawed, scenario="government_procurement").json()
    assert (body["result"], body["subject"]["code"]) == ("punish", flawed)


def test_a_code_as_typed_finds_its_subject(api, measures):
    """Lower case, spaces and full-width characters, as a caller's form may send them, are read
    as the code (the core's normalisation), and a person's ID as typed finds the person."""
    company = ListEntryFactory(effective=True, list__kind=ListKind.BLACK).subject
    code = company.reveal_identifier()
    typed = " " + code[:9].lower() + "\u3000" + code[9:].translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}
    )  # fmt: skip
    body = check(api, subject=typed, scenario="government_procurement").json()
    assert (body["result"], body["subject"]["code"]) == ("punish", code)
    person = SubjectFactory(natural_person=True)
    number = person.reveal_identifier()
    ListEntryFactory(subject=person, effective=True, list__kind=ListKind.BLACK)
    typed_id = number[:6] + " " + number[6:17] + number[17].lower()
    body = check(api, subject=typed_id, scenario="government_procurement").json()
    assert body["subject"]["known"] is True
    assert body["subject"]["code"] != number  # masked (R14)


def test_a_check_is_registered_with_the_address_it_came_from(api, measures):
    """As every other registration (R14): who, department, scenario, subject, time, and from
    where; the reviewer's page shows it."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    payload = {"subject": entry.subject.reveal_identifier(), "scenario": "government_procurement"}
    api.post("/api/v1/checks", payload, content_type="application/json", REMOTE_ADDR="10.20.30.40")
    assert Check.objects.get().client_address == "10.20.30.40"
    [row] = query_review.shaped(list(query_review.query_rows(query_review.QueryFilter())), {})
    assert (row.kind, row.client_address) == ("check", "10.20.30.40")
