"""A black listing found wrong restores the red entries it ended (R2, R4, R6; 000 §十一.3).

Entering a black list ends the subject's red entries at once, as blacklisted (R2). When that
black listing is then found wrong, whether while it is in force (removed and corrected) or
after its exit (``correct_after_exit``), the subject's reputation is restored: each red entry
it ended is in force again, announced on the red list's channel, told to the platform after
commit (the red list's department) and audited; one whose validity has ended meanwhile
stays exited, and its exit notice gets a correction saying the blacklisting it cited was found
wrong. Red entries that ended for another reason are left as they are.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction  # noqa: F401 (connection: skipif)

from tests.check_clients import check
from tests.factories import (
    CatalogItemFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from tests.migration_steps import migrate, migrate_to_latest
from tests.races import in_thread, until_another_waits
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.catalog.models import Disclosure
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import daily_job_lock, feed_reads, selectors, services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import ChangeFeedItem, EntryState, ExitReason, ListEntry, ListKind
from xinyong.listings.notifications import entry_changed
from xinyong.listings.services.transitions import transition
from xinyong.listings.tick import run_tick
from xinyong.listings.workflow import Action
from xinyong.remedies import selectors as remedies
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
D = dt.date
SIGNED = D(2026, 11, 2)  # the black listing takes effect; the red entries end (R2)
OBJECTED = D(2026, 11, 5)
BLACK_LAST_DAY = D(2026, 11, 12)  # of a black list valid 10 days, for the path after its exit
FOUND_WRONG = D(2026, 11, 16)
PATHS = ["while in force", "after its exit"]
RED_CHECKED = D(2026, 10, 30)  # a check answers the red entry's reward
RED_OBJECTED = D(2026, 11, 1)  # the subject objects to the red entry; verified by 11-20


def blacklisted(subject, path, **of_list):
    """A black entry of ``subject`` signed on SIGNED, and an officer of its department. After
    its exit, the black list runs 10 days, so that it ends by expiry on 11-13."""
    if path == "after its exit":
        of_list.update(validity_value=10, validity_unit="days")
    black = ListEntryFactory(
        subject=subject, list=ListDefinitionFactory(kind=ListKind.BLACK, **of_list),
        awaiting_signature=True,
    )  # fmt: skip
    officer = OfficerFactory(department=black.list.recognizing_department, signer=True).user
    with clock.frozen(SIGNED):
        services.sign_decision(black.pk, actor=officer)
    black.refresh_from_db()
    return black, officer


def found_wrong(black, officer, path, day=FOUND_WRONG):
    """The subject's objection to the black entry is founded on ``day``: while the entry is in
    force, it is removed and corrected; after its exit by expiry, the exited entry is
    corrected (R4, R6)."""
    with clock.frozen(OBJECTED):
        services.record_objection(
            black.pk, actor=officer, objector=black.subject.name, grounds="认定事实错误"
        )
    if path == "after its exit":
        assert black.valid_until == BLACK_LAST_DAY
        with clock.frozen(BLACK_LAST_DAY + dt.timedelta(days=1)):
            run_tick(BLACK_LAST_DAY + dt.timedelta(days=1))
        black.refresh_from_db()
        assert (black.state, black.exit_reason) == (EntryState.EXITED, ExitReason.EXPIRED)
    with clock.frozen(day):
        if path == "while in force":
            services.exit_entry(
                black.pk, actor=officer, reason=ExitReason.CORRECTED, note="认定事实有误"
            )
        else:
            services.correct_after_exit(black.pk, actor=officer, finding="认定事实有误")
    black.refresh_from_db()


def red_entry(subject, **fields):
    red_list = ListDefinitionFactory(kind=ListKind.RED)
    return ListEntryFactory(subject=subject, list=red_list, **{"effective": True, **fields})


def letter_to_subject(black):
    [row] = remedies.objections_of([black])
    [objection] = row.objections
    return objection.result


@pytest.mark.parametrize("path", PATHS)
def test_the_red_entry_is_in_force_again_announced_and_audited(path):
    subject = SubjectFactory()
    red = red_entry(subject)
    black, officer = blacklisted(subject, path)
    red.refresh_from_db()
    assert (red.state, red.exit_reason, red.exited_on) == (
        EntryState.EXITED, ExitReason.BLACKLISTED, SIGNED,
    )  # fmt: skip
    # The R2 exit names the black entry that caused it.
    assert red.events.get(action="exit").data["black_entry"] == black.pk
    found_wrong(black, officer, path)
    red.refresh_from_db()
    assert (red.state, red.exit_reason, red.exited_on, red.valid_until) == (
        EntryState.EFFECTIVE, "", None, D(2029, 10, 27),
    )  # fmt: skip
    event = red.events.order_by("-id").first()
    assert (event.action, event.from_state, event.to_state, event.business_date) == (
        "reinstate", EntryState.EXITED, EntryState.EFFECTIVE, FOUND_WRONG,
    )  # fmt: skip
    assert event.data["black_entry"] == black.pk
    assert black.list.name in event.reason
    audited = AuditEntry.objects.filter(action="listing.reinstate", object_id=str(red.pk))
    assert audited.count() == 1
    assert audited.get().after["state"] == EntryState.EFFECTIVE
    assert verify_chain().ok
    # On the channel that announced the listing and its exit, following the exit notice (R4).
    notice = red.announcements.get(kind=Announcement.Kind.CORRECTION)
    assert (notice.published_on, notice.channel) == (FOUND_WRONG, red.channel)
    assert notice.follows == red.announcements.get(kind=Announcement.Kind.EXIT)
    assert notice.title.startswith("关于恢复") and red.list.name in notice.body
    assert f"{black.list.name}列入经核实有误" in notice.body
    assert "2029年10月27日" in notice.body and "激励措施恢复实施" in notice.body
    # A check counts it again (R4: what a check counts is the entries in force).
    with clock.frozen(FOUND_WRONG):
        assert red in selectors.effective_entries_of(subject.pk)
    # The subject's apology names the red entry restored (R6, 000 §十一.3).
    letter = letter_to_subject(black)
    assert "书面致歉" in letter and red.list.name in letter and "恢复列入" in letter


@pytest.mark.parametrize("path", PATHS)
def test_the_red_department_is_told_after_commit(path, django_capture_on_commit_callbacks):
    subject = SubjectFactory()
    red = red_entry(subject)
    black, officer = blacklisted(subject, path)
    told = []

    def receive(**kwargs):
        if kwargs["entry_id"] == red.pk:
            told.append((kwargs["action"], kwargs["to_state"], kwargs["business_date"]))

    entry_changed.connect(receive, weak=False, dispatch_uid="red-restored")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            found_wrong(black, officer, path)
    finally:
        entry_changed.disconnect(dispatch_uid="red-restored")
    assert told == [("reinstate", EntryState.EFFECTIVE, FOUND_WRONG)]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("last_day", "reinstated"),
    [
        (FOUND_WRONG + dt.timedelta(days=1), True),
        (FOUND_WRONG, True),  # in force through its last day (R4)
        (FOUND_WRONG - dt.timedelta(days=1), False),  # ended by expiry the day after
    ],
)
def test_around_the_red_entrys_last_day(path, last_day, reinstated):
    subject = SubjectFactory()
    red = red_entry(subject, valid_until=last_day)
    black, officer = blacklisted(subject, path)
    found_wrong(black, officer, path)
    red.refresh_from_db()
    letter = letter_to_subject(black)
    notice = red.announcements.get(kind=Announcement.Kind.CORRECTION)
    assert notice.follows == red.announcements.get(kind=Announcement.Kind.EXIT)
    assert f"{black.list.name}列入经核实有误" in notice.body
    assert red.list.name in letter
    if reinstated:
        assert (red.state, red.valid_until) == (EntryState.EFFECTIVE, last_day)
        # The daily job exits it by expiry the day after its last day, as any other (R4).
        after = last_day + dt.timedelta(days=1)
        with clock.frozen(after):
            run_tick(after)
        red.refresh_from_db()
        assert (red.state, red.exit_reason, red.exited_on) == (
            EntryState.EXITED, ExitReason.EXPIRED, after,
        )  # fmt: skip
        return
    # Its validity ended meanwhile: the exit stands, its public reason is corrected.
    assert (red.state, red.exit_reason, red.exited_on) == (
        EntryState.EXITED, ExitReason.BLACKLISTED, SIGNED,
    )  # fmt: skip
    event = red.events.order_by("-id").first()
    assert (event.action, event.from_state, event.to_state, event.business_date) == (
        "amend_exit", EntryState.EXITED, EntryState.EXITED, FOUND_WRONG,
    )  # fmt: skip
    assert event.data["black_entry"] == black.pk
    assert AuditEntry.objects.filter(action="listing.amend_exit", object_id=str(red.pk)).exists()
    assert "更正" in notice.title and "不再恢复列入" in notice.body
    assert "被列入严重失信主体名单" in notice.body  # the reason it corrects, as published
    assert not red.events.filter(action="reinstate").exists()
    assert "不再恢复列入" in letter


@pytest.mark.parametrize("path", PATHS)
def test_red_entries_that_ended_for_another_reason_are_untouched(path):
    subject = SubjectFactory()
    requested = red_entry(subject)
    red_officer = OfficerFactory(department=requested.list.recognizing_department).user
    with clock.frozen(D(2026, 10, 30)):
        services.exit_entry(requested.pk, actor=red_officer, reason=ExitReason.REQUESTED)
    expired = red_entry(subject, effective=False, exited=True)
    # Ended as blacklisted on another day, by a black listing not found wrong.
    earlier = red_entry(
        subject, effective=False, state=EntryState.EXITED, exit_reason=ExitReason.BLACKLISTED,
        effective_on=D(2025, 1, 2), valid_until=D(2028, 1, 2), exited_on=D(2025, 6, 3),
    )  # fmt: skip
    black, officer = blacklisted(subject, path)
    untouched = [requested, expired, earlier]
    for entry in untouched:
        entry.refresh_from_db()
    before = {e.pk: (e.state, e.exit_reason, e.version, e.events.count()) for e in untouched}
    found_wrong(black, officer, path)
    for entry in untouched:
        entry.refresh_from_db()
        assert (entry.state, entry.exit_reason, entry.version, entry.events.count()) == (
            before[entry.pk]
        )
        assert not entry.announcements.filter(kind=Announcement.Kind.CORRECTION).exists()
    letter = letter_to_subject(black)
    assert all(entry.list.name not in letter for entry in untouched)


def test_a_red_exit_recorded_before_it_named_its_black_entry_is_matched_by_its_day():
    """Exits the R2 cross-check recorded without naming the black entry are those of the
    subject's red entries ended as blacklisted on the day the black entry took effect."""
    subject = SubjectFactory()
    black, officer = blacklisted(subject, "while in force")
    older = red_entry(
        subject, effective=False, state=EntryState.EXITED, exit_reason=ExitReason.BLACKLISTED,
        effective_on=D(2026, 3, 2), valid_until=D(2029, 3, 2), exited_on=SIGNED,
    )  # fmt: skip
    found_wrong(black, officer, "while in force")
    older.refresh_from_db()
    assert (older.state, older.exit_reason, older.exited_on) == (EntryState.EFFECTIVE, "", None)


