"""Submission lists and their update within 15 working days of a change of law or duty (R13,
004 §二(一)1), counted on the State Council's calendar (R15)."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client

from tests.factories import CatalogItemFactory, DepartmentFactory, OfficerFactory
from xinyong.access.roles import ADMIN_GROUP, REVIEWER_GROUP
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.catalog.models import UpdateFrequency
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.submissions import services
from xinyong.submissions.models import ChangeKind, ChangeOfLawOrDuty, UpdateDuty
from xinyong.submissions.tick import count_overdue_updates

pytestmark = pytest.mark.django_db
D = dt.date


def credit_office_user(group: str = ADMIN_GROUP):
    officer = OfficerFactory(department=DepartmentFactory(credit_office=True))
    officer.user.groups.add(Group.objects.get_or_create(name=group)[0])
    return officer.user


@pytest.fixture
def credit_admin():
    return credit_office_user()


@pytest.fixture
def market():
    return DepartmentFactory(code="market", name="市场监管局")


@pytest.fixture
def tax():
    return DepartmentFactory(code="tax", name="税务局")


@pytest.fixture
def market_officer(market):
    return OfficerFactory(department=market).user


def register(actor, departments, effective_on, title="《食品安全法》修订"):
    with clock.frozen(D(2026, 9, 18)):
        return services.register_change(
            actor=actor, kind=ChangeKind.LAW_REVISED, title=title,
            legal_basis="《中华人民共和国食品安全法》（2026年修正）", effective_on=effective_on,
            departments=departments,
        )  # fmt: skip


def confirm(duty, actor, day, summary="新增抽检不合格信息项", items=()):
    with clock.frozen(day):
        return services.confirm_update(duty.pk, actor=actor, summary=summary, items=items)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the deadline --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("effective_on", "due_on"),
    [
        # 09-22…09-24 are 3; 09-25…09-27 Mid-Autumn; 09-28…09-30 make 6; 10-01…10-07 National
        # Day; 10-08, 10-09 and Saturday 10-10 (worked in exchange) make 9; 10-12…10-16 make 14;
        # Monday 10-19 is the 15th.
        (D(2026, 9, 21), D(2026, 10, 19)),
        # From a Saturday: Sunday 09-20 is worked in exchange for National Day, and counts.
        (D(2026, 9, 19), D(2026, 10, 15)),
        # From the last day before the holiday: 10-08, 10-09, 10-10, then 10-12…10-27.
        (D(2026, 9, 30), D(2026, 10, 27)),
        # From inside the holiday: the same days are counted as from its eve.
        (D(2026, 10, 3), D(2026, 10, 27)),
    ],
)
def test_the_update_is_due_15_working_days_after_the_change(
    credit_admin, market, effective_on, due_on
):
    change = register(credit_admin, [market], effective_on)
    duty = change.duties.get()
    assert (duty.due_on, duty.due_provisional) == (due_on, False)
    assert change.update_workdays == 15


def test_a_confirmation_on_the_due_day_is_on_time(credit_admin, market, market_officer):
    duty = register(credit_admin, [market], D(2026, 9, 21)).duties.get()
    duty = confirm(duty, market_officer, D(2026, 10, 19))
    assert (duty.confirmed_on, duty.workdays_late, duty.is_late) == (D(2026, 10, 19), 0, False)


def test_a_confirmation_on_the_next_working_day_is_late_by_one(
    credit_admin, market, market_officer
):
    duty = register(credit_admin, [market], D(2026, 9, 21)).duties.get()
    duty = confirm(duty, market_officer, D(2026, 10, 20))
    assert (duty.workdays_late, duty.is_late) == (1, True)


@pytest.mark.parametrize(
    ("confirmed_on", "late"),
    [
        (D(2026, 9, 18), 0),  # before the change took effect
        (D(2026, 10, 18), 0),  # the Sunday before the due day
        (D(2026, 10, 24), 5),  # a Saturday: as made on Monday 10-26, the 5th working day after
        (D(2026, 10, 26), 5),
    ],
)
def test_the_days_late_are_working_days_after_the_due_day(
    credit_admin, market, market_officer, confirmed_on, late
):
    duty = register(credit_admin, [market], D(2026, 9, 21)).duties.get()
    assert confirm(duty, market_officer, confirmed_on).workdays_late == late


def test_a_due_day_past_the_known_calendar_is_provisional_until_its_notice_is_loaded(
    credit_admin, market, tax, market_officer, tmp_path
):
    """From 2026-12-22: 12-23…12-31 are 7 working days; New Year's Day is a holiday by law
    whatever 2027's notice says; 01-04…01-08 and 01-11…01-13 make 15. Provisional, as 2027's
    notice is not yet known (R15)."""
    change = register(credit_admin, [market, tax], D(2026, 12, 22))
    mine, theirs = change.duties.get(department=market), change.duties.get(department=tax)
    assert (mine.due_on, mine.due_provisional) == (D(2027, 1, 13), True)
    confirm(mine, market_officer, D(2026, 12, 30))
    notice = tmp_path / "2027.csv"
    # 2027's notice as it might come: Monday 01-04 off as well.
    notice.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n"
        "2027-01-03,holiday,元旦\n2027-01-04,holiday,元旦\n",
        encoding="utf-8",
    )
    call_command("calendar", "load", str(notice), stdout=io.StringIO())
    theirs.refresh_from_db()
    assert (theirs.due_on, theirs.due_provisional) == (D(2027, 1, 14), False)
    mine.refresh_from_db()  # confirmed: history, as it was counted
    assert (mine.due_on, mine.due_provisional) == (D(2027, 1, 13), True)
    recount = AuditEntry.objects.get(action="submission.deadlines_recounted")
    assert recount.after["duties"] == {
        str(theirs.pk): {"from": "2027-01-13", "from_provisional": True, "to": "2027-01-14",
                         "to_provisional": False},
    }  # fmt: skip
    assert verify_chain().ok


def test_a_due_day_shown_is_never_brought_forward(credit_admin, market, tmp_path):
    """With Saturday 2027-01-09 worked in exchange, the 15th working day would be 01-12; the
    department was shown 01-13 and keeps it, now final."""
    duty = register(credit_admin, [market], D(2026, 12, 22)).duties.get()
    notice = tmp_path / "2027.csv"
    notice.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-09,workday,元旦\n", encoding="utf-8"
    )
    call_command("calendar", "load", str(notice), stdout=io.StringIO())
    duty.refresh_from_db()
    assert (duty.due_on, duty.due_provisional) == (D(2027, 1, 13), False)


# --- the daily job -------------------------------------------------------------------------


def test_the_daily_job_counts_a_duty_overdue_the_working_day_after_its_due_day(
    credit_admin, market, tax, market_officer
):
    """On 2026-10-08, after the National Day holiday: a duty due on 09-30, the working day
    before, is overdue; one due that day is not; a confirmed one is history (R13, R15)."""
    due_before = register(credit_admin, [market], D(2026, 9, 9)).duties.get()
    due_today = register(credit_admin, [tax], D(2026, 9, 10), title="税务职能调整").duties.get()
    confirmed = register(credit_admin, [market], D(2026, 9, 8), title="市场监管职能调整")
    confirm(confirmed.duties.get(), market_officer, D(2026, 9, 30))
    assert (due_before.due_on, due_today.due_on) == (D(2026, 9, 30), D(2026, 10, 8))
    assert count_overdue_updates(D(2026, 9, 30)) == 0
    assert count_overdue_updates(D(2026, 10, 1)) == 1  # the holiday: past the due day already
    assert count_overdue_updates(D(2026, 10, 8)) == 1
    assert count_overdue_updates(D(2026, 10, 9)) == 2
    out = io.StringIO()
    call_command("tick", "--date", "2026-10-08", stdout=out)
    assert "submission_updates_overdue: 1" in out.getvalue().splitlines()
    assert not AuditEntry.objects.filter(action__endswith="tick").exists()


# --- who may do what -----------------------------------------------------------------------


def test_only_the_credit_offices_administrators_register_a_change(market, market_officer):
    for actor in (market_officer, credit_office_user(REVIEWER_GROUP)):
        with pytest.raises(XinyongError) as refused:
            register(actor, [market], D(2026, 9, 21))
        assert (refused.value.code, refused.value.status) == ("credit-admin-required", 403)
    assert not ChangeOfLawOrDuty.objects.exists()


def test_another_departments_officer_cannot_confirm(credit_admin, market, tax):
    duty = register(credit_admin, [market], D(2026, 9, 21)).duties.get()
    for actor in (OfficerFactory(department=tax).user, credit_admin):
        with pytest.raises(XinyongError) as refused:
            confirm(duty, actor, D(2026, 10, 12))
        assert (refused.value.code, refused.value.status) == ("duty-not-found", 404)
    duty.refresh_from_db()
    assert duty.is_open
    assert not AuditEntry.objects.filter(action="submission.confirm_update").exists()


# --- the audit trail and what is kept -------------------------------------------------------


def test_registering_a_change_leaves_one_audit_row(credit_admin, market, tax):
    before = AuditEntry.objects.count()
    change = register(credit_admin, [tax, market, market], D(2026, 9, 21))
    assert AuditEntry.objects.count() == before + 1
    row = AuditEntry.objects.get(action="submission.register_change")
    assert (row.object_id, row.actor) == (str(change.pk), credit_admin.username)
    assert row.after["departments"] == ["market", "tax"]  # each department once
    assert (row.after["due_on"], row.after["due_provisional"]) == ("2026-10-19", False)
    assert change.duties.count() == 2
    assert (change.registered_by, change.registered_on) == (credit_admin.username, D(2026, 9, 18))


def test_a_confirmation_keeps_who_when_what_and_the_list_and_leaves_one_audit_row(
    credit_admin, market, market_officer
):
    item = CatalogItemFactory(
        provider=market, code="food-sampling", name="食品抽检不合格信息",
        data_items=["企业名称", "统一社会信用代码", "不合格项目"],
        update_frequency=UpdateFrequency.WEEKLY,
    )  # fmt: skip
    duty = register(credit_admin, [market], D(2026, 9, 21)).duties.get()
    before = AuditEntry.objects.count()
    duty = confirm(duty, market_officer, D(2026, 10, 21), items=[item])
    assert AuditEntry.objects.count() == before + 1
    duty.refresh_from_db()
    assert (duty.confirmed_by, duty.confirmed_on) == (market_officer.username, D(2026, 10, 21))
    assert duty.confirmed_at is not None
    assert list(duty.items_updated.all()) == [item]
    assert duty.list_as_confirmed[0]["data_items"] == ["企业名称", "统一社会信用代码", "不合格项目"]
    row = AuditEntry.objects.get(action="submission.confirm_update")
    assert (row.department, row.reason) == ("market", "新增抽检不合格信息项")
    assert row.after["workdays_late"] == 2 and row.after["items_updated"] == ["food-sampling"]
    assert verify_chain().ok


# --- bad input leaves everything as it was --------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "item_of_another", "code"),
    [("   ", False, "update-summary-required"), ("已更新", True, "item-not-in-list")],
)
def test_a_confirmation_refused_leaves_the_duty_open(
    credit_admin, market, tax, market_officer, summary, item_of_another, code
):
    duty = register(credit_admin, [market], D(2026, 9, 21)).duties.get()
    items = [CatalogItemFactory(provider=tax)] if item_of_another else []
    with pytest.raises(XinyongError) as refused:
        confirm(duty, market_officer, D(2026, 10, 12), summary=summary, items=items)
    assert (refused.value.code, refused.value.status) == (code, 422)
    duty.refresh_from_db()
    assert duty.is_open and duty.workdays_late is None


def test_a_duty_is_confirmed_once(credit_admin, market, market_officer):
    duty = register(credit_admin, [market], D(2026, 9, 21)).duties.get()
    confirm(duty, market_officer, D(2026, 10, 12))
    with pytest.raises(XinyongError) as refused:
        confirm(duty, market_officer, D(2026, 10, 20), summary="再次确认")
    assert (refused.value.code, refused.value.status) == ("duty-already-confirmed", 409)
    duty.refresh_from_db()
    assert (duty.confirmed_on, duty.update_summary) == (D(2026, 10, 12), "新增抽检不合格信息项")


@pytest.mark.parametrize(
    ("title", "departments", "code"),
    [
        ("  ", "one", "change-text-required"),
        ("《食品安全法》修订", "none", "change-departments-required"),
    ],
)
def test_a_change_refused_registers_nothing(credit_admin, market, title, departments, code):
    with pytest.raises(XinyongError) as refused:
        register(credit_admin, [market] if departments == "one" else [], D(2026, 9, 21), title)
    assert refused.value.code == code
    assert not ChangeOfLawOrDuty.objects.exists() and not UpdateDuty.objects.exists()


def test_the_same_change_is_registered_once(credit_admin, market, tax):
    """What changed and the day it took effect identify a change: registered again, by another
    administrator, classified otherwise or for other departments, it is refused (R13)."""
    register(credit_admin, [market], D(2026, 9, 21))
    before = AuditEntry.objects.count()
    with pytest.raises(XinyongError) as refused, clock.frozen(D(2026, 9, 18)):
        services.register_change(
            actor=credit_office_user(), kind=ChangeKind.DUTY_CHANGED, title="《食品安全法》修订",
            legal_basis="另一种表述的依据", effective_on=D(2026, 9, 21), departments=[tax],
        )  # fmt: skip
    assert (refused.value.code, refused.value.status) == ("change-already-registered", 409)
    assert refused.value.message == (
        "该变化已登记：《食品安全法》修订（2026-09-21生效），不能重复登记"
    )
    assert ChangeOfLawOrDuty.objects.count() == 1 and UpdateDuty.objects.count() == 1
    assert AuditEntry.objects.count() == before
    assert AuditEntry.objects.filter(action="submission.register_change").count() == 1


def test_the_database_refuses_a_second_registration_of_the_same_change(credit_admin, market):
    """The constraint holds whatever skips the service's look-up (two registrations at once)."""
    change = register(credit_admin, [market], D(2026, 9, 21))
    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeOfLawOrDuty.objects.create(
            kind=ChangeKind.DUTY_CHANGED, title=change.title, legal_basis="依据",
            effective_on=change.effective_on, update_workdays=15, registered_by="x",
            registered_on=D(2026, 9, 18),
        )  # fmt: skip
    # The same law revised again takes effect on another day: a change of its own.
    register(credit_admin, [market], D(2027, 3, 1))
    assert ChangeOfLawOrDuty.objects.count() == 2


