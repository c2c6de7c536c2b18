"""The demo data keeps an objection's verification deadline as the service does (R6, R15): 20
days from its receipt, marked provisional while it rests on a year whose holiday notice is not
loaded (from 15 December on, the next year's)."""

import datetime as dt
import random

import pytest

from tests.factories import ListDefinitionFactory, SubjectFactory
from xinyong.calendars.selectors import work_calendar
from xinyong.demo.entries import EntryPlan
from xinyong.demo.history import entry_rows
from xinyong.demo.list_definitions import LISTS
from xinyong.demo.timeline import VERIFICATION_DAYS, EntryDates, Timeline
from xinyong.listings.models import EntryState

pytestmark = pytest.mark.django_db
SPEC = next(spec for spec in LISTS if spec.publicity_workdays == 20)


def _under_verification(today: dt.date, seeds: range) -> list[EntryDates]:
    calendar = work_calendar()
    return [
        Timeline(random.Random(seed), today, calendar).dates(SPEC, EntryState.UNDER_VERIFICATION)
        for seed in seeds
    ]


def _received(dates: EntryDates) -> dt.date:
    return [day for action, _, _, day in dates.path if action == "object"][-1]


@pytest.mark.parametrize("today", [dt.date(2026, 12, 5), dt.date(2026, 6, 15)])
def test_a_verification_deadline_is_as_the_service_counts_it(today):
    calendar = work_calendar()
    everyone = _under_verification(today, range(60))
    for dates in everyone:
        due = calendar.add_days(_received(dates), VERIFICATION_DAYS)
        assert (dates.verification_due_on, dates.verification_due_provisional) == (
            due.date,
            due.provisional,
        )
    provisional = any(dates.verification_due_provisional for dates in everyone)
    assert provisional is (
        today.month == 12 and not calendar.is_covered(today, dt.date(2027, 1, 1))
    )


def test_the_entry_rows_keep_the_provisional_mark():
    dates = next(d for d in _under_verification(dt.date(2026, 12, 5), range(60))
                 if d.verification_due_provisional)  # fmt: skip
    plan = EntryPlan(
        list_code=SPEC.code, subject=0, state=EntryState.UNDER_VERIFICATION, exit_reason="",
        facts="事实", basis="依据", document="", dates=dates,
    )  # fmt: skip
    lists = {SPEC.code: ListDefinitionFactory()}
    (row,) = entry_rows([plan], [SubjectFactory()], lists)
    assert row.verification_due_on == dates.verification_due_on
    assert row.verification_due_provisional is True
