"""Batch screening (批量核查, item 6): every row of a file answered as a check would answer it.

The input is CSV (UTF-8 or GB18030) or Excel with a ``code`` column (统一社会信用代码/身份证号), a
``name`` column (名称), or both; a row's code decides when it has one, its name otherwise — and
when its well-formed code is nobody's, its name, with a warning; a known code's row whose name
names another organisation says so (``screening_warnings``: 应查必查). The
output is CSV in UTF-8 with a BOM (so that Excel opens it): every input row, in order, followed
by status (ok / invalid / unknown / matched_by_name / ambiguous), the reason of an invalid row
(never dropped) or of an unknown code whose check character fails (``check-character-mismatch``:
most likely mistyped), the subject matched (a person's code and name masked, R5), the score, the
effective entries, the measures and the result — the same entries, measures, suspension and
result as ``checks.check_by_code`` gives for the same subject (R10, R6).

A row screened by name whose name is a citizen ID is ``invalid`` with the code and message that
``checks.check_by_name`` refuses it with (``name-is-an-identifier``): the ID is never searched as
a name, and the answer's columns never repeat it (R14). The caller's own cells come back as they
came, that one too, as a citizen ID in the code column does: the file is the caller's rows, in
order, each followed by its answer, and the caller matches the answers back by those cells. A
name longer than a check keeps is ``invalid`` the same way (``name-too-long``), and is never read
as a name: that takes time that grows with the text, and the job's worker must not spend it.

A line longer than ``core.tables.LINE_CAP`` characters is ``invalid`` (``row-too-long``), its
first characters kept in the first column: it is never held whole nor split into cells, and
rows are screened in chunks bounded by their characters as well as their number, so that
memory stays flat whatever a file up to the upload's limit holds (R14).

A workbook is screened by its first sheet, the one read; one with anything on another sheet is
refused before a row is screened (``core.tables.refuse_other_sheets``): those rows would go
unanswered without a word. The answer is one table under the first sheet's header, which a
second sheet's rows need not share, and an upload's job has nowhere to say a sheet went unread.

A workbook's row whose code or name cell holds an error value (#N/A …), which calamine reads as
empty, is ``invalid`` (``excel-error``), naming the column and the error: it is never screened
as a row without a code, by a name alone, or as one without either (R10, R11: a check answers
for the subject asked about, or says why it cannot).

The report names the persons the answer speaks of (R14): those found by code or by name by
subject id (``ScreeningReport.persons``), those asked by a citizen ID that no subject has by its
keyed hash (``persons_asked``), so that a result handed straight to its caller is registered for
each of them (``screening_jobs``) without reading the output again.

It is set-based: rows are read in chunks and streamed out, subjects and entries are read in bulk
(``screening_store``), a subject's verdict is worked out once. A row whose key is a known
subject needs no identifier check (identifiers are checked when subjects are recorded); a row
that is not known gets a cheap shape check, and only the doubtful ones the full
``check_identifier`` that gives the reason.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import compress, repeat
from operator import and_, is_, is_not, itemgetter, not_
from pathlib import Path
from typing import Any, NamedTuple

from xinyong.core.errors import XinyongError
from xinyong.core.idcheck import plainly_valid_kind
from xinyong.core.identifier_precheck import fails_a_check_character, surely_well_formed
from xinyong.core.identifiers import (
    CHECK_CHARACTER_MISMATCH,
    CHECK_CHARACTER_WARNING,
    check_identifier,
    normalize_identifier,
)
from xinyong.core.masking import mask_id_number, mask_name
from xinyong.core.protection import is_legacy_citizen_id, looks_like_citizen_id
from xinyong.core.tables import (
    LINE_CAP,
    ErrorRecord,
    MalformedRecord,
    OverlongRecord,
    is_excel,
    read_records,
    spreadsheet_safe_text,
)
from xinyong.measures import screening_header
from xinyong.measures.checks import (
    NAME_EMPTY,
    NAME_EMPTY_MESSAGE,
    NAME_IS_AN_IDENTIFIER,
    NAME_IS_AN_IDENTIFIER_MESSAGE,
    NAME_MAY_BE_A_PERSON,
    NAME_MAY_BE_A_PERSON_MESSAGE,
    NAME_TOO_LONG,
    NAME_TOO_LONG_MESSAGE,
)
from xinyong.measures.models import CheckResult
from xinyong.measures.screening_names import PERSON_NAME, TOO_LONG, NameMatch, NameMatcher
from xinyong.measures.screening_output import (
    PART_SUFFIX,
    SECOND_PART_SUFFIX,
    refuse_unusable_output,
)
from xinyong.measures.screening_parallel import (
    SPLIT_MIN_BYTES,
    finish_second_half,
    split_point,
    start_second_half,
)
from xinyong.measures.screening_report import ScreeningReport
from xinyong.measures.screening_store import (
    CLEAR,
    LISTED_FLAG,
    MASKED_CODE_FLAG,
    PERSON_FLAG,
    Store,
    could_be_citizen_id,
    from_csv_field,
    quiet_gc,
    subjects_about,
)
from xinyong.measures.screening_warnings import (
    CODE_UNKNOWN_BY_NAME,
    NAME_MISMATCH,
    NameComparer,
    NameMismatch,
    answered_by_name,
    name_mismatch,
)
from xinyong.subjects.protection import keyring

OK, INVALID, UNKNOWN = "ok", "invalid", "unknown"
# More filled cells than the header has columns: an unquoted comma shifts every cell after it,
# so no cell can be trusted to be the code or the name. The cells are kept, after the answer.
ROW_TOO_WIDE = "该行的列数多于表头，各列可能错位，未核查；多出的内容附在本行末尾"


# A citizen ID is no name: refused as a check by name refuses it (``checks._asked_name``).
_ID_AS_NAME = NameMatch(NAME_IS_AN_IDENTIFIER)


class _TooWide(NamedTuple):
    """In place of what a too-wide row's cells found: its cells past the header."""

    extra: list[str]


