"""Running deadlines follow every change of the holiday schedule (R1, R6, R15).

A year's notice loaded from a file, a year covered in the admin and a day corrected in the
admin all count the running publicity periods and the open objections' deadlines again.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    meeting_of,
)
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.calendars import services as calendar_services
from xinyong.calendars.models import CalendarDay
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import selectors, services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ListEntry, ListKind
from xinyong.listings.tick import run_tick

pytestmark = pytest.mark.django_db
D = dt.date
NEW_YEAR_2027 = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n"


@pytest.fixture
def black_list():
    return ListDefinitionFactory(kind=ListKind.BLACK)


@pytest.fixture
def officer(black_list):
    return OfficerFactory(department=black_list.recognizing_department).user


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("calendar-admin", "admin@example.cn", "pw")
    client.force_login(user)
    return client


def load_2027(tmp_path) -> None:
    notice = tmp_path / "2027.csv"
    notice.write_text(NEW_YEAR_2027, encoding="utf-8")
    call_command("calendar", "load", str(notice), stdout=io.StringIO())


def publicized(black_list, officer, day) -> ListEntry:
    with clock.frozen(day):
        entry = services.propose_listing(
            actor=officer, list_definition=black_list, subject=SubjectFactory(),
            facts="未按期整改", basis="某条例第十条",
        )  # fmt: skip
        services.notify_subject(entry.pk, actor=officer, **meeting_of(entry.pk))
        return services.start_publicity(entry.pk, actor=officer)


def objected(black_list, officer, day) -> ListEntry:
    entry = ListEntryFactory(list=black_list, effective=True)
    with clock.frozen(day):
        return services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")


def test_an_objection_deadline_past_the_known_calendar_is_provisional_until_loaded(
    black_list, officer, tmp_path
):
    """20 days from 2026-12-12 end on 2027-01-01, New Year's Day, a holiday by law whatever
    2027's notice says: so on Monday 2027-01-04, provisional until the notice is loaded, which
    could still move it (R6, R15)."""
    entry = objected(black_list, officer, D(2026, 12, 12))
    assert (entry.verification_due_on, entry.verification_due_provisional) == (D(2027, 1, 4), True)
    with clock.frozen(D(2026, 12, 14)):
        (item,) = selectors.worklist(officer, D(2026, 12, 14))
    assert item.due_provisional
    version = ListEntry.objects.get(pk=entry.pk).version
    load_2027(tmp_path)
    entry.refresh_from_db()
    assert (entry.verification_due_on, entry.verification_due_provisional) == (D(2027, 1, 4), False)
    assert entry.version == version + 1  # an open form on the old deadline must reload
    recount = AuditEntry.objects.get(action="listing.deadlines_recounted")
    assert recount.after["verification_due_on"] == {str(entry.pk): "2027-01-04"}
    assert verify_chain().ok


def test_an_objection_deadline_within_the_known_calendar_is_final(black_list, officer):
    """20 days from 2026-11-02 end on Sunday 11-22, so on Monday 11-23; 2026 is known."""
    entry = objected(black_list, officer, D(2026, 11, 2))
    assert (entry.verification_due_on, entry.verification_due_provisional) == (
        D(2026, 11, 23), False,
    )  # fmt: skip


def test_deciding_an_objection_clears_its_provisional_deadline(black_list, officer):
    entry = objected(black_list, officer, D(2026, 12, 12))
    with clock.frozen(D(2026, 12, 20)):
        entry = services.uphold_after_verification(entry.pk, actor=officer, finding="属实")
    assert (entry.state, entry.verification_due_on) == (EntryState.EFFECTIVE, None)
    assert not entry.verification_due_provisional


def test_covering_a_year_in_the_admin_settles_a_provisional_publicity_end(
    black_list, officer, admin_client
):
    """Without this, the entry could never be signed nor moved on by the daily job."""
    entry = publicized(black_list, officer, D(2026, 12, 15))
    # 12-16…12-31 are 12 working days; 01-01 is off by law; 01-04…01-08 and 01-11…01-13 make 20.
    assert (entry.publicity_ends_on, entry.publicity_ends_provisional) == (D(2027, 1, 13), True)
    url = reverse("admin:calendars_calendaryear_add")
    assert admin_client.post(url, {"year": "2027", "source": "国办发明电"}).status_code == 302
    entry.refresh_from_db()
    # 2027 covered with no day entered yet counts 01-01 as worked, making 01-12 the 20th working
    # day; the announced end is never brought forward (R1), so it stays 01-13, now final.
    assert (entry.publicity_ends_on, entry.publicity_ends_provisional) == (D(2027, 1, 13), False)


def test_a_day_corrected_in_the_admin_moves_a_running_publicity_end(
    black_list, officer, admin_client
):
    """Publicity from 2026-09-21 ends on 10-26; with Saturday 10-10 no longer worked, the 20th
    working day is 10-27, and the entry is not signable before it (R1)."""
    entry = publicized(black_list, officer, D(2026, 9, 21))
    assert entry.publicity_ends_on == D(2026, 10, 26)
    url = reverse("admin:calendars_calendarday_change", args=["2026-10-10"])
    assert admin_client.post(url, {"kind": "holiday", "name": "更正"}).status_code == 302
    entry.refresh_from_db()
    assert (entry.publicity_ends_on, entry.publicity_ends_provisional) == (D(2026, 10, 27), False)
    with clock.frozen(D(2026, 10, 27)):
        run_tick(D(2026, 10, 27))
    entry.refresh_from_db()
    assert entry.state == EntryState.IN_PUBLICITY  # its last day
    with clock.frozen(D(2026, 10, 28)):
        run_tick(D(2026, 10, 28))
    entry.refresh_from_db()
    assert entry.state == EntryState.AWAITING_SIGNATURE


def test_a_day_corrected_in_the_admin_moves_an_open_objections_deadline(
    black_list, officer, admin_client
):
    """20 days from 2026-09-11 end on Thursday 10-01, in the National Day holiday, so on
    Thursday 10-08; with 10-08 corrected to a holiday, on Friday 10-09 (R6, R15)."""
    entry = objected(black_list, officer, D(2026, 9, 11))
    assert entry.verification_due_on == D(2026, 10, 8)
    url = reverse("admin:calendars_calendarday_add")
    response = admin_client.post(url, {"date": "2026-10-08", "kind": "holiday", "name": "更正"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.verification_due_on == D(2026, 10, 9)
    assert not entry.verification_due_provisional


def test_ended_periods_are_history_and_stay_as_counted(black_list, officer, admin_client):
    """An entry signed after its publicity keeps the end it was signed on."""
    entry = ListEntryFactory(
        list=black_list, effective=True, publicity_starts_on=D(2026, 9, 21),
        publicity_ends_on=D(2026, 10, 26),
    )  # fmt: skip
    url = reverse("admin:calendars_calendarday_change", args=["2026-10-10"])
    assert admin_client.post(url, {"kind": "holiday", "name": "更正"}).status_code == 302
    entry.refresh_from_db()
    assert entry.publicity_ends_on == D(2026, 10, 26)


def correct_day(day) -> None:
    """A day corrected to a holiday, as the admin saves it."""
    with transaction.atomic():
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": "holiday", "name": "更正"})
        calendar_services.note_days_edited([day.year])


def test_an_entry_awaiting_signature_follows_a_corrected_day(black_list):
    """The daily job found publicity over on 10-27; then 10-10 is corrected, making 10-27 its
    20th working day: it may not be signed until 10-28 (R1)."""
    signer = OfficerFactory(department=black_list.recognizing_department, signer=True).user
    entry = publicized(black_list, signer, D(2026, 9, 21))
    with clock.frozen(D(2026, 10, 27)):
        run_tick(D(2026, 10, 27))
        assert ListEntry.objects.get(pk=entry.pk).state == EntryState.AWAITING_SIGNATURE
        correct_day(D(2026, 10, 10))
        with pytest.raises(XinyongError, match="publicity-not-ended"):
            services.sign_decision(entry.pk, actor=signer)
    with clock.frozen(D(2026, 10, 28)):
        assert services.sign_decision(entry.pk, actor=signer).state == EntryState.EFFECTIVE


def test_an_objection_outlives_an_expired_entry_and_its_deadline_is_counted_again(
    black_list, officer
):
    """The entry exits by expiry; the objection open then is still to be answered (R6), so its
    deadline, 20 days from 09-11, follows a corrected day like any other (R15)."""
    entry = ListEntryFactory(list=black_list, effective=True, valid_until=D(2026, 10, 1))
    with clock.frozen(D(2026, 9, 11)):
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")
    with clock.frozen(D(2026, 10, 5)):
        run_tick(D(2026, 10, 5))
    entry.refresh_from_db()
    assert (entry.state, entry.verification_due_on) == (EntryState.EXITED, D(2026, 10, 8))
    correct_day(D(2026, 10, 8))
    entry.refresh_from_db()
    assert (entry.state, entry.verification_due_on) == (EntryState.EXITED, D(2026, 10, 9))


def test_a_recount_keeps_the_period_announced_when_publicity_started():
    """A 30-working-day list later edited to 20: a running publicity keeps its 30 (R1)."""
    black = ListDefinitionFactory(kind=ListKind.BLACK, publicity_workdays=30)
    officer = OfficerFactory(department=black.recognizing_department).user
    entry = publicized(black, officer, D(2026, 9, 21))
    announced = entry.publicity_ends_on
    black.publicity_workdays = 20
    black.save()
    correct_day(D(2026, 12, 31))  # any correction of the calendar
    entry.refresh_from_db()
    assert (entry.publicity_workdays, entry.publicity_ends_on) == (30, announced)


def recounts(entry) -> list[tuple[str, str, dict]]:
    return [(e.from_state, e.reason, e.data) for e in entry.events.filter(action="recount")]


def test_a_moved_publicity_end_is_in_the_history_and_announced_on_the_notices_channel(
    black_list, officer, admin_client
):
    """The publicity notice said 10-26; with 10-10 corrected, the period ends on 10-27, and the
    public hears of it the day the schedule changed, on the same channel, the person masked
    as in the notice (R1, R5, R15)."""
    person = SubjectFactory(natural_person=True, name="张三")
    with clock.frozen(D(2026, 9, 21)):
        entry = services.propose_listing(
            actor=officer, list_definition=black_list, subject=person, facts="未按期整改",
            basis="某条例第十条",
        )  # fmt: skip
        services.notify_subject(entry.pk, actor=officer, **meeting_of(entry.pk))
        entry = services.start_publicity(entry.pk, actor=officer)
    (notice,) = entry.announcements.all()
    assert "2026年10月26日" in notice.body
    url = reverse("admin:calendars_calendarday_change", args=["2026-10-10"])
    with clock.frozen(D(2026, 9, 30)):
        assert admin_client.post(url, {"kind": "holiday", "name": "更正"}).status_code == 302

    assert recounts(entry) == [(
        EntryState.IN_PUBLICITY, "节假日安排调整，公示期截止日由2026-10-26改为2026-10-27",
        {"deadline": "publicity_ends_on", "from": "2026-10-26", "from_provisional": False,
         "to": "2026-10-27", "to_provisional": False},
    )]  # fmt: skip
    amended = entry.announcements.get(kind=Announcement.Kind.PUBLICITY_AMENDED)
    assert (amended.follows, amended.channel, amended.published_on) == (
        notice, notice.channel, D(2026, 9, 30),
    )  # fmt: skip
    assert "因节假日安排调整，前次公告的公示期截止日2026年10月26日调整为2026年10月27日" in (
        amended.body
    )
    assert "公示期起始日期（2026年9月21日）及期限（20个工作日）不变" in amended.body
    assert f"认定部门：{black_list.recognizing_department.name}" in amended.body
    # The subject as the notice shows it: the name and the ID masked.
    assert (
        amended.body.splitlines()[0]
        == notice.body.splitlines()[0]
        == (f"拟列入主体：张某（身份证号码：{person.identifier}）")
    )
    assert "张三" not in amended.body and "*" in person.identifier
    office = Client()
    office.force_login(officer)
    with clock.frozen(D(2026, 9, 30)):
        page = office.get(reverse("office:entry", args=[entry.pk])).content.decode()
    assert "期限重新计算" in page and "截止日由2026-10-26改为2026-10-27" in page


def test_a_provisional_end_found_right_is_recorded_final_and_not_announced_again(
    black_list, officer, admin_client
):
    entry = publicized(black_list, officer, D(2026, 12, 15))
    url = reverse("admin:calendars_calendaryear_add")
    assert admin_client.post(url, {"year": "2027", "source": "国办发明电"}).status_code == 302
    ((state, reason, data),) = recounts(entry)
    assert state == EntryState.IN_PUBLICITY
    assert reason == "2027年节假日安排确定，公示期截止日2027-01-13不再为暂定"
    assert (data["from_provisional"], data["to_provisional"]) == (True, False)
    assert not entry.announcements.filter(kind=Announcement.Kind.PUBLICITY_AMENDED).exists()


def test_a_moved_objection_deadline_is_in_the_history_only(black_list, officer, admin_client):
    entry = objected(black_list, officer, D(2026, 9, 11))
    url = reverse("admin:calendars_calendarday_add")
    assert admin_client.post(url, {"date": "2026-10-08", "kind": "holiday", "name": "更正"})
    ((state, reason, _),) = recounts(entry)
    assert (state, reason) == (
        EntryState.EFFECTIVE,
        "节假日安排调整，异议核实期限由2026-10-08改为2026-10-09",
    )
    assert not entry.announcements.exists()
    assert AuditEntry.objects.filter(action="listing.deadlines_recounted").get().after[
        "verification_due_on"
    ] == {str(entry.pk): "2026-10-09"}


def test_an_end_that_moves_twice_is_amended_twice_each_following_the_last(
    black_list, officer, admin_client
):
    entry = publicized(black_list, officer, D(2026, 9, 21))
    change = reverse("admin:calendars_calendarday_change", args=["2026-10-10"])  # a 调休 day
    assert admin_client.post(change, {"kind": "holiday", "name": "更正"}).status_code == 302
    add = reverse("admin:calendars_calendarday_add")  # Monday 10-12, a plain working day
    answer = admin_client.post(add, {"date": "2026-10-12", "kind": "holiday", "name": "更正"})
    assert answer.status_code == 302
    notice, first, second = entry.announcements.order_by("id")
    assert (first.follows, second.follows) == (notice, first)
    assert "截止日2026年10月26日调整为2026年10月27日" in first.body
    assert "截止日2026年10月27日调整为2026年10月28日" in second.body
    assert [data["to"] for _, _, data in recounts(entry)] == ["2026-10-27", "2026-10-28"]


def test_an_announced_end_is_never_brought_forward(black_list, officer, admin_client):
    """Sunday 10-18 made a working day would make 10-23 the 20th working day; the notice said
    10-26, and the period is at least 20 working days (R1): the end stays, nothing is
    announced, nothing recorded."""
    entry = publicized(black_list, officer, D(2026, 9, 21))
    version = ListEntry.objects.get(pk=entry.pk).version
    url = reverse("admin:calendars_calendarday_add")
    assert admin_client.post(url, {"date": "2026-10-18", "kind": "workday", "name": "调休"})
    entry.refresh_from_db()
    assert (entry.publicity_ends_on, entry.version) == (D(2026, 10, 26), version)
    assert recounts(entry) == [] and entry.announcements.count() == 1


@pytest.mark.parametrize("decision", ["withdraw", "reject"])
def test_a_candidacy_that_ended_is_history_and_not_counted_again(
    black_list, officer, tmp_path, decision
):
    """Publicized on 12-15 (end provisional in 2027), then withdrawn or found wrong: 2027's
    notice changes nothing of it, and no amendment contradicts the correction (R4)."""
    entry = publicized(black_list, officer, D(2026, 12, 15))
    with clock.frozen(D(2026, 12, 18)):
        if decision == "withdraw":
            services.withdraw_listing(entry.pk, actor=officer, reason="撤回")
        else:
            services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")
            services.reject_listing(entry.pk, actor=officer, finding="认定有误")
    before = ListEntry.objects.get(pk=entry.pk)
    load_2027(tmp_path)
    entry.refresh_from_db()
    assert (entry.publicity_ends_on, entry.publicity_ends_provisional, entry.version) == (
        before.publicity_ends_on, True, before.version,
    )  # fmt: skip
    assert recounts(entry) == []
    assert not entry.announcements.filter(kind=Announcement.Kind.PUBLICITY_AMENDED).exists()


def test_a_year_no_longer_covered_makes_an_end_provisional_again(black_list, officer, admin_client):
    entry = publicized(black_list, officer, D(2026, 12, 15))
    add = reverse("admin:calendars_calendaryear_add")
    assert admin_client.post(add, {"year": "2027", "source": "国办发明电"}).status_code == 302
    delete = reverse("admin:calendars_calendaryear_delete", args=["2027"])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    entry.refresh_from_db()
    assert entry.publicity_ends_provisional
    assert recounts(entry)[-1][1] == "2027年节假日安排尚未确定，公示期截止日2027-01-13改为暂定"


def test_a_provisional_end_is_not_brought_forward_by_a_worked_weekend_either(
    black_list, officer, tmp_path
):
    """Announced as ending 2027-01-13 (provisional); 2027's notice makes Saturday 01-09 a
    working day, which would make 01-12 the 20th working day. The end stays 01-13, now final."""
    entry = publicized(black_list, officer, D(2026, 12, 15))
    assert (entry.publicity_ends_on, entry.publicity_ends_provisional) == (D(2027, 1, 13), True)
    notice = tmp_path / "2027.csv"
    notice.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-09,workday,调休\n", encoding="utf-8"
    )
    call_command("calendar", "load", str(notice), stdout=io.StringIO())
    entry.refresh_from_db()
    assert (entry.publicity_ends_on, entry.publicity_ends_provisional) == (D(2027, 1, 13), False)
    assert [reason for _, reason, _ in recounts(entry)] == [
        "2027年节假日安排确定，公示期截止日2027-01-13不再为暂定"
    ]
    assert not entry.announcements.filter(kind=Announcement.Kind.PUBLICITY_AMENDED).exists()
