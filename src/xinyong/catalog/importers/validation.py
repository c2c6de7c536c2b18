"""Checking one row: a stable code and a Chinese message for everything wrong with it.

A row is either accepted — as a tuple ready for bulk writing, in ``STAGE_COLUMNS`` order, its
content already a JSON text — or refused with every reason found. A USCC that fails only its
check characters is accepted with a note, and its subject is kept for review (DOMAIN.md §4).

Cells of a prohibited column (001 §14) are never copied into anything: not into the record,
not into the report. The checks run on a million rows, so the common path is kept short:
answers that repeat (dates, codes, penalty types, windows) are remembered for the import.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import Any, NamedTuple

import orjson

from xinyong.catalog.importers.formats import HeaderMap
from xinyong.catalog.importers.reasons import MESSAGES
from xinyong.catalog.publication import NOT_PUBLISHED, Publication, TierRule, Window
from xinyong.core.idcheck import IdentifierChecker
from xinyong.core.masking import mask_id_number
from xinyong.core.protection import (
    KeyRing,
    has_citizen_id_run,
    looks_like_citizen_id,
    mask_citizen_ids,
)
from xinyong.core.workdays import WorkCalendar

MAX_CELL = 32_767  # characters: what one Excel cell can hold
REPORT_CELL = 200  # characters of a value shown in the report
EARLIEST_DECISION = dt.date(1949, 10, 1)
MAX_AMOUNT = Decimal("1e12")  # 万元

LEGAL_PERSON, UNINCORPORATED = "legal_person", "unincorporated"
INDIVIDUAL_BUSINESS, NATURAL_PERSON = "individual_business", "natural_person"
ORGANISATIONS = frozenset({LEGAL_PERSON, UNINCORPORATED, INDIVIDUAL_BUSINESS})
KIND_LABELS = {
    LEGAL_PERSON: "法人", UNINCORPORATED: "非法人组织", INDIVIDUAL_BUSINESS: "个体工商户",
    NATURAL_PERSON: "自然人",
}  # fmt: skip
# 行政相对人类别 as the national formats write it, and our own codes.
SUBJECT_KINDS = {
    **dict.fromkeys(["法人及非法人组织", "法人", "法人组织", "企业", "legal_person"], LEGAL_PERSON),
    **dict.fromkeys(["非法人组织", "其他组织", "unincorporated"], UNINCORPORATED),
    **dict.fromkeys(["个体工商户", "个体户", "individual_business"], INDIVIDUAL_BUSINESS),
    **dict.fromkeys(["自然人", "个人", "natural_person"], NATURAL_PERSON),
}
# 证件类型 a natural person may be identified by: the citizen ID and the residence permits of
# Hong Kong, Macao and Taiwan residents, which follow the same standard (GB 11643-1999).
CITIZEN_ID_TYPES = frozenset(
    ["身份证", "居民身份证", "公民身份号码", "中华人民共和国居民身份证", "二代身份证",
     "港澳台居民居住证", "港澳居民居住证", "台湾居民居住证"]
)  # fmt: skip
REVIEW_CODES = frozenset({"uscc-check-character", "uscc-organization-code"})

# The columns of an accepted row, in order; the layout's content columns follow. A citizen ID
# is staged as the subject stores it (R14): masked in ``identifier``, hashed, encrypted.
STAGE_COLUMNS = (
    "row_no", "catalog_item_id", "subject_kind", "subject_name", "identifier",
    "identifier_status", "document_number", "decision_date", "issuing_body", "title", "tier",
    "is_serious", "fine_amount", "publication_due_on", "published_on", "workdays_late",
    "publication_min_ends_on", "publication_ends_on", "sharing_ends_on", "content",
    "identifier_digest", "identifier_sealed",
)  # fmt: skip
IMPORT_NAMES = {"licences": "行政许可", "penalties": "行政处罚"}
LIMITS = {"subject_name": 200, "document_number": 128, "issuing_body": 128}
# The record's summary: the first of these that the row fills.
TITLE_FIELDS = {
    "penalties": ("violation", "case_name", "penalty_content"),
    "licences": ("document_name", "certificate_name", "project_name", "licence_content"),
    "records": ("title",),
}


class Problem(NamedTuple):
    code: str
    column: str
    message: str


class RowResult(NamedTuple):
    """One data row's outcome: ``record`` when accepted (``problems`` are then notes)."""

    number: int
    record: tuple[Any, ...] | None
    problems: tuple[Problem, ...]
    values: tuple[str, ...] | None  # the row as the report shows it, when it has problems
    cells: list[str]  # as read; the report shows them only through ``RowChecker.report_values``


