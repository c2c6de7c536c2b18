"""Reads of submission lists and their update duties (R13): a department's own, or every
department's for the credit office."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet

from xinyong.access.roles import Role, role_of
from xinyong.calendars.selectors import work_calendar
from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import XinyongError
from xinyong.subjects.models import Department
from xinyong.submissions import deadline
from xinyong.submissions.models import UpdateDuty

# The credit office oversees every department's list and duties (004 §二(一)1: the updated
# lists are filed with it); anyone else sees its own department's.
OVERSEERS = frozenset({Role.CREDIT_ADMIN, Role.CREDIT_REVIEWER})


def oversees(user: Any) -> bool:
    return role_of(user) in OVERSEERS


def department_of(user: Any) -> Department:
    """The department an officer works for; an account of no department has no list."""
    officer = getattr(user, "officer", None) if user is not None else None
    if officer is None:
        raise XinyongError(
            "officer-required", "当前账号不属于任何部门，没有数据报送清单", status=403
        )
    return officer.department


def submission_list(department: Department) -> QuerySet[CatalogItem]:
    """The catalog items the department provides: its submission list, items in use first."""
    return CatalogItem.objects.filter(provider=department).order_by("-is_active", "code")


def list_as_filed(department: Department) -> list[dict[str, Any]]:
    """The list as it stands, as the credit office keeps it on file with a confirmation."""
    return [
        {
            "code": item.code,
            "name": item.name,
            "data_items": item.data_items,
            "update_frequency": item.update_frequency,
            "share_scope": item.share_scope,
            "disclosure": item.disclosure,
            "legal_basis": item.legal_basis,
            "is_active": item.is_active,
        }
        for item in submission_list(department)
    ]


def _duties() -> QuerySet[UpdateDuty]:
    # Open duties first, by due day; confirmed ones after, the latest first.
    return UpdateDuty.objects.select_related("change", "department").order_by(
        F("confirmed_on").desc(nulls_first=True), "due_on", "id"
    )


def duties_of(department: Department) -> QuerySet[UpdateDuty]:
    return _duties().filter(department=department)


def duties_seen_by(user: Any) -> QuerySet[UpdateDuty]:
    """Every department's duties for the credit office, the officer's own department's else."""
    if oversees(user):
        return _duties()
    return duties_of(department_of(user))


def duty_for(user: Any, duty_id: int) -> UpdateDuty:
    """A duty the account may see; another department's is as absent as a missing one (R14)."""
    duty = duties_seen_by(user).filter(pk=duty_id).first()
    if duty is None:
        raise XinyongError("duty-not-found", "报送清单更新任务不存在", status=404)
    return duty


def overdue(duties: QuerySet[UpdateDuty], today: dt.date) -> QuerySet[UpdateDuty]:
    return duties.filter(confirmed_on__isnull=True, due_on__lt=today)


class DutyState:
    """A duty as the pages say it: to update, overdue (open after its due day), confirmed."""

    OPEN = "open"
    OVERDUE = "overdue"
    CONFIRMED = "confirmed"


def in_state(duties: QuerySet[UpdateDuty], state: str, today: dt.date) -> QuerySet[UpdateDuty]:
    if state == DutyState.CONFIRMED:
        return duties.filter(confirmed_on__isnull=False)
    if state == DutyState.OVERDUE:
        return overdue(duties, today)
    return duties.filter(confirmed_on__isnull=True, due_on__gte=today)


def state_of(duty: UpdateDuty, today: dt.date) -> str:
    if not duty.is_open:
        return DutyState.CONFIRMED
    return DutyState.OVERDUE if duty.is_overdue(today) else DutyState.OPEN


def workdays_late_on(duty: UpdateDuty, today: dt.date) -> int:
    """Working days a duty is late (R13, R15): a confirmed one as it was confirmed; an open one
    as a confirmation made today would be, 0 until its due day has passed."""
    if not duty.is_open:
        return duty.workdays_late or 0
    if not duty.is_overdue(today):
        return 0
    return deadline.workdays_late(work_calendar(), duty.due_on, today)


def items_of_list(department: Department, codes: list[str]) -> list[CatalogItem]:
    """The items named by their codes in the department's own submission list; a code that is
    not in it is refused as the confirmation refuses another department's item (R13)."""
    wanted = list(dict.fromkeys(codes))
    found = {item.code: item for item in submission_list(department).filter(code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise XinyongError(
            "item-not-in-list", "所选目录条目不在本部门的数据报送清单中", status=422,
            items=missing,
        )  # fmt: skip
    return [found[code] for code in wanted]


@dataclass(frozen=True)
class DepartmentStanding:
    """A department's list and duties in figures, for the credit office's overview."""

    department: Department
    items: int
    open: int
    overdue: int
    confirmed_late: int
    last_confirmed_on: dt.date | None


def standings(today: dt.date) -> list[DepartmentStanding]:
    """Every department that provides items or owes an update, the most overdue first."""
    # Items and duties join the same department row: each is counted distinct.
    duty, is_open = "submission_duties", Q(submission_duties__confirmed_on__isnull=True)
    rows = (
        Department.objects.annotate(
            items=Count("catalogitem", distinct=True),
            open=Count(duty, filter=is_open, distinct=True),
            overdue=Count(
                duty, filter=is_open & Q(submission_duties__due_on__lt=today), distinct=True
            ),
            confirmed_late=Count(
                duty, filter=Q(submission_duties__workdays_late__gt=0), distinct=True
            ),
            last_confirmed_on=Max("submission_duties__confirmed_on"),
        )
        .filter(Q(items__gt=0) | Q(open__gt=0) | Q(last_confirmed_on__isnull=False))
        .order_by("-overdue", "-open", "code")
    )
    return [
        DepartmentStanding(
            row, row.items, row.open, row.overdue, row.confirmed_late, row.last_confirmed_on
        )
        for row in rows
    ]
