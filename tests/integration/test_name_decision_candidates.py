"""Checks by name decide only on what they offered, keyed as they were asked (issue: name checks).

A department decides on a candidate of its check, by the ``candidate`` the answer gave it (its
code may be shown masked) or by its full code; nothing else, and a subject the check did not
offer is refused alike whether or not it exists (R14). The decision is kept under the name's
normalised parts, kept apart, as the check asked it; screenings follow it the same way.
"""

import pytest
from django.test import Client

from tests.factories import (
    DepartmentFactory,
    ListEntryFactory,
    OfficerFactory,
    ScenarioFactory,
    SubjectFactory,
    code_valid_both_ways,
    make_citizen_id,
)
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.core.names import normalize_name
from xinyong.listings.models import ListKind
from xinyong.measures.checks import NAME_LIMIT
from xinyong.measures.models import Check, NameDecision
from xinyong.measures.screening_names import NameMatcher
from xinyong.subjects.name_index import NameIndex, reset_index

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index():
    reset_index()  # each test's subjects, not a rolled-back test's
    yield
    reset_index()


@pytest.fixture
def api():
    ScenarioFactory(code="government_procurement")
    user = OfficerFactory(department=DepartmentFactory(implementing=True)).user
    token, _ = tokens.create_token(actor="t", user=user, scenarios=["government_procurement"])
    return Client(headers={"Authorization": f"Bearer {token}"})


def by_name(api, name):
    return api.post("/api/v1/checks", {"name": name, "scenario": "government_procurement"},
                    content_type="application/json")  # fmt: skip


def decide(api, check_id, same=True, **named):
    return api.post(f"/api/v1/checks/{check_id}/decisions",
                    {**named, "same_subject": same, "reason": "核实营业执照"},
                    content_type="application/json")  # fmt: skip


def black_listed(name):
    company = SubjectFactory(name=name)
    ListEntryFactory(subject=company, effective=True, list__kind=ListKind.BLACK)
    return company


# What is one organisation's name and what is another's.


@pytest.mark.parametrize(
    ("listed", "asked"),
    [
        ("吉林市恒泰建设有限公司", "吉林省恒泰建设有限公司"),  # a city, a province
        ("干通科技有限公司", "乾通科技有限公司"),  # 乾 is a simplified character too
        ("升阳科技有限公司", "昇阳科技有限公司"),
        ("于氏贸易有限公司", "於氏贸易有限公司"),
    ],
)
def test_another_registered_name_is_not_answered_as_the_listed_one(api, listed, asked):
    black_listed(listed)
    body = by_name(api, asked).json()
    assert body["subject"] is None or body["subject"]["matched_by"] != "exact"
    assert body["entries"] == []


def test_a_hong_kong_variant_of_a_listed_name_is_the_listed_company(api):
    company = black_listed("保卫科技有限公司")
    body = by_name(api, "保衞科技有限公司").json()  # 衞: Hong Kong's form of 衛 (卫)
    assert (body["subject"]["code"], body["subject"]["matched_by"]) == (
        company.reveal_identifier(), "exact",
    )  # fmt: skip
    assert len(body["entries"]) == 1


# Deciding on a candidate.


def test_each_candidate_carries_what_to_decide_it_by(api):
    company = SubjectFactory(name="杭州恒泰网络科技有限公司")
    body = by_name(api, "杭州恒泰网络科技有限公司").json()
    assert body["subject"]["candidate"] == company.pk
    assert [c["candidate"] for c in body["candidates"]] == [company.pk]


