"""A change of the holiday schedule beside a step that counts a deadline (R1, R6, R13, R15).

A load, or an edit in the admin, counts again every running deadline it sees committed. A step
that read the old calendar and committed after that recount would keep the old answer for good:
a publicity end still provisional, which nobody can sign past, an objection or a submission
duty due on a day the calendar in force no longer gives. So a change of the schedule runs alone
(``daily_job_lock``): it waits for the steps under way, whose deadlines it then counts again,
and a step waits for it, then reads the new calendar. Taken first by both, the lock also keeps
the change's audit row and its row locks from meeting a step's in a circle (deadlock).
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections, transaction  # noqa: F401 (skipif conditions)
from django.test import Client
from django.urls import reverse

from tests.factories import (
    CreditRecordFactory,
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    meeting_of,
)
from tests.races import in_thread, race, sessions_waiting_on_locks
from xinyong.access.roles import ADMIN_GROUP
from xinyong.audit.selectors import verify_chain
from xinyong.calendars import services as calendar_services
from xinyong.calendars.models import CalendarYear
from xinyong.calendars.selectors import work_calendar
from xinyong.core import clock
from xinyong.listings import daily_job_lock, services
from xinyong.listings.models import EntryState, ListEntry, ListKind
from xinyong.listings.services import candidacy
from xinyong.listings.tick import run_tick
from xinyong.remedies import record_objections
from xinyong.remedies.models import RecordObjection
from xinyong.submissions import services as submissions
from xinyong.submissions.models import ChangeKind, UpdateDuty

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
D = dt.date
TODAY = D(2026, 12, 14)  # a Monday: 20 working days, 20 days and 15 working days reach 2027
NOTICE_2027 = (
    "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n2027-01-03,holiday,元旦\n"
    "2027-02-06,holiday,春节\n2027-02-07,holiday,春节\n2027-02-08,holiday,春节\n"
    "2027-02-09,holiday,春节\n2027-02-10,holiday,春节\n2027-02-11,holiday,春节\n"
    "2027-02-12,holiday,春节\n2027-02-13,holiday,春节\n2027-02-14,holiday,春节\n"
    "2027-02-15,holiday,春节\n2027-02-20,workday,春节\n"
)


def _in_thread(work, failures, done=None):
    """``tests.races.in_thread`` on this module's business day."""
    return in_thread(work, failures, day=TODAY, done=done)


@pytest.fixture(autouse=True)
def _official_schedule():
    """2026 known, 2027 not: a deadline reaching 2027 is provisional until its notice is loaded.
    The migration seeds the schedule, but a transactional test ends by flushing every table."""
    if not CalendarYear.objects.filter(year=2026).exists():
        calendar_services.seed_from_chinesecalendar()
    CalendarYear.objects.filter(year__gte=2027).delete()


