"""A measure's name changing under the decisions that state it (R1, R10).

A decision states its measures by name (``ListEntry.stated_measures``), because a measure's
code does not keep it: the measures list's loader makes codes of 序号, so a row inserted above
gives a code, and its row, to another measure. A name that changes on a row is therefore one of
two things, told apart by the list as it stands after the change:

* a **rename**: the measure's name was corrected: the old name names no measure any more, and
  the new one named none before. The decision stated that measure, so it states it under its
  new name: left on the old name, the measure would silently stop following from every entry
  whose decision stated it;
* a **shift**: the old name still names a measure, on another row (the list was renumbered, or
  two names swapped), or the new name was already another measure's, which the row took over
  (a row removed above moves every code after it by one, and the measure that had the name
  is withdrawn or moved too). The decisions stated the measure they name, never the one that
  takes its code: nothing changes.

A measure deleted or deactivated is neither: its name goes, or stays on an inactive row, and
the decisions stating it are left alone (it no longer applies; nothing else is added).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

__all__ = ["renamed", "restated"]


def renamed(
    changes: Iterable[tuple[str, str]], names_before: Collection[str], names_after: Collection[str]
) -> dict[str, tuple[str, ...]]:
    """Each old name that is a rename's, with the new names of the rows that had it, in the
    order of ``changes`` (``(old, new)`` per row whose name changed): the measures list no
    longer has it (``names_after``: every measure's name after the change, active or not),
    and the list had not the new one (``names_before``, the same before the change). Every
    other change is a shift, and left out: when in doubt, a decision's measure stops following
    rather than another measure being added to it (R10: none added)."""
    found: dict[str, list[str]] = {}
    for old, new in changes:
        if old == new or old in names_after or new in names_before:
            continue
        into = found.setdefault(old, [])
        if new not in into:
            into.append(new)
    return {old: tuple(new) for old, new in found.items()}


def restated(stated: Sequence[str], renames: Mapping[str, Sequence[str]]) -> list[str]:
    """The names a decision states once ``renames`` are applied: each renamed name in its place
    replaced by its new ones, each name once."""
    names: list[str] = []
    for name in stated:
        names.extend(renames.get(name, (name,)))
    return list(dict.fromkeys(names))
