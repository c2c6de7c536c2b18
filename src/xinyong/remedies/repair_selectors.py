"""Reads of credit repair (R8): what a subject sees of its own applications and may apply for,
and what the department concerned has to decide. Each answers only its caller's own (R14)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from xinyong.catalog.models import PublicationTier
from xinyong.core import clock
from xinyong.core import repair_outcomes as rules
from xinyong.core.errors import XinyongError
from xinyong.listings.services.transitions import officer_of
from xinyong.remedies import repair_outcomes, repairs
from xinyong.remedies.models import RepairApplication, RepairMaterial, RepairState


@dataclass
class RepairRow:
    """One entry or record of the subject's: whether it may apply now, or why not, and its
    applications, newest first."""

    label: str
    entry: Any = None
    record: Any = None
    may_apply: bool = False
    refusal: str = ""
    applications: list[RepairApplication] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"repair-entry-{self.entry.pk}" if self.entry else f"repair-record-{self.record.pk}"


def _why_not(refused: XinyongError | None, applications: list[RepairApplication]) -> str:
    if any(a.is_open for a in applications):
        return ""  # the open application says where it stands
    return refused.message if refused is not None else ""


def repairs_of(subject: Any, entries: Any, records: Any) -> list[RepairRow]:
    """For the subject's effective entries and its records still published or shared, and any
    it has applied for: may it apply now, and its applications with the results and reasons it
    was told, or why they were closed (R8)."""
    today = clock.today()
    applications: dict[tuple[str, int], list[RepairApplication]] = {}
    for application in RepairApplication.objects.filter(subject=subject).prefetch_related(
        "materials"
    ):
        key = ("entry", application.entry_id) if application.entry_id else (
            "record", application.record_id
        )  # fmt: skip
        applications.setdefault(key, []).append(application)
    rows: list[RepairRow] = []
    for entry in entries:
        found = applications.get(("entry", entry.pk), [])
        refused = repairs.entry_refusal(entry)
        if refused is not None and refused.code == "repair-entry-not-effective" and not found:
            continue  # a candidate or an ended entry has nothing to repair
        rows.append(RepairRow(
            label=f"{entry.list.name}（{entry.list.get_kind_display()}）", entry=entry,
            may_apply=refused is None and not any(a.is_open for a in found),
            refusal=_why_not(refused, found), applications=found,
        ))  # fmt: skip
    for record in records:
        found = applications.get(("record", record.pk), [])
        refused = repairs.record_refusal(record, today)
        if refused is not None and refused.code != "repair-before-minimum" and not found:
            continue
        rows.append(RepairRow(
            label=f"{record.catalog_item.name} {record.shown_document_number}", record=record,
            may_apply=refused is None and not any(a.is_open for a in found),
            refusal=_why_not(refused, found), applications=found,
        ))  # fmt: skip
    return rows


def for_department(actor: Any) -> QuerySet[RepairApplication]:
    """The applications the officer's department decides, open ones first (R8, R14)."""
    return (
        RepairApplication.objects.filter(department_id=officer_of(actor).department_id)
        .select_related("subject", "entry__list", "record__catalog_item")
        .prefetch_related("materials")
        .order_by("-state", "submitted_on", "id")  # "submitted" sorts before the decided
    )


@dataclass(frozen=True)
class RecordChoices:
    """What the officer may choose for a record today: the tier it may be lowered to (empty
    when none), and the days its publication may be shortened to (R8): none for a record not
    published, only shared."""

    tier: str
    lower_to: str
    earliest_end: dt.date
    latest_end: dt.date | None
    published: bool = True

    @property
    def may_shorten(self) -> bool:
        if not self.published:
            return False
        return self.latest_end is None or self.earliest_end <= self.latest_end


def _tier_label(tier: str) -> str:
    return str(PublicationTier(tier).label) if tier else ""


def record_choices(record: Any, today: dt.date) -> RecordChoices:
    dates = repair_outcomes.dates_of(record)
    return RecordChoices(
        tier=_tier_label(record.tier), lower_to=_tier_label(rules.LOWER_TIER.get(record.tier, "")),
        earliest_end=rules.shortest_end(dates, today), latest_end=record.publication_ends_on,
        published=dates.shown,
    )  # fmt: skip


def for_entry(actor: Any, entry: Any) -> QuerySet[RepairApplication]:
    """The applications to repair one entry of the department's, newest first (R8)."""
    return for_department(actor).filter(entry=entry).order_by("-submitted_on", "-id")


def pending_count(actor: Any) -> int:
    return for_department(actor).filter(state=RepairState.SUBMITTED).count()


def department_application(actor: Any, application_id: int) -> RepairApplication:
    found = for_department(actor).filter(pk=application_id).first()
    if found is None:
        raise XinyongError("repair-not-found", "信用修复申请不存在", status=404)
    return found


def own_material(subject: Any, material_id: int) -> RepairMaterial:
    """A file the subject sent with one of its own applications; any other is not found."""
    found = RepairMaterial.objects.filter(pk=material_id, application__subject=subject).first()
    if found is None:
        raise XinyongError("material-not-found", "修复材料不存在", status=404)
    return found


def department_material(actor: Any, material_id: int) -> RepairMaterial:
    """A file sent with an application the officer's department decides; any other not found."""
    found = RepairMaterial.objects.filter(
        pk=material_id, application__department_id=officer_of(actor).department_id
    ).first()
    if found is None:
        raise XinyongError("material-not-found", "修复材料不存在", status=404)
    return found