class FlawedRow(list):
    """A row a reader could only partly read: an over-long line, a CSV syntax error; or one
    whose reader left out values holding prohibited data (``sensitive-field``, with the
    columns and their topics in ``details["columns"]``)."""

    def __init__(self, cells: list[str], code: str, **details: Any) -> None:
        super().__init__(cells)
        self.code = code
        self.details = details


def problem(code: str, column: str = "", **params: Any) -> Problem:
    return Problem(code, column, MESSAGES[code].format(column=column, **params))


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
    penalty_types: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)


# A date as departments write it, and the time of day a database export or an Excel datetime
# cell adds to it (after a "T", a space, or directly after 日); the time is checked, then ignored.
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?"
    r"(?:(?:T|\s+|(?<=日))(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?\s*"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TYPE_SEPARATORS = re.compile(r"([;；,，、/|\n]+)")  # kept in the split: see ``_resolve_types``
_PLAIN_AMOUNT = re.compile(r"\d{1,12}(?:\.\d{1,6})?")
_PARENTHESES = re.compile(r"[（(][^)）]*[)）]")
_SEPARATOR = "\x1f"  # joins a row's cells for one search: the ASCII unit separator
_NUL, _NUL_SHOWN = "\x00", "\u2400"  # a NUL character, and the symbol the report shows for it


