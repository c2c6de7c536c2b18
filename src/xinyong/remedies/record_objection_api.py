"""Objections to credit records for the recording department's own system (R6; 000 §十一.2-3,
002 §二十七): the list, one with its evidence and the fields a correction may change, an
evidence file, the registration of one received on paper, and the decision.

Exactly what the office pages give (``office/record_objections.py``), through the same
selectors and service: only the caller's department's objections and records are found,
another's answer 404 as a missing one does; an objection is decided once, so of two decisions
at once the second is refused with 409. Every answer naming a natural person is registered
(R14), an evidence file as an export.
"""

# No postponed annotations here: the paginated operation's signature is read where ninja's
# pagination lives, which knows no ``Literal``.
import datetime as dt
from typing import Literal

from django.http import FileResponse, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from xinyong.api.refusals import BODY, PARAMETERS, refusals, sent_file_download
from xinyong.api.types import Filled, RowId, Text
from xinyong.audit import purposes
from xinyong.audit.models import QueryKind
from xinyong.audit.registrations import RegisteredPagination, register_request
from xinyong.core.errors import XinyongError
from xinyong.remedies import evidence, record_corrections, record_objection_selectors
from xinyong.remedies import record_objections as services
from xinyong.remedies.models import RecordObjection

router = Router(tags=["record-objections"])

TEXT_MAX = 5000  # as the office's forms take them


class RecordObjectionOut(Schema):
    id: int
    state: str = Field(..., description="verifying（核实中）、founded（成立）、unfounded（不成立）")
    record_id: int
    catalog_item: str
    document_number: str
    subject_name: str
    subject_kind: str
    objector: str
    received_on: dt.date
    due_on: dt.date = Field(..., description="核实期限：收到之日起 20 日，末日遇节假日顺延")
    due_provisional: bool = Field(..., description="期限超出已公布的节假日安排，暂定")
    decided_on: dt.date | None
    outcome: str = Field(..., description="correct（更正）、revoke（撤销）；未成立或未办结为空")

    @staticmethod
    def resolve_catalog_item(objection: RecordObjection) -> str:
        return objection.record.catalog_item.name

    @staticmethod
    def resolve_document_number(objection: RecordObjection) -> str:
        return objection.record.shown_document_number

    @staticmethod
    def resolve_subject_name(objection: RecordObjection) -> str:
        return objection.record.subject.name

    @staticmethod
    def resolve_subject_kind(objection: RecordObjection) -> str:
        return objection.record.subject.kind


class RecordEvidenceOut(Schema):
    id: int
    name: str
    size: int = Field(..., description="字节")
    content_type: str

    @staticmethod
    def resolve_name(file) -> str:
        return file.file_name


class CorrectableOut(Schema):
    key: str = Field(..., description="更正时 corrections 使用的键")
    label: str
    value: str


class RecordObjectionDetailOut(RecordObjectionOut):
    grounds: str
    registered_by: str = Field(..., description="书面异议的登记人；网上提出的为空")
    evidence: list[RecordEvidenceOut]
    correctable: list[CorrectableOut] = Field(..., description="可更正的字段；办结后为空")
    decided_by: str
    finding: str
    corrections: dict[str, dict[str, str]] = Field(
        ..., description="已更正的字段：键 → label、before、after"
    )
    result_letter: str = Field(..., description="告知信用主体的处理结果和救济途径")

    @staticmethod
    def resolve_evidence(objection: RecordObjection):
        return objection.evidence.all()

    @staticmethod
    def resolve_correctable(objection: RecordObjection):
        if not objection.is_open:
            return []
        return [vars(f) for f in record_corrections.correctable_fields(objection.record)]


class RecordObjectionPagination(RegisteredPagination):
    purpose = purposes.OBJECTION_VERIFICATION

    @staticmethod
    def subject_of(item):
        return item.record.subject


def _register(request: HttpRequest, objection: RecordObjection, kind: str) -> None:
    """An answer naming the record's subject is registered when it is a person (R14)."""
    subject = objection.record.subject
    register_request(
        request, purpose=purposes.OBJECTION_VERIFICATION, kind=kind,
        natural_persons=int(subject.is_natural_person), rows=1, subject=subject,
    )  # fmt: skip