@pytest.mark.parametrize("reinstated", [True, False])
def test_a_black_listing_the_public_may_not_see_is_not_named_in_the_red_notices(reinstated):
    """R5: the red exit said the subject no longer met the reward's conditions, as its black
    listing is not public (001 §三(二)); the notice correcting it says no more."""
    subject = SubjectFactory()
    red = red_entry(subject, valid_until=FOUND_WRONG if reinstated else SIGNED)
    hidden = CatalogItemFactory(disclosure=Disclosure.NOT_PUBLIC)
    black, officer = blacklisted(subject, "while in force", catalog_item=hidden)
    found_wrong(black, officer, "while in force")
    exit_notice = red.announcements.get(kind=Announcement.Kind.EXIT)
    notice = red.announcements.get(kind=Announcement.Kind.CORRECTION)
    assert "不再符合守信激励条件" in exit_notice.body
    assert "不再符合守信激励条件" in notice.body
    assert black.list.name not in notice.body and "严重失信" not in notice.body
    red.refresh_from_db()
    assert (red.state == EntryState.EFFECTIVE) is reinstated


def test_a_subject_still_on_another_black_list_is_not_back_on_a_red_one():
    """R2: a subject on a black list is on no red list; the exit notice is corrected all the
    same, as the blacklisting it cited was wrong."""
    subject = SubjectFactory()
    red = red_entry(subject)
    black, officer = blacklisted(subject, "while in force")
    ListEntryFactory(
        subject=subject, list=ListDefinitionFactory(kind=ListKind.BLACK), effective=True,
        effective_on=D(2026, 11, 9), valid_until=D(2029, 11, 9),
    )  # fmt: skip
    found_wrong(black, officer, "while in force")
    red.refresh_from_db()
    assert (red.state, red.exit_reason) == (EntryState.EXITED, ExitReason.BLACKLISTED)
    assert red.events.order_by("-id").first().action == "amend_exit"
    assert red.announcements.filter(kind=Announcement.Kind.CORRECTION).exists()


