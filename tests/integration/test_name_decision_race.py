"""Two officers of one department decide the same name and subject for the first time at once
(issue: name checks, R14 audit): the later decision's audit row names the decision it replaced.
Before, both read "no earlier decision" (a lock on a row that does not exist yet holds
nothing), the later one updated the earlier's row, and its audit row said it replaced nothing:
the trail lost the first decision."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections  # noqa: F401 (connection: skipif)
from django.test import Client

from tests.factories import DepartmentFactory, OfficerFactory, ScenarioFactory, SubjectFactory
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.measures import name_decisions
from xinyong.measures.models import NameDecision
from xinyong.subjects.name_index import reset_index

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]


@pytest.fixture(autouse=True)
def fresh_index():
    reset_index()
    yield
    reset_index()


def test_a_first_decision_made_while_another_is_saved_names_it_as_replaced(monkeypatch):
    ScenarioFactory(code="government_procurement")
    department = DepartmentFactory(implementing=True)
    first, second = (OfficerFactory(department=department).user for _ in range(2))
    token, _ = tokens.create_token(actor="t", user=first, scenarios=["government_procurement"])
    api = Client(headers={"Authorization": f"Bearer {token}"})
    company = SubjectFactory(name="杭州恒泰网络科技有限公司")
    SubjectFactory(name="杭州恒泰网路科技有限公司")
    body = api.post(
        "/api/v1/checks", {"name": "恒泰网络科技有限公司", "scenario": "government_procurement"},
        content_type="application/json",
    ).json()  # fmt: skip
    assert body["result"] == "undetermined", body
    code = company.reveal_identifier()
    saving, go, decided = threading.Event(), threading.Event(), threading.Event()
    failures: list[BaseException] = []
    recorded = name_decisions.audit.record

    def record(**kwargs):
        if kwargs["action"] == "name_decision.recorded" and kwargs["actor"] is first:
            saving.set()  # the first decision is written, not committed yet
            go.wait(10)
        return recorded(**kwargs)

    monkeypatch.setattr(name_decisions.audit, "record", record)

    def decide(actor, same_subject, reason, done=None):
        def run() -> None:
            try:
                name_decisions.decide_name(
                    actor=actor, check_id=body["check_id"], subject_code=code,
                    same_subject=same_subject, reason=reason,
                )  # fmt: skip
                if done is not None:
                    done.set()
            except BaseException as exc:  # raised again below, in the test's thread
                failures.append(exc)
            finally:
                connections.close_all()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    earlier = decide(first, True, "地址一致")
    saving.wait(10)
    later = decide(second, False, "法定代表人不同", done=decided)
    assert not decided.wait(1)  # it waits for the first, whatever the machine's speed
    go.set()
    earlier.join(20)
    later.join(20)
    assert not failures, failures
    kept = NameDecision.objects.get()
    assert (kept.same_subject, kept.reason) == (False, "法定代表人不同")
    rows = list(AuditEntry.objects.filter(action="name_decision.recorded").order_by("id"))
    assert [row.after["same_subject"] for row in rows] == [True, False]
    assert rows[0].before is None
    assert rows[1].before is not None
    assert (rows[1].before["same_subject"], rows[1].before["reason"]) == (True, "地址一致")
    assert verify_chain().ok
