"""An objection still being verified when its entry ends by expiry (R4) or by the R2 cross-check
is still answered (R6, 000 §十一.2–3, 002 §二十七): the entry exits as the rule says, its
measures stop, and the objection keeps its 20-day deadline and is decided on the exited entry.
Unfounded, the objector is told the result and its remedies; founded, the listing is corrected
in public and the subject receives the written apology, the exit itself left as it was."""

import datetime as dt

import pytest

from tests.check_clients import check
from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from xinyong.audit.models import AuditEntry
from xinyong.calendars.models import CalendarDay
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import feed_reads, selectors, services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind
from xinyong.listings.receivers import recompute_verification_deadlines
from xinyong.listings.tick import run_tick
from xinyong.remedies import selectors as remedies

pytestmark = pytest.mark.django_db
D = dt.date
OBJECTED, LAST_DAY, RUN = D(2026, 11, 2), D(2026, 11, 10), D(2026, 11, 11)


@pytest.fixture
def black_list():
    return ListDefinitionFactory(kind=ListKind.BLACK)


@pytest.fixture
def officer(black_list):
    return OfficerFactory(department=black_list.recognizing_department).user


def expired_under_objection(black_list, officer, subject=None, **objection):
    """A black entry objected to on 11-02 (due 11-23), its validity over on 11-10."""
    of_subject = {} if subject is None else {"subject": subject}
    entry = ListEntryFactory(list=black_list, effective=True, valid_until=LAST_DAY, **of_subject)
    with clock.frozen(OBJECTED):
        services.record_objection(
            entry.pk, actor=officer, objector=objection.pop("objector", entry.subject.name),
            grounds="认定事实错误", **objection,
        )  # fmt: skip
    with clock.frozen(RUN):
        run_tick(RUN)
    entry.refresh_from_db()
    return entry


def another_black_entry(subject, *, months, valid_until, objected_on=None):
    """Another effective black entry of ``subject``, on a list monitoring ``months`` after its
    exit, and an officer of its department; objected to on ``objected_on`` when given."""
    entry = ListEntryFactory(
        subject=subject, list=ListDefinitionFactory(kind=ListKind.BLACK, monitoring_months=months),
        effective=True, valid_until=valid_until,
    )  # fmt: skip
    its_officer = OfficerFactory(department=entry.list.recognizing_department).user
    if objected_on is not None:
        with clock.frozen(objected_on):
            services.record_objection(
                entry.pk, actor=its_officer, objector=subject.name, grounds="认定事实错误"
            )
    return entry, its_officer


def only_objection(entry):
    [row] = remedies.objections_of([entry])
    [objection] = row.objections
    return objection


def test_the_entry_exits_on_time_and_the_objection_stays_open(black_list, officer):
    entry = expired_under_objection(black_list, officer)
    assert (entry.state, entry.exit_reason, entry.exited_on) == (
        EntryState.EXITED, ExitReason.EXPIRED, RUN,
    )  # fmt: skip
    assert entry.verification_due_on == D(2026, 11, 23)  # 20 days on, off a Sunday
    assert only_objection(entry).open


def test_measures_stop_at_expiry_although_the_objection_is_open(black_list, officer, api, measures):
    entry = expired_under_objection(black_list, officer)
    assert not entry.is_suspended_by_objection  # nothing left to suspend: the entry has ended
    with clock.frozen(RUN):
        body = check(
            api, subject=entry.subject.reveal_identifier(), scenario="government_procurement"
        ).json()
    assert (body["result"], body["entries"], body["measures"]) == ("clear", [], [])


def test_the_worklist_and_the_daily_job_still_count_its_deadline(black_list, officer):
    entry = expired_under_objection(black_list, officer)
    with clock.frozen(D(2026, 11, 20)):
        [item] = [i for i in selectors.worklist(officer, D(2026, 11, 20)) if i.entry == entry]
    assert (item.task, item.due_on, item.due_soon, item.overdue) == (
        "verify", D(2026, 11, 23), True, False,
    )  # fmt: skip
    assert run_tick(D(2026, 11, 24)).overdue == 1


