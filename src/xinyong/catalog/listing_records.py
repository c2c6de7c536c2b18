"""The credit record a list entry's decision rests on stops with the entry (R4, 000 §十.3).

A recognizing department's listing decision is also information on the subject's record: the
serious-dishonesty information a black list puts there (严重失信主体名单信息), or a red list's
honour. It is the record that the department collected under the same decision document, about
the same subject: the record's identity (department, document number, subject) is the entry's
(recognizing department, decision document number, subject). When the entry ends, for whatever
reason, that record is no longer public and no longer shared, from the exit day (001 §12; 000
§十.3: measures stop at once; nothing is deleted). A record already stopped keeps its own day.
An exit that is itself undone (a red entry reinstated, R6) undoes its stop (``resume_records``).

A record that arrives after its entry ended arrives stopped from the exit day, as it would have
been had it been recorded before the exit (``stop_arrivals``, in the import's chunk).

The same decision may be on the platform twice: another department (a provincial centre) sent
it before the recognizing department did, and the department's own record was stored for its
entry (ADR 6). That copy — a live record of another department with the same document number,
subject, decision date and catalog item, whose issuing body is the record's
(``core.issuing_bodies``) — stops and resumes with the entry's record (``_copies``), so that a
listing found wrong is no longer public or shared under any department (R4, 000 §十.3, §十一.3).
Where the recognizing department holds no live record of the decision (it never sent one; a
provincial centre forwarded its black-list decision), the other department's copy is the
decision's only record, and it is told from the entry instead: a live record of another
department with the entry's document number and subject, whose issuing body is the
recognizing department (by its code where both give a valid one, else by its folded name),
dated the day the entry took effect (the day its decision was signed; an entry without one,
loaded from elsewhere, by the number alone), under the list's catalog item where the list
names one. It stops on the exit, arrives stopped after it, is caught by the daily job and
resumes on reinstatement as the department's own record would. Another subject, number, body,
date or item is another decision, and is not touched. A department that sends its own record
later is followed by it from then on: its date and item decide, as above.

On PostgreSQL an import's chunk and an exit committing at the same moment can miss each other:
the exit's stop does not see the chunk's records, not committed yet, and the chunk's look-up
does not see the exit, not committed yet. Locking the entries in the chunk would close that
gap only by a lock order shared with every step that ends or restores entries (a correction
of a black listing takes the black entry, the subject, then the red entries it restores), and
a chunk naming both would deadlock with it. The daily job closes the gap instead
(``stop_missed``): a record of an ended entry's decision still public or shared stops on the
day the job finds it. The reverse gap, a chunk storing a red entry's decision stopped from
the exit day while the correction reinstating the entry commits, is closed by the same job
too: the record is public and shared again (``catalog.reinstated``, where what makes it safe
is set out).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.db import connection

from xinyong.catalog.importers.formats import BODY_CODE_CONTENT
from xinyong.catalog.importers.validation import STAGE_COLUMNS
from xinyong.catalog.models import CreditRecord, ImportJob
from xinyong.catalog.same_decision import body_code_sql, first_code
from xinyong.core.issuing_bodies import same_issuing_body


class Decision(NamedTuple):
    """An ended entry's decision, by the identity of the record resting on it, and its exit."""

    department_id: int
    document_number: str
    subject_id: int
    exited_on: dt.date


# Decisions per statement: four parameters each, under SQLite's limit of 32,766.
CHUNK = 2000


def stop_records(decisions: Iterable[Decision]) -> int:
    """Stop publishing (终止公示) and sharing (停止共享) the records the decisions rest on, from
    each exit day. One statement per column and chunk, joining the decisions to the records
    through the records' identity index, so the cost follows the entries that ended, not the
    size of the records table. Answers the changes made, a record's publication and its
    sharing counted apart."""
    return _stop(decisions)


