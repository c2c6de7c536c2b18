"""The case share's denominator is the red and black lists' count in the period: the entries in
force on at least one day of it, whenever they were listed (R11, 003 §七), not only those that
took effect in it."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.check_clients import check
from tests.factories import DepartmentFactory, ListDefinitionFactory, ListEntryFactory
from xinyong.core import clock
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.measures.statistics import Period, case_share

pytestmark = pytest.mark.django_db
D = dt.date
YEAR_2027 = Period(D(2027, 1, 1), D(2027, 12, 31))


def report_applied(api, subject, reference):
    """A check of the subject and a report of one business with the bar applied (a case)."""
    check_id = check(api, subject=subject.reveal_identifier(), scenario="government_procurement")
    answer = api.post(
        f"/api/v1/checks/{check_id.json()['check_id']}/feedback",
        {"business_reference": reference, "outcome": "",
         "measures": [{"measure": "bar-procurement", "applied": True, "reason": ""}]},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.json()


def exited(black, *, effective_on, exited_on, reason, valid_until=None):
    """An entry of ``black`` that ended on ``exited_on``; valid until 2029-10-27 unless given."""
    return ListEntryFactory(
        list=black, exited=True, effective_on=effective_on,
        valid_until=valid_until or D(2029, 10, 27), exited_on=exited_on, exit_reason=reason,
    )  # fmt: skip


def test_entries_listed_in_an_earlier_year_and_in_force_throughout_count(api, measures):
    """Ten black entries listed on 2026-10-27, in force all through 2027: the list holds ten
    in 2027, and one case reported in 2027 is 10% of them (003 §七)."""
    DepartmentFactory(credit_office=True)
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    entries = [ListEntryFactory(list=black, effective=True) for _ in range(10)]
    assert {(e.effective_on, e.valid_until) for e in entries} == {
        (D(2026, 10, 27), D(2029, 10, 27))
    }
    assert case_share(None, YEAR_2027) | {"target": None} == {
        "cases": 0, "reward_cases": 0, "punishment_cases": 0, "listed_red_black": 10,
        "share": Decimal("0"), "target": None, "met": False,
    }  # fmt: skip
    with clock.frozen(D(2027, 3, 15)):
        report_applied(api, entries[0].subject, "ZFCG-2027-1")
    share = case_share(None, YEAR_2027)
    assert (share["cases"], share["listed_red_black"], share["share"], share["met"]) == (
        1, 10, Decimal("0.1000"), True,
    )  # fmt: skip


def test_the_period_counts_entries_in_force_on_any_of_its_days():
    """Both ends of the period included, as an entry's validity runs through its last day
    (R4): an entry counts when it took effect by the period's last day and had not ended
    before its first."""
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    red = ListDefinitionFactory(kind=ListKind.RED)
    counted = [
        # took effect on the period's last day
        ListEntryFactory(list=black, effective=True, effective_on=D(2027, 12, 31)),
        # ended (repaired) on the period's first day: in force that day until its exit
        exited(black, effective_on=D(2026, 10, 27), exited_on=D(2027, 1, 1),
               reason=ExitReason.REPAIRED),
        # a red entry the subject asked to leave in the middle of the period
        exited(red, effective_on=D(2025, 5, 6), exited_on=D(2027, 6, 30),
               reason=ExitReason.REQUESTED),
        # its validity's last day is the period's first day, the daily job not run yet
        ListEntryFactory(list=black, effective=True, effective_on=D(2024, 1, 2),
                         valid_until=D(2027, 1, 1)),
    ]  # fmt: skip
    not_counted = [
        # ended (repaired) the day before the period starts
        exited(black, effective_on=D(2026, 10, 27), exited_on=D(2026, 12, 31),
               reason=ExitReason.REPAIRED),
        # took effect the day after the period ends
        ListEntryFactory(list=black, effective=True, effective_on=D(2028, 1, 1)),
        # expired: its last day of validity was the day before the period, so the exit the
        # daily job dates the day after it falls on the period's first day
        exited(black, effective_on=D(2024, 1, 2), valid_until=D(2026, 12, 31),
               exited_on=D(2027, 1, 1), reason=ExitReason.EXPIRED),
        # validity ended the day before the period, not yet exited by the daily job
        ListEntryFactory(list=black, effective=True, effective_on=D(2024, 1, 2),
                         valid_until=D(2026, 12, 31)),
        # a candidate, never in force
        ListEntryFactory(list=black, in_publicity=True),
        # found wrong: never rightly listed
        exited(black, effective_on=D(2026, 10, 27), exited_on=D(2027, 2, 1),
               reason=ExitReason.CORRECTED),
    ]  # fmt: skip
    assert all(e.state in (EntryState.EFFECTIVE, EntryState.EXITED) for e in counted)
    assert len(not_counted) == 6
    assert case_share(None, YEAR_2027)["listed_red_black"] == len(counted)


def test_a_departments_denominator_is_its_own_lists_in_force():
    mine, theirs = DepartmentFactory(), DepartmentFactory()
    for department in (mine, theirs, theirs):
        ListEntryFactory(effective=True, list__kind=ListKind.BLACK,
                         list__recognizing_department=department)  # fmt: skip
    assert case_share(mine, YEAR_2027)["listed_red_black"] == 1
    assert case_share(theirs, YEAR_2027)["listed_red_black"] == 2
