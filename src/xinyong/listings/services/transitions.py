"""Moving one entry along one edge of the workflow: the step every write of the procedure takes.

:func:`transition` locks the entry's row, checks the version the officer saw, asks
``workflow.transition`` whether the edge exists and its guard passes, applies the change,
appends a history event and the audit row, and tells the rest of the platform after commit. Two
officers acting at once on one entry cannot both succeed: the second waits for the lock, then
finds a new version or a state that no longer allows its action.

Before the entry, the step holds its list's row in share mode (PostgreSQL): the change feed
reads the list's objection-suspension setting for the step's event (R6, R11), and a change of
that setting (``listings.suspension``, in the admin) writes its own events on the entries then
under objection. Holding the row, the two cannot commit at the same instant and miss each
other: the step waits for a change being saved and then reads the new setting, or the change
waits for the step and then sees its objection. Steps of one list still run side by side; the
list's row first, then the entry's, in the order the change takes them, so neither waits on the
other in a circle. SQLite lets one writer at a time, so it needs nothing of this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from xinyong.access.roles import may_sign
from xinyong.audit import services as audit
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import daily_job_lock, notifications, selectors, workflow
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import ListDefinition, ListEntry, ListEntryEvent, ListEntryPerson
from xinyong.listings.workflow import Action

SNAPSHOT_FIELDS = (
    "state", "exit_reason", "publicity_starts_on", "publicity_ends_on",
    "publicity_ends_provisional", "effective_on", "valid_until", "exited_on",
    "verification_due_on", "verification_due_provisional", "decision_document_number",
    "version",
)  # fmt: skip


def snapshot(entry: ListEntry) -> dict[str, Any]:
    """The entry's row for the audit trail, with the open objections of the persons it names
    to being named, by person (``{"id": due}``), as they are kept on the namings (R6)."""
    return {
        **{name: getattr(entry, name) for name in SNAPSHOT_FIELDS},
        "naming_objections": {
            str(row.person_id): row.verification_due_on
            for row in ListEntryPerson.objects.filter(
                entry_id=entry.pk, verification_due_on__isnull=False
            ).order_by("id")
        },
    }


def named_objection(person_id: int | None) -> dict[str, Any]:
    """For the history of a step about an objection: whose naming it disputes, where a person
    the entry names objects to being named (``{"objector_person": id}``), else nothing (R6)."""
    return {} if person_id is None else {"objector_person": person_id}


def close_objection(entry: ListEntry) -> None:
    """The entry's own objection is decided: its deadline goes. A person's objection to being
    named is another's, and stays open (``close_naming_objection``)."""
    entry.verification_due_on, entry.verification_due_provisional = None, False


def open_naming_objection(
    entry: ListEntry, person_id: int, due: dt.date, provisional: bool
) -> None:
    """A person the entry names objects to being named: the deadline on every row naming the
    person in the entry (R6, 004 §二(三)6)."""
    ListEntryPerson.objects.filter(entry_id=entry.pk, person_id=person_id).update(
        verification_due_on=due, verification_due_provisional=provisional
    )


def close_naming_objection(entry: ListEntry, person_id: int) -> None:
    """The person's objection to being named is decided: its deadline goes from its rows."""
    ListEntryPerson.objects.filter(entry_id=entry.pk, person_id=person_id).update(
        verification_due_on=None, verification_due_provisional=False
    )


def objections_context(
    entry: ListEntry, *, objector_person: int | None = None, entry_objection: bool = False
) -> workflow.Context:
    """What the objection guards see of ``entry`` (``workflow.decided``), read in a step's
    ``apply`` after its guard passed: which objection the step decides, and what a finding that
    the listing is wrong answers (``workflow.answered_by_finding_wrong``)."""
    return workflow.Context(
        today=clock.today(), list_kind=entry.list.kind,
        objection_open=entry.verification_due_on is not None,
        naming_objections_open=frozenset(n.person_id for n in entry.naming_objections),
        objector_person=objector_person, entry_objection=entry_objection,
    )  # fmt: skip


def officer_of(actor: Any):
    officer = getattr(actor, "officer", None)
    if officer is None:
        raise XinyongError("officer-required", "需由部门工作人员操作", status=403)
    return officer


def require_recognizing_officer(actor: Any, definition: ListDefinition) -> None:
    """Only an officer of the list's recognizing department proposes on it (R1), and only in a
    domain the department governs (R14, 000 §十一.4; ``ListDefinition.domain_is_governed``):
    a list kept from before the department stopped governing its domain takes no new entry."""
    officer = officer_of(actor)
    if officer.department_id != definition.recognizing_department_id:
        raise XinyongError(
            "wrong-department", "只有该名单的认定部门可以办理", status=403,
            department=officer.department.code,
        )  # fmt: skip
    if not definition.domain_is_governed():
        raise XinyongError(
            "list-domain-not-governed", "该名单所属领域不在本部门主管的领域内，不能提请列入",
            status=403, domain=definition.domain.code,
        )  # fmt: skip


def record_event(entry, *, action, from_state, actor, day, reason="", data=None) -> None:
    ListEntryEvent.objects.create(
        entry=entry, action=action, from_state=from_state, to_state=entry.state,
        business_date=day, actor=audit.describe_actor(actor)[0], reason=reason, data=data or {},
    )  # fmt: skip