def test_a_candidate_shown_masked_is_decided_by_its_candidate(api):
    """A code valid both as a USCC and as a citizen ID is shown masked: it cannot be sent back
    in full, and the candidate's ``candidate`` decides it."""
    company = SubjectFactory(name="杭州恒泰网络科技有限公司", identifier=code_valid_both_ways(0))
    SubjectFactory(name="杭州恒泰网路科技有限公司")
    body = by_name(api, "恒泰网络科技有限公司").json()
    [shown] = [c for c in body["candidates"] if c["name"] == company.name]
    assert "*" in shown["code"]
    answer = decide(api, body["check_id"], candidate=shown["candidate"])
    assert answer.status_code == 201, answer.json()
    again = by_name(api, "恒泰网络科技有限公司").json()
    assert (again["subject"]["matched_by"], again["subject"]["candidate"]) == (
        "decision", company.pk,
    )  # fmt: skip


def test_the_subject_a_decision_chose_can_be_ruled_out_by_its_candidate(api):
    company = SubjectFactory(name="杭州恒泰网络科技有限公司")
    first = by_name(api, "恒泰网络科技有限公司").json()
    assert decide(api, first["check_id"], candidate=company.pk).status_code == 201
    chosen = by_name(api, "恒泰网络科技有限公司").json()
    assert chosen["subject"]["matched_by"] == "decision"
    answer = decide(api, chosen["check_id"], same=False, candidate=chosen["subject"]["candidate"])
    assert answer.status_code == 201, answer.json()
    assert NameDecision.objects.get().same_subject is False


def test_a_subject_the_check_did_not_offer_is_refused_alike_whether_or_not_it_exists(api):
    """No probe of who is registered (R14): a citizen ID, an unknown code, an organisation that
    was not a candidate and a made-up ``candidate`` all get the same answer, and leave
    nothing behind."""
    person = SubjectFactory(natural_person=True)
    elsewhere = SubjectFactory(name="宁波完全不同贸易有限公司")
    SubjectFactory(name="杭州恒泰网络科技有限公司")
    check_id = by_name(api, "恒泰网络科技有限公司").json()["check_id"]
    trail = AuditEntry.objects.count()
    answers = [
        decide(api, check_id, same=False, subject=make_citizen_id(4242)),
        decide(api, check_id, same=False, subject=person.reveal_identifier()),
        decide(api, check_id, same=False, subject=elsewhere.reveal_identifier()),
        decide(api, check_id, same=False, candidate=person.pk),
        decide(api, check_id, same=False, candidate=elsewhere.pk),
        decide(api, check_id, same=False, candidate=10**9),
    ]
    assert {(a.status_code, a.json()["code"]) for a in answers} == {(404, "candidate-not-found")}
    assert not NameDecision.objects.exists()
    assert AuditEntry.objects.count() == trail


def test_a_candidate_is_named_once(api):
    company = SubjectFactory(name="杭州恒泰网络科技有限公司")
    check_id = by_name(api, "杭州恒泰网络科技有限公司").json()["check_id"]
    both = decide(api, check_id, candidate=company.pk, subject=company.reveal_identifier())
    neither = decide(api, check_id)
    for answer in (both, neither):
        assert (answer.status_code, answer.json()["code"]) == (
            422, "candidate-or-subject-required",
        )  # fmt: skip
    assert not NameDecision.objects.exists()


def test_a_check_answered_before_candidates_were_given_is_decided_by_the_full_code(api):
    """A check registered before answers gave ``candidate``: its candidates as shown then."""
    company = SubjectFactory(name="杭州恒泰网络科技有限公司", identifier=code_valid_both_ways(1))
    SubjectFactory(name="杭州恒泰网路科技有限公司")
    check_id = by_name(api, "恒泰网络科技有限公司").json()["check_id"]
    made = Check.objects.get(pk=check_id)
    for shown in made.response["candidates"]:
        del shown["candidate"]
    made.save()
    answer = decide(api, check_id, subject=company.reveal_identifier())
    assert answer.status_code == 201, answer.json()
    assert NameDecision.objects.get().subject == company


# The key a decision is kept under.


