"""The key monitoring a black-list entry's expiry starts, as a check answers it before the daily
job records the exit (R3, 002 §二十一; R4): correct to the day whenever the job runs, without
writing. A check adds it to the subject's facts (``with_monitoring_due``); batch screening reads
the lists once per run and asks the same (``monitoring_due``, ``screening_store.Store``).
Feedback judges what was so answered by the entry the job records later (the module
``measures.monitoring_due``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable

from django.db.models import Case, Q, When

from xinyong.listings import escalation
from xinyong.listings.models import EntryState, ListDefinition, ListEntry, ListKind
from xinyong.listings.selectors import shared_to
from xinyong.measures.selectors import EntryFact, in_force
from xinyong.subjects.models import Subject


def _has_left_black_list(fact: EntryFact, today: dt.date) -> bool:
    """A black-list entry of the subject's own whose validity ended before ``today`` and that
    the daily job has not yet exited (``selectors.in_force``)."""
    return (
        fact.list_kind == ListKind.BLACK
        and fact.via_role is None
        and fact.valid_until is not None
        and fact.valid_until < today
    )


def monitoring_due(
    ended: Iterable[tuple[ListDefinition, dt.date]], targets: escalation.Targets,
    reaches: Callable[[ListDefinition], bool], today: dt.date,
) -> dict[ListDefinition, dt.date]:  # fmt: skip
    """The key monitoring that black-list entries past their validity start, before the daily
    job records their exit (R3, 002 §二十一; R4): each key-monitoring list the job would choose
    (``escalation.monitoring_entry``), with the last day it would set, the latest where several
    exits lead to one list (the job runs one entry on to the later end), in the order the first
    exit leading to each ends. Only monitoring in force ``today``, on lists ``reaches`` lets the
    department see and act on (R13).

    ``ended``: (black list, last day of validity) of each such entry of the subject's own, read
    with ``targets`` (``escalation.targets_among``); nothing here reads the database, so that a
    check reads the lists for one subject and batch screening once per run.
    """
    due: dict[ListDefinition, dt.date] = {}
    for definition, valid_until in sorted(ended, key=lambda pair: pair[1]):
        start = valid_until + dt.timedelta(days=1)
        monitoring = escalation.monitoring_entry(ListEntry(list=definition), start, targets)
        if monitoring is None or not in_force(monitoring.valid_until, today):
            continue
        target, until = monitoring.list, monitoring.valid_until
        if not reaches(target):
            continue
        if target not in due or due[target] < until:
            due[target] = until
    return due


def with_monitoring_due(
    facts: list[EntryFact], subject: Subject, department_id: int | None, today: dt.date
) -> list[EntryFact]:
    """The facts in force ``today``, with the key monitoring that a black-list exit by expiry
    starts, before the daily job has recorded that exit (R3, 002 §二十一; R4).

    A black-list entry ends by expiry the day after its last day of validity, whenever the job
    runs, and that day its subject is monitored for the period its list sets, on the
    key-monitoring list the job would choose (``monitoring_due``). A check between midnight
    and the job, or on a day it did not run, answers as the job will have recorded it, correct
    to the day without writing: a monitoring entry yet to be recorded (no ``entry_id``), in
    force through its last day, or the live monitoring entry on that list run on to the later
    end, as the job extends it. Only of a list the department may see and act on (R13;
    ``department_id`` None: every list). Batch screening answers the same
    (``screening_store.Store``).

    Nothing more is read unless the subject has such a black-list entry, which happens on the
    few days between an expiry and the job: then one query of the list definitions (the black
    lists and the key-monitoring lists), never on the check's usual path.
    """
    in_force_today = [fact for fact in facts if in_force(fact.valid_until, today)]
    ended = [fact for fact in facts if _has_left_black_list(fact, today)]
    if not ended:
        return in_force_today
    lists = ListDefinition.objects.filter(
        Q(pk__in={fact.list_id for fact in ended}) | Q(kind=ListKind.KEY_MONITORING)
    ).select_related("recognizing_department", "domain")
    if department_id is not None:
        shared = Case(When(shared_to(department_id, ""), then=True), default=False)
        lists = lists.annotate(shared=shared)
    by_id = {definition.pk: definition for definition in lists}
    due = monitoring_due(
        [(by_id[f.list_id], f.valid_until) for f in ended if f.list_id and f.valid_until],
        escalation.targets_among(by_id.values()),
        lambda target: getattr(target, "shared", True), today,
    )  # fmt: skip
    for target, until in due.items():
        live = next((f for f in in_force_today if f.list_id == target.pk and f.via_role is None),
                    None)  # fmt: skip
        if live is None:
            in_force_today.append(EntryFact(
                None, target.kind, target.name, target.domain_id, target.domain.name,
                EntryState.EFFECTIVE, until, None, None, False, target.pk,
            ))  # fmt: skip
        elif live.valid_until is not None and live.valid_until < until:
            longer = dataclasses.replace(live, valid_until=until)
            in_force_today[in_force_today.index(live)] = longer
    return in_force_today
