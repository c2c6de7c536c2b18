"""Loading the measures list (措施清单) from a file: CSV (UTF-8 or GB18030) or Excel (R10).

Columns as used in practice: 序号, 事项, 内容, 对象, 政策依据, 实施层级, 实施频次, plus
类型 (激励/惩戒), 性质 (强制性/推荐性), 名单类别 and 领域, and optionally 措施名称, 业务场景,
编号 (the measure code; otherwise ``m`` + 序号) and 实施部门.

事项 is the business scenario the measure applies in (DOMAIN.md §2: procurement, fiscal funds,
approval…), as in the lists departments keep; the measure's name is then 措施名称, or its
内容. Lists that name the scenario in a 业务场景 column use 事项 for the measure's name instead.

Headers are read whatever their width, spacing or script, under title rows and on two rows
where columns are grouped (``loading_header``); a column not recognised is ignored and named
in the load's result, so that a misspelled one is seen. A file without 领域 or 实施部门 leaves
the measures it updates limited as they were: an absent column is not an empty one, which
would mean every domain or department and widen them (R10). Nor is a blank cell where other
rows name theirs, which a merged cell saved as CSV leaves, or one for a measure that has domains
(departments) now: it refuses its row unless it says every one in words, 全部 or 不限
(``loading_blanks``).

A workbook is read by its first sheet; one with anything on another sheet is refused, so that
no measure on it is left out unsaid (``core.tables.refuse_other_sheets``). Every row is checked
before anything is written; any bad row refuses the whole file, naming
every bad row. A 政策依据 of 无, — or / is no legal basis, and refuses its row as a blank one does
(R10); so do a punishment that follows from the red list and a reward that follows from a
dishonesty list (R10, 000 §四), a 序号 that is not a whole number, a name two departments share
(the code tells them apart), a 名单类别, 对象 or 业务场景 that names nothing once split, a 序号
given twice, a measure given twice under two codes, or in force under a code the load leaves
in force, and a value past the header's last column (``loading_duplicates``). So
does a workbook's cell, in a column read here, that holds an error value (#N/A …), which
calamine reads as empty: named as that error, never as a blank or missing field (R9, R10). A load
is one transaction with one audit row, which keeps each changed value as it was and as it
became; loading the same file again changes nothing. Loaded without ``replace``, a file that
leaves out active measures leaves them in force and names them in its summary.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction

from xinyong.audit import services as audit
from xinyong.catalog.importers.excel import refuse_too_large_file
from xinyong.core.errors import XinyongError
from xinyong.core.tables import ErrorRecord, read_rows
from xinyong.listings.models import ListKind
from xinyong.measures import loading_blanks as blanks
from xinyong.measures import loading_duplicates as duplicates
from xinyong.measures import selectors
from xinyong.measures.loading_header import LABELS, REQUIRED, find_header
from xinyong.measures.models import (
    Measure,
    Scenario,
    is_placeholder_basis,
    list_kinds_against_type,
)
from xinyong.measures.renames import restate_decisions
from xinyong.subjects.models import Department, Domain

MAX_ERRORS_SHOWN = 20

TYPES = {
    **dict.fromkeys(["激励", "奖励", "守信激励", "reward"], Measure.Type.REWARD),
    **dict.fromkeys(["惩戒", "惩罚", "失信惩戒", "punishment"], Measure.Type.PUNISHMENT),
}
MANDATORY = {
    **dict.fromkeys(["强制性", "强制", "是", "mandatory"], True),
    **dict.fromkeys(["推荐性", "推荐", "否", "recommended"], False),
}
# The kinds by the names the measures list gives them, for its errors.
KIND_NAMES = {ListKind.RED: "红名单", ListKind.BLACK: "严重失信主体名单",
              ListKind.KEY_ATTENTION: "重点关注名单", ListKind.BIG_DATA_WARNING: "大数据警示名单",
              ListKind.KEY_MONITORING: "重点监测名单"}  # fmt: skip
LIST_KINDS = {
    **{kind.value: kind.value for kind in ListKind},
    **dict.fromkeys(["红名单", "守信激励对象", "守信激励对象名单"], ListKind.RED.value),
    **dict.fromkeys(["黑名单", "严重失信主体名单", "失信联合惩戒对象名单"], ListKind.BLACK.value),
    "重点关注名单": ListKind.KEY_ATTENTION.value,
    "大数据警示名单": ListKind.BIG_DATA_WARNING.value,
    **dict.fromkeys(["重点监测", "重点监测名单"], ListKind.KEY_MONITORING.value),
}
T = Measure.Target
TARGETS = {
    **{target.value: target.value for target in T},
    **dict.fromkeys(["机构", "单位", "法人", "企业", "组织"], T.ORGANISATION.value),
    "法定代表人": T.LEGAL_REPRESENTATIVE.value,
    "主要负责人": T.PRINCIPAL.value,
    **dict.fromkeys(["直接责任人", "直接责任人员", "责任人"], T.RESPONSIBLE.value),
    **dict.fromkeys(["自然人", "个人"], T.PERSON.value),
}
_SPLIT = re.compile(r"[;；,，、/\n]+")
# 对象 is often written as a phrase: 单位及其法定代表人、主要负责人.
_SPLIT_TARGETS = re.compile(r"[;；,，、/\n]+|及其|及|和|与")
# 序号: a whole number, as typed or as Excel keeps it (1.0); within the column's bound on
# every database (PositiveIntegerField).
_SEQUENCE = re.compile(r"([0-9]+)(?:\.0*)?")
MAX_SEQUENCE = 2_147_483_647
_CODE = re.compile(r"[-a-zA-Z0-9_]+")
_TEXT_LIMITS = {"name": ("措施名称", 200), "implementing_level": ("实施层级", 64),
                "frequency": ("实施频次", 64)}  # fmt: skip


@dataclasses.dataclass(frozen=True)
class MeasureRow:
    """One checked row: the measure's fields and its links, as codes and primary keys."""

    line: int
    code: str
    fields: dict[str, Any]
    domain_ids: frozenset[int] | None  # None: the file has no 领域 column
    scenario_ids: frozenset[int]
    department_ids: frozenset[int] | None  # None: the file has no 实施部门 column


