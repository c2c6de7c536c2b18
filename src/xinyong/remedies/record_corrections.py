"""What a founded objection may correct in a credit record, and the letter telling the result
(R6: the department corrects or revokes what is wrong and tells the subject the result and its
remedies; 000 §十一.2-3).

A correction changes the facts of a record in place: its summary and the national fields of
free text that feed nothing else. The fields that identify the record, set its window or are
read as a date or an amount (the subject, the document number, the dates, the penalty types and
amounts, the issuing body) are not corrected here: a record wrong in one of those is revoked,
and the department sends the right decision as a record of its own, so that its identity, tier,
window and values are checked and worked out as for any record (R8, R9).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from xinyong.catalog.importers import formats
from xinyong.catalog.importers.embedded_json import sensitive_json_cells
from xinyong.catalog.models import CreditRecord, RecordFormat
from xinyong.core.errors import XinyongError
from xinyong.core.protection import mask_citizen_ids
from xinyong.listings.documents import REMEDIES

TITLE = "title"  # the record's summary, a column of its own; every other key is in its content
MAX_VALUE_LENGTH = 2000

# The national fields a correction may change, by format: the free text of the decision (its
# facts, basis and content) and the notes; never a subject's field, the identity, a date (a
# licence's end is its publication's) or an amount (module doc).
CORRECTABLE = {
    RecordFormat.PENALTY: (
        formats.PENALTIES,
        ("case_name", "violation", "facts", "basis", "penalty_content", "licence_suspended",
         "note"),
    ),
    RecordFormat.LICENCE: (
        formats.LICENCES,
        ("document_name", "project_name", "licence_category", "certificate_name",
         "licence_number", "licence_content", "state", "note"),
    ),
}  # fmt: skip
TITLE_MAX = 255  # the record's column


@dataclass(frozen=True)
class CorrectableField:
    key: str  # the content key, or TITLE
    label: str
    value: str


def correctable_fields(record: CreditRecord) -> list[CorrectableField]:
    """The fields of ``record`` a correction may change, with their values now. Other catalog
    information keeps its own columns in its content: each of those is correctable."""
    content = record.content or {}
    fields = [CorrectableField(TITLE, "摘要", record.title)]
    known = CORRECTABLE.get(record.catalog_item.record_format)
    if known is None:
        fields += [CorrectableField(key, key, _text(value)) for key, value in content.items()]
        return fields
    layout, keys = known
    for key in keys:
        field = layout.field(key)
        value = _text(content.get(field.content))
        fields.append(CorrectableField(field.content, field.label, value))
    return fields


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def plain(text: str) -> str:
    """``text`` as a correction compares and keeps it: line ends as ``\n`` (a browser sends a
    text area's as ``\r\n``), no spaces around it."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _unstorable(value: str) -> str | None:
    """What makes ``value`` no text a record and a letter can keep, or None. A NUL is kept by
    SQLite and refused by PostgreSQL; a lone surrogate can be encoded by neither. A form posts
    either as it is typed or pasted; the API refuses them in its schema already."""
    if "\x00" in value:
        return "含空字符（NUL）"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "含无效的 Unicode 字符（单独的代理项）"
    return None


def planned_corrections(record: CreditRecord, asked: dict[str, str]) -> dict[str, dict[str, str]]:
    """The changes ``asked`` (key → new value) makes, as kept: {key: {label, before, after}}.

    Refused: a key the record may not have corrected, a value with a character no text can
    keep (a NUL, a lone surrogate), a sensitive value (001 §14), a value over 2,000 characters,
    or no change at all. Citizen IDs written in a value are masked, as the import masks them in
    a record's content (R14).
    """
    allowed = {field.key: field for field in correctable_fields(record)}
    changes: dict[str, dict[str, str]] = {}
    for key, value in asked.items():
        field = allowed.get(key)
        if field is None:
            raise XinyongError(
                "correction-field-not-allowed",
                f"该字段不能通过异议更正：{key}；主体、文书号、决定日期、处罚类别与金额有误的，"
                "请撤销该信息并重新报送正确的决定",
                status=422, field=key,
            )  # fmt: skip
        if (unstorable := _unstorable(str(value))) is not None:
            raise XinyongError(
                "correction-invalid-character", f"{field.label}{unstorable}，无法保存",
                status=422, field=key,
            )  # fmt: skip
        after = mask_citizen_ids(plain(str(value)))
        limit = TITLE_MAX if key == TITLE else MAX_VALUE_LENGTH
        if len(after) > limit:
            raise XinyongError(
                "correction-too-long", f"{field.label}不能超过 {limit} 个字", status=422,
                field=key,
            )  # fmt: skip
        if sensitive_json_cells([after]):
            raise XinyongError(
                "sensitive-field", f"{field.label}含有禁止采集的个人信息", status=422, field=key
            )
        if after != plain(field.value):
            changes[key] = {"label": field.label, "before": field.value, "after": after}
    if not changes:
        raise XinyongError("correction-empty", "请写明更正后的内容", status=422)
    return changes


def apply_corrections(record: CreditRecord, changes: dict[str, dict[str, str]]) -> list[str]:
    """Write ``changes`` into the record; answers the model fields to save."""
    content = dict(record.content or {})
    for key, change in changes.items():
        if key == TITLE:
            record.title = change["after"]
        else:
            content[key] = change["after"]
    record.content = content
    return ["title", "content"]


def result_letter(
    record: CreditRecord, *, founded: bool, finding: str, outcome: str = "",
    changes: dict[str, dict[str, str]] | None = None, day: dt.date,
    publication_stopped: bool = False,
) -> str:  # fmt: skip
    """What the subject is told: the finding, what was done and its remedies (R6, 002 §二十七);
    where the record was wrong, a written apology and its reputation restored (000 §十一.3). A
    revocation says what stopped that day: its publication (``publication_stopped``) only if
    it was still public."""
    about = f"{record.catalog_item.name}（{record.shown_document_number}）"
    lines = [f"{record.subject.name}：", f"你（单位）对{about}提出的异议，本机关已依法核实。"]
    if finding.strip():
        lines.append(f"核实结论：{finding.strip()}")
    if not founded:
        lines.append("处理结果：异议不成立，该信息维持不变，核实期间的异议标注予以解除。")
    elif outcome == "revoke":
        stops = "终止公示并停止共享" if publication_stopped else "停止共享"
        lines.append(f"处理结果：异议成立，该信息予以撤销，自{day:%Y-%m-%d}起{stops}。")
    else:
        parts = [
            f"{c['label']}由“{c['before'] or '（空）'}”更正为“{c['after'] or '（空）'}”"
            for c in (changes or {}).values()
        ]
        lines.append(f"处理结果：异议成立，该信息已予更正：{'；'.join(parts)}。")
    if founded:
        lines.append("对此记录错误，本机关特向你（单位）书面致歉，并恢复你（单位）的名誉。")
    lines.append(f"救济途径：{REMEDIES}")
    return "\n".join(lines)
