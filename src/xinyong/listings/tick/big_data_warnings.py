"""The big-data warning list, kept from key attention in key domains (R3, 003 §四).

A subject is on the warning list for each unbroken run of days on which it had key attention
in at least three different key domains. The job works the runs out from the entries' own
dates, whenever it runs, as expiry does (R4, R15): after missed days, a run that began and
ended meanwhile is recorded as a warning that started and ended on the days the entries give,
and a warning whose run ended is exited on the day it ended even when the subject qualifies
again by the day of the run; the new run is a new warning.

Key attention whose listing was found wrong counts toward no run (R6, 000 §十一.3:
``black_list_proposals.found_wrong``). A warning in force that only such entries put on the
list ends as corrected, on the day the finding took its first day out of every run, as key
monitoring ends with a black listing found wrong (``services.exits``). One that had already
ended for another reason is not put back in force: its exit stands, measures stopped then, and
its record is corrected after it, as an entry found wrong after its exit is (a ``correct``
step: ``selectors.corrected_after_exit``), so that nothing reads it as rightly made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import BooleanField, Case, Count, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from xinyong.core import clock
from xinyong.listings.models import (
    EntryState,
    ExitReason,
    ListDefinition,
    ListEntry,
    ListEntryEvent,
    ListKind,
)
from xinyong.listings.tick.black_list_proposals import found_wrong
from xinyong.listings.tick.bulk import SYSTEM, create_entries, log_events
from xinyong.listings.workflow import FINAL_STATES, Action

WARNING_DOMAINS = 3  # key attention in this many different key domains (003 §四)
ONGOING = dt.date.max  # the end of a span or a run that has not ended
FACTS = "在3个以上重点领域被列入重点关注名单"

Span = tuple[int, dt.date, dt.date]  # (domain, first day, day it ended or ONGOING)
Run = tuple[dt.date, dt.date]  # (first day, day it ended or ONGOING)


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """Key attention whose listing was found wrong: its span, the day of the finding, and the
    entry (R6)."""

    span: Span
    found_on: dt.date
    entry_id: int


def _key_attention(*conditions: Q) -> QuerySet[ListEntry]:
    """Key-attention entries in key domains that took effect (R3), found wrong or not."""
    return ListEntry.objects.filter(
        *conditions, state__in=[EntryState.EFFECTIVE, EntryState.EXITED],
        list__kind=ListKind.KEY_ATTENTION, list__domain__is_key_domain=True,
        effective_on__isnull=False,
    )  # fmt: skip


def _found_on() -> Coalesce:
    """The day an entry ``found_wrong`` selects was found wrong: that of its ``correct`` step
    if it has one (found after an exit of another kind), else the day it exited (as
    corrected)."""
    correct_step = ListEntryEvent.objects.filter(entry=OuterRef("pk"), action=Action.CORRECT)
    return Coalesce(Subquery(correct_step.order_by("pk").values("business_date")[:1]), "exited_on")


@dataclasses.dataclass(frozen=True, slots=True)
class FoundWrongNow:
    """A key-attention listing being found wrong in the transaction that derives the warnings
    (``derive_warnings_of``), before its own row and history say so: the entry, and the day,
    which is also the day it ends if it was still in force (R4, R6)."""

    entry_id: int
    on: dt.date


def _end_of(exited_on: dt.date | None, valid_until: dt.date | None, day: dt.date) -> dt.date:
    """The day key attention ended: its exit, or for one still effective whose validity ended
    before ``day`` (the daily job has not yet expired it) the day after its last day, as expiry
    dates it (R4); else ``ONGOING``."""
    if exited_on is not None:
        return exited_on
    if valid_until is not None and valid_until < day:
        return valid_until + dt.timedelta(days=1)
    return ONGOING


def _key_attention_spans(
    subjects: Q, day: dt.date, now: FoundWrongNow | None = None
) -> tuple[dict[int, list[Span]], dict[int, list[Finding]]]:
    """The spans of key attention of these subjects up to ``day``, by subject, and apart those
    of listings found wrong, with the day of the finding (``now``: one found wrong in this
    very transaction): one query."""
    spans: dict[int, list[Span]] = {}
    findings: dict[int, list[Finding]] = {}
    rows = _key_attention(subjects).annotate(
        wrong=Case(When(found_wrong(), then=True), default=False, output_field=BooleanField()),
        found_on=_found_on(),
    ).values_list(
        "subject_id", "list__domain_id", "effective_on", "exited_on", "state", "wrong",
        "found_on", "pk", "valid_until",
    )  # fmt: skip
    for subject_id, domain_id, start, exited_on, state, wrong, found_on, pk, until in rows:
        if now is not None and pk == now.entry_id and not wrong:
            wrong, found_on, state, exited_on = True, now.on, EntryState.EXITED, exited_on or now.on
        if state == EntryState.EXITED and exited_on is None:
            continue  # ended on a day nobody recorded: no help in dating the warning
        span = (domain_id, start, _end_of(exited_on, until, day))
        if wrong:
            findings.setdefault(subject_id, []).append(Finding(span, found_on, pk))
        else:
            spans.setdefault(subject_id, []).append(span)
    return spans, findings


def _domains_on(spans: list[Span], on: dt.date) -> int:
    return len({domain for domain, start, end in spans if start <= on < end})


def qualifying_runs(spans: list[Span], day: dt.date) -> list[Run]:
    """The unbroken runs of days up to ``day`` on which the subject qualified, oldest first;
    a run still going on ``day`` ends ``ONGOING``.

    The number of domains changes only on the days spans start or end, so those days are the
    only ones to look at.
    """
    runs: list[Run] = []
    start: dt.date | None = None
    for point in sorted({point for _, s, e in spans for point in (s, e) if point <= day}):
        enough = _domains_on(spans, point) >= WARNING_DOMAINS
        if enough and start is None:
            start = point
        elif not enough and start is not None:
            runs.append((start, point))
            start = None
    if start is not None:
        runs.append((start, ONGOING))
    return runs


def _finding_undoing(
    spans: list[Span], findings: list[Finding], started: dt.date | None, day: dt.date
) -> Finding | None:
    """For a warning the spans do not account for: the finding that took its first day out of
    every run, when the subject qualified on that day with the listings found wrong (the
    earliest finding after which, with those found wrong since, it no longer did); else None,
    the warning owing nothing to them."""
    if started is None or started > day:
        return None
    if _domains_on(spans + [f.span for f in findings], started) < WARNING_DOMAINS:
        return None  # not even with them: it fell away (``_fell_away``)
    for finding in sorted(findings, key=lambda f: f.found_on):
        standing = spans + [f.span for f in findings if f.found_on > finding.found_on]
        if _domains_on(standing, started) < WARNING_DOMAINS:
            return finding
    return None


def _fell_away(spans: list[Span], started: dt.date | None, day: dt.date) -> dt.date:
    """For a warning the spans do not account for: the first day since it began on which
    fewer than three domains were in force, else ``day``."""
    ends = sorted(end for _, _, end in spans if end <= day and (started is None or end >= started))
    return next((end for end in ends if _domains_on(spans, end) < WARNING_DOMAINS), day)


@dataclasses.dataclass(frozen=True, slots=True)
class Warning:
    pk: int
    start: dt.date | None
    end: dt.date | None  # the day it ended; None while in force
    state: str
    found_wrong: bool = False  # ended as corrected, or corrected after its exit
    objected: bool = False  # an objection to it is being verified
    last_step: dt.date | None = None  # the business date of its latest history event


@dataclasses.dataclass
class Plan:
    """What a subject's warnings need: the one in force to exit on a day (as corrected when a
    finding undid it), runs to record, and ended ones to correct (each with the finding that
    undid it and the day of the correction)."""

    exit_on: dt.date | None = None
    undone_by: Finding | None = None
    runs: list[Run] = dataclasses.field(default_factory=list)
    corrections: list[tuple[int, Finding, dt.date]] = dataclasses.field(default_factory=list)


def _undone_after_exit(
    warnings: list[Warning], spans: list[Span], runs: list[Run], findings: list[Finding],
    day: dt.date,
) -> list[tuple[int, Finding, dt.date]]:  # fmt: skip
    """The ended warnings a finding undid, as it undoes one in force (``plan``), each with that
    finding and the day to correct it on (R6, 000 §十一.3).

    Its exit stands: it is not put back in force, and it still covers its days, so no warning
    is recorded over them. It is corrected on the day of the finding, or on the day of its
    latest step if that came later (its exit, when the finding came while it ran on; an
    unfounded objection), as its history runs in order. One already found wrong is left as it
    is; so is one whose objection is being verified, for the officer's finding to answer
    (``services.correct_after_exit``), and the job corrects it after an unfounded one.
    """
    corrections = []
    for ended in warnings:
        if ended.state != EntryState.EXITED or ended.end is None:
            continue
        if ended.found_wrong or ended.objected:
            continue
        if any(first <= (ended.start or dt.date.min) < end for first, end in runs):
            continue  # rightly made: its first day stands without the listings found wrong
        finding = _finding_undoing(spans, findings, ended.start, day)
        if finding is not None:
            on = max(finding.found_on, ended.end, ended.last_step or ended.end)
            corrections.append((ended.pk, finding, on))
    return corrections


def plan(
    warnings: list[Warning], spans: list[Span], day: dt.date, findings: list[Finding] | None = None
) -> Plan:
    """A subject's warnings against its qualifying runs up to ``day`` (R3).

    The warning in force ends with its run; one whose first day no run holds any more, since
    listings that put it there were found wrong (``findings``), ends as corrected on the day of
    the finding that undid it (R6); an ended one so undone is corrected after its exit
    (``_undone_after_exit``). A run no warning covers is recorded, except the run still going
    on while an officer's candidacy is the subject's one live entry (left to the officer); the
    ongoing run starts after the last warning that overlaps it ended.
    """
    runs, result = qualifying_runs(spans, day), Plan()
    result.corrections = _undone_after_exit(warnings, spans, runs, findings or [], day)
    covered = [(w.start or dt.date.min, w.end) for w in warnings if w.state == EntryState.EXITED
               and w.end is not None]  # fmt: skip
    current = next((w for w in warnings if w.state == EntryState.EFFECTIVE), None)
    candidacy = any(w.state not in FINAL_STATES for w in warnings) and current is None
    if current is not None:
        start = current.start or dt.date.min
        run = next((r for r in runs if r[0] <= start < r[1]), None)
        undone = None if run else _finding_undoing(spans, findings or [], current.start, day)
        if undone is not None:
            result.exit_on, result.undone_by = undone.found_on, undone
        elif run is not None and run[1] <= day:
            result.exit_on = run[1]
        elif run is None and not (runs and runs[-1][1] == ONGOING):
            result.exit_on = _fell_away(spans, current.start, day)
        covered.append((start, result.exit_on or ONGOING))
    for first, end in runs:
        overlapping = [c for c in covered if c[0] < end and first < c[1]]
        if end != ONGOING:
            if not overlapping:
                result.runs.append((first, end))
        elif not candidacy and not any(c[1] == ONGOING for c in overlapping):
            result.runs.append((max([first, *(c[1] for c in overlapping)]), ONGOING))
    return result


def _subjects_to_look_at(warning_list: ListDefinition) -> Q:
    """Subjects that ever had key attention in three key domains, those warned now, and those
    with an ended warning not found wrong and key attention found wrong, which may have undone
    it, as a condition on ``subject_id`` (subqueries: no list of ids, however many there are)."""
    ever = (
        _key_attention()
        .exclude(found_wrong())
        .values("subject_id")
        .annotate(domains=Count("list__domain", distinct=True))
        .filter(domains__gte=WARNING_DOMAINS)
        .values("subject_id")
    )
    warned = ListEntry.objects.filter(list=warning_list, state=EntryState.EFFECTIVE)
    ended = ListEntry.objects.filter(
        list=warning_list, state=EntryState.EXITED,
        subject_id__in=_key_attention(found_wrong()).values("subject_id"),
    ).exclude(found_wrong())  # fmt: skip
    return (
        Q(subject_id__in=ever)
        | Q(subject_id__in=warned.values("subject_id"))
        | Q(subject_id__in=ended.values("subject_id"))
    )


def _warnings_of(warning_list: ListDefinition, subjects: Q) -> dict[int, list[Warning]]:
    found: dict[int, list[Warning]] = {}
    steps = ListEntryEvent.objects.filter(entry=OuterRef("pk")).order_by("-business_date")
    rows = (
        ListEntry.objects.filter(subjects, list=warning_list)
        .annotate(
            wrong=Case(When(found_wrong(), then=True), default=False, output_field=BooleanField()),
            last_step=Subquery(steps.values("business_date")[:1]),
        )
        .values_list(
            "subject_id", "pk", "effective_on", "exited_on", "state", "wrong",
            "verification_due_on", "last_step",
        )
    )  # fmt: skip
    for subject_id, pk, start, end, state, wrong, due, last_step in rows:
        warning = Warning(pk, start, end, state, wrong, due is not None, last_step)
        found.setdefault(subject_id, []).append(warning)
    return found


def _exit(ids_by_day: dict[dt.date, list[int]]) -> None:
    for exit_day, ids in ids_by_day.items():
        log_events(Q(pk__in=ids), action="exit", from_state=EntryState.EFFECTIVE,
                   to_state=EntryState.EXITED, day=exit_day)  # fmt: skip
        ListEntry.objects.filter(pk__in=ids).update(
            state=EntryState.EXITED, exit_reason=ExitReason.CONDITION_NO_LONGER_MET,
            exited_on=exit_day, version=F("version") + 1,
        )  # fmt: skip


def _why(findings: list[Finding]) -> dict[int, str]:
    """What a warning's end or correction says of each finding that undid it."""
    lists = ListEntry.objects.filter(pk__in=[f.entry_id for f in findings])
    return {
        pk: f"所依据的{name}列入经核实有误" for pk, name in lists.values_list("pk", "list__name")
    }