@dataclasses.dataclass(frozen=True)
class MeasuresFile:
    """A file's checked rows, and the headers of the columns it has that were not read."""

    rows: list[MeasureRow]
    ignored_columns: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class LoadSummary:
    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    deactivated: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    # Measures renamed (old name → new names) and how many entries' decisions stating them
    # were restated under the new names (``renames.restate_decisions``).
    renamed: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    restated_entries: int = 0
    # Loaded without ``replace``: the active measures the file does not list, code → name. They
    # stay in force; the summary names them, so that a measure dropped from the list is not
    # left applied unseen.
    not_in_file: dict[str, str] = dataclasses.field(default_factory=dict)

    def describe(self) -> str:
        text = (f"措施清单已载入：新增 {len(self.created)} 项，更新 {len(self.updated)} 项，"
                f"未变 {len(self.unchanged)} 项")  # fmt: skip
        text += f"，停用 {len(self.deactivated)} 项" if self.deactivated else ""
        if self.renamed:
            text += (f"，更名 {len(self.renamed)} 项（{self.restated_entries} 条名单记录的"
                     "认定决定所列措施随之更名）")  # fmt: skip
        if self.ignored_columns:  # a misspelled 领域 would otherwise pass unseen
            text += f"。未识别的列已忽略：{'、'.join(self.ignored_columns)}（请核对表头）"
        if self.not_in_file:
            named = [f"{code} {name}" for code, name in self.not_in_file.items()]
            shown = "、".join(named[:MAX_ERRORS_SHOWN])
            more = f" 等 {len(named)} 项" if len(named) > MAX_ERRORS_SHOWN else ""
            text += (f"。另有 {len(named)} 项有效措施不在本文件中，仍然有效：{shown}{more}；"
                     "如已从清单删除，请加 --replace 重新载入本文件，或在管理后台停用")  # fmt: skip
        return text


def _split(text: str, pattern: re.Pattern = _SPLIT) -> list[str]:
    return [part.strip() for part in pattern.split(text) if part and part.strip()]


def _code(cells: dict[str, str]) -> str:
    """The row's measure code: 编号, else ``m`` + 序号; blank without either (or a bad 序号)."""
    sequence = _sequence(cells["sequence"]) if cells.get("sequence") else None
    return cells.get("code") or (f"m{sequence:03d}" if sequence is not None else "")


