"""Reads for the public portal: only public, effective information, personal data masked (R5)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from xinyong.listings import documents
from xinyong.listings.models import EntryState, ListEntry, ListKind
from xinyong.subjects.models import Subject, SubjectKind

PUBLIC_LIST_KINDS = (ListKind.RED, ListKind.BLACK)


def _public_entry(entry: ListEntry) -> dict[str, Any]:
    return {
        "subject_name": documents.public_name(entry),
        "subject_code": documents.public_code(entry),
        "list_name": entry.list.name,
        "list_kind": entry.list.get_kind_display(),
        "department": entry.list.recognizing_department.name,
        "effective_on": entry.effective_on,
        "valid_until": entry.valid_until,
    }


def latest_public_entries(kind: str, limit: int = 8) -> list[dict[str, Any]]:
    entries = (
        ListEntry.objects.filter(state=EntryState.EFFECTIVE, list__kind=kind)
        .select_related("subject", "list__recognizing_department", "list__catalog_item")
        .order_by("-effective_on", "-id")[:limit]
    )
    return [_public_entry(entry) for entry in entries]


def home_page() -> dict[str, Any]:
    effective_by_kind = dict(
        ListEntry.objects.filter(state=EntryState.EFFECTIVE, list__kind__in=PUBLIC_LIST_KINDS)
        .values_list("list__kind")
        .annotate(n=Count("id"))
        .values_list("list__kind", "n")
    )
    return {
        "organisation_count": Subject.objects.exclude(kind=SubjectKind.NATURAL_PERSON).count(),
        "red_count": effective_by_kind.get(ListKind.RED, 0),
        "black_count": effective_by_kind.get(ListKind.BLACK, 0),
        "latest_red": latest_public_entries(ListKind.RED),
        "latest_black": latest_public_entries(ListKind.BLACK),
    }
