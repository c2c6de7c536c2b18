"""Reads of the listing procedure, shaped for the API and the back-office pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.apps import apps
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from xinyong.access.roles import may_sign
from xinyong.calendars.selectors import work_calendar
from xinyong.catalog.models import ShareScope
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.masking import mask_subject_name
from xinyong.listings import feed_targets, workflow
from xinyong.listings.models import (
    ChangeFeedItem,
    EntryState,
    ExitReason,
    ListDefinition,
    ListEntry,
    ListEntryEvent,
    ListEntryPerson,
    ListKind,
)
from xinyong.subjects.models import Subject
from xinyong.subjects.protection import identifier_digest


def _department_id(actor: Any) -> int:
    officer = getattr(actor, "officer", None)
    if officer is None:
        raise XinyongError("officer-required", "需由部门工作人员操作", status=403)
    return officer.department_id


def entries_for(actor: Any) -> QuerySet[ListEntry]:
    """The entries an officer may see: those of lists their department keeps."""
    return ListEntry.objects.filter(
        list__recognizing_department_id=_department_id(actor)
    ).select_related("list__domain", "list__recognizing_department", "subject")


def filter_entries(
    actor: Any,
    *,
    state: str | None = None,
    kind: str | None = None,
    list_code: str | None = None,
    subject: str | None = None,
) -> QuerySet[ListEntry]:
    for name, value, known in (("state", state, EntryState), ("kind", kind, ListKind)):
        if value and value not in known.values:
            # An unknown filter would answer an empty list, as if nothing matched.
            raise XinyongError(
                f"unknown-{name}", f"{name} 须为以下之一：{'、'.join(known.values)}", status=422
            )
    entries = entries_for(actor)
    if state:
        entries = entries.filter(state=state)
    if kind:
        entries = entries.filter(list__kind=kind)
    if list_code:
        entries = entries.filter(list__code=list_code)
    if subject:
        entries = entries.filter(Q(subject__identifier_digest=identifier_digest(subject)) | Q(
            subject__name__contains=subject.strip()
        ))  # fmt: skip
    return entries.order_by("-id")


def entry_for(actor: Any, entry_id: int) -> ListEntry:
    entry = entries_for(actor).filter(pk=entry_id).first()
    if entry is None:
        # Another department's entry is as invisible as a missing one.
        raise XinyongError("entry-not-found", "名单记录不存在", status=404)
    return entry


def allowed_actions(entry: ListEntry) -> list[str]:
    """The actions the entry's state has (the API's list, whoever asks)."""
    return [str(action) for action in workflow.allowed_actions(entry.state)]


def _guard_context(entry: ListEntry, actor: Any, today: dt.date) -> workflow.Context:
    return workflow.Context.of(
        entry, today=today, actor_can_sign=may_sign(actor),
        origin_found_wrong_on=origin_found_wrong_on(entry),
    )  # fmt: skip


def possible_actions(entry: ListEntry, actor: Any, today: dt.date) -> list[str]:
    """What this officer can do to the entry today: no action its guard would refuse."""
    return [
        str(a) for a in workflow.possible_actions(entry.state, _guard_context(entry, actor, today))
    ]


def refusal_now(entry: ListEntry, actor: Any, today: dt.date, action: str) -> str | None:
    """Why this officer could not take ``action`` on the entry today, as the workflow would
    say it; None when nothing in the workflow stands in the way."""
    try:
        workflow.transition(entry.state, action, _guard_context(entry, actor, today))
    except XinyongError as refused:
        return refused.message
    return None


def possible_exit_reasons(entry: ListEntry, actor: Any, today: dt.date) -> list[str]:
    """The reasons the entry could end for today (its list kind's, repair if allowed, expiry
    only after its validity)."""
    return workflow.exit_reasons(_guard_context(entry, actor, today))


@dataclass(frozen=True)
class WorkItem:
    entry: ListEntry
    task: str
    due_on: dt.date | None
    overdue: bool
    due_soon: bool
    due_provisional: bool = False  # the deadline reaches past the known calendar (R15)

    @property
    def subject_label(self) -> str:
        """The subject as the worklist names it: a person masked (欧阳某), as the worklist is
        shown at every log-in and is no look-up of anyone; the entry's page, which shows the
        person, is registered (R14)."""
        subject = self.entry.subject
        return mask_subject_name(subject.name, is_natural_person=subject.is_natural_person)


TASKS = {
    EntryState.DRAFT: "notify",
    EntryState.NOTIFIED: "start_publicity",
    EntryState.UNDER_VERIFICATION: "verify",
    EntryState.AWAITING_SIGNATURE: "sign",
}
# A proposal whose origin was found wrong is never signed (``workflow.origin_stands``): what is
# left to its department is to withdraw it, or, once its publicity is over, to decide not to
# list (001 §8). An objection to it is still verified first (R6).
ORIGIN_FOUND_WRONG_TASKS = {
    EntryState.DRAFT: "withdraw",
    EntryState.NOTIFIED: "withdraw",
    EntryState.IN_PUBLICITY: "withdraw",
    EntryState.AWAITING_SIGNATURE: "reject",
}


def _origin_found_wrong() -> Q:
    """Entries whose origin (the key attention a black-list proposal follows from, R3) was found
    wrong: ended as corrected, or corrected after an exit of another kind; ``found_wrong_on``
    as a filter."""
    corrected = ListEntryEvent.objects.filter(
        entry=OuterRef("origin_id"), action=workflow.Action.CORRECT
    )
    return Q(origin__exit_reason=ExitReason.CORRECTED) | Q(Exists(corrected))


# A red entry in force whose subject asked online to leave it: the department exits it on that
# request (R4, 000 §十.2), announcing the exit. An objection open on it is verified first (R6):
# the exit on request would end it unanswered (``workflow.ENDS_AN_OBJECTION_UNANSWERED``).
EXIT_ON_REQUEST = "exit_on_request"


def _exit_requested(today: dt.date) -> Q:
    """Entries in force on ``today`` with a pending request to leave the red list and no
    objection open. The requests are read by name: the remedies app builds on this one."""
    requests = apps.get_model("remedies", "RedListExitRequest").objects.filter(
        entry=OuterRef("pk"), state="pending"
    )
    return in_force(today) & Q(verification_due_on__isnull=True) & Q(Exists(requests))


def _waiting(actor: Any, today: dt.date) -> QuerySet[ListEntry]:
    """The department's entries with a task: by state, or an objection to an effective entry,
    or to one that ended while it was verified (R6), or a proposal in publicity whose origin
    was found wrong (to withdraw), or a red entry its subject asked to leave (R4); each marked
    ``origin_wrong`` when its origin was found so, and ``exit_requested`` when it is to be
    exited on its subject's request."""
    # The entry's own objection, or a person's to being named, kept on the naming (R6).
    objected = Q(state__in=workflow.OBJECTION_OPEN_STATES) & (
        Q(verification_due_on__isnull=False) | Q(naming_due__isnull=False)
    )
    undecided = Q(state__in=list(UNDECIDED_STATES), origin__isnull=False)
    origin_wrong = Case(
        When(undecided & _origin_found_wrong(), then=Value(True)),
        default=Value(False), output_field=BooleanField(),
    )  # fmt: skip
    exit_requested = Case(
        When(_exit_requested(today), then=Value(True)),
        default=Value(False), output_field=BooleanField(),
    )  # fmt: skip
    to_withdraw = Q(state=EntryState.IN_PUBLICITY, origin_wrong=True)
    waiting = Q(state__in=list(TASKS)) | objected | to_withdraw | Q(exit_requested=True)
    first_naming = ListEntryPerson.objects.filter(
        entry=OuterRef("pk"), verification_due_on__isnull=False
    ).order_by("verification_due_on", "-verification_due_provisional")
    naming_due = Subquery(first_naming.values("verification_due_on")[:1])
    naming_provisional = Subquery(first_naming.values("verification_due_provisional")[:1])
    return (
        entries_for(actor)
        .annotate(naming_due=naming_due, naming_due_provisional=naming_provisional)
        .annotate(
            # The nearest deadline of its open objections, the entry's own or a naming's.
            due_on=Case(
                When(naming_due__isnull=True, then=F("verification_due_on")),
                When(verification_due_on__isnull=True, then=F("naming_due")),
                When(naming_due__lt=F("verification_due_on"), then=F("naming_due")),
                default=F("verification_due_on"),
            ),
            due_provisional=Case(
                When(naming_due__isnull=True, then=F("verification_due_provisional")),
                When(verification_due_on__isnull=True, then=F("naming_due_provisional")),
                When(naming_due__lt=F("verification_due_on"), then=F("naming_due_provisional")),
                default=F("verification_due_provisional"),
            ),
            origin_wrong=origin_wrong, exit_requested=exit_requested,
        )
        .filter(waiting)
    )  # fmt: skip


