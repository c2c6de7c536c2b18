"""Key monitoring that had already ended (its period over) when the black listing behind it was
found wrong is corrected after its exit, in the finding's own transaction (R3, R6, 002 §二十一,
000 §十一.3): a ``correct`` step naming the black listing, with the subject's written apology,
while its exit stands as it was (R4) and nothing new goes to the change feed (R11)."""

import datetime as dt
import html
import threading

import pytest
from django.db import connection, transaction  # noqa: F401 (connection: skipif)
from django.test import Client

from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from tests.races import in_thread, until_another_waits
from tests.ticks import tick
from xinyong.access.models import SubjectAccount
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import feed_reads, selectors, services
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind

pytestmark = pytest.mark.django_db
D = dt.date
# A black entry objected to on 11-02 ends by expiry on 11-11, which starts a month of key
# monitoring (11-11 to 12-11); the monitoring ends by expiry on 12-12, and the objection is
# found founded on 12-15 (late, but still answered: R6).
OBJECTED, LAST_DAY, EXITED = D(2026, 11, 2), D(2026, 11, 10), D(2026, 11, 11)
MONITORED_UNTIL, MONITORING_ENDED, FOUND_WRONG = D(2026, 12, 11), D(2026, 12, 12), D(2026, 12, 15)
# The subject objects to the monitoring itself on 12-01; the credit office decides on 12-18.
MONITORING_OBJECTED, UPHELD = D(2026, 12, 1), D(2026, 12, 18)


@pytest.fixture
def monitoring():
    return ListDefinitionFactory(
        kind=ListKind.KEY_MONITORING, validity_value=None,
        recognizing_department=DepartmentFactory(credit_office=True),
    )  # fmt: skip


@pytest.fixture
def subject():
    return SubjectFactory()


def black_entry(subject, *, valid_until=LAST_DAY, objected=True):
    """An effective black entry of ``subject`` on a list monitoring a month after its exit,
    objected to on 11-02 unless told otherwise, and an officer of its department."""
    entry = ListEntryFactory(
        subject=subject, list=ListDefinitionFactory(kind=ListKind.BLACK, monitoring_months=1),
        effective=True, valid_until=valid_until,
    )  # fmt: skip
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    if objected:
        with clock.frozen(OBJECTED):
            services.record_objection(
                entry.pk, actor=officer, objector=subject.name, grounds="认定事实错误"
            )
    return entry, officer


def found_wrong_after_exit(entry, officer, day=FOUND_WRONG):
    with clock.frozen(day):
        services.correct_after_exit(entry.pk, actor=officer, finding="认定有误")


def history_of(entry):
    return [
        (e.action, e.from_state, e.to_state, e.business_date) for e in entry.events.order_by("id")
    ]


def feed_of(entry):
    return [
        (change.kind, change.business_date)
        for change in feed_reads.changes_since(0, 1000)[0]
        if change.entry.pk == entry.pk
    ]


def test_monitoring_ended_before_the_black_listing_was_found_wrong_is_corrected(
    monitoring, subject
):
    """R3, R6: the monitoring the black exit started ended by expiry on 12-12; the black
    listing found wrong on 12-15 corrects its record that day, naming the listing, with the
    apology to the subject. It is not put back in force, its exit keeps its reason and day,
    and the change feed tells nothing new: the measures stopped on 12-12 (R4, R11)."""
    black, officer = black_entry(subject)
    tick(EXITED)
    monitored = ListEntry.objects.get(list=monitoring, origin=black)
    assert monitored.valid_until == MONITORED_UNTIL
    tick(MONITORING_ENDED)
    found_wrong_after_exit(black, officer)
    monitored.refresh_from_db()
    assert (monitored.state, monitored.exit_reason, monitored.exited_on) == (
        EntryState.EXITED, ExitReason.EXPIRED, MONITORING_ENDED,
    )  # fmt: skip
    assert history_of(monitored) == [
        ("monitor", "", EntryState.EFFECTIVE, EXITED),
        ("exit", EntryState.EFFECTIVE, EntryState.EXITED, MONITORING_ENDED),
        ("correct", EntryState.EXITED, EntryState.EXITED, FOUND_WRONG),
    ]
    correction = monitored.events.get(action="correct")
    assert correction.reason == f"所依据的{black.list.name}列入经核实有误：认定有误"
    assert correction.data["found_wrong"] == black.pk
    assert "书面致歉" in correction.data["result_to_subject"]
    assert "objection_result" not in correction.data  # no objection of its own to answer
    assert ListEntry.objects.filter(selectors.corrected_after_exit(), pk=monitored.pk).exists()
    audit = AuditEntry.objects.get(action="listing.correct", object_id=str(monitored.pk))
    assert audit.after["exit_reason"] == ExitReason.EXPIRED
    assert feed_of(monitored) == [("took_effect", EXITED), ("ended", MONITORING_ENDED)]
    # The subject reads the apology on its own page, as for an entry ended as corrected.
    user = UserFactory(username="jiankong")
    SubjectAccount.objects.create(user=user, subject=subject)
    client = Client()
    client.force_login(user)
    with clock.frozen(FOUND_WRONG):
        page = client.get("/my/").content.decode()
    assert f'data-correction="{monitored.pk}"' in page
    shown = page.split(f'data-correction="{monitored.pk}"')[1].split("</pre>")[0]
    assert html.unescape(shown.split("<pre>")[1]) == correction.data["result_to_subject"]


