"""A notice that opens in December of the year before merges those days only (R15, R14).

The 2023 notice opens "元旦：2022年12月31日至2023年1月2日放假调休"; the 2019 notice gives
2018-12-30/31 off and has Saturday 2018-12-29 worked. Loading such a notice covers its own year
and writes those December dates into the year before, whose other days, whose notice and whose
running deadlines stay as they were. The notices are transcribed in full, as an officer would,
every day off listed (weekends included where chinesecalendar lists them).
"""

import datetime as dt
import io

import chinese_calendar
import pytest
from django.core.management import call_command

from tests.factories import (
    CreditRecordFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    meeting_of,
)
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.calendars import selectors, services
from xinyong.calendars.models import CalendarDay, CalendarYear
from xinyong.core import clock
from xinyong.listings import services as listings
from xinyong.listings.models import ListEntry, ListKind

pytestmark = pytest.mark.django_db
D = dt.date

# (holiday, first day off, last day off, adjusted working days), per each year's notice;
# 2019's Labour Day as the amending notice of March 2019 set it.
NOTICES = {
    2018: (
        ("元旦", "2018-01-01", "2018-01-01", ()),
        ("春节", "2018-02-15", "2018-02-21", ("2018-02-11", "2018-02-24")),
        ("清明节", "2018-04-05", "2018-04-07", ("2018-04-08",)),
        ("劳动节", "2018-04-29", "2018-05-01", ("2018-04-28",)),
        ("端午节", "2018-06-18", "2018-06-18", ()),
        ("中秋节", "2018-09-24", "2018-09-24", ()),
        ("国庆节", "2018-10-01", "2018-10-07", ("2018-09-29", "2018-09-30")),
    ),
    2019: (
        ("元旦", "2018-12-30", "2019-01-01", ("2018-12-29",)),
        ("春节", "2019-02-04", "2019-02-10", ("2019-02-02", "2019-02-03")),
        ("清明节", "2019-04-05", "2019-04-07", ()),
        ("劳动节", "2019-05-01", "2019-05-04", ("2019-04-28", "2019-05-05")),
        ("端午节", "2019-06-07", "2019-06-09", ()),
        ("中秋节", "2019-09-13", "2019-09-15", ()),
        ("国庆节", "2019-10-01", "2019-10-07", ("2019-09-29", "2019-10-12")),
    ),
    2022: (
        ("元旦", "2022-01-01", "2022-01-03", ()),
        ("春节", "2022-01-31", "2022-02-06", ("2022-01-29", "2022-01-30")),
        ("清明节", "2022-04-03", "2022-04-05", ("2022-04-02",)),
        ("劳动节", "2022-04-30", "2022-05-04", ("2022-04-24", "2022-05-07")),
        ("端午节", "2022-06-03", "2022-06-05", ()),
        ("中秋节", "2022-09-10", "2022-09-12", ()),
        ("国庆节", "2022-10-01", "2022-10-07", ("2022-10-08", "2022-10-09")),
    ),
    2023: (
        ("元旦", "2022-12-31", "2023-01-02", ()),
        ("春节", "2023-01-21", "2023-01-27", ("2023-01-28", "2023-01-29")),
        ("清明节", "2023-04-05", "2023-04-05", ()),
        ("劳动节", "2023-04-29", "2023-05-03", ("2023-04-23", "2023-05-06")),
        ("端午节", "2023-06-22", "2023-06-24", ("2023-06-25",)),
        ("中秋节、国庆节", "2023-09-29", "2023-10-06", ("2023-10-07", "2023-10-08")),
    ),
}