def _task(state: str, origin_wrong: bool, exit_requested: bool = False) -> str:
    if origin_wrong and state in ORIGIN_FOUND_WRONG_TASKS:
        return ORIGIN_FOUND_WRONG_TASKS[state]
    if exit_requested:
        return EXIT_ON_REQUEST
    return TASKS.get(state, "verify")


def worklist(actor: Any, today: dt.date, limit: int | None = None) -> list[WorkItem]:
    """What needs this officer's department now, the nearest deadline first (R1, R6), then the
    oldest entry; the first ``limit`` of them when given."""
    soon = work_calendar().add_workdays(today, 3).date
    # Only an objection being verified has a deadline; the rest follow, oldest first.
    entries = _waiting(actor, today).order_by(F("due_on").asc(nulls_last=True), "pk")
    items = []
    for entry in entries if limit is None else entries[:limit]:
        due = entry.due_on  # set only while an objection is verified
        items.append(
            WorkItem(
                entry=entry, task=_task(entry.state, entry.origin_wrong, entry.exit_requested),
                due_on=due, overdue=bool(due and due < today),
                due_soon=bool(due and today <= due <= soon),
                due_provisional=bool(due and entry.due_provisional),
            )
        )  # fmt: skip
    return items


def worklist_counts(actor: Any, today: dt.date | None = None) -> dict[str, int]:
    """How many entries wait on each task of the worklist (``TASKS``; an objection: verify; a
    proposal whose origin was found wrong: withdraw or reject; a red entry its subject asked to
    leave: ``EXIT_ON_REQUEST``) on ``today`` (by default the business date)."""
    counts: dict[str, int] = {}
    waiting = _waiting(actor, clock.today() if today is None else today)
    rows = (
        waiting.order_by().values("state", "origin_wrong", "exit_requested").annotate(n=Count("pk"))
    )
    for row in rows:
        task = _task(row["state"], row["origin_wrong"], row["exit_requested"])
        counts[task] = counts.get(task, 0) + row["n"]
    return counts