@pytest.fixture
def notice(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(NOTICE_2027, encoding="utf-8")
    return path


def _waiting_for_a_lock(thread: threading.Thread) -> bool:
    """Whether ``thread`` is (or gets) stuck on a lock, rather than finishing: asked of the
    database, so the answer does not depend on the machine's speed."""
    for _ in range(200):
        if not thread.is_alive():
            return False
        if sessions_waiting_on_locks():
            return True
        time.sleep(0.05)
    return False


def _loading(notice, loaded: threading.Event, go: threading.Event):
    """The load, its transaction kept open until ``go``: what it does before it commits (the
    recount of every running deadline) takes time on a real database."""

    def load() -> None:
        with transaction.atomic():
            calendar_services.load_calendar_file(notice, actor=None)
            loaded.set()
            go.wait(10)

    return load


def _paused_after_reading_the_calendar(monkeypatch, module):
    """Make a step stop right after it read the calendar, until ``go``; ``read`` says it did."""
    read, go = threading.Event(), threading.Event()
    real = module.work_calendar

    def reading():
        calendar = real()
        read.set()
        go.wait(10)
        return calendar

    monkeypatch.setattr(module, "work_calendar", reading)
    return read, go


def _notified(black, officer) -> ListEntry:
    with clock.frozen(TODAY):
        entry = services.propose_listing(
            actor=officer, list_definition=black, subject=SubjectFactory(),
            facts="未按期整改", basis="某条例第十条",
        )  # fmt: skip
        return services.notify_subject(entry.pk, actor=officer, **meeting_of(entry.pk))


def _publicity_end_in_force(entry: ListEntry) -> tuple[dt.date, bool]:
    end = work_calendar().add_workdays(TODAY, entry.publicity_workdays)
    return end.date, end.provisional


@pytest.fixture
def black():
    return ListDefinitionFactory(kind=ListKind.BLACK)


@pytest.fixture
def signer(black):
    return OfficerFactory(department=black.recognizing_department, signer=True).user


def test_a_publicity_started_while_a_notice_loads_ends_on_the_notices_calendar(
    black, signer, notice
):
    """20 working days from 2026-12-14 end on 2027-01-12, provisional before the notice and
    final after it. Started while the load is under way, the step waits for it, then counts
    on the notice (before, it kept the provisional end, and could never be signed)."""
    entry = _notified(black, signer)
    loaded, go = threading.Event(), threading.Event()
    failures: list[BaseException] = []
    load = _in_thread(_loading(notice, loaded, go), failures)
    assert loaded.wait(10)
    step = _in_thread(lambda: services.start_publicity(entry.pk, actor=signer), failures)
    waited = _waiting_for_a_lock(step)
    go.set()
    load.join(20)
    step.join(20)
    assert not failures, failures
    assert waited
    entry.refresh_from_db()
    assert entry.state == EntryState.IN_PUBLICITY
    assert (entry.publicity_ends_on, entry.publicity_ends_provisional) == (D(2027, 1, 12), False)
    assert _publicity_end_in_force(entry) == (D(2027, 1, 12), False)
    with clock.frozen(D(2027, 1, 13)):  # the day after its end: over, and signable
        run_tick(D(2027, 1, 13))
        assert services.sign_decision(entry.pk, actor=signer).state == EntryState.EFFECTIVE
    assert verify_chain().ok


def test_a_notice_loaded_while_a_publicity_starts_counts_its_end_again(
    black, signer, notice, monkeypatch
):
    """The step has read the old calendar when the load starts: the load waits for it to
    commit, then counts its end again (before, the load committed first and never saw it)."""
    entry = _notified(black, signer)
    read, go = _paused_after_reading_the_calendar(monkeypatch, candidacy)
    failures: list[BaseException] = []
    step = _in_thread(lambda: services.start_publicity(entry.pk, actor=signer), failures)
    assert read.wait(10)
    load = _in_thread(lambda: calendar_services.load_calendar_file(notice), failures)
    waited = _waiting_for_a_lock(load)  # the load waits for the step under way
    go.set()
    step.join(20)
    load.join(20)
    assert not failures, failures
    assert waited
    entry.refresh_from_db()
    assert (entry.publicity_ends_on, entry.publicity_ends_provisional) == (D(2027, 1, 12), False)
    assert entry.events.filter(action="recount").count() == 1
    assert verify_chain().ok


def test_a_year_covered_in_the_admin_while_a_publicity_starts_counts_its_end_again(
    black, signer, monkeypatch, django_user_model
):
    """The same for an edit in the admin: 2027 covered with no day entered counts 01-01 as
    worked, so the 20th working day is 01-11, final; the step's end is counted again."""
    entry = _notified(black, signer)
    admin = django_user_model.objects.create_superuser("calendar-admin", "admin@example.cn", "pw")
    client = Client()
    client.force_login(admin)
    read, go = _paused_after_reading_the_calendar(monkeypatch, candidacy)
    failures: list[BaseException] = []
    step = _in_thread(lambda: services.start_publicity(entry.pk, actor=signer), failures)
    assert read.wait(10)
    answers = []

    def cover_2027() -> None:
        url = reverse("admin:calendars_calendaryear_add")
        answers.append(client.post(url, {"year": "2027", "source": "国办发明电"}).status_code)

    edit = _in_thread(cover_2027, failures)
    waited = _waiting_for_a_lock(edit)  # the edit waits for the step under way
    go.set()
    step.join(20)
    edit.join(20)
    assert not failures, failures
    assert waited
    assert answers == [302]
    entry.refresh_from_db()
    # Counted on the old calendar, 01-12 (provisional), then again: never brought forward (R1).
    assert (entry.publicity_ends_on, entry.publicity_ends_provisional) == (D(2027, 1, 12), False)


def test_a_record_objection_registered_while_a_notice_loads_is_due_on_the_notices_calendar(
    notice,
):
    """20 days from 2026-12-14 end on Sunday 2027-01-03, a New Year holiday: due on Monday
    01-04, provisional before the notice, final after it (R6, R15). The objection's deadline
    is counted after the load commits, not before (it used to be counted before the
    objection's transaction began)."""
    record = CreditRecordFactory(
        content={"CF_SY": "未按规定公示年度报告"}, decision_date=D(2026, 11, 2),
        published_on=D(2026, 11, 3), publication_ends_on=D(2027, 9, 1),
        sharing_ends_on=D(2027, 9, 1),
    )  # fmt: skip
    officer = OfficerFactory(department=record.department).user
    loaded, go = threading.Event(), threading.Event()
    failures: list[BaseException] = []
    load = _in_thread(_loading(notice, loaded, go), failures)
    assert loaded.wait(10)
    step = _in_thread(
        lambda: record_objections.register_objection(record.pk, actor=officer, grounds="有误"),
        failures,
    )
    waited = _waiting_for_a_lock(step)
    go.set()
    load.join(20)
    step.join(20)
    assert not failures, failures
    assert waited
    objection = RecordObjection.objects.get()
    assert (objection.due_on, objection.due_provisional) == (D(2027, 1, 4), False)
    assert verify_chain().ok


def _credit_admin():
    user = OfficerFactory(department=DepartmentFactory(credit_office=True)).user
    user.groups.add(Group.objects.get_or_create(name=ADMIN_GROUP)[0])
    return user


def _register(actor, department, *, effective_on=TODAY):
    return submissions.register_change(
        actor=actor, kind=ChangeKind.LAW_REVISED, title="《食品安全法》修订",
        legal_basis="2026年修正", effective_on=effective_on, departments=[department],
    )  # fmt: skip


def test_a_change_registered_while_a_notice_loads_is_due_on_the_notices_calendar(notice):
    """15 working days from 2026-12-14 end on 2027-01-05, provisional before the notice and
    final after it (R13, R15)."""
    admin, market = _credit_admin(), DepartmentFactory(code="market")
    loaded, go = threading.Event(), threading.Event()
    failures: list[BaseException] = []
    load = _in_thread(_loading(notice, loaded, go), failures)
    assert loaded.wait(10)
    step = _in_thread(lambda: _register(admin, market), failures)
    waited = _waiting_for_a_lock(step)
    go.set()
    load.join(20)
    step.join(20)
    assert not failures, failures
    assert waited
    duty = UpdateDuty.objects.get()
    assert (duty.due_on, duty.due_provisional) == (D(2027, 1, 5), False)
    assert verify_chain().ok


def test_a_change_registered_at_the_moment_a_notice_loads_is_due_on_the_notices_calendar(
    notice,
):
    """Released together, whichever goes first: the duty is due as the calendar in force says."""
    admin, market = _credit_admin(), DepartmentFactory(code="market")
    outcomes = race(
        lambda: calendar_services.load_calendar_file(notice),
        lambda: _register(admin, market, effective_on=D(2026, 12, 20)),
    )
    assert outcomes == ["ok", "ok"], outcomes
    duty = UpdateDuty.objects.get()
    due = work_calendar().add_workdays(D(2026, 12, 20), 15)
    assert (duty.due_on, duty.due_provisional) == (due.date, due.provisional) == (
        D(2027, 1, 11), False,
    )  # fmt: skip
    assert verify_chain().ok


def test_an_objection_decided_while_a_notice_loads_does_not_deadlock(black, signer, notice):
    """The officer's step holds its entry when the notice is loaded; the load, which counts
    that entry's objection deadline again, waits for the step instead of taking the audit
    trail's head first and then waiting for the entry while the step waits for the head."""
    entry = ListEntryFactory(list=black, effective=True)
    with clock.frozen(TODAY):
        services.record_objection(entry.pk, actor=signer, objector="当事人", grounds="有误")
    held, go = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def decide() -> None:
        with transaction.atomic():
            daily_job_lock.wait_for_the_daily_job()  # as every step does first
            ListEntry.objects.select_for_update().get(pk=entry.pk)
            held.set()
            go.wait(10)  # the load has started meanwhile
            services.uphold_after_verification(entry.pk, actor=signer, finding="异议不成立")

    step = _in_thread(decide, failures)
    assert held.wait(10)
    load = _in_thread(lambda: calendar_services.load_calendar_file(notice), failures)
    waited = _waiting_for_a_lock(load)
    go.set()
    step.join(20)
    load.join(20)
    assert not failures, failures
    assert waited
    entry.refresh_from_db()
    assert (entry.state, entry.verification_due_on) == (EntryState.EFFECTIVE, None)
    assert CalendarYear.objects.filter(year=2027).exists()
    assert verify_chain().ok


def test_an_update_confirmed_while_a_notice_loads_does_not_deadlock(notice, monkeypatch):
    """The confirmation holds its duty and reads the calendar for the days late; the load
    counts every open duty again. The load waits for the confirmation, which then commits
    (before, the load held the audit trail's head and waited for the duty, the confirmation
    held the duty and waited for the head)."""
    admin, market = _credit_admin(), DepartmentFactory(code="market")
    with clock.frozen(TODAY):
        _register(admin, market)
    duty = UpdateDuty.objects.get()
    officer = OfficerFactory(department=market).user
    read, go = _paused_after_reading_the_calendar(monkeypatch, submissions)
    failures: list[BaseException] = []
    step = _in_thread(
        lambda: submissions.confirm_update(duty.pk, actor=officer, summary="已更新清单"), failures
    )
    assert read.wait(10)
    load = _in_thread(lambda: calendar_services.load_calendar_file(notice), failures)
    waited = _waiting_for_a_lock(load)
    go.set()
    step.join(20)
    load.join(20)
    assert not failures, failures
    assert waited
    duty.refresh_from_db()
    assert (duty.confirmed_on, duty.workdays_late) == (TODAY, 0)
    assert verify_chain().ok
