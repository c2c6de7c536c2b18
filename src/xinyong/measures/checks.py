"""A check (核查): an implementing department asks, in a scenario, what applies to a subject.

The answer names the effective entries, the measures that follow with their legal basis and
whether each is mandatory, and what an objection under verification suspends (R10, R11, R6;
002 §二十–二十三, 004 §二(四)). Every check is registered: who, department, scenario, subject,
time (R14).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.free_text import mask_citizen_ids_however_written
from xinyong.core.idcheck import plainly_valid_kind
from xinyong.core.identifiers import (
    CHECK_CHARACTER_MISMATCH,
    CHECK_CHARACTER_WARNING,
    check_identifier,
)
from xinyong.core.masking import mask_id_number, mask_name
from xinyong.core.names import has_control_character, may_be_a_persons_name, names_no_organisation
from xinyong.core.protection import looks_like_citizen_id, mask_refused_code
from xinyong.measures import expiry_monitoring, registration, selectors
from xinyong.measures.models import Scenario
from xinyong.subjects.models import Department, Subject
from xinyong.subjects.protection import keyring

# The refusal of a caller whose department does not (or no longer) implement measures: it
# neither checks nor decides on what a check by name offered (``name_decisions``).
IMPLEMENTING_REQUIRED = ("implementing-department-required", "仅限联合奖惩实施部门核查")


def _caller(actor: Any, token: Any, scenario: str):
    """Only an implementing department's system, with a token naming the scenario, may check."""
    officer = getattr(actor, "officer", None)
    if officer is None or not officer.department.is_implementing:
        raise XinyongError(*IMPLEMENTING_REQUIRED, status=403)
    if token is None or scenario not in (token.scenarios or []):
        raise XinyongError(
            "scenario-not-granted", f"该令牌未授权在此业务场景核查：{scenario}", status=403
        )
    return officer.department


def token_reaches(token: Any, scenario: str) -> bool:
    """Whether a caller may see what was done in ``scenario``: a token only in the scenarios it
    names, as it may only check in those (R14: least privilege); a session by its department."""
    return token is None or scenario in (token.scenarios or [])


def describe_subject(subject: Subject) -> dict[str, Any]:
    """Code, name and kind; a natural person's name and ID masked (R5, R14)."""
    if subject.is_natural_person:
        return {"code": mask_id_number(subject.identifier), "name": mask_name(subject.name),
                "kind": subject.kind, "known": True}  # fmt: skip
    return {"code": subject.identifier, "name": subject.name, "kind": subject.kind, "known": True}


def _entry_json(fact: selectors.EntryFact) -> dict[str, Any]:
    data = {
        "entry_id": fact.entry_id,
        "list_kind": fact.list_kind,
        "domain": fact.domain_name,
        "list_name": fact.list_name,
        "state": fact.state,
        "valid_until": fact.valid_until.isoformat() if fact.valid_until else None,
        "suspended": fact.suspended,
    }
    if fact.via_role is not None:
        data["via"] = {"organisation": fact.organisation, "role": fact.via_role}
    return data


def _measure_json(hit: selectors.MeasureHit) -> dict[str, Any]:
    rule = hit.rule
    return {
        "code": rule.code, "name": rule.name, "type": rule.type, "mandatory": rule.mandatory,
        "legal_basis": rule.legal_basis, "entry_id": hit.fact.entry_id,
        "suspended": hit.fact.suspended,
    }  # fmt: skip


def _answer(
    subject: Subject, facts: list[selectors.EntryFact], scenario_id: int, department_id: int,
    index: selectors.MeasureIndex, today: dt.date,
) -> dict[str, Any]:  # fmt: skip
    facts = expiry_monitoring.with_monitoring_due(facts, subject, department_id, today)
    hits = selectors.applicable_measures(subject, facts, scenario_id, department_id, index)
    return {
        "subject": describe_subject(subject),
        "entries": [_entry_json(fact) for fact in facts],
        "measures": [_measure_json(hit) for hit in hits],
        "result": selectors.overall_result(hits),
    }


