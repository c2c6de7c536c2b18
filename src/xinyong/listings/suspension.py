"""A list's objection-suspension setting changed while objections to its entries are verified
(R6: during verification the measures based on the information are suspended, a setting per
list; R11: implementing departments stay current from the change feed).

Each effective entry of the list with an objection being verified gets a ``suspension`` event
saying whether its measures are now suspended or apply again; the feed's trigger turns it into
a ``suspended`` or ``resumed`` change (listings/migrations/0014). The caller changes the setting
and writes the audit row in the same transaction (the admin's).
"""

from __future__ import annotations

from typing import Any

from xinyong.audit import services as audit
from xinyong.core import clock
from xinyong.listings.models import EntryState, ListDefinition, ListEntry, ListEntryEvent

SUSPENSION = "suspension"


def record_setting_changed(definition: ListDefinition, *, actor: Any) -> int:
    """Write the event on each entry concerned; answers how many. Call it after the setting is
    saved: the events say the setting as it now is."""
    suspends = definition.objection_suspends_measures
    entries = ListEntry.objects.filter(
        list=definition, state=EntryState.EFFECTIVE, verification_due_on__isnull=False
    ).values_list("pk", flat=True)
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
            data={"suspends": suspends},
        )
        for pk in entries
    ]
    ListEntryEvent.objects.bulk_create(events)
    return len(events)
