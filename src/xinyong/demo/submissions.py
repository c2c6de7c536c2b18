"""Submission lists after a change of law or duty, in every state (R13, 004 §二(一)1).

The credit office's administrator registers two changes through the platform's own service: a
regulation revised six weeks of working days ago, whose 15-working-day updates were confirmed on
time by one department, late by another, and are overdue at a third; and a duty changed last
week, whose updates are still open. The departments are the ones with a printed officer, who
confirms for its department (demo/accounts.py). Changes are reference data: a reset keeps them,
and a load finds them registered and registers nothing again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.demo.remedies import Days
from xinyong.subjects.models import Department
from xinyong.submissions import services
from xinyong.submissions.models import ChangeKind, ChangeOfLawOrDuty, UpdateDuty

ADMIN = "xyb_admin"
# The printed officer who confirms for each department.
CONFIRMS = {"zj-scjg": "scjg_officer", "hangzhou-scjg": "hzscjg_officer", "zj-czt": "cz_officer"}


@dataclass(frozen=True)
class Change:
    kind: str
    title: str
    legal_basis: str
    back: int  # working days before the business date that it took effect
    # department code → working days after taking effect that it confirmed; None: not yet
    confirmations: dict[str, int | None]
    summary: str


CHANGES = (
    Change(
        ChangeKind.LAW_REVISED, "《浙江省公共信用信息管理条例》修订：失信信息分级与公示期限",
        "《浙江省公共信用信息管理条例》（2026年修订）第二十三条", 30,
        {"zj-scjg": 9, "zj-czt": 20, "hangzhou-scjg": None},
        "按修订后条例调整失信信息分级、公示期限和数据项",
    ),
    Change(
        ChangeKind.DUTY_CHANGED, "市场监管部门承接食品经营许可信息归集职责",
        "浙江省人民政府关于调整食品经营许可管理职责的通知", 4,
        {"zj-scjg": None, "hangzhou-scjg": None},
        "",
    ),
)  # fmt: skip


def load(days: Days) -> int:
    """Register the changes not yet registered and make their confirmations; answers how many
    demo changes there are."""
    users = get_user_model().objects.select_related("officer__department")
    admin = users.get(username=ADMIN)
    departments = {d.code: d for d in Department.objects.filter(code__in=list(CONFIRMS))}
    for change in CHANGES:
        # By its title alone: a reset on a later day must not register it again, later.
        if ChangeOfLawOrDuty.objects.filter(title=change.title).exists():
            continue
        effective_on = days.back(change.back)
        concerned = [departments[code] for code in change.confirmations if code in departments]
        with clock.frozen(effective_on):
            made = services.register_change(
                actor=admin, kind=change.kind, title=change.title,
                legal_basis=change.legal_basis, effective_on=effective_on, departments=concerned,
            )  # fmt: skip
        for code, after in change.confirmations.items():
            if after is None or code not in departments:
                continue
            _confirm(made, departments[code], users.get(username=CONFIRMS[code]),
                     _after(effective_on, after, days), change.summary)  # fmt: skip
    titles = [change.title for change in CHANGES]
    return ChangeOfLawOrDuty.objects.filter(title__in=titles).count()


def _after(start: dt.date, workdays: int, days: Days) -> dt.date:
    """The working day ``workdays`` after ``start``, never after the business date."""
    day = start
    while workdays and day < days.today:
        day += dt.timedelta(days=1)
        if days.calendar.is_workday(day):
            workdays -= 1
    return day


def _confirm(change: ChangeOfLawOrDuty, department: Department, officer: Any, day: dt.date,
             summary: str) -> None:  # fmt: skip
    duty = UpdateDuty.objects.get(change=change, department=department)
    items = list(CatalogItem.objects.filter(provider=department).order_by("code")[:2])
    with clock.frozen(day):
        services.confirm_update(duty.pk, actor=officer, summary=summary, items=items)
