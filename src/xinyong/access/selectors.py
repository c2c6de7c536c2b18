"""What a credit subject sees of itself (R14: a subject sees only itself; R5 does not mask it).

Every read starts from the caller's account, never from an identifier the caller sends, so no
parameter can point it at another subject.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from xinyong.access.roles import subject_of
from xinyong.catalog.models import CreditRecord
from xinyong.core.errors import XinyongError
from xinyong.listings.models import EntryState, ListEntry, ListEntryEvent
from xinyong.subjects.models import Subject

# A draft is the department's working paper until the subject is told of it (001 §8).
_NOT_YET_TOLD = [EntryState.DRAFT]


@dataclass(frozen=True)
class OwnRecord:
    subject: Subject
    entries: QuerySet[ListEntry]
    named_in: list[ListEntry]
    records: QuerySet[CreditRecord]


def own_subject(user: Any) -> Subject:
    """The subject this account acts for; any other caller is refused."""
    subject = subject_of(user)
    if subject is None:
        raise XinyongError("subject-account-required", "仅限信用主体本人查询", status=403)
    return subject


def own_record(user: Any) -> OwnRecord:
    """The caller's identity, its list entries, the entries naming it and its credit records."""
    subject = own_subject(user)
    entries = (
        ListEntry.objects.filter(subject=subject)
        .exclude(state__in=_NOT_YET_TOLD)
        # The repair minimum, and an entry's own decision that it is not repairable (R8).
        .select_related("list__recognizing_department", "list__catalog_item", "not_repairable")
        .order_by("-proposed_on", "-id")
    )
    # An entry whose naming of the subject was removed on its objection (``unname``, 004
    # §二(三)6) stays here: the person reads the answer to its objection on it (R6).
    unnamed = ListEntryEvent.objects.filter(action="unname", data__objector_person=subject.pk)
    named_in = (
        ListEntry.objects.filter(Q(persons__person=subject) | Q(pk__in=unnamed.values("entry_id")))
        .exclude(state__in=_NOT_YET_TOLD)
        .select_related("list__recognizing_department", "subject")
        .distinct()
        .order_by("-proposed_on", "-id")
    )
    records = (
        CreditRecord.objects.filter(subject=subject)
        .select_related("catalog_item", "department")
        .order_by("-decision_date", "-id")
    )
    return OwnRecord(
        subject=subject, entries=entries, named_in=_as_read_by_a_named_person(named_in),
        records=records,
    )  # fmt: skip


def _as_read_by_a_named_person(entries) -> list[ListEntry]:
    """An organisation's entries as a person they name may read them: the facts an officer
    wrote are about the organisation, and may name other persons, who are masked there as in
    a public text (R14: the person sees its own record, not other persons')."""
    from xinyong.listings.documents import public_text

    shown = list(entries)
    for entry in shown:
        entry.facts_for_reader = public_text(entry, entry.facts)
    return shown