def _sequence(text: str) -> int | None:
    """序号 as a whole number not below 0, or None: -1, 1.5, 1e2 and inf are no 序号."""
    found = _SEQUENCE.fullmatch(unicodedata.normalize("NFKC", text))
    if found is None or int(found.group(1)) > MAX_SEQUENCE:
        return None
    return int(found.group(1))


class _Reference:
    """One table of reference data (domains, scenarios, departments) by code and by name. Codes
    are unique; a name two rows share names neither, and the file must give the code."""

    def __init__(self, rows: Iterable[Any], noun: str) -> None:
        self.noun = noun
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for row in rows:
            self.by_code[row.code.lower()] = row.pk
            self.by_name[row.name].append((row.code, row.pk))

    def find(self, part: str, what: str, errors: list[str]) -> int | None:
        found = self.by_code.get(part.lower())
        if found is not None:
            return found
        named = self.by_name.get(part, [])
        if len(named) > 1:
            codes = "、".join(sorted(code for code, _ in named))
            errors.append(f"{what}“{part}”对应多个{self.noun}（{codes}），请填写{self.noun}编码")
            return None
        if not named:
            errors.append(f"未知的{what}“{part}”")
            return None
        return named[0][1]


class _Lookup:
    """Reference data by name or code, read once per load."""

    def __init__(self) -> None:
        self.domains = _Reference(Domain.objects.all(), "领域")
        self.scenarios = _Reference(Scenario.objects.all(), "业务场景")
        self.departments = _Reference(Department.objects.all(), "部门")

    @staticmethod
    def resolve(
        text: str, table: dict | _Reference, what: str, errors: list[str],
        pattern: re.Pattern = _SPLIT,
    ) -> list:  # fmt: skip
        """Each value ``text`` names, once. A text that names nothing once split (、, 及) is
        refused rather than read as an empty list, which may mean every domain or department."""
        parts = _split(text, pattern)
        if text.strip() and not parts:
            errors.append(f"{what}“{text}”未列出任何{what}")
        resolved = []
        for part in parts:
            if isinstance(table, _Reference):
                value = table.find(part, what, errors)
            else:
                value = table.get(part, table.get(part.lower()))
                if value is None:
                    errors.append(f"未知的{what}“{part}”")
            if value is not None and value not in resolved:
                resolved.append(value)
        return resolved


def _against_type(kind: str | None, list_kinds: list[str]) -> str | None:
    """Why a measure of this type cannot follow from these lists (R10, 000 §四), or None."""
    wrong = list_kinds_against_type(kind, list_kinds) if kind else []
    if not wrong:
        return None
    label = "激励" if kind == Measure.Type.REWARD else "惩戒"
    return f"{label}措施不得依据{'、'.join(KIND_NAMES[ListKind(k)] for k in wrong)}实施"


def _error_cells(
    record: list[str], columns: dict[str, int] | None, header: list[str]
) -> dict[str, str]:
    """The fields whose cell holds an error value, each with what to say of it (said once for a
    cell two fields read); none for a CSV record."""
    if columns is None or type(record) is not ErrorRecord:
        return {}
    broken: dict[str, str] = {}
    said: set[int] = set()
    for field, index in columns.items():
        error = record.errors.get(index)
        if error is None:
            continue
        broken[field] = ""
        if index not in said:
            said.add(index)
            broken[field] = (
                f"“{header[index]}”单元格是 Excel 错误值 {error}，不是数据，也不能当作空白："
                "请修正该单元格（如其公式）后重新载入"
            )
    return broken


def _open_ended(
    field: str, text: str, table: _Reference, what: str, errors: list[str]
) -> list[int]:
    """A 领域 or 实施部门 cell: none for blank or for every one said in words (全部, 不限), else
    what it names (``loading_blanks``)."""
    return blanks.resolve(
        field, text, _split(text), lambda: _Lookup.resolve(text, table, what, errors), errors
    )


