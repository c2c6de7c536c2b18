"""A department's decisions on the subjects a check by name offered (issue 4 item 3): whether
the name asked is that subject, remembered by later checks and screenings, and the reports
that such a decision must agree with (R10, R11, R14).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xinyong.audit import services as audit
from xinyong.core.errors import XinyongError
from xinyong.core.protection import mask_citizen_ids
from xinyong.measures import typical_cases
from xinyong.measures.checks import (
    IMPLEMENTING_REQUIRED,
    describe_subject,
    name_decision_key,
    token_reaches,
)
from xinyong.measures.models import Check
from xinyong.subjects.models import Department, Subject


def _not_a_candidate() -> XinyongError:
    # One refusal for a subject that is not a candidate of the check, whether or not it
    # exists: the call must not tell who is registered (R14).
    return XinyongError("candidate-not-found", "该次核查的候选中没有此主体", status=404)


def _offered(made: Check) -> tuple[set[int], list[dict[str, Any]]]:
    """The subjects a name check offered, by ``candidate``: its candidates and the subject it
    chose by name; and the candidates as answered, for a check answered before ``candidate``
    was given (matched by what it showed of them)."""
    answered = made.response or {}
    shown = [c for c in answered.get("candidates") or [] if isinstance(c, dict)]
    offered = {c["candidate"] for c in shown if isinstance(c.get("candidate"), int)}
    if made.subject_id is not None:
        offered.add(made.subject_id)
    return offered, shown


def _decided_subject(made: Check, candidate: int | None, subject_code: str | None) -> Subject:
    """The candidate of ``made`` that the department decides on: by its ``candidate``, or by
    its full code (as before ``candidate`` was given); anything else is refused alike."""
    offered, shown = _offered(made)
    if candidate is not None:
        subject = Subject.objects.filter(pk=candidate).first() if candidate in offered else None
    else:
        subject = Subject.objects.identified_by(subject_code or "").first()
        if subject is not None and subject.pk not in offered:
            described = describe_subject(subject)
            as_shown = {(c.get("code"), c.get("name")) for c in shown if "candidate" not in c}
            if (described["code"], described["name"]) not in as_shown:
                subject = None
    if subject is None:
        raise _not_a_candidate()
    return subject


SUBJECT_RULED_OUT = "subject-ruled-out"
SUBJECT_RULED_OUT_MESSAGE = (
    "本部门已认定所查名称与该次核查匹配的主体不是同一主体，不能就该主体反馈；"
    "请重新核查，按新的核查结果反馈"
)
SUBJECT_HAS_APPLIED_FEEDBACK = "subject-has-applied-feedback"


def ruled_out(made: Check) -> bool:
    """Whether the department that made a check by name has ruled out, for that name, the
    subject the check matched (``NameDecision``, its latest decision on it)."""
    from xinyong.measures.models import NameDecision

    if not made.query_name or made.subject_id is None:
        return False
    return NameDecision.objects.filter(
        department_id=made.department_id, normalized_name=name_decision_key(made.query_name),
        subject_id=made.subject_id, same_subject=False,
    ).exists()  # fmt: skip


def refuse_feedback_if_ruled_out(made: Check) -> None:
    """No report on a subject the department ruled out on the check it reports through: a
    measure it says it applied was applied to whom the name is not, and would be counted as
    a case against that subject (R10, R11, 003 §七). The department checks again and reports
    through the new answer."""
    if ruled_out(made):
        raise XinyongError(SUBJECT_RULED_OUT, SUBJECT_RULED_OUT_MESSAGE, status=409)


def _applied_reports(department_id: int, key: str, subject: Subject) -> list[int]:
    """The department's reports that stand (none corrects them) of a measure applied to
    ``subject`` through a check by a name keyed ``key``: the cases it counts against it."""
    from xinyong.measures.models import CheckFeedback

    standing = (
        CheckFeedback.objects.filter(
            check_record__department_id=department_id, check_record__subject=subject,
            correction__isnull=True, outcomes__applied=True,
        )
        .exclude(check_record__query_name="")
        .values_list("pk", "check_record__query_name")
        .distinct()
    )  # fmt: skip
    return sorted({pk for pk, name in standing if name_decision_key(name) == key})


def _refuse_ruling_out_a_case(department_id: int, key: str, subject: Subject) -> None:
    """A subject the department reported a measure applied to, through a check by this name,
    is not ruled out for it while that report stands: the case would go on being counted
    against a subject the department says the business did not concern (R11, 003 §七). Its
    report is corrected first (what it did to that subject, and why), so that every figure
    stays what the reports that stand say."""
    reports = _applied_reports(department_id, key, subject)
    if reports:
        numbers = "、".join(map(str, reports))
        raise XinyongError(
            SUBJECT_HAS_APPLIED_FEEDBACK,
            f"本部门已按该名称就此主体反馈了已实施的措施（反馈编号 {numbers}）；如并非同一主体，"
            "请先更正该反馈（注明措施未对该主体实施及理由），再认定不是同一主体",
            status=409, feedback_ids=reports,
        )  # fmt: skip


def decide_name(
    *, actor: Any, check_id, subject_code: str | None = None, candidate: int | None = None,
    same_subject: bool, reason: str, token: Any = None,
):  # fmt: skip
    """Record whether the name asked in a check is one of the subjects it offered; later
    checks remember (issue: name checks).

    The subject is named by the ``candidate`` the check answered with it, or by its full code;
    only a candidate of that check, or the subject it chose by name, can be decided on, so the
    call tells nothing about subjects the check did not offer (R14). The decision is keyed as
    the check was (``name_decision_key`` of the name it kept).

    A department no longer implementing decides nothing, as it checks nothing; the reason is
    kept masked (R14).

    A subject is not ruled out for a name while a report of the department, through a check
    by that name, says a measure was applied to it (``_refuse_ruling_out_a_case``); once it
    is, no report is taken on it through such a check (``refuse_feedback_if_ruled_out``).
    """
    from django.db import transaction

    from xinyong.measures.models import NameDecision

    officer = getattr(actor, "officer", None)
    if officer is not None and not officer.department.is_implementing:
        # As a check is refused (``checks._caller``): a decision steers the department's later
        # checks and screenings, which it may no longer make (R10, R14).
        raise XinyongError(*IMPLEMENTING_REQUIRED, status=403)
    made = Check.objects.select_related("scenario").filter(pk=check_id).first()
    if (
        made is None or officer is None or made.department_id != officer.department_id
        or not token_reaches(token, made.scenario.code)
    ):  # fmt: skip
        raise XinyongError("check-not-found", "核查记录不存在", status=404)
    if not made.query_name:
        raise XinyongError("not-a-name-check", "该次核查不是按名称核查", status=422)
    if not reason.strip():
        raise XinyongError("reason-required", "须说明理由", status=422)
    if (candidate is None) == (not subject_code):
        raise XinyongError(
            "candidate-or-subject-required", "须提供候选编号（candidate）或主体代码（subject）之一",
            status=422,
        )  # fmt: skip
    subject = _decided_subject(made, candidate, subject_code)
    # Kept and answered masked as a report's free text is (citizen IDs however written, mobile
    # numbers, the names of the persons linked to the subject): R14.
    reason = typical_cases.masked_text(reason.strip(), typical_cases.persons_named(subject))
    key = name_decision_key(made.query_name)
    with transaction.atomic():
        # The department's row first: a lock on a decision not made yet holds nothing, and two
        # first decisions at once would each read none, the later then updating the earlier's
        # row with a trail saying it replaced nothing. Held, the later one reads the earlier.
        Department.objects.select_for_update(no_key=True).filter(pk=officer.department_id).first()
        if not same_subject:  # the department's reports wait for it, and it for them
            _refuse_ruling_out_a_case(officer.department_id, key, subject)
        earlier = (
            NameDecision.objects.select_for_update()
            .filter(department_id=officer.department_id, normalized_name=key, subject=subject)
            .first()
        )
        # Decided again: when is now (the latest decision is the one later checks follow),
        # and the trail keeps what it replaced.
        decision, _ = NameDecision.objects.update_or_create(
            department_id=officer.department_id,
            normalized_name=key,
            subject=subject,
            defaults={
                "asked_name": made.query_name,
                "same_subject": same_subject,
                "reason": reason,
                "decided_by": actor.get_username(),
                "decided_at": timezone.now(),
            },
        )
        audit.record(
            actor=actor, action="name_decision.recorded", obj=decision,
            before=None if earlier is None else _decision_facts(earlier),
            after=_decision_facts(decision),
        )  # fmt: skip
    return decision


def _decision_facts(decision) -> dict[str, Any]:
    """What the trail keeps of a name decision: the subject by id, the reason with any citizen
    ID masked (R14)."""
    return {
        "subject_id": decision.subject_id, "same_subject": decision.same_subject,
        "reason": mask_citizen_ids(decision.reason), "decided_at": decision.decided_at.isoformat(),
    }  # fmt: skip