def test_the_deadline_is_counted_again_when_the_calendar_changes(black_list, officer):
    """20 days from 11-02 is Sunday 11-22, due the next working day 11-23; a holiday on
    11-23 moves it on to 11-24 (R6, R15)."""
    entry = expired_under_objection(black_list, officer)
    assert entry.verification_due_on == D(2026, 11, 23)
    CalendarDay.objects.create(date=D(2026, 11, 23), kind="holiday", name="更正")
    recompute_verification_deadlines()
    entry.refresh_from_db()
    assert entry.verification_due_on == D(2026, 11, 24)


def test_an_unfounded_objection_is_answered_after_the_expiry(black_list, officer):
    entry = expired_under_objection(black_list, officer)
    with clock.frozen(D(2026, 11, 12)):
        services.uphold_after_verification(entry.pk, actor=officer, finding="异议不成立")
    entry.refresh_from_db()
    # The exit stands as it was; only the objection is concluded.
    assert (entry.state, entry.exit_reason, entry.exited_on, entry.verification_due_on) == (
        EntryState.EXITED, ExitReason.EXPIRED, RUN, None,
    )  # fmt: skip
    objection = only_objection(entry)
    assert (objection.open, objection.decided_on) == (False, D(2026, 11, 12))
    assert "异议不成立" in objection.result and "救济途径" in objection.result
    assert not entry.announcements.filter(kind=Announcement.Kind.CORRECTION).exists()


def test_a_founded_objection_corrects_the_exited_listing(black_list, officer):
    entry = expired_under_objection(black_list, officer)
    with clock.frozen(D(2026, 11, 12)):
        services.correct_after_exit(entry.pk, actor=officer, finding="认定有误")
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason, entry.exited_on, entry.verification_due_on) == (
        EntryState.EXITED, ExitReason.EXPIRED, RUN, None,
    )  # fmt: skip
    correction = entry.announcements.get(kind=Announcement.Kind.CORRECTION)
    assert correction.published_on == D(2026, 11, 12)
    assert correction.follows == entry.announcements.get(kind=Announcement.Kind.EXIT)
    assert "认定有误" in correction.body
    objection = only_objection(entry)
    assert "异议成立" in objection.result and "书面致歉" in objection.result
    assert "救济途径" in objection.result
    event = entry.events.order_by("-id").first()
    assert (event.action, event.from_state, event.to_state) == ("correct", "exited", "exited")


def test_another_partys_founded_objection_apologises_to_the_subject(black_list, officer):
    entry = expired_under_objection(black_list, officer, objector="某协会", objector_kind="other")
    with clock.frozen(D(2026, 11, 12)):
        services.correct_after_exit(entry.pk, actor=officer, finding="认定有误")
    entry.refresh_from_db()
    assert "书面致歉" in only_objection(entry).result  # the subject's own letter


def test_an_objection_is_decided_once(black_list, officer):
    entry = expired_under_objection(black_list, officer)
    with clock.frozen(D(2026, 11, 12)):
        services.uphold_after_verification(entry.pk, actor=officer, finding="异议不成立")
        for decide in (services.uphold_after_verification, services.correct_after_exit):
            with pytest.raises(XinyongError) as refused:
                decide(entry.pk, actor=officer, finding="再次")
            assert refused.value.code == "no-objection-pending"


def test_an_exited_entry_with_no_objection_takes_no_decision(black_list, officer):
    entry = ListEntryFactory(list=black_list, exited=True)
    with clock.frozen(D(2026, 11, 12)), pytest.raises(XinyongError) as refused:
        services.correct_after_exit(entry.pk, actor=officer, finding="认定有误")
    assert refused.value.code == "no-objection-pending"
    assert not entry.announcements.exists()


def test_the_exit_itself_is_not_given_again(black_list, officer):
    """The founded finding is a correction of the record, not a second exit."""
    entry = expired_under_objection(black_list, officer)
    with clock.frozen(D(2026, 11, 12)), pytest.raises(XinyongError) as refused:
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED, note="有误")
    assert refused.value.code == "transition-not-allowed"


