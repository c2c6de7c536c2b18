"""What an import keeps of a row as text: the report's values and the record's content (R14,
001 §14).

Neither ever holds a prohibited column's cells, and both mask citizen IDs: the subject's own
ID is stored encrypted with the subject, and a representative's is not needed in full. The
USCC column is no exception: masking keeps an organisation's code as it is, and whatever else
is there in a person's ID's shape is a person's.
"""

from __future__ import annotations

import re
from operator import itemgetter

import orjson

from xinyong.catalog.importers.formats import HeaderMap
from xinyong.catalog.importers.outcomes import written_wider
from xinyong.core.free_text import mask_citizen_ids_however_written
from xinyong.core.protection import has_citizen_id_run, mask_citizen_ids

REPORT_CELL = 200  # characters of a value shown in the report
SEPARATOR = "\x1f"  # joins a row's cells for one search: the ASCII unit separator
NUL, _NUL_SHOWN = "\x00", "\u2400"  # a NUL character, and the symbol the report shows for it
# Half of a UTF-16 surrogate pair alone, which only a JSON escape makes (``\ud800``): no UTF-8
# text holds one, so neither PostgreSQL nor a record's JSON can. Shown as U+FFFD.
LONE_SURROGATE, _SURROGATE_SHOWN = re.compile("[\ud800-\udfff]"), "\ufffd"


class RowText:
    """The report's columns and the content's fields of one file. ``content_keys`` name the
    layout fields the file has, as the current edition names them, and ``content_positions``
    say where each one's text is in a row being checked; ``surrogates_possible``: the file's
    text may hold a lone surrogate (a JSON file's escapes), which the report replaces."""

    def __init__(
        self,
        header: list[str],
        header_map: HeaderMap,
        content_keys: tuple[str, ...],
        content_positions: tuple[int, ...],
        *,
        surrogates_possible: bool = False,
    ) -> None:
        self.width = header_map.width
        self._surrogates_possible = surrogates_possible
        self.report_columns = tuple(i for i in range(self.width) if i not in header_map.sensitive)
        self._report_getter = _getter(self.report_columns)
        self.report_header = tuple(header[i] for i in self.report_columns)
        self._guarded = bool(header_map.sensitive)
        self._blank = ("",) * len(self.report_columns)
        self.content_keys = content_keys
        self._content = _getter(content_positions)
        self._extra = (
            tuple((header[i], i) for i in header_map.unknown)
            if header_map.layout.keep_unknown
            else ()
        )

    def report_values(self, cells: list[str]) -> tuple[str, ...]:
        """The row as the report keeps it: no prohibited column, long cells cut, citizen IDs
        masked, also in groups or two back to back, as a refused code may be written
        (``free_text.mask_citizen_ids_however_written``): the row number finds the row in
        the department's own file (R14). For a row
        whose cells are where the header says (the checker may have added cells past them);
        one of another width goes through ``misaligned_values``, and one written wider, as
        a row ending in a delimiter, shows nothing either in a file with a prohibited column
        (``outcomes.TrimmedRow``)."""
        if self._guarded and written_wider(cells):
            return self._blank
        if len(cells) != self.width:
            cells = (list(cells) + [""] * self.width)[: self.width]
        values = self._report_getter(cells)
        shown = tuple(
            mask_citizen_ids_however_written(
                v if len(v) <= REPORT_CELL else v[:REPORT_CELL] + "…"
            ).replace(NUL, _NUL_SHOWN)
            for v in values
        )
        if self._surrogates_possible:
            return tuple(LONE_SURROGATE.sub(_SURROGATE_SHOWN, v) for v in shown)
        return shown

    def misaligned_values(self, cells: list[str]) -> tuple[str, ...]:
        """The report's values of a row whose cell count differs from the header's: in a file
        with a prohibited column, none at all (001 §14, R14); in any other file, the cells by
        position as ``report_values`` gives them.

        None rather than those before the prohibited column's position: a delimiter too many
        shifts the later values right, so that a prohibited value lands under a later column;
        one too few merges two cells and shifts the later values left, so that it lands under
        an earlier one, or inside an earlier cell; and a row may have both. The cell count
        tells neither where nor which way, so no position of such a row is known to be free
        of prohibited data. The row number still finds the row in the department's own file,
        and the reason says what is wrong with it.
        """
        if self._guarded:
            return self._blank
        return self.report_values(cells)

    def content(self, cells: list[str]) -> tuple[str, ...]:
        """The content columns, citizen IDs masked: one search of the joined row finds none in
        most rows, and one substitution over it masks the rest."""
        values = self._content(cells)
        joined = SEPARATOR.join(values)
        if not has_citizen_id_run(joined):
            return values
        if joined.count(SEPARATOR) == len(values) - 1:
            # The separator is not a character an ID's boundaries allow, so masking the
            # joined row masks each cell exactly as masking the cells one by one would.
            return tuple(mask_citizen_ids(joined).split(SEPARATOR))
        return tuple(mask_citizen_ids(value) for value in values)  # a cell holds the separator

    def content_json(self, cells: list[str], kept: frozenset[str] = frozenset()) -> str:
        """The record's content as JSON text: the row's non-empty national fields, then the
        other columns the layout keeps that are among ``kept``, the data items the record's
        catalog item states (R13: only what the catalog provides for is collected). Built
        here, where it costs a few microseconds, rather than by the database from one staged
        column per field."""
        content = {
            key: value
            for key, value in zip(self.content_keys, self.content(cells), strict=True)
            if value
        }
        if self._extra and kept:
            # Extra columns are free text, their names too: either may hold a citizen ID.
            content.update(
                (mask_citizen_ids(name), mask_citizen_ids(cells[i]))
                for name, i in self._extra
                if cells[i] and name.strip() in kept
            )
        return orjson.dumps(content).decode()


def _getter(indexes: tuple[int, ...]):
    """A function that picks ``indexes`` from a list as a tuple, in C."""
    if not indexes:
        return lambda cells: ()
    if len(indexes) == 1:
        only = indexes[0]
        return lambda cells: (cells[only],)
    return itemgetter(*indexes)
