"""Reads of objections to credit records (R6): what the subject sees of its own and may object
to, what the recording department verifies, and which records are under objection wherever
records are shown or shared. Each answers only its caller's own (R14)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When

from xinyong.catalog.models import CreditRecord
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings.models import EntryState, ListEntry
from xinyong.listings.services.transitions import officer_of
from xinyong.remedies import record_objections
from xinyong.remedies.models import RecordObjection, RecordObjectionEvidence, RecordObjectionState


@dataclass
class RecordObjectionRow:
    """One of the subject's records: whether it may object now, and its objections."""

    record: Any
    may_object: bool = False
    objections: list[RecordObjection] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"record-objection-{self.record.pk}"


def objections_of_records(subject: Any, records: Iterable[Any]) -> list[RecordObjectionRow]:
    """For each of the subject's records still published or shared, or objected to before:
    may it object now, and its objections with their results, newest first (R6)."""
    found: dict[int, list[RecordObjection]] = {}
    for objection in RecordObjection.objects.filter(record__subject=subject).prefetch_related(
        "evidence"
    ):
        found.setdefault(objection.record_id, []).append(objection)
    rows, today = [], clock.today()
    live = record_objections.live_listings_of(subject.pk)
    for record in records:
        objections = found.get(record.pk, [])
        may_object = (
            record_objections.unused(record, today) is None
            and record_objections.listing_decision(record, live) is None
            and not any(o.is_open for o in objections)
        )
        if objections or may_object:
            rows.append(RecordObjectionRow(record, may_object, objections))
    return rows


def open_on(record_ids: Iterable[int]) -> set[int]:
    """Which of these records are under objection now (R6: shown so, wherever they are): an
    objection to the record is verified, or one to the effective entry whose decision it is
    (same department, document number and subject: ``catalog.listing_records``). One query."""
    ids = list(record_ids)
    if not ids:
        return set()
    objected_to = RecordObjection.objects.filter(
        record_id=OuterRef("pk"), state=RecordObjectionState.VERIFYING
    )
    entry_objected_to = ListEntry.objects.filter(
        state=EntryState.EFFECTIVE,
        verification_due_on__isnull=False,
        list__recognizing_department_id=OuterRef("department_id"),
        decision_number_key=OuterRef("document_number"),
        subject_id=OuterRef("subject_id"),
    )
    return set(
        CreditRecord.objects.filter(pk__in=ids)
        .filter(Exists(objected_to) | Exists(entry_objected_to))
        .values_list("pk", flat=True)
    )


def for_department(user: Any) -> QuerySet[RecordObjection]:
    """The objections the officer's department verifies: open ones first, soonest due, then
    the decided, newest first. The order is spelled out so that both databases agree."""
    officer = officer_of(user)
    return (
        RecordObjection.objects.filter(department_id=officer.department_id)
        .select_related("record__catalog_item", "record__subject")
        .annotate(
            decided=Case(
                When(state=RecordObjectionState.VERIFYING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("decided", "due_on", "-id")
    )


@dataclass(frozen=True)
class Pending:
    """The department's objections under verification: how many, the earliest deadline, and
    how many are past it (R6: verified within 20 days)."""

    count: int
    earliest_due: Any
    overdue: int


def pending(user: Any, today: Any) -> Pending:
    open_ones = for_department(user).filter(state=RecordObjectionState.VERIFYING)
    dues = list(open_ones.values_list("due_on", flat=True))
    return Pending(len(dues), min(dues, default=None), sum(due < today for due in dues))


def department_objection(user: Any, objection_id: int) -> RecordObjection:
    """One objection of the officer's department; another's is not found (R14)."""
    found = for_department(user).prefetch_related("evidence").filter(pk=objection_id).first()
    if found is None:
        raise XinyongError("objection-not-found", "异议不存在", status=404)
    return found


def department_evidence(user: Any, evidence_id: int) -> RecordObjectionEvidence:
    officer = officer_of(user)
    found = (
        RecordObjectionEvidence.objects.filter(
            pk=evidence_id, objection__department_id=officer.department_id
        )
        .select_related("objection__record__subject")
        .first()
    )
    if found is None:
        raise XinyongError("evidence-not-found", "证据材料不存在", status=404)
    return found


def own_evidence(subject: Any, evidence_id: int) -> RecordObjectionEvidence:
    found = RecordObjectionEvidence.objects.filter(
        pk=evidence_id, objection__record__subject=subject
    ).first()
    if found is None:
        raise XinyongError("evidence-not-found", "证据材料不存在", status=404)
    return found
