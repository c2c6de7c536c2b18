"""Joint reward and punishment statistics over HTTP (R11, 003 §七).

Aggregates only: no subject is named, so nothing here is a query of personal data. The credit
office sees the whole platform, any other department its own part (``statistics.scope_of``);
a token, of that, the checks made in its scenarios (``statistics.outcomes_seen_by``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xinyong.api.refusals import PARAMETERS, refusals
from xinyong.api.types import Day
from xinyong.measures import statistics as stats

router = Router(tags=["joint reward and punishment"])

Grouping = Literal[
    "implementing_department", "recognizing_department", "domain", "list_kind", "measure"
]


class StatisticsQuery(Schema):
    since: Day | None = Field(None, description="first day reported on; 1 January by default")
    until: Day | None = Field(None, description="last day reported on; today by default")
    by: Grouping = "implementing_department"


class GroupOut(Schema):
    code: str | None
    name: str
    type: str | None = None
    reports: int
    measures: int
    applied: int
    not_applied: int
    mandatory_not_applied: int
    cases: int


class CaseShareOut(Schema):
    cases: int
    reward_cases: int
    punishment_cases: int
    listed_red_black: int
    share: Decimal | None
    target: Decimal
    met: bool


class StatisticsOut(Schema):
    since: dt.date
    until: dt.date
    by: str
    scope: str = Field(..., description="'platform', or the department's code")
    groups: list[GroupOut]
    case_share: CaseShareOut


@router.get("/statistics", response={200: StatisticsOut, **refusals(PARAMETERS)})
def statistics(request: HttpRequest, query: Query[StatisticsQuery]):
    """What implementing departments reported doing, grouped as asked, and the cases against
    the red and black entries in force in the period (target 10%, 003 §七). A token counts, in
    both, only the checks its scenarios reach (R14)."""
    department = stats.scope_of(request.auth)
    period = stats.Period.asked(query.since, query.until)
    token = getattr(request, "api_token", None)  # it reaches its scenarios only (R14)
    scenarios = None if token is None else list(token.scenarios or [])
    return {
        "since": period.since,
        "until": period.until,
        "by": query.by,
        "scope": "platform" if department is None else department.code,
        "groups": stats.by_group(department, period, query.by, scenarios),
        "case_share": stats.case_share(department, period, scenarios),
    }
