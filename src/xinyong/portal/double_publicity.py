"""Reads for the portal's double publicity (双公示): licences and penalties while they are public.

A licence or penalty is public from the day it was collected (``published_on``) until its window
ends (R9, R8): the daily job stops it the day after ``publication_ends_on`` (终止公示), and these
reads apply the end themselves, so that a day the job has not run shows nothing past its window.
Only records of a catalog item whose information is disclosed to the public are shown (001
§三(二), R5). A natural person's name and ID are masked unless the catalog item's legal basis
requires them (001 §4), and so are the persons an organisation's record names (its legal
representative) in the shown fields; a citizen ID in a text is always masked, also in the
document number and the issuing body (R14). A record is shown under the 行政相对人名称 its
decision states, the decision as it was made (R9), not under the name its subject was first
recorded with (``stated_name``). A search finds organisations by their recorded name or code,
never a person (R5, R14), as on the lists' pages.

The records table is the platform's largest and has no index on dates that the public could
sort by, so pages go newest collected first (by primary key) and are counted by "is there a next
page", never by a total.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from xinyong.catalog.importers import formats
from xinyong.catalog.models import CreditRecord, Disclosure, RecordFormat
from xinyong.core.free_text import mask_free_text, mask_numbers
from xinyong.core.masking import mask_id_number, mask_subject_name
from xinyong.measures.typical_cases import persons_named
from xinyong.subjects.models import Subject, SubjectKind
from xinyong.subjects.selectors import linked_names


@dataclasses.dataclass(frozen=True)
class Register:
    """One of the two publicity registers: its records' format and the fields the public sees."""

    record_format: str
    layout: formats.Layout
    # The content fields shown on a record's page, in the national format's order; identifiers
    # of persons (证件号码) and bookkeeping fields (数据来源, 时间戳) are never shown.
    shown: tuple[str, ...]
    listed: tuple[str, ...]  # the table's summary columns besides subject, number and date


REGISTERS = {
    "penalties": Register(
        RecordFormat.PENALTY, formats.PENALTIES,
        ("subject_kind", "legal_representative", "document_number", "case_name", "violation",
         "facts", "basis", "penalty_types", "penalty_content", "fine", "confiscated",
         "licence_suspended", "decision_date", "valid_until", "issuing_body", "note"),
        ("penalty_types",),
    ),
    "licences": Register(
        RecordFormat.LICENCE, formats.LICENCES,
        ("subject_kind", "legal_representative", "document_name", "document_number",
         "project_name", "licence_category", "certificate_name", "licence_number",
         "licence_content", "decision_date", "valid_from", "valid_until", "issuing_body",
         "state", "note"),
        ("certificate_name",),
    ),
}  # fmt: skip
SEARCH_SUBJECTS_AT_MOST = 500  # organisations a name search looks in


def public_on(today: dt.date) -> Q:
    """Records public on ``today``: shown since a day not after it, not stopped (终止公示) and
    not past the end of their window, of a catalog item disclosed to the public (R9, R8, R5)."""
    return (
        Q(published_on__lte=today, publication_ended_on__isnull=True)
        & (Q(publication_ends_on__isnull=True) | Q(publication_ends_on__gte=today))
        & Q(catalog_item__disclosure=Disclosure.PUBLIC)
    )


def public_records(register: Register, today: dt.date, query: str = "") -> QuerySet:
    """The register's public records, newest collected first; ``query`` finds organisations by
    a part of their name or by their code (a person is never found by a search)."""
    records = CreditRecord.objects.filter(
        public_on(today), catalog_item__record_format=register.record_format
    )
    query = query.strip()
    if query:
        organisations = Subject.objects.exclude(kind=SubjectKind.NATURAL_PERSON).filter(
            Q(name__icontains=query) | Q(identifier=query.upper())
        )
        ids = list(organisations.values_list("pk", flat=True)[:SEARCH_SUBJECTS_AT_MOST])
        records = records.filter(subject_id__in=ids)
    return records.select_related("subject", "catalog_item").order_by("-pk")


def page_of(records: QuerySet, number: int, per_page: int) -> tuple[list, bool]:
    """One page of ``records`` and whether another follows, without counting them all."""
    start = (max(number, 1) - 1) * per_page
    rows = list(records[start : start + per_page + 1])
    return rows[:per_page], len(rows) > per_page


def _masks(record: CreditRecord) -> bool:
    """Personal data is masked unless the catalog item's legal basis requires it (001 §4)."""
    return record.catalog_item.mask_personal_data


def stated_name(record: CreditRecord, register: Register) -> str:
    """The 行政相对人名称 the record's decision states (CF_XDR_MC, XK_XDR_MC), under which it
    is published (R9): a subject renamed since it was first recorded keeps that first name,
    while each decision is shown as it was made. A record with none in its content (one not
    imported from a 双公示 file) is shown under the subject's name."""
    stated = (record.content or {}).get(register.layout.field("subject_name").content)
    stated = str(stated).strip() if stated is not None else ""
    return stated or record.subject.name


