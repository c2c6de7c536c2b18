"""The day an objection was received (R6: verified "within 20 days of receiving it").

An objection sent online is received the day it is sent. One that comes on paper or at the
counter is received the day the letter arrived or the subject called, which may be some days
before an officer registers it; its 20 days count from that day, not from the registration,
or the department would grant itself the days the letter lay on a desk. The day is the
officer's to state, within what is possible: not after today, not before the information
objected to existed.
"""

from __future__ import annotations

import datetime as dt

from xinyong.core.errors import XinyongError


def received_on(
    stated: dt.date | None, *, today: dt.date, earliest: dt.date, earliest_is: str
) -> dt.date:
    """The day of receipt: ``stated``, or ``today`` when none is stated.

    ``earliest`` is the first day the objection could have been made, and ``earliest_is`` says
    what it is, in Chinese, for the refusal ("名单拟认定之日", "处理决定作出之日").
    """
    if stated is None:
        return today
    if stated > today:
        raise XinyongError(
            "objection-received-in-future",
            f"收到异议的日期（{stated.isoformat()}）不能晚于今天（{today.isoformat()}）",
            status=422,
        )
    if stated < earliest:
        raise XinyongError(
            "objection-received-too-early",
            f"收到异议的日期（{stated.isoformat()}）不能早于{earliest_is}（{earliest.isoformat()}）",
            status=422,
        )
    return stated
