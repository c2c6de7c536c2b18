"""Reads of the change feed: the changes implementing departments keep their systems current by
(R11), paged from a cursor (``changes_since``), and told of some entries over some days for the
judgment of a report of a measure applied (``changes_of_entries``).

Each change is told as the feed item kept it at the change, not as the entry stands (R11); an
objection is a change only where it suspends measures (R6), a person's objection to being named
only as a change of that naming (004 §二(三)6); and a caller reads only the changes of lists it
may see (R13) that concern whom one of its measures could apply to (R14, ``feed_targets``).
The positions are given by ``listings.feed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.db.models import Max, Q

from xinyong.core.errors import XinyongError
from xinyong.listings import feed_targets
from xinyong.listings.models import ChangeFeedItem, ListDefinition, ListEntry
from xinyong.listings.selectors import shared_to
from xinyong.subjects.models import Subject

CHANGE_KINDS = {
    "sign": "took_effect",
    "monitor": "took_effect",
    "warn": "took_effect",
    # A live key-monitoring entry run on to a later end (R3, 002 §二十一): a department that
    # keeps the entry's end from the feed must hear of it (R11).
    "extend": "extended",
    # Its end brought back earlier, when a black listing whose exit ran it on is found wrong
    # (R3, R4): a department must stop its monitoring measures at the new end (R11).
    "shorten": "shortened",
    # A red entry that a black listing found wrong had ended is in force again (R2, R6): a
    # department resumes its rewards, as for an entry that takes effect (R11).
    "reinstate": "took_effect",
    "exit": "ended",
}
# Objections to effective entries and their conclusions: changes only where they suspend (R6).
SUSPENSION_KINDS = {"object": "suspended", "uphold": "resumed"}
# A person an entry names objecting to being named suspends that naming only (R6, 004 §二(三)6):
# the change is told as the naming's, with the person, never as the entry's own.
NAMING_KINDS = {
    "suspended": "naming_suspended", "resumed": "naming_resumed",
    # The objection found founded: the naming is removed, and no measure reaches that person
    # through the entry any more; the entry and the subject's own measures stand (000 §十一.3).
    "ended": "naming_ended",
}  # fmt: skip
# Steps on a naming alone, each told as the naming's (``NAMING_KINDS``), never the entry's.
NAMING_STEPS = {"unname": "ended"}


class Change(NamedTuple):
    """One change of the feed, with the entry's end as it was at the change (R11); for a
    change of a naming (``NAMING_KINDS``), the id of the person named."""

    cursor: int
    kind: str
    entry: ListEntry
    business_date: dt.date
    valid_until: dt.date | None
    person_id: int | None = None
    person: Subject | None = None  # read with the page (``changes_since``)


# How many feed items a page reads at a time once its first read (``limit`` items) kept too
# few: a page reads on past skipped items, and a batch bounds what one read holds in memory.
FEED_BATCH = 500


def changes_since(
    cursor: int, limit: int, *, reaches: Callable[..., bool] | None = None,
    department_id: int | None = None,
) -> tuple[list[Change], int]:  # fmt: skip
    """Up to ``limit`` entries that took effect, were extended, ended, or were suspended or
    resumed, after ``cursor``; fewer only at the feed's end, so an empty page means caught up.

    The cursor is a position in the change feed (``listings.feed``), never an event id: an
    event that commits late is numbered after every position already read. Events committed
    but not yet numbered are numbered first. A suspension is an objection to an effective
    entry of a list whose objections suspend measures; its conclusion resumes them (R6). So
    does a change of that setting while the objection is verified (``listings.suspension``).
    Whether an objection suspends, and the entry's end, are as the feed item kept them at the
    change, not as they stand: a replay from an earlier cursor reads each step as it was. A
    person the entry names objecting to being named suspends that naming only: its changes are
    ``naming_suspended`` and ``naming_resumed``, with the person (``NAMING_KINDS``).

    ``reaches`` tells whether the caller may see the changes of a list's entries (R14: least
    privilege), and of each item, given whom it concerns (``feed_targets``: the organisation,
    a natural person, a role the entry names a person in), whether one of its measures could
    apply to them; ``None``: every list. ``department_id`` is the caller's department: of another
    department's lists, only those shared with every department (``shared_to``, R13), as its
    checks meet them; ``None``: every list. The lists both let through are read once and the
    feed is filtered by them in the database, so a caller that reaches only a rare list does not
    walk every other list's items; items still skipped (an objection that suspends nothing)
    are read past in batches until the page holds ``limit`` changes or the feed ends. Answers
    the changes and the cursor to ask from next: at the feed's end, the last position
    numbered when the page began, which passes every item the caller cannot see.

    A cursor beyond the feed's last position was never handed out by this feed (one kept
    across a restore of an older backup, or from another environment): it is refused
    (``cursor-ahead``), never answered as ``next``, which would pass over every change up to
    it for good. The caller reads again from 0, as the feed replays every change: its copy
    may differ from this feed anywhere, not only past the last position.
    """
    from xinyong.listings import feed

    if feed.pending():
        feed.assign_positions()
    # Everything numbered up to here is visible to the reads below: a position handed out
    # later is above it (``feed``), so ending the page there skips nothing.
    ceiling = ChangeFeedItem.objects.aggregate(last=Max("position"))["last"] or 0
    if cursor > ceiling:
        raise XinyongError(
            "cursor-ahead",
            f"游标{cursor}超出变更记录的末尾（目前最后的位置是{ceiling}），不是本平台发出的游标"
            "（可能来自数据库恢复前或其他环境）：请从 since=0 重新读取全部变更，"
            "并以其结果更新本系统的数据",
            status=422,
            last=ceiling,
        )
    scoped = reaches is not None or department_id is not None
    lists = _lists_reached(reaches, department_id) if scoped else None
    changes: list[Change] = []
    last, size = cursor, limit
    while True:
        items = _feed_items(last, size, ceiling, lists)
        roles = None if reaches is None else feed_targets.Roles(items)
        for item in items:
            last = item.position  # the next cursor passes what was read, kept or not
            change = _change_of(item, reaches, roles)
            if change is not None:
                changes.append(change)
                if len(changes) == limit:
                    return _with_persons(changes), last
        if len(items) < size:  # the feed's end
            return _with_persons(changes), max(last, ceiling)
        size = max(limit, FEED_BATCH)


def _with_persons(changes: list[Change]) -> list[Change]:
    """The changes with the persons of the namings they tell of, read in one query."""
    ids = {change.person_id for change in changes if change.person_id is not None}
    if not ids:
        return changes
    persons = Subject.objects.in_bulk(ids)
    return [
        change._replace(person=persons.get(change.person_id)) if change.person_id else change
        for change in changes
    ]


def _lists_reached(reaches: Callable[..., bool] | None, department_id: int | None) -> list[int]:
    """The ids of the lists shared with ``department_id`` (``None``: every list) that
    ``reaches`` lets through (``None``: all of them): lists are few, and read once a page."""
    definitions = ListDefinition.objects.only("pk", "kind", "domain_id")
    if department_id is not None:
        definitions = definitions.filter(shared_to(department_id, prefix=""))
    return [d.pk for d in definitions if reaches is None or reaches(d)]


def _feed_items(
    after: int, size: int, ceiling: int, lists: list[int] | None
) -> list[ChangeFeedItem]:
    """The next ``size`` feed items after position ``after`` up to ``ceiling``, of ``lists``
    only when given, with the entry, its list, domain and subject read in the same query: no
    query per item."""
    items = ChangeFeedItem.objects.filter(position__gt=after, position__lte=ceiling)
    if lists is not None:
        items = items.filter(event__entry__list_id__in=lists)
    return list(
        items.select_related("event__entry__list__domain", "event__entry__subject").order_by(
            "position"
        )[:size]
    )


def _change_kind(item: ChangeFeedItem) -> str | None:
    """What a feed item changed of what applies; ``None``: an objection on a list whose
    objections suspend nothing, which changes nothing (R6). An objection of a person the entry
    names, its conclusion, or a change of the setting under it, changes that naming only; so
    does the removal of the naming when that objection is founded (``unname``: ``naming_ended``,
    R6, 000 §十一.3, 004 §二(三)6)."""
    action = item.event.action
    if action in CHANGE_KINDS:
        return CHANGE_KINDS[action]
    kind = None
    if action in NAMING_STEPS:  # a naming removed: an objection to it found founded
        kind = NAMING_STEPS[action]
    elif action in SUSPENSION_KINDS:
        kind = SUSPENSION_KINDS[action] if item.objection_suspends else None
    elif action == "suspension":  # the list's setting changed under an objection
        kind = "suspended" if item.objection_suspends else "resumed"
    if kind is not None and _objector_person(item) is not None:
        return NAMING_KINDS[kind]
    return kind


def _objector_person(item: ChangeFeedItem) -> int | None:
    """The person whose naming the item's objection disputes, as its event recorded it."""
    return item.event.data.get("objector_person")


