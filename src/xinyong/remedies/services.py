"""A credit subject objects online to its own entry, and a natural person to an organisation's
entry that names it (R6, 000 §十一.2, 002 §二十七: anyone listed or recorded may object).

The objection goes through the listing procedure's own ``record_objection``, as an officer's
registration does: the same workflow edge, 20-day deadline, suspension of measures where the
list says so (of the person's naming only, when a person the entry names objects), history
event, audit row and notices. This module adds what is the objector's: its own scope, the
account that sent it, and the evidence files.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from xinyong.access.selectors import own_subject
from xinyong.core.errors import XinyongError
from xinyong.listings import daily_job_lock
from xinyong.listings import services as listings
from xinyong.listings.models import EntryState, ListEntry, ListEntryPerson
from xinyong.listings.services.transitions import hold_list_row
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


def entry_naming(user: Any, entry_id: int) -> tuple[ListEntry, list[ListEntryPerson]]:
    """An organisation's entry naming the caller's own subject, told to it, and the roles it is
    named in (R6, 004 §二(三)6). Only the person named finds it (R14): another person's id, or
    an entry that does not exist, is not found; the organisation's own account is told it
    objects to its entry as itself, never as a person the entry names."""
    person = own_subject(user)
    named = list(
        ListEntryPerson.objects.filter(entry_id=entry_id, person=person)
        .exclude(entry__state=EntryState.DRAFT)
        .select_related("entry__list__recognizing_department", "entry__subject", "person")
        .order_by("id")
    )
    if named:
        return named[0].entry, named
    own = ListEntry.objects.filter(pk=entry_id, subject=person).exclude(state=EntryState.DRAFT)
    if own.exists():
        raise XinyongError(
            "named-person-only",
            "只有名单记录所列人员本人可以以所列人员身份提出异议；"
            "单位账号请以本单位名义对本单位的名单记录提出异议",
            status=403,
        )
    raise XinyongError("entry-not-found", "名单记录不存在", status=404)


def object_to_entry(
    entry_id: int, *, actor: Any, grounds: str, files: Sequence[UploadedFile] = ()
) -> OnlineObjection:
    """Record the subject's objection to its own entry, with its evidence (R6)."""
    entry = own_entry(actor, entry_id)
    return _object(entry, actor=actor, grounds=grounds, files=files, objector=entry.subject.name)


def object_as_named_person(
    entry_id: int, *, actor: Any, grounds: str, files: Sequence[UploadedFile] = ()
) -> OnlineObjection:
    """Record the objection of a person an organisation's entry names, with its evidence (R6,
    004 §二(三)6: the organisation's dishonesty is recorded against the person too).

    The entry's subject stays the organisation; the history names the person and the roles it
    is named in, so that the department knows whom it answers
    (``objection_letters.objection_result``). The objection disputes the person's naming, not the
    organisation's listing: while it is verified only the measures reaching the person through
    the entry are suspended (R6).
    """
    entry, named = entry_naming(actor, entry_id)
    person = named[0].person
    return _object(
        entry, actor=actor, grounds=grounds, files=files, objector=person.name, person=person,
        named_as=roles_of(named),
    )  # fmt: skip


def roles_of(named: Sequence[ListEntryPerson]) -> str:
    """The roles a person is named in (法定代表人、主要负责人…), each once."""
    return "、".join(dict.fromkeys(str(row.role_label) for row in named))


def _object(
    entry: ListEntry, *, actor: Any, grounds: str, files: Sequence[UploadedFile], objector: str,
    person: Any = None, named_as: str = "",
) -> OnlineObjection:  # fmt: skip
    """One objection of each kind is verified at a time: the entry's own (the subject's, or,
    against a candidate, anyone's) while another is open, and a person's to being named in an
    effective entry while that person's is open; the two kinds are verified side by side (R6).

    The locks are taken in the order every step takes them (``listings.services.transitions``):
    the daily job's lock, the list's row, then the entry's, under which the refusal is read.
    Taken entry first, the objection then waited for the list's row, and a writer holding that
    row exclusively (as a change of the list's suspension setting does) that then reached the
    entry waited for the objection: a deadlock."""
    kinds = evidence.check(files)
    with evidence.kept_only_if_taken() as kept, transaction.atomic():
        daily_job_lock.wait_for_the_daily_job()
        hold_list_row(entry.pk)
        locked = ListEntry.objects.select_for_update().get(pk=entry.pk)
        if person is not None and locked.state == EntryState.EFFECTIVE:
            if locked.naming_objection_of(person.pk) is not None:
                raise XinyongError(
                    "naming-objection-pending",
                    "你对被列为所列人员提出的异议正在核实，核实结束前不能再次提出",
                    status=409,
                )  # fmt: skip
        elif locked.verification_due_on:
            raise XinyongError(
                "objection-pending", "已有异议正在核实，核实结束前不能再次提出", status=409
            )
        listings.record_objection(
            entry.pk, actor=actor, objector=objector, grounds=grounds, system=True,
            named_as=named_as, person=person,
        )  # fmt: skip
        event = entry.events.filter(action=Action.OBJECT).latest("id")
        objection = OnlineObjection.objects.create(
            entry=entry, event=event, account=actor, person=person
        )
        for upload, kind in zip(files, kinds, strict=True):
            evidence.store(ObjectionEvidence, upload, kind, entry.pk, kept, objection=objection)
    return objection
