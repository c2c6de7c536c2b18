"""The lists the platform derives (big-data warning, key monitoring, R3): a warning ends because
its condition fell away, not because it was found wrong (003 §四), and a list whose start is not
announced has no exit announcement either (R4: an exit follows the listing's announcement)."""

import datetime as dt

import pytest

from tests.factories import (
    DepartmentFactory,
    DomainFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    SubjectFactory,
)
from tests.ticks import tick
from xinyong.listings import documents
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind

pytestmark = pytest.mark.django_db
D = dt.date


def _derived_list(kind):
    office = DepartmentFactory(credit_office=True)
    return ListDefinitionFactory(kind=kind, validity_value=None, recognizing_department=office)


def test_a_warning_ends_as_no_longer_meeting_the_condition_and_unannounced():
    warning_list = _derived_list(ListKind.BIG_DATA_WARNING)
    subject = SubjectFactory()
    for lapses in (D(2026, 11, 5), D(2029, 10, 27), D(2029, 10, 27)):
        ListEntryFactory(
            subject=subject, effective=True, valid_until=lapses,
            list=ListDefinitionFactory(kind=ListKind.KEY_ATTENTION, domain=DomainFactory()),
        )  # fmt: skip
    tick(D(2026, 11, 2))
    tick(D(2026, 11, 9))  # one key attention ended on 11-05: the warning ends on 11-06
    warned = ListEntry.objects.get(list=warning_list)
    assert (warned.state, warned.exit_reason, warned.exited_on) == (
        EntryState.EXITED, ExitReason.CONDITION_NO_LONGER_MET, D(2026, 11, 6),
    )  # fmt: skip
    assert str(warned.get_exit_reason_display()) != str(ExitReason.CORRECTED.label)
    assert not warned.announcements.exists()


@pytest.mark.parametrize(
    ("kind", "announced"),
    [
        (ListKind.RED, True),
        (ListKind.BLACK, True),
        (ListKind.KEY_ATTENTION, True),
        (ListKind.BIG_DATA_WARNING, False),
        (ListKind.KEY_MONITORING, False),
    ],
)
def test_only_lists_whose_start_is_announced_announce_their_exits(kind, announced):
    assert documents.is_announced(ListEntryFactory(list=ListDefinitionFactory(kind=kind))) is (
        announced
    )


def test_key_monitoring_that_expires_is_not_announced():
    monitoring = _derived_list(ListKind.KEY_MONITORING)
    black = ListDefinitionFactory(kind=ListKind.BLACK, monitoring_months=6)
    ListEntryFactory(list=black, effective=True, valid_until=D(2026, 10, 31))
    tick(D(2026, 11, 2))
    monitored = ListEntry.objects.get(list=monitoring)
    assert not monitored.announcements.exists()
    tick(D(2027, 5, 3))
    monitored.refresh_from_db()
    assert monitored.state == EntryState.EXITED
    assert not monitored.announcements.exists()
