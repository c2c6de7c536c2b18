"""Writes of the joint reward and punishment loop other than the check itself (R10, R11).

A check is registered by ``registration`` on its own hot path; here is what follows it: the
implementing department's report of what it did (002 §二十三), one verb, one transaction, one
audit row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from xinyong.access.roles import Role, role_of
from xinyong.audit import services as audit
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.free_text import mask_citizen_ids_however_written
from xinyong.listings.models import ListEntry
from xinyong.measures import (
    checks,
    feedback_periods,
    monitoring_due,
    name_decisions,
    typical_cases,
)
from xinyong.measures.feedback_periods import EntriesOn
from xinyong.measures.models import (
    Check,
    CheckFeedback,
    Measure,
    MeasureOutcome,
    TypicalCase,
    TypicalCaseState,
)
from xinyong.measures.outcomes import (
    AnsweredMeasure,
    answered_measures,
    as_decided,
    as_of_now,
    measure_as_answered,
    same_report,
)
from xinyong.subjects.models import Department
from xinyong.subjects.protection import keyring


@dataclasses.dataclass(frozen=True, slots=True)
class ReportedMeasure:
    """One line of a report: a measure of the answer, applied or not, and why; applied, from
    ``start`` (the report's day of application unless said) to ``end`` (none: while its
    entries carry it), as feedback records it in local practice (DOMAIN §5)."""

    measure: str
    applied: bool
    reason: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure, "applied": self.applied, "reason": self.reason,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }  # fmt: skip


def _refuse(code: str, message: str, **details: Any) -> XinyongError:
    return XinyongError(code, message, status=422, **details)


def _as_answered(
    response: dict[str, Any], codes: Iterable[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, str]]]:
    """The answer's measures still active in the list as the answer named them, by code, each
    with its id and its name, type and legal basis as they stand; and those whose code now
    names another measure, each with the name the answer gave it and the one it has now. A
    code the loader makes of 序号 moves to another measure when a row is inserted above it: a
    report by that code would count a measure the check never returned, with its legal basis
    (R10, R11). An answer that gave no name cannot tell, and its code is taken as it stands.
    A measure deactivated since (withdrawn from the list) is left out, as a deleted one is."""
    said: dict[str, str] = {}
    for hit in response.get("measures", []):
        said.setdefault(hit["code"], hit.get("name") or "")
    listed: dict[str, dict[str, Any]] = {}
    moved: dict[str, dict[str, str]] = {}
    active = Measure.objects.filter(code__in=codes, is_active=True)
    for code, pk, name, kind, basis in active.values_list(
        "code", "pk", "name", "type", "legal_basis"
    ):  # fmt: skip
        if said.get(code) and said[code] != name:
            moved[code] = {"measure": code, "answered": said[code], "now": name}
        else:
            listed[code] = {"pk": pk, "name": name, "type": kind, "legal_basis": basis}
    return listed, moved


def _check_report(
    answered: dict[str, AnsweredMeasure], business_reference: str,
    measures: Sequence[ReportedMeasure], listed: set[str],
    moved: dict[str, dict[str, str]], undecided: set[str],
) -> None:  # fmt: skip
    """What a report must say (R10, R11, 002 §二十三): only measures the check answered, each
    once; and every mandatory measure in force and still in the list, applied or with the
    reason it was not (one deleted or deactivated since binds no one). A measure suspended by
    an objection through all its entries is not applied, and may go unreported (R6); whether
    one reported applied could be, from its start to its end, is ``_check_periods``'. A
    measure whose code names another measure since (``moved``: the list was renumbered) can
    be neither reported nor, when it binds, left out: the department checks again and reports
    through the new answer. A measure an answer gave only through entries whose decisions state
    other measures (``undecided``: an answer given before checks read them) never applied, and
    is neither reported nor required (R1, R10)."""
    if not business_reference.strip():
        raise _refuse("business-reference-required", "须填写业务编号")
    reported = [m.measure for m in measures]
    not_decided = sorted(set(reported) & undecided)
    if not_decided:
        raise _refuse("measure-not-in-decision",
                      "该措施不在所依据的认定决定列明的措施中，不适用于该主体，不能反馈",
                      measures=not_decided)  # fmt: skip
    unknown = sorted(set(reported) - answered.keys())
    if unknown:
        raise _refuse("measure-not-in-answer", "反馈的措施不在该次核查结果中", measures=unknown)
    # Renumbered since: neither reported by its old code, nor, when it binds, left out.
    changed = [moved[code] for code in sorted(moved)
               if code in reported or answered[code].binding]  # fmt: skip
    if changed:
        said = "；".join(f"编号 {c['measure']} 在核查结果中为“{c['answered']}”，现为“{c['now']}”"
                        for c in changed)  # fmt: skip
        raise _refuse("measures-list-changed",
                      f"措施清单在该次核查后已变更，不能按原编号反馈（{said}）；请重新核查，"
                      "按新的核查结果反馈", measures=changed)  # fmt: skip
    twice = sorted({code for code in reported if reported.count(code) > 1})
    if twice:
        raise _refuse("measure-reported-twice", "同一措施只能反馈一次", measures=twice)
    missing = sorted(
        code for code, m in answered.items()
        if m.binding and code not in reported and code in listed  # not one withdrawn since
    )  # fmt: skip
    if missing:
        raise _refuse("mandatory-measure-unreported", "必须执行的措施须逐项反馈是否实施",
                      measures=missing)  # fmt: skip
    unexplained = sorted(
        m.measure for m in measures
        if not m.applied and not m.reason.strip() and answered[m.measure].binding
    )  # fmt: skip
    if unexplained:
        raise _refuse("reason-required-for-mandatory-measure", "未实施的必须执行措施须说明理由",
                      measures=unexplained)  # fmt: skip


def _store_outcomes(
    feedback: CheckFeedback, made: Check, then: dict[str, AnsweredMeasure],
    now: dict[str, AnsweredMeasure], measures: Sequence[ReportedMeasure],
    listed: dict[str, dict[str, Any]], entries: EntriesOn, day: dt.date,
) -> None:  # fmt: skip
    """One outcome row per reported measure, binding or suspended as it stood on the report's
    day, with the measure as the check answered it (``outcomes.measure_as_answered``: what the
    statistics and typical cases show, whatever the list becomes), its period (an applied
    measure from its start, to its end if said; one not applied, the report's day), linked to
    the entries the statistics attribute it to (``_followed_from``). ``listed``: the answer's
    measures still active in the list, by code; ``entries``: the answer's entries in force on a
    day, each with whether an objection suspended it."""
    withdrawn = sorted({m.measure for m in measures} - listed.keys())
    if withdrawn:  # deleted or deactivated since the check answered: said, not a crash (R10)
        raise _refuse("measure-withdrawn", "该措施已从措施清单中删除或停用，不能反馈",
                      measures=withdrawn)  # fmt: skip
    today = clock.today()
    rows = []
    for m in measures:
        said = now[m.measure]
        answered = measure_as_answered(made.response, m.measure, listed[m.measure])
        rows.append(MeasureOutcome(
            feedback=feedback, measure_id=listed[m.measure]["pk"],
            measure_code=m.measure, measure_name=answered["name"],
            measure_type=answered["type"], measure_legal_basis=answered["legal_basis"],
            department_id=made.department_id, reported_on=today,
            applied_on=m.start if m.applied and m.start else day,
            applied_until=m.end if m.applied else None, applied=m.applied,
            reason=m.reason, mandatory=then[m.measure].mandatory, suspended=said.suspended,
            binding=said.binding,
        ))  # fmt: skip
    MeasureOutcome.objects.bulk_create(rows)
    links = MeasureOutcome.entries.through
    links.objects.bulk_create(
        links(measureoutcome_id=row.pk, listentry_id=entry_id)
        for row, m in zip(rows, measures, strict=True)
        for entry_id in _followed_from(m, then[m.measure], entries.live(row.applied_on))
        if entry_id not in entries.pending  # a monitoring not yet recorded: no entry to link
    )


def _followed_from(
    reported: ReportedMeasure, answered: AnsweredMeasure, live: dict[int, bool]
) -> tuple[int, ...]:
    """The entries a reported measure is counted under (``live``: those in force on its first
    day, or for one not applied, the report's). Applied: only those in force and under no
    objection on its start, as only they could carry it (R4, R6); an entry ended since the
    check makes no case of its list (003 §七). Not applied: those still in force, or, when all
    have ended, those the check answered with, where the department's answer was given."""
    in_force = tuple(entry_id for entry_id in answered.entry_ids if entry_id in live)
    if reported.applied:
        return tuple(entry_id for entry_id in in_force if not live[entry_id])
    return in_force or answered.entry_ids


def _stated_by_decisions(response: dict[str, Any]) -> dict[int, list[str]]:
    """The answer's entries whose decisions state their measures, each with their names; an
    entry whose decision named none is left out (``outcomes.as_decided``)."""
    ids = [e["entry_id"] for e in response.get("entries", []) if e.get("entry_id") is not None]
    stated = ListEntry.objects.filter(pk__in=ids, stated_measures__isnull=False)
    return {pk: names for pk, names in stated.values_list("pk", "stated_measures") if names}


def _named_now(response: dict[str, Any]) -> dict[str, str]:
    """The answer's measure codes, each with the name the measures list gives it now: a measure
    renamed since is stated under its new name (``outcomes.as_decided``)."""
    codes = {hit["code"] for hit in response.get("measures", []) if hit.get("code")}
    return dict(Measure.objects.filter(code__in=codes).values_list("code", "name"))


def _earlier_report(made: Check, business_key: str) -> CheckFeedback | None:
    """The department's report of the same business about the same subject that stands (none
    corrects it), if any: a retry may come through a new check. One business may concern
    several subjects (a procurement's bidders), each its own report; a check of no known
    subject is its own business."""
    same = _same_business(made, business_key).select_related("check_record")
    return same.filter(correction__isnull=True).first()


def _same_business(made: Check, business_key: str) -> QuerySet[CheckFeedback]:
    """Every report of the business, corrected or not (``_earlier_report``)."""
    same = CheckFeedback.objects.filter(business_key=business_key)
    if made.subject_id is None:
        return same.filter(check_record=made)
    return same.filter(
        check_record__department_id=made.department_id, check_record__subject_id=made.subject_id
    )


def _said_the_same(
    earlier: CheckFeedback, outcome: str, sent: list[dict[str, Any]], applied_on: dt.date | None
) -> bool:
    """Whether a report sent again says what ``earlier`` says: a retry after a lost answer. A
    retry that leaves the day (or a measure's start) out is the same report whatever day it
    comes on."""
    same_day = applied_on is None or earlier.applied_on in (None, applied_on)
    before = earlier.applied_on.isoformat() if earlier.applied_on else None
    return (earlier.outcome == outcome and same_day
            and same_report(earlier.measures, sent, stored_start=before))  # fmt: skip


def _summary(feedback: CheckFeedback) -> dict[str, Any]:
    """A report for the audit trail: its day and what it said of each measure."""
    return {
        "check": str(feedback.check_record_id),
        "business_reference": feedback.business_reference,
        "applied_on": feedback.applied_on.isoformat() if feedback.applied_on else None,
        "applied": sorted(m["measure"] for m in feedback.measures if m["applied"]),
        "not_applied": sorted(m["measure"] for m in feedback.measures if not m["applied"]),
        "periods": {m["measure"]: [m.get("start"), m.get("end")]
                    for m in feedback.measures if m["applied"]},
    }  # fmt: skip


def _corrected(
    made: Check, business_key: str, corrects: int, earlier: CheckFeedback | None
) -> CheckFeedback:
    """The report a correction corrects: one of the department's, made through a check of the
    same scenario (its answer is what the business had to apply, 002 §二十, and the caller's
    token must reach that scenario, R14), of the same business and subject
    (``_same_business``), and the one that stands (a report is corrected once: a second
    correction of it, sent by another hand or from an older copy, would lose the first)."""
    target = (
        CheckFeedback.objects.select_related("check_record")
        .filter(pk=corrects, check_record__department_id=made.department_id).first()
    )  # fmt: skip
    if target is None:  # another department's report is as unknown as none
        raise XinyongError("feedback-not-found", "要更正的反馈不存在", status=404)
    if target.check_record.scenario_id != made.scenario_id:
        # What a business had to apply is its scenario's answer (002 §二十, R11), and a token
        # reaches only its scenarios (R14): a correction through another scenario's check
        # would be judged against measures the business never had, by a hand that may not
        # reach it.
        raise _refuse(
            "correction-of-another-scenario",
            "更正须通过与原反馈同一应用场景的核查提交：该核查的应用场景与要更正的反馈不一致",
            feedback_id=target.pk,
        )  # fmt: skip
    if not _same_business(made, business_key).filter(pk=target.pk).exists():
        raise _refuse(
            "correction-of-another-business",
            "更正须针对同一业务编号、同一主体的反馈：业务编号或核查对象与要更正的反馈不一致",
            feedback_id=target.pk,
        )  # fmt: skip
    if earlier is None or earlier.pk != target.pk:
        raise XinyongError(
            "feedback-already-corrected", "该反馈已被更正，请针对最新的反馈提交更正",
            status=409, feedback_id=earlier.pk if earlier else None,
        )  # fmt: skip
    return target


def _business_check(corrected: CheckFeedback) -> Check:
    """The check a business was reported on first: that of the report at the head of the
    corrections ``corrected`` ends (R11, 应查必查: the business was checked before it acted).

    A correction is judged on that check, whatever check it comes through (the same, or a new
    one of the same scenario, department and subject: ``_corrected``): what the business had
    to apply is what that check answered, and whether an entry carried a measure on a day is
    read from that answer and the entries' history since, to today (R4, R6), so a start the
    first report gave is kept when the correction comes through a later check. A measure only
    a later check answers follows from an entry that arose after the business was checked:
    it is not the business's, and is refused as any measure the answer did not give."""
    first = corrected
    while first.corrects_id is not None:
        first = CheckFeedback.objects.select_related("check_record").get(pk=first.corrects_id)
    return first.check_record


def _starts(corrected: CheckFeedback) -> dict[str, dt.date]:
    """The start of each measure ``corrected`` reported applied (its day of application for a
    report made before measures had their own): what a correction leaving a measure's start
    out keeps, as ``_said_the_same`` reads it (003 §七: a case counts in the period its
    measure started; a correction of its words does not move it)."""
    starts = {}
    for line in corrected.measures:
        if line["applied"]:
            start = line.get("start")
            day = dt.date.fromisoformat(start) if start else corrected.applied_on
            if day is not None:
                starts[line["measure"]] = day
    return starts


def report_feedback(
    *, actor: Any, check_id: uuid.UUID, business_reference: str, outcome: str,
    measures: Sequence[ReportedMeasure], token: Any = None, applied_on: dt.date | None = None,
    corrects: int | None = None, correction_reason: str = "",
) -> tuple[CheckFeedback, bool]:  # fmt: skip
    """Record what the checking department did for one business (R11, 002 §二十三), or
    correct what it reported of it.

    The report is judged on the day the business applied the measures, ``applied_on`` (today
    unless said; a day said is from the check's day to today); each measure applied from its
    own ``start`` (that day unless said) to its ``end`` (open unless said, DOMAIN §5): it is
    reported applied only where an entry carried it on its start, in force and not suspended
    by an objection, and through its end (R4, R6; ``feedback_periods``), as the change feed
    tells the entries' history since the check. Applied while in force and reported after the
    entry ended, it is still a case (003 §七).

    Returns the report and whether it is new. The same report sent again for the same business
    and subject (a retry after a lost answer, through the same check or a new one) returns the
    first and writes nothing, so that a case is never counted twice; a different one is
    refused. A report is corrected by a new one of the same business that names it
    (``corrects``) with the reason (``correction_reason``): only by the department that
    reported, through a check of the same scenario, only the report that stands, judged as a
    report is on the check the business was first reported on (``_business_check``), its day
    and each measure's start, left out, being those it corrects; the corrected one is kept
    as it was and no longer counts (``statistics``), and one audit row tells both. The
    department's row is locked (without blocking its checks, which only share its key) so that
    two retries or corrections at once are judged one after the other. A measure is reported
    only by a code the answer gave, and only while that code names the measure the answer
    named: after the list is renumbered it is refused, not counted against another measure.
    Free text is kept masked as a typical case's is (citizen IDs, mobile numbers, the names of
    the persons the check concerns: R14), for it is shown beyond the department.

    A department that no longer implements measures still reports, and corrects, what it did
    on the checks it made while it did: the report is owed for that business, and its cases
    are counted (R11, 003 §七). It checks, and decides on names, no more.
    """
    officer = getattr(actor, "officer", None)
    today = clock.today()
    day = applied_on or today
    with transaction.atomic():
        made = (
            Check.objects.select_for_update(of=("self",)).select_related("subject", "scenario")
            .filter(pk=check_id).first()
        )  # fmt: skip
        if (
            made is None or officer is None or made.department_id != officer.department_id
            or not checks.token_reaches(token, made.scenario.code)
        ):  # fmt: skip
            raise XinyongError("check-not-found", "核查记录不存在", status=404)
        if corrects is not None and not correction_reason.strip():
            raise _refuse("correction-reason-required", "更正反馈须说明更正理由")
        names = typical_cases.persons_named(made.subject)
        # The business number is the department's own: told apart by a keyed digest of it as
        # sent (trimmed: a trailing space made a retry a second business), and shown to the
        # credit office with any citizen ID in it masked.
        business_key = keyring().digest(business_reference.strip())
        business_reference = mask_citizen_ids_however_written(business_reference.strip())
        outcome = typical_cases.masked_text(outcome, names)
        correction_reason = typical_cases.masked_text(correction_reason.strip(), names)
        measures = [
            dataclasses.replace(m, reason=typical_cases.masked_text(m.reason, names))
            for m in measures
        ]
        Department.objects.select_for_update(no_key=True).filter(pk=made.department_id).first()
        name_decisions.refuse_feedback_if_ruled_out(made)  # decisions wait on the row locked above
        # A retry is answered before the report is judged again: the answer a new check gave
        # may differ (an entry ended, an objection arrived), the business is the same.
        earlier = _earlier_report(made, business_key)
        sent = [m.as_dict() for m in measures]
        # The report that stands, sent again (a correction's retry names what it corrected).
        if (
            earlier is not None
            and earlier.check_record.scenario_id == made.scenario_id
            and earlier.corrects_id == corrects
            and (corrects is None or earlier.correction_reason == correction_reason)
            and _said_the_same(earlier, outcome, sent, applied_on)
        ):
            return earlier, False
        corrected, judged, kept = None, made, {}
        if corrects is not None:
            corrected = _corrected(made, business_key, corrects, earlier)
            if _said_the_same(corrected, outcome, sent, applied_on):
                raise _refuse("correction-changes-nothing", "更正内容与原反馈相同")
            # A correction restates the business: judged on the check it was made on, on its
            # day and each measure's start unless it says otherwise.
            judged, kept = _business_check(corrected), _starts(corrected)
            day = applied_on or corrected.applied_on or today
        elif earlier is not None:
            raise XinyongError(
                "feedback-already-reported",
                "该业务已反馈，不能再次提交不同的反馈；"
                "如需更正，请在 corrects 中注明原反馈编号并说明更正理由",
                status=409, feedback_id=earlier.pk,
            )  # fmt: skip
        if applied_on is not None and not judged.as_of <= applied_on <= today:
            raise _refuse(
                "applied-on-out-of-range",
                f"实施日期须在核查之日（{judged.as_of.isoformat()}）与今天（{today.isoformat()}）之间",
                applied_on=applied_on.isoformat(),
            )  # fmt: skip
        feedback_periods.check_dates(judged, measures, day, today)
        # Each measure applied starts on the report's day unless it says its own, or, in a
        # correction, the start the corrected report gave it (003 §七: the case stays in the
        # period its measure started).
        measures = [
            dataclasses.replace(m, start=m.start or kept.get(m.measure) or day)
            if m.applied else m
            for m in measures
        ]  # fmt: skip
        sent = [m.as_dict() for m in measures]
        # A key monitoring answered before the daily job recorded it is judged by the entry
        # the job recorded, or while still due by its black entry's expiry (R3, R4).
        response, pending = monitoring_due.bound(judged)
        # Only what the entries' decisions state followed from them (R1, R10).
        stated = _stated_by_decisions(response)
        decided = as_decided(response, stated, _named_now(response) if stated else {})
        then = answered_measures(decided)
        undecided = answered_measures(response).keys() - then.keys()
        entries = feedback_periods.EntriesOn(judged, then, decided, pending)
        answered = as_of_now(decided, entries.live(day))
        listed, moved = _as_answered(judged.response, answered)
        _check_report(answered, business_reference, measures, set(listed), moved, undecided)
        feedback_periods.check_periods(judged, then, measures, entries)
        feedback = CheckFeedback.objects.create(
            check_record=made, reported_by=actor.get_username(),
            business_reference=business_reference, business_key=business_key, outcome=outcome,
            measures=sent, applied_on=day, corrects=corrected,
            correction_reason=correction_reason if corrected else "",
        )  # fmt: skip
        _store_outcomes(feedback, judged, then, answered, measures, listed, entries, day)
        if corrected is None:
            audit.record(actor=actor, action="check.feedback_reported", obj=feedback,
                         after=_summary(feedback))  # fmt: skip
        else:
            audit.record(
                actor=actor, action="check.feedback_corrected", obj=feedback,
                before={"feedback": corrected.pk, **_summary(corrected)},
                after={"corrects": corrected.pk, **_summary(feedback)},
                reason=correction_reason,
            )  # fmt: skip
    return feedback, True


# -- typical cases (典型案例, R11, 003 §七) --------------------------------------------------

ACTION_NAMES = {"edit": "修改", "publish": "发布", "withdraw": "撤回"}


def _credit_admin(actor: Any) -> None:
    """Typical cases speak for the platform: only the credit office's administrators write
    them (R14, least privilege)."""
    if role_of(actor) is not Role.CREDIT_ADMIN:
        raise XinyongError("credit-admin-required", "仅限信用办管理员办理典型案例", status=403)


def _words(title: str, summary: str) -> tuple[str, str]:
    title, summary = title.strip(), summary.strip()
    if not title or not summary:
        blank = [name for name, value in (("title", title), ("summary", summary)) if not value]
        raise _refuse("typical-case-text-required", "典型案例须有标题和案例简介", fields=blank)
    return title, summary


def draft_typical_case(*, actor: Any, feedback_id: int, title: str, summary: str) -> TypicalCase:
    """Write a reported business up as a typical case, not yet published; one per business.

    Only a business in which a measure was applied is a case (003 §七), as its report stands:
    one corrected since is refused (its correction may be chosen). The words are stored
    masked (``typical_cases.masked``): they are written to be published.
    """
    _credit_admin(actor)
    title, summary = _words(title, summary)
    with transaction.atomic():
        feedback = (
            CheckFeedback.objects.select_for_update(of=("self",))
            .select_related("check_record__subject")
            .filter(pk=feedback_id).first()
        )  # fmt: skip
        if feedback is None or not feedback.outcomes.filter(applied=True).exists():
            raise XinyongError("case-not-found", "未找到该联合奖惩案例", status=404)
        if CheckFeedback.objects.filter(corrects=feedback).exists():
            raise XinyongError("feedback-corrected",
                               "该反馈已被实施部门更正，请就更正后的反馈选取典型案例",
                               status=409)  # fmt: skip
        if TypicalCase.objects.filter(feedback=feedback).exists():
            raise XinyongError("typical-case-exists", "该案例已选为典型案例", status=409)
        subject = feedback.check_record.subject
        case = TypicalCase.objects.create(
            feedback=feedback, title=typical_cases.masked(title, subject),
            summary=typical_cases.masked(summary, subject), created_by=actor.get_username(),
        )  # fmt: skip
        audit.record(actor=actor, action="typical_case.drafted", obj=case,
                     after=typical_cases.describe(case))  # fmt: skip
    return case


def act_on_typical_case(
    *, actor: Any, case_id: int, action: str, title: str = "", summary: str = "",
    reason: str = "",
) -> TypicalCase:  # fmt: skip
    """Edit, publish or withdraw a typical case, as ``typical_cases.TRANSITIONS`` allows.

    The case's row is locked first, so two administrators acting at once act one after the
    other, and the second is judged on the state the first left. A withdrawal needs its reason
    and leaves the case in the back end, off the portal.
    """
    _credit_admin(actor)
    with transaction.atomic():
        case = (
            TypicalCase.objects.select_for_update(of=("self",))
            .select_related("feedback__check_record__subject")
            .filter(pk=case_id).first()
        )  # fmt: skip
        if case is None:
            raise XinyongError("typical-case-not-found", "未找到该典型案例", status=404)
        after = typical_cases.next_state(case.state, action)
        if after is None:
            state = TypicalCaseState(case.state).label
            raise XinyongError(
                "typical-case-action-not-allowed",
                f"典型案例当前状态为「{state}」，不能{ACTION_NAMES.get(action, action)}",
                status=409, state=case.state, action=action,
            )  # fmt: skip
        before = typical_cases.describe(case)
        subject = case.feedback.check_record.subject
        today = clock.today()
        if action == "edit":
            title, summary = _words(title, summary)
            case.title = typical_cases.masked(title, subject)
            case.summary = typical_cases.masked(summary, subject)
        elif action == "publish":
            if not typical_cases.rests_on_public_lists(case.feedback):
                raise XinyongError(
                    "typical-case-not-public",
                    "该案例所依据的名单不属于在门户网站公开的红名单、严重失信主体名单（名单类别或其目录事项的公开方式不允许），不能在门户网站发布",
                    status=409,
                )  # fmt: skip
            if not typical_cases.stands(case, today):
                raise XinyongError(
                    "typical-case-not-standing",
                    "案例所依据的红黑名单记录已不在有效期内、已移出或正在异议核实中，不能发布",
                    status=409,
                )  # fmt: skip
            case.published_on = today
        elif action == "withdraw":
            if not reason.strip():
                raise _refuse("withdrawal-reason-required", "撤回典型案例须说明理由")
            case.withdrawn_on = today
            case.withdrawal_reason = typical_cases.masked(reason.strip(), subject)
        case.state = after
        case.save()
        audit.record(actor=actor, action=f"typical_case.{action}", obj=case, before=before,
                     after=typical_cases.describe(case), reason=case.withdrawal_reason)  # fmt: skip
    return case
