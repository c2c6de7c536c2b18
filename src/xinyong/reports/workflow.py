"""A report's verification as data: ``(state, action) → state`` (R7, 000 §十一.1, 002 §十九).

The department verifies a received report once: founded (the red entry ends, 000 §十) or
unfounded (the entry stays). A report whose entry has already ended another way is closed: the
reporter is told so, not that its report was unfounded. Every result is final and told.
"""

from __future__ import annotations

from enum import StrEnum

from xinyong.core.errors import XinyongError
from xinyong.reports.models import ReportState


class Action(StrEnum):
    FOUND = "found"
    DISMISS = "dismiss"
    CLOSE = "close"


S = ReportState
TABLE: dict[tuple[str, Action], str] = {
    (S.RECEIVED, Action.FOUND): S.FOUNDED,  # 000 §十一.1, R4: the red entry ends
    (S.RECEIVED, Action.DISMISS): S.UNFOUNDED,  # 002 §十九: verified, the entry stays
    (S.RECEIVED, Action.CLOSE): S.CLOSED,  # R4: the entry already left the red list
}


def transition(state: str, action: Action | str) -> str:
    """The state ``action`` leads to from ``state``; a refusal if the table has no such edge."""
    try:
        target = TABLE.get((state, Action(action)))
    except ValueError:
        target = None
    if target is None:
        raise XinyongError("report-already-decided", "该举报已办结，不能再次处理", status=409)
    return target
