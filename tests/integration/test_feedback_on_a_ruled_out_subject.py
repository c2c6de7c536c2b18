"""A department that ruled out the subject a check by name matched (not the same subject) cannot
report measures applied to that subject through that check, nor keep such a report standing
while it rules the subject out (R10, R11, 003 §七; issue 4 item 3, decision memory): a case is
counted only against the subject the business concerned.

Ruled out after its report, the department corrects the report first (what it did to that
subject: nothing, and why), then records its decision: every figure stays what the reports that
stand say, and no statistic has to read the decisions to undo a case."""

import pytest

from tests.check_clients import check, client_for
from tests.factories import DepartmentFactory, ListEntryFactory, SubjectFactory
from xinyong.listings.models import ListKind
from xinyong.measures import statistics as stats
from xinyong.measures.models import CheckFeedback, MeasureOutcome, NameDecision
from xinyong.subjects.name_index import reset_index

pytestmark = pytest.mark.django_db
NAME = "杭州恒泰网络科技有限公司"


@pytest.fixture(autouse=True)
def fresh_index():
    reset_index()
    yield
    reset_index()


@pytest.fixture
def company():
    company = SubjectFactory(name=NAME)
    ListEntryFactory(subject=company, effective=True, list__kind=ListKind.BLACK)
    return company


def _by_name(api):
    answer = check(api, name=NAME, scenario="government_procurement").json()
    assert (answer["result"], answer["subject"]["matched_by"]) == ("punish", "exact")
    return answer


def _decide(api, answer, same):
    return api.post(
        f"/api/v1/checks/{answer['check_id']}/decisions",
        {"candidate": answer["subject"]["candidate"], "same_subject": same,
         "reason": "地址不同，非同一主体" if not same else "核实营业执照"},
        content_type="application/json",
    )  # fmt: skip


def _report(api, check_id, applied=True, reference="B-1", **more):
    line = {"measure": "bar-procurement", "applied": applied}
    if not applied:
        line["reason"] = "非同一主体，未实施"
    return api.post(
        f"/api/v1/checks/{check_id}/feedback",
        {"business_reference": reference, "measures": [line], **more},
        content_type="application/json",
    )


def _cases() -> int:
    return stats.case_share(None, stats.Period.asked())["cases"]


def test_feedback_on_a_subject_ruled_out_on_that_check_is_refused(api, measures, company):
    answer = _by_name(api)
    assert _decide(api, answer, same=False).status_code == 201
    for applied in (True, False):
        refused = _report(api, answer["check_id"], applied=applied)
        assert (refused.status_code, refused.json()["code"]) == (409, "subject-ruled-out")
        assert "重新核查" in refused.json()["message"]
    assert not CheckFeedback.objects.exists() and not MeasureOutcome.objects.exists()
    assert _cases() == 0


def test_a_subject_confirmed_again_takes_feedback_again(api, measures, company):
    answer = _by_name(api)
    assert _decide(api, answer, same=False).status_code == 201
    assert _decide(api, answer, same=True).status_code == 201  # decided again: the latest holds
    assert _report(api, answer["check_id"]).status_code == 201
    assert _cases() == 1


def test_ruling_out_a_subject_with_a_case_standing_is_refused_until_the_report_is_corrected(
    api, measures, company
):
    answer = _by_name(api)
    first = _report(api, answer["check_id"])
    assert first.status_code == 201 and _cases() == 1
    refused = _decide(api, answer, same=False)
    assert (refused.status_code, refused.json()["code"]) == (409, "subject-has-applied-feedback")
    assert refused.json()["feedback_ids"] == [first.json()["id"]]
    assert "更正" in refused.json()["message"]
    assert not NameDecision.objects.exists()
    # The report corrected (nothing applied to that subject, and why): the rule-out is taken.
    corrected = _report(api, answer["check_id"], applied=False, corrects=first.json()["id"],
                        correction_reason="核实后发现并非同一主体")  # fmt: skip
    assert corrected.status_code == 201, corrected.json()
    assert _decide(api, answer, same=False).status_code == 201
    assert _cases() == 0
    # And a later check by that name no longer takes the subject.
    again = check(api, name=NAME, scenario="government_procurement").json()
    assert again["subject"] is None


def test_a_check_by_code_of_the_subject_is_no_matter(api, measures, company):
    """The decision is on a name, not on the subject: a report through a check by its code
    stands, and neither blocks the rule-out nor is refused after it."""
    by_code = check(api, subject=company.reveal_identifier(), scenario="government_procurement")
    assert _report(api, by_code.json()["check_id"]).status_code == 201
    answer = _by_name(api)
    assert _decide(api, answer, same=False).status_code == 201
    later = check(api, subject=company.reveal_identifier(), scenario="government_procurement")
    assert _report(api, later.json()["check_id"], reference="B-2").status_code == 201
    assert _cases() == 2


def test_another_departments_decision_is_no_matter(api, measures, company, procurement):
    answer = _by_name(api)
    other = client_for(DepartmentFactory(implementing=True), ["government_procurement"])
    theirs = check(other, name=NAME, scenario="government_procurement").json()
    assert _decide(other, theirs, same=False).status_code == 201
    assert _report(api, answer["check_id"]).status_code == 201
