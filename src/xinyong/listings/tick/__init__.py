"""The daily job (``xinyong tick``): set-based, idempotent and safe to run late (R1, R3, R4, R15).

Each step is a handful of statements over all the rows it concerns, never a round trip per row
(announcements, whose text masks names in Python, are written in batches). Every condition
reads stored dates, so a run after missed days catches up, with the dates the rules give
rather than the day of the run, and a second run finds nothing left to do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import transaction

from xinyong.audit import services as audit
from xinyong.listings import daily_job_lock
from xinyong.listings.tick.big_data_warnings import rebuild_big_data_warnings
from xinyong.listings.tick.black_list_proposals import propose_escalations
from xinyong.listings.tick.deadlines import count_deadlines, end_publicity_periods
from xinyong.listings.tick.expiry import expire_entries
from xinyong.remedies.repair_closures import close_for_decision_records


@dataclasses.dataclass
class TickReport:
    day: dt.date
    publicity_ended: int = 0
    expired: int = 0
    monitoring_started: int = 0
    monitoring_extended: int = 0
    warnings_added: int = 0
    warnings_ended: int = 0
    warnings_corrected: int = 0  # ended before a listing they rested on was found wrong (R6)
    proposals: int = 0
    record_repairs_closed_as_decisions: int = 0
    due_soon: int = 0
    overdue: int = 0

    @property
    def changed(self) -> int:
        return (
            self.publicity_ended + self.expired + self.monitoring_started
            + self.monitoring_extended + self.warnings_added + self.warnings_ended
            + self.warnings_corrected + self.proposals + self.record_repairs_closed_as_decisions
        )  # fmt: skip

    def lines(self) -> list[str]:
        return [f"{f.name}: {getattr(self, f.name)}" for f in dataclasses.fields(self)]


@transaction.atomic
def run_tick(day: dt.date) -> TickReport:
    """The daily job for ``day``; an audit row only when something changed.

    It runs alone (``daily_job_lock``): a run started while another is under way (two
    schedulers, a run by hand during the nightly one) waits for it, then finds nothing left to
    do, and officers' steps on entries wait for it or it for them.
    """
    daily_job_lock.run_alone()
    report = TickReport(day)
    report.publicity_ended = end_publicity_periods(day)
    # A serious record during the validity of key attention counts whether or not the entry
    # has exited by the time the job runs or the record arrives (R3).
    report.proposals = propose_escalations(day)
    report.expired, report.monitoring_started, report.monitoring_extended = expire_entries(day)
    report.warnings_added, report.warnings_ended, report.warnings_corrected = (
        rebuild_big_data_warnings(day)
    )
    # A repair application left open on a record that is a live listing's decision, which no
    # decision may accept or reject (R8): closed as the signature closes them.
    report.record_repairs_closed_as_decisions = close_for_decision_records(day)
    report.due_soon, report.overdue = count_deadlines(day)
    if report.changed:
        audit.record(
            actor=None, action="listing.tick", obj=("listings.tick", day.isoformat()),
            after=dataclasses.asdict(report),
        )  # fmt: skip
    return report
