"""Key monitoring that had already ended (its period over) when the black listing behind it was
found wrong is corrected after its exit, in the finding's own transaction (R3, R6, 002 §二十一,
000 §十一.3): a ``correct`` step naming the black listing, with the subject's written apology,
while its exit stands as it was (R4) and nothing new goes to the change feed (R11)."""

import datetime as dt
import html

import pytest
from django.test import Client

from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from tests.ticks import tick
from xinyong.access.models import SubjectAccount
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.listings import selectors, services
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind

pytestmark = pytest.mark.django_db
D = dt.date
# A black entry objected to on 11-02 ends by expiry on 11-11, which starts a month of key
# monitoring (11-11 to 12-11); the monitoring ends by expiry on 12-12, and the objection is
# found founded on 12-15 (late, but still answered: R6).
OBJECTED, LAST_DAY, EXITED = D(2026, 11, 2), D(2026, 11, 10), D(2026, 11, 11)
MONITORED_UNTIL, MONITORING_ENDED, FOUND_WRONG = D(2026, 12, 11), D(2026, 12, 12), D(2026, 12, 15)


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
        for change in selectors.changes_since(0, 1000)[0]
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


def test_ended_monitoring_under_an_objection_of_its_own_is_left_to_its_officer(monitoring, subject):
    """R6: an objection to the monitoring itself was open when it ended; the credit office's
    finding answers it, and the black listing found wrong does not answer it in its stead."""
    black, officer = black_entry(subject)
    tick(EXITED)
    monitored = ListEntry.objects.get(list=monitoring, origin=black)
    office = OfficerFactory(department=monitoring.recognizing_department).user
    with clock.frozen(D(2026, 12, 1)):
        services.record_objection(
            monitored.pk, actor=office, objector=subject.name, grounds="不应重点监测"
        )
    tick(MONITORING_ENDED)
    found_wrong_after_exit(black, officer)
    assert not monitored.events.filter(action="correct").exists()
    monitored.refresh_from_db()
    assert monitored.verification_due_on is not None


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
