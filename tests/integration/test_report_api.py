"""Reports on red-list entries over the API, for the verifying department's own system, with the
rights the office pages give (R7; 000 §十一.1, 002 §十九; R4): its own reports only; the
reporter's identity only in the read of one report, registered as the office page registers
its showing; founded ends the entry, unfounded keeps it, closed when it had already ended; one
decision, one audit row."""

import datetime as dt
import json

import pytest
from django.test import Client

from tests.factories import (
    DepartmentFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from tests.red_list_reports import DAY, NAME, PHONE, received, red_list
from xinyong.access.models import SubjectAccount
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry, QueryRegistration
from xinyong.core import clock
from xinyong.listings import services as listings
from xinyong.listings.models import EntryState, ExitReason
from xinyong.reports import services
from xinyong.reports.models import RedListReport, ReportState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(DAY):
        yield


def _red(subject=None, department=None):
    definition = red_list(department)
    subject = subject or SubjectFactory(name="杭州守信科技有限公司")
    return ListEntryFactory(subject=subject, list=definition, effective=True)


def _report(entry, name=NAME, contact=PHONE) -> RedListReport:
    return received(entry, name=name, contact=contact)


def _api(department, **token) -> Client:
    user = OfficerFactory(department=department).user
    secret, _ = tokens.create_token(actor="test", user=user, **token)
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _decide(client, report, **payload):
    return client.post(
        f"/api/v1/reports/{report.pk}/decision", payload, content_type="application/json"
    )


def _decisions():
    return AuditEntry.objects.filter(action__startswith="report.").exclude(action="report.receive")


def _has_identity(answer) -> bool:
    text = json.dumps(answer.json(), ensure_ascii=False)
    return NAME in text or PHONE in text


# --- the list and one report ------------------------------------------------------------------


def test_the_list_shows_the_departments_reports_filtered_and_never_who_reported():
    entry = _red()
    department = entry.list.recognizing_department
    first, second = _report(entry), _report(entry)
    _report(_red())  # another department's
    api = _api(department)
    services.decide_report(
        second.pk, actor=OfficerFactory(department=department).user, founded=False,
        reasons="经核查不属实",
    )  # fmt: skip
    listed = api.get("/api/v1/reports")
    assert listed.status_code == 200
    assert listed.json()["count"] == 2
    assert {r["id"] for r in listed.json()["items"]} == {first.pk, second.pk}
    assert not _has_identity(listed)
    received = api.get("/api/v1/reports", {"state": "received"}).json()["items"]
    assert [(r["id"], r["number"], r["subject_name"]) for r in received] == [
        (first.pk, first.number, "杭州守信科技有限公司")
    ]
    assert [r["id"] for r in api.get("/api/v1/reports?state=unfounded").json()["items"]] == [
        second.pk
    ]
    page = api.get("/api/v1/reports", {"limit": 1}).json()
    assert (page["count"], len(page["items"])) == (2, 1)
    refused = api.get("/api/v1/reports", {"state": "bogus"})
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid-request")
    # Reports on an organisation name no person: nothing registered.
    assert not QueryRegistration.objects.exists()


def _received_and_decided(entry):
    """Four reports received on the 2nd to the 5th; those of the 2nd and the 4th decided, the
    one received later decided later. Returned in the order the department works them (R7)."""
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    reports = {}
    for day in (2, 3, 4, 5):
        with clock.frozen(dt.date(2026, 11, day)):
            reports[day] = _report(entry)
    for day, decided in ((2, 6), (4, 9)):
        with clock.frozen(dt.date(2026, 11, decided)):
            services.decide_report(reports[day].pk, actor=officer, founded=False, reasons="不实")
    return [reports[day].pk for day in (5, 3, 4, 2)]


def test_the_list_gives_undecided_reports_first_then_the_newest_on_every_database():
    """Ordered by the empty decision date, PostgreSQL put undecided reports last (NULLS LAST)
    and both databases put the earliest decided before the newest."""
    entry = _red()
    expected = _received_and_decided(entry)
    api = _api(entry.list.recognizing_department)
    assert [r["id"] for r in api.get("/api/v1/reports").json()["items"]] == expected
    paged = [api.get("/api/v1/reports", {"limit": 1, "offset": n}) for n in range(4)]
    assert [page.json()["items"][0]["id"] for page in paged] == expected


def test_one_report_shows_the_reporter_to_its_department_each_view_registered():
    report = _report(_red())
    api = _api(report.entry.list.recognizing_department)
    for _ in range(2):
        answer = api.get(f"/api/v1/reports/{report.pk}")
        assert answer.status_code == 200
        body = answer.json()
        assert body["reporter"] == {"name": NAME, "contact": PHONE}
        assert (body["facts"], body["evidence"]) == ("该企业存在偷税行为", "税务处理决定书")
    # As the office page: one registration per showing, naming the reported subject and the
    # route, never the reporter.
    rows = list(QueryRegistration.objects.order_by("id"))
    assert [(r.kind, r.purpose_id, r.natural_persons, r.rows) for r in rows] == [
        ("entry_read", "listing_procedure", 1, 1)
    ] * 2
    assert {r.route for r in rows} == {"GET /api/v1/reports/<report_id>"}
    assert {r.subject_id for r in rows} == {report.entry.subject_id}
    for row in rows:
        assert NAME not in str(vars(row)) and PHONE not in str(vars(row))


# --- deciding ---------------------------------------------------------------------------------


def test_founded_ends_the_entry_with_one_audit_row_and_no_identity_in_the_answer():
    report = _report(_red())
    answer = _decide(_api(report.entry.list.recognizing_department), report, founded=True,
                     reasons="经核查偷税属实")  # fmt: skip
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["state"], body["decided_on"], body["reasons"]) == (
        "founded", "2026-11-10", "经核查偷税属实"
    )  # fmt: skip
    assert body["entry_state"] == "exited"
    assert not _has_identity(answer) and "reporter" not in body
    entry = report.entry
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.REPORTED)
    assert list(_decisions().values_list("action", flat=True)) == ["report.found"]
    assert not QueryRegistration.objects.exists()