def title(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


def notice_csv(year: int) -> str:
    lines = ["date,kind,name"]
    for name, first, last, worked in NOTICES[year]:
        day = D.fromisoformat(first)
        while day <= D.fromisoformat(last):
            lines.append(f"{day},休,{name}")
            day += dt.timedelta(days=1)
        lines += [f"{day},班,{name}" for day in worked]
    return "\n".join(lines) + "\n"


@pytest.fixture
def load(tmp_path):
    def load(year: int) -> services.LoadSummary:
        path = tmp_path / f"{title(year)}.csv"
        path.write_text(notice_csv(year), encoding="utf-8")
        return services.load_calendar_file(path, source=title(year), actor="officer")

    return load


def days_of(year: int) -> dict[dt.date, str]:
    return dict(CalendarDay.objects.filter(date__year=year).values_list("date", "kind"))


def official(year: int) -> dict[dt.date, str]:
    """The year's days as chinesecalendar gives them: its own notice and the next one's bridge."""
    days = {day: "holiday" for day in chinese_calendar.holidays if day.year == year}
    return days | {day: "workday" for day in chinese_calendar.workdays if day.year == year}


# -- the days and the coverage ---------------------------------------------------------------


def test_the_2023_notice_leaves_the_2022_notice_whole_and_adds_new_years_eve(load):
    load(2022)
    summary = load(2023)
    assert (summary.years, summary.merged) == ((2023,), (D(2022, 12, 31),))
    assert days_of(2022) == official(2022)  # National Day, its worked weekend, all of it
    assert CalendarDay.objects.get(date=D(2022, 12, 31)).name == "元旦"
    calendar = selectors.work_calendar()
    assert not calendar.is_workday(D(2022, 10, 3))
    assert calendar.is_workday(D(2022, 10, 8)) and calendar.is_workday(D(2022, 10, 9))
    assert calendar.is_workday(D(2023, 1, 28))
    sources = dict(CalendarYear.objects.filter(year__in=(2022, 2023)).values_list("year", "source"))
    assert sources == {2022: title(2022), 2023: title(2023)}


def test_the_2019_notice_merges_its_december_2018_days(load):
    load(2018)
    assert not selectors.work_calendar().is_workday(D(2018, 12, 29))  # a plain Saturday so far
    summary = load(2019)
    assert summary.merged == (D(2018, 12, 29), D(2018, 12, 30), D(2018, 12, 31))
    assert days_of(2018) == official(2018)
    calendar = selectors.work_calendar()
    assert calendar.is_workday(D(2018, 12, 29))
    assert not calendar.is_workday(D(2018, 12, 31))
    assert not calendar.is_workday(D(2018, 10, 5)) and calendar.is_workday(D(2018, 9, 29))
    assert CalendarYear.objects.get(year=2018).source == title(2018)


def test_a_merged_date_replaces_what_it_held_and_an_uncovered_year_stays_uncovered(tmp_path):
    """2027's notice is not loaded, though two of its days were entered in the admin (one of
    them wrongly). A 2028 notice opening on 2027-12-31 does not make 2027 known; its New Year's
    Eve replaces what that date held, and the other day stays."""
    CalendarDay.objects.create(date=D(2027, 10, 1), kind="holiday", name="国庆节")
    CalendarDay.objects.create(date=D(2027, 12, 31), kind="workday", name="误录")
    path = tmp_path / "2028.csv"
    path.write_text("date,kind,name\n2027-12-31,休,元旦\n2028-01-01,休,元旦\n2028-10-02,休,国庆\n")
    services.load_calendar_file(path)
    days = CalendarDay.objects.filter(date__year=2027).values_list("date", "kind", "name")
    assert list(days) == [
        (D(2027, 10, 1), "holiday", "国庆节"),
        (D(2027, 12, 31), "holiday", "元旦"),
    ]
    assert selectors.covered_years()[-2:] == [2026, 2028]


# -- the audit row and the command -----------------------------------------------------------


def test_the_audit_row_shows_the_year_replaced_and_the_dates_merged_with_what_they_held(load):
    """The 2022 of the migrations (chinesecalendar) already has 2022-12-31 off for New Year."""
    load(2023)
    entry = AuditEntry.objects.get(action="calendar.load")
    assert entry.object_id == "2023"
    assert entry.before == {
        "2023": {"source": services.SEED_SOURCE.format(year=2023), "days": len(official(2023))},
        "merged": {"2022": {"2022-12-31": {"kind": "holiday", "name": "元旦"}}},
    }
    assert entry.after["years"] == [2023]
    assert entry.after["merged"] == {"2022": {"2022-12-31": {"kind": "holiday", "name": "元旦"}}}
    assert verify_chain().ok


def test_the_audit_row_shows_ordinary_days_merged(load):
    load(2018)
    load(2019)
    entry = AuditEntry.objects.filter(action="calendar.load").last()
    assert entry.before["merged"] == {
        "2018": {"2018-12-29": None, "2018-12-30": None, "2018-12-31": None}
    }
    assert entry.after["merged"] == {
        "2018": {
            "2018-12-29": {"kind": "workday", "name": "元旦"},
            "2018-12-30": {"kind": "holiday", "name": "元旦"},
            "2018-12-31": {"kind": "holiday", "name": "元旦"},
        }
    }
    assert set(entry.before) == {"2019", "merged"}


def test_the_command_says_which_days_were_merged(tmp_path):
    path = tmp_path / "2023.csv"
    path.write_text(notice_csv(2023), encoding="utf-8")
    out = io.StringIO()
    call_command("calendar", "load", str(path), stdout=out)
    assert out.getvalue().startswith("已载入 2023 年放假安排")
    assert "其中 2022-12-31 逐日并入相邻年份" in out.getvalue()


# -- running deadlines -----------------------------------------------------------------------


@pytest.fixture
def black_list():
    return ListDefinitionFactory(kind=ListKind.BLACK)


@pytest.fixture
def officer(black_list):
    return OfficerFactory(department=black_list.recognizing_department).user


def publicized(black_list, officer, day) -> ListEntry:
    with clock.frozen(day):
        entry = listings.propose_listing(
            actor=officer, list_definition=black_list, subject=SubjectFactory(),
            facts="未按期整改", basis="某条例第十条",
        )  # fmt: skip
        listings.notify_subject(entry.pk, actor=officer, **meeting_of(entry.pk))
        return listings.start_publicity(entry.pk, actor=officer)


def objected(black_list, officer, day) -> ListEntry:
    entry = ListEntryFactory(list=black_list, effective=True)
    with clock.frozen(day):
        return listings.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")


def test_running_deadlines_in_2022_are_not_moved_by_the_2023_notice(load, black_list, officer):
    """Publicity from Saturday 2022-10-08 (worked): 20 working days end on 11-03, Sunday 10-09
    counted. An objection received 2022-09-11: 20 days end on 10-01, National Day, so on
    Saturday 10-08, worked (R1, R6, R15). Were 2022 wiped, they would move to 11-04 and 10-03."""
    load(2022)
    publicity = publicized(black_list, officer, D(2022, 10, 8))
    objection = objected(black_list, officer, D(2022, 9, 11))
    assert (publicity.publicity_ends_on, publicity.publicity_ends_provisional) == (
        D(2022, 11, 3), False,
    )  # fmt: skip
    assert (objection.verification_due_on, objection.verification_due_provisional) == (
        D(2022, 10, 8), False,
    )  # fmt: skip
    before = {e.pk: e.version for e in ListEntry.objects.all()}
    load(2023)
    publicity.refresh_from_db()
    objection.refresh_from_db()
    assert publicity.publicity_ends_on == D(2022, 11, 3)
    assert objection.verification_due_on == D(2022, 10, 8)
    assert {e.pk: e.version for e in ListEntry.objects.all()} == before
    assert not AuditEntry.objects.filter(action="listing.deadlines_recounted").exists()


def test_the_recount_after_a_load_sees_the_merged_days(load, black_list, officer):
    """Counted on the 2018 notice alone, an objection received 2018-12-09 is due Monday 12-31
    (20 days end on Saturday 12-29), and a decision of 2018-12-20 is due to be public by 12-31
    (7 working days). The 2019 notice has 12-29 worked: both fall due that day (R6, R9, R15)."""
    load(2018)
    objection = objected(black_list, officer, D(2018, 12, 9))
    assert objection.verification_due_on == D(2018, 12, 31)
    record = CreditRecordFactory(decision_date=D(2018, 12, 20), publication_due_on=D(2018, 12, 31))
    load(2019)
    objection.refresh_from_db()
    record.refresh_from_db()
    assert objection.verification_due_on == D(2018, 12, 29)
    assert record.publication_due_on == D(2018, 12, 29)
    recount = AuditEntry.objects.get(action="listing.deadlines_recounted")
    assert recount.after["years"] == [2018, 2019]
    assert recount.after["verification_due_on"] == {str(objection.pk): "2018-12-29"}
