"""Writing one chunk of accepted rows: set-based, idempotent, inside the caller's transaction.

The rows go to a temporary staging table — by COPY on PostgreSQL, by ``executemany`` on
SQLite — and from there in two statements: new subjects, then records with
``ON CONFLICT DO NOTHING`` on the record's identity (department, document number, subject),
so a row already recorded is never recorded twice, whatever happened before. A revoked record
is no longer its identity's record (R6): the right decision sent under the same document
number is recorded, while the revoked decision sent again is not: the same decision however it
is written, its typed columns compared by the database and the rest of what it states read as
the import reads a row (a date as a date, an amount as an amount, text without its spacing),
the sending system's bookkeeping aside (its export timestamp, note, state, region code and
source unit, which a new export changes; ``_revoked_sent_again``). A row whose export says the
decision was revoked or is invalid (``stated_revoked``) is no effective decision: neither it
nor a new subject of it is recorded, and a live record of it is left as it is (R6, R8). A
record whose publication or sharing window has already ended on the day its chunk is stored
arrives with 终止公示 and 停止共享 set as the daily job would set them (R4, R8). When fewer
records went in than were staged, one more query tells, row by row, which were duplicates of
an earlier row of the same file and which were recorded before this file. The same file's
earlier jobs (sent again after rows were quarantined, or after a failure) hold the same rows
under the same numbers: a row blocked by their record of another row repeats that row in the
file, as it did in theirs.

One decision may come from two departments: the body that made it and another unit sending its
data on. Once the chunk's subjects are in, and held till it commits (on PostgreSQL, so that of
two jobs carrying one decision at once the second looks after the first has committed,
``_subjects_sql``), and before any record is written, one query finds the staged rows whose
document number,
subject, decision date and catalog item a record of another department holds
(``held_elsewhere``); a row whose issuing body is that record's (``core.issuing_bodies``) is
taken out of the stage: the decision is recorded already (or revoked on the platform, and stays
so), and is neither stored nor published twice (R9, issue 5 §3); or it states another fine or
other penalty types than the live record, and is quarantined as differing (R8).
A row whose own department holds a live record of the same decision is left to the usual
path, so that a department sending its decision again is told what it always was, as is a
department's own listing decision, whose record its list entry follows. A row whose export
says the decision was revoked or is invalid is never taken for another department's live
record of it: it is no effective decision, and goes the stated-revoked way above.

The record's content arrives as JSON text, built by the row checker: the database stores it
(PostgreSQL parses it once, as the stage's ``jsonb``) and builds nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils import timezone

from xinyong.catalog.held_elsewhere import held_elsewhere
from xinyong.catalog.importers.decision_statement import same_statement
from xinyong.catalog.importers.validation import STAGE_COLUMNS
from xinyong.catalog.models import CreditRecord, ImportJob
from xinyong.catalog.recorded_stated import RecordedStated, both_state
from xinyong.catalog.same_decision import (
    Stated,
    changed_ends,
    same_columns,
    same_fine,
    stated_ends_sql,
)
from xinyong.catalog.tick import day_after
from xinyong.subjects.models import Subject

STAGE = "xinyong_import_stage"
SQLITE_CACHE_KIB = 32 * 1024
# Staged columns as they are typed on PostgreSQL (SQLite takes them as they come).
_PG_TYPES = {
    "row_no": "bigint", "catalog_item_id": "bigint", "decision_date": "date",
    "is_serious": "boolean", "fine_amount": "numeric", "publication_due_on": "date",
    "published_on": "date", "workdays_late": "integer", "publication_min_ends_on": "date",
    "publication_ends_on": "date", "sharing_ends_on": "date", "content": "jsonb",
    "stated_revoked": "boolean",
}  # fmt: skip
# Record columns filled straight from the staged column of the same name.
_COPIED = (
    "document_number", "decision_date", "issuing_body", "title", "is_serious", "tier",
    "fine_amount", "publication_due_on", "published_on", "workdays_late",
    "publication_min_ends_on", "publication_ends_on", "sharing_ends_on", "penalty_type_ids",
)  # fmt: skip

# Set at once when the window is already over on the day the chunk is stored (R4, R8): the
# column, and the staged end it follows (publication ends only for a record that was shown).
_ENDED = {
    "publication_ended_on": ("publication_ends_on", " AND s.published_on IS NOT NULL"),
    "sharing_stopped_on": ("sharing_ends_on", ""),
}


# A new subject's columns, and where they come from in the stage: subjects are matched by the
# keyed hash of their identifier, and a citizen ID is staged already masked and encrypted (R14).
_SUBJECT_COLUMNS = (
    "kind, name, identifier, identifier_status, identifier_digest, identifier_sealed, created_at"
)
_STAGED_SUBJECT = (
    "s.subject_kind, s.subject_name, s.identifier, s.identifier_status, s.identifier_digest,"
    " COALESCE(s.identifier_sealed, '')"
)

# Positions in a staged row (``STAGE_COLUMNS``): what tells its issuing body, and whether its
# export says the decision was revoked or is invalid.
_BODY, _CONTENT = STAGE_COLUMNS.index("issuing_body"), STAGE_COLUMNS.index("content")
_STATED_REVOKED = STAGE_COLUMNS.index("stated_revoked")
# Staged rows taken out or marked per statement: under SQLite's limit of 32,766 parameters,
# and a whole chunk of an import (``services.run.CHUNK_ROWS``).
_ROWS_PER_STATEMENT = 10_000
# A column of the stage alone, not of the checker's rows: set on the rows that are a revoked
# record's decision sent again (``ChunkWriter._revoked_sent_again``), which are not written.
_SENT_AGAIN = "sent_again"

# Columns that hold '' rather than NULL (they stay text in the stage either way).
_NOT_NULL = {"title": "COALESCE(s.title, '')", "tier": "COALESCE(s.tier, '')"}
# Sorting a chunk by row or by subject must not spill to disk (PostgreSQL's default is 4 MB).
_PG_WORK_MEM = "64MB"


@dataclasses.dataclass
class ChunkOutcome:
    inserted: int = 0
    subjects_created: int = 0
    already_recorded: list[int] = dataclasses.field(default_factory=list)  # row numbers
    duplicates: dict[int, int] = dataclasses.field(default_factory=dict)  # row → first row
    # Rows blocked by a live record of their identity that says otherwise: row → record.
    differs: dict[int, int] = dataclasses.field(default_factory=dict)
    # Rows whose decision another department recorded (``held_elsewhere``), not staged:
    # row → that department's name; row → that department and the day the platform revoked
    # its record of the decision; row → the department whose record it differs from.
    by_another: dict[int, str] = dataclasses.field(default_factory=dict)
    revoked_elsewhere: dict[int, tuple[str, dt.date]] = dataclasses.field(default_factory=dict)
    differs_elsewhere: dict[int, str] = dataclasses.field(default_factory=dict)
    # Of those, the rows stating another end of publication than that department's record:
    # row → (the field's label, the record's end, the row's), as ``stated_ends``.
    stated_ends_elsewhere: dict[int, list[tuple[str, dt.date | None, dt.date | None]]] = (
        dataclasses.field(default_factory=dict)
    )
    # Rows whose export says the decision was revoked or is invalid, not recorded: row → the
    # live record of their identity, or None when none is.
    stated_revoked: dict[int, int | None] = dataclasses.field(default_factory=dict)
    # Of the differing rows, those that state another end of publication than their record:
    # row → (the field's label, the record's end, the row's), for each end that differs.
    stated_ends: dict[int, list[tuple[str, dt.date | None, dt.date | None]]] = dataclasses.field(
        default_factory=dict
    )


class ChunkWriter:
    """Writes the chunks of one import job."""

    def __init__(
        self,
        *,
        job_id: int,
        department_id: int,
        stated: Stated,
        same_file_jobs: frozenset[int] = frozenset(),
        file_sha256: str | None = None,
    ) -> None:
        self.job_id = job_id
        # What the file's header maps (``same_decision.Stated``): the fine and the ends of
        # publication its rows state, and so the only ones compared with a record's (R8, R9).
        self.stated = stated
        self.stated_ends = stated.ends
        # What each record's own file stated: a column it lacked states nothing either, so
        # a fine or an end is compared only where both state it (``recorded_stated``).
        self.recorded = RecordedStated()
        # The other jobs of the same file: the earlier ones, known at the start, and any later
        # one running beside this job, learnt when its records meet this job's rows
        # (``_learn_jobs``).
        self.same_file_jobs = set(same_file_jobs)
        self.file_sha256 = file_sha256
        self._other_file_jobs: set[int] = set()
        self.department_id = department_id
        self.columns = STAGE_COLUMNS
        self.postgres = connection.vendor == "postgresql"
        connection.ensure_connection()
        self._create_stage()

    # -- staging -----------------------------------------------------------------------------

    def _create_stage(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{STAGE}" if not self.postgres
                           else f"DROP TABLE IF EXISTS pg_temp.{STAGE}")  # fmt: skip
            if self.postgres:
                columns = ", ".join(f"{c} {_PG_TYPES.get(c, 'text')}" for c in self.columns)
                cursor.execute(
                    f"CREATE TEMP TABLE {STAGE} ({columns}, {_SENT_AGAIN} boolean)"
                    f" ON COMMIT DELETE ROWS"
                )
            else:
                # A larger page cache for the import's connection: the record table's indexes
                # outgrow SQLite's default 2 MB at once, and every chunk then reads them again.
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
                if not connection.in_atomic_block:  # SQLite refuses it inside a transaction
                    cursor.execute("PRAGMA temp_store = MEMORY")
                columns = ", ".join(self.columns)
                cursor.execute(f"CREATE TEMP TABLE {STAGE} ({columns}, {_SENT_AGAIN})")

    def _stage(self, records: list[tuple[Any, ...]]) -> None:
        raw = connection.connection  # the DB-API connection under Django's, same transaction
        if self.postgres:
            with raw.cursor() as cursor:
                cursor.execute(f"TRUNCATE {STAGE}")  # a test's transaction never commits
                with cursor.copy(f"COPY {STAGE} ({', '.join(self.columns)}) FROM STDIN") as copy:
                    write = copy.write_row  # formats in C, row by row: no chunk-sized buffer
                    for record in records:
                        write(record)
        else:
            cursor = raw.cursor()
            try:
                cursor.execute(f"DELETE FROM temp.{STAGE}")
                marks = ", ".join("?" * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO temp.{STAGE} ({', '.join(self.columns)}) VALUES ({marks})",
                    records,
                )
            finally:
                cursor.close()

    # -- the chunk ---------------------------------------------------------------------------

    def write(self, records: list[tuple[Any, ...]], *, today: dt.date) -> ChunkOutcome:
        """The chunk's records, collected on ``today``: the business day the chunk commits."""
        outcome = ChunkOutcome()
        if not records:
            return outcome
        self._stage(records)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            if self.postgres:
                # No JIT: the stage has no statistics, so the planner guesses a cost that
                # compiles each statement afresh (15 ms a time) for a few thousand rows.
                cursor.execute(f"SET LOCAL work_mem = '{_PG_WORK_MEM}'; SET LOCAL jit = off")
            # The subjects first, held till the chunk commits, then the look-up
            # (``_subjects_sql``): of two jobs carrying one decision, the second looks once the
            # first has committed.
            cursor.execute(self._subjects_sql(), [now])
            outcome.subjects_created = max(cursor.rowcount, 0)
            found = held_elsewhere(
                cursor, records, stage=self._stage_name, department_id=self.department_id,
                postgres=self.postgres, stated=self.stated, recorded=self.recorded,
            )  # fmt: skip
            outcome.by_another, outcome.revoked_elsewhere = found.by_another, found.revoked
            outcome.differs_elsewhere = found.differs
            outcome.stated_ends_elsewhere = found.stated_ends
            # Both rare, and neither written: a decision another department recorded, or a row
            # differing from it, is taken out of the stage; a revoked record's decision sent
            # again is marked, and stays for ``_classify`` to tell.
            held = found.rows
            self._for_rows(cursor, f"DELETE FROM {self._stage_name}", held)
            sent_again = self._revoked_sent_again(cursor, records)
            self._for_rows(
                cursor, f"UPDATE {self._stage_name} SET {_SENT_AGAIN} = TRUE", sent_again
            )
            cursor.execute(
                self._records_sql(),
                [self.department_id, self.job_id, now, today, today],
            )
            outcome.inserted = max(cursor.rowcount, 0)
            if outcome.inserted < len(records) - len(held):
                revoked = {int(r[0]) for r in records if r[_STATED_REVOKED]}
                self._classify(cursor, outcome, revoked, sent_again)
        return outcome

    @property
    def _stage_name(self) -> str:
        return STAGE if self.postgres else f"temp.{STAGE}"

    @staticmethod
    def _for_rows(cursor: Any, statement: str, rows: Iterable[int]) -> None:
        """``statement`` for the staged ``rows``, a part at a time (``_ROWS_PER_STATEMENT``)."""
        ordered = sorted(rows)
        for start in range(0, len(ordered), _ROWS_PER_STATEMENT):
            part = ordered[start : start + _ROWS_PER_STATEMENT]
            cursor.execute(f"{statement} WHERE row_no IN ({', '.join(['%s'] * len(part))})", part)

    def _revoked_sent_again(
        self, cursor: Any, records: list[tuple[Any, ...]]
    ) -> dict[int, list[tuple[int, int | None, int | None]]]:
        """The staged rows that are a revoked record's decision sent again: the same
        department, document number and subject, and the same decision, however each is
        written (R6: a revoked record stays revoked however often its file is imported; the
        right decision, which says otherwise, is recorded in its place). Row → the revoked
        records of its decision: (id, import job, import row), for ``_classify``.

        The database compares what it holds typed (``same_columns``: catalog item, decision
        date, fine, and penalty types where the record keeps them); the few rows found are
        compared here on what else their decision states, read as the import reads a row
        (``importers.decision_statement``): dates as dates, amounts as amounts, text without
        its spacing, the sending system's bookkeeping left out. One query, through the
        revoked records' own index, by department and document number first: with none
        revoked under the number, as for nearly every row, nothing more is read."""
        record, subject = CreditRecord._meta.db_table, Subject._meta.db_table
        join = "JOIN" if self.postgres else "CROSS JOIN"  # SQLite: as in ``held_elsewhere``
        cursor.execute(
            f"SELECT s.row_no, r.id, r.import_job_id, r.import_row, r.penalty_type_ids,"
            f" r.issuing_body, r.content, {self._fine_same} FROM {self._stage_name} s"
            f" {join} {record} r ON r.department_id = %s"
            f" AND r.document_number = s.document_number AND r.revoked_on IS NOT NULL"
            f" {join} {subject} y ON y.id = r.subject_id"
            f" AND y.identifier_digest = s.identifier_digest"
            f" WHERE {same_columns(postgres=self.postgres, fine_stated=False)}"
            f" ORDER BY s.row_no, r.id",
            [self.department_id],
        )
        found = cursor.fetchall()
        if not found:
            return {}
        by_row = {int(record[0]): record for record in records}
        self.recorded.learn(job_id for _, _, job_id, *_ in found)
        sent_again: dict[int, list[tuple[int, int | None, int | None]]] = {}
        for row_no, record_id, job_id, import_row, types, body, content, fine_same in found:
            staged = by_row[int(row_no)]
            both = both_state(self.stated, self.recorded.of(job_id))
            if (fine_same or not both.fine) and same_statement(
                json.loads(content) if isinstance(content, str) else content, body,
                json.loads(staged[_CONTENT]), staged[_BODY], types_kept=types is not None,
                unstated=both.lacking,
            ):  # fmt: skip
                sent_again.setdefault(int(row_no), []).append((record_id, job_id, import_row))
        return sent_again

    def _subjects_sql(self) -> str:
        """The chunk's new subjects inserted; on PostgreSQL every subject of a row that may be
        stored is also held till the chunk commits, new or not, so that two jobs carrying one
        decision do not both store it (R9, issue 5 §3; ADR 6). The look-up of another
        department's record (``held_elsewhere``) reads what is committed: the second job's,
        made while the first had not committed, found nothing. A decision is known by its
        subject among other things, so of two chunks sharing a subject the second waits here,
        at the subject's insert or its lock, for the first to end, and then looks.

        The lock is the conflict's: ``DO UPDATE … WHERE FALSE`` locks the subject's row and
        changes nothing, in the one pass through the digest's index the insert makes anyway.
        It locks ``FOR NO KEY UPDATE`` (no key column is set): another transaction's foreign key
        to the subject (a record, an entry) still goes in meanwhile, and this chunk's own
        records' checks find the lock held. Row locks, not one advisory lock per decision:
        those take a slot each in the server's shared lock table (by default between 10,000
        and 20,000 for the whole server), which a chunk of 10,000 rows would nearly fill alone,
        where a row's lock is kept in the row. Every chunk takes them in
        the digests' order, after nothing else but the daily job's lock (shared by all): no
        two chunks wait for each other in a circle. SQLite's transactions take the database's
        write lock when they begin (``transaction_mode``): its look-up already runs under it."""
        subject = Subject._meta.db_table
        if self.postgres:
            # No anti-join: the conflict check probes the digest's index for each staged
            # subject, where a join would hash the whole subject table for every chunk (the
            # planner's figures for it lag far behind a large import).
            return (
                f"INSERT INTO {subject} ({_SUBJECT_COLUMNS})"
                f" SELECT DISTINCT ON (s.identifier_digest) {_STAGED_SUBJECT}, %s"
                f" FROM {STAGE} s WHERE NOT s.stated_revoked"
                f" ORDER BY s.identifier_digest, s.row_no"
                f" ON CONFLICT (identifier_digest) DO UPDATE SET kind = {subject}.kind WHERE FALSE"
            )
        # SQLite inserts in order and skips the later rows of an identifier: the first wins.
        return (
            f"INSERT INTO {subject} ({_SUBJECT_COLUMNS})"
            f" SELECT {_STAGED_SUBJECT}, %s FROM temp.{STAGE} s WHERE NOT s.stated_revoked"
            f" AND NOT EXISTS"
            f" (SELECT 1 FROM {subject} x WHERE x.identifier_digest = s.identifier_digest)"
            f" ORDER BY s.row_no ON CONFLICT (identifier_digest) DO NOTHING"
        )

    def _records_sql(self) -> str:
        record, subject = CreditRecord._meta.db_table, Subject._meta.db_table
        copied = ", ".join(_COPIED)
        columns = (
            f"INSERT INTO {record} (catalog_item_id, subject_id, department_id, content,"
            f" import_job_id, import_row, created_at, {copied}, {', '.join(_ENDED)})"
        )
        staged = ", ".join(_NOT_NULL.get(c, "s." + c) for c in _COPIED)
        # Ended before the day the chunk is stored: stopped the day after the end, as the daily
        # job sets it.
        staged += ", " + ", ".join(
            f"CASE WHEN s.{end} < %s{shown} THEN {day_after('s.' + end)} END"
            for end, shown in _ENDED.values()
        )
        conflict = (
            " ON CONFLICT (department_id, document_number, subject_id)"
            " WHERE revoked_on IS NULL DO NOTHING"
        )
        if self.postgres:
            # The subject by its digest's index, row by row, for the reason given above.
            found = (
                f"(SELECT x.id FROM {subject} x WHERE x.identifier_digest = s.identifier_digest)"
            )
            return (
                f"{columns} SELECT s.catalog_item_id, {found}, %s, s.content, %s,"
                f" s.row_no, %s, {staged} FROM {STAGE} s WHERE NOT s.stated_revoked"
                f" AND s.{_SENT_AGAIN} IS NULL ORDER BY s.row_no{conflict}"
            )
        return (
            f"{columns} SELECT s.catalog_item_id, x.id, %s, s.content, %s, s.row_no, %s,"
            f" {staged} FROM temp.{STAGE} s"
            f" JOIN {subject} x ON x.identifier_digest = s.identifier_digest"
            f" WHERE NOT s.stated_revoked AND s.{_SENT_AGAIN} IS NULL"
            f" ORDER BY s.row_no{conflict}"
        )

    def _classify(
        self,
        cursor: Any,
        outcome: ChunkOutcome,
        revoked: set[int],
        sent_again: dict[int, list[tuple[int, int | None, int | None]]],
    ) -> None:
        """Which staged rows did not go in, and why: seen earlier in this file (in this job, or
        as another row of it in an earlier job of the same file), or before it (a record of the
        same identity not revoked, or a revoked one of the same decision: the revoked decision
        sent again, ``sent_again``, found before the rows were written).

        A row blocked by a live record of its identity that says otherwise — another catalog
        item, decision date, fine or set of penalty types, compared as the parsed, typed
        columns, never as the content's text (``same_columns``), or another end of its
        publication than the one it states (a penalty's 公示截止期, a licence's 有效期至: its
        window is worked out from it), compared as dates (``changed_ends``) where the file has
        its column (a column it lacks states nothing, ``same_decision.stated_in``) — is not
        already recorded: it differs (R8, R9; nothing recorded is overwritten, a recorded
        decision is changed by correction).
        The same row of an earlier job of the same file is the same row sent again, already
        recorded whatever it holds.

        A row whose export says the decision was revoked or is invalid (``revoked``, its row
        numbers) went in nowhere: the revoked decision sent again is already recorded, as
        above; one blocked by a live record of its identity is reported with that record, one
        with none as not recorded (R6: the platform revokes a record on the objection's
        verification; an import neither revokes nor rewrites it)."""
        record, subject = CreditRecord._meta.db_table, Subject._meta.db_table
        # Read through the live records' partial index of the identity. Against a live record:
        # 0 the same, 1 says otherwise, 2 says it is revoked, 3 the same but for the writing
        # of its stated ends, or the ends themselves (told apart here, ``changed_ends``).
        # Only the ends the file's header maps: a column it lacks states nothing.
        same_ends, end_texts = stated_ends_sql(postgres=self.postgres, keys=self.stated_ends)
        against_live = (
            f"CASE WHEN s.stated_revoked THEN 2"
            f" WHEN {same_columns(postgres=self.postgres, fine_stated=False)}"
            f" THEN (CASE WHEN {same_ends} THEN 0 ELSE 3 END) ELSE 1 END"
        )
        cursor.execute(
            f"SELECT s.row_no, r.import_job_id, r.import_row, r.id, {against_live},"
            f" {self._fine_same}"
            f"{''.join(f', {text}' for text in end_texts)} FROM {self._stage_name} s"
            f" JOIN {subject} x ON x.identifier_digest = s.identifier_digest"
            f" JOIN {record} r ON r.department_id = %s"
            f" AND r.document_number = s.document_number AND r.subject_id = x.id"
            f" WHERE NOT (COALESCE(r.import_job_id, 0) = %s"
            f" AND COALESCE(r.import_row, 0) = s.row_no) AND r.revoked_on IS NULL",
            [self.department_id, self.job_id],
        )
        blocked = cursor.fetchall()
        blocked += [
            (row_no, job_id, first_row, record_id, 0, 1)
            for row_no, revoked_records in sent_again.items()
            for record_id, job_id, first_row in revoked_records
        ]
        self._learn_jobs({int(job_id) for _, job_id, *_ in blocked if job_id is not None})
        self.recorded.learn(job_id for _, job_id, *_ in blocked)
        recorded: set[int] = set()
        differs: dict[int, int] = {}
        live_revoked: dict[int, int] = {}
        ends_differ: dict[int, list[tuple[str, dt.date | None, dt.date | None]]] = {}
        for row_no, job_id, first_row, record_id, other, fine_same, *texts in blocked:
            row_no = int(row_no)
            both = both_state(self.stated, self.recorded.of(job_id))
            if other in (0, 3) and not fine_same and both.fine:
                other = 1
            if other == 3:
                # Only the ends the record's file stated too.
                texts = [t for at, t in enumerate(texts) if self.stated_ends[at // 2] in both.ends]
                changed = changed_ends(texts, both.ends)
                other = 1 if changed else 0
                if changed:
                    ends_differ[row_no] = changed
            if job_id == self.job_id or (
                job_id in self.same_file_jobs and first_row is not None and first_row != row_no
            ):
                outcome.duplicates[row_no] = int(first_row)
            elif other == 2 and job_id not in self.same_file_jobs:
                live_revoked.setdefault(row_no, int(record_id))
            elif other and job_id not in self.same_file_jobs:
                differs.setdefault(row_no, int(record_id))
            else:
                recorded.add(row_no)
        outcome.already_recorded = sorted(recorded - outcome.duplicates.keys())
        outcome.differs = {
            row: record_id
            for row, record_id in sorted(differs.items())
            if row not in outcome.duplicates and row not in recorded
        }
        outcome.stated_ends = {
            row: ends_differ[row] for row in outcome.differs if row in ends_differ
        }
        outcome.stated_revoked = {
            row: live_revoked.get(row)
            for row in sorted(revoked)
            if row not in outcome.duplicates and row not in recorded
        }

    @property
    def _fine_same(self) -> str:
        """1 where the staged row ``s`` states the fine of the record ``r``, or no fine column
        at all; told apart from the other columns (``same_columns``) because the record's own
        file may have had none either (``recorded_stated``)."""
        if not self.stated.fine:
            return "1"
        return f"CASE WHEN {same_fine(postgres=self.postgres)} THEN 1 ELSE 0 END"

    def _learn_jobs(self, job_ids: set[int]) -> None:
        """Which of ``job_ids``, jobs whose records block this chunk's rows, import the same
        file: one query for those not known yet. The same file sent under two catalog items at
        once runs as two jobs, each opened before the other stored anything; whichever stores
        a row second finds the other's record, and the same row of the same file is already
        recorded there, not a decision that says otherwise."""
        unknown = job_ids - self.same_file_jobs - self._other_file_jobs - {self.job_id}
        if not unknown or not self.file_sha256:
            return
        same = set(
            ImportJob.objects.filter(
                pk__in=unknown, department_id=self.department_id, file_sha256=self.file_sha256
            ).values_list("pk", flat=True)
        )
        self.same_file_jobs |= same
        self._other_file_jobs |= unknown - same

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{STAGE}" if not self.postgres
                           else f"DROP TABLE IF EXISTS pg_temp.{STAGE}")  # fmt: skip
