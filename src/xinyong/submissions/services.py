"""Writes of submission-list duties: one verb each, one transaction, one audit row (R13).

The credit office registers a change of law or duty and the departments it concerns; each owes
an update of its submission list within 15 working days (004 §二(一)1, R15). A department's own
officer confirms the update, saying what changed; the confirmation closes the duty, on time or
late by the working days after the due day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xinyong.access.roles import Role, role_of
from xinyong.audit import services as audit
from xinyong.calendars.selectors import work_calendar
from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import daily_job_lock
from xinyong.subjects.models import Department
from xinyong.submissions import deadline, selectors
from xinyong.submissions.models import ChangeKind, ChangeOfLawOrDuty, UpdateDuty

TITLE_MAX = ChangeOfLawOrDuty._meta.get_field("title").max_length


def _refuse(code: str, message: str, **details: object) -> XinyongError:
    return XinyongError(code, message, status=422, **details)


def _already_registered(title: str, effective_on: dt.date) -> XinyongError:
    """One change, one registration (R13): what changed and the day it took effect."""
    return XinyongError(
        "change-already-registered",
        f"该变化已登记：{title}（{effective_on:%Y-%m-%d}生效），不能重复登记",
        status=409,
    )


@transaction.atomic
def register_change(
    *,
    actor: Any,
    kind: str,
    title: str,
    legal_basis: str,
    effective_on: dt.date,
    departments: Iterable[Department],
) -> ChangeOfLawOrDuty:
    """Register a change of law or duty; each concerned department owes an update of its
    submission list by the 15th working day after the change took effect (R13, 004 §二(一)1).

    Only the credit office's administrators register changes (the lists are filed with it). A
    change is registered once: the same thing changed on the same day is refused with 409, also
    when two administrators register it at the same moment (the database's constraint decides).

    The due day is counted after any change of the holiday calendar under way has committed,
    and a change starting meanwhile waits for this one, whose duties it then counts again (R15,
    ``listings.daily_job_lock``).
    """
    daily_job_lock.wait_for_the_daily_job()  # first, before any row
    if role_of(actor) is not Role.CREDIT_ADMIN:
        raise XinyongError(
            "credit-admin-required", "仅限信用办管理员登记法律法规修订或职能变化", status=403
        )
    title, legal_basis = title.strip(), legal_basis.strip()
    if kind not in ChangeKind.values:
        raise _refuse("change-kind-unknown", "变化类型无效", kind=kind)
    if not title or not legal_basis:
        blank = [
            name for name, text in (("title", title), ("legal_basis", legal_basis)) if not text
        ]
        raise _refuse("change-text-required", "须写明变化内容和法律依据", fields=blank)
    if len(title) > TITLE_MAX:
        raise _refuse("change-title-too-long", f"变化内容不得超过{TITLE_MAX}个字")
    concerned = sorted({d.pk: d for d in departments}.values(), key=lambda d: d.code)
    if not concerned:
        raise _refuse("change-departments-required", "须指明涉及的部门")
    if ChangeOfLawOrDuty.objects.filter(title=title, effective_on=effective_on).exists():
        raise _already_registered(title, effective_on)
    try:
        due = deadline.update_due(work_calendar(), effective_on)
    except ValueError:  # past the last day the calendar can count to
        raise _refuse("change-date-out-of-range", "生效日期超出可计算的范围") from None
    try:
        with transaction.atomic():  # two administrators at once meet the database's constraint
            change = ChangeOfLawOrDuty.objects.create(
                kind=kind, title=title, legal_basis=legal_basis, effective_on=effective_on,
                update_workdays=deadline.UPDATE_WITHIN_WORKDAYS,
                registered_by=audit.describe_actor(actor)[0], registered_on=clock.today(),
            )  # fmt: skip
    except IntegrityError:
        raise _already_registered(title, effective_on) from None
    UpdateDuty.objects.bulk_create(
        UpdateDuty(change=change, department=d, due_on=due.date, due_provisional=due.provisional)
        for d in concerned
    )
    audit.record(
        actor=actor, action="submission.register_change", obj=change,
        after={"kind": kind, "title": title, "effective_on": effective_on,
               "due_on": due.date, "due_provisional": due.provisional,
               "departments": [d.code for d in concerned]},
    )  # fmt: skip
    return change


@transaction.atomic
def confirm_update(
    duty_id: int, *, actor: Any, summary: str, items: Iterable[CatalogItem] = ()
) -> UpdateDuty:
    """The department confirms it has updated its submission list after a change (R13).

    Only an officer of the duty's own department confirms (the credit office's reviewers only
    read); another department's duty is as absent as a missing one. Kept with it: who, when,
    what changed, the items it touched and the list as it now stands. After the due day the
    confirmation is recorded late by the working days past it (R15).

    A change of the holiday calendar counts every open duty again, holding it: the duty is held
    and its days late counted only once a change under way has committed, and a change waits
    for a confirmation under way (``listings.daily_job_lock``), never both for each other.
    """
    daily_job_lock.wait_for_the_daily_job()  # first, before the duty's row
    if role_of(actor) in (Role.CREDIT_REVIEWER, Role.IMPLEMENTING_SYSTEM):
        raise XinyongError("officer-required", "需由本部门工作人员确认更新", status=403)
    department = selectors.department_of(actor)
    duty = (
        UpdateDuty.objects.select_for_update()
        .select_related("change")
        .filter(pk=duty_id, department=department)
        .first()
    )
    if duty is None:
        raise XinyongError("duty-not-found", "报送清单更新任务不存在", status=404)
    if duty.confirmed_on is not None:
        raise XinyongError(
            "duty-already-confirmed", f"该更新任务已于{duty.confirmed_on}确认", status=409
        )
    summary = summary.strip()
    if not summary:
        raise _refuse("update-summary-required", "须写明本次更新的内容")
    touched = list({item.pk: item for item in items}.values())
    foreign = [item.code for item in touched if item.provider_id != department.pk]
    if foreign:
        raise _refuse("item-not-in-list", "所选目录条目不在本部门的数据报送清单中", items=foreign)
    today = clock.today()
    late = deadline.workdays_late(work_calendar(), duty.due_on, today)
    duty.confirmed_on, duty.confirmed_at = today, timezone.now()
    duty.confirmed_by = audit.describe_actor(actor)[0]
    duty.update_summary, duty.workdays_late = summary, late
    duty.list_as_confirmed = selectors.list_as_filed(department)
    duty.save()
    duty.items_updated.set(touched)
    audit.record(
        actor=actor, action="submission.confirm_update", obj=duty,
        before={"confirmed_on": None, "due_on": duty.due_on,
                "due_provisional": duty.due_provisional},
        after={"confirmed_on": today, "workdays_late": late, "change": duty.change_id,
               "items_updated": sorted(item.code for item in touched)},
        reason=summary,
    )  # fmt: skip
    return duty
