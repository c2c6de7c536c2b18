"""What a decision states, read as the import reads a row: whether a row sent under the
number of a revoked record is that record's decision sent again or the right decision sent in
its place (R6). No Django here.

A record revoked on a founded objection stays revoked however often its file is imported: its
decision sent again is already recorded, never published again, however the sending system
writes it this time (2026/11/02 or 20261102 for 2026-11-02, a fine of 1.0 for 1, a stray or
full-width space, full-width brackets). The right decision, sent under the same document number
once the wrong one is revoked, says otherwise in something it states: a date or an amount (which
are not corrected on the platform but revoked and sent again, ``remedies.record_corrections``),
its penalty types, its facts, basis or content, its issuing body, its subject's name. So every
field of the content is compared but the sending system's bookkeeping
(``formats.BOOKKEEPING_CONTENT``), each as it is read: dates as dates, amounts as amounts, text
as NFKC text without whitespace, the document number in its canonical form
(``core.document_numbers``); an empty field is no field. The catalog item, decision date,
fine and penalty types are compared by the database on the record's typed columns
(``catalog.bulk``), so their fields are left out here, the types only where the record keeps
them: a record stored before it kept them has their text compared instead.

The record's summary (摘要) is not compared: it repeats a field of the content for the national
formats, and an officer corrects it in place on a founded objection rather than revoking the
record (``remedies.record_corrections``).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from xinyong.catalog.importers.cell_values import AmountRefused, parse_amount, parse_date
from xinyong.catalog.importers.formats import (
    BOOKKEEPING_CONTENT,
    DOCUMENT_NUMBER_CONTENT,
    LAYOUTS,
    PENALTIES,
)
from xinyong.catalog.importers.penalty_types import TYPE_SEPARATORS, normalize_penalty_name
from xinyong.core.document_numbers import canonical_document_number


def _content_of(*keys: str) -> frozenset[str]:
    """The content keys of the national formats' fields ``keys``."""
    fields = [f for layout in LAYOUTS.values() for f in layout.fields]
    return frozenset(f.content for f in fields if f.content and f.key in keys)


# Compared by the database on the record's typed columns (``catalog.bulk``).
TYPED_CONTENT = _content_of("decision_date", "fine")
TYPES_CONTENT = PENALTIES.field("penalty_types").content
DATE_CONTENT = _content_of("valid_from", "valid_until", "publication_until")
AMOUNT_CONTENT = _content_of("confiscated")
_LEFT_OUT = frozenset(BOOKKEEPING_CONTENT) | TYPED_CONTENT


def folded(text: str) -> str:
    """Text as compared: full-width characters as their ASCII forms (NFKC), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def penalty_type_names(text: str) -> frozenset[str]:
    """A decision's penalty types as written, for a record that keeps no rows of them (one
    stored before records kept them): the names, each once, in any order, whatever separates
    them (警告；罚款 is 罚款、警告). A name that holds a separator itself is split the same way
    on both sides, so it still compares equal."""
    pieces = TYPE_SEPARATORS.split(normalize_penalty_name(text))
    return frozenset(folded(piece) for piece in pieces[::2] if folded(piece))


def _read(key: str, value: Any) -> object:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if key == TYPES_CONTENT:
        return penalty_type_names(text) or ""
    if key in DOCUMENT_NUMBER_CONTENT:  # as the record's identity reads it (R9)
        return canonical_document_number(text)
    if key in DATE_CONTENT:
        day = parse_date(text.strip())
        if day is not None:
            return day
    elif key in AMOUNT_CONTENT:
        try:
            return Decimal(parse_amount(text.strip()))
        except AmountRefused:
            pass
    return folded(text)


def statement(
    content: Mapping[str, Any], *, types_kept: bool, unstated: frozenset[str] = frozenset()
) -> dict[str, object]:
    """What ``content`` states of its decision, each field read (see the module). The penalty
    types are left out when the record keeps them (``types_kept``): compared as their rows;
    so are the fields ``unstated``, which the row's file has no column for."""
    left_out = _LEFT_OUT | {TYPES_CONTENT} if types_kept else _LEFT_OUT
    left_out |= unstated
    stated = {}
    for key, value in content.items():
        if key in left_out or value is None:
            continue
        read = _read(key, value)
        if read != "":
            stated[key] = read
    return stated


def same_statement(
    recorded: Mapping[str, Any],
    recorded_body: str,
    sent: Mapping[str, Any],
    sent_body: str,
    *,
    types_kept: bool,
    unstated: frozenset[str] = frozenset(),
) -> bool:
    """Whether a revoked record's content and issuing body, and a row's, state the same
    decision, the typed columns aside (see the module; R6). ``unstated``: the fields the row's
    file has no column for (the older-edition template has no 违法行为类型, no body's code):
    a column the file lacks states nothing, so the record's are not compared with it."""
    return folded(recorded_body) == folded(sent_body) and statement(
        recorded, types_kept=types_kept, unstated=unstated
    ) == statement(sent, types_kept=types_kept, unstated=unstated)
