"""The measures each entry's decision states, kept under the measures' names (R1, R10).

``ListEntry.stated_measures`` names measures as the measures list names them, because codes
move when the list is renumbered (``core.measure_renames``). When the list renames a measure,
the entries whose decision stated it are restated here, in the renaming transaction, whose
audit row (the measures load's or the admin's) says how many: the decision stated that measure,
and it goes on following from them under its new name.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping, Sequence

from django.db.models import Q, Value

from xinyong.core.measure_renames import restated
from xinyong.listings.models import ListEntry
from xinyong.listings.selectors import StatesMeasure

BATCH = 1000


def restate_renamed_measures(renames: Mapping[str, Sequence[str]]) -> list[int]:
    """Each entry whose decision states an old name of ``renames`` (old name → its new names)
    states the new ones instead, in the same place; the ids of the entries restated. The
    entries are locked first, so that no write of the same entry made meanwhile is lost.

    Called by the writes that rename measures, in their transaction and under their audit row
    (``measures.renames.restate_decisions``); never for a measure that moved to another code,
    deleted or deactivated, whose decisions are left as they are (R10: none added)."""
    if not renames:
        return []
    stating = functools.reduce(
        operator.or_, (Q(StatesMeasure("stated_measures", Value(old))) for old in renames)
    )
    entries = (
        ListEntry.objects.select_for_update().filter(stating).only("pk", "stated_measures")
        .order_by("pk")
    )  # fmt: skip
    changed = []
    for entry in entries:
        names = restated(entry.stated_measures, renames)
        if names != entry.stated_measures:
            entry.stated_measures = names
            changed.append(entry)
    ListEntry.objects.bulk_update(changed, ["stated_measures"], batch_size=BATCH)
    return [entry.pk for entry in changed]
