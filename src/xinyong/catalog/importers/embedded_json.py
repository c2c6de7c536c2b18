"""JSON text inside a CSV or Excel cell, or inside a JSON file's string value: a remarks or
content column holding an object or an array, as database exports write nested data (001 §14).

A key inside such a value can name prohibited data (``{"religiousBelief": …}``) exactly as a
key inside a JSON file's value can, so it is checked by the same function,
``formats.nested_sensitive_topic``, and the row is refused the same way: the cell is left out
by the reader and the row comes as a ``FlawedRow`` with the code ``sensitive-field``.

Only a cell whose first non-space character is ``{`` or ``[`` is parsed, and only in a row
that holds one of them at all: one search of the joined row settles almost every row.
"""

from __future__ import annotations

import json

from xinyong.catalog.importers.formats import nested_sensitive_topic
from xinyong.catalog.importers.outcomes import FlawedRow

_OPENERS = ("{", "[")


def sensitive_json_cells(cells: list[str]) -> dict[int, str]:
    """The cells holding a JSON object or array with a key that names prohibited data, by
    index, with the topic (001 §14); empty for almost every row, at the cost of one join."""
    joined = "".join(cells)
    if "{" not in joined and "[" not in joined:
        return {}
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        text = cell.lstrip()
        if not text.startswith(_OPENERS):
            continue
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):  # not JSON after all, or nested past all sense
            continue
        topic = nested_sensitive_topic(value)
        if topic is not None:
            found[index] = topic
    return found


def refuse_sensitive_json(row: list[str]) -> list[str]:
    """The row as read; or, when a cell's JSON names prohibited data, the row with that cell
    emptied, flawed (``sensitive-field``) so the checker refuses it: nothing after the reader
    ever holds the value, as with a JSON file's nested value."""
    found = sensitive_json_cells(row)
    if not found:
        return row
    for index in found:
        row[index] = ""
    return FlawedRow(row, "sensitive-field", columns=found)
