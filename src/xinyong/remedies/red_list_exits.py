"""A credit subject asks online to leave one of its red lists, and the department exits the entry
on that request (R4; 000 §十.2: 依红名单主体主动申请删除其表彰奖励、志愿服务和慈善捐赠等信息
的，认定部门应将相关主体从红名单中删除).

The subject asks from its own page, for its own red-list entry in force, one request at a time;
the request records the account that asked, the day it was received and what the subject said.
Asking ends nothing by itself: the recognizing department ends the entry with the reason
``requested``, which announces the exit on the listing's channel and stops the rewards, as every
exit does (R4), and marks the request done with the exit it led to, in the exit's transaction
(``mark_done_by_exit``, called by ``listings.services.exits.exit_entry``). Until then the
department's worklist shows the entry as a task (``listings.selectors.worklist``). The
department does not refuse a request: the clause says it shall remove the subject. An entry
under objection still takes one; its exit waits for the objection's finding (R6), which the
worklist asks for first. An entry that ends another way while a request is pending (expiry,
blacklisting, correction…) closes it with that end (``close_for_entries``). Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from xinyong.audit import services as audit
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import daily_job_lock
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind
from xinyong.listings.services.transitions import hold_list_row
from xinyong.listings.workflow import Action
from xinyong.remedies.models import ExitRequestState, RedListExitRequest
from xinyong.remedies.repair_closures import ENTRY_ENDED
from xinyong.remedies.services import own_entry

STATEMENT_MAX_CHARS = 2000
SNAPSHOT_FIELDS = ("state", "entry_id", "received_on", "decided_on", "exit_event_id")


def _snapshot(request: RedListExitRequest) -> dict[str, Any]:
    return {name: getattr(request, name) for name in SNAPSHOT_FIELDS}


def exit_request_refusal(entry: ListEntry, today: dt.date) -> XinyongError | None:
    """Why the subject may not ask to leave with this entry today, or None (R4, 000 §十.2): only
    a red-list entry leaves at its subject's request, and only while it is in force; an entry
    past its last day of validity has already ended by expiry, whether or not the daily job has
    recorded it."""
    if entry.list.kind != ListKind.RED:
        return XinyongError(
            "exit-request-not-red",
            "仅红名单记录可以申请退出；其他名单的记录认定有误的可以提出异议，符合条件的可以申请信用修复",
            status=422,
        )  # fmt: skip
    if entry.state == EntryState.EXITED:
        day = f"（{entry.exited_on:%Y-%m-%d}）" if entry.exited_on else ""
        return _not_in_force(f"该记录已移出红名单{day}，无需申请退出")
    if entry.state in (EntryState.REJECTED, EntryState.WITHDRAWN):
        return _not_in_force("该记录未列入红名单，无需申请退出")
    if entry.state != EntryState.EFFECTIVE:
        return _not_in_force("该记录尚在认定程序中，尚未列入红名单，不能申请退出")
    last = entry.valid_until
    if last is not None and today > last:
        return _not_in_force(
            f"该记录有效期至 {last:%Y-%m-%d}，已届满移出（每日任务将予登记），无需申请退出"
        )
    return None


def _not_in_force(message: str) -> XinyongError:
    return XinyongError("exit-request-not-in-force", message, status=409)


def _already_pending() -> XinyongError:
    return XinyongError(
        "exit-request-pending", "已申请退出该红名单，认定部门办理完毕前不能再次申请", status=409
    )


def _refuse(entry: ListEntry, today: dt.date) -> None:
    refused = exit_request_refusal(entry, today)
    if refused is not None:
        raise refused
    if entry.red_list_exit_requests.filter(state=ExitRequestState.PENDING).exists():
        raise _already_pending()


def _entry_held(entry_id: int) -> ListEntry:
    """The entry, locked until the transaction commits, in the order every step on an entry
    takes its locks (``listings.services.transitions``): the daily job's lock shared, the list's
    row, then the entry's; a request's row only after them, as an exit ends the pending one. An
    exit committed meanwhile is read, not missed, and one sent meanwhile waits."""
    daily_job_lock.wait_for_the_daily_job()  # first, before any row
    hold_list_row(entry_id)
    return (
        ListEntry.objects.select_for_update(of=("self",))
        .select_related("list__recognizing_department", "subject")
        .get(pk=entry_id)
    )


def request_red_list_exit(entry_id: int, *, actor: Any, statement: str = "") -> RedListExitRequest:
    """The subject asks to leave one of its own red-list entries in force (R4, 000 §十.2).

    Only the subject's own account finds the entry (R14; any other is not found). Checked first
    as read, then again with the entry locked: an exit committed since it was read refuses the
    request, instead of leaving it pending on an entry that has ended, where nothing would end
    it. One transaction, one audit row."""
    entry = own_entry(actor, entry_id)
    statement = statement.strip()
    if len(statement) > STATEMENT_MAX_CHARS:
        raise XinyongError(
            "exit-request-statement-too-long", f"说明不超过 {STATEMENT_MAX_CHARS} 字", status=422
        )
    _refuse(entry, clock.today())
    with transaction.atomic():
        held = _entry_held(entry.pk)
        today = clock.today()
        _refuse(held, today)
        try:
            with transaction.atomic():
                request = RedListExitRequest.objects.create(
                    entry=held, account=actor, received_on=today, statement=statement
                )
        except IntegrityError:  # another sent at the same moment was taken first
            raise _already_pending() from None
        audit.record(
            actor=actor, action="remedies.red_list_exit.request", obj=request,
            after=_snapshot(request), reason=statement,
        )  # fmt: skip
    return request


def mark_done_by_exit(entry: ListEntry, *, actor: Any) -> RedListExitRequest | None:
    """The entry just ended with the reason ``requested``: its pending request is done, with
    the exit it led to (R4). Run in the exit's transaction, after its history event, with the
    entry locked by the exit; answers the request, or None when none was pending (a request
    made on paper, say)."""
    request = (
        RedListExitRequest.objects.select_for_update()
        .filter(entry_id=entry.pk, state=ExitRequestState.PENDING)
        .first()
    )
    if request is None:
        return None
    event = entry.events.filter(action=Action.EXIT).latest("id")
    before = _snapshot(request)
    request.state, request.exit_event = ExitRequestState.DONE, event
    request.decided_on, request.decided_by = entry.exited_on, event.actor
    request.save(update_fields=["state", "exit_event", "decided_on", "decided_by"])
    audit.record(
        actor=actor, action="remedies.red_list_exit.done", obj=request, before=before,
        after=_snapshot(request), reason=event.reason,
    )  # fmt: skip
    return request


def closed_text(reason: str, exited_on: dt.date) -> str:
    """How the subject is told that its entry ended another way (000 §十)."""
    why = ENTRY_ENDED.get(reason, "移出")
    return f"该名单记录已于{exited_on:%Y-%m-%d}{why}，退出红名单申请随之终止办理。"


def close_for_entries(
    entry_ids: Iterable[int], *, reason: str, exited_on: dt.date, actor: Any, today: dt.date
) -> int:
    """Close the pending requests of entries that ended for ``reason`` on ``exited_on``, other
    than the subject's request, which ``mark_done_by_exit`` answers; answers how many. Run
    inside the transaction that ends them, locked in id order, one audit row each."""
    if reason == ExitReason.REQUESTED:
        return 0
    text = closed_text(reason, exited_on)
    decided_by = audit.describe_actor(actor)[0]
    pending = RedListExitRequest.objects.filter(
        entry_id__in=list(entry_ids), state=ExitRequestState.PENDING
    )
    closed = 0
    for request in pending.select_for_update(of=("self",)).order_by("pk"):
        claimed = RedListExitRequest.objects.filter(
            pk=request.pk, state=ExitRequestState.PENDING
        ).update(
            state=ExitRequestState.CLOSED, decided_on=today, decided_by=decided_by,
            closed_reason=text,
        )  # fmt: skip
        if not claimed:
            continue
        before = _snapshot(request)
        request.state, request.decided_on = ExitRequestState.CLOSED, today
        audit.record(
            actor=actor, action="remedies.red_list_exit.close", obj=request, before=before,
            after=_snapshot(request), reason=text,
        )  # fmt: skip
        closed += 1
    return closed
