"""What a record's own file stated: the columns its import job's header mapped (R8, R9).

A record's content keeps only the row's non-empty cells (``importers.row_text``), so the
content alone cannot tell a column the file lacked (the older-edition penalty template has no
fine, CF_NR_FK, nor end of publication, CF_GSJZQ) from an empty cell in a column it had. The
import job keeps its file's header (``ImportJob.columns``), mapped again here as the import
mapped it: a column the record's file lacked states nothing, as a column the row's file lacks
does (``same_decision.Stated``), so a fine or an end is compared only where the record and the
row both state it. A record of no import job, or of a job that kept no header, states every
column: its NULL fine and missing end are stated as none.
"""

from __future__ import annotations

from collections.abc import Iterable

from xinyong.catalog.importers.formats import LAYOUTS, map_header
from xinyong.catalog.models import ImportJob
from xinyong.catalog.same_decision import Stated, stated_by

EVERYTHING = Stated()


def stated_by_job(kind: str, columns: list[str]) -> Stated:
    """What the rows of a job of ``kind`` whose file had ``columns`` stated."""
    layout = LAYOUTS.get(kind)
    if layout is None or not columns:
        return EVERYTHING
    header = map_header(layout, [str(name) for name in columns])
    return stated_by(layout, (f.content for f in layout.fields if f.content and header.has(f.key)))


class RecordedStated:
    """``Stated`` of the records' import jobs, each job read once per import."""

    def __init__(self) -> None:
        self._of: dict[int, Stated] = {}

    def learn(self, job_ids: Iterable[object]) -> None:
        unknown = {int(j) for j in job_ids if j is not None} - self._of.keys()
        if unknown:
            for pk, kind, columns in ImportJob.objects.filter(pk__in=unknown).values_list(
                "pk", "kind", "columns"
            ):
                self._of[pk] = stated_by_job(kind, columns)
            self._of.update(dict.fromkeys(unknown - self._of.keys(), EVERYTHING))

    def of(self, job_id: object) -> Stated:
        """What the record of ``job_id`` (learnt first) stated."""
        return EVERYTHING if job_id is None else self._of.get(int(job_id), EVERYTHING)


def both_state(row: Stated, record: Stated) -> Stated:
    """What a row and a record both state: only that is compared."""
    return Stated(
        tuple(key for key in row.ends if key in record.ends),
        row.fine and record.fine,
        row.lacking | record.lacking,
    )