def test_only_the_platform_reinstates_and_only_an_entry_ended_as_blacklisted():
    subject = SubjectFactory()
    requested = red_entry(subject)
    red_officer = OfficerFactory(department=requested.list.recognizing_department).user
    with clock.frozen(D(2026, 10, 30)):
        services.exit_entry(requested.pk, actor=red_officer, reason=ExitReason.REQUESTED)
        with pytest.raises(XinyongError) as by_hand:
            transition(requested.pk, Action.REINSTATE, actor=red_officer, version=None)
        assert by_hand.value.code == "system-action"
        with pytest.raises(XinyongError) as not_blacklisted:
            transition(requested.pk, Action.REINSTATE, actor="system", version=None, system=True)
        assert not_blacklisted.value.code == "not-ended-as-blacklisted"
    assert ListEntry.objects.get(pk=requested.pk).state == EntryState.EXITED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_a_black_signature_under_way_keeps_the_subject_off_its_red_list():
    """R2: the correction waits for a signature of another black listing of the subject under
    way (both hold the subject's row), then sees it: the red entry is not put back, its exit
    notice is corrected. Unlocked, it was put back beside the new black listing."""
    subject = SubjectFactory()
    red = red_entry(subject)
    black, officer = blacklisted(subject, "while in force")
    with clock.frozen(OBJECTED):
        services.record_objection(black.pk, actor=officer, objector=subject.name, grounds="有误")
    second = ListEntryFactory(
        subject=subject, list=ListDefinitionFactory(kind=ListKind.BLACK), awaiting_signature=True
    )
    signer = OfficerFactory(department=second.list.recognizing_department, signer=True).user
    held, go, corrected = threading.Event(), threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def sign_second() -> None:
        with transaction.atomic():
            daily_job_lock.wait_for_the_daily_job()  # as every step does first
            list(Subject.objects.select_for_update().filter(pk=subject.pk).values_list("pk"))
            held.set()
            go.wait(10)  # the correction has started meanwhile
            services.sign_decision(second.pk, actor=signer)

    signing = in_thread(sign_second, failures, day=FOUND_WRONG)
    held.wait(10)
    correcting = in_thread(
        lambda: services.exit_entry(
            black.pk, actor=officer, reason=ExitReason.CORRECTED, note="认定事实有误"
        ),
        failures, day=FOUND_WRONG, done=corrected,
    )  # fmt: skip
    until_another_waits(corrected)
    assert not corrected.is_set()  # it waits for the signature
    go.set()
    signing.join(20)
    correcting.join(20)
    assert not failures, failures
    red.refresh_from_db()
    second.refresh_from_db()
    assert second.state == EntryState.EFFECTIVE
    assert (red.state, red.exit_reason) == (EntryState.EXITED, ExitReason.BLACKLISTED)
    assert red.events.order_by("-id").first().action == "amend_exit"
    assert verify_chain().ok