def test_a_decision_on_one_name_is_not_followed_for_another_with_the_same_characters(api):
    """东方电气有限公司 (trade name 东方电气) and 东方市电气有限公司 (电气 of 东方市) run
    together the same; their keys keep the parts apart."""
    trade_name = SubjectFactory(name="东方电气有限公司")
    of_the_city = black_listed("东方市电气有限公司")
    first = by_name(api, "东方电气有限公司").json()
    assert decide(api, first["check_id"], subject=trade_name.reveal_identifier()).status_code == 201
    after = by_name(api, "东方市电气有限公司").json()
    assert (after["subject"]["code"], after["subject"]["matched_by"]) == (
        of_the_city.reveal_identifier(), "exact",
    )  # fmt: skip
    assert len(after["entries"]) == 1


def test_a_name_padded_with_spaces_is_decided_under_the_key_it_was_checked_by(api):
    company = SubjectFactory(name="杭州恒泰网络科技有限公司")
    SubjectFactory(name="杭州恒泰网路科技有限公司")
    padded = " " * 195 + "恒泰网络科技有限公司"
    body = by_name(api, padded).json()
    assert body["result"] == "undetermined"
    assert decide(api, body["check_id"], subject=company.reveal_identifier()).status_code == 201
    kept = NameDecision.objects.get()
    assert kept.normalized_name == normalize_name("恒泰网络科技有限公司").key
    assert kept.asked_name == "恒泰网络科技有限公司"
    again = by_name(api, padded).json()
    assert (again["subject"]["code"], again["subject"]["matched_by"]) == (
        company.reveal_identifier(), "decision",
    )  # fmt: skip


def test_a_name_longer_than_a_check_keeps_is_refused(api):
    """Kept whole or refused: a decision is keyed from the name the check kept."""
    SubjectFactory(name="杭州恒泰网络科技有限公司")
    answer = by_name(api, "恒泰" * (NAME_LIMIT // 2) + "网络科技有限公司")
    assert (answer.status_code, answer.json()["code"]) == (422, "name-too-long")
    assert not Check.objects.exists()
    long_but_kept = " " * NAME_LIMIT + "恒泰" * 90 + "网络科技有限公司"
    assert by_name(api, long_but_kept).status_code == 200
    assert Check.objects.get().query_name == long_but_kept.strip()


def test_a_name_over_the_limit_is_refused_before_it_is_normalised(api, monkeypatch):
    """A very long name is refused at once: normalising it first would tie up a worker for
    as long as the text is long (R14, README: every refusal a JSON answer)."""
    from xinyong.core import names

    def normalised(text):
        raise AssertionError(f"a name of {len(text)} characters was normalised")

    monkeypatch.setattr(names, "normalize_name", normalised)
    answer = by_name(api, "公司" * 60_000)
    assert (answer.status_code, answer.json()["code"]) == (422, "name-too-long")
    assert str(NAME_LIMIT) in answer.json()["message"]
    assert by_name(api, " " * 1000 + "公司" * (NAME_LIMIT // 2 + 1)).status_code == 422
    assert not Check.objects.exists()


def test_a_screening_does_not_follow_a_decision_made_for_another_name(api):
    """The same key in a screening as in a check: 东方电气's decision is not 东方市电气's."""
    trade_name = SubjectFactory(name="东方电气有限公司")
    of_the_city = SubjectFactory(name="东方市电气有限公司")
    first = by_name(api, "东方电气有限公司").json()
    assert decide(api, first["check_id"], subject=trade_name.reveal_identifier()).status_code == 201
    department = Check.objects.get(pk=first["check_id"]).department
    index = NameIndex.build([(trade_name.pk, trade_name.name), (of_the_city.pk, of_the_city.name)])
    matcher = NameMatcher(department.pk, index=index)

    def subjects_of(ids):
        return {pk: ("key", False, "name", "code") for pk in ids}

    matches = matcher.match_many(["东方市电气有限公司", " 东方电气 有限公司"], subjects_of)
    assert matches["东方市电气有限公司"].subject[0] == of_the_city.pk
    assert matches[" 东方电气 有限公司"].subject[0] == trade_name.pk
