"""Writes of the listing procedure: one verb each, one transaction, one audit row (R1–R6).

Every state change goes through ``transitions.transition`` (the lock, the version the officer
saw, the workflow's edge and guard, the history event, the audit row, the notification after
commit). The verbs live by stage: ``candidacy`` (proposal to verification, rejection and
withdrawal), ``decision`` (signature), ``exits`` (exit, the key monitoring it starts, and
the correction of an ended entry that an objection open at its end found wrong),
``restoration`` (the red entries a black listing found wrong had ended, restored with it),
``repair_ruling`` (a decision's ruling that an entry is not repairable, found wrong, lifted),
``namings`` (a person an entry names, removed when its objection to being named is founded)
and ``stated_measures`` (the measures decisions state, restated when the list renames one).
"""

from xinyong.listings.services.candidacy import (
    OBJECTION_VERIFIED_WITHIN_DAYS,
    notify_subject,
    propose_listing,
    record_objection,
    reject_listing,
    start_publicity,
    uphold_after_verification,
    withdraw_listing,
)
from xinyong.listings.services.decision import sign_decision
from xinyong.listings.services.exits import correct_after_exit, exit_entry
from xinyong.listings.services.namings import remove_naming_after_verification
from xinyong.listings.services.repair_ruling import lift_not_repairable
from xinyong.listings.services.stated_measures import restate_renamed_measures
from xinyong.listings.services.transitions import snapshot

__all__ = [
    "OBJECTION_VERIFIED_WITHIN_DAYS",
    "correct_after_exit",
    "exit_entry",
    "lift_not_repairable",
    "notify_subject",
    "propose_listing",
    "record_objection",
    "reject_listing",
    "remove_naming_after_verification",
    "restate_renamed_measures",
    "sign_decision",
    "snapshot",
    "start_publicity",
    "uphold_after_verification",
    "withdraw_listing",
]