# A line whose quotes cannot be read (``tables.MalformedRecord``, quote-unclosed): answered
# on its own, the line kept in the first column, and the rows after it screened as they are.
# A line too long to read (``tables.OverlongRecord``, row-too-long) the same way, its head in
# the first column: it is never split into cells.
_UNREADABLE = (MalformedRecord, OverlongRecord)


class _Malformed(NamedTuple):
    """In place of what a malformed record found: its line (or head) as it came."""

    line: str
    code: str
    reason: str


# A workbook's row whose code or name is an error value (``tables.ErrorRecord``).
EXCEL_ERROR = "excel-error"
EXCEL_ERROR_MESSAGE = (
    "“{column}”单元格是 Excel 错误值 {error}，不是数据，也不能当作空白，未核查："
    "请修正该单元格（如其公式）后重新提交"
)


class _ExcelError(NamedTuple):
    """In place of what a row whose code or name is an error value found: what to say of it."""

    message: str


class _ByName(NamedTuple):
    """In place of nothing found, on a row whose well-formed code nobody has and that has a
    name to answer it by (``screening_warnings``): what the code alone answers."""

    code_answer: list[str]


# A plain subject's row (see ``screening_store``): its line, then ok, its code and name (as a
# CSV field), score 100, no entries or measures, clear; here the text around those three.
_PLAIN_AFTER_LINE, _PLAIN_AFTER_KEY, _PLAIN_TAIL = ",ok,,,", ",", ",100,,,clear\r\n"
MATCHED_BY_NAME, AMBIGUOUS = "matched_by_name", "ambiguous"
CHUNK = 10_000
# Characters of the lines one chunk holds at most, its last line aside: rows of 10 KB (or of
# up to ``LINE_CAP`` characters, split into a cell per comma) are screened a few hundred at a
# time, never ten thousand, so memory stays flat whatever the rows hold (R14).
CHUNK_CHARS = 2 * LINE_CAP
COLUMNS = ("status", "reason_code", "reason", "subject_code", "subject_name", "score", "entries",
           "measures", "result")  # fmt: skip
COLUMNS_ZH = ("核查状态", "原因代码", "原因", "匹配主体代码", "匹配主体名称", "匹配分值",
              "名单", "措施", "核查结果")  # fmt: skip


def estimate_rows(path: Path) -> int:
    if is_excel(path):
        return path.stat().st_size // 16  # compressed XML: a rough figure is enough here
    with path.open("rb") as stream:
        return sum(block.count(b"\n") for block in iter(lambda: stream.read(1 << 20), b""))