def answer_for(
    subject: Subject, scenario_id: int, department_id: int, today: dt.date
) -> dict[str, Any]:
    """Entries, measures and the overall result for one known subject on ``today``: of the
    lists the department may see and act on, as a check by code reads them (R13)."""
    facts = selectors.entry_facts(subject, department_id)
    return _answer(subject, facts, scenario_id, department_id, selectors.measure_index(), today)


def _unknown_scenario(scenario: str) -> XinyongError:
    return XinyongError("scenario-unknown", f"未知业务场景：{scenario}", status=422)


def check_by_code(
    *, actor: Any, token: Any, code: str, scenario: str, client_address: str | None = None,
    name: str | None = None,
) -> registration.Registration:  # fmt: skip
    """Check a subject by its unified social credit code or citizen ID, and register it.

    A malformed code is refused with the reason (422); an unknown well-formed one is clear. A
    code kept for review because a check character fails (DOMAIN §4) that no subject has is
    clear too, but says so: it is most likely mistyped. A code refused only for its check
    character that a stored subject has (a company's all-digit code read as a mistyped ID) is
    that subject's, and answered. An unknown scenario is refused before
    the code is looked at. Two round trips once the token is
    cached: one read (``selectors.check_read``, by the code's keyed hash, of the lists shared
    with the department, R13) and the registration (R14), which keeps a citizen ID masked.

    With a ``name`` beside the code, the check answers as batch screening answers a row with
    both (``screening_warnings``; 应查必查, R10, R11): a known code decides, and a name that
    plainly names another subject is said (``name-mismatch``); a well-formed organisation's
    code nobody has is answered by the name, unless the name finds nothing
    (``code-unknown-answered-by-name``, ``_answered_by_name``). Whatever answered, the name is
    registered beside the code (``name_with_code``, R14); as ``query_name`` only where it
    answered, which makes the check one by name that the department may decide on.
    """
    department = _caller(actor, token, scenario)
    today = clock.today()
    kind, value, refused, mismatch = plainly_valid_kind(code, today), code, None, False
    if kind is None:  # not plainly valid (most codes are): the core reads it, and says why not
        checked = check_identifier(code, today=today)
        kind, value = checked.kind, checked.value
        refused = checked if checked.status == "invalid" else None
        mismatch = checked.fails_check_character
    # A code read as an organisation's that is shaped like a citizen ID and fails the USCC's
    # check character (a person's ID with a mistyped date is read as a USCC kept for review)
    # is kept masked too, in the answer and in the registration (R14).
    personal = kind == "citizen_id" or looks_like_citizen_id(value)
    shown = mask_id_number(value) if personal else value
    read = None
    if refused is not None and mismatch:
        # Refused only for a check character: a subject stored with this very code (a company
        # whose code fails its check, kept for review, DOMAIN §4) is answered, never missed.
        read = selectors.check_read(keyring().digest(value), scenario, department.pk)
        if read.subject is not None:
            refused = None
    if refused is not None:
        if not Scenario.objects.filter(code=scenario).exists():
            raise _unknown_scenario(scenario)
        raise XinyongError(refused.code, refused.message, status=422,
                           value=mask_refused_code(value), kind=kind)  # fmt: skip
    if read is None:
        read = selectors.check_read(keyring().digest(value), scenario, department.pk)
    if read.scenario_id is None:
        raise _unknown_scenario(scenario)
    subject, query_name = read.subject, ""
    if subject is None:
        unknown: dict[str, Any] = {"code": shown, "known": False}
        if mismatch:
            unknown["identifier_status"] = CHECK_CHARACTER_MISMATCH
            unknown["warning"] = CHECK_CHARACTER_WARNING
        answer = {"subject": unknown, "entries": [], "measures": [], "result": "clear",
                  "candidates": []}  # fmt: skip
        by_name = None if personal or not name else _answered_by_name(
            department, read.scenario_id, name, today, mismatch
        )  # fmt: skip
        if by_name is not None:
            answer, subject, query_name = by_name
    else:
        answer = _answer(subject, read.facts, read.scenario_id, department.pk, read.index, today)
        answer["candidates"] = []
        if name and _names_another(subject, name):
            shown_name = answer["subject"]["name"]
            answer["warning"] = _warning(NAME_MISMATCH, NAME_MISMATCH_MESSAGE.format(shown_name))
    return registration.register(
        as_of=today, user=actor, department=department, scenario_id=read.scenario_id,
        subject=subject, query_identifier=shown, query_name=query_name,
        name_with_code=name_with_code(name), client_address=client_address,
        response={"as_of": today.isoformat(), "scenario": scenario, **answer}, token=token,
    )  # fmt: skip