def in_force(today: dt.date) -> Q:
    """Entries that count on ``today``: effective, and within their validity through its last
    day, whether or not the daily job has yet exited those whose validity ended (R4)."""
    return Q(state=EntryState.EFFECTIVE) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def _stated_sql(stated: str, name: str, vendor: str) -> str:
    """SQL: whether the JSON list ``stated`` holds the text ``name``. JSON membership is written
    per database: the ORM has no lookup for it that both SQLite and PostgreSQL read."""
    if vendor == "postgresql":
        return f"{stated} @> jsonb_build_array(({name})::text)"
    return f"EXISTS (SELECT 1 FROM json_each({stated}) j WHERE j.value = {name})"


class DecisionStates(Func):
    """Whether an entry's decision lets a measure follow, by the measure's names: it states none
    (``ListEntry.stated_measures`` null or empty) or states one of them (R1, R10; the SQL form
    of ``measures.selectors.EntryFact.states``). ``DecisionStates("entries__stated_measures",
    "measure_name", "measure__name")``: a measure as a report named it, or as it is named now
    (renamed since, the decisions stating it state its new name: ``core.measure_renames``)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        (stated, stated_params), *names = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        if connection.vendor == "postgresql":
            empty = f"{stated} = '[]'::jsonb"
        else:
            empty = f"json_array_length({stated}) = 0"
        states = [_stated_sql(stated, name, connection.vendor) for name, _ in names]
        sql = f"({stated} IS NULL OR {empty} OR {' OR '.join(states)})"
        params = [*stated_params, *stated_params]
        for _, name_params in names:
            params += [*stated_params, *name_params]
        return sql, tuple(params)


class StatesMeasure(Func):
    """Whether an entry's decision states this measure by name (``ListEntry.stated_measures``
    holds it; one that states none does not): ``StatesMeasure("stated_measures",
    Value(name))``, the entries a rename of that measure restates (R1, R10)."""

    arity = 2
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        (stated, stated_params), (name, name_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = f"({stated} IS NOT NULL AND {_stated_sql(stated, name, connection.vendor)})"
        return sql, (*stated_params, *stated_params, *name_params)


def corrected_after_exit() -> Exists:
    """Entries found wrong after they had ended otherwise (by expiry, or by the R2 cross-check):
    the exit keeps its reason, and the finding is the entry's ``correct`` step
    (``services.correct_after_exit``; R6, 000 §十一.3). With the exits as corrected, what the
    daily job's derived lists and the statistics leave out as never rightly listed."""
    return Exists(
        ListEntryEvent.objects.filter(entry=OuterRef("pk"), action=workflow.Action.CORRECT)
    )


