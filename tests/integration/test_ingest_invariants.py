"""Ingestion's invariants over any mix of rows, encodings and interruptions (issue: ingestion).

Whatever a file holds, accepted + quarantined = input rows; each distinct good row is stored
once; the report names every quarantined row with a reason; importing the file again adds
nothing; and an import stopped after any chunk, then run again, ends exactly as an import that
was never stopped (R9, R13, 001 §14). Each example gets document numbers of its own, so that
examples run in one test database cannot meet each other's records.
"""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.factories import make_citizen_id
from xinyong.catalog import selectors
from xinyong.catalog.models import CreditRecord, ImportJob, ImportStatus

pytestmark = pytest.mark.django_db
GOOD = ("organisation", "person")
BAD = ("wrong-person-id", "unknown-kind", "no-decision-date", "nul-in-facts")
_examples = itertools.count(1)


def row_of(kind: str, n: int, document: str) -> dict[str, str]:
    """Subject ``n``'s row of ``kind``, under its own document number."""
    if kind == "organisation":
        return samples.penalty(n, CF_WSH=document)
    if kind == "person":
        return samples.penalty(n, person=True, CF_WSH=document)
    if kind == "wrong-person-id":
        valid = make_citizen_id(n)
        wrong = valid[:17] + ("1" if valid[17] == "0" else "0")
        return samples.penalty(n, person=True, CF_WSH=document, CF_XDR_ZJHM=wrong)
    if kind == "unknown-kind":
        return samples.penalty(n, CF_WSH=document, CF_XDR_LB="外星组织")
    if kind == "no-decision-date":
        return samples.penalty(n, CF_WSH=document, CF_JDRQ="")
    assert kind == "nul-in-facts"
    return samples.penalty(n, CF_WSH=document, CF_SY="经查\x00当事人")


# A file: rows drawn as (kind, subject) pairs, some drawn twice (a doubled row).
rows_drawn = st.lists(
    st.tuples(st.sampled_from(GOOD + BAD), st.integers(min_value=1, max_value=6)),
    min_size=1,
    max_size=14,
)


# the shared fixtures
department, penalty_item = imports.department, imports.penalty_item
run = imports.import_penalties


class Stopped(Exception):
    """Stands for the process being killed right after a chunk committed."""


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    drawn=rows_drawn,
    file_format=st.sampled_from(["utf-8", "gb18030", "json-lines"]),
    stop_after=st.one_of(st.none(), st.integers(min_value=1, max_value=13)),
)
def test_any_file_is_accounted_for_row_by_row_and_stored_once(
    tmp_path, department, penalty_item, drawn, file_format, stop_after
):
    example = next(_examples)
    rows, identities = [], set()
    for kind, n in drawn:
        document = f"杭市监处罚〔2026〕{example}-{kind}-{n}号"
        rows.append(row_of(kind, n, document))
        if kind in GOOD:
            identities.add((kind, n))
    path = tmp_path / f"example-{example}.{'jsonl' if file_format == 'json-lines' else 'csv'}"
    if file_format == "json-lines":
        samples.write_json(path, rows, lines=True)
    else:
        samples.write_csv(path, samples.PENALTY_FIELDS, rows, encoding=file_format)
    stored_before = CreditRecord.objects.count()

    stopped = False
    if stop_after is not None and stop_after < len(rows):

        def stop(job, position):
            if job.rows_done >= stop_after:
                raise Stopped

        try:
            run(path, department, chunk_rows=2, on_progress=stop)
        except Stopped:
            stopped = True
    job = run(path, department, chunk_rows=2)

    assert job.status == ImportStatus.DONE
    assert job.runs == (2 if stopped else 1)
    assert job.rows_done == len(rows)
    assert job.accepted + job.quarantined == len(rows)
    assert job.accepted == job.inserted + job.already_recorded
    assert job.inserted == len(identities)
    assert CreditRecord.objects.count() - stored_before == len(identities)
    report = list(selectors.report_lines(job))
    assert len(report) - 1 == job.quarantined  # a header, then one line per quarantined row
    assert all(reason.get("code") for line in job.report_rows.all() for reason in line.reasons)

    again = run(path, department, chunk_rows=2)
    # Answered by the job done, unless it quarantined rows: then checked again as a new job,
    # which finds every good row already recorded and refuses the same rows for the same reasons.
    assert (again.pk == job.pk) == (job.quarantined == 0)
    assert (again.rows_done, again.accepted, again.quarantined) == (
        job.rows_done, job.accepted, job.quarantined)  # fmt: skip
    assert again.quarantined_by_reason == job.quarantined_by_reason
    assert again.pk == job.pk or (again.inserted, again.already_recorded) == (0, job.accepted)
    assert CreditRecord.objects.count() - stored_before == len(identities)
    assert ImportJob.objects.filter(pk=job.pk).get().accepted == job.accepted