@pytest.mark.parametrize("path", PATHS)
def test_the_change_feed_tells_the_red_entry_applies_again(path):
    """An implementing department that heard the red entry ended hears it applies again, to
    resume its rewards (R11); a red entry not put back is not told again."""
    subject = SubjectFactory()
    red = red_entry(subject)
    past = red_entry(subject, valid_until=FOUND_WRONG - dt.timedelta(days=1))
    black, officer = blacklisted(subject, path)
    found_wrong(black, officer, path)
    changes = feed_reads.changes_since(0, 1000)[0]

    def told(entry):
        return [(c.kind, c.business_date, c.valid_until) for c in changes if c.entry.pk == entry.pk]

    assert told(red) == [
        ("ended", SIGNED, D(2029, 10, 27)), ("took_effect", FOUND_WRONG, D(2029, 10, 27)),
    ]  # fmt: skip
    assert told(past) == [("ended", SIGNED, FOUND_WRONG - dt.timedelta(days=1))]


def red_entry_and_officer(subject):
    """A red entry of ``subject`` in force and a signing officer of its department, who
    records and answers objections to it (R6)."""
    red = red_entry(subject)
    red_officer = OfficerFactory(department=red.list.recognizing_department, signer=True).user
    return red, red_officer


@pytest.mark.parametrize("path", PATHS)
def test_a_red_entry_put_back_under_an_open_objection_is_told_suspended(path, api, measures):
    """R2, R6, R11: the objection to the red entry is still verified when the blacklisting
    that ended it is found wrong. Back in force, its measures stay suspended, as a check finds
    them; the feed tells ``suspended`` right after ``took_effect``, so that a department does
    not resume the reward, and a reward reported applied meanwhile is refused, until the
    objection is found unfounded and the feed tells ``resumed``."""
    subject = SubjectFactory()
    red, red_officer = red_entry_and_officer(subject)
    with clock.frozen(RED_CHECKED):
        answer = check(api, subject=subject.reveal_identifier(), scenario="honours").json()
    assert answer["result"] == "reward"
    with clock.frozen(RED_OBJECTED):
        services.record_objection(red.pk, actor=red_officer, objector=subject.name, grounds="有误")
    black, officer = blacklisted(subject, path)
    found_wrong(black, officer, path)
    red.refresh_from_db()
    assert (red.state, red.is_suspended_by_objection) == (EntryState.EFFECTIVE, True)
    with clock.frozen(FOUND_WRONG):
        again = check(api, subject=subject.reveal_identifier(), scenario="honours").json()
    assert (again["result"], again["entries"][0]["suspended"]) == ("clear", True)

    def told():
        changes = feed_reads.changes_since(0, 1000)[0]
        return [(c.kind, c.business_date) for c in changes if c.entry.pk == red.pk]

    assert told() == [
        ("suspended", RED_OBJECTED), ("ended", SIGNED),
        ("took_effect", FOUND_WRONG), ("suspended", FOUND_WRONG),
    ]  # fmt: skip

    def report(reference, applied_on):
        with clock.frozen(D(2026, 11, 18)):
            return api.post(
                f"/api/v1/checks/{answer['check_id']}/feedback",
                {"business_reference": reference, "applied_on": applied_on.isoformat(),
                 "measures": [{"measure": "honour-priority", "applied": True, "reason": ""}]},
                content_type="application/json",
            )  # fmt: skip

    refused = report("PY-1", FOUND_WRONG + dt.timedelta(days=1))
    assert (refused.status_code, refused.json()["code"]) == (
        422, "measure-suspended-by-objection",
    )  # fmt: skip
    with clock.frozen(D(2026, 11, 17)):
        services.uphold_after_verification(red.pk, actor=red_officer, finding="经核实，列入无误")
    assert told()[-1] == ("resumed", D(2026, 11, 17))
    assert report("PY-2", D(2026, 11, 17)).status_code == 201