def _end_as_corrected(undone: dict[int, Finding]) -> None:
    """Warnings undone by a finding end as corrected, each as the platform ends any entry
    (``end_entry``: history, audit row, change feed), as key monitoring ends with a black
    listing found wrong (R6, 000 §十一.3). Dated the day of the finding, whenever the job runs,
    as the job dates every end by the entries (R4, R15): a department that stopped the
    warning's measures on the day of the finding stopped them on time."""
    from xinyong.listings.services.exits import end_entry  # services import the job's modules

    why = _why(list(undone.values()))
    for warning_id, finding in sorted(undone.items()):
        with clock.frozen(finding.found_on):
            end_entry(
                warning_id, actor=SYSTEM, reason=ExitReason.CORRECTED, system=True,
                note=why[finding.entry_id],
            )  # fmt: skip


def _correct_after_exit(corrections: list[tuple[int, Finding, dt.date]]) -> None:
    """Ended warnings undone by a finding are corrected after their exit (R6, 000 §十一.3):
    a ``correct`` step through the workflow (history naming the listing found wrong, audit
    row), with the correction and apology to the subject that a warning ended as corrected
    gets (``end_entry``). The exit stands with its reason and day, and the change feed tells
    nothing new: the measures stopped then, and nothing a department applies changes (R4,
    R11)."""
    # Imported here, as ``_end_as_corrected`` imports ``end_entry``.
    from xinyong.listings import documents
    from xinyong.listings.services.transitions import transition

    why = _why([finding for _, finding, _ in corrections])
    for warning_id, finding, on in sorted(corrections, key=lambda c: c[0]):
        reason = why[finding.entry_id]

        def letter(entry: ListEntry, today: dt.date, reason: str = reason) -> dict[str, str]:
            return {"result_to_subject": documents.correction_letter(entry, reason)}

        with clock.frozen(on):
            transition(
                warning_id, Action.CORRECT, actor=SYSTEM, version=None, reason=reason,
                apply=letter, data={"found_wrong": finding.entry_id}, system=True,
            )  # fmt: skip