# --- the pages -----------------------------------------------------------------------------


def test_a_department_sees_its_list_and_its_duties_with_the_overdue_highlighted(
    credit_admin, market, tax, market_officer
):
    CatalogItemFactory(provider=market, code="food-sampling", name="食品抽检不合格信息",
                       data_items=["企业名称", "不合格项目"],
                       update_frequency=UpdateFrequency.WEEKLY)  # fmt: skip
    CatalogItemFactory(provider=tax, code="tax-arrears", name="欠税信息")
    overdue = register(credit_admin, [market, tax], D(2026, 9, 21)).duties.get(department=market)
    register(credit_admin, [tax], D(2026, 9, 21), title="税务职能调整")
    with clock.frozen(D(2026, 10, 20)):
        html = logged_in(market_officer).get("/office/submissions/").content.decode()
    assert "食品抽检不合格信息" in html and "企业名称、不合格项目" in html and "每周" in html
    assert "欠税信息" not in html and "税务职能调整" not in html
    row = html[html.index(f'<tr class="overdue" data-duty="{overdue.pk}">') :]
    row = row[: row.index("</tr>")]
    assert "2026-10-19" in row and "已逾期" in row
    assert "逾期未更新 1 项" in html
    assert 'href="/office/submissions/changes/new/"' not in html


