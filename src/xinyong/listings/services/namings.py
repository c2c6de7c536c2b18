"""A person an organisation's entry names, removed when its objection to being named is found
founded (R6, 000 §十一.3, 004 §二(三)6).

The objection disputed the naming, not the organisation's listing: the ``unname`` step of the
workflow removes that person's naming (each role it held) and nothing else. The entry, its
announcements and the organisation's measures stand; the person is answered, with the written
apology the error is owed; the change feed tells the naming ended (``naming_ended``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from xinyong.core.errors import XinyongError
from xinyong.listings import documents
from xinyong.listings.models import ListEntry, ListEntryPerson
from xinyong.listings.services.transitions import close_objection, transition
from xinyong.listings.workflow import Action


def remove_naming_after_verification(
    entry_id: int, *, actor: Any, finding: str, version: int | None = None
) -> ListEntry:
    """The objection of the person the entry names (``ListEntry.objecting_person``) to being
    named is founded: that person's naming is removed (R6, 000 §十一.3, 004 §二(三)6).

    The history event keeps whose naming it was and the roles removed (``objector_person``,
    ``removed_roles``), and the letter the person is sent (``objection_result``); the audit row
    the entry before and after. The organisation's listing stays in force, untouched."""
    if not finding.strip():
        raise XinyongError("finding-required", "须写明核实结论", status=422)

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        person_id = entry.objecting_person_id
        namings = list(
            ListEntryPerson.objects.filter(entry=entry, person_id=person_id).order_by("id")
        )
        roles = "、".join(dict.fromkeys(str(row.role_label) for row in namings))
        answers = documents.naming_objection_founded(entry, finding, roles)
        ListEntryPerson.objects.filter(pk__in=[row.pk for row in namings]).delete()
        close_objection(entry)
        return {
            "objector_person": person_id,
            "removed_roles": [row.role for row in namings],
            **answers,
        }

    return transition(
        entry_id, Action.UNNAME, actor=actor, version=version, apply=apply, reason=finding
    )
