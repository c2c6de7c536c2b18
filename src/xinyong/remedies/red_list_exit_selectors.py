"""Reads of the requests to leave a red list (R4, 000 §十.2): what a subject sees of its own, and
what the recognizing department sees on an entry's page. Each answers only its caller's own
(R14): the subject's own entries; the department's page is reached through its own entries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from xinyong.core import clock
from xinyong.core.masking import mask_subject_name
from xinyong.listings.models import ListEntry, ListKind
from xinyong.remedies.models import ExitRequestState, RedListExitRequest
from xinyong.remedies.red_list_exits import exit_request_refusal


@dataclass
class ExitRequestRow:
    """One of the subject's red entries: whether it may ask to leave now, and its requests,
    newest first."""

    entry: ListEntry
    may_ask: bool
    requests: list[RedListExitRequest] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"red-list-exit-{self.entry.pk}"


def rows_for_subject(entries: Iterable[ListEntry]) -> list[ExitRequestRow]:
    """The subject's red entries in force, and any other it asked to leave, with its requests
    and their results (R4): a red entry in force takes a request unless one is pending."""
    red = [entry for entry in entries if entry.list.kind == ListKind.RED]
    found: dict[int, list[RedListExitRequest]] = {}
    # With the exit each led to, which ``GET /api/v1/me`` shows: read in the same query.
    requests = RedListExitRequest.objects.filter(entry__in=red).select_related("exit_event")
    for request in requests.order_by("-id"):
        found.setdefault(request.entry_id, []).append(request)
    today = clock.today()
    rows = []
    for entry in red:
        requests = found.get(entry.pk, [])
        refused = exit_request_refusal(entry, today)
        if refused is not None and not requests:
            continue  # a candidate, or an entry ended, has nothing to leave
        pending = any(request.is_pending for request in requests)
        rows.append(ExitRequestRow(entry, refused is None and not pending, requests))
    return rows


def for_entry(entry: ListEntry) -> list[RedListExitRequest]:
    """The entry's requests, newest first, each with ``asked_by``: the subject the asking
    account acts for, a person masked (欧阳某) as the worklist shows subjects; the account's
    name is not shown."""
    requests = list(
        RedListExitRequest.objects.filter(entry=entry)
        .select_related("account__subject_account__subject")
        .order_by("-id")
    )
    for request in requests:
        # Only the entry's own subject's account asks; one since detached from it reads as it.
        link = getattr(request.account, "subject_account", None)
        subject = link.subject if link is not None else entry.subject
        request.asked_by = mask_subject_name(
            subject.name, is_natural_person=subject.is_natural_person
        )
    return requests


def has_pending(entry: ListEntry) -> bool:
    """Whether the entry's subject asked to leave and the department has not exited it yet."""
    return RedListExitRequest.objects.filter(entry=entry, state=ExitRequestState.PENDING).exists()
