"""One chunk of an import committed: its records, its report rows, the job's checkpoint and
counters, in one transaction (R9, R13, R14, 001 §14).

Records are inserted with ``ON CONFLICT DO NOTHING`` on their identity and report rows likewise,
so a chunk committed again after a kill adds nothing twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from xinyong.catalog.bulk import ChunkWriter
from xinyong.catalog.importers.outcomes import Problem, RowResult, problem
from xinyong.catalog.importers.subject_checks import NATURAL_PERSON, SUBJECT_KINDS
from xinyong.catalog.importers.validation import RowChecker
from xinyong.catalog.models import CreditRecord, ImportJob, ReportRow
from xinyong.catalog.selectors import sent_again
from xinyong.core.protection import mask_citizen_ids_in

# Positions in an accepted row (validation.STAGE_COLUMNS).
_STATUS, _DOCUMENT, _LATE = 5, 6, 15

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


def commit_chunk(
    job: ImportJob, writer: ChunkWriter, checker: RowChecker, chunk: list[RowResult]
) -> None:
    """One chunk: its records, its report rows, the checkpoint and counters, all or nothing."""
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
        outcome = writer.write(records)
        by_number = {result.number: result for result in chunk} if outcome.duplicates else {}
        for number, first in outcome.duplicates.items():
            result = by_number[number]
            result = result._replace(values=checker.report_values(result.cells))
            duplicate = [problem("duplicate-in-file", row=first)]
            report[number] = _report_row(
                job, checker, result, ReportRow.Outcome.QUARANTINED, duplicate
            )
            reasons["duplicate-in-file"] += 1
        ReportRow.objects.bulk_create(report.values(), ignore_conflicts=True)
        not_new = set(outcome.duplicates) | set(outcome.already_recorded)
        job.rows_done += len(chunk)
        job.accepted += len(records) - len(outcome.duplicates)
        job.inserted += outcome.inserted
        job.already_recorded += len(outcome.already_recorded)
        job.quarantined += quarantined + len(outcome.duplicates)
        merged = Counter(job.quarantined_by_reason)
        merged.update(reasons)
        job.quarantined_by_reason = dict(sorted(merged.items()))
        job.subjects_created += outcome.subjects_created
        job.identifiers_for_review += sum(
            1 for r in records if r[_STATUS] == "review" and r[0] not in outcome.duplicates
        )
        job.late += _new_and_late(job, records, not_new)
        job.save(update_fields=list(job_counters(job)))