def test_ended_monitoring_another_exit_still_holds_is_corrected_only_by_the_second_finding(
    monitoring, subject
):
    """R3, R6: two black exits the same day started one monitoring, which ended by expiry.
    The first listing found wrong leaves it as it ended, since the other exit still required
    it; the second found wrong too corrects it, once, naming that listing."""
    first, first_officer = black_entry(subject)
    second, second_officer = black_entry(subject)
    tick(EXITED)
    [monitored] = ListEntry.objects.filter(list=monitoring, subject=subject)
    tick(MONITORING_ENDED)
    found_wrong_after_exit(first, first_officer)
    assert not monitored.events.filter(action="correct").exists()
    found_wrong_after_exit(second, second_officer, D(2026, 12, 16))
    [correction] = monitored.events.filter(action="correct")
    assert (correction.business_date, correction.data["found_wrong"]) == (D(2026, 12, 16),
                                                                         second.pk)  # fmt: skip
    monitored.refresh_from_db()
    assert (monitored.state, monitored.exit_reason) == (EntryState.EXITED, ExitReason.EXPIRED)


def objected_monitoring(monitoring, subject, blacks):
    """The monitoring the black exits of 11-11 started, objected to by the subject on 12-01
    and ended by expiry on 12-12 with that objection still open (R6: expiry lets it through),
    and an officer of the credit office, which keeps the monitoring list."""
    tick(EXITED)
    [monitored] = ListEntry.objects.filter(list=monitoring, subject=subject)
    assert {monitored.origin} <= set(blacks)
    office = OfficerFactory(department=monitoring.recognizing_department).user
    with clock.frozen(MONITORING_OBJECTED):
        services.record_objection(
            monitored.pk, actor=office, objector=subject.name, grounds="不应重点监测"
        )
    tick(MONITORING_ENDED)
    return monitored, office


def upheld(monitored, office, day=UPHELD):
    """The credit office finds the objection to the monitoring unfounded on ``day`` (R6)."""
    with clock.frozen(day):
        return services.uphold_after_verification(
            monitored.pk, actor=office, finding="移出黑名单时符合重点监测条件"
        )


def test_ended_monitoring_under_an_objection_of_its_own_is_left_to_its_officer(monitoring, subject):
    """R6: an objection to the monitoring itself was open when it ended; the credit office's
    finding answers it, and the black listing found wrong does not answer it in its stead,
    nor does the daily job while it is being verified."""
    black, officer = black_entry(subject)
    monitored, _ = objected_monitoring(monitoring, subject, [black])
    found_wrong_after_exit(black, officer)
    assert not monitored.events.filter(action="correct").exists()
    for day in (D(2026, 12, 16), D(2026, 12, 17)):
        assert tick(day).changed == 0
    assert not monitored.events.filter(action="correct").exists()
    monitored.refresh_from_db()
    assert monitored.verification_due_on is not None