def test_a_red_entry_ended_by_a_black_listing_keeps_its_objection(black_list, officer):
    """R2: a red entry ends as blacklisted when a black entry takes effect; an objection to
    the red entry being verified then is still answered (R6)."""
    subject = SubjectFactory()
    red = ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.RED)
    red_officer = OfficerFactory(department=red.list.recognizing_department).user
    black = ListEntryFactory(subject=subject, list=black_list, awaiting_signature=True)
    signer = OfficerFactory(department=black_list.recognizing_department, signer=True).user
    with clock.frozen(D(2026, 10, 27)):
        services.record_objection(red.pk, actor=red_officer, objector=subject.name,
                                  grounds="表彰有误")  # fmt: skip
        services.sign_decision(black.pk, actor=signer)
    red.refresh_from_db()
    assert (red.state, red.exit_reason, red.verification_due_on) == (
        EntryState.EXITED, ExitReason.BLACKLISTED, D(2026, 11, 16),
    )  # fmt: skip
    with clock.frozen(D(2026, 10, 30)):
        assert "correct" in selectors.possible_actions(red, red_officer, D(2026, 10, 30))
        services.correct_after_exit(red.pk, actor=red_officer, finding="表彰认定有误")
    red.refresh_from_db()
    assert red.exit_reason == ExitReason.BLACKLISTED
    assert red.announcements.filter(kind=Announcement.Kind.CORRECTION).exists()
    assert "异议成立" in only_objection(red).result


def test_the_office_page_offers_both_conclusions_and_corrects(client, black_list, officer):
    entry = expired_under_objection(black_list, officer)
    client.force_login(officer)
    with clock.frozen(D(2026, 11, 12)):
        html = client.get(f"/office/entries/{entry.pk}/").content.decode()
        assert 'data-action="uphold"' in html and 'data-action="correct"' in html
        assert 'data-action="exit"' not in html
        sent = client.post(f"/office/entries/{entry.pk}/correct/",
                           {"version": entry.version, "finding": "认定有误",
                            "objection": "entry"})  # fmt: skip
    assert sent.status_code == 302
    entry.refresh_from_db()
    assert entry.verification_due_on is None
    assert "异议成立" in only_objection(entry).result


def test_an_unfounded_answer_after_the_exit_does_not_say_measures_resume(black_list, officer):
    entry = expired_under_objection(black_list, officer)
    with clock.frozen(D(2026, 11, 12)):
        services.uphold_after_verification(entry.pk, actor=officer, finding="异议不成立")
    assert "恢复实施" not in only_objection(entry).result


def test_the_api_finds_an_objection_founded_after_the_exit(black_list, officer):
    """A department's case system concludes it too: ``correct`` on the exited entry."""
    from django.test import Client

    from xinyong.api import tokens

    entry = expired_under_objection(black_list, officer)
    token, _ = tokens.create_token(actor="t", user=officer)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    with clock.frozen(D(2026, 11, 12)):
        answer = client.post(
            f"/api/v1/listings/entries/{entry.pk}/verification",
            {"version": entry.version, "outcome": "correct", "finding": "认定有误"},
            content_type="application/json",
        )
    assert answer.status_code == 200, answer.json()
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason, entry.verification_due_on) == (
        EntryState.EXITED, ExitReason.EXPIRED, None,
    )  # fmt: skip
    assert "异议成立" in only_objection(entry).result


# Key monitoring the exit started (R3, 002 §二十一) rests on the listing: found wrong, what the
# exit started ends with it (R4, R6, 000 §十一.3).


@pytest.fixture
def monitoring():
    return ListDefinitionFactory(
        kind=ListKind.KEY_MONITORING, validity_value=None,
        recognizing_department=DepartmentFactory(credit_office=True),
    )  # fmt: skip


@pytest.fixture
def monitored_black_list(black_list):
    black_list.monitoring_months = 6
    black_list.save()
    return black_list


def earlier_exit(subject, *, months, last_day):
    """Another black entry of the subject, ended by the daily job the day after ``last_day``:
    its exit starts the subject's key monitoring for ``months``."""
    other = ListDefinitionFactory(kind=ListKind.BLACK, monitoring_months=months)
    entry = ListEntryFactory(
        subject=subject, list=other, effective=True, effective_on=D(2026, 3, 2),
        valid_until=last_day,
    )  # fmt: skip
    with clock.frozen(last_day + dt.timedelta(days=1)):
        run_tick(last_day + dt.timedelta(days=1))
    return entry


def feed_of(entry):
    return [
        (change.kind, change.business_date, change.valid_until)
        for change in feed_reads.changes_since(0, 1000)[0]
        if change.entry.pk == entry.pk
    ]