def _stop(decisions: Iterable[Decision], *, job_id: int | None = None) -> int:
    """``stop_records``; with ``job_id``, only the records that job collected, and a stop of
    theirs dated after the exit (their window ended between the exit and their collection) is
    brought back to the exit day."""
    rows = [d for d in decisions if d.document_number]
    table = CreditRecord._meta.db_table
    changed = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            params = [value for row in chunk for value in row]
            for column, only_shown in (
                ("publication_ended_on", True), ("sharing_stopped_on", False)
            ):  # fmt: skip
                # Not stopped yet; only one shown has a publication to end.
                which, extra = f"{table}.{column} IS NULL", []
                if job_id is not None:  # the job's own, stopped after the exit or not at all
                    which = f"({which} OR {table}.{column} > d.column4)"
                    which += f" AND {table}.import_job_id = %s"
                    extra = [job_id]
                if only_shown:
                    which += f" AND {table}.published_on IS NOT NULL"
                # VALUES columns are column1… in both PostgreSQL and SQLite.
                cursor.execute(
                    f"UPDATE {table} SET {column} = d.column4 FROM (VALUES {values}) AS d"
                    f" WHERE {table}.department_id = d.column1"
                    f" AND {table}.document_number = d.column2"
                    f" AND {table}.subject_id = d.column3 AND {which}"
                    # The identity's index holds the records not revoked (a revoked one has
                    # stopped already).
                    f" AND {table}.revoked_on IS NULL",
                    [*params, *extra],
                )
                changed += cursor.rowcount
            # VALUES columns are column1… in both PostgreSQL and SQLite.
            named = (
                "SELECT column1 AS department_id, column2 AS document_number,"
                f" column3 AS subject_id, column4 AS stop_day FROM (VALUES {values}) AS v"
            )
            changed += sum(_stop_copies(cursor, _copies(cursor, named, params)))
    return changed


def _copies(
    cursor: Any, decisions: str, params: Sequence[Any], *, job_id: int | None = None
) -> dict[int, dt.date]:
    """Other departments' live copies of the decisions' records (see the module): copy id → the
    day it stops, the decision's. ``decisions`` is a query answering department_id,
    document_number, subject_id and stop_day; with ``job_id``, only the copies that import job
    collected. Two statements: the copies of the department's own record (its decision date
    and catalog item), through the records' identity index, then their (subject, decision
    date) index; and, where the department holds no live record of the decision, the copies
    of the entry's decision (``_held_only_elsewhere``). The issuing bodies are compared here,
    for the few found: the folding of names is no SQL."""
    table = CreditRecord._meta.db_table
    postgres = connection.vendor == "postgresql"
    codes = body_code_sql("r", postgres=postgres) + body_code_sql("c", postgres=postgres)
    of_job, extra = (" AND c.import_job_id = %s", [job_id]) if job_id is not None else ("", [])
    cursor.execute(
        f"SELECT c.id, d.stop_day, r.issuing_body, c.issuing_body, {', '.join(codes)}"
        f" FROM ({decisions}) AS d JOIN {table} r ON r.department_id = d.department_id"
        f" AND r.document_number = d.document_number AND r.subject_id = d.subject_id"
        f" AND r.revoked_on IS NULL"
        f" JOIN {table} c ON c.subject_id = r.subject_id AND c.decision_date = r.decision_date"
        f" AND c.document_number = r.document_number AND c.catalog_item_id = r.catalog_item_id"
        f" AND c.department_id <> r.department_id AND c.revoked_on IS NULL{of_job}",
        [*params, *extra],
    )
    rows = cursor.fetchall()
    cursor.execute(_held_only_elsewhere(decisions, postgres=postgres) + of_job, [*params, *extra])
    rows += cursor.fetchall()
    found: dict[int, dt.date] = {}
    half = len(BODY_CODE_CONTENT)
    for copy_id, day, body, copy_body, *body_codes in rows:
        code, copy_code = first_code(body_codes[:half]), first_code(body_codes[half:])
        if same_issuing_body(body, code, copy_body, copy_code):
            day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
            found[copy_id] = min(day, found.get(copy_id, day))
    return found