def test_ended_monitoring_left_to_its_objection_is_corrected_once_it_is_found_unfounded(
    monitoring, subject
):
    """R3, R6, 000 §十一.3: the black listing behind the monitoring was found wrong on 12-15
    while the monitoring's own objection was verified, which left the monitoring to that
    finding. Found unfounded on 12-18, the objection is answered, and the monitoring, which
    rested on nothing but the listing found wrong, is corrected in the same step of the
    office's: the same ``correct`` step, naming the black listing, with the subject's
    apology, as had it been found wrong with no objection open. Its exit stands (R4), the
    change feed tells nothing new (R11), and it is corrected once: not by the daily job
    again, nor by a second decision, which there is no objection left to make."""
    black, officer = black_entry(subject)
    monitored, office = objected_monitoring(monitoring, subject, [black])
    found_wrong_after_exit(black, officer)
    feed_before = feed_of(monitored)
    answered = upheld(monitored, office)
    monitored.refresh_from_db()
    assert answered.version == monitored.version  # the entry as it now is
    assert (monitored.state, monitored.exit_reason, monitored.exited_on) == (
        EntryState.EXITED, ExitReason.EXPIRED, MONITORING_ENDED,
    )  # fmt: skip
    assert monitored.verification_due_on is None
    assert history_of(monitored) == [
        ("monitor", "", EntryState.EFFECTIVE, EXITED),
        ("object", EntryState.EFFECTIVE, EntryState.EFFECTIVE, MONITORING_OBJECTED),
        ("exit", EntryState.EFFECTIVE, EntryState.EXITED, MONITORING_ENDED),
        ("uphold", EntryState.EXITED, EntryState.EXITED, UPHELD),
        ("correct", EntryState.EXITED, EntryState.EXITED, UPHELD),
    ]
    assert "objection_result" in monitored.events.get(action="uphold").data
    correction = monitored.events.get(action="correct")
    assert correction.reason == f"所依据的{black.list.name}列入经核实有误：认定有误"
    assert correction.data["found_wrong"] == black.pk
    assert "书面致歉" in correction.data["result_to_subject"]
    assert "objection_result" not in correction.data  # its objection was answered as unfounded
    assert ListEntry.objects.filter(selectors.corrected_after_exit(), pk=monitored.pk).exists()
    audit = AuditEntry.objects.filter(object_id=str(monitored.pk)).order_by("pk")
    assert [row.action for row in audit][-2:] == ["listing.uphold", "listing.correct"]
    assert audit.last().after["exit_reason"] == ExitReason.EXPIRED
    assert feed_of(monitored) == feed_before
    for day in (D(2026, 12, 19), D(2026, 12, 21)):
        assert tick(day).changed == 0
    for decide_again in (
        lambda: services.uphold_after_verification(monitored.pk, actor=office, finding="再次"),
        lambda: services.correct_after_exit(monitored.pk, actor=office, finding="再次"),
        lambda: services.correct_after_exit(black.pk, actor=officer, finding="再次"),
    ):
        with clock.frozen(D(2026, 12, 21)), pytest.raises(XinyongError) as refused:
            decide_again()
        assert refused.value.code == "no-objection-pending"
    assert monitored.events.filter(action="correct").count() == 1


def test_ended_monitoring_whose_own_objection_is_founded_is_corrected_by_that_finding_alone(
    monitoring, subject
):
    """R6, 000 §十一.3: the credit office finds the objection to the monitoring founded on
    12-18, after the black listing behind it was found wrong: the monitoring is corrected by
    that finding, which answers the objector, and by nothing more."""
    black, officer = black_entry(subject)
    monitored, office = objected_monitoring(monitoring, subject, [black])
    found_wrong_after_exit(black, officer)
    with clock.frozen(UPHELD):
        services.correct_after_exit(monitored.pk, actor=office, finding="不符合重点监测条件")
    [correction] = monitored.events.filter(action="correct")
    assert (correction.business_date, correction.reason) == (UPHELD, "不符合重点监测条件")
    assert "objection_result" in correction.data
    assert "found_wrong" not in correction.data
    assert tick(D(2026, 12, 19)).changed == 0
    assert monitored.events.filter(action="correct").count() == 1


def test_ended_monitoring_another_exit_still_holds_is_not_corrected_on_the_unfounded_finding(
    monitoring, subject
):
    """R3, R6: two black exits started one monitoring; one listing was found wrong while the
    monitoring's objection was verified. Found unfounded, the objection leaves the monitoring
    as it ended, since the other exit still required it; the other listing found wrong later
    corrects it, once, naming that listing."""
    first, first_officer = black_entry(subject)
    second, second_officer = black_entry(subject)
    monitored, office = objected_monitoring(monitoring, subject, [first, second])
    found_wrong_after_exit(first, first_officer)
    upheld(monitored, office)
    assert not monitored.events.filter(action="correct").exists()
    found_wrong_after_exit(second, second_officer, D(2026, 12, 21))
    [correction] = monitored.events.filter(action="correct")
    assert (correction.business_date, correction.data["found_wrong"]) == (D(2026, 12, 21),
                                                                         second.pk)  # fmt: skip