def announce(entry: ListEntry, kind: str, text: tuple[str, str], day: dt.date) -> Announcement:
    """Publish on the entry's channel; an exit or correction follows the listing's notice."""
    follows = entry.announcements.exclude(kind=kind).order_by("-id").first()
    title, body = text
    return Announcement.objects.create(
        entry=entry, kind=kind, channel=entry.channel, published_on=day, title=title, body=body,
        follows=follows,
    )  # fmt: skip


def hold_list_row(entry_id: int) -> None:
    """The entry's list's row in share mode until the step commits (see the module)."""
    if connection.vendor != "postgresql":
        return
    lists, entries = ListDefinition._meta.db_table, ListEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {lists} WHERE id = (SELECT list_id FROM {entries} WHERE id = %s)"
            " FOR SHARE",
            [entry_id],
        )


def hold_list(list_id: int) -> None:
    """A list's row in share mode until the step commits, as ``hold_list_row`` holds an
    entry's: for a step that locks entries of a list it reaches by id (the big-data warnings
    derived in a finding's step, ``tick.big_data_warnings.derive_warnings_of``)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {ListDefinition._meta.db_table} WHERE id = %s FOR SHARE", [list_id]
        )


def hold_origin(entry_id: int) -> None:
    """The listing the entry follows from (``origin``: key attention for a black-list proposal,
    R3), its row in share mode until the step commits (PostgreSQL), read before the step
    decides on what that listing came to (``selectors.origin_found_wrong_on``).

    A correction of it (an exit as corrected, a ``correct`` step; R6) holds its row to update
    it: one under way is waited for, and then read as committed; one that starts meanwhile
    waits for the step. Taken before the entry's own row (and what its step locks after it),
    so that the two never wait on each other in a circle: the proposal's deferred key checks
    read the origin's row at commit, and taken only then, while a correction held it and
    waited for a row the signature held, one of the two was rolled back. The origin never
    changes once set, so it is read here unlocked."""
    if connection.vendor != "postgresql":
        return
    entries = ListEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {entries} WHERE id = (SELECT origin_id FROM {entries} WHERE id = %s)"
            " FOR SHARE",
            [entry_id],
        )


@transaction.atomic
def transition(
    entry_id: int,
    action: Action,
    *,
    actor: Any,
    version: int | None,
    reason: str = "",
    exit_reason: str = "",
    apply: Callable[[ListEntry, dt.date], dict[str, Any] | None] | None = None,
    data: dict[str, Any] | None = None,
    system: bool = False,
    objector_person: int | None = None,
    entry_objection: bool = False,
) -> ListEntry:
    """Move one entry along one edge of the workflow; see the module's docstring.

    ``system`` marks a step the platform takes itself (the daily job, or a cross-check caused
    by another entry): no department check, and system-only edges allowed. ``apply`` makes the
    edge's changes and may answer details for the history event (a notice, a decision text).
    ``objector_person`` and ``entry_objection`` say which objection a step about one concerns
    (``workflow.decided``): a person's to being named, or the entry's own.
    """
    daily_job_lock.wait_for_the_daily_job()  # first, before any row (see the module)
    hold_list_row(entry_id)
    if action == Action.SIGN:  # the one step whose guard asks what the origin came to
        hold_origin(entry_id)
    try:
        entry = (
            ListEntry.objects.select_for_update(of=("self",))
            .select_related("list__recognizing_department", "subject")
            .get(pk=entry_id)
        )
    except ListEntry.DoesNotExist:
        raise XinyongError("entry-not-found", "名单记录不存在", status=404) from None
    if not system and officer_of(actor).department_id != entry.list.recognizing_department_id:
        # Another department's entry is as invisible to a write as to a read (R14): the
        # answer must not tell that it exists.
        raise XinyongError("entry-not-found", "名单记录不存在", status=404)
    if version is not None and version != entry.version:
        raise XinyongError(
            "version-conflict", "该记录已被他人办理，请刷新后重试", status=409,
            expected=version, current=entry.version,
        )  # fmt: skip
    today = clock.today()
    # Only the signature asks what the origin came to, and only it holds the origin first.
    origin_found_wrong_on = (
        selectors.origin_found_wrong_on(entry) if action == Action.SIGN else None
    )
    context = workflow.Context.of(
        entry, today=today, actor_can_sign=may_sign(actor),
        exit_reason=exit_reason, origin_found_wrong_on=origin_found_wrong_on,
        objector_person=objector_person, entry_objection=entry_objection,
    )  # fmt: skip
    edge = workflow.transition(entry.state, action, context, system=system)
    before, from_state = snapshot(entry), entry.state
    entry.state = edge.target
    entry.version += 1
    details = dict(data or {})
    if apply is not None:
        details.update(apply(entry, today) or {})
    entry.save()
    record_event(
        entry, action=action, from_state=from_state, actor=actor, day=today, reason=reason,
        data=details,
    )  # fmt: skip
    audit.record(
        actor=actor, action=f"listing.{action}", obj=entry, before=before, after=snapshot(entry),
        reason=reason,
    )  # fmt: skip
    notifications.after_commit(
        entry_id=entry.pk, action=str(action), from_state=from_state, to_state=entry.state,
        day=today,
    )  # fmt: skip
    return entry