def _held_only_elsewhere(decisions: str, *, postgres: bool) -> str:
    """The query of the copies of decisions whose department holds no live record of its own
    (see the module), answering the columns ``_copies`` reads: the copy's id, the stop day,
    the department's name and code as the issuing body's (the code in the first of the body
    code columns), the copy's body and its body codes. The entry's decision date is the day
    it took effect, the day its decision was signed (``services.sign_decision``); its catalog
    item is its list's, where the list names one. Through the entries' (subject, state) index
    and the records' (subject, decision date) index."""
    from xinyong.listings.models import ListDefinition, ListEntry
    from xinyong.subjects.models import Department

    table = CreditRecord._meta.db_table
    none = ["NULL"] * (len(BODY_CODE_CONTENT) - 1)
    codes = ["dep.code", *none, *body_code_sql("c", postgres=postgres)]
    return (
        f"SELECT c.id, d.stop_day, dep.name, c.issuing_body, {', '.join(codes)}"
        f" FROM ({decisions}) AS d"
        f" JOIN {Department._meta.db_table} dep ON dep.id = d.department_id"
        f" JOIN {ListDefinition._meta.db_table} l"
        f" ON l.recognizing_department_id = d.department_id"
        f" JOIN {ListEntry._meta.db_table} e ON e.list_id = l.id"
        f" AND e.subject_id = d.subject_id AND e.decision_number_key = d.document_number"
        f" JOIN {table} c ON c.subject_id = d.subject_id"
        f" AND c.document_number = d.document_number AND c.department_id <> d.department_id"
        f" AND (e.effective_on IS NULL OR c.decision_date = e.effective_on)"
        f" AND (l.catalog_item_id IS NULL OR c.catalog_item_id = l.catalog_item_id)"
        f" AND c.revoked_on IS NULL"
        f" WHERE NOT EXISTS (SELECT 1 FROM {table} r WHERE r.department_id = d.department_id"
        f" AND r.document_number = d.document_number AND r.subject_id = d.subject_id"
        f" AND r.revoked_on IS NULL)"
    )


def _stop_copies(
    cursor: Any, copies: dict[int, dt.date], *, arrived: bool = False
) -> tuple[int, int]:
    """Stop the copies (id → day) not stopped yet, as ``_stop`` stops the decisions' records:
    one statement per column and chunk; ``arrived``: copies an import has just collected,
    whose stop dated after the exit (their window ended before they came) is brought back to
    the exit day, as ``_stop`` does for a job's own. Answers the two counts, publication ended
    and sharing stopped."""
    table = CreditRecord._meta.db_table
    ordered = sorted(copies.items())
    changed = [0, 0]
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        values = ", ".join(["(%s, %s)"] * len(chunk))
        params = [value for row in chunk for value in row]
        for at, column in enumerate(("publication_ended_on", "sharing_stopped_on")):
            shown = f" AND {table}.published_on IS NOT NULL" if at == 0 else ""
            which = f"{table}.{column} IS NULL"
            if arrived:
                which = f"({which} OR {table}.{column} > d.column2)"
            cursor.execute(
                f"UPDATE {table} SET {column} = d.column2 FROM (VALUES {values}) AS d"
                f" WHERE {table}.id = d.column1 AND {which}{shown}",
                params,
            )
            changed[at] += max(cursor.rowcount, 0)
    return changed[0], changed[1]


# Each stop beside the end of its own window (R8): the daily job's stop of a window's end.
_STOPS = (
    ("publication_ended_on", "publication_ends_on"),
    ("sharing_stopped_on", "sharing_ends_on"),
)


def resume_records(undone: Decision, today: dt.date) -> list[int]:
    """``resume_stops``, answering the ids of the records resumed."""
    return list(resume_stops(undone, today))


