"""Credit repair applications for the deciding department's own system (R8, R4; 000 §九,
002 §二十六): the list, one with its materials, a material's file, and the decision.

Exactly what the office pages give (``office/repairs.py``), through the same selectors and the
same service: only the caller's department's applications and files are found, another's
answer 404 as a missing one does; a decided application is final, so of two decisions at once
the second is refused with 409. Every answer naming a natural person, the subject, is
registered (R14), a material's file as an export.
"""

# No postponed annotations here: the paginated operation's signature is read where ninja's
# pagination lives, which knows no ``Literal``.
import datetime as dt
from typing import Literal

from django.http import FileResponse, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from xinyong.api.refusals import BODY, PARAMETERS, refusals, sent_file_download
from xinyong.api.types import Filled, RowId
from xinyong.audit import purposes
from xinyong.audit.models import QueryKind
from xinyong.audit.registrations import RegisteredPagination, register_repair_read
from xinyong.catalog.models import CreditRecord
from xinyong.core import clock
from xinyong.core import repair_outcomes as rules
from xinyong.core.errors import XinyongError
from xinyong.remedies import evidence, repair_outcomes, repair_selectors, repairs
from xinyong.remedies.models import RepairApplication
from xinyong.remedies.repair_workflow import RepairAction

router = Router(tags=["repairs"])

# As the office's decision form takes them.
REASONS_MAX = 5000


class RepairOut(Schema):
    id: int
    state: str = Field(
        ...,
        description="submitted、accepted、rejected；closed：名单记录以其他方式移出或信用信息经"
        "异议核实撤销，申请随之终止办理（reasons 说明原因）",
    )
    subject_name: str
    subject_kind: str
    target: str = Field(..., description="entry（名单记录）或 record（信用信息）")
    entry_id: int | None
    record_id: int | None
    applies_to: str = Field(..., description="名单名称，或信用信息的目录条目名称和文书号")
    submitted_on: dt.date
    decided_on: dt.date | None
    outcome: str = Field(..., description="exit、stop、lower、shorten；未准予时为空")

    @staticmethod
    def resolve_subject_name(application: RepairApplication) -> str:
        return application.subject.name

    @staticmethod
    def resolve_subject_kind(application: RepairApplication) -> str:
        return application.subject.kind

    @staticmethod
    def resolve_target(application: RepairApplication) -> str:
        return "entry" if application.entry_id is not None else "record"

    @staticmethod
    def resolve_applies_to(application: RepairApplication) -> str:
        if application.entry_id is not None:
            return application.entry.list.name
        record = application.record
        return f"{record.catalog_item.name} {record.shown_document_number}"


class MaterialOut(Schema):
    id: int
    kind: str = Field(
        ..., description="fulfilment（履行证明）、commitment（信用承诺书）、training（培训记录）"
    )
    name: str
    size: int = Field(..., description="字节")
    content_type: str

    @staticmethod
    def resolve_name(material) -> str:
        return material.file_name


class RecordOut(Schema):
    """The record as the office page shows it beside the application."""

    tier: str
    publication_min_ends_on: dt.date | None
    publication_ends_on: dt.date | None
    is_published: bool = Field(
        ...,
        description="今日仍在公示：已公示、未终止公示且未过公示截止日期；截止日期的次日起为 "
        "false，无论每日任务是否已运行",
    )

    @staticmethod
    def resolve_is_published(record: CreditRecord) -> bool:
        # By its window, as the double-publicity register shows it (R8): the stored stop is
        # written only when the daily job runs.
        return repairs.public_on(record, clock.today())


class ChoicesOut(Schema):
    """What the department may choose if it accepts now (R8), as the office form offers."""

    outcomes: list[str]
    lower_to: str = Field(..., description="降低失信等级后的等级；不能降低时为空")
    earliest_end: dt.date | None = Field(..., description="缩短公示期的最早截止日期")
    latest_end: dt.date | None = Field(..., description="缩短公示期的最晚截止日期；空为不限")


class RepairDetailOut(RepairOut):
    corrected: str
    materials: list[MaterialOut]
    record: RecordOut | None
    choices: ChoicesOut | None = Field(..., description="申请办结后为空")
    decided_by: str
    reasons: str
    new_tier: str
    new_ends_on: dt.date | None

    @staticmethod
    def resolve_materials(application: RepairApplication):
        return application.materials.all()

    @staticmethod
    def resolve_choices(application: RepairApplication) -> ChoicesOut | None:
        return choices_for(application) if application.is_open else None


