"""An entry past its last day of validity whose exit the daily job has not yet recorded: its
expiry recorded first, in the transaction of an objection's conclusion on it (R4, R6, R11).

The entry ended by expiry the day after its last day (R4), whenever the job records it. An
objection open then is still owed its conclusion (R6), and every other step on an effective
entry past its validity is refused (``workflow._refuse_after_validity``). Taken on the entry as
it is stored, effective, the conclusion was told in the change feed as "resumed" on the day it
was taken, after an end the feed told only later, and dated before it: a department reading the
feed in order applied measures again to an entry that had left the list (R11). So the expiry is
recorded first, as the daily job and an officer's expiry exit record it (``exits.end_entry``:
dated the day after the last day, announced, its records stopped, key monitoring started from
that day), as the platform's own step; the conclusion is then the officer's on the ended entry,
as it would have been had the job run on time, and tells the feed nothing more.
"""

from __future__ import annotations

from typing import Any

from xinyong.core import clock
from xinyong.listings import daily_job_lock
from xinyong.listings.models import EntryState, ExitReason, ListEntry
from xinyong.listings.services.exits import end_entry
from xinyong.listings.services.transitions import hold_list_row
from xinyong.listings.tick.bulk import SYSTEM


def expire_before_concluding(entry_id: int, *, actor: Any, version: int | None) -> int | None:
    """Record the expiry of ``entry_id`` first if it is effective and its last day of validity
    has passed; answers the version the conclusion is to check: the one the officer saw, moved
    on past the expiry the platform just recorded.

    Run in the conclusion's transaction, which must be atomic with it. The locks are taken in
    the order every step takes them (``transitions``), so the daily job, or another step on the
    entry, is waited for and its result read. Nothing is recorded for a caller whose step will
    be refused anyway: another department's officer (the entry is as unknown to it as to the
    step, R14) or a version that is no longer the entry's; the step itself then refuses."""
    daily_job_lock.wait_for_the_daily_job()
    hold_list_row(entry_id)
    row = (
        ListEntry.objects.select_for_update(of=("self",))
        .filter(pk=entry_id)
        .values_list("state", "valid_until", "version", "list__recognizing_department_id")
        .first()
    )
    if row is None:
        return version
    state, valid_until, current, department_id = row
    officer = getattr(actor, "officer", None)
    if (
        state != EntryState.EFFECTIVE
        or valid_until is None
        or valid_until >= clock.today()
        or (version is not None and version != current)
        or officer is None
        or officer.department_id != department_id
    ):
        return version
    expired = end_entry(
        entry_id, actor=SYSTEM, reason=ExitReason.EXPIRED, system=True,
        note=f"有效期至 {valid_until.isoformat()} 届满，办结异议时先行登记移出",
    )  # fmt: skip
    return None if version is None else expired.version
