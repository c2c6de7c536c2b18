"""Whether a staged row states the decision a record holds, as the database compares them:
the record's parsed, typed columns against the row's (R6, R8, issue 5 §3–4); and, for a live
record, the end of publication each states, where the row's file has its column
(``STATED_ENDS``). Shared by the import's writer (``bulk``: a department's row sent again, a
revoked record's decision sent again) and the look-up of another department's record of a
decision (``held_elsewhere``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from xinyong.catalog.importers.cell_values import parse_date
from xinyong.catalog.importers.formats import BODY_CODE_CONTENT, LICENCES, PENALTIES, Layout

# The record's columns a row sent again must match to be the same decision, each as its staged
# column compares with it: typed on PostgreSQL; on SQLite the stage is untyped, its fine the
# amount's text (1.0 and 1 are one fine). Only what the decision itself states and nothing on
# the platform rewrites: a repair lowers the tier and shortens the window (R8), the credit
# office changes a tier's months, and the department's own export, sent again, still says what
# the decision said. A penalty's types are compared as the set of penalty-type rows they name
# (``_TYPES``), not as their text or through the tier they put the decision in.
_COMPARED = {
    "catalog_item_id": "s.catalog_item_id", "decision_date": "s.decision_date",
    "fine_amount": "s.fine_amount",
}  # fmt: skip
# The end of its publication a decision states, from which its window is worked out (R8, R9):
# a penalty's 公示截止期, kept between its tier's minimum and maximum; a licence's 有效期至, its
# window's end. Content key → the field's label. The record keeps it only as sent, in its
# content, and its window may since have been shortened by a repair or a tier's new months: the
# stated dates are compared, as dates (``stated_ends_sql``, ``changed_ends``).
STATED_ENDS = {
    field.content: field.label
    for field in (PENALTIES.field("publication_until"), LICENCES.field("valid_until"))
}
# Where a record's content keeps its fine (万元): a file without the column states none.
FINE_CONTENT = PENALTIES.field("fine").content
# Compared only where the record keeps them: a penalty recorded before they were kept has
# none (NULL), and is compared on the columns above alone (a revoked one also on their text,
# ``importers.decision_statement``).
_TYPES = "penalty_type_ids"


def same_columns(*, postgres: bool, fine_stated: bool = True) -> str:
    """Whether a staged row ``s`` states what the record ``r`` of its identity holds in its
    typed columns: its parsed columns compared with the record's, NULL-safe, the fine as a
    number, the penalty types as the set they name where the record keeps it (R6, R8, issue 5
    §3–4). The content's text is not compared: the same decision written 2026/11/02 or
    20261102, a fine of 1.0, a name with a trailing space, 罚款；吊销许可证 or 吊销许可证件、罚款
    read the same. A live record's decision is that alone; a revoked one's is compared on its
    content too (``bulk.ChunkWriter._revoked_sent_again``).

    ``fine_stated``: whether the row's file has the fine's column (``Stated.fine``). A file
    without it (the older-edition template has none) states no fine, and its rows are compared
    on the other columns alone; an empty cell in the column states that there is none, and is
    compared, whichever department recorded the decision. Where the record's own file may have
    lacked the column, the fine is asked apart (``same_fine``, ``recorded_stated``)."""
    staged = dict(_COMPARED)
    if not fine_stated:
        del staged["fine_amount"]
    elif not postgres:
        staged["fine_amount"] = "CAST(s.fine_amount AS NUMERIC)"
    same_as = " IS NOT DISTINCT FROM " if postgres else " IS "
    compared = [f"r.{c}{same_as}{v}" for c, v in staged.items()]
    compared.append(f"(r.{_TYPES} IS NULL OR r.{_TYPES}{same_as}s.{_TYPES})")
    return f"({' AND '.join(compared)})"


def same_fine(*, postgres: bool) -> str:
    """Whether the staged row ``s`` states the fine the record ``r`` holds, as ``same_columns``
    compares it: a number, NULL-safe. Asked apart where the record's own file may have had no
    fine column (``recorded_stated``): only a fine both state is compared."""
    if postgres:
        return "(r.fine_amount IS NOT DISTINCT FROM s.fine_amount)"
    return "(r.fine_amount IS CAST(s.fine_amount AS NUMERIC))"


def content_text(column: str, key: str, *, postgres: bool) -> str:
    """A text value of the content ``column``, NULL where it has none. The key is our own
    constant (``formats``), not input."""
    if postgres:
        return f"({column} ->> '{key}')"
    return f"json_extract({column}, '$.{key}')"


def body_code_sql(alias: str, *, postgres: bool) -> list[str]:
    """The issuing body's code as the record ``alias`` keeps it in its content, one column per
    field that may hold it (``formats.BODY_CODE_CONTENT``), for ``first_code``."""
    return [content_text(f"{alias}.content", key, postgres=postgres) for key in BODY_CODE_CONTENT]


def first_code(values: Iterable[str | None]) -> str | None:
    """The first body code given among ``values`` (``body_code_sql``'s columns, or a content's
    fields in their order), None when none is."""
    return next((value for value in values if value), None)


def stated_in(content_keys: Iterable[str]) -> tuple[str, ...]:
    """The stated ends (``STATED_ENDS``) among a file's content keys: those its header maps. A
    column the file lacks states nothing (the older-edition penalty template has no 公示截止期,
    and some exports leave a column out), so only these are compared with a record's."""
    present = set(content_keys)
    return tuple(key for key in STATED_ENDS if key in present)