def choices_for(application: RepairApplication) -> ChoicesOut:
    """The outcomes the service would take today: an entry's early exit; for a record, stop,
    and lowering or shortening where the record allows them (``repair_selectors``)."""
    if application.entry_id is not None:
        return ChoicesOut(
            outcomes=list(repair_outcomes.ENTRY_OUTCOMES), lower_to="", earliest_end=None,
            latest_end=None,
        )  # fmt: skip
    record = application.record
    offered = repair_selectors.record_choices(record, clock.today())
    lower_to = rules.LOWER_TIER.get(record.tier, "")
    outcomes = [
        str(outcome) for outcome, possible in zip(
            repair_outcomes.RECORD_OUTCOMES, (True, bool(lower_to), offered.may_shorten),
            strict=True,
        ) if possible
    ]  # fmt: skip
    return ChoicesOut(
        outcomes=outcomes, lower_to=lower_to,
        earliest_end=offered.earliest_end if offered.may_shorten else None,
        latest_end=offered.latest_end,
    )  # fmt: skip


class AcceptIn(Schema):
    reasons: Filled = Field(..., max_length=REASONS_MAX, description="告知信用主体的理由")
    outcome: Literal["exit", "stop", "lower", "shorten"] | None = Field(
        None,
        description="名单记录只能为 exit（提前退出，默认）；信用信息为 stop（终止公示并停止"
        "共享，默认）、lower（降低失信等级）或 shorten（缩短公示期，须填 ends_on）",
    )
    ends_on: dt.date | None = Field(None, description="缩短后的公示截止日期（YYYY-MM-DD）")


class RejectIn(Schema):
    reasons: Filled = Field(..., max_length=REASONS_MAX, description="告知信用主体的理由")


class RepairPagination(RegisteredPagination):
    purpose = purposes.CREDIT_REPAIR


def _application(request: HttpRequest, application_id: int) -> RepairApplication:
    application = repair_selectors.department_application(request.auth, application_id)
    register_repair_read(request, application)
    return application


@router.get("", response={200: list[RepairOut], **refusals(PARAMETERS)})
@paginate(RepairPagination)  # each page registered with the persons it names (R14)
def list_applications(
    request: HttpRequest,
    state: Literal["submitted", "accepted", "rejected", "closed"] | None = None,
):
    """The applications the caller's department decides, open ones first (R8)."""
    found = repair_selectors.for_department(request.auth)
    return found.filter(state=state) if state else found


@router.get("/{application_id}", response={200: RepairDetailOut, **refusals(PARAMETERS, 404)})
def get_application(request: HttpRequest, application_id: RowId):
    """One application with its materials and, while open, the outcomes it may be given."""
    return _application(request, application_id)


@router.get(
    "/{application_id}/materials/{material_id}",
    response={200: None, **refusals(PARAMETERS, 404)},
    openapi_extra=sent_file_download(),
)
def material_file(request: HttpRequest, application_id: RowId, material_id: RowId) -> FileResponse:
    """A file sent with one of the department's applications, as a download (never inline)."""
    found = repair_selectors.department_material(request.auth, material_id)
    if found.application_id != application_id:
        raise XinyongError("material-not-found", "修复材料不存在", status=404)
    application = repair_selectors.department_application(request.auth, application_id)
    register_repair_read(request, application, QueryKind.EXPORT)
    return evidence.download(found)


# A decision: the application may be missing or another department's (404), already decided or
# closed, or its entry ended or record revoked (409), or the outcome or day refused by the rules
# (422).
DECISION = {200: RepairDetailOut, **refusals(BODY, 404, 409)}


@router.post("/{application_id}/accept", response=DECISION)
def accept(request: HttpRequest, application_id: RowId, payload: AcceptIn):
    """Accept with reasons: an entry exits early (R4); for a record, the outcome chosen (R8)."""
    if payload.ends_on is not None and payload.outcome != "shorten":
        # Sent with another outcome, the day would be ignored and the record stopped instead.
        raise XinyongError(
            "repair-end-unused", "仅在缩短公示期（outcome 为 shorten）时填写 ends_on", status=422
        )
    repairs.decide_repair(
        application_id, actor=request.auth, action=RepairAction.ACCEPT, reasons=payload.reasons,
        outcome=payload.outcome, ends_on=payload.ends_on,
    )  # fmt: skip
    return _application(request, application_id)


@router.post("/{application_id}/reject", response=DECISION)
def reject(request: HttpRequest, application_id: RowId, payload: RejectIn):
    """Reject with the reasons the subject is told (R8)."""
    repairs.decide_repair(
        application_id, actor=request.auth, action=RepairAction.REJECT, reasons=payload.reasons
    )
    return _application(request, application_id)