def _check_row(
    line: int, cells: dict[str, str], lookup: _Lookup, broken: dict[str, str]
) -> tuple[MeasureRow | None, list[str]]:
    """The row's measure, or what is wrong with it. A field in ``broken`` holds an error value
    (``_error_cells``): said as such, and not as missing."""
    errors: list[str] = [said for said in broken.values() if said]
    for field in REQUIRED:
        if not cells.get(field) and field not in broken:
            why = "（无法律依据的措施不得列入清单）" if field == "legal_basis" else ""
            errors.append(f"缺少{LABELS[field]}{why}")
    basis = cells.get("legal_basis", "")
    if basis and is_placeholder_basis(basis):  # R10: 无, —, / name no basis
        errors.append(f"政策依据“{basis[:20]}”未写明法律依据（无法律依据的措施不得列入清单）")
    sequence = None
    if cells.get("sequence"):
        sequence = _sequence(cells["sequence"])
        if sequence is None:
            errors.append(f"序号无效“{cells['sequence'][:20]}”，应为不小于 0 的整数")
    code = _code(cells)
    if not code:
        if not cells.get("sequence") and not broken.keys() & {"code", "sequence"}:
            errors.append("缺少编号或序号")
    elif not _CODE.fullmatch(code) or len(code) > 64:
        errors.append(f"编号无效“{code}”：只用字母、数字、-、_，不超过 64 字")
    for field, (label, limit) in _TEXT_LIMITS.items():
        if len(cells.get(field, "")) > limit:
            errors.append(f"{label}超过 {limit} 字")
    kind = TYPES.get(cells.get("type", "").lower())
    if cells.get("type") and kind is None:
        errors.append(f"类型无效“{cells['type']}”，应为激励或惩戒")
    mandatory = MANDATORY.get(cells.get("mandatory", "").lower())
    if cells.get("mandatory") and mandatory is None:
        errors.append(f"性质无效“{cells['mandatory']}”，应为强制性或推荐性")
    list_kinds = lookup.resolve(cells.get("list_kinds", ""), LIST_KINDS, "名单类别", errors)
    wrong_lists = _against_type(kind, list_kinds)
    if wrong_lists:
        errors.append(wrong_lists)
    targets = lookup.resolve(cells.get("targets", ""), TARGETS, "对象", errors, _SPLIT_TARGETS)
    domains = departments = None
    if "domains" in cells:
        domains = _open_ended("domains", cells["domains"], lookup.domains, "领域", errors)
    scenarios = lookup.resolve(cells.get("scenarios", ""), lookup.scenarios, "业务场景", errors)
    if "departments" in cells:
        departments = _open_ended(
            "departments", cells["departments"], lookup.departments, "实施部门", errors
        )
    if errors:
        return None, errors
    fields = {
        "sequence": sequence, "name": cells["name"],
        "content": cells.get("content") or cells["name"], "type": kind, "mandatory": mandatory,
        "legal_basis": cells["legal_basis"], "list_kinds": list_kinds, "targets": targets,
        "implementing_level": cells.get("implementing_level", ""),
        "frequency": cells.get("frequency", ""), "is_active": True,
    }  # fmt: skip
    return MeasureRow(
        line, code, fields, None if domains is None else frozenset(domains),
        frozenset(scenarios), None if departments is None else frozenset(departments),
    ), []  # fmt: skip


def _name_from_content(content: str) -> str:
    """A name for a measure the file describes only by its 内容: the first sentence, or the first
    199 characters and an ellipsis, within the name's 200 (the content is kept whole)."""
    limit = _TEXT_LIMITS["name"][1]
    if len(content) <= limit:
        return content
    sentence = re.match(r"[^。；;]+", content)
    if sentence and len(sentence.group(0)) <= limit:
        return sentence.group(0)
    return content[: limit - 1] + "…"


_OPEN_ENDED = {"domains": "domains", "departments": "implementing_departments"}


def _current_links(codes: set[str]) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """By 领域 and 实施部门: the domains (departments) the measures with these codes have now,
    as code and name by the measure's code; a measure with none is left out (R10)."""
    current: dict[str, dict[str, list[tuple[str, str]]]] = {field: {} for field in _OPEN_ENDED}
    if not codes:
        return current
    measures = Measure.objects.filter(code__in=codes).prefetch_related(*_OPEN_ENDED.values())
    for measure in measures:
        for field, relation in _OPEN_ENDED.items():
            links = sorted((link.code, link.name) for link in getattr(measure, relation).all())
            if links:
                current[field][measure.code] = links
    return current