def _change_of(
    item: ChangeFeedItem, reaches: Callable[..., bool] | None,
    roles: feed_targets.Roles | None = None,
) -> Change | None:  # fmt: skip
    """The change a feed item tells this caller, or ``None`` when it tells none (R6, R14):
    with ``reaches``, only where one of its measures could apply to whom the item concerns,
    by the roles the page's entries name persons in (``roles``)."""
    kind = _change_kind(item)
    event = item.event
    if kind is None:
        return None
    if reaches is not None:
        person = _objector_person(item) if kind in NAMING_KINDS.values() else None
        targets = (roles or feed_targets.Roles([item])).targets(item, person)
        if not reaches(event.entry.list, targets):
            return None
    day = event.business_date
    if kind == "ended" and item.valid_until is not None and item.valid_until < day:
        # The exit's own day: an expiry an officer records late ends the day after the last
        # day of validity, as the daily job dates it (R4), not the day it was recorded. Read
        # from the end the item kept at the exit, not from the entry's ``exited_on`` as it
        # stands: a red entry put back in force and ended again later (``reinstate``, R6) has
        # two exits, and the first is told on its own day when the feed is replayed (R11). An
        # exit recorded after the last day is an expiry: the workflow refuses any other then.
        day = item.valid_until + dt.timedelta(days=1)
    return Change(item.position, kind, event.entry, day, item.valid_until, _objector_person(item))


