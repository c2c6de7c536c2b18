"""The credit repair application's transition table (R8, 000 §九, 002 §二十六).

An application is submitted by its subject and decided once by the department concerned:
accepted or rejected, each with reasons. One whose entry ends another way (found wrong,
expired, …) or whose record is revoked on a founded objection is closed by the platform in the
same transaction, with the reason (``repair_closures``; R4, R6): it is neither accepted nor
rejected. A decided or closed application is final; the subject may send a new one afterwards.
"""

from __future__ import annotations

from enum import StrEnum

from xinyong.core.errors import XinyongError
from xinyong.remedies.models import RepairState


class RepairAction(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    CLOSE = "close"  # the platform's, never an officer's choice


# (state, action) → state. The department verifies the materials and decides (002 §二十六).
TRANSITIONS: dict[tuple[str, RepairAction], str] = {
    (RepairState.SUBMITTED, RepairAction.ACCEPT): RepairState.ACCEPTED,
    (RepairState.SUBMITTED, RepairAction.REJECT): RepairState.REJECTED,
    # R4, R6: the entry ended another way, or the record was revoked; nothing left to repair.
    (RepairState.SUBMITTED, RepairAction.CLOSE): RepairState.CLOSED,
}
# What the department may decide; closing follows from the target's end, not from a choice.
DECISIONS = frozenset({RepairAction.ACCEPT, RepairAction.REJECT})


def already_decided() -> XinyongError:
    return XinyongError("repair-already-decided", "该信用修复申请已办结，请刷新后查看", status=409)


def transition(state: str, action: RepairAction) -> str:
    """The state ``action`` leads to, or a refusal: a decided application is final."""
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise already_decided()
    return target
