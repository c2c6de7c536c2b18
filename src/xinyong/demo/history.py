"""Turning entry plans into rows: the entries themselves and their step-by-step history.

Each step of a plan's path becomes a ``ListEntryEvent`` (history is append-only rows, STYLE),
dated on its business day and signed by a demo account where the department has one.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import prefetch_related_objects

from xinyong.core.document_numbers import canonical_document_number
from xinyong.demo.entries import EntryPlan
from xinyong.demo.list_definitions import LIST_BY_CODE
from xinyong.listings import documents
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import ExitReason, ListDefinition, ListEntry, ListEntryEvent
from xinyong.subjects.models import Subject

# The platform takes these steps itself (listings.tick, listings.escalation).
SYSTEM_STEPS = {"end_publicity", "warn", "monitor"}
# Demo accounts act for their departments; other departments appear as "demo".
ACTORS = {"zj-scjg": ("scjg_officer", "scjg_signer"), "zj-fgw": ("xyb_officer", "admin")}
REASONS = {
    "propose": "经调查核实，符合名单认定标准，拟列入",
    "notify": "已书面告知拟列入的事实、理由、依据及其依法享有的权利",
    "start_publicity": "在“信用浙江”网站和部门门户网站公示",
    "object": "主体在公示期内提出异议并提交证据材料",
    "end_publicity": "公示期满无异议",
    "sign": "经集体审议，负责人签发认定决定书",
    "reject": "经核实不符合认定条件，不予列入",
    "withdraw": "认定部门决定撤回拟列入",
    "warn": "在3个以上不同重点领域被列入重点关注名单，转入大数据警示名单（发改办财金〔2018〕87号）",
    "monitor": "移出严重失信主体名单后，在监测期内实施重点监测（伊州政发〔2019〕1号）",
}
EXIT_REASONS = {
    ExitReason.CORRECTED: "异议成立，认定有误，予以更正并移出",
    ExitReason.REPAIRED: "主体已纠正失信行为并完成信用修复，提前移出",
    ExitReason.REQUESTED: "主体申请退出红名单",
    ExitReason.BLACKLISTED: "主体被列入严重失信主体名单，同步移出红名单",
    ExitReason.REPORTED: "经举报核实不再符合红名单条件",
    ExitReason.EXPIRED: "有效期届满，自动移出",
    ExitReason.CONDITION_NO_LONGER_MET: "重点关注所涉重点领域不足3个，不再符合列入条件",
}


def entry_rows(
    plans: list[EntryPlan], subjects: list[Subject], lists: dict[str, ListDefinition]
) -> list[ListEntry]:
    rows = []
    for plan in plans:
        dates = plan.dates
        rows.append(
            ListEntry(
                list=lists[plan.list_code], subject=subjects[plan.subject], state=plan.state,
                exit_reason=plan.exit_reason, facts=plan.facts, basis=plan.basis,
                decision_document_number=plan.document,
                decision_number_key=canonical_document_number(plan.document),
                proposed_on=dates.proposed_on,
                publicity_starts_on=dates.publicity_starts_on,
                publicity_ends_on=dates.publicity_ends_on,
                publicity_ends_provisional=dates.publicity_ends_provisional,
                effective_on=dates.effective_on, valid_until=dates.valid_until,
                exited_on=dates.exited_on, verification_due_on=dates.verification_due_on,
                verification_due_provisional=dates.verification_due_provisional,
                version=len(dates.path),
            )
        )  # fmt: skip
    return rows


def actor(department: str, action: str, reason: str) -> str:
    system = action in SYSTEM_STEPS or (
        action == "exit" and reason in {ExitReason.EXPIRED, ExitReason.CONDITION_NO_LONGER_MET}
    )
    if system:
        return "system"
    officer, signer = ACTORS.get(department, ("demo", "demo"))
    return signer if action == "sign" else officer


def entry_events(plans: list[EntryPlan], entries: list[ListEntry]) -> list[ListEntryEvent]:
    events = []
    for plan, entry in zip(plans, entries, strict=True):
        department = LIST_BY_CODE[plan.list_code].department
        for action, source, target, day in plan.dates.path:
            reason = EXIT_REASONS[plan.exit_reason] if action == "exit" else REASONS[action]
            who = actor(department, action, plan.exit_reason)
            data = {}
            if action == "object" and entry.verification_due_on:
                data["verification_due_on"] = entry.verification_due_on.isoformat()
            if action == "exit":
                data["exit_reason"] = plan.exit_reason
            if action == "sign":
                data["decision_document_number"] = plan.document
            if action == "notify":  # decided at a meeting first (R1): the day before, or the day
                meeting_on = max(plan.dates.proposed_on, day - dt.timedelta(days=1))
                data["meeting_on"] = meeting_on.isoformat()
                data["meeting"] = f"局务会议（纪要〔{meeting_on.year}〕{entry.pk % 40 + 1}号）"
            events.append(
                ListEntryEvent(
                    entry_id=entry.pk,
                    action=action,
                    from_state=source,
                    to_state=target,
                    business_date=day,
                    actor=who,
                    reason=reason,
                    data=data,
                )
            )
    return events


def announcements(plans: list[EntryPlan], entries: list[ListEntry]) -> list[list[Announcement]]:
    """Each entry's notices in order, as the services publish them (R1, R4, R5, 000 §十一.3).

    Publicity when it starts; a correction when a publicized candidacy is rejected, or a
    withdrawal notice when it is withdrawn; the decision at signature; at exit a correction (for
    a wrong listing) and the exit notice. Each notice follows the one before it on the entry's
    channel.
    """
    kind = Announcement.Kind
    chains = []
    # A decision's text says whether its entry may be repaired (R8): the entries' own rulings,
    # read in one query rather than one per entry.
    prefetch_related_objects(entries, "not_repairable")
    for plan, entry in zip(plans, entries, strict=True):
        texts: list[tuple[str, object, tuple[str, str]]] = []
        for action, _, _, day in plan.dates.path:
            if action == "start_publicity":
                texts.append((kind.PUBLICITY, day, documents.publicity_notice(entry)))
            elif action == "reject" and entry.publicity_starts_on is not None:
                texts.append((kind.CORRECTION, day, documents.correction_announcement(entry)))
            elif action == "withdraw" and entry.publicity_starts_on is not None:
                texts.append((kind.CORRECTION, day, documents.withdrawal_announcement(entry)))
            elif action == "sign":
                texts.append((kind.DECISION, day, documents.decision_announcement(entry)))
            elif action == "exit":
                if plan.exit_reason == ExitReason.CORRECTED:
                    texts.append((kind.CORRECTION, day, documents.correction_announcement(entry)))
                texts.append((kind.EXIT, day, documents.exit_announcement(entry)))
        chains.append([
            Announcement(entry=entry, kind=notice, channel=entry.channel, published_on=day,
                         title=title, body=body)
            for notice, day, (title, body) in texts
        ])  # fmt: skip
    return chains
