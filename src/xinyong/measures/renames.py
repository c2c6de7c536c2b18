"""A measure renamed in the measures list stays stated by the decisions that stated it (R1, R10).

Every write that changes measures' names (``loading.load_measures_file``, the admin) calls
``restate_decisions`` with each name as it was and as it became, in its own transaction and
after its last change of the list, and puts what it returns in its audit row. Which changes are
renames and which are shifts is ``core.measure_renames``' rule, read against every measure's
name, active or not, as the list stood before the change and as it stands after.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from xinyong.core.measure_renames import renamed
from xinyong.listings.services import restate_renamed_measures
from xinyong.measures.models import Measure


def restate_decisions(
    changes: Iterable[tuple[str, str]], names_before: Collection[str]
) -> dict[str, Any] | None:
    """The entries whose decisions state a measure renamed by ``changes`` (``(old, new)`` per
    row whose name changed) restated under its new name; for the audit row, the renames and how
    many entries were restated, or None when no change was a rename. ``names_before``: the
    names the measures list had before the change, at least the new ones that it had. A shift
    keeps the old name on another row, or gives the row a name another measure had: the
    decisions go on naming the measure they stated (``core.measure_renames.renamed``)."""
    changes = [(old, new) for old, new in changes if old != new]
    if not changes:
        return None
    olds = {old for old, _ in changes}
    names_after = set(Measure.objects.filter(name__in=olds).values_list("name", flat=True))
    renames = renamed(changes, names_before, names_after)
    if not renames:
        return None
    entries = restate_renamed_measures(renames)
    return {"renamed": {old: list(new) for old, new in renames.items()}, "entries": len(entries)}
