"""A check sent with both a code and a name answers as batch screening answers such a row
(应查必查, R10, R11): the code decides where a subject has it, a name naming another subject is
warned, and a well-formed code nobody has is answered by the name."""

import pytest

from tests.factories import (
    ListEntryFactory,
    SubjectFactory,
    make_citizen_id,
    make_uscc,
)
from tests.integration import test_name_checks as name_checks
from xinyong.core.identifiers import CHECK_CHARACTER_WARNING
from xinyong.listings.models import ListKind
from xinyong.measures.models import Check, NameDecision
from xinyong.subjects.models import SubjectKind

pytestmark = pytest.mark.django_db

LISTED = "浙江瑞兴包装有限公司"


# The name checks' own: an implementing department's token for procurement, a fresh index.
api, fresh_index = name_checks.api, name_checks.fresh_index  # fresh_index: autouse


@pytest.fixture
def listed():
    company = SubjectFactory(name=LISTED)
    ListEntryFactory(subject=company, effective=True, list__kind=ListKind.BLACK)
    return company


def both(api, code, name):
    answer = api.post(
        "/api/v1/checks", {"subject": code, "name": name, "scenario": "government_procurement"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 200, answer.json()
    return answer.json()


def test_an_unknown_code_with_a_listed_companys_name_is_answered_by_the_name(api, listed):
    code = make_uscc(987_654)
    body = both(api, code, LISTED)
    assert body["subject"]["code"] == listed.reveal_identifier()
    assert body["subject"]["matched_by"] == "exact"
    assert [e["list_kind"] for e in body["entries"]] == ["black"]
    assert body["warning"]["code"] == "code-unknown-answered-by-name"
    made = Check.objects.get(pk=body["check_id"])
    # Registered as asked, by both, and about the subject the name found (R14).
    assert (made.query_identifier, made.query_name, made.subject) == (code, LISTED, listed)
    # A check answered by name is one the department may decide on, as any check by name.
    decided = api.post(
        f"/api/v1/checks/{body['check_id']}/decisions",
        {"candidate": listed.pk, "same_subject": True, "reason": "营业执照核对一致"},
        content_type="application/json",
    )  # fmt: skip
    assert decided.status_code in (200, 201), decided.json()
    assert NameDecision.objects.get().subject == listed


def test_an_unknown_code_whose_name_finds_nothing_is_answered_by_the_code(api, listed):
    code = make_uscc(987_655)
    body = both(api, code, "宁夏远图测绘有限公司")
    assert body["subject"] == {"code": code, "known": False}
    assert (body["result"], body.get("warning")) == ("clear", None)
    assert Check.objects.get(pk=body["check_id"]).query_name == ""


def test_a_mistyped_code_nobody_has_says_so_and_is_answered_by_the_name(api, listed):
    good = make_uscc(987_656)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    body = both(api, wrong, LISTED)
    assert body["subject"]["code"] == listed.reveal_identifier()
    assert body["warning"]["code"] == "code-unknown-answered-by-name"
    assert body["warning"]["message"].startswith(CHECK_CHARACTER_WARNING)


def test_a_known_code_decides_and_a_name_naming_another_is_warned(api, listed):
    clean = SubjectFactory(name="杭州清源贸易有限公司")
    body = both(api, clean.reveal_identifier(), LISTED)
    assert body["subject"]["code"] == clean.reveal_identifier()
    assert (body["entries"], body["warning"]["code"]) == ([], "name-mismatch")
    assert "杭州清源贸易有限公司" in body["warning"]["message"]
    # The other way round: the listed company's code decides, whatever name is sent with it.
    body = both(api, listed.reveal_identifier(), "杭州清源贸易有限公司")
    listed_kinds = [e["list_kind"] for e in body["entries"]]
    assert (listed_kinds, body["warning"]["code"]) == (["black"], "name-mismatch")


def test_a_known_code_with_a_variant_of_its_name_says_nothing(api, listed):
    body = both(api, listed.reveal_identifier(), "浙江瑞兴包装有限责任公司")
    assert ([e["list_kind"] for e in body["entries"]], body.get("warning")) == (["black"], None)


def test_a_persons_id_is_never_answered_by_a_name(api, listed):
    """Persons are checked by citizen ID only (R14): an unknown ID sent with a company's name
    stays the unknown person's answer, and a known person's name is compared masked only."""
    unknown = make_citizen_id(4321)
    body = both(api, unknown, LISTED)
    assert (body["subject"]["known"], body["result"], body.get("warning")) == (
        False, "clear", None,
    )  # fmt: skip
    person = SubjectFactory(
        kind=SubjectKind.NATURAL_PERSON, identifier=make_citizen_id(4322), name="王小明"
    )
    assert both(api, person.reveal_identifier(), "王晓明").get("warning") is None  # 王某 alike
    warned = both(api, person.reveal_identifier(), "李小明")
    assert warned["warning"]["code"] == "name-mismatch"
    assert "小明" not in warned["warning"]["message"]


@pytest.mark.parametrize("name", ["张伟", "王小明"])
def test_an_unknown_code_with_a_name_that_may_be_a_persons_is_undetermined(api, listed, name):
    """Persons are found by citizen ID only (R14): a name that may be a person's finds no one
    by name, so an unknown organisation code sent with it is not known to be clear, as a check
    by that name alone and screening answer it."""
    body = both(api, make_uscc(987_657), name)
    assert (body["subject"], body["result"]) == (None, "undetermined")
    assert [w["code"] for w in body["warnings"]] == [
        "code-unknown-answered-by-name", "name-may-be-a-person",
    ]  # fmt: skip
    assert body["warning"] == body["warnings"][0]
    assert "本行" not in body["warning"]["message"]