def _subject(record: CreditRecord, register: Register) -> dict[str, str]:
    subject = record.subject
    person = subject.is_natural_person
    masks = person and _masks(record)
    if person:
        code = mask_id_number(subject.identifier) if masks else subject.reveal_identifier()
    else:
        code = subject.identifier
    name = mask_subject_name(stated_name(record, register), is_natural_person=masks)
    return {"name": name, "code": code}


def _person_names(record: CreditRecord, register: Register) -> list[str]:
    """A person subject's names that its record's texts may hold: the one the decision states
    and the one it was first recorded with, when they differ."""
    return list(dict.fromkeys((stated_name(record, register), record.subject.name)))


def _persons_in(record: CreditRecord, register: Register) -> list[str]:
    """The natural persons whose names are masked in the record's texts: the subject (by
    either of its names), or the persons linked to the organisation and the legal
    representative the row itself names."""
    if not _masks(record):
        return []
    names = persons_named(record.subject)
    if record.subject.is_natural_person:
        names = list(dict.fromkeys([*names, *_person_names(record, register)]))
    representative = (record.content or {}).get(
        register.layout.field("legal_representative").content
    )
    if representative and not record.subject.is_natural_person:
        names.append(str(representative).strip())
    return [name for name in names if name]


def _text(value: Any, names: list[str], keep: list[str] = ()) -> str:
    """A record's text as the register shows it: citizen IDs (also written in groups) and
    mobile numbers masked whoever they belong to, whether or not a person's name is known to
    mask as well (R5, 001 §4, DOMAIN §4); ``keep`` the words published in full (``_kept``)."""
    return mask_free_text("" if value is None else str(value), names, keep=keep)


# Fields that name no person but a public body or a law: shown as written, but for any
# citizen ID or phone number in them (R5). Masking a person's given name there would corrupt
# them (杭州市住房和城乡建设局 when the legal representative is 王建设).
_NAMES_NO_PERSON = frozenset({"issuing_body", "basis"})


def _kept(record: CreditRecord, register: Register) -> list[str]:
    """What the record's texts name that is published in full (R5): the organisation subject's
    own name and the one its decision states (杭州光明建材有限公司 of a company whose legal
    representative is 李光明), the
    organisations a person subject is linked to, the issuing body and the legal basis."""
    content = record.content or {}
    words = [record.issuing_body or ""]
    words += linked_names(record.subject).organisations
    if not record.subject.is_natural_person:
        words.append(stated_name(record, register))  # the organisation as its decision names it
    for key in _NAMES_NO_PERSON.intersection(register.shown):
        words.append(str(content.get(register.layout.field(key).content) or ""))
    return [word.strip() for word in words if word and word.strip()]


def row(record: CreditRecord, register: Register) -> dict[str, Any]:
    """A record as the register's table shows it, under the name its decision states
    (``stated_name``). Its summary columns (penalty types, the licence's certificate) name no
    linked person, so a page of rows asks nothing more of the database: a person subject's own
    names are masked there, and any citizen ID."""
    person = record.subject.is_natural_person and _masks(record)
    names = _person_names(record, register) if person else []
    content = record.content or {}
    summary = [
        _text(content.get(register.layout.field(key).content, ""), names) for key in register.listed
    ]
    return {
        "id": record.pk, "subject": _subject(record, register),
        "document_number": record.shown_document_number,
        "decision_date": record.decision_date, "issuing_body": record.shown_issuing_body,
        "summary": "；".join(part for part in summary if part),
        "publication_ends_on": record.publication_ends_on,
    }  # fmt: skip


def public_record(register: Register, record_id: int, today: dt.date) -> dict[str, Any] | None:
    """One public record's page: its subject and the national fields the public sees, in the
    format's order; ``None`` when there is no such public record."""
    record = (
        CreditRecord.objects.filter(
            public_on(today), catalog_item__record_format=register.record_format, pk=record_id
        )
        .select_related("subject", "catalog_item")
        .first()
    )
    if record is None:
        return None
    names = _persons_in(record, register)
    keep = _kept(record, register) if names else []
    content = record.content or {}
    fields = []
    for key in register.shown:
        field = register.layout.field(key)
        value = content.get(field.content)
        if key == "legal_representative" and value and _masks(record):
            value = mask_subject_name(str(value), is_natural_person=True)
        if value in (None, ""):
            continue
        if key in _NAMES_NO_PERSON:
            fields.append((field.label, mask_numbers(str(value))))
        else:
            fields.append((field.label, _text(value, names, keep)))
    return {
        **row(record, register),
        "catalog_item": record.catalog_item.name,
        "published_on": record.published_on,
        "fields": fields,
    }
