"""A ruling that an entry is not repairable, found wrong, is lifted (R8, R10; 000 §十一.3).

The officer who signs a black listing may rule it especially serious and not repairable (R8;
``decision.sign_decision``). A ruling that does not fit the behaviour (R10: the severity fits
the behaviour) grades the dishonesty wrongly, and the recognizing department corrects it, tells
the subject with a written apology and clarifies it in public (000 §十一.3). Unlifted, it would
bar the subject from repair for as long as the entry lasts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from xinyong.core.errors import XinyongError
from xinyong.listings import documents
from xinyong.listings.decision_records import Announcement, EntryNotRepairable
from xinyong.listings.models import ListEntry
from xinyong.listings.services.transitions import announce, transition
from xinyong.listings.workflow import Action


def lift_not_repairable(
    entry_id: int, *, actor: Any, reason: str, version: int | None = None
) -> ListEntry:
    """Lift the ruling of the entry's decision that it is not repairable, for ``reason``.

    Taken as a step of the workflow (``Action.LIFT_NOT_REPAIRABLE``, an effective entry stays
    effective): the list's row and the entry's are held as every step holds them, and the
    edge's guard lets through only an officer of the recognizing department who may sign, a
    ruling that stands, and an entry in force (``workflow.not_repairable_liftable``). The step
    writes its history event and one audit row.

    The ruling is kept as decided; its lifting is recorded on it, with the day and the reason,
    after its row is locked too (history is never rewritten: the decision document and notice
    keep what they said). A correction notice follows the decision notice on its channel, public
    only while the decision notice is (``Announcement.Kind.RULING_LIFTED``), and
    the subject's letter, with the apology, goes with the event (``result_to_subject``). From
    then on the entry takes repair applications and the exit as repaired as any other (R8).
    """
    reason = reason.strip()
    if not reason:
        raise XinyongError("lift-reason-required", "须写明撤销不适用信用修复认定的理由", status=422)

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        # The entry's row, held by the step, makes two liftings take turns; the ruling, which
        # the step changes, is locked as well, and read as the guard read it.
        ruling = EntryNotRepairable.objects.select_for_update().get(pk=entry.pk)
        ruling.lifted_on, ruling.lifted_reason = today, reason
        ruling.save(update_fields=["lifted_on", "lifted_reason"])
        entry.not_repairable = ruling  # what the entry answers from now on
        text = documents.not_repairable_lifted_announcement(entry, ruling, reason, today)
        announce(entry, Announcement.Kind.RULING_LIFTED, text, today)
        return {
            "not_repairable_lifted": {
                "ruling": ruling.reason, "ruled_on": ruling.recorded_on.isoformat(),
            },
            "result_to_subject": documents.not_repairable_lifted_letter(
                entry, ruling, reason, today
            ),
        }  # fmt: skip

    return transition(
        entry_id, Action.LIFT_NOT_REPAIRABLE, actor=actor, version=version, reason=reason,
        apply=apply,
    )  # fmt: skip
