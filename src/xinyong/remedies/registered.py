"""An officer registers an objection the department received on paper or at the counter, and
says who objects: the entry's subject itself, a person the entry names, or another party (R6,
000 §十一.2; 004 §二(三)6: the persons an organisation's entry names are listed too).

The objection goes through the listing procedure's own ``record_objection``, as one sent online
does: the same workflow edge, 20-day deadline, suspension, history event, audit row and
notices. This module adds who objected (``RegisteredObjection``), so that the subject or the
person follows it on its own page as it follows one it sent online (``remedies.selectors``),
and so that a person the entry names is the one answered (``objection_letters.objection_result``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from xinyong.core.errors import XinyongError
from xinyong.listings import selectors as listing_selectors
from xinyong.listings import services as listings
from xinyong.listings.models import ListEntry, ListEntryPerson
from xinyong.listings.workflow import Action
from xinyong.remedies.models import ObjectorKind, RegisteredObjection
from xinyong.remedies.services import roles_of
from xinyong.subjects.models import Subject

NOT_NAMED = "该人员不是此名单记录所列人员，不能以所列人员身份登记异议"


def register_objection(
    entry_id: int, *, actor: Any, grounds: str, objector_kind: str = ObjectorKind.OTHER,
    objector: str = "", person: Subject | str | None = None, version: int | None = None,
    received_on: dt.date | None = None,
) -> ListEntry:  # fmt: skip
    """Register an objection and who made it (R6).

    ``objector_kind`` says who: ``subject`` (its name is the subject's), ``named_person`` with
    ``person`` (a subject, or its identifier as the API takes it) among the persons the entry
    names, or ``other`` with the ``objector``'s name as typed. The name is typed only for
    another party: for the subject or a named person it is the one on record, so that the
    history and the answer name them as their own page does. ``received_on``: the day the
    objection arrived, when before today; its 20 days count from it (``core.receipt``).
    """
    kind = _kind(objector_kind)
    if person is not None and kind != ObjectorKind.NAMED_PERSON:
        raise XinyongError(
            "objector-person-not-taken", "只有异议人为名单记录所列人员时才指明人员", status=422
        )
    if objector.strip() and kind != ObjectorKind.OTHER:
        raise XinyongError(
            "objector-name-not-taken",
            "异议人为主体本身或名单记录所列人员时，按记录填写其名称，不另行填写异议人",
            status=422,
        )
    with transaction.atomic():
        # Another department's entry is not found, as in every step of the procedure (R14).
        entry = listing_selectors.entry_for(actor, entry_id)
        named: list[ListEntryPerson] = []
        if kind == ObjectorKind.SUBJECT:
            objector = entry.subject.name
        elif kind == ObjectorKind.NAMED_PERSON:
            named = _named(entry, person)
            objector = named[0].person.name
        listings.record_objection(
            entry.pk, actor=actor, objector=objector, grounds=grounds, version=version,
            named_as=roles_of(named), objector_kind=kind, received_on=received_on,
            person=named[0].person if named else None,
        )  # fmt: skip
        RegisteredObjection.objects.create(
            entry=entry, event=entry.events.filter(action=Action.OBJECT).latest("id"),
            objector_kind=kind, person=named[0].person if named else None,
        )  # fmt: skip
    entry.refresh_from_db()
    return entry


def _kind(value: str) -> ObjectorKind:
    try:
        return ObjectorKind(value)
    except ValueError:
        raise XinyongError(
            "objector-kind-unknown",
            f"异议人类别须为以下之一：{'、'.join(ObjectorKind.values)}",
            status=422,
        ) from None


def _named(entry: ListEntry, person: Subject | str | None) -> list[ListEntryPerson]:
    """The rows naming ``person`` in the entry, in every role it is named in; a person the
    entry does not name, or no person, is refused (004 §二(三)6)."""
    if person is None or (isinstance(person, str) and not person.strip()):
        raise XinyongError(
            "objector-person-required", "须指明提出异议的名单记录所列人员", status=422
        )
    rows = ListEntryPerson.objects.filter(entry=entry).select_related("person").order_by("id")
    if isinstance(person, str):
        rows = rows.filter(person__in=Subject.objects.identified_by(person.strip()))
    else:
        rows = rows.filter(person=person)
    named = list(rows)
    if not named:
        raise XinyongError("objector-not-named", NOT_NAMED, status=422)
    return named