@pytest.mark.parametrize("exited_by", ["daily job", "officer"])
def test_a_founded_objection_ends_the_monitoring_the_exit_started(
    monitored_black_list, officer, monitoring, exited_by
):
    if exited_by == "daily job":
        entry = expired_under_objection(monitored_black_list, officer)
    else:  # an officer records the expiry before the daily job does
        entry = ListEntryFactory(list=monitored_black_list, effective=True, valid_until=LAST_DAY)
        with clock.frozen(OBJECTED):
            services.record_objection(
                entry.pk, actor=officer, objector=entry.subject.name, grounds="认定事实错误"
            )
        with clock.frozen(RUN):
            services.exit_entry(entry.pk, actor=officer, reason=ExitReason.EXPIRED)
    monitored = ListEntry.objects.get(list=monitoring, origin=entry)
    assert (monitored.state, monitored.effective_on, monitored.valid_until) == (
        EntryState.EFFECTIVE, RUN, D(2027, 5, 11),
    )  # fmt: skip
    with clock.frozen(D(2026, 11, 12)):
        services.correct_after_exit(entry.pk, actor=officer, finding="认定有误")
    monitored.refresh_from_db()
    assert (monitored.state, monitored.exit_reason, monitored.exited_on) == (
        EntryState.EXITED, ExitReason.CORRECTED, D(2026, 11, 12),
    )  # fmt: skip
    event = monitored.events.order_by("-id").first()
    assert (event.action, event.from_state, event.to_state, event.business_date) == (
        "exit", "effective", "exited", D(2026, 11, 12),
    )  # fmt: skip
    audit = AuditEntry.objects.get(action="listing.exit", object_id=str(monitored.pk))
    assert (audit.before["state"], audit.after["exit_reason"]) == ("effective", "corrected")
    assert feed_of(monitored)[-1] == ("ended", D(2026, 11, 12), D(2027, 5, 11))
    # The black entry's own exit stands; its listing is corrected as before.
    entry.refresh_from_db()
    assert (entry.exit_reason, entry.exited_on) == (ExitReason.EXPIRED, RUN)
    assert "异议成立" in only_objection(entry).result


def test_a_founded_objection_restores_the_end_of_monitoring_another_exit_started(
    monitored_black_list, officer, monitoring
):
    """The exit ran on the monitoring another black exit had started (10-01 to 2027-01-01) to
    2027-05-11; found wrong, the monitoring ends when the other exit set it to."""
    subject = SubjectFactory()
    other = earlier_exit(subject, months=3, last_day=D(2026, 9, 30))
    entry = expired_under_objection(monitored_black_list, officer, subject=subject)
    monitored = ListEntry.objects.get(list=monitoring, subject=subject)
    assert (monitored.origin, monitored.valid_until) == (other, D(2027, 5, 11))
    with clock.frozen(D(2026, 11, 12)):
        services.correct_after_exit(entry.pk, actor=officer, finding="认定有误")
    monitored.refresh_from_db()
    assert (monitored.state, monitored.effective_on, monitored.valid_until) == (
        EntryState.EFFECTIVE, D(2026, 10, 1), D(2027, 1, 1),
    )  # fmt: skip
    event = monitored.events.order_by("-id").first()
    assert (event.action, event.business_date, event.data) == (
        "shorten", D(2026, 11, 12),
        {"corrected": entry.pk, "valid_until_before": "2027-05-11", "valid_until": "2027-01-01"},
    )  # fmt: skip
    audit = AuditEntry.objects.filter(action="listing.shorten", object_id=str(monitored.pk))
    assert audit.get().after["valid_until"] == "2027-01-01"
    # Its validity now ends earlier: told as such, never as run on (R11).
    assert feed_of(monitored)[-1] == ("shortened", D(2026, 11, 12), D(2027, 1, 1))


