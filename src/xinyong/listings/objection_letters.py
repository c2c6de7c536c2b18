"""The letters a decided objection sends (R6, 000 §十一.2–3, 002 §二十七): the objector's, and
where a listing is found wrong on someone else's objection, the subject's own, with the written
apology and the restoration of its reputation owed to it (000 §十一.3); the letter to a person
whose objection to being named is founded (004 §二(三)6); and which objection was decided, the
entry's own or a person's to being named, as its history event recorded it.
"""

from __future__ import annotations

from typing import Literal

from xinyong.core.document_dates import written
from xinyong.listings.documents import REMEDIES
from xinyong.listings.models import ListEntry
from xinyong.listings.selectors import found_wrong_on
from xinyong.listings.workflow import Action


def objection_result(
    entry: ListEntry, outcome: Literal["founded", "unfounded"], finding: str
) -> str:
    """What the objector is told when its objection is decided: the result and its remedies
    (R6, 000 §十一.2, 002 §二十七); where the listing was wrong, a written apology, the public
    correction and its reputation restored (000 §十一.3). The objector is the subject, a person
    the entry names who objected, or another party an officer registered: those two are
    answered by name, about the subject's listing."""
    return objection_answers(entry, outcome, finding)["objection_result"]


def objection_answers(
    entry: ListEntry,
    outcome: Literal["founded", "unfounded"],
    finding: str,
    restored: str = "",
    person_id: int | None = None,
) -> dict[str, str]:
    """The letters a decided objection sends, as its history event keeps them (R6).

    ``objection_result`` is the objector's. Where someone other than the subject objected (a
    person the entry names, or another party) and the listing is found wrong,
    ``result_to_subject`` is the subject's too: the department corrects the 当事人's
    information, apologises to it in writing and restores its reputation (000 §十一.3), and the
    当事人 is the subject listed, not whoever pointed out the error. An unfounded objection
    changes nothing of the subject's: the objector alone is answered.

    ``restored`` tells the subject, in its own letter, what else the wrong listing is undone in
    (``documents.restored_red_entries``: the red entries a black listing ended, R2).
    ``person_id``: the objection decided is that person's to being named, not the entry's own
    (``_objector``).
    """
    objector, by = _objector(entry, person_id)
    answers = {"objection_result": _objection_letter(entry, outcome, finding, person=objector,
                                                     by=by, restored=restored)}  # fmt: skip
    if objector and outcome == "founded":
        answers["result_to_subject"] = _objection_letter(
            entry, outcome, finding, person="", objected_by=by, restored=restored
        )
    return answers


def naming_objection_founded(
    entry: ListEntry, finding: str, roles: str, person_id: int
) -> dict[str, str]:
    """The letter to a person the entry names whose objection to being named verification
    found founded (R6, 000 §十一.3, 004 §二(三)6): the naming (``roles``) is removed, with
    the measures reaching the person through the entry, and the person, to whom the error was
    done, receives the written apology and has its reputation restored. The organisation's
    listing stands: it is not told it was wrong, and nothing is announced as corrected.

    Unless the listing was found wrong already, on the entry's own objection, and the
    person's left open (``workflow.answered_by_finding_wrong``): the person is told the listing
    was corrected and has ended, not that the decision to list stands (``_corrected``)."""
    objector, _by = _objector(entry, person_id)
    definition = entry.list
    listing_named = f"{'列入' if entry.effective_on is not None else '拟列入'}{definition.name}"
    corrected = _corrected(entry, entry.subject.name)
    lines = [
        f"{objector}：",
        f"你对{entry.subject.name}{listing_named}的名单记录将你列为{roles}提出的异议，"
        "本机关已依法核实。",
    ]
    if finding.strip():
        lines.append(f"核实结论：{finding.strip()}")
    if corrected:
        lines.append(
            f"处理结果：异议成立，已将你从该名单记录所列人员（{roles}）中移除；{corrected}，"
            "依据该记录对你实施的相关措施已停止实施。"
        )
    else:
        lines.append(
            f"处理结果：异议成立，已将你从该名单记录所列人员（{roles}）中移除，依据该记录对你"
            f"实施的相关措施停止实施；{entry.subject.name}{listing_named}的决定不受影响。"
        )
    lines.append("对此认定错误，本机关特向你书面致歉，并恢复你的名誉。")
    lines.append(f"救济途径：{REMEDIES}")
    return {"objection_result": "\n".join(lines)}


# Who objected, as the subject's letter says it (never by name: the objector's identity and
# grounds are the objector's, R14).
OBJECTED_BY = {"named_person": "该名单记录所列人员", "other": "有关方面"}