def rebuild_big_data_warnings(day: dt.date) -> tuple[int, int, int]:
    """Key attention in ≥ 3 different key domains puts a subject on the warning list for as
    long as it lasts (003 §四); answers the counts of warnings recorded, ended, and corrected
    after their exit.

    A warning ends (reason: condition no longer met, not found wrong) the day fewer than three
    domains are in force, and starts the day the subject came to qualify: the dates the
    entries give, not the day of the run (R4, R15). Listings found wrong count for nothing; a
    warning that rested on them ends as corrected, or, ended already, is corrected (R6).
    """
    warning_list = ListDefinition.objects.filter(kind=ListKind.BIG_DATA_WARNING).first()
    if warning_list is None:
        return 0, 0, 0
    return _derive(warning_list, _subjects_to_look_at(warning_list), day)


def derive_warnings_of(subject_id: int, now: FoundWrongNow) -> tuple[int, int, int]:
    """The subject's warnings derived again, in the transaction that finds one of its
    key-attention listings wrong (``now``), as the daily job derives them (R3, R6, 003 §四,
    000 §十一.3): a warning that rested on that listing ends as corrected that very day, or,
    ended already, is corrected after its exit, and a run the subject still qualifies for
    without it is recorded as a new warning, with the dates, history and audit the job would
    give them. The derived list is right from the finding on, not from the next run: a check
    that day answers without the warning (R4: measures stop at once; R10), and the job then
    finds nothing left to do. Answers the counts, as ``rebuild_big_data_warnings``.

    Run inside the finding's step (``services.exits``), which holds the daily job's lock
    shared and the listing's row. The subject's row is locked first, so that two findings on
    one subject take turns and the later reads the earlier as committed (as a red and a black
    signature do); then the warning list's row, shared, and the subject's warnings, in the
    order every step takes them (``transitions``), before anything is written.
    """
    from xinyong.listings.services.transitions import hold_list  # services import the job's
    from xinyong.subjects.models import Subject

    warning_list = ListDefinition.objects.filter(kind=ListKind.BIG_DATA_WARNING).first()
    if warning_list is None:
        return 0, 0, 0
    list(Subject.objects.select_for_update().filter(pk=subject_id).values_list("pk"))
    hold_list(warning_list.pk)
    held = ListEntry.objects.select_for_update().filter(list=warning_list, subject_id=subject_id)
    list(held.order_by("pk").values_list("pk", flat=True))
    return _derive(warning_list, Q(subject_id=subject_id), now.on, now)


