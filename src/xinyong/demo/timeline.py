"""Dates for a list entry in a given state, consistent with the workflow and the calendar.

Every path follows ``listings.workflow``: propose → notify → publicity of N working days (R1,
R15) → objection and verification, or end of publicity → signature → effective until the
validity ends (R4). Nothing lies after the business date; an effective entry's publicity ended
before it took effect and its validity has not run out.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from xinyong.core.periods import period_end
from xinyong.core.workdays import Deadline, WorkCalendar
from xinyong.demo.list_definitions import ListSpec
from xinyong.listings.models import EntryState, ExitReason

S = EntryState
DAY = dt.timedelta(days=1)
VERIFICATION_DAYS = 20  # an objection is verified within 20 days of its receipt (R6)


@dataclass
class EntryDates:
    proposed_on: dt.date
    publicity_starts_on: dt.date | None = None
    publicity_ends_on: dt.date | None = None
    publicity_ends_provisional: bool = False
    verification_due_on: dt.date | None = None
    verification_due_provisional: bool = False
    effective_on: dt.date | None = None
    valid_until: dt.date | None = None
    exited_on: dt.date | None = None
    # (action, from state, to state, business date) — the entry's history, in order
    path: list[tuple[str, str, str, dt.date]] = field(default_factory=list)

    def step(self, action: str, source: str, target: str, day: dt.date) -> None:
        self.path.append((action, source, target, day))


class Timeline:
    def __init__(self, rng: random.Random, today: dt.date, calendar: WorkCalendar) -> None:
        self.rng = rng
        self.today = today
        self.calendar = calendar
        self._ends: dict[tuple[dt.date, int], Deadline] = {}

    def ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, max(low, high)))

    def between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def publicity_end(self, start: dt.date, workdays: int) -> Deadline:
        key = (start, workdays)
        if key not in self._ends:
            self._ends[key] = self.calendar.add_workdays(start, workdays)
        return self._ends[key]

    def valid_until(self, spec: ListSpec, effective_on: dt.date) -> dt.date | None:
        if spec.validity is None:
            return None
        return period_end(effective_on, spec.validity, spec.unit)

    def validity_days(self, spec: ListSpec) -> int:
        end = self.valid_until(spec, self.today)
        return (end - self.today).days if end else 3 * 365

    # -- the steps -------------------------------------------------------------------------

    def _proposed(self, dates: EntryDates, notify: bool) -> None:
        dates.step("propose", "", S.DRAFT, dates.proposed_on)
        if notify:
            notified = dates.proposed_on + dt.timedelta(days=self.rng.randint(1, 3))
            dates.step("notify", S.DRAFT, S.NOTIFIED, min(notified, self.today))

    def _publicized(self, spec: ListSpec, start: dt.date) -> EntryDates:
        """Proposed, notified and publicized from ``start`` for the list's working days."""
        proposed = start - dt.timedelta(days=self.rng.randint(4, 15))
        dates = EntryDates(proposed_on=proposed, publicity_starts_on=start)
        end = self.publicity_end(start, spec.publicity_workdays)
        dates.publicity_ends_on, dates.publicity_ends_provisional = end.date, end.provisional
        self._proposed(dates, notify=True)  # notified at most three days later: before start
        dates.step("start_publicity", S.NOTIFIED, S.IN_PUBLICITY, start)
        return dates

    @staticmethod
    def _span(dates: EntryDates) -> tuple[dt.date, dt.date]:
        """(first, last) day of a publicity that started."""
        if dates.publicity_starts_on is None or dates.publicity_ends_on is None:
            raise AssertionError("no publicity")
        return dates.publicity_starts_on, dates.publicity_ends_on

    def _publicized_before(self, spec: ListSpec, day: dt.date) -> EntryDates:
        """Publicity that ended before ``day``, followed by the daily job's end of publicity."""
        if spec.publicity_workdays == 0:  # derived lists: the platform lists, nobody publicizes
            dates = EntryDates(proposed_on=day)
            dates.step("propose", "", S.DRAFT, day)
            return dates
        start = day - dt.timedelta(days=self.rng.randint(30, 45))
        while self.publicity_end(start, spec.publicity_workdays).date >= day:
            start -= dt.timedelta(days=7)
        dates = self._publicized(spec, start)
        self._end_publicity(dates)
        return dates

    def _end_publicity(self, dates: EntryDates) -> dt.date:
        """The daily job moves the entry on the first day after its publicity (workflow)."""
        ended = self._span(dates)[1] + DAY
        dates.step("end_publicity", S.IN_PUBLICITY, S.AWAITING_SIGNATURE, ended)
        return ended

    def _objected(self, dates: EntryDates, source: str, first: dt.date, last: dt.date) -> dt.date:
        received = self.between(first, last)
        # As the service stores it: a deadline past the known calendar is provisional (R15).
        due = self.calendar.add_days(received, VERIFICATION_DAYS)
        dates.verification_due_on, dates.verification_due_provisional = due.date, due.provisional
        dates.step("object", source, S.UNDER_VERIFICATION, received)
        return received

    def effective(self, spec: ListSpec, effective_on: dt.date) -> EntryDates:
        dates = self._publicized_before(spec, effective_on)
        if spec.publicity_workdays == 0:
            dates.step("sign", S.DRAFT, S.EFFECTIVE, effective_on)
        else:
            dates.step("sign", S.AWAITING_SIGNATURE, S.EFFECTIVE, effective_on)
        dates.effective_on = effective_on
        dates.valid_until = self.valid_until(spec, effective_on)
        return dates

    # -- one function per state ---------------------------------------------------------------

    def dates(self, spec: ListSpec, state: str, reason: str = "") -> EntryDates:
        today, pw = self.today, spec.publicity_workdays
        if state == S.DRAFT:
            dates = EntryDates(proposed_on=self.ago(0, 10))
            self._proposed(dates, notify=False)
        elif state == S.NOTIFIED:
            dates = EntryDates(proposed_on=self.ago(4, 20))
            self._proposed(dates, notify=True)
        elif state == S.IN_PUBLICITY:
            start = self.ago(0, pw * 7 // 5 - 4)
            while self.publicity_end(start, pw).date < today:
                start += DAY
            dates = self._publicized(spec, start)
        elif state == S.UNDER_VERIFICATION:
            dates = self._publicized(spec, self.ago(2, pw * 7 // 5 + 10))
            start, end = self._span(dates)
            # Still pending: received less than VERIFICATION_DAYS ago, during publicity or after.
            first = max(start, today - dt.timedelta(days=VERIFICATION_DAYS - 1))
            if first <= end:
                self._objected(dates, S.IN_PUBLICITY, first, min(today, end))
            else:
                ended = self._end_publicity(dates)
                self._objected(dates, S.AWAITING_SIGNATURE, max(first, ended), today)
        elif state == S.AWAITING_SIGNATURE:
            dates = self._publicized_before(spec, self.ago(1, 20))
        elif state == S.EFFECTIVE:
            dates = self.effective(spec, self.ago(0, min(self.validity_days(spec) - 1, 3 * 365)))
        elif state == S.REJECTED:
            dates = self._rejected(spec)
        elif state == S.WITHDRAWN:
            dates = self._withdrawn(spec)
        elif state == S.EXITED:
            dates = self.exited(spec, reason)
        else:
            raise ValueError(state)
        return dates

    def _rejected(self, spec: ListSpec) -> EntryDates:
        """Rejected after a founded objection, or by the meeting after publicity (workflow)."""
        if self.rng.random() < 0.5:
            dates = self._publicized(spec, self.ago(40, 400))
            start, end = self._span(dates)
            last = min(self.today - dt.timedelta(days=5), end)
            received = self._objected(dates, S.IN_PUBLICITY, start, last)
            decided = min(self.today, received + dt.timedelta(days=self.rng.randint(3, 19)))
            dates.step("reject", S.UNDER_VERIFICATION, S.REJECTED, decided)
            # The verification is over (listings.services).
            dates.verification_due_on, dates.verification_due_provisional = None, False
        else:
            dates = self._publicized_before(spec, self.ago(1, 400))
            decided = self.between(dates.path[-1][3], self.today)
            dates.step("reject", S.AWAITING_SIGNATURE, S.REJECTED, decided)
        return dates

    def _withdrawn(self, spec: ListSpec) -> EntryDates:
        draw = self.rng.random()
        if draw < 0.4 or spec.publicity_workdays == 0:
            dates = EntryDates(proposed_on=self.ago(10, 400))
            self._proposed(dates, notify=draw < 0.2)
        else:
            dates = self._publicized(spec, self.ago(15, 400))
            start, end = self._span(dates)
            withdrawn = self.between(start, min(self.today, end))
            dates.step("withdraw", S.IN_PUBLICITY, S.WITHDRAWN, withdrawn)
            return dates
        source = dates.path[-1][2]
        dates.step("withdraw", source, S.WITHDRAWN, self.between(dates.path[-1][3], self.today))
        return dates

    def exited(self, spec: ListSpec, reason: str, exited_on: dt.date | None = None) -> EntryDates:
        """An entry that took effect and ended for ``reason`` (on ``exited_on`` when given)."""
        span = min(self.validity_days(spec) - 1, 3 * 365)
        if reason == ExitReason.EXPIRED:
            if spec.validity is None:
                raise ValueError(f"{spec.code} has no validity to expire")
            # Took effect one validity period before a day in the past; left the day after.
            effective_on = self.ago(1, 400) - dt.timedelta(days=self.validity_days(spec))
            while (self.valid_until(spec, effective_on) or self.today) >= self.today:
                effective_on -= DAY
            dates = self.effective(spec, effective_on)
            dates.exited_on = (dates.valid_until or effective_on) + DAY
        elif exited_on is not None:  # e.g. blacklisted on the day the black entry took effect
            effective_on = exited_on - dt.timedelta(days=self.rng.randint(30, max(30, span // 2)))
            dates = self.effective(spec, effective_on)
            dates.exited_on = exited_on
        else:
            # Repair only after a minimum period (R8): a year for serious information.
            minimum = min(365, span // 3) if reason == ExitReason.REPAIRED else 1
            effective_on = self.ago(minimum + 1, span)
            dates = self.effective(spec, effective_on)
            latest = min(self.today, dates.valid_until or self.today)
            dates.exited_on = self.between(effective_on + dt.timedelta(days=minimum), latest)
        dates.step("exit", S.EFFECTIVE, S.EXITED, dates.exited_on)
        return dates