def test_monitoring_restored_to_an_end_already_past_exits_by_expiry(
    monitored_black_list, officer, monitoring
):
    """R4: the other exit's monitoring (10-15 to 11-15) ended by expiry the day after its last
    day; the correction on 11-20 gives it back that end, and so that exit."""
    subject = SubjectFactory()
    earlier_exit(subject, months=1, last_day=D(2026, 10, 14))
    entry = expired_under_objection(monitored_black_list, officer, subject=subject)
    monitored = ListEntry.objects.get(list=monitoring, subject=subject)
    assert monitored.valid_until == D(2027, 5, 11)
    with clock.frozen(D(2026, 11, 20)):
        services.correct_after_exit(entry.pk, actor=officer, finding="认定有误")
    monitored.refresh_from_db()
    assert (monitored.state, monitored.exit_reason, monitored.valid_until) == (
        EntryState.EXITED, ExitReason.EXPIRED, D(2026, 11, 15),
    )  # fmt: skip
    assert monitored.exited_on == D(2026, 11, 16)
    assert [e.action for e in monitored.events.order_by("id")][-2:] == ["shorten", "exit"]
    assert feed_of(monitored)[-2:] == [
        ("shortened", D(2026, 11, 20), D(2026, 11, 15)),
        ("ended", D(2026, 11, 16), D(2026, 11, 15)),
    ]


def test_monitoring_the_exit_started_runs_on_for_a_later_exit_that_extended_it(
    monitored_black_list, officer, monitoring
):
    """R3: a later black exit of the subject ran the monitoring on to its own end; that exit
    stands, so the subject stays monitored to that end."""
    subject = SubjectFactory()
    entry = expired_under_objection(monitored_black_list, officer, subject=subject)
    monitored = ListEntry.objects.get(list=monitoring, origin=entry)
    earlier_exit(subject, months=12, last_day=D(2026, 11, 11))  # to 2027-11-12
    monitored.refresh_from_db()
    assert monitored.valid_until == D(2027, 11, 12)
    with clock.frozen(D(2026, 11, 13)):
        services.correct_after_exit(entry.pk, actor=officer, finding="认定有误")
    monitored.refresh_from_db()
    assert (monitored.state, monitored.valid_until) == (EntryState.EFFECTIVE, D(2027, 11, 12))


def test_monitoring_ends_once_every_exit_it_rested_on_is_found_wrong(
    monitored_black_list, officer, monitoring
):
    """The monitoring one exit started and a later one ran on ends as corrected when the
    second listing too is found wrong, the first having been found wrong before."""
    subject = SubjectFactory()
    first = expired_under_objection(monitored_black_list, officer, subject=subject)
    later, later_officer = another_black_entry(
        subject, months=12, valid_until=D(2026, 11, 11), objected_on=D(2026, 11, 3)
    )
    with clock.frozen(D(2026, 11, 12)):
        run_tick(D(2026, 11, 12))
    monitored = ListEntry.objects.get(list=monitoring, origin=first)
    assert monitored.valid_until == D(2027, 11, 12)
    with clock.frozen(D(2026, 11, 13)):
        services.correct_after_exit(first.pk, actor=officer, finding="认定有误")
    with clock.frozen(D(2026, 11, 16)):
        services.correct_after_exit(later.pk, actor=later_officer, finding="认定有误")
    monitored.refresh_from_db()
    assert (monitored.state, monitored.exit_reason, monitored.exited_on) == (
        EntryState.EXITED, ExitReason.CORRECTED, D(2026, 11, 16),
    )  # fmt: skip


def test_an_unfounded_objection_leaves_the_monitoring_as_it_was(
    monitored_black_list, officer, monitoring
):
    subject = SubjectFactory()
    earlier_exit(subject, months=3, last_day=D(2026, 9, 30))
    entry = expired_under_objection(monitored_black_list, officer, subject=subject)
    monitored = ListEntry.objects.get(list=monitoring, subject=subject)
    before = (monitored.state, monitored.valid_until, monitored.version)
    with clock.frozen(D(2026, 11, 12)):
        services.uphold_after_verification(entry.pk, actor=officer, finding="异议不成立")
    monitored.refresh_from_db()
    assert (monitored.state, monitored.valid_until, monitored.version) == before
    assert before == (EntryState.EFFECTIVE, D(2027, 5, 11), 2)


def test_an_exit_that_started_no_monitoring_is_corrected_as_before(monitored_black_list, officer):
    """No key-monitoring list is kept: the exit started none, and the correction ends none."""
    entry = expired_under_objection(monitored_black_list, officer)
    assert not ListEntry.objects.filter(list__kind=ListKind.KEY_MONITORING).exists()
    with clock.frozen(D(2026, 11, 12)):
        services.correct_after_exit(entry.pk, actor=officer, finding="认定有误")
    entry.refresh_from_db()
    assert (entry.exit_reason, entry.verification_due_on) == (ExitReason.EXPIRED, None)
    assert entry.announcements.filter(kind=Announcement.Kind.CORRECTION).exists()
    assert "异议成立" in only_objection(entry).result