def parse_measures_file(path: str | Path) -> MeasuresFile:
    """Every row checked; XinyongError naming every bad row at once, so one pass fixes the file.

    The header may sit under title rows and be drawn on two (``loading_header.find_header``);
    rows are named by their line in the file. A blank 领域 or 实施部门 where other rows name
    theirs, or for a measure that has domains (departments) now, is refused
    (``loading_blanks``). A workbook is read whole into memory: one whose cells would not fit
    is refused before it is read, as an uploaded one is (``refuse_too_large_file``)."""
    refuse_too_large_file(path)
    lookup = _Lookup()
    header, records = find_header(enumerate(read_rows(path), start=1))
    columns = header.columns
    rows: list[MeasureRow] = []
    problems: dict[int, list[str]] = {}
    repeats = duplicates.Repeats()
    width = duplicates.header_width(header.cells)
    blank = blanks.BlankCells()
    for line, record in records:
        cells = [cell.strip() for cell in record]
        broken = _error_cells(record, columns, header.cells)
        if not any(cells) and not broken:
            continue
        overflow = duplicates.past_header(cells, width)
        if overflow is not None:  # its cells are shifted: what else is wrong follows from it
            problems[line] = [overflow]
            continue
        named = {f: cells[i] if i < len(cells) else "" for f, i in columns.items()}
        if columns["name"] == columns.get("content"):
            named["name"] = _name_from_content(named["name"])
        blank.note(line, named, broken, _code(named))
        row, row_errors = _check_row(line, named, lookup, broken)
        if row_errors:
            problems[line] = row_errors
        if row is not None:
            repeated = repeats.of(row)
            if repeated:
                problems[line] = repeated
            rows.append(row)
    for line, said in repeats.measures_twice(rows).items():
        problems.setdefault(line, []).append(said)
    refused = blank.refused(
        {field: header.cells[i] for field, i in columns.items()}, _current_links(blank.measures())
    )
    for said in refused:
        problems.setdefault(said.line, []).append(said.why)
    errors = [f"第 {line} 行：{'；'.join(said)}" for line, said in sorted(problems.items())]
    if not errors and not rows:
        errors.append("文件中没有措施行")
    if errors:
        blank_means_all = [said.detail() for said in refused]
        _refuse(errors, **({"blank_means_all": blank_means_all} if blank_means_all else {}))
    return MeasuresFile(rows, header.ignored)


def _refuse(errors: list[str], **details: Any) -> None:
    """Refuse the file, naming its first errors and how many more there are."""
    shown = "；".join(errors[:MAX_ERRORS_SHOWN])
    more = (
        f"；另有 {len(errors) - MAX_ERRORS_SHOWN} 处错误" if len(errors) > MAX_ERRORS_SHOWN else ""
    )
    raise XinyongError("measures-file-invalid", f"文件未载入：{shown}{more}", status=422,
                       errors=errors, **details)  # fmt: skip


LINKED = {"domains": Domain, "scenarios": Scenario, "implementing_departments": Department}


def _links(measure: Measure) -> dict[str, frozenset[int]]:
    return {
        "domains": frozenset(measure.domains.values_list("pk", flat=True)),
        "scenarios": frozenset(measure.scenarios.values_list("pk", flat=True)),
        "implementing_departments": frozenset(
            measure.implementing_departments.values_list("pk", flat=True)
        ),
    }


def _wanted_links(row: MeasureRow, current: dict[str, frozenset[int]]) -> dict:
    """The links the row asks for; a column the file does not have keeps them as they are."""
    domains = current["domains"] if row.domain_ids is None else row.domain_ids
    departments = current["implementing_departments"] if row.department_ids is None else (
        row.department_ids
    )  # fmt: skip
    return {"domains": domains, "scenarios": row.scenario_ids,
            "implementing_departments": departments}  # fmt: skip