def test_the_credit_office_sees_every_department_and_the_overdue_count(
    credit_admin, market, tax, market_officer
):
    duty = register(credit_admin, [market, tax], D(2026, 9, 21)).duties.get(department=market)
    confirm(duty, market_officer, D(2026, 10, 20))
    with clock.frozen(D(2026, 10, 21)):
        html = logged_in(credit_admin).get("/office/submissions/").content.decode()
    assert "市场监管局" in html and "税务局" in html
    assert "逾期未更新 1 项" in html  # tax's; market's was confirmed, a day late
    assert "已于2026-10-20确认，逾期1个工作日" in html
    assert 'href="/office/submissions/changes/new/"' in html
    reviewer = logged_in(credit_office_user(REVIEWER_GROUP)).get("/office/submissions/")
    assert reviewer.status_code == 200
    assert "/office/submissions/changes/new/" not in reviewer.content.decode()


def test_the_credit_office_registers_a_change_through_its_form(credit_admin, market, tax):
    client = logged_in(credit_admin)
    assert (
        "登记法律法规修订或职能变化"
        in client.get("/office/submissions/changes/new/").content.decode()
    )
    data = {"kind": ChangeKind.DUTY_CHANGED, "title": "市场监管职能调整",
            "legal_basis": "机构改革方案", "effective_on": "2026-09-21",
            "departments": [market.pk, tax.pk]}  # fmt: skip
    with clock.frozen(D(2026, 9, 21)):
        answer = client.post("/office/submissions/changes/new/", data)
        blank = client.post("/office/submissions/changes/new/", {**data, "departments": []})
    assert (answer.status_code, answer["Location"]) == (302, "/office/submissions/")
    assert set(UpdateDuty.objects.values_list("due_on", flat=True)) == {D(2026, 10, 19)}
    assert blank.status_code == 422 and "请至少选择一个部门" in blank.content.decode()
    refused = logged_in(OfficerFactory(department=market).user).post(
        "/office/submissions/changes/new/", data
    )
    assert refused.status_code == 403
    assert ChangeOfLawOrDuty.objects.count() == 1