def found_wrong_on(entry_id: int) -> dt.date | None:
    """The day the listing of entry ``entry_id`` was found wrong (R6, 000 §十一.3): the day it
    ended as corrected, or the day of its ``correct`` step after an exit of another kind
    (``corrected_after_exit``); None while it stands. The same finding the daily job reads as
    ``tick.black_list_proposals.found_wrong``, with its day."""
    ended = ListEntry.objects.filter(pk=entry_id).values_list("exit_reason", "exited_on").first()
    if ended is not None and ended[0] == ExitReason.CORRECTED:
        return ended[1]
    return (
        ListEntryEvent.objects.filter(entry_id=entry_id, action=workflow.Action.CORRECT)
        .order_by("pk")
        .values_list("business_date", flat=True)
        .first()
    )


# The states of a proposal before its decision: what it rests on still matters to it.
UNDECIDED_STATES = frozenset(
    {EntryState.DRAFT, EntryState.NOTIFIED, EntryState.IN_PUBLICITY,
     EntryState.UNDER_VERIFICATION, EntryState.AWAITING_SIGNATURE}
)  # fmt: skip


def origin_found_wrong_on(entry: ListEntry) -> dt.date | None:
    """For a proposal not yet decided that follows from another listing (a black-list proposal
    from key attention, R3, 003 §四): the day that listing was found wrong, if it was, on which
    the proposal can no longer be signed (``workflow.origin_stands``). None, with no query,
    for an entry with no origin or one decided or closed."""
    if entry.origin_id is None or entry.state not in UNDECIDED_STATES:
        return None
    return found_wrong_on(entry.origin_id)


@dataclass(frozen=True)
class OriginFoundWrong:
    """What an officer is told of a proposal whose origin was found wrong: the origin's list
    and the day (R3, R6)."""

    list_name: str
    found_on: dt.date