@dataclasses.dataclass(frozen=True)
class Stated:
    """What the rows of a file can state of a decision, by the columns its header maps: a
    column the file lacks states nothing (R8, R9). ``ends``: the stated ends it has columns for
    (``stated_in``); ``fine``: whether it has the fine's column; ``lacking``: the content keys
    of its layout it has no column for, left out where a revoked decision's content is
    compared (``importers.decision_statement``)."""

    ends: tuple[str, ...] = tuple(STATED_ENDS)
    fine: bool = True
    lacking: frozenset[str] = frozenset()


def stated_by(layout: Layout, content_keys: Iterable[str]) -> Stated:
    """What a file of ``layout`` whose header maps ``content_keys`` states (``Stated``)."""
    present = set(content_keys)
    lacking = frozenset(f.content for f in layout.fields if f.content and f.content not in present)
    return Stated(stated_in(present), FINE_CONTENT in present, lacking)


def stated_ends_sql(*, postgres: bool, keys: Sequence[str]) -> tuple[str, list[str]]:
    """Whether the staged row ``s`` states the same ends ``keys`` (``stated_in``) as the record
    ``r`` word for word, as nearly every row sent again does, or the texts to read as dates
    when it does not (``changed_ends``): the condition, and the record's and the row's text of
    each, in turn. No keys, no end compared: the condition holds."""
    same_as = " IS NOT DISTINCT FROM " if postgres else " IS "
    same, texts = ["1 = 1"], []
    for key in keys:
        recorded = content_text("r.content", key, postgres=postgres)
        sent = content_text("s.content", key, postgres=postgres)
        same.append(f"{recorded}{same_as}{sent}")
        texts += [recorded, sent]
    return f"({' AND '.join(same)})", texts


def _stated_day(text: object) -> dt.date | None:
    # No date (empty, or 长期 and the like) is no end stated, as the row checker reads it. SQLite
    # answers a JSON number as a number, should a content hold one.
    return parse_date(str(text).strip()) if text else None


def changed_ends(
    texts: Sequence[object], keys: Sequence[str] = tuple(STATED_ENDS)
) -> list[tuple[str, dt.date | None, dt.date | None]]:
    """The stated ends ``keys`` that differ as dates, from ``stated_ends_sql``'s texts: (label,
    the record's, the row's) for each; none when only their writing differs (2027/6/30 is
    2027-06-30)."""
    changed = []
    for key, recorded, sent in zip(keys, texts[::2], texts[1::2], strict=True):
        before, after = _stated_day(recorded), _stated_day(sent)
        if before != after:
            changed.append((STATED_ENDS[key], before, after))
    return changed


def ends_stated_otherwise(
    held: dict[str, Any], sent: dict[str, Any], keys: Sequence[str]
) -> list[tuple[str, dt.date | None, dt.date | None]]:
    """The ends ``keys`` that another department's record ``held`` and a row's content
    ``sent`` state otherwise, as dates (``changed_ends``' form), as a department's own record
    and row are compared: an end stated against none is another window (its tier's maximum
    stands for none), so it differs. Only the ends the row's file has columns for are given
    (``stated_in``): a column the file lacks states nothing."""
    return changed_ends([text for key in keys for text in (held.get(key), sent.get(key))], keys)