def resume_stops(undone: Decision, today: dt.date) -> dict[int, dict[str, dt.date | None]]:
    """Undo what ``stop_records`` did for an exit that is itself undone: a red entry put back in
    force because the black listing that ended it was found wrong (R2, R6, 000 §十一.3). The
    record of its decision is public and shared again, as if the entry had never left; answers
    the records resumed, each with the stops it had (id → column → day).

    Only a stop dated the undone exit's day or later is the exit's (or the daily job's, for a
    record it found still public after the exit: ``stop_missed``); ``undone.exited_on`` is the
    first exit the entry's reinstatements undid, when it was reinstated more than once
    (``reinstated.exits_undone``): a stop of an earlier exit is kept by a later one. A record
    stopped before it
    (its window ended) keeps its own day, and a revoked record is not the decision's record any
    more (R6). A record that is a listing's decision is repaired and objected to through the entry
    (R8), so nothing else stops it on the entry's behalf that day. A window of the record's
    own that has ended meanwhile is stopped as the daily job stops a window's end, the day
    after it (R8), not left open until the job's next run; one still running is open again.
    The identity is unique among records not revoked, so this is at most one row, locked; the
    other departments' copies of its decision (see the module) resume with it, locked too, as
    do those of a decision only another department holds."""
    if not undone.document_number:
        return {}
    records = list(CreditRecord.objects.select_for_update(no_key=True).filter(
        department_id=undone.department_id, document_number=undone.document_number,
        subject_id=undone.subject_id, revoked_on__isnull=True,
    ))  # fmt: skip
    day = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
    decision = (
        f"SELECT %s AS department_id, %s AS document_number, %s AS subject_id, {day} AS stop_day"
    )
    with connection.cursor() as cursor:
        copies = _copies(cursor, decision, list(undone))
    if copies:
        records += CreditRecord.objects.select_for_update(no_key=True).filter(pk__in=copies)
    resumed: dict[int, dict[str, dt.date | None]] = {}
    for record in records:
        before = {stop_column: getattr(record, stop_column) for stop_column, _ in _STOPS}
        changed = []
        for stop_column, end_column in _STOPS:
            stopped = getattr(record, stop_column)
            if stopped is None or stopped < undone.exited_on:
                continue
            end = getattr(record, end_column)
            stop = end + dt.timedelta(days=1) if end is not None and end < today else None
            if stop != stopped:
                setattr(record, stop_column, stop)
                changed.append(stop_column)
        if changed:
            record.save(update_fields=changed)
            resumed[record.pk] = before
    return resumed


def decisions_of(entry_ids: Sequence[int]) -> list[Decision]:
    """The decisions of ended entries, read by id (the daily job's expiries)."""
    from xinyong.listings.models import ListEntry

    found = (
        ListEntry.objects.filter(pk__in=entry_ids, exited_on__isnull=False)
        .exclude(decision_number_key="")
        .values_list(
            "list__recognizing_department_id", "decision_number_key", "subject_id",
            "exited_on",
        )
    )  # fmt: skip
    return [Decision(*row) for row in found]


def decisions_ending(entry_ids: Sequence[int], exited_on: dt.date) -> list[Decision]:
    """The decisions of entries ending on ``exited_on``, read by id inside the exit's
    transaction whether or not the exit is written yet (an officer's exit saves the entry after
    its changes are made): the identity read does not change with the exit."""
    from xinyong.listings.models import ListEntry

    found = (
        ListEntry.objects.filter(pk__in=list(entry_ids))
        .exclude(decision_number_key="")
        .values_list("list__recognizing_department_id", "decision_number_key", "subject_id")
    )
    return [Decision(*row, exited_on) for row in found]


# Positions in an import's accepted row (``validation.STAGE_COLUMNS``).
_DOCUMENT = STAGE_COLUMNS.index("document_number")
_DIGEST = STAGE_COLUMNS.index("identifier_digest")
# Rows looked up per statement: two parameters each, under SQLite's limit of 32,766, and as
# many as an import's chunk holds (``services.run.CHUNK_ROWS``), so a chunk is one statement.
LOOKUP_ROWS = 10_000


