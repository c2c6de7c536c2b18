"""Reads of the listing procedure, shaped for the API and the back-office pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
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
from xinyong.listings import workflow
from xinyong.listings.models import (
    EntryState,
    ExitReason,
    ListDefinition,
    ListEntry,
    ListEntryEvent,
    ListEntryPerson,
    ListKind,
)
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
# request (R4, 000 §十.2), announcing the exit. An objection open on it is verified first (R6),
# the entry's own or a person's to being named: the exit on request would end it unanswered
# (``workflow.ENDS_AN_OBJECTION_UNANSWERED``).
EXIT_ON_REQUEST = "exit_on_request"


def _exit_requested(today: dt.date) -> Q:
    """Entries in force on ``today`` with a pending request to leave the red list and no
    objection open, neither the entry's own nor a person's to being named, as the exit's guard
    asks (``workflow.exit_reason_allowed``). The requests are read by name: the remedies app
    builds on this one."""
    requests = apps.get_model("remedies", "RedListExitRequest").objects.filter(
        entry=OuterRef("pk"), state="pending"
    )
    naming_open = ListEntryPerson.objects.filter(
        entry=OuterRef("pk"), verification_due_on__isnull=False
    )
    return (
        in_force(today)
        & Q(verification_due_on__isnull=True)
        & ~Q(Exists(naming_open))
        & Q(Exists(requests))
    )


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


def black_listings_of(subject_id: int, today: dt.date) -> QuerySet[ListEntry]:
    """The black entries in force on ``today`` (``in_force``) that list the subject, or name it
    as a person of the organisation listed: for the cross-check a naming in force counts as
    entering the black list (R2, 000 §六; 002 §十六 and 落实到人: the honours of a seriously
    dishonest enterprise's legal representative, principals and directly responsible persons
    are revoked). A naming removed, or an entry ended, counts no more."""
    named = ListEntryPerson.objects.filter(entry=OuterRef("pk"), person_id=subject_id)
    return ListEntry.objects.filter(in_force(today), list__kind=ListKind.BLACK).filter(
        Q(subject_id=subject_id) | Exists(named)
    )


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
