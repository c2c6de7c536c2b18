"""A department's decision on a name is followed only while the subject decided on still
answers to that name (issue 4 item 3; 应查必查, R10, R11): renamed away, the name is answered as
if undecided, by a check and by screening alike, and no score is written that was not computed."""

import pytest

from tests.check_clients import check, client_for
from tests.factories import DepartmentFactory, ListEntryFactory, SubjectFactory
from tests.integration.test_screening import read_output, write_csv
from xinyong.listings.models import ListKind
from xinyong.measures.checks import DECISION_NO_LONGER_APPLIES
from xinyong.measures.screening import screen_file
from xinyong.subjects.name_index import reset_index

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"
ASKED = "恒泰科技有限公司"


@pytest.fixture(autouse=True)
def fresh_index():
    reset_index()
    yield
    reset_index()


@pytest.fixture
def department():
    return DepartmentFactory(implementing=True)


@pytest.fixture
def api(procurement, measures, department):
    return client_for(department, [SCENARIO])


def by_name(api, name=ASKED):
    answer = check(api, name=name, scenario=SCENARIO)
    assert answer.status_code == 200, answer.content
    return answer.json()


def decide(api, check_id, subject, same=True):
    decided = api.post(f"/api/v1/checks/{check_id}/decisions",
                       {"candidate": subject.pk, "same_subject": same, "reason": "营业执照核对"},
                       content_type="application/json")  # fmt: skip
    assert decided.status_code == 201, decided.content


def black_listed(**fields):
    subject = SubjectFactory(**fields)
    ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.BLACK)
    return subject


def rename(subject, name):
    subject.name = name
    subject.save()


def screened(tmp_path, department, name=ASKED):
    source = write_csv(tmp_path / "in.csv", [["name"], [name]])
    screen_file(source, tmp_path / "out.csv", scenario=SCENARIO, department_id=department.pk)
    (row,) = read_output(tmp_path / "out.csv")
    return row


def confirmed_then_renamed(api, new_name="杭州新名贸易有限公司"):
    """恒泰科技有限公司 confirmed as 杭州恒泰科技有限公司 among two candidates, which is then
    renamed to ``new_name``."""
    decided = SubjectFactory(name="杭州恒泰科技有限公司")
    SubjectFactory(name="恒泰科技（宁波）有限公司")
    first = by_name(api)
    assert first["result"] == "undetermined"
    decide(api, first["check_id"], decided)
    rename(decided, new_name)
    return decided


def test_a_name_now_exactly_a_listed_companys_is_not_answered_by_a_subject_renamed_away(
    api, department, tmp_path
):
    decided = confirmed_then_renamed(api)
    listed = black_listed(name=ASKED)
    later = by_name(api)
    assert (later["result"], later["subject"]["code"], later["subject"]["matched_by"]) == (
        "punish", listed.identifier, "exact",
    )  # fmt: skip
    assert later["warning"]["code"] == DECISION_NO_LONGER_APPLIES
    assert decided.pk not in [c["candidate"] for c in later["candidates"]]
    row = screened(tmp_path, department)
    assert (row["status"], row["subject_code"], row["score"], row["result"]) == (
        "matched_by_name", listed.identifier, "100", "punish",
    )  # fmt: skip
    assert row["reason_code"] == DECISION_NO_LONGER_APPLIES


def test_renamed_away_with_no_exact_match_the_name_is_undetermined_again(api, department, tmp_path):
    confirmed_then_renamed(api)
    later = by_name(api)
    assert (later["subject"], later["result"]) == (None, "undetermined")
    assert [c["name"] for c in later["candidates"]] == ["恒泰科技（宁波）有限公司"]
    assert later["warning"]["code"] == DECISION_NO_LONGER_APPLIES
    row = screened(tmp_path, department)
    assert (row["status"], row["result"]) == ("ambiguous", "undetermined")


def test_renamed_to_a_form_the_name_still_finds_the_decision_is_followed(api, department, tmp_path):
    decided = confirmed_then_renamed(api, "杭州恒泰科技有限责任公司")
    black_listed(name=ASKED)
    later = by_name(api)
    assert (later["subject"]["candidate"], later["subject"]["matched_by"]) == (
        decided.pk, "decision",
    )  # fmt: skip
    assert "warning" not in later
    score = next(c["score"] for c in later["candidates"] if c["candidate"] == decided.pk)
    row = screened(tmp_path, department)
    assert (row["status"], row["subject_code"], float(row["score"])) == (
        "matched_by_name", decided.identifier, score,
    )  # fmt: skip


def test_a_confirmed_subject_crowded_out_of_the_candidates_has_its_own_score(
    api, department, tmp_path
):
    decided = SubjectFactory(name="杭州恒泰科技有限公司")
    SubjectFactory(name="恒泰科技（宁波）有限公司")
    decide(api, by_name(api)["check_id"], decided)
    for _ in range(12):  # more namesakes at the exact score than a check offers
        SubjectFactory(name=ASKED)
    later = by_name(api)
    assert (later["subject"]["candidate"], later["subject"]["matched_by"]) == (
        decided.pk, "decision",
    )  # fmt: skip
    assert decided.pk not in [c["candidate"] for c in later["candidates"]]
    row = screened(tmp_path, department)
    # Its score against the name, as a search gives it: never the exact score it did not get.
    assert (row["status"], row["subject_code"], row["score"]) == (
        "matched_by_name", decided.identifier, "92",
    )  # fmt: skip


def test_a_ruled_out_subject_renamed_away_hides_no_one_bearing_its_old_name(
    api, department, tmp_path
):
    ruled_out = SubjectFactory(name=ASKED)
    SubjectFactory(name="恒泰科技（宁波）有限公司")
    decide(api, by_name(api)["check_id"], ruled_out, same=False)
    rename(ruled_out, "杭州新名贸易有限公司")
    listed = black_listed(name=ASKED)
    later = by_name(api)
    assert (later["result"], later["subject"]["code"]) == ("punish", listed.identifier)
    assert "warning" not in later
    row = screened(tmp_path, department)
    assert (row["status"], row["subject_code"], row["result"]) == (
        "matched_by_name", listed.identifier, "punish",
    )  # fmt: skip