class _Run:
    def __init__(
        self, store: Store, names: NameMatcher, header: list[str], *, workbook: bool = False
    ) -> None:
        keys = [cell.strip().lower() for cell in header]
        self.code_at, self.name_at = screening_header.columns(header)
        if self.code_at is None and self.name_at is None:
            raise XinyongError("screening-columns", "表头须含 code（统一社会信用代码/身份证号）"
                               "或 name（名称）列", status=422)  # fmt: skip
        self.width = len(header)
        self.asked_header = header
        self.workbook = workbook  # rows may be ``ErrorRecord``s: a CSV file's never are
        self.store, self.names = store, names
        self.comparer = NameComparer()
        self.report = ScreeningReport(lookup="table" if store.whole_table else "chunks")
        self.digest = keyring().digest
        self.today = store.as_of
        chinese = any(not k.isascii() for k in keys)
        self.header = header + list(COLUMNS_ZH if chinese else COLUMNS)
        self._tails: dict[tuple[str, ...], str] = {}
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer)

    def chunk(self, records: list[tuple[list[str], str | None]], out: io.StringIO) -> None:
        """Screen one chunk of records into ``out``, in order.

        A row of a plain subject read as a plain line (no quotes) is that line followed by the
        answer, formatted in C from the line, the key and the name as a CSV field that the map
        holds; the other rows are made one by one (``_row_text``).
        """
        width, name_at = self.width, self.name_at
        too_wide: dict[int, list[str]] = {}  # row in the chunk -> its filled cells past the header
        malformed: dict[int, MalformedRecord] = {}  # row in the chunk -> its unreadable line
        cells_of = list(map(itemgetter(0), records))
        uneven = (set(map(len, cells_of)) != {width}
                  or not set(_UNREADABLE).isdisjoint(map(type, cells_of)))  # in C  # fmt: skip
        for at, (cells, line) in enumerate(records if uneven else ()):
            if cells.__class__ in _UNREADABLE:  # no cell can be trusted: none is looked up
                malformed[at] = cells
                records[at] = ([""] * width, None)
            elif len(cells) < width:  # a spreadsheet drops trailing empty cells: padded
                missing = width - len(cells)
                cells.extend([""] * missing)
                if line is not None:
                    records[at] = (cells, line + "," * missing)
            elif len(cells) > width:
                extra = cells[width:]
                del cells[width:]
                if any(cell.strip() for cell in extra):
                    too_wide[at] = extra  # cells may have shifted: answered as invalid
                if line is not None:  # its line holds the dropped cells: write it anew
                    records[at] = (cells, None)
        keys = self._keys(records)
        store = self.store
        if store.whole_table:
            digests, found = self._look_up_in_table(keys)
        else:
            digests = self._prepare_chunk(keys)
        by_name: dict[str, NameMatch] = {}
        unknown_named: dict[int, list[str]] = {}  # row in the chunk -> its unknown code's answer
        if name_at is not None:
            wanted = {cells[name_at].strip() for (cells, _), key in zip(records, keys, strict=True)
                      if not key} - {""}  # fmt: skip
            unknown_named = self._unknown_codes_with_names(records, keys, digests)
            wanted.update(records[at][0][name_at].strip() for at in unknown_named)
            # Only the rows screened by name, each distinct name once: a regex that fails at
            # the first character of almost every real name.
            ids = {name for name in wanted if looks_like_citizen_id(name)}
            by_name = self.names.match_many(wanted - ids, store.by_ids)
            by_name.update(dict.fromkeys(ids, _ID_AS_NAME))
        if not store.whole_table:
            named = [m.subject[1] for m in by_name.values() if m.subject]
            store.prepare_facts([d for d in digests if d in store.names] + named)
            found = list(map(store.names.get, digests))
        if name_at is not None:
            self.comparer.mark_mismatches([cells[name_at] for cells, _ in records], found)
            for at, answer in unknown_named.items():
                found[at] = _ByName(answer)
        for at, extra in too_wide.items():  # answered below, whatever its cells found
            found[at] = _TooWide(extra)
        for at, record in malformed.items():
            found[at] = _Malformed(record[0], record.code, record.reason)
        if self.workbook and ErrorRecord in set(map(type, cells_of)):  # counted in C
            for at in compress(range(len(records)), map(is_, map(type, cells_of),
                                                        repeat(ErrorRecord))):  # fmt: skip
                error = self._error_in_key(cells_of[at].errors)
                if error is not None:
                    found[at] = error
        # All in C: which rows are a plain subject's (a str in the map) on a line kept as read.
        lines = list(map(itemgetter(1), records))
        fast = list(map(and_, map(is_, map(type, found), repeat(str)),
                        map(is_not, lines, repeat(None))))  # fmt: skip
        self.report.ok += fast.count(True)
        # A plain row's text is six pieces (its line, key and name, and the text around them),
        # laid side by side for one join: some five times faster than formatting each row.
        # Every other row is made one by one, its text in the first of its six places.
        count = len(records)
        pieces = [_PLAIN_AFTER_LINE] * (6 * count)
        pieces[0::6], pieces[2::6], pieces[4::6] = lines, keys, found
        pieces[3::6], pieces[5::6] = [_PLAIN_AFTER_KEY] * count, [_PLAIN_TAIL] * count
        row_text = self._row_text
        for at in compress(range(count), map(not_, fast)):
            text = row_text(*records[at], keys[at], digests[at], found[at], by_name)
            pieces[6 * at : 6 * at + 6] = (text, "", "", "", "", "")
        out.write("".join(pieces))
        self.report.rows += count

    def _unknown_codes_with_names(
        self, records: list[tuple[list[str], str | None]], keys: list[str], digests: list[str]
    ) -> dict[int, list[str]]:
        """The rows with a name whose well-formed code no subject has, each with what its code
        alone answers: answered by the name instead (``screening_warnings``; 应查必查). Not a
        code read as a citizen ID: that person was asked by ID, as persons are checked (R14),
        and a person's name finds nobody. Which rows, found in C: most have a known code."""
        name_at, known = self.name_at, self.store.names.__contains__
        answers = {}
        for at in compress(range(len(keys)), map(and_, map(bool, keys),
                                                  map(not_, map(known, digests)))):  # fmt: skip
            cells, key = records[at][0], keys[at]
            if cells[name_at].strip() and not (  # type: ignore[index]  # a name column
                looks_like_citizen_id(key) or is_legacy_citizen_id(key)
            ):
                answer = self._code_answer(key, cells)
                if answer[0] == UNKNOWN:
                    answers[at] = answer
        return answers

    def _keys(self, records: list[tuple[list[str], str | None]]) -> list[str]:
        """Each row's code as looked up: upper case, and normalised where it needs more."""
        code_at = self.code_at
        if code_at is None:
            return [""] * len(records)
        raws = [cells[code_at] for cells, _ in records]
        joined = "".join(raws)
        if not joined or (joined.isascii() and joined.isalnum()):  # the common case, in C
            # Codes come in upper case: each is kept as read when all of them are.
            return raws if joined.upper() == joined else list(map(str.upper, raws))
        return [raw.upper() if raw.isalnum() and raw.isascii() else normalize_identifier(raw)
                for raw in raws]  # fmt: skip

    def _row_text(
        self, cells: list[str], line: str | None, key: str, digest: str, found: Any,
        by_name: dict[str, NameMatch],
    ) -> str:  # fmt: skip
        """The output text of a row that is not a plain subject's on a plain line."""
        if found is None:
            name_at = self.name_at
            if key or name_at is None or not cells[name_at].strip():
                answer = self._not_found(key, cells)
                if answer[0] == UNKNOWN:
                    self._note_person_asked(key, digest)
                    if line is not None:  # one of two answers, each written once
                        return f"{line},{self._tail(tuple(answer))}\r\n"
                return self._csv(cells + answer)
            return self._csv(cells + self._named(by_name[cells[name_at].strip()]))
        if found.__class__ is _ByName:
            match = by_name[cells[self.name_at].strip()]  # type: ignore[index]  # a name column
            return self._csv(cells + self._answered_by_name(found.code_answer, match))
        if found.__class__ is _Malformed:
            self.report.invalid[found.code] += 1
            return self._csv([found.line, *cells[1:], INVALID, found.code, found.reason,
                              "", "", "", "", "", ""])  # fmt: skip
        if found.__class__ is _ExcelError:
            self.report.invalid[EXCEL_ERROR] += 1
            return self._csv([*cells, INVALID, EXCEL_ERROR, found.message, "", "", "", "", "", ""])
        if found.__class__ is _TooWide:
            self.report.invalid["row-too-wide"] += 1
            return self._csv([*cells, INVALID, "row-too-wide", ROW_TOO_WIDE, "", "", "", "", "",
                              "", *found.extra])  # fmt: skip
        self.report.ok += 1
        warned = found.__class__ is NameMismatch  # its name names another: said beside it
        if warned:
            found, line = found.value, None
            self.report.warnings[NAME_MISMATCH] += 1
        if found.__class__ is str:  # a plain subject on a row the csv module read
            name = from_csv_field(found)
            warning = name_mismatch(name) if warned else ("", "")
            return self._csv([*cells, OK, *warning, key, name, "100", *CLEAR])
        name, flags = found[0], found[1]
        person = flags & PERSON_FLAG == PERSON_FLAG
        outcome = self.store.verdict(digest, person) if flags & LISTED_FLAG else CLEAR
        if person:
            self.report.persons.add(found[2])  # a person's value holds the subject's id
            key, name = mask_id_number(key), mask_name(name)
        elif flags & MASKED_CODE_FLAG:  # a code that may be a person's ID too: shown as stored
            key = mask_id_number(key)
        warning = name_mismatch(name) if warned else ("", "")  # a person's name as shown: masked
        # Held as stored (a listed organisation's, as written already): another department's
        # text, written so that no spreadsheet runs it.
        name = spreadsheet_safe_text(name)
        if line is None:
            return self._csv([*cells, OK, *warning, key, name, "100", *outcome])
        if '"' in name or "," in name or "\n" in name or "\r" in name:
            name = '"' + name.replace('"', '""') + '"'
        return f"{line},ok,,,{key},{name},100,{self._tail(outcome)}\r\n"

    def _error_in_key(self, errors: dict[int, str]) -> _ExcelError | None:
        """What to say of a row whose code or name cell, the cells screened, is an error value;
        None when its errors are in other columns, which no answer reads."""
        for at in (self.code_at, self.name_at):
            if at is not None and at in errors:
                message = EXCEL_ERROR_MESSAGE.format(column=self.asked_header[at], error=errors[at])
                return _ExcelError(message)
        return None

    def _csv(self, cells: list[str]) -> str:
        """One row as the csv module writes it, line end included."""
        buffer = self._buffer
        buffer.seek(0)
        buffer.truncate()
        self._writer.writerow(cells)
        return buffer.getvalue()

    # Each code's screening key: a person is known by the keyed hash of the ID (R14), an
    # organisation by its code; a person's code is only ever shown masked. A code shaped like a
    # citizen ID is hashed; its hash is its key unless only the code is known (an organisation
    # whose code is all digits).

    def _look_up_in_table(self, keys: list[str]) -> tuple[list[str], list[Any]]:
        """(key, what the map holds or None) per row, with the whole table at hand.

        No two subjects share an identifier (its hash is unique), so a code the map knows as it
        is needs no hash: only unknown codes shaped like an ID are hashed, each once. One look-up
        per row, in a C loop: on a map of a million subjects the look-ups are most of the work.
        """
        names = self.store.names
        found = list(map(names.get, keys))
        missing = list(compress(range(len(keys)), map(is_, found, repeat(None))))  # all in C
        digest = self.digest
        hashed = {code: digest(code) for code in {keys[i] for i in missing}
                  if code and could_be_citizen_id(code)}  # fmt: skip
        if not hashed:
            return keys, found
        digests = keys.copy()
        for i in missing:
            hashed_code = hashed.get(keys[i])
            if hashed_code is not None:
                digests[i], found[i] = hashed_code, names.get(hashed_code)
        return digests, found

    def _prepare_chunk(self, keys: list[str]) -> list[str]:
        """The key per row, with this chunk's subjects read from the database."""
        unique = set(keys) - {""}
        digest, store = self.digest, self.store
        hashed = {code: digest(code) for code in unique if could_be_citizen_id(code)}
        store.prepare(itertools.chain(unique, hashed.values()))
        names = store.names
        key_of = {code: code for code in unique}
        key_of.update((c, h) for c, h in hashed.items() if h in names or c not in names)
        key_of[""] = ""
        return [key_of[key] for key in keys]

    def _tail(self, outcome: tuple[str, ...]) -> str:
        """An answer's fields (its last three, or the whole answer of an unknown code) as CSV
        text, made once per distinct answer."""
        tail = self._tails.get(outcome)
        if tail is None:
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="").writerow(outcome)
            tail = self._tails[outcome] = buffer.getvalue()
        return tail

    def _not_found(self, key: str, row: list[str]) -> list[str]:
        answer = self._code_answer(key, row)
        if answer[0] == INVALID:
            self.report.invalid[answer[1]] += 1
        else:
            self.report.unknown += 1
        return answer

    def _code_answer(self, key: str, row: list[str]) -> list[str]:
        """The answer of a row whose code no subject has (or that has none), counted by the
        caller: invalid with the reason, or unknown and clear."""
        if not key and self.code_at is not None and self.name_at is not None:
            return [INVALID, "subject-or-name-required", "须提供统一社会信用代码/身份证号或名称",
                    "", "", "", "", "", ""]  # fmt: skip
        if self.code_at is None:  # a file of names: this row's is blank, as a check says it
            return [INVALID, NAME_EMPTY, NAME_EMPTY_MESSAGE, "", "", "", "", "", ""]
        if plainly_valid_kind(key, self.today) is not None:  # most unknown codes: a µs each
            mismatch = False
        elif not surely_well_formed(key, self.today):
            checked = check_identifier(row[self.code_at] if self.code_at is not None else "")
            if checked.status == "invalid":
                return [INVALID, checked.code, checked.message, "", "", "", "", "", ""]
            mismatch = checked.fails_check_character
        else:
            mismatch = bool(key) and fails_a_check_character(key)
        if mismatch:  # kept for review, but nobody has it: most likely mistyped (DOMAIN §4)
            return [UNKNOWN, CHECK_CHARACTER_MISMATCH, CHECK_CHARACTER_WARNING,
                    "", "", "", "", "", "clear"]  # fmt: skip
        return [UNKNOWN, "", "", "", "", "", "", "", "clear"]

    def _note_person_asked(self, key: str, digest: str) -> None:
        """A code no subject has that reads as a citizen ID (shape, not validity: a mistyped
        one too) still asks about a person, and the answer says what applies to that person:
        kept by the ID's keyed hash (computed already for the 18-character shape)."""
        if looks_like_citizen_id(key) or is_legacy_citizen_id(key):
            self.report.persons_asked.add(digest if digest != key else self.digest(key))

    def _answered_by_name(self, code_answer: list[str], match: NameMatch) -> list[str]:
        """A row whose code nobody has, answered by its name as a row of names is, unless the
        name finds nothing (or is no name): then what the code alone answers."""
        if match.status in (MATCHED_BY_NAME, AMBIGUOUS, PERSON_NAME):
            self.report.warnings[CODE_UNKNOWN_BY_NAME] += 1
            return answered_by_name(code_answer, self._named(match))
        self.report.unknown += 1
        return code_answer

    def _named(self, match) -> list[str]:
        if match.status == MATCHED_BY_NAME:
            digest, is_person, name, identifier = match.subject[1:]
            code, shown = (
                (mask_id_number(identifier), mask_name(name)) if is_person else (identifier, name)
            )
            if is_person:
                self.report.persons.add(match.subject[0])
            self.report.matched_by_name += 1
            verdict = self.store.verdict(digest, is_person)
            # The name is another department's text: written so that no spreadsheet runs it.
            # A decision no longer followed is said (``match.code``), as a check warns of it.
            return [MATCHED_BY_NAME, match.code, match.note, code, spreadsheet_safe_text(shown),
                    f"{match.score:g}", *verdict]  # fmt: skip
        if match.status == AMBIGUOUS:
            self.report.ambiguous += 1
            return [AMBIGUOUS, "name-undetermined", match.note, "", "", f"{match.score:g}", "",
                    "", CheckResult.UNDETERMINED.value]  # fmt: skip
        if match is _ID_AS_NAME:  # the answer repeats nothing of the name (R14)
            self.report.invalid[NAME_IS_AN_IDENTIFIER] += 1
            return [INVALID, NAME_IS_AN_IDENTIFIER, NAME_IS_AN_IDENTIFIER_MESSAGE,
                    "", "", "", "", "", ""]  # fmt: skip
        if match is TOO_LONG:  # refused as a check by name refuses it
            self.report.invalid[NAME_TOO_LONG] += 1
            return [INVALID, NAME_TOO_LONG, NAME_TOO_LONG_MESSAGE, "", "", "", "", "", ""]
        if match.status == INVALID:  # refused as a check by name refuses it (match.code)
            code = match.code or NAME_EMPTY
            self.report.invalid[code] += 1
            return [INVALID, code, match.note or NAME_EMPTY_MESSAGE, "", "", "", "", "", ""]
        self.report.unknown += 1
        if match.status == PERSON_NAME:  # as a check by name answers it: not known to be clear
            return [UNKNOWN, NAME_MAY_BE_A_PERSON, NAME_MAY_BE_A_PERSON_MESSAGE, "", "", "", "",
                    "", CheckResult.UNDETERMINED.value]  # fmt: skip
        return [UNKNOWN, match.code, match.note, "", "", "", "", "", "clear"]


