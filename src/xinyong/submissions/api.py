"""Update duties of submission lists for the department's own system (R13; 001 §三(二),
004 §二(一)1): the duties it owes after changes of law or duty, and the confirmation of one.

Exactly what the office pages give a department (``submissions/views.py``), through the same
selectors and the same service: only the caller's department's duties are found, another's
answers 404 as a missing one does, the credit office included (its overview stays on the
pages); a duty is confirmed once, so of two confirmations the second is refused with 409. No
answer names a credit subject: nothing is registered.
"""

# No postponed annotations here: the paginated operation's signature is read where ninja's
# pagination lives, which knows no ``Literal``.
import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import StringConstraints

from xinyong.api.refusals import BODY, PARAMETERS, refusals
from xinyong.api.types import STORABLE, Filled, Pagination, RowId
from xinyong.core import clock
from xinyong.submissions import selectors, services
from xinyong.submissions.models import UpdateDuty

router = Router(tags=["submission-duties"])

SUMMARY_MAX = 5000  # as the office's confirmation form takes it
ITEMS_MAX = 1000
# The catalog's code, at most 64 characters: the limit before the check of the characters,
# so that a refusal counts characters, not items (``types.STORABLE``).
ItemCode = Annotated[str, StringConstraints(max_length=64), STORABLE]


class SubmissionDutyOut(Schema):
    id: int
    change_id: int
    change_kind: str = Field(
        ..., description="law_revised（法律法规修订）、duty_changed（职能变化）"
    )
    change_title: str = Field(..., description="变化内容")
    legal_basis: str = Field(..., description="变化的法律依据")
    effective_on: dt.date = Field(..., description="变化生效之日")
    due_on: dt.date = Field(..., description="更新期限：生效之日起 15 个工作日")
    due_provisional: bool = Field(..., description="期限超出已公布的节假日安排，暂定")
    state: str = Field(
        ..., description="open（待更新）、overdue（逾期未更新）、confirmed（已确认更新）"
    )
    workdays_late: int = Field(
        ...,
        description="逾期的工作日数：已确认的为确认时逾期的天数，未确认的为今日确认将逾期的"
        "天数；未逾期为 0",
    )
    confirmed_on: dt.date | None
    confirmed_by: str
    update_summary: str = Field(..., description="确认时写明的更新内容")
    items_updated: list[str] = Field(..., description="本次更新涉及的目录条目编码")

    @staticmethod
    def resolve_change_kind(duty: UpdateDuty) -> str:
        return duty.change.kind

    @staticmethod
    def resolve_change_title(duty: UpdateDuty) -> str:
        return duty.change.title

    @staticmethod
    def resolve_legal_basis(duty: UpdateDuty) -> str:
        return duty.change.legal_basis

    @staticmethod
    def resolve_effective_on(duty: UpdateDuty) -> dt.date:
        return duty.change.effective_on

    @staticmethod
    def resolve_state(duty: UpdateDuty) -> str:
        return selectors.state_of(duty, clock.today())

    @staticmethod
    def resolve_workdays_late(duty: UpdateDuty) -> int:
        return selectors.workdays_late_on(duty, clock.today())

    @staticmethod
    def resolve_items_updated(duty: UpdateDuty) -> list[str]:
        return sorted(item.code for item in duty.items_updated.all())


class SubmissionUpdateIn(Schema):
    summary: Filled = Field(..., max_length=SUMMARY_MAX, description="本次更新的内容")
    items: list[ItemCode] = Field(
        default_factory=list,
        max_length=ITEMS_MAX,
        description="本次更新涉及的目录条目编码，须为本部门数据报送清单中的条目",
    )


@router.get("", response={200: list[SubmissionDutyOut], **refusals(PARAMETERS)})
@paginate(Pagination)
def list_duties(request: HttpRequest, state: Literal["open", "overdue", "confirmed"] | None = None):
    """The caller's department's update duties: open ones first, soonest due (R13)."""
    duties = selectors.duties_of(selectors.department_of(request.auth))
    duties = duties.prefetch_related("items_updated")
    return selectors.in_state(duties, state, clock.today()) if state else duties


# A confirmation: the duty may be missing or another department's (404) or confirmed already
# (409), or an item not in the department's list (422).
@router.post("/{duty_id}/confirm", response={200: SubmissionDutyOut, **refusals(BODY, 404, 409)})
def confirm(request: HttpRequest, duty_id: RowId, payload: SubmissionUpdateIn):
    """Confirm the list was updated, saying what changed and the items it touched (R13)."""
    items = selectors.items_of_list(selectors.department_of(request.auth), payload.items)
    return services.confirm_update(
        duty_id, actor=request.auth, summary=payload.summary, items=items
    )
