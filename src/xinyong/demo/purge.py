"""Finding and removing a previous demo load (``xinyong demo --reset``).

A load's audit row records the range of subject ids it created. Resetting deletes those subjects
and every row that depends on them — linked persons, records, entries, their history, and what
officers recorded about demo subjects since — so that nothing dangles. Reference data, accounts
and the audit trail stay: audit rows are append-only and are never deleted (R14). The evidence
and repair materials sent for the deleted rows are files in the data directory: they go once
the reset has committed.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import models

from xinyong.audit.models import AuditEntry
from xinyong.remedies import evidence
from xinyong.remedies.models import ObjectionEvidence, RecordObjectionEvidence, RepairMaterial
from xinyong.subjects.models import Subject

LOAD_ACTION = "demo.load"
MAX_DEPTH = 8


class DemoResetRefused(Exception):
    """The previous demo data cannot be removed safely; the message says why."""


@dataclass(frozen=True)
class LoadedDemo:
    audit_seq: int
    first_id: int
    last_id: int
    count: int
    present: int  # demo subjects still in the database

    def subjects(self) -> models.QuerySet[Subject]:
        return Subject.objects.filter(pk__gte=self.first_id, pk__lte=self.last_id)


def loaded_demos() -> list[LoadedDemo]:
    """Earlier loads whose subjects are still there."""
    found = []
    rows = AuditEntry.objects.filter(action=LOAD_ACTION).values_list("seq", "after")
    for seq, after in rows.order_by("seq"):
        ids = (after or {}).get("subject_ids") or []
        if len(ids) != 2:
            continue
        first, last = int(ids[0]), int(ids[1])
        present = Subject.objects.filter(pk__gte=first, pk__lte=last).count()
        if present:
            count = int((after or {}).get("counts", {}).get("subjects", present))
            found.append(LoadedDemo(seq, first, last, count, present))
    return found


def _dependents(model: type[models.Model]):
    """(model, foreign key) for every concrete foreign key that points at ``model``."""
    for other in apps.get_models(include_auto_created=True):
        if other._meta.proxy or not other._meta.managed:
            continue
        for field in other._meta.concrete_fields:
            if field.is_relation and field.remote_field.model is model:
                yield other, field


def purge(queryset: models.QuerySet, deleted: Counter, depth: int = 0) -> None:
    """Delete ``queryset`` after everything that refers to it, leaves first.

    Raw deletes in the caller's transaction: the rows are known to be demo rows and their
    dependents, so Django's collector (which would load every row to honour PROTECT) is not
    needed. Foreign keys are deferred until commit on SQLite and PostgreSQL alike.
    """
    if depth > MAX_DEPTH:
        raise DemoResetRefused("依赖关系层级过深，无法安全删除演示数据。")
    model = queryset.model
    for other, field in _dependents(model):
        if other._meta.app_label == "audit":
            # Audit rows and query registrations are never deleted: a reset is refused only
            # when some of them name the demo's rows.
            if other._base_manager.filter(**{f"{field.name}__in": queryset.values("pk")}).exists():
                raise DemoResetRefused(
                    f"审计数据（{other._meta.label}）引用了演示数据；审计记录不可删除，无法重置。"
                    "请改用新的数据目录重新加载（例如删除 var 目录后运行 make demo）。"
                )
            continue
        dependents = other._base_manager.filter(**{f"{field.name}__in": queryset.values("pk")})
        if other is model:  # a self-reference: rows outside the set that point into it
            dependents = dependents.exclude(pk__in=queryset.values("pk"))
        if dependents.exists():
            purge(dependents, deleted, depth + 1)
    count = queryset._raw_delete(queryset.db)  # see the docstring: a deliberate raw delete
    if count:
        deleted[model._meta.label] += count


def remove(demos: list[LoadedDemo]) -> Counter:
    """Delete the subjects of ``demos`` and everything that depends on them."""
    deleted: Counter = Counter()
    for demo in demos:
        if demo.present > demo.count:
            raise DemoResetRefused(
                f"演示数据的主体编号区间 {demo.first_id}–{demo.last_id} 中有 "
                f"{demo.present - demo.count} 个非演示主体，为安全起见不予删除。"
            )
        purge(demo.subjects(), deleted)
    return deleted


def kept_files(demos: list[LoadedDemo]) -> list[str]:
    """Stored names of the files sent with the objections and repair applications of ``demos``'
    subjects (read before the rows go: a row delete leaves the files behind)."""
    names: list[str] = []
    for demo in demos:
        subjects = demo.subjects().values("pk")
        names += ObjectionEvidence.objects.filter(
            objection__entry__subject__in=subjects
        ).values_list("stored_name", flat=True)
        names += RepairMaterial.objects.filter(application__subject__in=subjects).values_list(
            "stored_name", flat=True
        )
        names += RecordObjectionEvidence.objects.filter(
            objection__record__subject__in=subjects
        ).values_list("stored_name", flat=True)
    return names


def delete_files(names: list[str]) -> None:
    """Delete the files, then the folders (one per entry or application) they leave empty."""
    storage = evidence.storage()
    folders = {Path(storage.path(name)).parent for name in names}
    for name in names:
        storage.delete(name)
    for folder in sorted(folders, reverse=True):
        with contextlib.suppress(OSError):  # not empty: files sent for rows that are not demo's
            folder.rmdir()