def test_a_department_confirms_its_update_on_the_duty_page(credit_admin, market, tax):
    duty = register(credit_admin, [market], D(2026, 9, 21)).duties.get()
    officer = logged_in(OfficerFactory(department=market).user)
    page = officer.get(f"/office/submissions/duties/{duty.pk}/").content.decode()
    assert 'data-form="confirm"' in page and "2026-10-19" in page
    with clock.frozen(D(2026, 10, 19)):
        blank = officer.post(f"/office/submissions/duties/{duty.pk}/", {"summary": ""})
        done = officer.post(f"/office/submissions/duties/{duty.pk}/", {"summary": "新增数据项"})
    assert blank.status_code == 422
    assert done.status_code == 302
    page = officer.get(done["Location"]).content.decode()
    assert "已于2026-10-19按期确认" in page and 'data-form="confirm"' not in page
    with clock.frozen(D(2026, 10, 20)):
        again = officer.post(f"/office/submissions/duties/{duty.pk}/", {"summary": "再次确认"})
    assert again.status_code == 409 and "该更新任务已于2026-10-19确认" in again.content.decode()


def test_another_departments_duty_page_is_not_found(credit_admin, market, tax):
    duty = register(credit_admin, [market], D(2026, 9, 21)).duties.get()
    other = logged_in(OfficerFactory(department=tax).user)
    assert other.get(f"/office/submissions/duties/{duty.pk}/").status_code == 404
    with clock.frozen(D(2026, 10, 12)):
        acted = other.post(f"/office/submissions/duties/{duty.pk}/", {"summary": "越权确认"})
    assert acted.status_code == 404
    duty.refresh_from_db()
    assert duty.is_open
    # The credit office reads it, and offers no confirmation for another department.
    page = logged_in(credit_admin).get(f"/office/submissions/duties/{duty.pk}/")
    assert page.status_code == 200 and 'data-form="confirm"' not in page.content.decode()
    with clock.frozen(D(2026, 10, 12)):
        acted = logged_in(credit_admin).post(
            f"/office/submissions/duties/{duty.pk}/", {"summary": "代为确认"}
        )
    assert acted.status_code == 403 and "只有该部门的工作人员可以确认更新" in acted.content.decode()
    duty.refresh_from_db()
    assert duty.is_open