def _take(records: Iterator[tuple[list[str], str | None]]) -> list:
    """The next chunk of records: ``CHUNK`` of them, or fewer once their lines hold
    ``CHUNK_CHARS`` characters (a record read by the csv module, its cells)."""
    read: list = []
    append, chars = read.append, 0
    for record in records:
        append(record)
        line = record[1]
        chars += len(line) if line is not None else sum(map(len, record[0])) + len(record[0])
        if chars >= CHUNK_CHARS or len(read) == CHUNK:
            break
    return read


def _screen_records(run: _Run, records: Iterable, stream: Any, progress: Callable | None) -> None:
    """Screen records chunk by chunk (``_take``), each chunk written with one call."""
    records = iter(records)
    while read := _take(records):
        # A blank line is a row too, of empty cells, and invalid: the output keeps every line.
        out = io.StringIO()
        run.chunk(read, out)
        stream.write(out.getvalue())
        if progress is not None:
            progress(run.report.rows)


def screen_file(
    source: str | Path, target: str | Path, *, scenario: str, department_id: int,
    lookup: str = "auto", names: NameMatcher | None = None,
    progress: Callable[[int], None] | None = None, split_at_bytes: int = SPLIT_MIN_BYTES,
) -> ScreeningReport:  # fmt: skip
    """Screen every row of ``source`` into ``target`` (CSV, UTF-8 with BOM); nothing is written
    to the database here — the caller registers the run (a ``ScreeningJob``) and audits it.

    ``lookup`` is ``table``, ``chunks`` or ``auto`` (the table when the file has at least a tenth
    as many rows as there are subjects: about where reading the table once costs less than
    asking chunk by chunk). ``names`` matches the rows that only have a name. A CSV file of at
    least ``split_at_bytes`` is screened on two cores where that is safe (``screening_parallel``).
    """
    source, target = Path(source), Path(target)
    refuse_unusable_output(target, reserve=len(SECOND_PART_SUFFIX))
    started = time.perf_counter()
    records = read_records(source)
    header, consumed = screening_header.find_header(records)
    whole = lookup == "table" or (
        lookup == "auto" and estimate_rows(source) * 10 >= subjects_about()
    )
    store = Store(scenario=scenario, department_id=department_id, whole_table=whole)
    run = _Run(store, names or NameMatcher(department_id), header, workbook=is_excel(source))
    partial = target.with_name(target.name + PART_SUFFIX)
    part = target.with_name(target.name + SECOND_PART_SUFFIX)
    split = None
    if whole and run.name_at is None:
        split = split_point(source, min_bytes=split_at_bytes)
    # Rows and their lists are freed by reference counting; the cyclic collector would only walk
    # the subject map again and again.
    try:
        with quiet_gc(), partial.open("w", encoding="utf-8", newline="") as stream:
            stream.write("\ufeff")  # so that Excel reads UTF-8; utf-8-sig would encode in Python
            csv.writer(stream).writerow(run.header)
            if split is None:
                _screen_records(run, records, stream, progress)
            else:
                offset, lines = split
                pid, pipe = start_second_half(run, source, offset, part, _screen_records)
                try:
                    first_half = itertools.islice(records, lines - consumed)
                    _screen_records(run, first_half, stream, progress)
                except BaseException:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    raise
                finish_second_half(pid, pipe, run, part, stream)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
        part.unlink(missing_ok=True)
    if progress is not None:
        progress(run.report.rows)
    run.report.seconds = time.perf_counter() - started
    return run.report
