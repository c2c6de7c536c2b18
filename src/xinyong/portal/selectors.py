"""Reads for the public portal: only public, effective information, personal data masked (R5)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from xinyong.core import clock
from xinyong.listings import documents
from xinyong.listings.models import ListEntry, ListKind
from xinyong.listings.selectors import in_force
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
        ListEntry.objects.filter(in_force(clock.today()), list__kind=kind)
        .select_related("subject", "list__recognizing_department", "list__catalog_item")
        .order_by("-effective_on", "-id")[:limit]
    )
    return [_public_entry(entry) for entry in entries]


def public_entries(kind: str, query: str = "") -> QuerySet[ListEntry]:
    """A list's entries in force, newest first, for its public page (R5).

    ``query`` finds an organisation by a part of its name or by its code. A natural person is
    never found by a search: its entries show masked, and a name that found one would unmask
    it (R5, R14). A person's code is not searched either.
    """
    entries = ListEntry.objects.filter(in_force(clock.today()), list__kind=kind)
    query = query.strip()
    if query:
        organisations = entries.exclude(subject__kind=SubjectKind.NATURAL_PERSON)
        entries = organisations.filter(
            Q(subject__name__icontains=query) | Q(subject__identifier=query.upper())
        )
    return entries.select_related(
        "subject", "list__recognizing_department", "list__catalog_item"
    ).order_by("-effective_on", "-id")


def shown(entries) -> list[dict[str, Any]]:
    """Entries as the public sees them: persons masked."""
    return [_public_entry(entry) for entry in entries]


# The home page is open to anyone, and its figures count whole tables (every organisation,
# every effective entry): each process computes them at most once a minute. A change to an
# entry saved in this process is shown at once (``forget_home_page``); one saved in another
# process, or by the daily job's bulk updates, within this time. Searches and subject pages
# always read the database.
HOME_CACHE_SECONDS = 60


def _home_key(language: str | None) -> str:
    return f"xinyong:portal:home:{language}"  # the list kinds' labels are in the visitor's language


def home_page() -> dict[str, Any]:
    """The home page's figures and latest public entries (cached, see ``HOME_CACHE_SECONDS``)."""
    key = _home_key(get_language())
    cached = cache.get(key)
    if cached is None:
        cached = _home_page()
        cache.set(key, cached, HOME_CACHE_SECONDS)
    return cached


def forget_home_page(**_: Any) -> None:
    """Drop the cached home page now, and again when the saving transaction commits: a visit
    in between would have cached what it read before the commit."""
    keys = [_home_key(code) for code, _name in settings.LANGUAGES]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _home_page() -> dict[str, Any]:
    effective_by_kind = dict(
        ListEntry.objects.filter(in_force(clock.today()), list__kind__in=PUBLIC_LIST_KINDS)
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


# An entry saved or deleted here (an officer's decision, an exit) shows on the home page at once.
post_save.connect(forget_home_page, sender=ListEntry, dispatch_uid="portal-home-entry-saved")
post_delete.connect(forget_home_page, sender=ListEntry, dispatch_uid="portal-home-entry-deleted")