def _changes(
    measure: Measure, row: MeasureRow, current: dict[str, frozenset[int]], wanted: dict
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a row changes in a measure, as it was and as it becomes, links by their codes: the
    audit row keeps both, so that what a past check answered can be read again (R11)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in row.fields.items():
        if getattr(measure, name) != value:
            before[name], after[name] = getattr(measure, name), value
    for name, ids in wanted.items():
        if ids != current[name]:
            codes = dict(LINKED[name].objects.filter(pk__in=ids | current[name])
                         .values_list("pk", "code"))  # fmt: skip
            before[name] = sorted(codes[pk] for pk in current[name])
            after[name] = sorted(codes[pk] for pk in ids)
    return before, after


@transaction.atomic
def load_measures_file(
    path: str | Path, *, actor: Any, replace: bool = False, reason: str = ""
) -> LoadSummary:
    """Create or update each measure by its code; with ``replace``, deactivate those not in it.

    A measure whose name changes, whose old name no longer names any measure once the file is
    loaded and whose new name named none before, was renamed: the entries whose decisions state
    it are restated under its new name in this transaction, so that it goes on following from
    them. Any other change of name is a shift (an old name still in the list moved to another
    code; a row took over a name another measure had): the decisions go on naming the measure
    they stated, never the one that takes its code (R1, R10; ``renames.restate_decisions``).

    The audit row names what was created, updated, unchanged, deactivated and renamed, how many
    entries were restated, the columns not read, and each changed value before and after."""
    path = Path(path)
    # Before the measures' rows, as every change takes it; and before the file is checked, so
    # that the links a blank cell is checked against are those it would change (R10).
    selectors.hold_measures_list()
    parsed = parse_measures_file(path)
    rows = parsed.rows
    # A measure in force under a code the file leaves in force would be there twice (R1, R10).
    twice = duplicates.in_force_elsewhere(rows, replace)
    if twice:
        _refuse(twice)
    existing = {m.code: m for m in Measure.objects.select_for_update().filter(
        code__in=[row.code for row in rows])}  # fmt: skip
    # The file's names the list already has: a row given one took over another measure's name
    # (a shift, not a rename: ``renames.restate_decisions``).
    names_before = set(Measure.objects.filter(name__in={row.fields["name"] for row in rows})
                       .values_list("name", flat=True))  # fmt: skip
    created, updated, unchanged = [], [], []
    was: dict[str, dict[str, Any]] = {}
    became: dict[str, dict[str, Any]] = {}
    empty = dict.fromkeys(["domains", "scenarios", "implementing_departments"], frozenset())
    for row in rows:
        measure = existing.get(row.code)
        current = _links(measure) if measure is not None else empty
        wanted = _wanted_links(row, current)
        if measure is None:
            measure = Measure.objects.create(code=row.code, **row.fields)
            created.append(row.code)
        else:
            before, after = _changes(measure, row, current, wanted)
            if not before and not after:
                unchanged.append(row.code)
                continue
            was[row.code], became[row.code] = before, after
            for name, value in row.fields.items():
                setattr(measure, name, value)
            measure.save()
            updated.append(row.code)
        for name, ids in wanted.items():
            getattr(measure, name).set(ids)
    deactivated: list[str] = []
    not_in_file: dict[str, str] = {}
    stale = Measure.objects.filter(is_active=True).exclude(code__in=[r.code for r in rows])
    if not replace:  # named in the summary, left in force
        not_in_file = dict(stale.order_by("code").values_list("code", "name"))
    else:
        deactivated = sorted(stale.values_list("code", flat=True))
        for measure in stale:  # save() so that updated_at moves and the index is rebuilt
            measure.is_active = False
            measure.save(update_fields=["is_active", "updated_at"])
            was[measure.code], became[measure.code] = {"is_active": True}, {"is_active": False}
    restated = restate_decisions(
        ((before["name"], became[code]["name"]) for code, before in was.items()
         if "name" in before), names_before,
    ) or {"renamed": {}, "entries": 0}  # fmt: skip
    summary = LoadSummary(tuple(created), tuple(updated), tuple(unchanged), tuple(deactivated),
                          parsed.ignored_columns, restated["renamed"],
                          restated["entries"], not_in_file)  # fmt: skip
    audit.record(
        actor=actor, action="measures.load", obj=("measures.measure", path.name[:64]),
        before={"measures": was} if was else None,
        after={"file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
               **dataclasses.asdict(summary), "changes": became},
        reason=reason,
    )  # fmt: skip
    return summary