# What a check by code and name says beside its answer, as screening says it of a row
# (``screening_warnings``), worded for a call rather than a row.
NAME_MISMATCH = "name-mismatch"
NAME_MISMATCH_MESSAGE = (
    "所填名称与该代码的主体在平台登记的名称“{}”不一致，已按代码核查：请核实代码或名称是否填错"
)
CODE_UNKNOWN_BY_NAME = "code-unknown-answered-by-name"
CODE_UNKNOWN_BY_NAME_MESSAGE = "平台中没有该代码的主体，已按所填名称核查：请核实代码"
BY_NAME_AFTER_CHECK_CHARACTER = "已按所填名称核查"


def name_with_code(name: str | None) -> str:
    """The name sent beside a code as its check registers it, whatever answered (R14): trimmed,
    any citizen ID in it masked, and no longer than a check keeps a name (``NAME_LIMIT``): the
    code answers such a check, so the name is neither refused nor checked as a name here."""
    if not name:
        return ""
    return mask_citizen_ids_however_written(name.strip())[:NAME_LIMIT]


def _warning(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def _names_another(subject: Subject, name: str) -> bool:
    """Whether ``name``, sent beside a known subject's code, plainly names another subject, as
    screening judges a row (a person judged only by what tells nothing of the name, R14)."""
    from xinyong.measures.screening_warnings import NameComparer

    comparer = NameComparer()
    if subject.is_natural_person:
        return comparer.names_another_than_a_person(name, subject.name)
    return comparer.names_another(name, subject.name)


def _answered_by_name(
    department: Department, scenario_id: int, name: str, today: dt.date, mismatch: bool
) -> tuple[dict[str, Any], Subject | None, str] | None:
    """A check of a well-formed code nobody has, with a name beside it: the answer by the name
    (as ``check_by_name`` gives it), the subject it chose and the name as kept, saying that the
    code is unknown; None where the name finds nothing (no subject, no candidate) or is no
    organisation's, and the code's own answer stands. The same as screening's
    ``code-unknown-answered-by-name``: a department that has the wrong code of a listed
    company must not be told ``clear`` (应查必查, R10, R11)."""
    try:
        kept, key = _asked_name(name)
    except XinyongError:
        return None
    answer, matched = _name_answer(department, scenario_id, kept, key, today)
    # What the name's answer warns of: a name that may be a person's (undetermined, not
    # clear), a decision no longer followed.
    by_name = answer.get("warnings") or ([answer["warning"]] if "warning" in answer else [])
    if (
        matched is None
        and not answer["candidates"]
        and NAME_MAY_BE_A_PERSON not in {w["code"] for w in by_name}
    ):
        return None
    message = (
        f"{CHECK_CHARACTER_WARNING}；{BY_NAME_AFTER_CHECK_CHARACTER}"
        if mismatch else CODE_UNKNOWN_BY_NAME_MESSAGE
    )  # fmt: skip
    answer["warning"] = _warning(CODE_UNKNOWN_BY_NAME, message)
    answer["warnings"] = [answer["warning"], *by_name]
    return answer, matched, kept


# A name that normalises to exactly one subject's name is that subject; below SHOWN a candidate
# is noise. In between, the department decides and the decision is remembered.
EXACT_SCORE = 100.0
SHOWN_SCORE = 80.0
# The longest name a check keeps (``Check.query_name``) and a decision's key holds
# (``NameDecision.normalized_name``): a decision is keyed from the name the check kept, so the
# check keeps all of it or refuses it. A registered name is far shorter.
NAME_LIMIT = 200


def _candidate_json(candidate, subject: Subject) -> dict[str, Any]:
    return {**describe_subject(subject), "score": round(candidate.score, 1),
            "reasons": list(candidate.reasons), "candidate": subject.pk}  # fmt: skip


def present_candidates(candidates: list, subjects: Mapping[int, Any]) -> list:
    """The candidates whose subject is still in ``subjects`` (read back from the table just
    now); the others were deleted since the name index read them, and are dropped from it.

    A deleted subject is neither offered nor counted: beside the one live subject of a name,
    it would make the name look ambiguous (two candidates at the exact score)."""
    from xinyong.subjects.name_index import forget

    gone = {c.subject_id for c in candidates} - subjects.keys()
    if not gone:
        return candidates
    forget(gone)
    return [c for c in candidates if c.subject_id not in gone]


def name_decision_key(name: str) -> str:
    """What a department's decisions on ``name`` are kept and found under: its normalised key,
    parts kept apart (``names.KEY_SEPARATOR``), of the name as a check keeps it (any citizen ID
    in it masked, R14); checks, decisions and screenings all use it."""
    from xinyong.core.names import normalize_name

    return normalize_name(mask_citizen_ids_however_written(name.strip())).key


# A citizen ID is no name: a check by name refuses it, and screening answers its row so.
NAME_IS_AN_IDENTIFIER = "name-is-an-identifier"
NAME_IS_AN_IDENTIFIER_MESSAGE = "名称栏填写的是身份证号，请以 subject 按代码核查"
# A name that matches no organisation and may be a person's is not known to be clear: persons
# are found by citizen ID only (R14), never by name. A check and screening answer it so.
NAME_MAY_BE_A_PERSON = "name-may-be-a-person"
NAME_MAY_BE_A_PERSON_MESSAGE = "未找到名称相符的组织；自然人不按姓名核查，请以身份证号核查"
# A blank name: refused by a check, and a screened row with no code and no name answered so.
NAME_EMPTY, NAME_EMPTY_MESSAGE = "name-empty", "名称为空"
# A name longer than a check keeps: refused by a check, and screening answers its row so.
NAME_TOO_LONG = "name-too-long"
NAME_TOO_LONG_MESSAGE = f"名称过长（不超过{NAME_LIMIT}个字符）"
# A name no organisation can have (恒, 有限公司, 分公司): refused by a check, and screening
# answers its row so; it matches nothing for that reason, so ``clear`` would mislead.
NAME_TOO_SHORT = "name-too-short"
NAME_TOO_SHORT_MESSAGE = "名称过短，或仅为组织形式、分支机构类别（如“有限公司”“分公司”）"
# A name holding a control or invisible character: refused, not registered as sent (R14).
NAME_CONTROL_CHARACTER = "name-control-character"
NAME_CONTROL_CHARACTER_MESSAGE = "名称含有控制字符或不可见字符，请去除后重新核查"


def name_refusal(name: str, key: str) -> tuple[str, str] | None:
    """(code, message) when ``name`` (with ``key``, its normalised key) is no organisation's
    name a check answers: a control character in it, nothing in it, or too short to be one. A
    check refuses it, and screening answers its row so."""
    if has_control_character(name):
        return NAME_CONTROL_CHARACTER, NAME_CONTROL_CHARACTER_MESSAGE
    if not key:
        return NAME_EMPTY, NAME_EMPTY_MESSAGE
    if names_no_organisation(key):
        return NAME_TOO_SHORT, NAME_TOO_SHORT_MESSAGE
    return None


def name_too_long(name: str) -> bool:
    """Whether ``name``, trimmed, is longer than a check keeps. Asked before anything reads
    it as a name: normalising and searching take time that grows with the text, and a worker
    must not spend it on a text no registered name comes near (R14)."""
    return len(name.strip()) > NAME_LIMIT


def _asked_name(name: str) -> tuple[str, str]:
    """The name as the check keeps it (trimmed, any citizen ID in it masked) and its key; a
    name that is no organisation's (``name_refusal``) is refused before anything keeps it."""
    if looks_like_citizen_id(name):
        raise XinyongError(NAME_IS_AN_IDENTIFIER, NAME_IS_AN_IDENTIFIER_MESSAGE, status=422)
    too_long = XinyongError(NAME_TOO_LONG, NAME_TOO_LONG_MESSAGE, status=422)
    if name_too_long(name):  # masking keeps the length
        raise too_long
    name = mask_citizen_ids_however_written(name.strip())
    key = name_decision_key(name)
    refused = name_refusal(name, key)
    if refused is not None:
        raise XinyongError(*refused, status=422)
    if len(key) > NAME_LIMIT:  # the parts' separators make a key a little longer
        raise too_long
    return name, key


# Candidates a check by name offers, screening's likewise: the same search answers the same.
NAME_CANDIDATES = 10


def searched_candidates(index: Any, name: str, decided: Mapping[int, bool]) -> list:
    """The best ``NAME_CANDIDATES`` candidates for ``name`` that the department has not ruled
    out (``decided``: subject id → same subject?). The search asks for as many more as were
    ruled out, so that ruled-out namesakes never crowd out the one left (issue 4 item 3)."""
    ruled_out = sum(1 for same in decided.values() if not same)
    found = index.search(name, limit=NAME_CANDIDATES + ruled_out)
    return [c for c in found if decided.get(c.subject_id) is not False][:NAME_CANDIDATES]


# A subject the department confirmed for a name that the name no longer finds (renamed since):
# the decision was about a subject that bore another name, and is not followed; the name is
# answered as if undecided, and the answer says why (a check and screening alike).
DECISION_NO_LONGER_APPLIES = "name-decision-no-longer-applies"
DECISION_NO_LONGER_APPLIES_MESSAGE = (
    "本部门曾认定该名称所指的主体，其名称已变更，与所查名称不再相符，该认定不再沿用；"
    "已按当前名称核查，如仍为同一主体请重新认定"
)


def followed_decision(
    name: str, confirmed: list[int], shown: list, names: Mapping[int, str]
) -> tuple[int | None, float, bool]:
    """The subject a department's decisions take for ``name``: the latest it confirmed that
    the name still finds (scored at ``SHOWN_SCORE`` or more, as a candidate is shown), with its
    score (the search's, or its own against the name when more candidates crowded it out:
    never one not computed); none, with whether a confirmation no longer applies, otherwise.

    A decision is about a subject as it was named then: renamed away from the name, it would
    answer for whoever bears the name now, a listed namesake included (应查必查, R10, R11).
    ``confirmed``: in the order decided, those of natural persons already left out (R14);
    ``names``: the confirmed subjects' names as registered now."""
    from xinyong.subjects.name_index import score_of

    scores = {c.subject_id: c.score for c in shown}
    for pk in reversed(confirmed):
        score = scores.get(pk)
        if score is None:
            score = score_of(name, names[pk])
        if score >= SHOWN_SCORE:
            return pk, score, False
    return None, 0.0, bool(confirmed)


def check_by_name(
    *, actor: Any, token: Any, name: str, scenario: str, client_address: str | None = None
) -> registration.Registration:
    """Check by name: candidates with scores and why each matched (the name-check rules).

    A department's earlier decision on the same normalised name is remembered: a subject it
    confirmed is used, one it ruled out is not offered again. Otherwise an exact match after
    normalisation is used; several plausible candidates make the result ``undetermined``, and
    so does a name that may be a person's, unless a decision took a subject for it: persons are
    found by citizen ID, never searched by name (R14), so the answer says so instead of
    ``clear`` or of the one organisation of that name (an individual business named 李明).
    A confirmed subject that has since become a natural person is not followed, nor one the
    name no longer finds (renamed since: ``followed_decision``), which the answer says. Each
    candidate, and a subject chosen by name, carries ``candidate``: what the department sends
    back to decide on it (``decide_name``), also when its code is shown masked.

    A citizen ID is no name: sent alone it is refused with a pointer to ``subject`` (checked by
    code, and registered masked); inside a name it is masked before anything reads or keeps
    the name (R14). The name is kept whole, without surrounding spaces, so that a decision is
    keyed as the check was; one longer than ``NAME_LIMIT`` is refused.
    """
    department = _caller(actor, token, scenario)
    scenario_row = Scenario.objects.filter(code=scenario).first()
    if scenario_row is None:
        raise _unknown_scenario(scenario)
    name, key = _asked_name(name)
    today = clock.today()
    answer, matched = _name_answer(department, scenario_row.pk, name, key, today)
    return registration.register(
        as_of=today, user=actor, department=department, scenario_id=scenario_row.pk,
        subject=matched, query_name=name, client_address=client_address,
        response={"as_of": today.isoformat(), "scenario": scenario, **answer}, token=token,
    )  # fmt: skip


def _name_answer(
    department: Department, scenario_id: int, name: str, key: str, today: dt.date
) -> tuple[dict[str, Any], Subject | None]:
    """A check by name's answer (without its day and scenario) and the subject it chose, for
    ``name`` as ``_asked_name`` keeps it (``check_by_name``)."""
    from xinyong.measures.models import NameDecision
    from xinyong.subjects.name_index import get_index

    decisions = dict(
        NameDecision.objects.filter(department=department, normalized_name=key)
        .order_by("decided_at")
        .values_list("subject_id", "same_subject")
    )
    confirmed = [pk for pk, same in decisions.items() if same]
    candidates = searched_candidates(get_index(), name, decisions)
    shown = [c for c in candidates if c.score >= SHOWN_SCORE]
    subjects = Subject.objects.in_bulk([c.subject_id for c in shown] + confirmed)
    shown = present_candidates(shown, subjects)
    # A subject confirmed for this name that has since become a natural person is not answered
    # by name: a person is checked by citizen ID only (R14).
    confirmed = [pk for pk in confirmed if pk in subjects and not subjects[pk].is_natural_person]
    exact = [c for c in shown if c.score >= EXACT_SCORE]
    # A name that may be a person's is not taken as the one organisation bearing it exactly (an
    # individual business named after its operator, 李明): a black-listed person 李明 is not
    # searched by name, so only the department's decision takes that organisation.
    person = may_be_a_persons_name(name)
    names = {pk: subjects[pk].name for pk in confirmed}
    chosen, _, outdated = followed_decision(name, confirmed, shown, names)
    warnings = [_warning(DECISION_NO_LONGER_APPLIES, DECISION_NO_LONGER_APPLIES_MESSAGE)]
    warnings = warnings if outdated else []
    matched, matched_by = None, None
    if chosen is not None:
        matched, matched_by = subjects[chosen], "decision"
    elif len(exact) == 1 and not person:
        matched, matched_by = subjects.get(exact[0].subject_id), "exact"
    if matched is not None:
        answer = answer_for(matched, scenario_id, department.pk, today)
        answer["subject"]["matched_by"] = matched_by
        answer["subject"]["candidate"] = matched.pk
    else:
        answer = {"subject": None, "entries": [], "measures": [],
                  "result": "undetermined" if shown else "clear"}  # fmt: skip
        if person:  # persons are not searched by name
            answer["result"] = "undetermined"
            warnings.append(_warning(NAME_MAY_BE_A_PERSON, NAME_MAY_BE_A_PERSON_MESSAGE))
    if warnings:
        answer["warning"] = warnings[0]
    if len(warnings) > 1:
        answer["warnings"] = warnings
    answer["candidates"] = [_candidate_json(c, subjects[c.subject_id]) for c in shown]
    return answer, matched
