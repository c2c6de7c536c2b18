"""One decision sent by two departments: the staged rows of an import whose decision another
department has recorded (R9, issue 5 §3; ADR 6).

The body that made a decision and another unit sending its data on (a provincial centre, a
department collecting for several) may both send it. A staged row is that decision when a
record of another department holds the same document number, subject, decision date and
catalog item (a licence and a penalty under one number are two decisions), and its issuing
body is the row's (``core.issuing_bodies``: by a valid code where both give one, else by the
name folded). Then:

- a live record stating what the row states, compared as a department's own record and row
  are (``same_decision.same_columns``, the penalty types where the record keeps them; and the
  end of publication, a penalty's 公示截止期 or a licence's 有效期至,
  ``same_decision.ends_stated_otherwise``: an end stated against none differs, as a fine
  stated against none does), each where the row's file has its column (a column the file
  lacks states nothing, ``same_decision.Stated``) has recorded it: the row is accepted and
  counted as already recorded (``by_another``);
- a record revoked on a founded objection, of the same decision as a department's own row sent
  again is compared with its revoked record (the typed columns, then what else the decision
  states, ``importers.decision_statement``), keeps it revoked: accepted and counted as already
  recorded, as the department's own row would be, and never published again (``revoked``, R6);
- a live record stating another fine, other penalty types or another end of publication (its
  window is worked out from it, R8, R9), with neither of the above: the row differs, and is
  quarantined, never hidden as recorded nor written over the record (``differs``, with the
  ends in ``stated_ends``, R8).

A row matching nothing of these (another body, or the corrected decision where only the wrong
one stands revoked) is stored as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from xinyong.catalog.importers.decision_statement import same_statement
from xinyong.catalog.importers.formats import BODY_CODE_CONTENT
from xinyong.catalog.importers.validation import STAGE_COLUMNS
from xinyong.catalog.models import CreditRecord
from xinyong.catalog.recorded_stated import RecordedStated, both_state
from xinyong.catalog.same_decision import (
    Stated,
    body_code_sql,
    ends_stated_otherwise,
    first_code,
    same_columns,
    same_fine,
)
from xinyong.core.issuing_bodies import same_issuing_body
from xinyong.subjects.models import Department, Subject

_BODY, _CONTENT = STAGE_COLUMNS.index("issuing_body"), STAGE_COLUMNS.index("content")


@dataclasses.dataclass
class HeldElsewhere:
    by_another: dict[int, str] = dataclasses.field(default_factory=dict)  # row → department
    revoked: dict[int, tuple[str, dt.date]] = dataclasses.field(default_factory=dict)
    differs: dict[int, str] = dataclasses.field(default_factory=dict)  # row → department
    # Of those, a row whose only difference found is its stated end: row → (the field's
    # label, the record's end, the row's) for each (``same_decision.changed_ends``' form).
    stated_ends: dict[int, list[tuple[str, dt.date | None, dt.date | None]]] = dataclasses.field(
        default_factory=dict
    )

    @property
    def rows(self) -> set[int]:
        return self.by_another.keys() | self.revoked.keys() | self.differs.keys()


def held_elsewhere(
    cursor: Any,
    records: list[tuple[Any, ...]],
    *,
    stage: str,
    department_id: int,
    postgres: bool,
    stated: Stated,
    recorded: RecordedStated | None = None,
) -> HeldElsewhere:
    """The staged rows (``stage``) whose decision a department other than ``department_id``
    recorded, as the module says; the first record found names the department. Left out: a
    row whose own department holds a live record of the decision, which tells it (already
    recorded, or otherwise, as ever); and a row of the department's own listing decision (a
    list entry of its lists under the document number, for the subject), whose record the
    entry follows by the department's identity, to stop it when the entry ends, and to repair
    or object to it through the entry (``listing_records``, R4, R6, R8): it is stored whoever
    sent the decision first. Nor is a row whose export says the decision was revoked or is
    invalid: it states no decision in force, and is quarantined as the decision stated revoked
    (``bulk.ChunkWriter._classify``), not accepted as recorded (R6, 001 §2).

    One query, read through the subject's digest and the records' (subject, decision date)
    index: a subject new to the platform ends the look-up at once, and a subject's records of
    one day are a handful. Bodies and the revoked decisions' statements are compared here, for
    the few rows found: the folding of names is no SQL.

    Only the fine and the ends of publication the file's header maps are compared
    (``stated``): a column the file lacks states nothing. Nor, for a revoked record, the
    content's fields the file has no column for. Nor what the record's own file had no column
    for (``recorded``, ``recorded_stated``): only what both state is compared."""
    from xinyong.listings.models import ListDefinition, ListEntry

    record, subject = CreditRecord._meta.db_table, Subject._meta.db_table
    department = Department._meta.db_table
    codes = body_code_sql("r", postgres=postgres)
    of_the_day = (
        f"{record} r ON r.subject_id = x.id AND r.decision_date = s.decision_date"
        f" AND r.document_number = s.document_number"
        f" AND r.catalog_item_id = s.catalog_item_id AND r.department_id <> %s"
    )
    # 1: states the row's decision in every typed column the file has, as a department's
    # own row is compared, alive or revoked.
    same = f"CASE WHEN {same_columns(postgres=postgres, fine_stated=False)} THEN 1 ELSE 0 END"
    # 1: states the record's fine, or has no fine column; told apart, as the record's own file
    # may have had none either.
    fine = f"CASE WHEN {same_fine(postgres=postgres)} THEN 1 ELSE 0 END" if stated.fine else "1"
    kept = "r.revoked_on, r.penalty_type_ids, r.content, r.import_job_id"
    if postgres:
        # Probed row by row (OFFSET 0 keeps the subquery apart): a join would hash the whole
        # subject table for every chunk, as ``bulk`` says of its subjects.
        named = ", ".join(f"{code} AS code_{at}" for at, code in enumerate(codes))
        held = (
            f"SELECT r.id, r.subject_id, r.department_id, r.issuing_body, {same} AS same,"
            f" {fine} AS fine, {kept}, {named} FROM {subject} x JOIN {of_the_day}"
            f" WHERE x.identifier_digest = s.identifier_digest OFFSET 0"
        )
        source = f"{stage} s CROSS JOIN LATERAL ({held}) r"
        codes = [f"r.code_{at}" for at in range(len(codes))]
        same, fine = "r.same", "r.fine"
    else:
        # CROSS JOIN fixes SQLite's order: over the stage, probing both indexes for each row,
        # where its planner, knowing no sizes, would scan the records instead.
        source = (
            f"{stage} s CROSS JOIN {subject} x"
            f" ON x.identifier_digest = s.identifier_digest CROSS JOIN {of_the_day}"
        )
    # For the few rows found, the department's own record of the decision (the identity's
    # index) and its own listing decision (the entries' subject index): scalar subqueries,
    # which PostgreSQL evaluates row by row, where NOT EXISTS would become an anti-join reading
    # every record of the department.
    own = (
        f"SELECT 1 FROM {record} o WHERE o.department_id = %s"
        f" AND o.document_number = s.document_number AND o.subject_id = r.subject_id"
        f" AND o.revoked_on IS NULL AND o.decision_date = s.decision_date LIMIT 1"
    )
    listed = (
        f"SELECT 1 FROM {ListEntry._meta.db_table} e"
        f" JOIN {ListDefinition._meta.db_table} l ON l.id = e.list_id"
        f" WHERE e.subject_id = r.subject_id AND e.decision_number_key = s.document_number"
        f" AND l.recognizing_department_id = %s LIMIT 1"
    )
    cursor.execute(
        f"SELECT s.row_no, d.name, r.issuing_body, {same}, {fine}, {kept}, {', '.join(codes)}"
        f" FROM {source} JOIN {department} d ON d.id = r.department_id"
        f" WHERE NOT s.stated_revoked AND ({own}) IS NULL AND ({listed}) IS NULL"
        f" ORDER BY s.row_no, r.id",
        [department_id] * 3,
    )
    holders_of: dict[int, list[tuple[Any, ...]]] = {}
    for row_no, *holder in cursor.fetchall():
        holders_of.setdefault(int(row_no), []).append(tuple(holder))
    found = HeldElsewhere()
    if not holders_of:
        return found
    by_row = {int(record[0]): record for record in records}
    recorded = recorded or RecordedStated()
    recorded.learn(holder[7] for holders in holders_of.values() for holder in holders)
    for row_no, holders in holders_of.items():
        staged = by_row[row_no]
        content = json.loads(staged[_CONTENT])
        code = first_code(content.get(key) for key in BODY_CODE_CONTENT)
        for name, body, same_decision, fine, revoked_on, types, held, job, *body_codes in holders:
            if not same_issuing_body(staged[_BODY], code, body, first_code(body_codes)):
                continue
            both = both_state(stated, recorded.of(job))
            same_decision = same_decision and (fine or not both.fine)
            if revoked_on is None:
                ends = (
                    ends_stated_otherwise(_content(held), content, both.ends)
                    if same_decision
                    else []
                )
                if same_decision and not ends:
                    found.by_another[row_no] = name
                    break
                if row_no not in found.differs:
                    found.differs[row_no] = name
                    if ends:
                        found.stated_ends[row_no] = ends
            elif same_decision and same_statement(
                _content(held), body, content, staged[_BODY],
                types_kept=types is not None, unstated=both.lacking,
            ):  # fmt: skip
                found.revoked.setdefault(row_no, (name, _as_date(revoked_on)))
        if row_no in found.by_another:
            found.revoked.pop(row_no, None)
            found.differs.pop(row_no, None)
            found.stated_ends.pop(row_no, None)
        elif row_no in found.revoked:
            found.differs.pop(row_no, None)
            found.stated_ends.pop(row_no, None)
    return found


def _content(held: Any) -> dict[str, Any]:
    """A record's content as read: parsed on PostgreSQL, its JSON text on SQLite."""
    return json.loads(held) if isinstance(held, str) else held


def _as_date(value: Any) -> dt.date:
    """A date column as read: a date on PostgreSQL, its ISO text on SQLite."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
