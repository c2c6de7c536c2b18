"""The holiday calendar as data the credit office keeps (R15), with an audit row per load (R14).

The test database is built by the migrations, so the official schedule 2004–2026 is there.
"""

import datetime as dt
import io

import chinese_calendar
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from xinyong.audit.models import AuditEntry
from xinyong.calendars import selectors, services
from xinyong.calendars.models import CalendarDay, CalendarYear
from xinyong.core.errors import XinyongError
from xinyong.core.workdays import Deadline

pytestmark = pytest.mark.django_db

OFFICIAL_YEARS = list(range(2004, 2027))
CSV_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-06,休,春节
2027-02-07,班,春节
2027-02-08,节假日,春节
2027-02-20,调休上班,春节
"""


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def cli(*args: str) -> str:
    out = io.StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def csv_2027(tmp_path):
    path = tmp_path / "国务院办公厅关于2027年部分节假日安排的通知.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    return path


# -- the seeded official schedule ------------------------------------------------------------


def test_the_migrations_seed_the_official_schedule():
    assert selectors.covered_years() == OFFICIAL_YEARS
    calendar = selectors.work_calendar()
    assert calendar.holidays == frozenset(chinese_calendar.holidays)
    assert calendar.adjusted_workdays == frozenset(chinese_calendar.workdays)
    assert CalendarDay.objects.get(date=d("2026-10-01")).name == "国庆节"
    assert CalendarDay.objects.get(date=d("2026-02-14")).kind == CalendarDay.Kind.WORKDAY
    assert CalendarYear.objects.get(year=2026).source == (
        "国务院办公厅关于2026年部分节假日安排的通知（chinesecalendar）"
    )


def test_seeding_again_changes_nothing_and_is_audited_once():
    def snapshot():
        return (
            list(CalendarDay.objects.values_list("date", "kind", "name")),
            list(CalendarYear.objects.values_list("year", "source")),
        )

    seeded = snapshot()
    for _ in range(2):
        summary = services.seed_from_chinesecalendar(actor="credit-office")
        assert snapshot() == seeded
    assert summary.years == tuple(OFFICIAL_YEARS)
    assert (summary.holidays, summary.workdays) == (
        len(chinese_calendar.holidays),
        len(chinese_calendar.workdays),
    )
    audit = AuditEntry.objects.filter(action="calendar.seed")
    assert audit.count() == 2
    assert audit.first().object_id == "2004-2026"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-02-14", True),
        ("2026-02-28", True),
        ("2026-09-20", True),
        ("2026-10-10", True),
        ("2026-02-17", False),
        ("2026-10-05", False),
        ("2026-10-11", False),
    ],
)
def test_the_database_calendar_knows_2026(day, working):
    assert selectors.work_calendar().is_workday(d(day)) is working


# -- the command -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "printed"),
    [
        (("add-workdays", "2026-09-21", "20"), "2026-10-26"),
        (("add-workdays", "2026-09-30", "1"), "2026-10-08"),
        (("add-workdays", "2026-10-01", "0"), "2026-10-01"),
        # 12-31, then 01-04 and 01-05: New Year's Day is a holiday by law before any notice.
        (("add-workdays", "2026-12-30", "3"), "2027-01-05 provisional"),
        # 12-21…12-31 are 9 working days; 01-01 is off; 01-04…01-08, 01-11…01-15 make 19; 01-18
        (("add-workdays", "2026-12-20", "20"), "2027-01-18 provisional"),
        (("add-days", "2026-09-21", "10"), "2026-10-08"),
        (("add-days", "2026-09-30", "10"), "2026-10-10"),
        # ends on New Year's Day, a holiday by law, so on Monday 01-04 (art. 203)
        (("add-days", "2026-12-22", "10"), "2027-01-04 provisional"),
        (("next-workday", "2026-10-09"), "2026-10-10"),
        (("coverage",), "2004-2026"),
    ],
)
def test_the_command_prints_deadlines_and_coverage(args, printed):
    assert cli(*args) == printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add-workdays", "2026-13-01", "20"), "日期无效“2026-13-01”"),
        (("add-days", "yesterday", "20"), "日期无效“yesterday”"),
        (("add-workdays", "2026-09-21", "-1"), "天数无效“-1”"),
        (("add-days", "2026-09-21", "twenty"), "天数无效“twenty”"),
        (("add-days", "2026-09-21", "1.5"), "天数无效“1.5”"),
        (("add-workdays", "9999-12-30", "5"), "超出日历范围"),
        (("load", "/nonexistent/holidays.csv"), "无法读取文件"),
    ],
)
def test_the_command_refuses_bad_input_clearly(args, message):
    with pytest.raises(CommandError, match=message):
        cli(*args)


def test_a_deadline_into_2027_is_provisional_until_2027_is_loaded(csv_2027):
    assert cli("add-days", "2026-12-22", "10") == "2027-01-04 provisional"
    assert cli("add-workdays", "2026-12-30", "3") == "2027-01-05 provisional"
    printed = cli("load", str(csv_2027), "--reason", "2027 年放假安排已发布")
    assert "2027" in printed and "节假日 3 天" in printed and "调休上班日 2 天" in printed
    assert cli("add-days", "2026-12-22", "10") == "2027-01-04"  # the estimate was right
    assert cli("add-workdays", "2026-12-30", "3") == "2027-01-05"
    assert cli("coverage") == "2004-2027"
    covered = CalendarYear.objects.get(year=2027)
    assert covered.source == csv_2027.name  # the file name when no --source is given
    entry = AuditEntry.objects.get(action="calendar.load")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        "cli",
        "calendars.calendaryear",
        "2027",
    )
    assert entry.after["years"] == [2027]
    assert (entry.after["holidays"], entry.after["workdays"]) == (3, 2)
    assert entry.reason == "2027 年放假安排已发布"
    assert entry.before is None


# -- loading files ---------------------------------------------------------------------------


def test_a_load_names_its_source_and_writes_one_audit_row(csv_2027):
    summary = services.load_calendar_file(csv_2027, source="国办发明电〔2026〕X号", actor="officer")
    assert summary.years == (2027,)
    assert CalendarYear.objects.get(year=2027).source == "国办发明电〔2026〕X号"
    assert AuditEntry.objects.count() == 1
    calendar = selectors.work_calendar()
    assert 2027 in calendar.covered_years
    assert not calendar.is_workday(d("2027-01-01"))
    assert calendar.is_workday(d("2027-02-07"))  # a Sunday worked
    assert calendar.add_workdays(d("2027-02-05"), 1) == Deadline(d("2027-02-07"))


def test_loading_a_year_again_replaces_its_days(tmp_path, csv_2027):
    services.load_calendar_file(csv_2027)
    again = tmp_path / "corrected.csv"
    again.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n")
    services.load_calendar_file(again, source="更正")
    days = CalendarDay.objects.filter(date__year=2027)
    assert list(days.values_list("date", flat=True)) == [d("2027-01-01"), d("2027-01-02")]
    assert CalendarYear.objects.get(year=2027).source == "更正"
    second = AuditEntry.objects.filter(action="calendar.load").last()
    assert second.before == {"2027": {"source": csv_2027.name, "days": 5}}
    assert selectors.work_calendar().is_workday(d("2027-02-08"))  # no longer a holiday


def test_loading_one_year_leaves_the_others_alone(tmp_path):
    path = tmp_path / "2026.csv"
    path.write_text("date,kind,name\n2026-10-01,holiday,国庆节\n")
    services.load_calendar_file(path)
    assert CalendarDay.objects.filter(date__year=2026).count() == 1
    assert CalendarDay.objects.filter(date__year=2025).count() == sum(
        day.year == 2025 for day in [*chinese_calendar.holidays, *chinese_calendar.workdays]
    )
    assert selectors.work_calendar().is_workday(d("2026-10-10")) is False  # just a Saturday now


def test_a_gbk_file_with_chinese_marks_is_decoded(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("日期,类型,名称\n2027-10-01,休,国庆节\n2027-09-26,班,国庆节\n".encode("gbk"))
    services.load_calendar_file(path)
    assert CalendarDay.objects.get(date=d("2027-10-01")).name == "国庆节"
    assert CalendarDay.objects.get(date=d("2027-09-26")).kind == CalendarDay.Kind.WORKDAY


def test_a_utf8_file_with_a_byte_order_mark_and_crlf_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffdate,kind,name\r\n2027/1/1,holiday,元旦\r\n\r\n".encode())
    services.load_calendar_file(path)
    assert CalendarDay.objects.get(date=d("2027-01-01")).kind == CalendarDay.Kind.HOLIDAY


def test_a_json_file_is_read(tmp_path):
    path = tmp_path / "2027.json"
    path.write_text('[{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]', "utf-8")
    assert services.load_calendar_file(path).years == (2027,)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-30,holiday,春节\n",
            "第 3 行：日期无效“2027-02-30”",
        ),
        (
            "date,kind,name\n2027-01-01,holiday,元旦\n\n2027-02-08,rest,春节\n",
            "第 4 行：类型无效“rest”",
        ),
        (
            "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-01,holiday,元旦\n",
            "第 3 行：日期 2027-01-01 重复（第 2 行已有）",
        ),
        ("date,kind,name\n2027-01-04,workday,\n", "第 2 行：2027-01-04 是星期一，本来就是工作日"),
        ("date,kind,name\n2027-01-01,holiday," + "长" * 65 + "\n", "第 2 行：名称超过 64 字"),
        ("2027-01-01,holiday,元旦\n", "第 1 行：表头应为 date,kind,name"),
        ("date,kind,name\n", "文件中没有日期行"),
        ("", "文件中没有日期行"),
    ],
)
def test_a_bad_file_is_refused_whole_naming_the_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    days_before = CalendarDay.objects.count()
    with pytest.raises(XinyongError, match=message):
        services.load_calendar_file(path)
    assert CalendarDay.objects.count() == days_before
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert AuditEntry.objects.count() == 0


def test_a_bad_row_leaves_the_replaced_year_untouched(tmp_path):
    path = tmp_path / "2026-bad.csv"
    path.write_text("date,kind,name\n2026-10-01,holiday,国庆节\n2026-10-02,holiday,国庆节\nx,y,z\n")
    with pytest.raises(XinyongError) as refused:
        services.load_calendar_file(path)
    assert refused.value.code == "calendar-file-invalid"
    assert len(refused.value.details["errors"]) == 2  # the date and the kind of line 4
    assert CalendarDay.objects.filter(date__year=2026).count() == 39
    assert selectors.work_calendar().is_workday(d("2026-10-10"))


def test_every_error_is_reported_at_once_through_the_command(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("date,kind,name\n2027-13-01,holiday,\n2027-01-02,x,\n")
    with pytest.raises(CommandError, match=r"第 2 行.*第 3 行"):
        cli("load", str(path))


def test_an_undecodable_file_is_refused(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"date,kind,name\n\x81\x30\xff\xff,holiday,\n")
    with pytest.raises(XinyongError, match="UTF-8 或 GB18030"):
        services.load_calendar_file(path)


# -- the cached calendar ---------------------------------------------------------------------


def test_the_calendar_is_cached_while_nothing_changes():
    assert selectors.work_calendar() is selectors.work_calendar()


def test_an_edit_elsewhere_that_keeps_the_counts_is_seen():
    """Another process moved a holiday (same counts) and touched the year, as the admin does."""
    assert not selectors.work_calendar().is_workday(d("2026-10-07"))
    CalendarDay.objects.filter(date=d("2026-10-07")).update(date=d("2026-10-09"))  # no signals
    CalendarYear.objects.filter(year=2026).update(loaded_at=timezone.now())
    calendar = selectors.work_calendar()
    assert calendar.is_workday(d("2026-10-07"))
    assert not calendar.is_workday(d("2026-10-09"))


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("calendar-admin", "admin@example.cn", "pw")
    client.force_login(user)
    return client


def test_an_admin_edit_is_seen_at_once_and_audited(admin_client):
    assert selectors.work_calendar().is_workday(d("2026-10-10"))
    loaded_before = CalendarYear.objects.get(year=2026).loaded_at
    url = reverse("admin:calendars_calendarday_change", args=["2026-10-10"])
    response = admin_client.post(url, {"kind": "holiday", "name": "国庆节（更正）"})
    assert response.status_code == 302
    assert not selectors.work_calendar().is_workday(d("2026-10-10"))
    assert CalendarYear.objects.get(year=2026).loaded_at > loaded_before
    entry = AuditEntry.objects.get(action="admin.change")
    assert (entry.actor, entry.object_id, entry.after["kind"]) == (
        "calendar-admin",
        "2026-10-10",
        "holiday",
    )


def test_an_edit_rolled_back_with_the_last_test_is_gone():
    assert selectors.work_calendar().is_workday(d("2026-10-10"))


def test_an_admin_delete_is_seen_at_once(admin_client):
    assert selectors.work_calendar().is_workday(d("2026-09-20"))
    url = reverse("admin:calendars_calendarday_delete", args=["2026-09-20"])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not selectors.work_calendar().is_workday(d("2026-09-20"))  # an ordinary Sunday again
    assert AuditEntry.objects.filter(action="admin.delete").count() == 1


def test_an_admin_bulk_delete_is_seen_at_once(admin_client):
    url = reverse("admin:calendars_calendarday_changelist")
    chosen = ["2026-02-14", "2026-02-28"]
    data = {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}
    assert admin_client.post(url, data).status_code == 302
    calendar = selectors.work_calendar()
    assert not calendar.is_workday(d("2026-02-14")) and not calendar.is_workday(d("2026-02-28"))
    assert AuditEntry.objects.filter(action="admin.delete").count() == 2


def test_adding_a_year_in_the_admin_covers_it(admin_client):
    assert selectors.work_calendar().add_days(d("2026-12-22"), 10).provisional
    url = reverse("admin:calendars_calendaryear_add")
    assert admin_client.post(url, {"year": "2027", "source": "国办发明电"}).status_code == 302
    assert not selectors.work_calendar().add_days(d("2026-12-22"), 10).provisional


def test_the_admin_lists_days_with_their_weekday_in_chinese(admin_client):
    url = reverse("admin:calendars_calendarday_changelist") + "?date__year=2026&date__month=10"
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "节假日与调休" in page
    assert "2026-10-10 星期六" in page
    assert "调休上班日" in page
