"""Reports on red-list entries for the verifying department's own system (R7; 000 §十一.1,
002 §十九): the list, one report, and the decision.

Exactly what the office pages give (``reports/views.py``), through the same selectors and the
same service: only reports on the caller's department's lists are found, another's answer 404.
The reporter's identity is confidential (R7): the list and the decision's answer never carry
it; the read of one report carries it as the office page shows it to the same officers, and
each such answer is registered as the page registers its showing — the reported subject and
the route, never the reporter. Other answers register when the reported subject is a person.
"""

# No postponed annotations here: the paginated operation's signature is read where ninja's
# pagination lives, which knows no ``Literal``.
import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from xinyong.api.refusals import BODY, PARAMETERS, refusals
from xinyong.api.types import Filled, RowId
from xinyong.audit import purposes
from xinyong.audit.models import QueryKind
from xinyong.audit.registrations import RegisteredPagination, register_request
from xinyong.reports import selectors, services
from xinyong.reports.models import RedListReport

router = Router(tags=["reports"])

REASONS_MAX = 5000  # as the office's decision form takes them


class ReportOut(Schema):
    id: int
    number: str = Field(..., description="受理编号")
    state: str = Field(..., description="received、founded、unfounded、closed")
    entry_id: int
    entry_state: str
    list_code: str
    list_name: str
    subject_name: str
    received_on: dt.date
    decided_on: dt.date | None

    @staticmethod
    def resolve_entry_state(report: RedListReport) -> str:
        return report.entry.state

    @staticmethod
    def resolve_list_code(report: RedListReport) -> str:
        return report.entry.list.code

    @staticmethod
    def resolve_list_name(report: RedListReport) -> str:
        return report.entry.list.name

    @staticmethod
    def resolve_subject_name(report: RedListReport) -> str:
        return report.entry.subject.name


class DecidedOut(ReportOut):
    reasons: str


class ReporterOut(Schema):
    name: str
    contact: str


class ReportDetailOut(DecidedOut):
    # What the reporter wrote may name the reporter too: only in the registered read.
    facts: str
    evidence: str
    reporter: ReporterOut = Field(
        ..., description="举报人身份（保密，不得告知被举报人或他人；每次查看均登记）"
    )


class ReportDecisionIn(Schema):
    founded: bool = Field(
        ...,
        description="true：举报属实，名单记录退出；false：举报不实，记录保留。名单记录已以其他"
        "方式终止时，无论取值均办结为 closed",
    )
    reasons: Filled = Field(..., max_length=REASONS_MAX)


class ReportPagination(RegisteredPagination):
    @staticmethod
    def subject_of(report: RedListReport):
        return report.entry.subject


@router.get("", response={200: list[ReportOut], **refusals(PARAMETERS)})
@paginate(ReportPagination)  # each page registered with the reported persons it names (R14)
def list_reports(
    request: HttpRequest,
    state: Literal["received", "founded", "unfounded", "closed"] | None = None,
):
    """Reports on the entries of the caller's department's lists, without who reported."""
    found = selectors.reports_for(request.auth)
    return found.filter(state=state) if state else found


@router.get("/{report_id}", response={200: ReportDetailOut, **refusals(PARAMETERS, 404)})
def get_report(request: HttpRequest, report_id: RowId):
    """One report with the reporter's identity, for its verifying department only (R7)."""
    report = selectors.report_for(request.auth, report_id)
    # As the office page: the answer shows the reporter in full, and the reported subject,
    # who may be a person; its registration names the subject and the route, never the
    # reporter (R14).
    register_request(
        request, purpose=purposes.LISTING_PROCEDURE, kind=QueryKind.ENTRY_READ,
        natural_persons=1 + int(report.entry.subject.is_natural_person), rows=1,
        subject=report.entry.subject,
    )  # fmt: skip
    report.reporter = services.reporter_of(report)
    return report


@router.post("/{report_id}/decision", response={200: DecidedOut, **refusals(BODY, 404, 409)})
def decide(request: HttpRequest, report_id: RowId, payload: ReportDecisionIn):
    """Founded ends the entry (R4), unfounded keeps it; closed when it had already ended."""
    services.decide_report(
        report_id, actor=request.auth, founded=payload.founded, reasons=payload.reasons
    )
    report = selectors.report_for(request.auth, report_id)
    register_request(
        request, purpose=purposes.LISTING_PROCEDURE, kind=QueryKind.ENTRY_READ,
        natural_persons=int(report.entry.subject.is_natural_person), rows=1,
        subject=report.entry.subject,
    )  # fmt: skip
    return report
