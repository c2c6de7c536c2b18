"""The update period of a submission list after a change of law or duty (R13, R15).

A department updates its list "within 15 working days of the day" the law was revised or its
duties changed (004 §二(一)1). Counted on the work calendar: the day of the change is not
counted, holidays and rest days are skipped and adjusted working weekends count; a period that
reaches into a year without the State Council's notice is provisional.

No Django here: the calendar is handed in.
"""

from __future__ import annotations

import datetime as dt

from xinyong.catalog.publication import workdays_late as _workdays_late
from xinyong.core.workdays import Deadline, WorkCalendar

UPDATE_WITHIN_WORKDAYS = 15  # 004 §二(一)1


def update_due(
    calendar: WorkCalendar, effective_on: dt.date, workdays: int = UPDATE_WITHIN_WORKDAYS
) -> Deadline:
    """The last day to update the list after a change that took effect on ``effective_on``."""
    return calendar.add_workdays(effective_on, workdays)


def workdays_late(calendar: WorkCalendar, due_on: dt.date, confirmed_on: dt.date) -> int:
    """Working days a confirmation on ``confirmed_on`` came after ``due_on``; 0 on time.

    As for a record published late (R9): the working days after the due day up to the
    confirmation, one made on a rest day counting as made on the next working day.
    """
    return _workdays_late(calendar, due_on, confirmed_on)