def test_the_unfounded_finding_names_the_last_of_the_listings_found_wrong(monitoring, subject):
    """R3, R6: both black listings behind the monitoring were found wrong while its objection
    was verified (12-15, 12-16); found unfounded on 12-18, the objection lets the monitoring be
    corrected once, naming the listing whose finding left it resting on nothing."""
    first, first_officer = black_entry(subject)
    second, second_officer = black_entry(subject)
    monitored, office = objected_monitoring(monitoring, subject, [first, second])
    found_wrong_after_exit(first, first_officer)
    with clock.frozen(D(2026, 12, 16)):
        services.correct_after_exit(second.pk, actor=second_officer, finding="处罚决定已撤销")
    assert not monitored.events.filter(action="correct").exists()
    upheld(monitored, office)
    [correction] = monitored.events.filter(action="correct")
    assert (correction.business_date, correction.data["found_wrong"]) == (UPHELD, second.pk)
    assert correction.reason == f"所依据的{second.list.name}列入经核实有误：处罚决定已撤销"


# The credit office's finding on the monitoring's own objection, as the race below writes it,
# and what the monitoring's history ends with once the black listing's correction follows.
DECISIONS = {
    "unfounded": (
        lambda pk, office: services.uphold_after_verification(pk, actor=office, finding="符合条件"),
        ["uphold", "correct"],
    ),
    "founded": (
        lambda pk, office: services.correct_after_exit(pk, actor=office, finding="不符合条件"),
        ["exit", "correct"],
    ),
}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
@pytest.mark.parametrize("decision", DECISIONS)
def test_a_black_listing_found_wrong_while_the_monitorings_finding_commits_corrects_once(
    monitoring, subject, decision
):
    """R3, R6: the black listing is found wrong while the credit office's finding on the
    monitoring's own objection is being written. The correction holds the monitoring's row,
    waits for that finding, then looks again: found unfounded, the objection is answered and
    the correction corrects the monitoring for the listing; found founded, the finding
    corrected it and the correction adds nothing. Either way it is corrected once. Read
    before the finding committed, the objection looked open to the correction, and the
    unfounded finding had not seen the listing found wrong: neither corrected it."""
    decide, history_ends = DECISIONS[decision]
    black, officer = black_entry(subject)
    monitored, office = objected_monitoring(monitoring, subject, [black])
    held, go, corrected = threading.Event(), threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def decide_and_wait() -> None:
        with transaction.atomic():
            decide(monitored.pk, office)
            held.set()
            go.wait(10)  # the black listing's correction has started meanwhile

    deciding = in_thread(decide_and_wait, failures, day=FOUND_WRONG)
    held.wait(10)
    correcting = in_thread(
        lambda: services.correct_after_exit(black.pk, actor=officer, finding="认定有误"),
        failures, day=FOUND_WRONG, done=corrected,
    )  # fmt: skip
    until_another_waits(corrected)
    assert not corrected.is_set()  # it waits for the finding to commit
    go.set()
    deciding.join(20)
    correcting.join(20)
    assert not failures, failures
    assert [e[0] for e in history_of(monitored)][-2:] == history_ends
    [correction] = monitored.events.filter(action="correct")
    assert ("found_wrong" in correction.data) == (decision == "unfounded")


def test_monitoring_still_in_force_ends_as_corrected_as_before(monitoring, subject):
    """R3, R6: found wrong while the monitoring runs, it ends as corrected that day, with no
    ``correct`` step."""
    black, officer = black_entry(subject)
    tick(EXITED)
    monitored = ListEntry.objects.get(list=monitoring, origin=black)
    found_wrong_after_exit(black, officer, D(2026, 11, 20))
    monitored.refresh_from_db()
    assert (monitored.state, monitored.exit_reason, monitored.exited_on) == (
        EntryState.EXITED, ExitReason.CORRECTED, D(2026, 11, 20),
    )  # fmt: skip
    assert not monitored.events.filter(action="correct").exists()


def test_a_black_listing_found_wrong_in_force_corrects_no_ended_monitoring(monitoring, subject):
    """R3, R6: a black entry found wrong while in force never exited otherwise, so no
    monitoring rests on it (an exit as corrected starts none); the subject's ended monitoring
    from another, rightly made listing is left as it ended."""
    right, _ = black_entry(subject, objected=False)
    tick(EXITED)
    tick(MONITORING_ENDED)
    [ended] = ListEntry.objects.filter(list=monitoring, subject=subject)
    wrong, officer = black_entry(subject, valid_until=D(2027, 6, 1), objected=False)
    with clock.frozen(FOUND_WRONG):
        services.exit_entry(wrong.pk, actor=officer, reason=ExitReason.CORRECTED, note="认定有误")
    assert ListEntry.objects.filter(list=monitoring, subject=subject).count() == 1
    assert not ended.events.filter(action="correct").exists()
    assert ended.origin == right
