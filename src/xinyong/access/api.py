"""``GET /api/v1/me``: a credit subject's own record, unmasked for itself (R14)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from xinyong.access import selectors
from xinyong.api.refusals import CALLER, refusals
from xinyong.catalog.models import CreditRecord
from xinyong.listings.models import ListEntry
from xinyong.listings.schemas import EntryListFields
from xinyong.remedies import record_objection_selectors
from xinyong.subjects.models import Subject

router = Router(tags=["me"])


class IdentityOut(Schema):
    kind: str
    name: str
    identifier: str

    @staticmethod
    def resolve_identifier(subject: Subject) -> str:
        return subject.reveal_identifier()


class OwnEntryOut(EntryListFields):
    id: int
    recognizing_department: str
    subject_name: str
    state: str
    in_force: bool = Field(
        description="今日是否有效：state 为 effective 且未过有效期（valid_until 当日仍有效）；"
        "有效期届满的次日起为 false，即使每日任务尚未将其移出、state 仍为 effective"
    )
    facts: str
    basis: str
    decision_document_number: str
    publicity_starts_on: dt.date | None
    publicity_ends_on: dt.date | None
    publicity_ends_provisional: bool = Field(
        description="公示截止日期为暂定（所涉年份的放假安排尚未发布，发布后重新计算）"
    )
    effective_on: dt.date | None
    valid_until: dt.date | None
    exited_on: dt.date | None
    exit_reason: str

    @staticmethod
    def resolve_in_force(entry: ListEntry) -> bool:
        return entry.is_in_force

    @staticmethod
    def resolve_recognizing_department(entry: ListEntry) -> str:
        return entry.list.recognizing_department.name

    @staticmethod
    def resolve_subject_name(entry: ListEntry) -> str:
        return entry.subject.name

    @staticmethod
    def resolve_facts(entry: ListEntry) -> str:
        """Another subject's entry naming the caller shows its facts as the caller may read
        them (``access.selectors.own_record``); the caller's own entries in full."""
        return getattr(entry, "facts_for_reader", entry.facts)


class OwnRecordOut(Schema):
    id: int
    catalog_item: str
    department: str
    document_number: str
    decision_date: dt.date
    issuing_body: str
    title: str
    is_serious: bool
    published_on: dt.date | None
    publication_ends_on: dt.date | None
    under_objection: bool = Field(
        False, description="对该信息的异议正在核实中（核实期间该信息标注为异议核实中）"
    )

    @staticmethod
    def resolve_catalog_item(record: CreditRecord) -> str:
        return record.catalog_item.name

    @staticmethod
    def resolve_department(record: CreditRecord) -> str:
        return record.department.name


class MeOut(Schema):
    subject: IdentityOut
    entries: list[OwnEntryOut]
    named_in: list[OwnEntryOut]
    records: list[OwnRecordOut]


@router.get("", response={200: MeOut, **refusals(CALLER)}, url_name="me")
def me(request: HttpRequest):
    """The caller's own identity, list entries (also those naming it) and credit records."""
    own = selectors.own_record(request.auth)
    records = list(own.records)
    disputed = record_objection_selectors.open_on(record.pk for record in records)
    for record in records:
        record.under_objection = record.pk in disputed
    return {
        "subject": own.subject,
        "entries": list(own.entries),
        "named_in": list(own.named_in),
        "records": records,
    }
