"""One chunk of an import committed: its records, its report rows, the job's checkpoint and
counters, in one transaction (R9, R13, R14, 001 §14).

Records are inserted with ``ON CONFLICT DO NOTHING`` on their identity and report rows likewise,
so a chunk committed again after a kill adds nothing twice.

A record is public from the day its chunk commits, the business day then (``clock.today()``),
and is late by the working days from its due day to that day (R9): not the job's business
date, which a job killed and resumed days later, or running past midnight, has left behind. The
rows were checked on the day the run started; a chunk committed on another day is stamped
again with its own, its lateness counted then.

A record's due day to be public and the working days it came late rest on the holiday calendar
(R9, R15), which the rows were checked on before the first chunk. A change of the calendar
counts again the records committed before it, and their jobs' late counts
(``catalog.receivers``), holding the daily job's lock (``listings.daily_job_lock``). So each
chunk takes that lock shared, first, and then reads the calendar in force: a change under way
is waited for, and one made since the rows were checked is what the chunk counts on, its job's
late count read again as the change left it. The calendar is read once per chunk, by its
fingerprint (``calendars.selectors``); the rows are counted again only after a change.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinyong.calendars.selectors import work_calendar
from xinyong.catalog import listing_records
from xinyong.catalog.bulk import ChunkOutcome, ChunkWriter
from xinyong.catalog.importers.outcomes import Problem, RowResult, problem
from xinyong.catalog.importers.reasons import (
    CORRECTED_ON_THE_PLATFORM,
    DIFFERS_FROM_ANOTHER_DEPARTMENT,
    NOT_STATED,
    REVOKED_BY_ANOTHER_DEPARTMENT,
    STATED_END_DIFFERS,
    STATED_END_DIFFERS_FROM_ANOTHER_DEPARTMENT,
    STATED_END_PART,
)
from xinyong.catalog.importers.subject_checks import NATURAL_PERSON, SUBJECT_KINDS
from xinyong.catalog.importers.validation import STAGE_COLUMNS, RowChecker
from xinyong.catalog.models import CreditRecord, ImportJob, ReportRow
from xinyong.catalog.publication import Publication
from xinyong.catalog.selectors import corrected_on_the_platform, sent_again
from xinyong.core import clock
from xinyong.core.protection import mask_citizen_ids_in
from xinyong.listings import daily_job_lock

# Positions in an accepted row (validation.STAGE_COLUMNS).
_STATUS, _DOCUMENT, _LATE = 5, 6, 15
_DECIDED, _DUE = STAGE_COLUMNS.index("decision_date"), STAGE_COLUMNS.index("publication_due_on")
_PUBLISHED, _ENDS = STAGE_COLUMNS.index("published_on"), STAGE_COLUMNS.index("publication_ends_on")
assert (_DUE, _PUBLISHED, _LATE) == (13, 14, 15)  # side by side: restamped together

COUNTERS = (
    "rows_done", "accepted", "inserted", "already_recorded", "quarantined",
    "quarantined_by_reason", "subjects_created", "identifiers_for_review", "late",
)  # fmt: skip


def job_counters(job: ImportJob) -> dict[str, Any]:
    return {name: getattr(job, name) for name in COUNTERS}


def _names_natural_person(checker: RowChecker, cells: list[str]) -> bool:
    """Whether a reported row's subject is a natural person: its kind says so or, in the older
    edition that has no kind column, it gives an ID number and no organisation's code (R14).
    Read from the cells as they came, however flawed the row."""
    columns = checker.map.columns

    def text(key: str) -> str:
        indexes = columns.get(key) or ()
        return str(cells[indexes[0]]).strip() if indexes and indexes[0] < len(cells) else ""

    if "subject_kind" in columns:
        return SUBJECT_KINDS.get(text("subject_kind")) == NATURAL_PERSON
    return bool(text("person_id")) and not text("uscc")


def _report_row(
    job: ImportJob,
    checker: RowChecker,
    result: RowResult,
    outcome: str,
    problems: Iterable[Problem],
) -> ReportRow:
    return ReportRow(
        job=job, row_number=result.number, outcome=outcome,
        reasons=[mask_citizen_ids_in(p._asdict()) for p in problems],
        values=list(result.values or ()),
        names_natural_person=_names_natural_person(checker, result.cells),
    )  # fmt: skip


def _new_and_late(job: ImportJob, records: list[tuple[Any, ...]], not_new: set[int]) -> int:
    """The chunk's records that went in published late (R9), less a decision sent again in
    place of a revoked one: the job that first published it counted it, late or not
    (``selectors.sent_again``). Counted among the records just inserted, found through their
    identity's index (the department, the late rows' document numbers), only when a row came
    late at all."""
    late = [r for r in records if r[_LATE] and r[0] not in not_new]
    if not late:
        return 0
    revoked = CreditRecord.objects.filter(
        revoked_on__isnull=False, department_id=job.department_id
    )  # read through the partial index of revoked records: a handful, or none at all
    if (
        not revoked.exists()
        or not revoked.filter(document_number__in={r[_DOCUMENT] for r in late}).exists()
    ):
        return len(late)  # nothing of these was revoked: none is sent again (the usual chunk)
    rows = [r[0] for r in late]
    inserted = CreditRecord.objects.filter(
        revoked_on__isnull=True,
        department_id=job.department_id,
        document_number__in={r[_DOCUMENT] for r in late},
        import_job_id=job.pk,
        import_row__range=(min(rows), max(rows)),  # a chunk's rows: nothing else of the job's
        workdays_late__gt=0,
    )
    return inserted.filter(~sent_again()).count()


def on_the_day_and_calendar_in_force(
    job: ImportJob, checker: RowChecker, records: list[tuple[Any, ...]], today: dt.date
) -> list[tuple[Any, ...]]:
    """The records as collected on ``today``, the day the chunk commits, with their due days
    and working days late counted on the calendar in force (R9, R15); read under the daily
    job's lock. As they came while that is the day and the calendar the rows were checked on.
    Otherwise counted again here (wherever the rows were checked: in a forked child, or ahead
    in a thread): public from ``today`` unless their window is over by then, late by the
    working days to it. After a change of the calendar, the job's late count is read again,
    which the change counted again from the chunks committed before it (its count in memory
    would undo that)."""
    calendar = work_calendar()
    checked = checker.context.calendar
    same_calendar = calendar is checked or calendar == checked
    if same_calendar and today == checker.context.today:
        return records
    if not same_calendar:
        job.late = ImportJob.objects.values_list("late", flat=True).get(pk=job.pk)
    publication = Publication(calendar, today)
    recounted = []
    for record in records:
        due, published, late = record[_DUE], record[_PUBLISHED], record[_LATE]
        if due is not None:
            due, late = publication.due(dt.date.fromisoformat(record[_DECIDED]))
        ends = record[_ENDS]
        if published is not None or ends is not None:  # due to be public: shown, or over
            published = publication.published_on(ends and dt.date.fromisoformat(ends))
        recounted.append((*record[:_DUE], due, published, late, *record[_LATE + 1 :]))
    return recounted


def _refused_after_writing(
    job: ImportJob,
    checker: RowChecker,
    chunk: list[RowResult],
    outcome: ChunkOutcome,
    report: dict[int, ReportRow],
) -> Counter[str]:
    """The rows the writer found could not go in, reported as quarantined: a repeat of an
    earlier row of the file (``duplicate-in-file``), a decision that says otherwise than the
    one already recorded under its document number for its subject
    (``recorded-decision-differs``: nothing is overwritten, R8; ``_differs_from``; or than the
    same decision another department recorded, ``differs_elsewhere``), or one
    its export says was revoked or is invalid, recorded live
    (``recorded-decision-stated-revoked``: the record is revoked on the platform's objection
    procedure, R6) or not at all (``decision-stated-revoked``: no effective decision, 001 §2).
    Their counts by reason."""
    refused: Counter[str] = Counter()
    if not (
        outcome.duplicates or outcome.differs or outcome.stated_revoked
        or outcome.differs_elsewhere
    ):  # fmt: skip
        return refused
    by_number = {result.number: result for result in chunk}
    found = [(n, problem("duplicate-in-file", row=f)) for n, f in outcome.duplicates.items()]
    found += _differs_from(outcome.differs, outcome.stated_ends)
    found += _differs_elsewhere(outcome.differs_elsewhere, outcome.stated_ends_elsewhere)
    for number, live in outcome.stated_revoked.items():
        if live is None:
            found.append((number, problem("decision-stated-revoked")))
        else:  # the record's identity is the row's: the row's document number names it
            staged = by_number[number].record
            assert staged is not None  # the writer's rows are accepted ones
            found.append(
                (number, problem("recorded-decision-stated-revoked", number=staged[_DOCUMENT]))
            )
    for number, reason in found:
        result = by_number[number]
        result = result._replace(values=checker.report_values(result.cells))
        report[number] = _report_row(job, checker, result, ReportRow.Outcome.QUARANTINED, [reason])
        refused[reason.code] += 1
    return refused


def _differs_from(
    differs: dict[int, int],
    stated_ends: dict[int, list[tuple[str, dt.date | None, dt.date | None]]],
) -> list[tuple[int, Problem]]:
    """``recorded-decision-differs`` for each row → the live record it differs from; naming
    the record, and the day the platform corrected it, where it was recorded in place of a
    decision revoked on a founded objection (R6: the department's own data may still say what
    the wrong one said); else naming the end of publication it states otherwise
    (``stated_ends``: its window is worked out from it, R8, R9). One query, for the chunk's
    differing rows only."""
    corrected = corrected_on_the_platform(differs.values()) if differs else {}
    found: list[tuple[int, Problem]] = []
    for row, record_id in differs.items():
        if record_id in corrected:
            number, day = corrected[record_id]
            message = CORRECTED_ON_THE_PLATFORM.format(number=number, day=f"{day:%Y-%m-%d}")
            found.append((row, Problem("recorded-decision-differs", "", message)))
        elif row in stated_ends:
            message = STATED_END_DIFFERS.format(ends=_ends(stated_ends[row]))
            found.append((row, Problem("recorded-decision-differs", "", message)))
        else:
            found.append((row, problem("recorded-decision-differs")))
    return found


def _differs_elsewhere(
    differs: dict[int, str],
    stated_ends: dict[int, list[tuple[str, dt.date | None, dt.date | None]]],
) -> list[tuple[int, Problem]]:
    """``recorded-decision-differs`` for each row → the department whose record of the same
    decision it differs from, naming it; and the ends of publication the row states otherwise
    where that is the difference (``stated_ends``, R8, R9)."""
    found: list[tuple[int, Problem]] = []
    for row, department in differs.items():
        if row in stated_ends:
            message = STATED_END_DIFFERS_FROM_ANOTHER_DEPARTMENT.format(
                department=department, ends=_ends(stated_ends[row])
            )
        else:
            message = DIFFERS_FROM_ANOTHER_DEPARTMENT.format(department=department)
        found.append((row, Problem("recorded-decision-differs", "", message)))
    return found


def _ends(changed: list[tuple[str, dt.date | None, dt.date | None]]) -> str:
    return "；".join(
        STATED_END_PART.format(label=label, sent=_day(sent), recorded=_day(recorded))
        for label, recorded, sent in changed
    )


def _day(day: dt.date | None) -> str:
    return NOT_STATED if day is None else f"{day:%Y-%m-%d}"


def _told_recorded_elsewhere(
    job: ImportJob,
    checker: RowChecker,
    chunk: list[RowResult],
    outcome: ChunkOutcome,
    report: dict[int, ReportRow],
) -> None:
    """The rows whose decision another department recorded (``recorded-by-another-department``,
    naming it): accepted and counted as already recorded, not quarantined. The decision is on
    the platform, stored and published once (R9, issue 5 §3), and the row holds nothing to
    correct: sent again, it would be told the same. A decision the platform revoked on a founded
    objection is told so (``REVOKED_BY_ANOTHER_DEPARTMENT``): it stays revoked, as when its own
    department sends it again (R6). A note the row had (a code for review) stays beside it."""
    told_of = {
        number: problem("recorded-by-another-department", department=department)
        for number, department in outcome.by_another.items()
    }
    for number, (department, day) in outcome.revoked_elsewhere.items():
        message = REVOKED_BY_ANOTHER_DEPARTMENT.format(department=department, day=f"{day:%Y-%m-%d}")
        told_of[number] = Problem("recorded-by-another-department", "", message)
    if not told_of:
        return
    by_number = {result.number: result for result in chunk}
    for number, reason in sorted(told_of.items()):
        result = by_number[number]
        result = result._replace(values=checker.report_values(result.cells))
        told = [*result.problems, reason]
        report[number] = _report_row(job, checker, result, ReportRow.Outcome.BY_ANOTHER, told)


def commit_chunk(
    job: ImportJob, writer: ChunkWriter, checker: RowChecker, chunk: list[RowResult]
) -> None:
    """One chunk: its records, its report rows, the checkpoint and counters, all or nothing;
    collected on the day it commits, counted on the calendar in force (see the module)."""
    records = [result.record for result in chunk if result.record is not None]
    report: dict[int, ReportRow] = {}
    reasons: Counter[str] = Counter()
    quarantined = 0
    for result in chunk:
        if not result.problems:
            continue
        if result.record is None:
            quarantined += 1
            reasons.update({p.code for p in result.problems})
            report[result.number] = _report_row(
                job, checker, result, ReportRow.Outcome.QUARANTINED, result.problems
            )
        else:
            report[result.number] = _report_row(
                job, checker, result, ReportRow.Outcome.REVIEW, result.problems
            )
    with transaction.atomic():
        daily_job_lock.wait_for_the_daily_job()  # first, before any row (see the module)
        today = clock.today()
        records = on_the_day_and_calendar_in_force(job, checker, records, today)
        outcome = writer.write(records, today=today)
        listing_records.stop_arrivals(job, records)  # an ended listing's decision (R4, R8)
        refused = _refused_after_writing(job, checker, chunk, outcome, report)
        reasons.update(refused)
        _told_recorded_elsewhere(job, checker, chunk, outcome, report)
        ReportRow.objects.bulk_create(report.values(), ignore_conflicts=True)
        not_inserted = (  # quarantined here
            outcome.duplicates.keys()
            | outcome.differs.keys()
            | outcome.stated_revoked.keys()
            | outcome.differs_elsewhere.keys()
        )
        recorded = (
            set(outcome.already_recorded)
            | outcome.by_another.keys()
            | outcome.revoked_elsewhere.keys()
        )
        not_new = not_inserted | recorded
        job.rows_done += len(chunk)
        job.accepted += len(records) - refused.total()
        job.inserted += outcome.inserted
        job.already_recorded += len(recorded)
        job.quarantined += quarantined + refused.total()
        merged = Counter(job.quarantined_by_reason)
        merged.update(reasons)
        job.quarantined_by_reason = dict(sorted(merged.items()))
        job.subjects_created += outcome.subjects_created
        job.identifiers_for_review += sum(
            1 for r in records if r[_STATUS] == "review" and r[0] not in not_inserted
        )
        job.late += _new_and_late(job, records, not_new)
        job.last_collected_on = today
        job.progress_at = timezone.now()  # a sign of life for the daily job (``abandoned``)
        job.save(update_fields=[*job_counters(job), "last_collected_on", "progress_at"])
