"""A person an organisation's entry names, removed when its objection to being named is found
founded (R6, 000 §十一.3, 004 §二(三)6).

The objection disputed the naming, not the organisation's listing: the ``unname`` step of the
workflow removes that person's naming (each role it held) and nothing else. The entry, its
announcements and the organisation's measures stand; the person is answered, with the written
apology the error is owed; the change feed tells the naming ended (``naming_ended``). The
naming counted as the person's black listing for the cross-check (R2; 002 §十六): the red
entries it ended are restored, as a black listing found wrong restores them (``restoration``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from xinyong.core.errors import XinyongError
from xinyong.listings import objection_letters, workflow
from xinyong.listings.models import ListEntry, ListEntryPerson
from xinyong.listings.services import overdue_expiry, restoration
from xinyong.listings.services.transitions import objections_context, transition
from xinyong.listings.workflow import Action


@transaction.atomic
def remove_naming_after_verification(
    entry_id: int, *, actor: Any, finding: str, version: int | None = None, person: Any = None,
    entry_objection: bool = False,
) -> ListEntry:  # fmt: skip
    """The objection of a person the entry names to being named is founded: that person's
    naming is removed (R6, 000 §十一.3, 004 §二(三)6).

    ``person`` (a subject or its id) says whose objection, where several persons' are open;
    left out, the one open (``workflow.naming_objection_open``). The entry's own objection, and
    any other person's, stay open as they were; said to decide the entry's own
    (``entry_objection``), the step is refused, as a naming is removed on a person's only.

    The history event keeps whose naming it was and the roles removed (``objector_person``,
    ``removed_roles``), and the letter the person is sent (``objection_result``); the audit row
    the entry before and after. The organisation's listing stays in force, untouched; past its
    last day of validity it has ended by expiry (R4), recorded first (``overdue_expiry``)."""
    if not finding.strip():
        raise XinyongError("finding-required", "须写明核实结论", status=422)
    person_id = getattr(person, "pk", person)

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        context = objections_context(
            entry, objector_person=person_id, entry_objection=entry_objection
        )
        decided = workflow.decided_naming(context)
        # Held before anything below locks or writes (``restoration``).
        reds = restoration.hold_red_entries(entry, decided)
        namings = list(
            ListEntryPerson.objects.filter(entry=entry, person_id=decided).order_by("id")
        )
        roles = "、".join(dict.fromkeys(str(row.role_label) for row in namings))
        answers = objection_letters.naming_objection_founded(entry, finding, roles, decided)
        ListEntryPerson.objects.filter(pk__in=[row.pk for row in namings]).delete()
        # The naming was the person's black listing for the cross-check (R2): the red entries
        # it ended are restored, as those of a black listing found wrong are, and the letter
        # says so (000 §十一.3).
        restored = restoration.restore_red_entries(
            entry, reds, actor=actor, today=today, letter_to=decided
        )
        if restored:
            answers["objection_result"] += f"\n{restored}"
        return {
            "objector_person": decided,
            "removed_roles": [row.role for row in namings],
            **answers,
        }

    # Past its last day the entry has ended by expiry: recorded first, and the naming removed
    # from the ended entry, as the change feed then tells nothing more of it (R4, R11).
    version = overdue_expiry.expire_before_concluding(entry_id, actor=actor, version=version)
    return transition(
        entry_id, Action.UNNAME, actor=actor, version=version, apply=apply, reason=finding,
        objector_person=person_id, entry_objection=entry_objection,
    )  # fmt: skip
