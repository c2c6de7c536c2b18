"""Checking one row: a stable code and a Chinese message for everything wrong with it.

A row is either accepted — as a tuple ready for bulk writing, in ``STAGE_COLUMNS`` order, its
content already a JSON text — or refused with every reason found. Who the row is about is
checked in ``subject_checks``, its penalty types in ``penalty_types``, and what it keeps as
text in ``row_text``; a row's outcome is one of ``outcomes``.

Cells of a prohibited column (001 §14) are never copied into anything: not into the record,
not into the report; nor, in a file that has one, any cell of a row whose width differs from
the header's, where a shifted cell could be one (``RowText.misaligned_values``). The checks
run on a million rows, so the common path is kept short: answers that repeat (dates, codes,
penalty types, windows) are remembered for the import.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from xinyong.catalog.importers.cell_values import (
    AmountRefused,
    parse_amount,
    parse_date,
    revoked_codes,
    states_revoked,
)
from xinyong.catalog.importers.context import ImportContext, ItemInfo
from xinyong.catalog.importers.formats import OLD, HeaderMap
from xinyong.catalog.importers.outcomes import FlawedRow, Problem, RowResult, SheetRow, problem
from xinyong.catalog.importers.penalty_types import PenaltyTiers
from xinyong.catalog.importers.reasons import PAST_THE_HEADER
from xinyong.catalog.importers.row_text import LONE_SURROGATE, NUL, SEPARATOR, RowText
from xinyong.catalog.importers.subject_checks import KIND_LABELS, SubjectChecks
from xinyong.catalog.publication import NOT_PUBLISHED, Publication, TierRule, Window
from xinyong.core.document_numbers import canonical_document_number
from xinyong.core.free_text import mask_citizen_ids_however_written
from xinyong.core.idcheck import IdentifierChecker

MAX_CELL = 32_767  # characters: what one Excel cell can hold
EARLIEST_DECISION = dt.date(1949, 10, 1)

# The columns of an accepted row, in order; the layout's content columns follow. A citizen ID
# is staged as the subject stores it (R14): masked in ``identifier``, hashed, encrypted.
# ``stated_revoked``: a licence or a penalty whose export's state says it was revoked or is
# invalid (``cell_values.states_revoked``), which is never recorded (``catalog.bulk``).
STAGE_COLUMNS = (
    "row_no", "catalog_item_id", "subject_kind", "subject_name", "identifier",
    "identifier_status", "document_number", "decision_date", "issuing_body", "title", "tier",
    "is_serious", "fine_amount", "publication_due_on", "published_on", "workdays_late",
    "publication_min_ends_on", "publication_ends_on", "sharing_ends_on", "content",
    "identifier_digest", "identifier_sealed", "penalty_type_ids", "stated_revoked",
)  # fmt: skip
# Fields that identify someone or something by their exact characters, which a spreadsheet's
# number of more than 15 digits cannot hold (DOMAIN.md §4): refused rather than recorded with
# digits that are not the ones typed.
EXACT_FIELDS = (
    "uscc", "person_id", "legal_representative_id", "organization_code",
    "business_registration", "tax_registration", "institution_code", "social_organization_code",
    "document_number", "licence_number", "issuing_body_code", "source_code",
)  # fmt: skip
# What departments write in a date's cell that states none, and in an end's that states no end.
NOT_STATED = frozenset({"无", "-"})
OPEN_ENDED = frozenset({"长期", "永久"})
IMPORT_NAMES = {"licences": "行政许可", "penalties": "行政处罚"}
LIMITS = {"subject_name": 200, "document_number": 128, "issuing_body": 128}
# The record's summary: the first of these that the row fills.
TITLE_FIELDS = {
    "penalties": ("violation", "case_name", "penalty_content"),
    "licences": ("document_name", "certificate_name", "project_name", "licence_content"),
    "records": ("title",),
}


class RowChecker:
    """Checks the rows of one file against one layout and one context."""

    def __init__(
        self, header: list[str], header_map: HeaderMap, context: ImportContext, *,
        surrogates_possible: bool = False,
    ) -> None:  # fmt: skip
        self.header = header
        self.map = header_map
        self.context = context
        self.kind = header_map.layout.kind
        self.width = header_map.width
        # Only a JSON file's escapes make a lone surrogate (every reader decodes strictly), so
        # only its rows are searched for one: a search of every row of a CSV file costs time
        # that no such row can repay.
        self.surrogates_possible = surrogates_possible
        self.ids = IdentifierChecker(context.today)
        self._revoked_codes = revoked_codes(
            old_edition=header_map.edition == OLD, told=header_map.edition_told
        )
        self.publication = Publication(context.calendar, context.today)
        self.sensitive = tuple(sorted(header_map.sensitive))
        self.exact_columns = frozenset(
            index for key in EXACT_FIELDS for index in header_map.columns.get(key, ())
        )
        self.labels = {f.key: f.label for f in header_map.layout.fields}
        # Where each field's text is in a row being checked: its column; or, past the row's
        # own cells, an empty cell for a field the file lacks (index ``width``) and the joined
        # text of a field the file spreads over several columns (old CF_CFLB1, CF_CFLB2).
        self._multi = tuple(ix for ix in header_map.columns.values() if len(ix) > 1)
        self._ix: dict[str, int] = dict.fromkeys(self.labels, self.width)
        for key, indexes in header_map.columns.items():
            self._ix[key] = indexes[0]
        for position, indexes in enumerate(self._multi, start=self.width + 1):
            for key, same in header_map.columns.items():
                if same is indexes:
                    self._ix[key] = position
        # Content: one column per layout field present, named as in the current edition.
        present = [f for f in header_map.layout.fields if f.content and f.key in header_map.columns]
        self.text = RowText(
            header, header_map, tuple(f.content for f in present),
            tuple(self._ix[f.key] for f in present), surrogates_possible=surrogates_possible,
        )  # fmt: skip
        self.report_header = self.text.report_header
        self.report_values = self.text.report_values
        self.content_json = self.text.content_json
        self.subjects = SubjectChecks(header_map, self.labels, self.cell, self.ids, context.keys)
        self.penalty_tiers = PenaltyTiers(
            context.penalty_types, self.labels.get("penalty_types", "")
        )
        self._dates: dict[str, dt.date | None] = {}
        self._bodies: dict[str, str] = {}

    # -- helpers -----------------------------------------------------------------------------

    def _body_kept(self, name: str) -> str:
        """The issuing body as the record keeps it: a citizen ID in it masked however written
        (R14: a body's name holds none; a mistyped cell may). A file names a few bodies, so
        each answer is remembered."""
        kept = self._bodies.get(name)
        if kept is None:
            if len(self._bodies) > 10_000:  # a file of many bodies: memory stays flat
                self._bodies.clear()
            kept = self._bodies[name] = mask_citizen_ids_however_written(name)
        return kept

    def cell(self, cells: list[str], key: str) -> str:
        """A field's text, stripped (the row carries the sentinel cells, see ``check``)."""
        return cells[self._ix[key]].strip()

    def date(self, text: str) -> dt.date | None:
        known = self._dates
        if text in known:
            return known[text]
        value = known[text] = parse_date(text)
        if len(known) > 100_000:
            known.clear()
        return value

    def _past_the_header(self, cells: list[str]) -> Problem:
        """A row with text past the header's named columns (``reasons.PAST_THE_HEADER``): the
        first such column, by its position in the file."""
        width = self.width
        position = next((i for i, v in enumerate(cells[width:], width) if v.strip()), width)
        message = PAST_THE_HEADER.format(found=len(cells), expected=width, position=position + 1)
        return Problem("columns", "", message)

    # -- the row -----------------------------------------------------------------------------

    def check(self, number: int, cells: list[str]) -> RowResult:
        problems: list[Problem] = []
        if type(cells) is FlawedRow and cells.code != "sensitive-field":
            problems.append(self._flaw(cells))
        elif len(cells) > self.width:
            problems.append(self._past_the_header(cells))
        elif len(cells) != self.width:
            problems.append(problem("columns", found=len(cells), expected=self.width))
        else:
            if type(cells) is FlawedRow:  # keys inside a JSON value name prohibited data
                problems.extend(
                    problem("sensitive-field", self.header[index], topic=topic)
                    for index, topic in cells.details["columns"].items()
                )
            for index in self.sensitive:
                if cells[index].strip():
                    problems.append(
                        problem(
                            "sensitive-field", self.header[index], topic=self.map.sensitive[index]
                        )
                    )
            if max(map(len, cells)) > MAX_CELL:
                for index, value in enumerate(cells):
                    if len(value) > MAX_CELL and index not in self.map.sensitive:
                        problems.append(
                            problem(
                                "cell-too-large",
                                self.header[index],
                                size=len(value),
                                limit=MAX_CELL,
                            )
                        )
            joined = SEPARATOR.join(cells)
            if NUL in joined:  # text that PostgreSQL cannot store at all
                problems.extend(
                    problem("control-character", self.header[index])
                    for index, value in enumerate(cells)
                    if NUL in value and index not in self.map.sensitive
                )
            if self.surrogates_possible and LONE_SURROGATE.search(joined):  # nor UTF-8 at all
                problems.extend(
                    problem("lone-surrogate", self.header[index])
                    for index, value in enumerate(cells)
                    if LONE_SURROGATE.search(value) and index not in self.map.sensitive
                )
            if type(cells) is SheetRow:
                problems.extend(self._sheet_problems(cells))
        if problems:
            # A row of another width has no column known to be free of a prohibited
            # column's value, shifted there by a delimiter too many or too few (001 §14);
            # nor has a line with a quote left open, whose last cell took the delimiters
            # after it, whatever its width.
            aligned = len(cells) == self.width and not (
                type(cells) is FlawedRow and cells.code == "quote-unclosed"
            )
            values = self.report_values(cells) if aligned else self.text.misaligned_values(cells)
            return RowResult(number, None, tuple(problems), values, cells)
        cells.append("")
        for indexes in self._multi:
            cells.append("；".join(v for v in (cells[i].strip() for i in indexes) if v))
        record, problems = self._record(number, cells)
        if record is None or problems:
            return RowResult(number, record, tuple(problems), self.report_values(cells), cells)
        return RowResult(number, record, (), None, cells)

    def _sheet_problems(self, cells: SheetRow) -> list[Problem]:
        """An error value in any column but a prohibited one (whose cells are never read), and
        a number too long to be exact in an identifier's column (DOMAIN.md §4)."""
        found = [
            problem("excel-error", self.header[index], value=error)
            for index, error in sorted(cells.errors.items())
            if index < self.width and index not in self.map.sensitive
        ]
        found += [
            problem("identifier-as-number", self.header[index])
            for index in cells.numbers
            if index in self.exact_columns
        ]
        return found

    def _flaw(self, cells: FlawedRow) -> Problem:
        # The cell cut, or the one whose quote is left open, is the row's last.
        column = self.header[len(cells) - 1] if 0 < len(cells) <= self.width else ""
        if cells.code == "cell-too-large":
            return problem("cell-too-large", column, size=cells.details["size"], limit=MAX_CELL)
        if cells.code == "quote-unclosed":
            return problem("quote-unclosed", column)
        return problem("csv-syntax", detail=cells.details.get("detail", ""))

    def _record(
        self, number: int, cells: list[str]
    ) -> tuple[tuple[Any, ...] | None, list[Problem]]:
        ix, label = self._ix, self.labels
        problems: list[Problem] = []
        notes: list[Problem] = []
        item = self.context.item
        if self.kind == "records":
            item = self._item(cells[ix["catalog_item"]].strip(), problems)
        name = cells[ix["subject_name"]].strip()
        # The number's canonical form is the record's identity: the same decision with its
        # year's brackets or digits written otherwise is the same record (R9, R4). The cell
        # stays as written in the content (CF_WSH, XK_WSH), which pages show.
        document_number = canonical_document_number(cells[ix["document_number"]])
        issuing_body = cells[ix["issuing_body"]].strip()
        for key, value in (("subject_name", name), ("document_number", document_number),
                           ("issuing_body", issuing_body)):  # fmt: skip
            if not value:
                problems.append(problem("required", label[key]))
            elif len(value) > LIMITS[key]:
                problems.append(problem("too-long", label[key], limit=LIMITS[key]))
        kind = self.subjects.subject_kind(cells, problems)
        identifier, status = self.subjects.identifier(cells, kind, problems, notes)
        identifier, digest, sealed = self.subjects.staged(identifier, kind)
        if item is not None and kind is not None and kind not in item.subject_kinds:
            problems.append(problem("catalog-subject-kind", item=item.name, kind=KIND_LABELS[kind]))
        decided = self._decision_date(cells, problems)
        tier, serious, rules = "", False, ()
        types: str | None = None  # a penalty's types (``penalty_types.types_key``)
        revoked = False  # a licence's or penalty's export says it is no longer in force
        if self.kind == "penalties":
            tier, rules, types = self.penalty_tiers.tier(
                cells[ix["penalty_types"]].strip(), item, problems
            )
            serious = tier == "serious"
            revoked = states_revoked(cells[ix["state"]], codes=self._revoked_codes)
        elif item is not None:
            serious = item.is_serious
        if self.kind == "licences":
            # XK_ZT's codes clash between the editions under one column name (the older
            # template's 1 is 撤销, the current one's 1 is 有效 and 2 无效): read by the
            # edition the file's other names tell, and only its words where they tell none.
            revoked = states_revoked(cells[ix["state"]], codes=self._revoked_codes)
        fine = self._amount(cells, "fine", problems)
        self._amount(cells, "confiscated", problems)
        window = self._window(cells, decided, item, rules, problems)
        if problems:
            return None, problems
        assert item is not None and decided is not None and kind is not None  # checked above
        record = (
            number, item.id, kind, name, identifier, status, document_number, decided.isoformat(),
            self._body_kept(issuing_body), self._title(cells), tier, serious, fine, *window,
            self.content_json(cells, item.data_items), digest, sealed, types, revoked,
        )  # fmt: skip
        return record, notes

    def _item(self, code: str, problems: list[Problem]) -> ItemInfo | None:
        if not code:
            problems.append(problem("required", self.labels["catalog_item"]))
            return None
        item = self.context.items.get(code)
        if item is None:
            own = self.context.own_imports.get(code)
            if own is not None:
                # A licence or a penalty is checked against its national format, its penalty
                # types and its tier's publication window (R8, R9): not as other information.
                problems.append(
                    problem(
                        "item-needs-own-import",
                        self.labels["catalog_item"],
                        value=code,
                        name=IMPORT_NAMES[own],
                    )
                )
            else:
                problems.append(problem("not-in-catalog", self.labels["catalog_item"], value=code))
        return item

    def _decision_date(self, cells: list[str], problems: list[Problem]) -> dt.date | None:
        text = self.cell(cells, "decision_date")
        column = self.labels["decision_date"]
        if not text:
            problems.append(problem("required", column))
            return None
        decided = self.date(text)
        if decided is None or decided < EARLIEST_DECISION:
            problems.append(problem("date-invalid", column, value=text[:40]))
            return None
        if decided > self.context.today:
            problems.append(problem("date-future", column, value=decided, today=self.context.today))
            return None
        return decided

    def _optional_date(
        self, cells: list[str], key: str, decided: dt.date | None, problems: list[Problem]
    ) -> dt.date | None:
        text = self.cell(cells, key)
        if not text or text in NOT_STATED or text in OPEN_ENDED:
            return None
        value = self.date(text)
        if value is None:
            problems.append(problem("date-invalid", self.labels[key], value=text[:40]))
        elif decided is not None and value < decided:
            problems.append(problem("date-order", self.labels[key], value=value, decided=decided))
            return None
        return value

    def _term_start(
        self, cells: list[str], valid_until: dt.date | None, problems: list[Problem]
    ) -> None:
        """A licence's 有效期自 (XK_YXQZ), which the portal shows: a date, if stated, and not after
        its 有效期至 (R9, DOMAIN.md §5). It may be before the decision date: a licence changed
        (变更) or reissued keeps the term first granted, begun before the decision that changed
        it, and the national format orders the term's two dates only, not the term and the
        decision; nor is a start after the business date refused: a renewal's (延续) term may
        begin when the current one ends."""
        text = self.cell(cells, "valid_from")
        if not text or text in NOT_STATED:
            return
        start = self.date(text)
        if start is None:
            problems.append(problem("date-invalid", self.labels["valid_from"], value=text[:40]))
        elif valid_until is not None and valid_until < start:
            problems.append(
                problem(
                    "date-before-start", self.labels["valid_until"], value=valid_until,
                    start_column=self.labels["valid_from"], start=start,
                )
            )  # fmt: skip

    def _amount(self, cells: list[str], key: str, problems: list[Problem]) -> str | None:
        if key not in self.map.columns:
            return None
        text = self.cell(cells, key)
        if not text:
            return None
        try:
            return parse_amount(text)
        except AmountRefused as refused:
            problems.append(problem(refused.code, self.labels[key], value=text[:40]))
            return None

    def _window(
        self,
        cells: list[str],
        decided: dt.date | None,
        item: ItemInfo | None,
        rules: tuple[TierRule, ...],
        problems: list[Problem],
    ) -> Window:
        valid_until = self._optional_date(cells, "valid_until", decided, problems)
        if self.kind == "licences":
            self._term_start(cells, valid_until, problems)
        # A penalty's stated end is kept in its content and shared, its item public or not:
        # checked as a date either way, whatever its window is then worked out from.
        stated = (
            self._optional_date(cells, "publication_until", decided, problems)
            if self.kind == "penalties" and "publication_until" in self.map.columns
            else None
        )
        if decided is None or item is None:
            return NOT_PUBLISHED
        if self.kind == "penalties":
            if not rules:  # the tiers are not known, or one has no rule: a problem already
                return NOT_PUBLISHED
            if not item.is_public:
                # Shared for as long as the tier says, published or not (a minor penalty's
                # window has no publication end, only its sharing end). The tier's minimum
                # holds all the same: it is the first day repair may stop the sharing (R8).
                tiered = self.publication.tiered(decided, *rules)
                return Window(
                    min_ends_on=tiered.min_ends_on, sharing_ends_on=tiered.sharing_ends_on
                )
            return self.publication.tiered(decided, *rules, stated_end=stated)
        return self.publication.until(
            decided, months=item.months, valid_until=valid_until, is_public=item.is_public,
            due=self.kind == "licences",
        )  # fmt: skip

    def _title(self, cells: list[str]) -> str:
        for key in TITLE_FIELDS[self.kind]:
            value = self.cell(cells, key)
            if value:
                return value[:255]
        return ""