def _objection_letter(
    entry: ListEntry, outcome: Literal["founded", "unfounded"], finding: str, *, person: str,
    by: str = "", objected_by: str = "", restored: str = "",
) -> str:  # fmt: skip
    """The letter to ``person`` (who objected as ``by``: a person the entry names, or another
    party) about the subject's listing, or to the subject when ``person`` is empty. A subject
    that did not object itself (``objected_by``) is told who did only as 该名单记录所列人员 or
    有关方面."""
    definition = entry.list
    listed = entry.effective_on is not None
    you = "你" if person and by == "named_person" else "你（单位）"
    whose = entry.subject.name if person else ""  # the listing spoken of, if not the reader's
    listing = f"将{whose}列入" if person else "列入"
    listing_named = f"{'列入' if listed else '拟列入'}{definition.name}"
    opening = (
        f"对你（单位）{listing_named}，{OBJECTED_BY[objected_by]}提出了异议，本机关已依法核实。"
        if objected_by
        else f"{you}对{whose}{listing_named}提出的异议，本机关已依法核实。"
    )
    lines = [f"{person or entry.subject.name}：", opening]
    if finding.strip():
        lines.append(f"核实结论：{finding.strip()}")
    corrected = _corrected(entry, whose) if outcome == "unfounded" and person else ""
    if corrected:  # found wrong on another objection: nothing is maintained
        lines.append(f"处理结果：异议不成立；{corrected}，相关措施已停止实施。")
    elif outcome == "unfounded" and listed:
        suspended = definition.objection_suspends_measures
        resumed = "，核实期间暂停的相关措施恢复实施" if suspended else ""
        if entry.exited_on is not None:  # ended meanwhile (expiry, R2): its measures stopped
            resumed = f"；该记录已于{written(entry.exited_on)}移出名单，相关措施已停止实施"
        lines.append(f"处理结果：异议不成立，维持{listing}{definition.name}的决定{resumed}。")
    elif outcome == "unfounded":
        lines.append(f"处理结果：异议不成立，{whose}拟列入{definition.name}的公示继续进行。")
    else:
        result = (
            f"原{listing}{definition.name}的认定予以更正，{whose or '你（单位）'}移出该名单"
            if listed else f"{whose}不予列入{definition.name}"
        )  # fmt: skip
        published = (
            "已在原公告渠道发布更正公告予以澄清，"
            if listed or entry.publicity_starts_on is not None
            else ""
        )
        lines.append(f"处理结果：异议成立，{result}。")
        if restored and not person:  # the subject's own letter
            lines.append(restored)
        if person and by == "other":  # the apology is owed to the subject, in its own letter
            cleared = "已在原公告渠道发布更正公告予以澄清，并" if published else ""
            lines.append(f"本机关{cleared}已向当事人书面致歉。")
        else:
            lines.append(f"对此认定错误，本机关特向{you}书面致歉，{published}并恢复{you}的名誉。")
    lines.append(f"救济途径：{REMEDIES}")
    return "\n".join(lines)


def _corrected(entry: ListEntry, whose: str) -> str:
    """What a letter says of a listing found wrong already, on another objection (R6, 000
    §十一.3: an exit as corrected, or a ``correct`` step after an exit of another kind): that it
    was corrected, and on which day; empty for an entry in force, or one that ended and stands.
    The letter answers a person's objection left open by that finding, which corrects nothing
    more (``workflow.objection_open_or_derived_entry_undone``)."""
    if entry.exited_on is None:
        return ""
    day = found_wrong_on(entry.pk)
    if day is None:
        return ""
    return f"{whose}列入{entry.list.name}的认定已于{written(day)}予以更正，该记录已移出名单"


def _objector(entry: ListEntry, person_id: int | None = None) -> tuple[str, str]:
    """Who sent the objection now decided, when not the subject: the name and ``named_person``
    for a person the entry names (online or registered), ``other`` for another party an
    officer registered; ``("", "")`` when the subject objected, or an officer registered one
    without saying who (the history names them as written).

    The objection is the entry's own, or with ``person_id`` that person's to being named: each
    is verified beside the other (R6), so the latest of its own kind is read
    (``is_naming_objection``)."""
    events = entry.events.filter(action=Action.OBJECT).order_by("-id")
    if person_id is not None:
        events = events.filter(data__objector_person=person_id)
    event = next((e for e in events if (person_id is not None) == is_naming_objection(e)), None)
    if event is None:
        return "", ""
    name = str(event.data.get("objector", ""))
    if event.data.get("objector_named_as"):
        return name, "named_person"
    if event.data.get("objector_kind") == "other" and name:
        return name, "other"
    return "", ""


def is_naming_objection(event) -> bool:
    """Whether an ``object`` event is a person's objection to being named, verified on the
    naming beside the entry's own objection: a person the entry names objecting to it in force
    (R6, 004 §二(三)6). During publicity a person's objection stops the candidacy, as the
    entry's own does (``services.record_objection``)."""
    return bool(event.data.get("objector_person")) and event.from_state == "effective"