def test_monitoring_the_exit_left_as_it_was_is_left_as_it_is(
    monitored_black_list, officer, monitoring
):
    """The subject was monitored longer already (by an officer's listing): the exit changed
    nothing of it, and neither does its correction."""
    subject = SubjectFactory()
    live = ListEntryFactory(
        subject=subject, list=monitoring, state=EntryState.EFFECTIVE,
        effective_on=D(2026, 6, 1), valid_until=D(2027, 9, 1),
    )  # fmt: skip
    entry = expired_under_objection(monitored_black_list, officer, subject=subject)
    with clock.frozen(D(2026, 11, 12)):
        services.correct_after_exit(entry.pk, actor=officer, finding="认定有误")
    live.refresh_from_db()
    assert (live.state, live.valid_until, live.version) == (
        EntryState.EFFECTIVE, D(2027, 9, 1), 1,
    )  # fmt: skip


def test_a_black_exit_the_same_day_keeps_the_subject_monitored_for_its_own_term(
    monitored_black_list, officer, monitoring
):
    """R3: two black entries of the subject end the same day; the daily job starts one
    monitoring entry, to the longer end (the listing found wrong). The other exit still
    requires monitoring: the entry runs on to the end that exit set."""
    subject = SubjectFactory()
    right, _ = another_black_entry(subject, months=3, valid_until=LAST_DAY)
    entry = expired_under_objection(monitored_black_list, officer, subject=subject)
    monitored = ListEntry.objects.get(list=monitoring, subject=subject)
    assert (monitored.origin, monitored.valid_until) == (entry, D(2027, 5, 11))
    again = monitored.events.get(action="monitor_again")
    assert (again.business_date, again.data) == (
        RUN, {"origin": right.pk, "valid_until": "2027-02-11"},
    )  # fmt: skip
    with clock.frozen(D(2026, 11, 12)):
        services.correct_after_exit(entry.pk, actor=officer, finding="认定有误")
    monitored.refresh_from_db()
    assert (monitored.state, monitored.valid_until) == (EntryState.EFFECTIVE, D(2027, 2, 11))
    # The record of the other exit changes nothing a department applies: not in the feed.
    assert feed_of(monitored) == [
        ("took_effect", RUN, D(2027, 5, 11)),
        ("shortened", D(2026, 11, 12), D(2027, 2, 11)),
    ]


def test_a_later_black_exit_with_an_earlier_end_keeps_the_subject_monitored(
    monitored_black_list, officer, monitoring
):
    """R3: an officer exits another black entry of the subject after the monitoring began; its
    end (2027-02-20) comes before the entry's (2027-05-11), so nothing of the entry changes,
    but the exit still requires monitoring when the first listing is found wrong."""
    subject = SubjectFactory()
    entry = expired_under_objection(monitored_black_list, officer, subject=subject)
    monitored = ListEntry.objects.get(list=monitoring, origin=entry)
    right, right_officer = another_black_entry(
        subject, months=3, valid_until=D(2026, 11, 19), objected_on=D(2026, 11, 15)
    )
    with clock.frozen(D(2026, 11, 20)):
        services.exit_entry(right.pk, actor=right_officer, reason=ExitReason.EXPIRED)
    monitored.refresh_from_db()
    assert (monitored.valid_until, monitored.version) == (D(2027, 5, 11), 1)
    again = monitored.events.get(action="monitor_again")
    assert (again.business_date, again.data) == (
        D(2026, 11, 20), {"origin": right.pk, "valid_until": "2027-02-20"},
    )  # fmt: skip
    with clock.frozen(D(2026, 11, 25)):
        services.correct_after_exit(entry.pk, actor=officer, finding="认定有误")
    monitored.refresh_from_db()
    assert (monitored.state, monitored.valid_until) == (EntryState.EFFECTIVE, D(2027, 2, 20))
    # Found wrong too, nothing is left to monitor the subject for.
    with clock.frozen(D(2026, 11, 26)):
        services.correct_after_exit(right.pk, actor=right_officer, finding="认定有误")
    monitored.refresh_from_db()
    assert (monitored.state, monitored.exit_reason) == (EntryState.EXITED, ExitReason.CORRECTED)
