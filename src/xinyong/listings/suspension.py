"""An entry's measures suspended, or applying again, while an objection to it is verified,
for a reason other than the objection and its conclusion (R6: during verification the measures
based on the information are suspended, a setting per list; R11: implementing departments stay
current from the change feed).

A ``suspension`` event says whether the entry's measures are now suspended or apply again; the
feed's trigger turns it into a ``suspended`` or ``resumed`` change (listings/migrations/0014)
or, where the objection is a named person's against being named, a change of that naming only
(``objector_person``); the conclusion of the objection resumes measures after it. Two steps
write one:

- a list's objection-suspension setting changed (``record_setting_changed``): each effective
  entry of the list with an objection being verified gets one. The caller changes the setting
  and writes the audit row in the same transaction (the admin's);
- a red entry put back in force while an objection to it is still verified
  (``record_reinstated_under_objection``): the reinstatement is told as ``took_effect``, which
  alone would have a department apply its rewards again.

A setting change is a step on those entries, and takes its locks in the order every step takes
them (``listings.daily_job_lock``, ``listings.services.transitions``): the daily job's lock shared,
first, before the list's row is written (:func:`before_the_change`), then the list's row, then
the entries. Without the job's lock, a change saved while the daily job exited an entry under
objection read the entry as still effective, waited for its row, and wrote its event after the
exit: the feed told "resumed" (or "suspended") after "ended", measures applying again on an entry
that had left the list (R4, R11), and its history a step the exited entry never took. Now the
change waits for the job and reads what it committed, and a job starting meanwhile waits for
the change.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from xinyong.audit import services as audit
from xinyong.core import clock
from xinyong.listings import daily_job_lock, selectors
from xinyong.listings.models import (
    EntryState,
    ListDefinition,
    ListEntry,
    ListEntryEvent,
    ListEntryPerson,
)

SUSPENSION = "suspension"


def before_the_change() -> None:
    """Called first in the change's transaction, before the list's row is written: the daily
    job's lock shared (see the module). Taken after the row, a job that reached the row while
    the change waited for the job would wait in a circle, and one of the two be rolled back."""
    daily_job_lock.wait_for_the_daily_job()


def record_setting_changed(definition: ListDefinition, *, actor: Any) -> int:
    """Write the event on each entry concerned; answers how many. Call it after the setting is
    saved, in the same transaction, which called :func:`before_the_change` first: the events
    say the setting as it now is.

    The entries are read locked, in id order, as the daily job locks those it exits: a step on
    one of them under way (an exit, an objection concluded) is waited for, and the entry is
    then taken only if it is still in force and under objection (R4, R6, R11).

    In force: effective and within its validity (``selectors.in_force``). One whose last day
    has passed ended by expiry the day after (R4), whether or not the daily job has yet
    recorded it; its measures stopped then, and the setting no longer reaches them. An event
    on it would have the feed tell them "resumed" (or "suspended") after their end, before the
    job tells that end, dated earlier (R11)."""
    before_the_change()  # held already by a caller that took it first; taken again, it is kept
    suspends = definition.objection_suspends_measures
    naming_open = ListEntryPerson.objects.filter(
        entry=OuterRef("pk"), verification_due_on__isnull=False
    )
    locked = list(
        ListEntry.objects.select_for_update()
        .filter(Q(verification_due_on__isnull=False) | Exists(naming_open),
                selectors.in_force(clock.today()), list=definition)
        .order_by("pk")
        .values_list("pk", "verification_due_on")
    )  # fmt: skip
    # One event per objection open: the entry's own, and each person's to being named.
    entries = [(pk, None) for pk, due in locked if due is not None]
    entries += (
        ListEntryPerson.objects.filter(
            entry_id__in=[pk for pk, _ in locked], verification_due_on__isnull=False
        )
        .values_list("entry_id", "person_id")
        .distinct()
    )
    entries.sort(key=lambda pair: (pair[0], pair[1] is not None, pair[1] or 0))
    reason = (
        "名单设置变更：异议核实期间暂停实施相关措施"
        if suspends
        else "名单设置变更：异议核实期间不暂停措施，相关措施恢复实施"
    )
    day, who = clock.today(), audit.describe_actor(actor)[0]
    events = [
        ListEntryEvent(
            entry_id=pk,
            action=SUSPENSION,
            from_state=EntryState.EFFECTIVE,
            to_state=EntryState.EFFECTIVE,
            business_date=day,
            actor=who,
            reason=reason,
            # A person's objection to being named: the setting reaches that naming only.
            data={"suspends": suspends, **({} if person is None else {"objector_person": person})},
        )
        for pk, person in entries
    ]
    ListEntryEvent.objects.bulk_create(events)
    return len(events)


def record_reinstated_under_objection(entry: ListEntry, *, actor: Any) -> bool:
    """After ``entry``, a red entry put back in force (``services.restoration``), an event
    saying its measures are suspended, when an objection to it is still verified and its list
    suspends measures then; answers whether it wrote one.

    The objection was recorded while the entry was in force and stayed open through the exit
    that a black listing found wrong caused (R2; ``workflow``: an open objection is still
    answered on an exited entry): back in force, the entry is what it was before that exit,
    its measures suspended until the objection is concluded (R6, 000 §十一.3). The feed told
    ``suspended``, then ``ended``, then ``took_effect`` of it; a department that reads
    ``took_effect`` as "applies" must hear next that it is suspended (R11), and a report of
    its reward applied meanwhile is refused as the feed tells it (``measures.services``)."""
    # One event per objection open: the entry's own, and each person's to being named, which
    # suspends that naming only.
    persons: list[int | None] = [None] if entry.is_suspended_by_objection else []
    if entry.is_naming_suspended_by_objection:
        persons += [naming.person_id for naming in entry.naming_objections]
    for person in persons:
        ListEntryEvent.objects.create(
            entry=entry, action=SUSPENSION, from_state=EntryState.EFFECTIVE,
            to_state=EntryState.EFFECTIVE, business_date=clock.today(),
            actor=audit.describe_actor(actor)[0],
            reason="恢复列入时异议仍在核实中：核实期间暂停实施相关措施",
            data={"suspends": True, "reinstated": True,
                  **({} if person is None else {"objector_person": person})},
        )  # fmt: skip
    return bool(persons)
