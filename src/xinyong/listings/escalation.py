"""Entries that follow from others (R3): key monitoring after a black list (002 §二十一)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from xinyong.core.periods import period_end
from xinyong.listings.models import EntryState, ListDefinition, ListEntry, ListKind
from xinyong.listings.workflow import FINAL_STATES

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


@dataclasses.dataclass(frozen=True)
class Extension:
    """A live key-monitoring entry that runs on to the end a later black-list exit sets."""

    entry: ListEntry  # the live entry, as it is
    cause: ListEntry  # the unsaved monitoring entry the new exit would have started

    def apply(self) -> dict[str, object]:
        """Run the live entry on to the later end; answers the details of its history event."""
        before = self.entry.valid_until
        self.entry.valid_until = self.cause.valid_until
        self.entry.version += 1
        return {
            "origin": self.cause.origin_id,
            "valid_until_before": str(before),
            "valid_until": str(self.entry.valid_until),
        }


def _end(entry: ListEntry) -> dt.date:
    return entry.valid_until or dt.date.max  # no term: monitored until an exit


def place_monitoring(
    candidates: list[ListEntry],
) -> tuple[list[ListEntry], list[Extension], list[ListEntry]]:
    """Which key-monitoring entries to create, which live ones to extend, and which live ones
    have in fact ended (R3, 002 §二十一; R4).

    A subject is monitored once per monitoring list at a time (one live entry per subject and
    list): candidates for the same subject and list keep the latest end, and a subject already
    monitored on that list has its live entry run on to the later end; one that already runs as
    long, or has no term, or is still in procedure, is left as it is. A live entry whose last
    day came before the day the new monitoring starts, with a day between (the daily job has
    not exited it yet), has ended: it is answered among the ended, for the caller to exit by
    expiry, and the new monitoring starts on its own day, as daily runs would have had it. The
    live entries are locked; the caller applies and saves the extensions.
    """
    latest: dict[tuple[int, int], ListEntry] = {}
    for candidate in candidates:
        key = (candidate.list_id, candidate.subject_id)
        kept = latest.get(key)
        if kept is None or _end(candidate) > _end(kept):
            latest[key] = candidate
    if not latest:
        return [], [], []
    live = {
        (entry.list_id, entry.subject_id): entry
        for entry in ListEntry.objects.select_for_update()
        .filter(list_id__in={key[0] for key in latest}, subject_id__in={key[1] for key in latest})
        .exclude(state__in=FINAL_STATES)
    }
    new, extended, ended = [], [], []
    for key, candidate in latest.items():
        current = live.get(key)
        if current is None:
            new.append(candidate)
        elif _ended_before(current, candidate):
            ended.append(current)
            new.append(candidate)
        elif (
            current.state == EntryState.EFFECTIVE
            and current.valid_until is not None
            and current.valid_until < _end(candidate)
        ):
            extended.append(Extension(current, candidate))
    return new, extended, ended


def _ended_before(current: ListEntry, candidate: ListEntry) -> bool:
    """Whether a live monitoring entry's validity ended before the new monitoring starts, with
    at least a day between: the two are not one span of monitoring (R4: it ended by expiry)."""
    return (
        current.state == EntryState.EFFECTIVE
        and current.valid_until is not None
        and candidate.effective_on is not None
        and current.valid_until < candidate.effective_on - dt.timedelta(days=1)
    )