def test_unfounded_keeps_the_entry():
    report = _report(_red())
    answer = _decide(_api(report.entry.list.recognizing_department), report, founded=False,
                     reasons="经核查不属实")  # fmt: skip
    assert answer.json()["state"] == "unfounded"
    report.entry.refresh_from_db()
    assert report.entry.state == EntryState.EFFECTIVE
    assert list(_decisions().values_list("action", flat=True)) == ["report.dismiss"]


def test_a_report_on_an_entry_ended_another_way_is_closed():
    report = _report(_red())
    department = report.entry.list.recognizing_department
    listings.exit_entry(
        report.entry_id, actor=OfficerFactory(department=department).user,
        reason=ExitReason.REQUESTED, note="主体申请退出",
    )  # fmt: skip
    answer = _decide(_api(department), report, founded=True, reasons="名单记录已退出")
    assert (answer.status_code, answer.json()["state"]) == (200, "closed")
    report.entry.refresh_from_db()
    assert report.entry.exit_reason == ExitReason.REQUESTED


def test_a_decided_report_refuses_a_second_decision_in_chinese():
    report = _report(_red())
    api = _api(report.entry.list.recognizing_department)
    assert _decide(api, report, founded=False, reasons="不属实").status_code == 200
    again = _decide(api, report, founded=True, reasons="属实")
    assert (again.status_code, again.json()) == (
        409, {"code": "report-already-decided", "message": "该举报已办结，不能再次处理"}
    )  # fmt: skip
    report.refresh_from_db()
    assert report.state == ReportState.UNFOUNDED
    assert _decisions().count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"founded": "maybe", "reasons": "属实"},
        {"reasons": "属实"},
        {"founded": True, "reasons": "  "},
        {"founded": True},
        {"founded": True, "reasons": "x" * 5001},
    ],
    ids=["founded-unreadable", "founded-missing", "reasons-blank", "reasons-missing", "too-long"],
)
def test_an_unreadable_decision_is_refused_and_changes_nothing(payload):
    report = _report(_red())
    answer = _decide(_api(report.entry.list.recognizing_department), report, **payload)
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid-request")
    assert answer.json()["message"].startswith("请求不符合要求")
    report.refresh_from_db()
    report.entry.refresh_from_db()
    assert (report.state, report.entry.state) == (ReportState.RECEIVED, EntryState.EFFECTIVE)
    assert not _decisions().exists()


def test_a_persons_red_entry_is_registered_in_the_list_and_the_decisions_answer():
    person = SubjectFactory(natural_person=True, name="钱某某")
    report = _report(_red(subject=person))
    api = _api(report.entry.list.recognizing_department)
    api.get("/api/v1/reports")
    _decide(api, report, founded=False, reasons="不属实")
    rows = list(QueryRegistration.objects.order_by("id"))
    assert [(r.kind, r.natural_persons) for r in rows] == [("entry_list", 1), ("entry_read", 1)]
    assert rows[1].subject == person


# --- who may not ------------------------------------------------------------------------------


def test_another_department_neither_sees_nor_decides():
    report = _report(_red())
    api = _api(DepartmentFactory())
    assert api.get("/api/v1/reports").json()["items"] == []
    shown = api.get(f"/api/v1/reports/{report.pk}")
    decided = _decide(api, report, founded=True, reasons="属实")
    for answer in (shown, decided):
        assert (answer.status_code, answer.json()["code"]) == (404, "report-not-found")
        assert not _has_identity(answer)
    report.refresh_from_db()
    assert report.state == ReportState.RECEIVED
    assert not QueryRegistration.objects.exists() and not _decisions().exists()


@pytest.mark.parametrize("caller", ["anonymous", "subject", "implementing"])
def test_no_subject_public_or_implementing_system_reaches_them(caller):
    report = _report(_red())
    client = Client()
    if caller == "subject":  # the reported subject above all
        user = UserFactory()
        SubjectAccount.objects.create(user=user, subject=report.entry.subject)
        client.force_login(user)
    elif caller == "implementing":
        user = tokens.system_account(DepartmentFactory(implementing=True))
        secret, _ = tokens.create_token(actor="test", user=user)
        client = Client(headers={"Authorization": f"Bearer {secret}"})
    expected = (401, "authentication-required") if caller == "anonymous" else (403, "access-denied")
    answers = [
        client.get("/api/v1/reports"), client.get(f"/api/v1/reports/{report.pk}"),
        _decide(client, report, founded=True, reasons="属实"),
    ]  # fmt: skip
    for answer in answers:
        assert (answer.status_code, answer.json()["code"]) == expected
        assert not _has_identity(answer)
    report.refresh_from_db()
    assert report.state == ReportState.RECEIVED
