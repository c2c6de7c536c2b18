"""A report of a measure applied and the rule-out of its subject, sent at once by two officers
of one department (R11, 003 §七): whichever comes first holds the department's row, and the
other is judged on what it wrote; never both, which would leave a case standing against a
subject the department ruled out."""

from __future__ import annotations

import pytest
from django.db import connection  # noqa: F401 (skipif)

from tests.check_clients import check
from tests.factories import ListEntryFactory, OfficerFactory, SubjectFactory
from tests.races import first_then, race
from xinyong.listings.models import ListKind
from xinyong.measures import name_decisions, services
from xinyong.measures.models import CheckFeedback, NameDecision
from xinyong.subjects.name_index import reset_index

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
NAME = "杭州恒泰网络科技有限公司"


@pytest.fixture(autouse=True)
def fresh_index():
    reset_index()
    yield
    reset_index()


@pytest.fixture
def checked(api, measures, finance):
    company = SubjectFactory(name=NAME)
    ListEntryFactory(subject=company, effective=True, list__kind=ListKind.BLACK)
    answer = check(api, name=NAME, scenario="government_procurement").json()
    assert answer["subject"]["matched_by"] == "exact"
    officers = [OfficerFactory(department=finance).user for _ in range(2)]
    return answer, officers


def _calls(answer, officers):
    def report():
        services.report_feedback(
            actor=officers[0], check_id=answer["check_id"], business_reference="B-1",
            outcome="", measures=[services.ReportedMeasure("bar-procurement", True)],
        )  # fmt: skip

    def rule_out():
        name_decisions.decide_name(
            actor=officers[1], check_id=answer["check_id"], same_subject=False,
            candidate=answer["subject"]["candidate"], reason="地址不同",
        )  # fmt: skip

    return report, rule_out


def test_a_rule_out_waits_for_a_report_being_written_and_is_refused(checked):
    report, rule_out = _calls(*checked)
    assert race(*first_then(report, rule_out)) == ["ok", "subject-has-applied-feedback"]
    assert CheckFeedback.objects.count() == 1 and not NameDecision.objects.exists()


def test_a_report_waits_for_a_rule_out_being_written_and_is_refused(checked):
    report, rule_out = _calls(*checked)
    assert race(*first_then(rule_out, report)) == ["ok", "subject-ruled-out"]
    assert not CheckFeedback.objects.exists() and NameDecision.objects.get().same_subject is False
