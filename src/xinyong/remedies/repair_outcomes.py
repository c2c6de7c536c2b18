"""The outcome the department chooses when it accepts a repair (R8, 000 §九; 国办发〔2025〕22号).

An entry exits early (R4): the listing procedure has no other outcome for it. A record's
publication and sharing stop that day (the default); or its dishonesty tier goes one step down,
its window counted again from its decision date under that tier's rule (the catalog item's own,
else the default, as an import reads it); or its publication is shortened to a day the
department gives. The record is locked and its new dates worked out before the decision is
claimed, so an outcome refused changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from xinyong.catalog import selectors as catalog
from xinyong.catalog.models import CreditRecord, PublicationTier
from xinyong.catalog.publication import tier_bounds
from xinyong.core import repair_outcomes as rules
from xinyong.core.errors import XinyongError
from xinyong.remedies.models import RepairApplication, RepairOutcome

ENTRY_OUTCOMES = (RepairOutcome.EXIT,)
RECORD_OUTCOMES = (RepairOutcome.STOP, RepairOutcome.LOWER, RepairOutcome.SHORTEN)
# The record's columns and the names the rules give them.
RECORD_COLUMNS = {
    "tier": "tier", "published_on": "published_on", "min_ends_on": "publication_min_ends_on",
    "ends_on": "publication_ends_on", "ended_on": "publication_ended_on",
    "sharing_ends_on": "sharing_ends_on", "sharing_stopped_on": "sharing_stopped_on",
}  # fmt: skip
TIER_NAMES = {"minor": "轻微", "general": "一般"}  # the tiers a record may be lowered to


def chosen(application: RepairApplication, outcome: str | None) -> RepairOutcome:
    """The outcome asked for, or the default one; one the target cannot have is refused."""
    allowed = ENTRY_OUTCOMES if application.entry_id is not None else RECORD_OUTCOMES
    if not outcome:
        return allowed[0]
    if outcome not in allowed:
        message = (
            "名单记录的信用修复结果只能是提前退出"
            if application.entry_id is not None
            else "信用信息的修复结果只能是终止公示并停止共享、降低失信等级或缩短公示期"
        )
        raise XinyongError("repair-outcome-invalid", message, status=422)
    return RepairOutcome(outcome)


def dates_of(record: CreditRecord) -> rules.RecordDates:
    return rules.RecordDates(
        **{key: getattr(record, column) for key, column in RECORD_COLUMNS.items()}
    )


@dataclasses.dataclass
class RecordPlan:
    """A record's tier, seriousness and dates before and after the outcome, worked out but not
    yet written."""

    record: CreditRecord
    outcome: RepairOutcome
    before: rules.RecordDates
    after: rules.RecordDates
    was_serious: bool  # the flag as read when the record was locked

    @property
    def new_tier(self) -> str:
        return self.after.tier if self.outcome == RepairOutcome.LOWER else ""

    @property
    def new_ends_on(self) -> dt.date | None:
        """The last day the record is public after the outcome; None when it stops now."""
        if self.outcome == RepairOutcome.STOP or not self.after.shown:
            return None
        return self.after.ends_on

    @property
    def is_serious(self) -> bool:
        """Whether the record is serious dishonesty after the outcome: a lowered one follows its
        new tier, which is never serious (R8); the other outcomes leave the flag as it was."""
        if self.outcome == RepairOutcome.LOWER:
            return self.after.tier == PublicationTier.SERIOUS
        return self.was_serious

    def carry_out(self) -> None:
        for key, column in RECORD_COLUMNS.items():
            setattr(self.record, column, getattr(self.after, key))
        # Escalation to a black list and the subject's own page read the flag, not the tier: a
        # record lowered out of serious must stop counting as serious dishonesty (R3, R8).
        self.record.is_serious = self.is_serious
        changed = [c for c in RECORD_COLUMNS.values() if c != "published_on"]
        self.record.save(update_fields=[*changed, "is_serious"])

    def audit(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The record's tier, seriousness and dates before and after, for the decision's audit
        row: the original ones stay recoverable (R8)."""
        before = {**dataclasses.asdict(self.before), "is_serious": self.was_serious}
        after = {**dataclasses.asdict(self.after), "is_serious": self.is_serious}
        return before, after


def _lowered(record: CreditRecord, dates: rules.RecordDates, today: dt.date) -> rules.RecordDates:
    tier = rules.lower_tier(dates.tier)
    rule = catalog.tier_rule(record.catalog_item, tier)
    if rule is None:
        raise XinyongError(
            "repair-tier-no-rule",
            f"未设置“{TIER_NAMES[tier]}”失信等级的公示规则，不能降低失信等级",
            status=422,
        )
    low, high = tier_bounds(record.decision_date, rule)
    lowered = rules.lowered(
        dates, published=rule.is_published, min_ends_on=low, max_ends_on=high, today=today
    )
    if dates.published_on is None:
        # Never published (an item not disclosed to the public): the lower tier sets its
        # minimum and how long it is shared, not a publication it never had.
        lowered = dataclasses.replace(lowered, ends_on=dates.ends_on)
    return lowered


def plan_for_record(
    record_id: int, outcome: RepairOutcome, *, ends_on: dt.date | None, today: dt.date
) -> RecordPlan:
    """Lock the record and work out its dates after ``outcome`` (R8); a refusal changes nothing.

    A record revoked on a founded objection (R6) is no longer the subject's: nothing of it is
    repaired, its tier least of all. Read locked, so a revocation committed meanwhile is seen:
    with no key change, as a founded objection's decision locks it and as the repair's decision
    has already locked it before the application (``repairs.decide_repair``), so that inserts
    referring to the record go on."""
    record = CreditRecord.objects.select_for_update(no_key=True).get(pk=record_id)
    if record.revoked_on is not None:
        raise XinyongError(
            "repair-record-revoked", "该信息已经异议核实予以撤销，不能再作信用修复", status=409
        )
    before = dates_of(record)
    if outcome == RepairOutcome.SHORTEN and record.published_on is None:
        raise XinyongError(
            "repair-record-not-published", "该信息未公示，不能缩短公示期", status=409
        )
    if outcome == RepairOutcome.LOWER:
        after = _lowered(record, before, today)
    elif outcome == RepairOutcome.SHORTEN:
        after = rules.shortened(before, ends_on, today)
    else:
        after = rules.stopped(before, today)
    return RecordPlan(record, outcome, before, after, was_serious=record.is_serious)