def test_the_office_menu_links_the_submission_lists(market_officer):
    html = logged_in(market_officer).get("/office/submissions/").content.decode()
    assert 'href="/office/submissions/"' in html.split("<main>")[0]


def test_the_admin_shows_the_duties_read_only(admin_client, credit_admin, market):
    duty = register(credit_admin, [market], D(2026, 9, 21)).duties.get()
    assert admin_client.get("/admin/submissions/updateduty/").status_code == 200
    page = admin_client.get(f"/admin/submissions/updateduty/{duty.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin_client.get("/admin/submissions/changeoflaworduty/add/").status_code == 403


def test_the_catalog_admin_takes_an_items_data_items_one_per_line(admin_client, market):
    from xinyong.catalog.models import CatalogItem

    response = admin_client.post(
        "/admin/catalog/catalogitem/add/",
        {"code": "food-sampling", "name": "食品抽检不合格信息", "info_kind": "administrative",
         "legal_basis": "《食品安全法》", "provider": market.pk, "subject_kinds": ["legal_person"],
         "data_items": "企业名称\r\n\r\n 统一社会信用代码 \r\n企业名称\r\n不合格项目",
         "update_frequency": "weekly", "share_scope": "conditional", "disclosure": "public",
         "record_format": "", "mask_personal_data": "on", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    item = CatalogItem.objects.get(code="food-sampling")
    assert item.data_items == ["企业名称", "统一社会信用代码", "不合格项目"]
    assert item.update_frequency == UpdateFrequency.WEEKLY
    form = admin_client.get(f"/admin/catalog/catalogitem/{item.pk}/change/").content.decode()
    assert "企业名称\n统一社会信用代码\n不合格项目</textarea>" in form