def stop_arrivals(job: ImportJob, records: Sequence[Sequence[Any]]) -> int:
    """Stop the records of a chunk ``job`` has just inserted that rest on the decision of an
    entry that has already ended: from the exit day, as ``stop_records`` stops them when the
    entry ends after they came (R4, R8, 000 §十.3; 001 §12). Without this, a decision sent
    after its listing ended — a red entry left on request, a black or key-attention listing
    found wrong and corrected — would be public and shared again for the rest of its window.

    Called inside the chunk's transaction, after its insert. One statement reads the ended
    decisions among the chunk's rows by the document number and the subject's keyed digest:
    the job's department's own (the record's identity, ``Decision``), and another
    department's, of which the chunk's records may be copies (see the module); only when it
    finds one are records written. A row whose record was already there (the same file sent
    again) is left as it is: only the records the job collected arrive stopped. A stop the
    record already has, its window having ended before the exit, keeps its day."""
    from xinyong.listings.models import ListEntry

    pairs = {(row[_DOCUMENT], row[_DIGEST]) for row in records if row[_DOCUMENT]}
    if not pairs:
        return 0
    ordered = sorted(pairs)
    own, others = [], []
    for start in range(0, len(ordered), LOOKUP_ROWS):
        part = ordered[start : start + LOOKUP_ROWS]
        found = ListEntry.objects.filter(
            exited_on__isnull=False,
            decision_number_key__in={number for number, _ in part},
            subject__identifier_digest__in={digest for _, digest in part},
        ).values_list(
            "list__recognizing_department_id", "decision_number_key",
            "subject__identifier_digest", "subject_id", "exited_on",
        )  # fmt: skip
        for department_id, number, digest, subject_id, exited_on in found:
            if (number, digest) in pairs:
                decision = Decision(department_id, number, subject_id, exited_on)
                (own if department_id == job.department_id else others).append(decision)
    changed = _stop(own, job_id=job.pk) if own else 0
    if others:
        # Copies of another department's decision, as ``_stop`` finds them for its own.
        named = (
            "SELECT column1 AS department_id, column2 AS document_number,"
            " column3 AS subject_id, column4 AS stop_day"
            f" FROM (VALUES {', '.join(['(%s, %s, %s, %s)'] * len(others))}) AS v"
        )
        params = [value for row in others for value in row]
        with connection.cursor() as cursor:
            copies = _copies(cursor, named, params, job_id=job.pk)
            changed += sum(_stop_copies(cursor, copies, arrived=True))
    return changed


def stop_missed(day: dt.date) -> tuple[int, int]:
    """Stop, from ``day``, the records that rest on the decision of an entry that ended on or
    before ``day`` and are still public or shared: records an import stored as the exit
    committed (see the module), and any an earlier version let through (R4, R8, 000 §十.3).
    They were public until the daily job found them, so they stop on its day, not on the exit
    day: the stop tells when they stopped. Only a record not revoked, by the entry's identity
    (the recognizing department, the decision's number, the subject); a record shown has its
    publication ended (终止公示), every one its sharing stopped (停止共享). Answers the two
    counts, publication ended and sharing stopped. The decisions' copies held by other
    departments stop with them (``_copies``), whether or not the department holds its own.

    One statement per column, from the ended entries with a decision number through the
    records' identity index; the job's run after a day with no miss changes nothing."""
    from xinyong.listings.models import ListDefinition, ListEntry

    table = CreditRecord._meta.db_table
    columns = (
        "SELECT l.recognizing_department_id AS department_id,"
        " e.decision_number_key AS document_number, e.subject_id AS subject_id"
    )
    of_ended = (
        f" FROM {ListEntry._meta.db_table} e"
        f" JOIN {ListDefinition._meta.db_table} l ON l.id = e.list_id"
        f" WHERE e.exited_on IS NOT NULL AND e.exited_on <= %s"
        f" AND e.decision_number_key <> ''"
    )
    ended = columns + of_ended
    counts = []
    with connection.cursor() as cursor:
        for column, only_shown in (("publication_ended_on", True), ("sharing_stopped_on", False)):
            shown = f" AND {table}.published_on IS NOT NULL" if only_shown else ""
            cursor.execute(
                f"UPDATE {table} SET {column} = %s FROM ({ended}) AS d"
                f" WHERE {table}.department_id = d.department_id"
                f" AND {table}.document_number = d.document_number"
                f" AND {table}.subject_id = d.subject_id AND {table}.{column} IS NULL"
                f" AND {table}.revoked_on IS NULL{shown}",
                [day, day],
            )
            counts.append(max(cursor.rowcount, 0))
        # The copies of those decisions, stopped on the same day (see the module).
        day_sql = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
        decisions = f"{columns}, {day_sql} AS stop_day{of_ended}"
        copies = _copies(cursor, decisions, [day, day])
        if copies:
            publication, sharing = _stop_copies(cursor, copies)
            counts = [counts[0] + publication, counts[1] + sharing]
    return counts[0], counts[1]