def changes_of_entries(
    entry_ids: Iterable[int], since: dt.date, through: dt.date, subject_id: int | None = None,
    *, recorded_after: dt.datetime | None = None, recorded_by: dt.datetime | None = None,
) -> list[tuple[int, str, dt.date, dt.date | None]]:  # fmt: skip
    """What the change feed tells of these entries from ``since`` up to and with ``through``:
    (entry id, kind, day, its end at the change), in the order they happened (by day, then as
    recorded). Read for a report of a measure applied on a day since its check (R4, R6, R11),
    from the check's own day: a change recorded that day after the check (an exit, an
    objection) must count, and one recorded before it only repeats what the check found. The
    feed is the history departments keep their systems current by, told as ``changes_since``
    tells it (an expiry recorded late on the day after the last day).

    ``recorded_after``, the check's time: a change recorded after it counts even when dated
    before ``since``, as the daily job run after missed days dates a step on the day it took
    effect (a key monitoring run on to a later end by an exit of a missed day, R3, R15): the
    check could not have seen it. ``recorded_by``, the check's time too: only the changes
    recorded up to it, the history the check was answered on (which objections it found open,
    ``measures.outcomes.open_at_check``).

    Told as it concerns ``subject_id``, the subject checked: a named person's objection
    suspends or resumes the entry's measures on that person only (``NAMING_KINDS``, R6), so
    it is told to a check of that person, and not at all to any other. It stays
    ``naming_suspended`` or ``naming_resumed``, apart from the entry's own ``suspended`` and
    ``resumed``: both may be open at once, and the conclusion of one leaves the measures
    suspended while the other is verified (``measures.outcomes.live_on``). The naming removed
    (``naming_ended``) is told as ``ended``: no measure reaches the person through the entry
    any more (000 §十一.3)."""
    as_entry = {NAMING_KINDS["ended"]: "ended"}
    naming_kinds = set(NAMING_KINDS.values())
    dated = Q(event__business_date__gte=since)
    if recorded_after is not None:
        dated |= Q(event__at__gt=recorded_after)
    items = (
        ChangeFeedItem.objects.filter(dated, event__entry_id__in=list(entry_ids))
        .select_related("event__entry")
        .order_by("event_id")
    )
    if recorded_by is not None:
        items = items.filter(event__at__lte=recorded_by)
    told = []
    for item in items:
        change = _change_of(item, None)
        late = recorded_after is not None and item.event.at > recorded_after
        if change is None or not (since <= change.business_date or late):
            continue
        if change.business_date > through:
            continue
        kind = change.kind
        if kind in naming_kinds:
            if change.person_id != subject_id:
                continue
            kind = as_entry.get(kind, kind)
        told.append((item.event.entry_id, kind, change.business_date, change.valid_until))
    return sorted(told, key=lambda change: change[2])  # stable: as recorded within a day