def test_the_red_entry_put_back_without_an_objection_is_told_only_in_force():
    """R6, R11: with no objection being verified, nothing is suspended: the feed tells
    ``took_effect`` alone (``test_the_change_feed_tells_the_red_entry_applies_again``), and
    an objection concluded before the reinstatement leaves nothing to tell either."""
    subject = SubjectFactory()
    red, red_officer = red_entry_and_officer(subject)
    with clock.frozen(RED_OBJECTED):
        services.record_objection(red.pk, actor=red_officer, objector=subject.name, grounds="有误")
    black, officer = blacklisted(subject, "while in force")
    with clock.frozen(D(2026, 11, 4)):  # answered on the exited entry (R6)
        services.uphold_after_verification(red.pk, actor=red_officer, finding="列入无误")
    found_wrong(black, officer, "while in force")
    red.refresh_from_db()
    assert (red.state, red.is_suspended_by_objection) == (EntryState.EFFECTIVE, False)
    changes = feed_reads.changes_since(0, 1000)[0]
    assert [c.kind for c in changes if c.entry.pk == red.pk][-1] == "took_effect"


@pytest.mark.django_db(transaction=True)
def test_the_migration_tells_red_entries_put_back_before_as_suspended():
    """R6, R11: a red entry put back under an open objection before the reinstatement told
    its suspension gets it from the migration: a ``suspension`` event dated the day it was put
    back, fed after every item already read. An entry that said anything of its suspension
    since, or that is under no objection, is left as it is; a second run adds nothing."""
    subject = SubjectFactory()
    red, red_officer = red_entry_and_officer(subject)
    with clock.frozen(RED_OBJECTED):
        services.record_objection(red.pk, actor=red_officer, objector=subject.name, grounds="有误")
    black, officer = blacklisted(subject, "while in force")
    found_wrong(black, officer, "while in force")
    plain = red_entry(other := SubjectFactory())  # put back under no objection
    other_black, other_officer = blacklisted(other, "while in force")
    found_wrong(other_black, other_officer, "while in force")
    # As a release before the reinstatement told the suspension left it.
    told = red.events.get(action="suspension")
    ChangeFeedItem.objects.filter(event=told).delete()
    told.delete()
    read_up_to = feed_reads.changes_since(0, 1000)[1]
    try:
        migrate([("listings", "0025_ruling_lifted_notice")])
        migrate_to_latest()
        migrate([("listings", "0025_ruling_lifted_notice")])
    finally:
        migrate_to_latest()  # the test database is left at the latest state whatever happens
    [event] = red.events.filter(action="suspension")
    assert (event.business_date, event.data["suspends"]) == (FOUND_WRONG, True)
    assert not plain.events.filter(action="suspension").exists()
    later = feed_reads.changes_since(read_up_to, 1000)[0]
    assert [(c.entry.pk, c.kind, c.business_date) for c in later] == [
        (red.pk, "suspended", FOUND_WRONG)
    ]
