"""Update duties of submission lists over the API, for the department's own system, with the
rights the office pages give (R13, R14; 004 §二(一)1): its own duties only, with their due day
(15 working days, R15), whether it is provisional, their state and the working days late; the
confirmation through the page's service, with its refusals; one confirmation, one audit row."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import CatalogItemFactory, DepartmentFactory, OfficerFactory
from xinyong.access.roles import ADMIN_GROUP
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.submissions import services
from xinyong.submissions.models import ChangeKind, UpdateDuty

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 10, 21)  # two working days after 10-19, the due day of a change of 09-21


@pytest.fixture
def credit_admin():
    officer = OfficerFactory(department=DepartmentFactory(credit_office=True))
    officer.user.groups.add(Group.objects.get_or_create(name=ADMIN_GROUP)[0])
    return officer.user


@pytest.fixture
def market():
    return DepartmentFactory(code="market", name="市场监管局")


@pytest.fixture
def tax():
    return DepartmentFactory(code="tax", name="税务局")


def register(actor, departments, effective_on, title):
    with clock.frozen(D(2026, 9, 18)):
        change = services.register_change(
            actor=actor, kind=ChangeKind.LAW_REVISED, title=title, legal_basis=f"{title}依据",
            effective_on=effective_on, departments=departments,
        )  # fmt: skip
    return {duty.department.code: duty for duty in change.duties.select_related("department")}


def system_of(department) -> Client:
    """The department's own system: its system account's token."""
    secret, _ = tokens.create_token(actor="test", user=tokens.system_account(department))
    return Client(headers={"Authorization": f"Bearer {secret}"})


def confirm(client, duty, **payload):
    with clock.frozen(TODAY):
        return client.post(
            f"/api/v1/submission-duties/{duty.pk}/confirm", payload,
            content_type="application/json",
        )  # fmt: skip


@pytest.fixture
def duties(credit_admin, market, tax):
    """Market owes three updates: one overdue, one confirmed late, one due past the known
    calendar; tax owes one of the same changes."""
    overdue = register(credit_admin, [market, tax], D(2026, 9, 21), "《食品安全法》修订")
    confirmed = register(credit_admin, [market], D(2026, 9, 22), "市场监管职能调整")["market"]
    with clock.frozen(D(2026, 10, 21)):  # due 10-20: one working day late
        services.confirm_update(
            confirmed.pk, actor=OfficerFactory(department=market).user, summary="新增数据项"
        )
    provisional = register(credit_admin, [market], D(2026, 12, 22), "《广告法》修订")["market"]
    return overdue["market"], confirmed, provisional, overdue["tax"]


def test_a_department_lists_its_own_duties_with_due_day_state_and_days_late(duties, market):
    overdue, confirmed, provisional, theirs = duties
    with clock.frozen(TODAY):
        answer = system_of(market).get("/api/v1/submission-duties")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == 3  # tax's duty is not among them
    found = {item["id"]: item for item in body["items"]}
    assert [item["id"] for item in body["items"]] == [overdue.pk, provisional.pk, confirmed.pk]
    assert {key: found[overdue.pk][key] for key in (
        "change_title", "change_kind", "effective_on", "due_on", "due_provisional", "state",
        "workdays_late", "confirmed_on",
    )} == {
        "change_title": "《食品安全法》修订", "change_kind": "law_revised",
        "effective_on": "2026-09-21", "due_on": "2026-10-19", "due_provisional": False,
        "state": "overdue", "workdays_late": 2, "confirmed_on": None,
    }  # fmt: skip
    assert (found[confirmed.pk]["state"], found[confirmed.pk]["workdays_late"]) == (
        "confirmed", 1
    )  # fmt: skip
    assert found[confirmed.pk]["update_summary"] == "新增数据项"
    assert (found[provisional.pk]["due_on"], found[provisional.pk]["due_provisional"]) == (
        "2027-01-13", True
    )  # fmt: skip
    assert (found[provisional.pk]["state"], found[provisional.pk]["workdays_late"]) == ("open", 0)
    assert theirs.pk not in found


@pytest.mark.parametrize(("state", "which"), [("overdue", [0]), ("open", [2]), ("confirmed", [1])])
def test_the_list_is_filtered_by_state(duties, market, state, which):
    with clock.frozen(TODAY):
        answer = system_of(market).get("/api/v1/submission-duties", {"state": state})
    assert [item["id"] for item in answer.json()["items"]] == [duties[i].pk for i in which]


def test_the_credit_office_lists_only_its_own_departments_duties(duties, credit_admin):
    """Least privilege: the overview of every department stays on the office's pages."""
    client = Client()
    client.force_login(credit_admin)
    with clock.frozen(TODAY):
        answer = client.get("/api/v1/submission-duties")
    assert (answer.status_code, answer.json()["count"]) == (200, 0)


