"""Subjects that ask to leave a red list, and what becomes of each request (R4; 000 §十.2:
依红名单主体主动申请删除其表彰奖励…信息的，认定部门应将相关主体从红名单中删除).

Three businesses on the market regulator's red list (zj-scjg, whose demo officer works the
worklist) are planned for it with the other entries, in force as the data is written. Each then
asks from its own portal account (demo/accounts.py), through the platform's own service, on a
working day before the business date:

- ``pending``: it asked two working days ago; the department's worklist shows the entry as an
  exit on the subject's request on the business date;
- ``done``: the department's officer ended the entry at the request a few working days after
  it: the exit is announced, its rewards stop, the request is done with that exit;
- ``expired``: its validity ended a week or two before the business date, a few working days
  after it asked; the daily job's expiry ended the entry the day after its last day, and so
  closed the request with the reason the subject reads.

The requests, exits, announcements and audit rows are the ones the platform itself writes,
never rows made up here. A small load may leave a case out; the same seed picks the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from xinyong.core import clock
from xinyong.demo import remedy_texts as texts
from xinyong.demo.list_definitions import LIST_BY_CODE, ListSpec
from xinyong.demo.timeline import EntryDates, Timeline
from xinyong.listings import services as listings
from xinyong.listings.models import EntryState, ExitReason, ListEntry
from xinyong.listings.tick.expiry import expire_entries
from xinyong.remedies.red_list_exits import request_red_list_exit

if TYPE_CHECKING:
    from xinyong.demo.entries import EntryPlan, EntryPlanner
    from xinyong.demo.remedies import Days

LIST_CODE = "red-contract-honour"  # 浙江省守合同重信用企业名单, the market regulator's
OFFICER = "scjg_officer"  # the demo officer who exits its entries (demo/accounts.py)
# The case, by the portal log-in of the subject that asks (demo/accounts.py).
CASES = {"pending": "zhuti_leaving", "done": "zhuti_left", "expired": "zhuti_expired"}
LISTED_DAYS_AGO = (120, 400)  # in force a while before asking, well within its validity
ENDED_DAYS_AGO = (8, 15)  # the last day of validity of the entry that expires
# Working days before the business date (``pending``, ``done``), or before the last day of
# validity (``expired``).
ASKED = {"pending": 2, "done": 14, "expired": 3}
EXITED = 11  # the officer's exit of the ``done`` case, in working days before the business date
STATEMENTS = {"pending": texts.LEAVING_STATEMENT, "done": texts.LEFT_STATEMENT,
              "expired": texts.EXPIRED_STATEMENT}  # fmt: skip
DAY = dt.timedelta(days=1)


def plan(planner: EntryPlanner) -> None:
    """One red entry per case, for a business of the red side of the split (R2) not yet on the
    list, in force as written; fewer when the list runs out of subjects."""
    spec = LIST_BY_CODE[LIST_CODE]
    timeline = planner.timeline
    for case in CASES:
        subject = planner.pick(spec)
        if subject is None:
            return
        if case == "expired":
            dates = _ending_on(timeline, spec, timeline.ago(*ENDED_DAYS_AGO))
        else:
            dates = timeline.effective(spec, timeline.ago(*LISTED_DAYS_AGO))
        entry = planner.add(spec, EntryState.EFFECTIVE, subject=subject, dates=dates)
        if entry is None:  # never with its subject given; answered for the type checker
            return
        entry.exit_request = case


def _ending_on(timeline: Timeline, spec: ListSpec, last_day: dt.date) -> EntryDates:
    """Dates of an entry that took effect one validity period before ``last_day``, its last day
    of validity (or the nearest day before it that a period ends on). Written in force: the
    daily job's expiry ends it once its subject has asked (``act``)."""
    effective_on = last_day - dt.timedelta(days=timeline.validity_days(spec))
    while (timeline.valid_until(spec, effective_on) or last_day) < last_day:
        effective_on += DAY
    while (timeline.valid_until(spec, effective_on) or last_day) > last_day:
        effective_on -= DAY
    return timeline.effective(spec, effective_on)


def planned(pairs: Iterable[tuple[EntryPlan, ListEntry]]) -> dict[str, ListEntry]:
    """The entries written for the cases, by case."""
    return {plan.exit_request: entry for plan, entry in pairs if plan.exit_request}


def act(leaving: dict[str, ListEntry], days: Days, users: Callable[[str], Any]) -> int:
    """Each subject asks on its day; the officer exits one at its request, the daily job ends
    another by expiry; answers how many requests were made."""
    made = 0
    for case, entry in leaving.items():
        if case == "expired":
            last = entry.valid_until
            if last is None:  # never: planned with a validity; answered for the type checker
                continue
            _ask(entry, users(CASES[case]), _workdays_before(days, last, ASKED[case]), case)
            # The daily job of the day after the last day: the demo's other entries are written
            # as its runs left them, so its expiry ends this one alone.
            with clock.frozen(last + DAY):
                expire_entries(last + DAY)
        else:
            _ask(entry, users(CASES[case]), days.back(ASKED[case]), case)
        if case == "done":
            with clock.frozen(days.back(EXITED)):
                listings.exit_entry(
                    entry.pk, actor=users(OFFICER), reason=ExitReason.REQUESTED,
                    note=texts.EXIT_ON_REQUEST_NOTE,
                )  # fmt: skip
        made += 1
    return made


def _ask(entry: ListEntry, account: Any, day: dt.date, case: str) -> None:
    with clock.frozen(day):
        request_red_list_exit(entry.pk, actor=account, statement=STATEMENTS[case])


def _workdays_before(days: Days, day: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days before ``day``."""
    while n:
        day -= DAY
        if days.calendar.is_workday(day):
            n -= 1
    return day