def _derive(
    warning_list: ListDefinition, subjects: Q, day: dt.date, now: FoundWrongNow | None = None
) -> tuple[int, int, int]:
    """The warnings of these subjects against their runs up to ``day`` (``plan``), written."""
    spans, findings = _key_attention_spans(subjects, day, now)
    warnings = _warnings_of(warning_list, subjects)
    ending: dict[dt.date, list[int]] = {}
    undone: dict[int, Finding] = {}
    corrections: list[tuple[int, Finding, dt.date]] = []
    new: list[ListEntry] = []
    for subject_id in sorted(spans.keys() | warnings.keys()):
        found = warnings.get(subject_id, [])
        todo = plan(found, spans.get(subject_id, []), day, findings.get(subject_id, []))
        corrections += todo.corrections
        if todo.exit_on is not None:
            current = next(w for w in found if w.state == EntryState.EFFECTIVE)
            if todo.undone_by is not None:
                undone[current.pk] = todo.undone_by
            else:
                ending.setdefault(todo.exit_on, []).append(current.pk)
        for first, end in todo.runs:
            ended = end != ONGOING
            new.append(
                ListEntry(
                    list=warning_list, subject_id=subject_id, facts=FACTS,
                    basis=warning_list.legal_basis, proposed_on=first, effective_on=first,
                    state=EntryState.EXITED if ended else EntryState.EFFECTIVE,
                    exit_reason=ExitReason.CONDITION_NO_LONGER_MET if ended else "",
                    exited_on=end if ended else None,
                )
            )  # fmt: skip
    # The warning in force ends before a new one of the same subject starts (one live entry).
    _exit(ending)
    _end_as_corrected(undone)
    _correct_after_exit(corrections)
    create_entries(new, action="warn", day=day)
    ended = sum(map(len, ending.values())) + len(undone)
    return len(new), ended + sum(e.exited_on is not None for e in new), len(corrections)
