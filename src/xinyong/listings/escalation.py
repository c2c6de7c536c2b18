"""Entries that follow from others (R3): key monitoring after a black list (002 §二十一)."""

from __future__ import annotations

import datetime as dt

from xinyong.core.periods import period_end
from xinyong.listings.models import EntryState, ListDefinition, ListEntry, ListKind

Targets = tuple[dict[int, ListDefinition], dict[int, ListDefinition], ListDefinition | None]


def monitoring_targets() -> Targets:
    """Key-monitoring lists by domain, by recognizing department, and a platform-wide one.

    The platform-wide list is one the credit office keeps (its department is the credit office).
    """
    lists = list(
        ListDefinition.objects.filter(kind=ListKind.KEY_MONITORING)
        .select_related("recognizing_department")
        .order_by("-id")
    )
    platform = next((d for d in lists if d.recognizing_department.is_credit_office), None)
    return (
        {d.domain_id: d for d in lists},
        {d.recognizing_department_id: d for d in lists},
        platform,
    )


def monitoring_entry(entry: ListEntry, start: dt.date, targets: Targets) -> ListEntry | None:
    """The (unsaved) key-monitoring entry that follows a black-list exit, if the black list sets
    a monitoring period and a key-monitoring list exists: of its domain, of its department, or
    the credit office's, in that order."""
    months = entry.list.monitoring_months
    by_domain, by_department, platform = targets
    target = (
        by_domain.get(entry.list.domain_id)
        or by_department.get(entry.list.recognizing_department_id)
        or platform
    )
    if not months or target is None:
        return None
    return ListEntry(
        list=target, subject_id=entry.subject_id, state=EntryState.EFFECTIVE, origin=entry,
        facts=f"移出{entry.list.name}后重点监测", basis=target.legal_basis, proposed_on=start,
        effective_on=start, valid_until=period_end(start, months, "months"),
    )  # fmt: skip