def origin_found_wrong(entry: ListEntry) -> OriginFoundWrong | None:
    """``origin_found_wrong_on`` with the origin's list named, for the entry's page; None while
    the origin stands (or for an entry with none, or decided)."""
    found_on = origin_found_wrong_on(entry)
    if found_on is None:
        return None
    name = ListDefinition.objects.filter(entries__pk=entry.origin_id).values_list("name", flat=True)
    return OriginFoundWrong(list_name=name.get(), found_on=found_on)


# The one scope under which a list's entries reach departments other than the list's own
# (R13, 001 §三(二)): an item shared on conditions (有条件共享) is not, as the platform records no
# condition met, nor one not shared (不予共享). A list under no catalog item is shared, as lists
# were before items were given to them: its entries are what joint punishment acts on (R11),
# and most lists have none.
SHARED_WITH_EVERY_DEPARTMENT = ShareScope.UNCONDITIONAL


def list_shared(prefix: str = "list__") -> Q:
    """Rows whose list (reached through ``prefix``) other departments may see and act on: under
    no catalog item, or under one shared unconditionally (R13). ``shared_to_sql`` says the same
    in plain SQL."""
    return Q(**{f"{prefix}catalog_item__isnull": True}) | Q(
        **{f"{prefix}catalog_item__share_scope": SHARED_WITH_EVERY_DEPARTMENT}
    )


def shared_to(department_id: int, prefix: str = "list__") -> Q:
    """Rows whose list (reached through ``prefix``) ``department_id`` may see and act on: its
    own lists, whatever their catalog item says, and the lists shared with every department
    (``list_shared``, R13)."""
    return Q(**{f"{prefix}recognizing_department_id": department_id}) | list_shared(prefix)


def shared_to_sql(list_alias: str, item_alias: str) -> str:
    """``shared_to`` in plain SQL, for the statements that read entries without the ORM: the
    list ``list_alias`` with its catalog item LEFT JOINed as ``item_alias``; one ``%s``, the
    department's id."""
    q = connection.ops.quote_name
    return (
        f"({list_alias}.{q('recognizing_department_id')} = %s"
        f" OR {list_alias}.{q('catalog_item_id')} IS NULL"
        f" OR {item_alias}.{q('share_scope')} = '{SHARED_WITH_EVERY_DEPARTMENT.value}')"
    )


def effective_entries_of(subject_id: int) -> QuerySet[ListEntry]:
    """What a check counts: entries in force now; exited, rejected and pending ones never (R4)."""
    return ListEntry.objects.filter(subject_id=subject_id, state=EntryState.EFFECTIVE)


def effective_entries_naming(person_id: int) -> QuerySet[ListEntry]:
    """Organisations' entries in force that name this person (落实到人, 004 §二(三)6)."""
    return ListEntry.objects.filter(persons__person_id=person_id, state=EntryState.EFFECTIVE)


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
    *, recorded_after: dt.datetime | None = None,
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
    check could not have seen it.

    Told as it concerns ``subject_id``, the subject checked: a named person's objection
    suspends or resumes the entry's measures on that person only (``NAMING_KINDS``, R6), so
    it is told as ``suspended`` or ``resumed`` to a check of that person, and not at all to
    any other."""
    as_entry = {naming: kind for kind, naming in NAMING_KINDS.items()}
    dated = Q(event__business_date__gte=since)
    if recorded_after is not None:
        dated |= Q(event__at__gt=recorded_after)
    items = (
        ChangeFeedItem.objects.filter(dated, event__entry_id__in=list(entry_ids))
        .select_related("event__entry")
        .order_by("event_id")
    )
    told = []
    for item in items:
        change = _change_of(item, None)
        late = recorded_after is not None and item.event.at > recorded_after
        if change is None or not (since <= change.business_date or late):
            continue
        if change.business_date > through:
            continue
        kind = change.kind
        if kind in as_entry:
            if change.person_id != subject_id:
                continue
            kind = as_entry[kind]
        told.append((item.event.entry_id, kind, change.business_date, change.valid_until))
    return sorted(told, key=lambda change: change[2])  # stable: as recorded within a day
