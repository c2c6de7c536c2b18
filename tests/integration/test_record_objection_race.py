"""Objections to a credit record at the same moment (R6; row lock, claim and the one-open
constraint): two officers deciding differently take one decision, and two objections sent at
once open one; the record and the audit trail tell that one alone."""

import datetime as dt

import pytest
from django.db import connection  # noqa: F401 (read by the skipif condition)

from tests.factories import CreditRecordFactory, OfficerFactory, UserFactory
from tests.races import race
from xinyong.access.models import SubjectAccount
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.remedies import record_objections as services
from xinyong.remedies.models import RecordObjection

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
D = dt.date


def _record():
    return CreditRecordFactory(
        content={"CF_SY": "未按规定公示年度报告"}, published_on=D(2026, 9, 3),
        publication_ends_on=D(2027, 9, 1), sharing_ends_on=D(2027, 9, 1),
    )  # fmt: skip


def test_revoking_and_correcting_at_once_take_one_decision():
    record = _record()
    objection = RecordObjection.objects.create(
        record=record, department=record.department, objector=record.subject.name,
        grounds="事实有误", received_on=D(2026, 10, 20), due_on=D(2026, 11, 9),
    )  # fmt: skip
    first, second = (OfficerFactory(department=record.department).user for _ in range(2))

    def decide(actor, **how):
        return lambda: services.decide(
            objection.pk, actor=actor, finding=services.Finding.FOUNDED, statement="成立", **how
        )

    outcomes = race(
        decide(first, outcome="revoke"),
        decide(second, outcome="correct", corrections={"title": "已更正的摘要"}),
    )
    assert sorted(outcomes) == ["objection-already-decided", "ok"], outcomes
    record.refresh_from_db()
    objection.refresh_from_db()
    if outcomes[0] == "ok":
        assert objection.outcome == "revoke" and record.sharing_stopped_on == D(2026, 10, 27)
        assert record.title != "已更正的摘要"
    else:
        assert objection.outcome == "correct" and record.title == "已更正的摘要"
        assert record.sharing_stopped_on is None
    assert AuditEntry.objects.filter(action="remedies.record_objection.founded").count() == 1
    assert verify_chain().ok


def test_two_objections_sent_at_once_open_one():
    record = _record()
    accounts = [UserFactory(), UserFactory()]
    for user in accounts:
        SubjectAccount.objects.create(user=user, subject=record.subject)

    def send(user):
        return lambda: services.object_to_record(record.pk, actor=user, grounds="事实有误")

    outcomes = race(*(send(user) for user in accounts))
    assert sorted(outcomes) == ["objection-pending", "ok"], outcomes
    assert RecordObjection.objects.filter(record=record).count() == 1
    assert AuditEntry.objects.filter(action="remedies.record_objection.open").count() == 1
    assert verify_chain().ok
