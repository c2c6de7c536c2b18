"""A credit subject objects online to its own entry (R6, 000 §十一.2, 002 §二十七).

The objection goes through the listing procedure's own ``record_objection``, as an officer's
registration does: the same workflow edge, 20-day deadline, suspension of measures where the
list says so, history event, audit row and notices. This module adds what is the subject's:
its own scope, the account that sent it, and the evidence files.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from xinyong.access.selectors import own_subject
from xinyong.core.errors import XinyongError
from xinyong.listings import services as listings
from xinyong.listings.models import EntryState, ListEntry
from xinyong.listings.workflow import Action
from xinyong.remedies import evidence
from xinyong.remedies.models import ObjectionEvidence, OnlineObjection


def own_entry(user: Any, entry_id: int) -> ListEntry:
    """One of the caller's own entries that it has been told of; any other is not found (R14)."""
    entry = (
        ListEntry.objects.filter(pk=entry_id, subject=own_subject(user))
        .exclude(state=EntryState.DRAFT)
        .select_related("list__recognizing_department", "subject")
        .first()
    )
    if entry is None:
        raise XinyongError("entry-not-found", "名单记录不存在", status=404)
    return entry


def object_to_entry(
    entry_id: int, *, actor: Any, grounds: str, files: Sequence[UploadedFile] = ()
) -> OnlineObjection:
    """Record the subject's objection to its own entry, with its evidence (R6).

    One objection is verified at a time: a second is refused while one is open, whichever
    state the entry is in.
    """
    entry = own_entry(actor, entry_id)
    kinds = evidence.check(files)
    kept: list[str] = []
    try:
        with transaction.atomic():
            if ListEntry.objects.select_for_update().get(pk=entry.pk).verification_due_on:
                raise XinyongError(
                    "objection-pending", "已有异议正在核实，核实结束前不能再次提出", status=409
                )
            listings.record_objection(
                entry.pk, actor=actor, objector=entry.subject.name, grounds=grounds, system=True
            )
            event = entry.events.filter(action=Action.OBJECT).latest("id")
            objection = OnlineObjection.objects.create(entry=entry, event=event, account=actor)
            for upload, kind in zip(files, kinds, strict=True):
                kept.append(evidence.keep(upload, entry.pk, kind))
                ObjectionEvidence.objects.create(
                    objection=objection, stored_name=kept[-1], file_name=(upload.name or "")[-255:],
                    content_type=kind.content_type, size=upload.size or 0,
                )  # fmt: skip
    except BaseException:
        for name in kept:  # the objection was not recorded: keep none of its files
            evidence.storage().delete(name)
        raise
    return objection
