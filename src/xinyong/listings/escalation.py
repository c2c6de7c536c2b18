"""Entries that follow from others (R3): key monitoring after a black list (002 §二十一), and
what is left of it when the black listing is found wrong after its exit (R4, R6)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from xinyong.core.periods import period_end
from xinyong.listings.models import (
    EntryState,
    ExitReason,
    ListDefinition,
    ListEntry,
    ListEntryEvent,
    ListKind,
)
from xinyong.listings.workflow import FINAL_STATES, Action

Targets = tuple[dict[int, ListDefinition], dict[int, ListDefinition], ListDefinition | None]


def monitoring_targets() -> Targets:
    """Key-monitoring lists by domain, by recognizing department, and a platform-wide one.

    The platform-wide list is one the credit office keeps (its department is the credit office).
    """
    return targets_among(
        ListDefinition.objects.filter(kind=ListKind.KEY_MONITORING).select_related(
            "recognizing_department"
        )
    )


def targets_among(lists: Iterable[ListDefinition]) -> Targets:
    """``monitoring_targets`` of key-monitoring lists already read (their recognizing
    department selected with them)."""
    lists = sorted((d for d in lists if d.kind == ListKind.KEY_MONITORING), key=lambda d: -d.pk)
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


@dataclasses.dataclass(frozen=True)
class Requirement:
    """A black-list exit that requires monitoring an entry already provides as long or longer:
    merged with a longer candidate of the same day, or ending no later than a live entry. It
    changes nothing of the entry, but is kept in its history with the end it would set, so a
    correction of the exit that set the entry's end leaves the subject monitored for this one
    (R3, R4; ``withdraw_monitoring``)."""

    entry: ListEntry  # the live entry, or the new one once saved
    cause: ListEntry  # the unsaved monitoring entry this exit would have started

    def details(self) -> dict[str, object]:
        """The details of its history event: the exit and the end it requires."""
        return {"origin": self.cause.origin_id, "valid_until": str(self.cause.valid_until)}


@dataclasses.dataclass
class Placement:
    """What black-list exits do to key monitoring (``place_monitoring``)."""

    new: list[ListEntry]  # entries to create
    extended: list[Extension]  # live entries run on to a later end
    ended: list[ListEntry]  # live entries whose validity had ended: they exit by expiry first
    required: list[Requirement]  # exits recorded on an entry they leave as it is


def place_monitoring(candidates: list[ListEntry]) -> Placement:
    """Which key-monitoring entries to create, which live ones to extend, which live ones have
    in fact ended, and which exits require monitoring an entry already provides (R3, 002 §二十一;
    R4).

    A subject is monitored once per monitoring list at a time (one live entry per subject and
    list): candidates for the same subject and list keep the latest end, and a subject already
    monitored on that list has its live entry run on to the later end; one that already runs as
    long, or has no term, or is still in procedure, is left as it is. A live entry whose last
    day came before the day the new monitoring starts, with a day between (the daily job has
    not exited it yet), has ended: it is answered among the ended, for the caller to exit by
    expiry, and the new monitoring starts on its own day, as daily runs would have had it. Every
    exit that neither starts nor runs on the entry that monitors the subject (a shorter
    candidate merged, or one no later than the live entry) is answered as a requirement of that
    entry. The live entries are locked; the caller applies and saves the extensions, and records
    the requirements once the new entries are saved.
    """
    latest: dict[tuple[int, int], ListEntry] = {}
    merged: dict[tuple[int, int], list[ListEntry]] = {}
    for candidate in candidates:
        key = (candidate.list_id, candidate.subject_id)
        kept = latest.get(key)
        if kept is None or _end(candidate) > _end(kept):
            latest[key] = candidate
        if kept is not None:
            merged.setdefault(key, []).append(candidate if latest[key] is kept else kept)
    placement = Placement([], [], [], [])
    if not latest:
        return placement
    live = {
        (entry.list_id, entry.subject_id): entry
        for entry in ListEntry.objects.select_for_update()
        .filter(list_id__in={key[0] for key in latest}, subject_id__in={key[1] for key in latest})
        .exclude(state__in=FINAL_STATES)
    }
    for key, candidate in latest.items():
        current = live.get(key)
        monitor, others = candidate, merged.get(key, [])
        if current is None:
            placement.new.append(candidate)
        elif _ended_before(current, candidate):
            placement.ended.append(current)
            placement.new.append(candidate)
        elif (
            current.state == EntryState.EFFECTIVE
            and current.valid_until is not None
            and current.valid_until < _end(candidate)
        ):
            placement.extended.append(Extension(current, candidate))
            monitor = current
        else:  # it runs as long already, or has no term, or is still in procedure
            monitor, others = current, [candidate, *others]
        placement.required += [Requirement(monitor, other) for other in others]
    return placement


def _ended_before(current: ListEntry, candidate: ListEntry) -> bool:
    """Whether a live monitoring entry's validity ended before the new monitoring starts, with
    at least a day between: the two are not one span of monitoring (R4: it ended by expiry)."""
    return (
        current.state == EntryState.EFFECTIVE
        and current.valid_until is not None
        and candidate.effective_on is not None
        and current.valid_until < candidate.effective_on - dt.timedelta(days=1)
    )


# The history's actions on a key-monitoring entry's end: an exit runs it on (``Extension``); a
# correction takes that back (``Withdrawal``), which the change feed tells as shortened, never
# as extended (R11); an exit that requires no longer than the entry runs is kept as a
# requirement (``Requirement``), which changes nothing a department applies and is not fed.
EXTEND = "extend"
SHORTEN = "shorten"
MONITOR_AGAIN = "monitor_again"


def _resting_on(origin: ListEntry) -> QuerySet[ListEntry]:
    """The key-monitoring entries a black-list exit started (their ``origin``), ran on to a
    later end (an ``extend`` event naming it, as both the daily job and an officer's exit write
    it: ``Extension.apply``) or required as they ran (a ``monitor_again`` event)."""
    named = ListEntryEvent.objects.filter(
        action__in=[EXTEND, MONITOR_AGAIN], data__origin=origin.pk
    )
    return ListEntry.objects.filter(list__kind=ListKind.KEY_MONITORING).filter(
        Q(origin=origin) | Q(pk__in=named.values("entry_id"))
    )


def resting_on(origins: Iterable[ListEntry]) -> QuerySet[ListEntry]:
    """The key-monitoring entries, ended or not, resting on any of these black-list exits
    (``_resting_on``): what a check answered as monitoring yet to be recorded became."""
    pks = [origin.pk for origin in origins]
    named = ListEntryEvent.objects.filter(action__in=[EXTEND, MONITOR_AGAIN], data__origin__in=pks)
    return ListEntry.objects.filter(list__kind=ListKind.KEY_MONITORING).filter(
        Q(origin__in=pks) | Q(pk__in=named.values("entry_id"))
    )


def monitoring_of(origin: ListEntry) -> list[int]:
    """The live key-monitoring entries resting on a black-list exit (``_resting_on``), in id
    order; read without locks, for the caller to hold what it must first."""
    return list(
        _resting_on(origin)
        .exclude(state__in=FINAL_STATES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def ended_monitoring_of(origin: ListEntry) -> list[int]:
    """The key-monitoring entries resting on a black-list exit that had already ended (by
    expiry) when its listing was found wrong, in id order, read without locks (R3, R4, R6).

    Left out: one found wrong already (ended as corrected, or with a ``correct`` step), which
    is not corrected twice. One under an objection of its own is in, for the caller to hold
    before it looks again (``left_to_correct``): its department's finding may be committing."""
    return list(
        _resting_on(origin)
        .filter(state=EntryState.EXITED)
        .exclude(exit_reason=ExitReason.CORRECTED)
        .exclude(Exists(ListEntryEvent.objects.filter(entry=OuterRef("pk"), action=Action.CORRECT)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def left_to_correct(withdrawals: list[Withdrawal]) -> list[ListEntry]:
    """Of the ended key-monitoring entries a listing found wrong leaves (``withdraw_monitoring``,
    which locked them), those it corrects after their exit (R3, R6, 000 §十一.3): resting on
    nothing left, with no objection of their own open and not found wrong meanwhile, as read
    under their locks.

    One under an objection of its own is left to its department's finding (R6), as a big-data
    warning is (``tick.big_data_warnings``): found founded, that finding corrects it; found
    unfounded, the same step corrects it for the listings found wrong (``undone_by``). Held
    first, it is not missed between the two: a finding committing meanwhile is waited for and
    then seen here, and one that waits for this correction then sees it.

    Its own objection is the entry's, which disputes the listing itself: a correction would
    leave it no founded answer (a listing is corrected once). A person's objection to being
    named disputes only that naming (004 §二(三)6) and holds nothing back: it stays open on the
    corrected entry, answered by an uphold or by removing the naming (R6, 000 §十一.3)."""
    undone = [w.entry for w in withdrawals if not w.stands and w.entry.verification_due_on is None]
    corrected = set(
        ListEntryEvent.objects.filter(entry__in=undone, action=Action.CORRECT).values_list(
            "entry_id", flat=True
        )
    )
    return [entry for entry in undone if entry.pk not in corrected]


def undone_by(entry: ListEntry) -> ListEntryEvent | None:
    """For an ended key-monitoring entry, held, with no objection of its own open: the
    ``correct`` step of the last black listing found wrong, when every exit its term rested on
    was found wrong (R3, R6, 000 §十一.3); else None, as for one rightly monitored, one started
    otherwise or one found wrong already (``withdraw_monitoring``).

    A listing found wrong while the entry's own objection was verified left it to that finding
    (``left_to_correct``); found unfounded, the finding asks this, to correct it once, naming
    the listing whose finding left it resting on nothing. A person's objection to being named
    left nothing to its finding, and asks nothing: only the entry's own is looked at."""
    if (
        entry.list.kind != ListKind.KEY_MONITORING
        or entry.state != EntryState.EXITED
        or entry.exit_reason == ExitReason.CORRECTED
        or entry.verification_due_on is not None
        or entry.events.filter(action=Action.CORRECT).exists()
    ):
        return None
    causes = _causes_of([entry])[entry.pk]
    if None in causes:
        return None  # started or run on otherwise: no finding on a listing undoes it
    findings = list(
        ListEntryEvent.objects.filter(entry_id__in=causes, action=Action.CORRECT)
        .select_related("entry__list")
        .order_by("pk")
    )
    if not set(causes) <= {finding.entry_id for finding in findings}:
        return None
    return findings[-1]


@dataclasses.dataclass(frozen=True)
class Withdrawal:
    """A live key-monitoring entry once a black-list exit it rested on no longer counts: its
    end comes back earlier (a ``shorten`` event) or, resting on nothing left, it exits."""

    entry: ListEntry  # the live entry, as it is
    corrected: ListEntry  # the black entry whose listing was found wrong
    valid_until: dt.date | None  # the end the exits still standing set
    stands: bool  # whether any exit still standing monitors the subject at all

    def apply(self) -> dict[str, object]:
        """Bring the entry's end back to what the standing exits set; answers the details of
        its history event, which name the correction instead of an origin."""
        before = self.entry.valid_until
        self.entry.valid_until = self.valid_until
        self.entry.version += 1
        return {
            "corrected": self.corrected.pk,
            "valid_until_before": str(before),
            "valid_until": str(self.entry.valid_until),
        }


def withdraw_monitoring(corrected: ListEntry, entry_ids: list[int]) -> list[Withdrawal]:
    """What the black listing ``corrected``, found wrong after its exit, leaves of the key
    monitoring that exit started or ran on (R3, R4, R6): the entries whose term changes, locked.

    A monitoring entry's term is the latest of the ends its exits set: the exit that started it
    (its ``origin``, to the end it started with), each exit that ran it on (its ``extend``
    event, with the end it set) and each that required it for no longer than it ran (its
    ``monitor_again`` event, with the end it would have set). An exit whose listing was found
    wrong, this one or an earlier one (its ``correct`` step), no longer counts; an entry started
    otherwise (no origin) or run on by an event that names no exit always does. With no exit
    left the entry rested only on listings found wrong (``stands`` false); otherwise it keeps
    the latest end left, answered only if that is earlier than its end now (a ``shorten``).
    An entry another exit ran on later than this one keeps that later end: the subject is
    monitored for that exit (R3).
    """
    entries = list(ListEntry.objects.select_for_update().filter(pk__in=entry_ids).order_by("pk"))
    causes = _causes_of(entries)
    origins = {cause for each in causes.values() for cause in each if cause is not None}
    found_wrong = {corrected.pk} | set(
        ListEntryEvent.objects.filter(entry_id__in=origins, action=Action.CORRECT).values_list(
            "entry_id", flat=True
        )
    )
    withdrawals = []
    for entry in entries:
        standing = [end for cause, end in causes[entry.pk].items() if cause not in found_wrong]
        if not standing:
            withdrawals.append(Withdrawal(entry, corrected, entry.valid_until, stands=False))
            continue
        end = max(standing, key=lambda day: day or dt.date.max)
        if _end(entry) > (end or dt.date.max):
            withdrawals.append(Withdrawal(entry, corrected, end, stands=True))
    return withdrawals


def _causes_of(entries: list[ListEntry]) -> dict[int, dict[int | None, dt.date | None]]:
    """Each monitoring entry's causes (``_causes``), from its history, by its id."""
    history: dict[int, list[tuple[str, dict[str, Any]]]] = {entry.pk: [] for entry in entries}
    for entry_id, action, data in (
        ListEntryEvent.objects.filter(
            entry__in=entries, action__in=[EXTEND, SHORTEN, MONITOR_AGAIN]
        )
        .order_by("pk")
        .values_list("entry_id", "action", "data")
    ):
        history[entry_id].append((action, data))
    return {entry.pk: _causes(entry, history[entry.pk]) for entry in entries}


def _causes(
    entry: ListEntry, history: list[tuple[str, dict[str, Any]]]
) -> dict[int | None, dt.date | None]:
    """The exits a monitoring entry's term rests on (``None``: none named), each with the
    latest end it set or required. The first change of its end says the end it started with."""
    changes = [data for action, data in history if action in (EXTEND, SHORTEN)]
    started_until = (
        _day(changes[0].get("valid_until_before"), entry.valid_until)
        if changes
        else entry.valid_until
    )
    causes: dict[int | None, dt.date | None] = {entry.origin_id: started_until}
    for action, data in history:
        if action == SHORTEN or "corrected" in data:  # a correction sets no end of an exit
            continue
        cause, end = data.get("origin"), _day(data.get("valid_until"), entry.valid_until)
        kept = causes.get(cause, dt.date.min)
        causes[cause] = end if (end or dt.date.max) > (kept or dt.date.max) else kept
    return causes


def _day(text: object, default: dt.date | None) -> dt.date | None:
    """A day an event's details recorded; ``default`` where they did not (an event written
    before its details were kept)."""
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        return default
