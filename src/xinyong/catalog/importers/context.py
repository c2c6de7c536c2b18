"""What rows are checked against, read once before an import starts (R8, R9, R13)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import NamedTuple

from xinyong.catalog.publication import TierRule
from xinyong.core.protection import KeyRing
from xinyong.core.workdays import WorkCalendar


@dataclasses.dataclass(frozen=True)
class ItemInfo:
    """What the checks need to know of a catalog item."""

    id: int
    code: str
    name: str
    subject_kinds: frozenset[str]
    is_public: bool
    is_serious: bool
    months: tuple[int | None, int | None]
    rules: dict[str, TierRule]
    # The data items its submission list states (R13): the only columns, beyond the format's
    # own fields, that a record of the item keeps.
    data_items: frozenset[str] = frozenset()


class KnownPenaltyType(NamedTuple):
    """A penalty type as one of its spellings names it: its name, its tier and its row's id,
    by which a decision's types are kept and compared, whatever spelling named them (R8)."""

    name: str
    tier: str
    id: int


@dataclasses.dataclass(frozen=True)
class ImportContext:
    """Everything a row is checked against, read before the import starts."""

    kind: str
    today: dt.date
    calendar: WorkCalendar
    keys: KeyRing  # the data keys: identifiers hashed, citizen IDs encrypted (R14)
    item: ItemInfo | None = None  # licences and penalties: the item they are recorded under
    items: dict[str, ItemInfo] = dataclasses.field(default_factory=dict)  # records: by code
    # Records: the department's licence and penalty items, by code → the import they need.
    own_imports: dict[str, str] = dataclasses.field(default_factory=dict)
    penalty_types: dict[str, KnownPenaltyType] = dataclasses.field(default_factory=dict)