def _objection(request: HttpRequest, objection_id: int) -> RecordObjection:
    objection = record_objection_selectors.department_objection(request.auth, objection_id)
    _register(request, objection, QueryKind.ENTRY_READ)
    return objection


@router.get("", response={200: list[RecordObjectionOut], **refusals(PARAMETERS)})
@paginate(RecordObjectionPagination)  # each page registered with the persons it names (R14)
def list_objections(
    request: HttpRequest, state: Literal["verifying", "founded", "unfounded"] | None = None
):
    """The objections to the caller's department's records: open first, soonest due (R6)."""
    found = record_objection_selectors.for_department(request.auth)
    return found.filter(state=state) if state else found


@router.get(
    "/{objection_id}", response={200: RecordObjectionDetailOut, **refusals(PARAMETERS, 404)}
)
def get_objection(request: HttpRequest, objection_id: RowId):
    """One objection with its evidence and, while open, the fields a correction may change."""
    return _objection(request, objection_id)


@router.get(
    "/{objection_id}/evidence/{evidence_id}",
    response={200: None, **refusals(PARAMETERS, 404)},
    openapi_extra=sent_file_download(),
)
def evidence_file(request: HttpRequest, objection_id: RowId, evidence_id: RowId) -> FileResponse:
    """A file sent with one of the department's objections, as a download (never inline)."""
    found = record_objection_selectors.department_evidence(request.auth, evidence_id)
    if found.objection_id != objection_id:
        raise XinyongError("evidence-not-found", "证据材料不存在", status=404)
    _register(request, found.objection, QueryKind.EXPORT)
    return evidence.download(found)


class RecordObjectionRegisterIn(Schema):
    record_id: int = Field(..., ge=1, description="本部门归集的信用信息；异议人为其信用主体")
    grounds: Filled = Field(..., max_length=TEXT_MAX, description="异议理由")
    received_on: dt.date | None = Field(
        None, description="收到异议之日；不填为当天。20 日核实期限自该日起算"
    )


class RecordObjectionDecisionIn(Schema):
    finding: Literal["founded", "unfounded"]
    statement: Filled = Field(..., max_length=TEXT_MAX, description="告知信用主体的核实结论")
    outcome: Literal["correct", "revoke"] | None = Field(
        None, description="异议成立时必填：correct（更正 corrections 所列字段）或 revoke（撤销，"
        "当日终止公示、停止共享）",
    )  # fmt: skip
    # Text, as every other text of a request: a NUL or a lone surrogate is a 422 here, never
    # a 500 nor a character kept in the record and the letter.
    corrections: dict[Text, Text] = Field(
        default_factory=dict, description="更正后的内容：correctable 中的键 → 新值"
    )


# Registration: the record may be missing or another department's (404), or already under
# objection or no longer used (409).
@router.post("", response={200: RecordObjectionDetailOut, **refusals(BODY, 404, 409)})
def register(request: HttpRequest, payload: RecordObjectionRegisterIn):
    """Register the record's subject's objection received on paper; its evidence stays on
    paper (R6). Its 20 days count from ``received_on`` when it arrived before today; 422 when
    that day is after today or before the record's decision."""
    objection = services.register_objection(
        payload.record_id, actor=request.auth, grounds=payload.grounds,
        received_on=payload.received_on,
    )  # fmt: skip
    return _objection(request, objection.pk)


@router.post("/{objection_id}/decide", response={200: RecordObjectionDetailOut,
                                                **refusals(BODY, 404, 409)})  # fmt: skip
def decide(request: HttpRequest, objection_id: RowId, payload: RecordObjectionDecisionIn):
    """Decide once: unfounded, or founded correcting the fields given or revoking the record."""
    services.decide(
        objection_id, actor=request.auth, finding=services.Finding(payload.finding),
        statement=payload.statement, outcome=payload.outcome or "",
        corrections=payload.corrections,
    )  # fmt: skip
    return _objection(request, objection_id)