def parse_date(text: str) -> dt.date | None:
    """ISO dates and the usual variants (2026/9/1, 2026年9月1日, 20260901); a time of day after
    the date (2026-09-01 10:30:00, 2026-09-01T10:30) must be a real time, and is ignored."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        return None
    if match.re is _DATE and match[4] is not None:
        hour, minute, second = int(match[4]), int(match[5]), int(match[6] or 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def normalize_penalty_name(name: str) -> str:
    return _PARENTHESES.sub("", unicodedata.normalize("NFKC", name)).replace(" ", "").strip()


class RowChecker:
    """Checks the rows of one file against one layout and one context."""

    def __init__(self, header: list[str], header_map: HeaderMap, context: ImportContext) -> None:
        self.header = header
        self.map = header_map
        self.context = context
        self.kind = header_map.layout.kind
        self.width = header_map.width
        self.ids = IdentifierChecker(context.today)
        self.publication = Publication(context.calendar, context.today)
        self.sensitive = tuple(sorted(header_map.sensitive))
        self.report_columns = tuple(i for i in range(self.width) if i not in header_map.sensitive)
        self._report_getter = _getter(self.report_columns)
        self.report_header = tuple(header[i] for i in self.report_columns)
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
        self.content_keys = tuple(f.content for f in present)
        self._content = _getter(tuple(self._ix[f.key] for f in present))
        # Content that may hold a citizen ID is kept masked (R14): the subject's own ID is
        # stored encrypted with the subject; a representative's is not needed in full. The
        # USCC column is no exception: masking keeps an organisation's code as it is, and
        # whatever else is there in a person's ID's shape is a person's (R14).
        self._extra = (
            tuple((header[i], i) for i in header_map.unknown)
            if header_map.layout.keep_unknown
            else ()
        )
        self._dates: dict[str, dt.date | None] = {}
        self._types: dict[str, tuple[str, str] | Problem] = {}

    # -- helpers -----------------------------------------------------------------------------

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

    def report_values(self, cells: list[str]) -> tuple[str, ...]:
        """The row as the report keeps it: no prohibited column, long cells cut, citizen IDs
        masked (the row number finds the row in the department's own file, R14)."""
        if len(cells) != self.width:
            cells = (list(cells) + [""] * self.width)[: self.width]
        values = self._report_getter(cells)
        return tuple(
            mask_citizen_ids(v if len(v) <= REPORT_CELL else v[:REPORT_CELL] + "…").replace(
                _NUL, _NUL_SHOWN
            )
            for v in values
        )

    def content(self, cells: list[str]) -> tuple[str, ...]:
        """The content columns, citizen IDs masked: one search of the joined row finds none in
        most rows, and one substitution over it masks the rest."""
        values = self._content(cells)
        joined = _SEPARATOR.join(values)
        if not has_citizen_id_run(joined):
            return values
        if joined.count(_SEPARATOR) == len(values) - 1:
            # The separator is not a character an ID's boundaries allow, so masking the
            # joined row masks each cell exactly as masking the cells one by one would.
            return tuple(mask_citizen_ids(joined).split(_SEPARATOR))
        return tuple(mask_citizen_ids(value) for value in values)  # a cell holds the separator

    def content_json(self, cells: list[str]) -> str:
        """The record's content as JSON text: the row's non-empty national fields, then any
        other columns the layout keeps. Built here, where it costs a few microseconds, rather
        than by the database from one staged column per field."""
        content = {
            key: value
            for key, value in zip(self.content_keys, self.content(cells), strict=True)
            if value
        }
        if self._extra:
            # Extra columns are free text, their names too: either may hold a citizen ID.
            content.update(
                (mask_citizen_ids(name), mask_citizen_ids(cells[i]))
                for name, i in self._extra
                if cells[i]
            )
        return orjson.dumps(content).decode()

    # -- the row -----------------------------------------------------------------------------

    def check(self, number: int, cells: list[str]) -> RowResult:
        problems: list[Problem] = []
        if type(cells) is FlawedRow and cells.code != "sensitive-field":
            problems.append(self._flaw(cells))
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
            if _NUL in _SEPARATOR.join(cells):  # text that PostgreSQL cannot store at all
                problems.extend(
                    problem("control-character", self.header[index])
                    for index, value in enumerate(cells)
                    if _NUL in value and index not in self.map.sensitive
                )
        if problems:
            return RowResult(number, None, tuple(problems), self.report_values(cells), cells)
        cells.append("")
        for indexes in self._multi:
            cells.append("；".join(v for v in (cells[i].strip() for i in indexes) if v))
        record, problems = self._record(number, cells)
        if record is None or problems:
            return RowResult(number, record, tuple(problems), self.report_values(cells), cells)
        return RowResult(number, record, (), None, cells)

    def _flaw(self, cells: FlawedRow) -> Problem:
        if cells.code == "cell-too-large":
            column = self.header[len(cells) - 1] if 0 < len(cells) <= self.width else ""
            return problem("cell-too-large", column, size=cells.details["size"], limit=MAX_CELL)
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
        document_number = cells[ix["document_number"]].strip()
        issuing_body = cells[ix["issuing_body"]].strip()
        for key, value in (("subject_name", name), ("document_number", document_number),
                           ("issuing_body", issuing_body)):  # fmt: skip
            if not value:
                problems.append(problem("required", label[key]))
            elif len(value) > LIMITS[key]:
                problems.append(problem("too-long", label[key], limit=LIMITS[key]))
        kind = self._subject_kind(cells, problems)
        identifier, status = self._identifier(cells, kind, problems, notes)
        digest = sealed = ""
        if identifier:
            keys = self.context.keys
            digest = keys.digest(identifier)
            # An organisation's code that may be a person's ID (valid both ways, or for review
            # in an ID's shape) is staged as a person's ID is, as the subject would store it.
            if kind == NATURAL_PERSON or looks_like_citizen_id(identifier):
                identifier, sealed = mask_id_number(identifier), keys.seal(identifier)
        if item is not None and kind is not None and kind not in item.subject_kinds:
            problems.append(problem("catalog-subject-kind", item=item.name, kind=KIND_LABELS[kind]))
        decided = self._decision_date(cells, problems)
        tier, serious, rule = "", False, None
        if self.kind == "penalties":
            tier, rule = self._tier(cells[ix["penalty_types"]].strip(), item, problems)
            serious = tier == "serious"
        elif item is not None:
            serious = item.is_serious
        fine = self._amount(cells, "fine", problems)
        self._amount(cells, "confiscated", problems)
        window = self._window(cells, decided, item, rule, problems)
        if problems:
            return None, problems
        assert item is not None and decided is not None and kind is not None  # checked above
        record = (
            number, item.id, kind, name, identifier, status, document_number, decided.isoformat(),
            issuing_body, self._title(cells), tier, serious, fine, *window,
            self.content_json(cells), digest, sealed,
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

    def _subject_kind(self, cells: list[str], problems: list[Problem]) -> str | None:
        if "subject_kind" in self.map.columns:
            text = self.cell(cells, "subject_kind")
            if not text:
                problems.append(problem("required", self.labels["subject_kind"]))
                return None
            kind = SUBJECT_KINDS.get(text)
            if kind is None:
                problems.append(
                    problem("subject-kind-unknown", self.labels["subject_kind"], value=text)
                )
            return kind
        # The older edition has no kind: an organisation has a code, a person an ID number.
        uscc = self.cell(cells, "uscc")
        if uscc:
            return INDIVIDUAL_BUSINESS if uscc[:2] == "92" else LEGAL_PERSON
        if self.cell(cells, "person_id"):
            return NATURAL_PERSON
        if any(
            self.cell(cells, key)
            for key in ("organization_code", "business_registration", "tax_registration")
        ):
            problems.append(problem("uscc-missing", self.labels["uscc"]))
        else:
            problems.append(problem("required", self.labels["uscc"]))
        return None

    def _identifier(
        self, cells: list[str], kind: str | None, problems: list[Problem], notes: list[Problem]
    ) -> tuple[str, str]:
        if kind is None:
            return "", ""
        if kind == NATURAL_PERSON:
            if "person_id_type" in self.map.columns:
                id_type = self.cell(cells, "person_id_type")
                if not id_type:
                    problems.append(problem("required", self.labels["person_id_type"]))
                elif id_type not in CITIZEN_ID_TYPES:
                    problems.append(
                        problem("person-id-type", self.labels["person_id_type"], value=id_type)
                    )
            value = self.cell(cells, "person_id")
            if not value:
                problems.append(problem("required", self.labels["person_id"]))
                return "", ""
            answer = self.ids.citizen_id(value)
            column = self.labels["person_id"]
        else:
            value = self.cell(cells, "uscc")
            if not value:
                problems.append(problem("required", self.labels["uscc"]))
                return "", ""
            answer = self.ids.uscc(value)
            column = self.labels["uscc"]
            if answer is not None and answer.status != "valid" and self._is_citizen_id(value):
                problems.append(problem("uscc-is-citizen-id", column))
                return "", ""
        if answer is None:
            return value, "valid"
        if answer.status == "valid":
            return answer.value, "valid"
        if answer.status == "review":
            notes.append(Problem(answer.code, column, answer.message))
            return answer.value, "review"
        problems.append(Problem(answer.code, column, answer.message))
        return "", ""

    def _is_citizen_id(self, value: str) -> bool:
        """Whether a code in the USCC column is a person's valid citizen ID rather than an
        organisation's code (R14, DOMAIN.md §4). Asked only of codes that are not a valid USCC:
        a code valid both ways stays the organisation's, as the row says it is, but is kept
        masked and sealed as a person's ID would be (see ``_record``)."""
        answer = self.ids.citizen_id(value)
        return answer is None or answer.status == "valid"

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
        if not text or text in ("长期", "无", "永久", "-"):
            return None
        value = self.date(text)
        if value is None:
            problems.append(problem("date-invalid", self.labels[key], value=text[:40]))
        elif decided is not None and value < decided:
            problems.append(problem("date-order", self.labels[key], value=value, decided=decided))
            return None
        return value

    def _tier(
        self, text: str, item: ItemInfo | None, problems: list[Problem]
    ) -> tuple[str, TierRule | None]:
        """The highest tier among the decision's penalty types, and its rule (R8)."""
        if not text:
            problems.append(problem("required", self.labels["penalty_types"]))
            return "", None
        known = self._types.get(text)
        if known is None:
            known = self._types[text] = self._resolve_types(text)
        if isinstance(known, Problem):
            problems.append(known)
            return "", None
        tier = known[1]
        return tier, item.rules.get(tier) if item is not None else None

    def _resolve_types(self, text: str) -> tuple[str, str] | Problem:
        """A decision may name several penalty types; some names hold a separator themselves
        (没收非法财物、违法所得), so known names are matched, longest first, before a separator
        is taken to split two types (R8: the highest tier among them counts)."""
        rank = {"minor": 1, "general": 2, "serious": 3}
        known = self.context.penalty_types
        normalized = normalize_penalty_name(text)
        if normalized in known:
            return known[normalized]
        # Names and the separators between them, alternating: [name, separator, name, ...].
        pieces = _TYPE_SEPARATORS.split(normalized)
        best: tuple[str, str] | None = None
        start = 0
        while start < len(pieces):
            if not pieces[start]:
                start += 2
                continue
            for end in range(len(pieces) - 1, start - 1, -2):
                found = known.get("".join(pieces[start : end + 1]))
                if found is not None:
                    break
            else:
                return problem(
                    "penalty-type-unknown", self.labels["penalty_types"], value=pieces[start][:40]
                )
            if best is None or rank[found[1]] > rank[best[1]]:
                best = found
            start = end + 2
        if best is None:
            return problem("required", self.labels["penalty_types"])
        return best

    def _amount(self, cells: list[str], key: str, problems: list[Problem]) -> str | None:
        if key not in self.map.columns:
            return None
        text = self.cell(cells, key)
        if not text:
            return None
        if _PLAIN_AMOUNT.fullmatch(text):
            return text
        digits = text.removesuffix("万元").removesuffix("万").replace(",", "").strip()
        try:
            value = Decimal(digits)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
            problems.append(problem("amount-invalid", self.labels[key], value=text[:40]))
            return None
        return digits

    def _window(
        self,
        cells: list[str],
        decided: dt.date | None,
        item: ItemInfo | None,
        rule: TierRule | None,
        problems: list[Problem],
    ) -> Window:
        valid_until = self._optional_date(cells, "valid_until", decided, problems)
        if decided is None or item is None:
            return NOT_PUBLISHED
        if self.kind == "penalties":
            if rule is None:
                return NOT_PUBLISHED
            if not item.is_public:
                # Shared for as long as the tier says, published or not (a minor penalty's
                # window has no publication end, only its sharing end).
                tiered = self.publication.tiered(decided, rule)
                return Window(sharing_ends_on=tiered.sharing_ends_on)
            stated = (
                self._optional_date(cells, "publication_until", decided, problems)
                if "publication_until" in self.map.columns
                else None
            )
            return self.publication.tiered(decided, rule, stated_end=stated)
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


def _getter(indexes: tuple[int, ...]):
    """A function that picks ``indexes`` from a list as a tuple, in C."""
    if not indexes:
        return lambda cells: ()
    if len(indexes) == 1:
        only = indexes[0]
        return lambda cells: (cells[only],)
    return itemgetter(*indexes)