def test_a_department_confirms_its_update_once(duties, market):
    overdue = duties[0]
    item = CatalogItemFactory(provider=market, code="food-sampling")
    client = system_of(market)
    before = AuditEntry.objects.count()
    answer = confirm(client, overdue, summary="  新增抽检不合格信息项 ", items=["food-sampling"])
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["state"], body["workdays_late"], body["confirmed_on"]) == (
        "confirmed", 2, "2026-10-21"
    )  # fmt: skip
    assert (body["update_summary"], body["items_updated"]) == ("新增抽检不合格信息项", [item.code])
    assert body["confirmed_by"] == f"system:{market.code}"
    assert AuditEntry.objects.count() == before + 1
    row = AuditEntry.objects.get(action="submission.confirm_update", object_id=str(overdue.pk))
    assert row.after["items_updated"] == ["food-sampling"]
    again = confirm(client, overdue, summary="再次确认")
    assert (again.status_code, again.json()["code"]) == (409, "duty-already-confirmed")
    assert AuditEntry.objects.count() == before + 1


def test_another_departments_duty_is_not_found_and_stays_open(duties, market):
    theirs = duties[3]
    answer = confirm(system_of(market), theirs, summary="越权确认")
    assert (answer.status_code, answer.json()["code"]) == (404, "duty-not-found")
    theirs.refresh_from_db()
    assert theirs.is_open
    assert not AuditEntry.objects.filter(
        action="submission.confirm_update", object_id=str(theirs.pk)
    ).exists()


def test_an_item_code_too_long_is_told_in_characters(duties, market):
    """An item's code has at most 64 characters: the refusal counts the characters of that
    code, not items of the list (which takes up to 1,000)."""
    overdue = duties[0]
    answer = confirm(system_of(market), overdue, summary="已更新", items=["x" * 65])
    problem = {"field": "items.0", "type": "string_too_long", "message": "最多 64 个字符"}
    assert (answer.status_code, answer.json()["errors"]) == (422, [problem])
    assert "items.0最多 64 个字符" in answer.json()["message"]
    overdue.refresh_from_db()
    assert overdue.is_open


@pytest.mark.parametrize("item", ["\ud800", "a\x00b"], ids=["lone-surrogate", "nul"])
def test_an_item_code_that_is_no_storable_text_is_still_refused(duties, market, item):
    answer = confirm(system_of(market), duties[0], summary="已更新", items=[item])
    assert answer.status_code == 422
    [problem] = answer.json()["errors"]
    assert problem["field"] == "items.0" and problem["message"].endswith("无法保存")


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"summary": "\u3000"}, 422, "invalid-request"),
        ({"summary": "已更新", "items": ["tax-arrears"]}, 422, "item-not-in-list"),
        ({"summary": "已更新", "items": ["no-such-item"]}, 422, "item-not-in-list"),
    ],
    ids=["blank-summary", "another-departments-item", "unknown-item"],
)
def test_a_confirmation_refused_leaves_the_duty_open(duties, market, tax, payload, status, code):
    CatalogItemFactory(provider=tax, code="tax-arrears")
    overdue = duties[0]
    answer = confirm(system_of(market), overdue, **payload)
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    overdue.refresh_from_db()
    assert overdue.is_open and UpdateDuty.objects.filter(confirmed_on__isnull=False).count() == 1
