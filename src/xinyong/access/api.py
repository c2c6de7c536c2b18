"""``GET /api/v1/me``: a credit subject's own record, unmasked for itself (R14); and what the
subject asks of its own entries through the API: to leave one of its red lists (R4, 000 §十.2).

Only the subject's own account calls these (the authorization matrix refuses any other role);
the services behind them find only its own entries, any other answering 404 as a missing one.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from xinyong.access import selectors
from xinyong.api.refusals import BODY, CALLER, refusals
from xinyong.api.types import RowId, Text
from xinyong.catalog.models import CreditRecord
from xinyong.listings.models import ExitReason, ListEntry
from xinyong.listings.schemas import EntryListFields
from xinyong.remedies import record_objection_selectors, red_list_exit_selectors, red_list_exits
from xinyong.remedies.models import RedListExitRequest
from xinyong.remedies.red_list_exit_selectors import ExitRequestRow
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
    def resolve_document_number(record: CreditRecord) -> str:
        """Masked as every page shows it (R14): a citizen ID written into it is not read
        back in clear."""
        return record.shown_document_number

    @staticmethod
    def resolve_issuing_body(record: CreditRecord) -> str:
        return record.shown_issuing_body

    @staticmethod
    def resolve_department(record: CreditRecord) -> str:
        return record.department.name


class RequestedExitOut(Schema):
    """The exit a request led to: announced where the listing was, its rewards stopped (R4)."""

    exited_on: dt.date
    exit_reason: str = Field(description="requested（应信用主体申请移出）")

    @staticmethod
    def resolve_exited_on(event) -> dt.date:
        return event.business_date

    @staticmethod
    def resolve_exit_reason(event) -> str:
        # A request is done only by an exit for this reason (``red_list_exits``).
        return ExitReason.REQUESTED


class RedListExitRequestOut(Schema):
    id: int
    entry_id: int
    state: str = Field(
        description="pending：等待认定部门移出；done：已应申请移出红名单（exit 为该次移出，"
        "已公告并停止激励措施）；closed：名单记录已以其他方式移出（有效期届满、列入严重失信"
        "主体名单、认定有误予以更正等），申请随之终止办理（closed_reason 说明原因）"
    )
    received_on: dt.date
    statement: str
    decided_on: dt.date | None = Field(description="移出或终止办理之日；待办理时为空")
    closed_reason: str
    exit: RequestedExitOut | None = Field(description="申请所致的移出；仅 state 为 done 时有")

    @staticmethod
    def resolve_exit(request: RedListExitRequest):
        return request.exit_event


class RedListExitOut(Schema):
    """One of the subject's red entries: in force, or one it asked to leave (R4)."""

    entry_id: int
    list: str
    list_name: str
    kind: str
    may_ask: bool = Field(
        description="今日可否申请退出：红名单记录有效且没有待办理的申请（POST "
        "/api/v1/me/entries/{entry_id}/leave-red-list）"
    )
    requests: list[RedListExitRequestOut] = Field(description="该记录的退出申请，新的在前")

    @staticmethod
    def resolve_entry_id(row: ExitRequestRow) -> int:
        return row.entry.pk

    @staticmethod
    def resolve_list(row: ExitRequestRow) -> str:
        return row.entry.list.code

    @staticmethod
    def resolve_list_name(row: ExitRequestRow) -> str:
        return row.entry.list.name

    @staticmethod
    def resolve_kind(row: ExitRequestRow) -> str:
        return row.entry.list.kind


class MeOut(Schema):
    subject: IdentityOut
    entries: list[OwnEntryOut]
    named_in: list[OwnEntryOut]
    records: list[OwnRecordOut]
    red_list_exits: list[RedListExitOut] = Field(
        description="红名单记录（有效的，及曾申请退出的）：可否申请退出及历次申请的办理情况"
    )


@router.get("", response={200: MeOut, **refusals(CALLER)}, url_name="me")
def me(request: HttpRequest):
    """The caller's own identity, list entries (also those naming it), credit records, and its
    red entries with its requests to leave them (R4)."""
    own = selectors.own_record(request.auth)
    entries = list(own.entries)
    records = list(own.records)
    disputed = record_objection_selectors.open_on(record.pk for record in records)
    for record in records:
        record.under_objection = record.pk in disputed
    return {
        "subject": own.subject,
        "entries": entries,
        "named_in": list(own.named_in),
        "records": records,
        "red_list_exits": red_list_exit_selectors.rows_for_subject(entries),
    }


class LeaveRedListIn(Schema):
    # Not limited here: the service refuses a statement too long with its own code, whichever
    # way it is sent (the portal's form, this API).
    statement: Text = Field(
        "", description=f"信用主体的说明，可不填；不超过 {red_list_exits.STATEMENT_MAX_CHARS} 字"
    )


# The entry may be missing or another subject's (404), not in force or with a request pending
# (409), on another kind of list or the statement too long (422).
@router.post(
    "/entries/{entry_id}/leave-red-list",
    response={201: RedListExitRequestOut, **refusals(BODY, 404, 409)},
    url_name="me_leave_red_list",
)
def leave_red_list(request: HttpRequest, entry_id: RowId, payload: LeaveRedListIn | None = None):
    """Ask to leave one of the caller's own red lists in force (R4, 000 §十.2), with an optional
    statement; one request at a time. The recognizing department then ends the entry at the
    request, announcing the exit and stopping its rewards; ``GET /api/v1/me`` shows the result.
    The body may be left out."""
    statement = payload.statement if payload is not None else ""
    made = red_list_exits.request_red_list_exit(entry_id, actor=request.auth, statement=statement)
    return Status(201, made)
