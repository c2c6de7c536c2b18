"""The daily job's step for submission lists: update duties past their due day (R13, R15).

A department updates its list within 15 working days of a change of law or duty (004 §二(一)1);
a duty still open after its due day is overdue. The job counts them for its summary, as the
credit office's overview counts them (``selectors.overdue``); it changes nothing, so it leaves
no audit row. The platform has no inbox or notice for departments' officers to remind them by:
the overdue duties show on the department's page and the credit office's overview.
"""

from __future__ import annotations

import datetime as dt

from xinyong.submissions import selectors
from xinyong.submissions.models import UpdateDuty


def count_overdue_updates(day: dt.date) -> int:
    """Update duties still open after their due day, on ``day``."""
    return selectors.overdue(UpdateDuty.objects.all(), day).count()
