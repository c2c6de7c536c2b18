"""An import checked by a forked child stores exactly what one checked in process stores, and a
child that dies leaves the job resumable, never a row lost or doubled (catalog.importers.forked).

These tests commit (a fork is never made inside a transaction, whose writes the child could not
see), so each builds its own department and catalog item and leaves them to the flush.
"""

import datetime as dt
import importlib
import io
import os

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory, make_citizen_id
from xinyong.catalog import services
from xinyong.catalog.importers import forked
from xinyong.catalog.importers.csvfile import CsvTable
from xinyong.catalog.importers.validation import RowChecker
from xinyong.catalog.models import CreditRecord, ImportJob, ImportStatus, RecordFormat
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.forking import other_threads

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = dt.date(2026, 11, 20)
OTHER_DAY = dt.date(2026, 1, 5)  # a decision date none of the files states


@pytest.fixture(autouse=True)
def _penalty_types():
    """The penalty types and publication rules a migration loads: an earlier committing test's
    flush has emptied their tables."""
    from django.apps import apps

    seeding = importlib.import_module(
        "xinyong.catalog.migrations.0003_penalty_types_and_publication_rules"
    )
    seeding.seed(apps, None)


@pytest.fixture(autouse=True)
def _single_threaded():
    if other_threads():  # left by an earlier test: this process may not fork now
        pytest.skip(f"threads left running ({other_threads()}): a process with threads never forks")


@pytest.fixture
def item():
    return CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                              provider=None)  # fmt: skip


@pytest.fixture
def forks(monkeypatch):
    """The process ids of the forked checkers started; each must be reaped by the end."""
    started = []

    class Counted(forked.ForkedChecks):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self._pid)

    monkeypatch.setattr(forked, "ForkedChecks", Counted)
    yield started
    for pid in started:  # no zombie left: the parent waited for each
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def run(path, department, **options):
    options.setdefault("chunk_rows", 3)
    with clock.frozen(TODAY):
        return services.import_file(
            actor="test", kind="penalties", path=path, department=department, **options
        )


def mixed_rows():
    """Good rows, a person, rows refused for four reasons and a repeat."""
    rows = [samples.penalty(n) for n in range(1, 9)]
    rows += [
        samples.penalty(20, person=True),
        samples.penalty(21, CF_XDR_LB="外星组织"),
        samples.penalty(22, CF_JDRQ=""),
        samples.penalty(3),  # the third row again
        samples.penalty(23, CF_XDR_ZJHM=make_citizen_id(23), CF_XDR_LB="自然人"),
        samples.penalty(24, BZ="备注\x00"),
    ]
    return rows


def outcome(job):
    # Subjects are shared: the second import finds those the first created.
    counters = {
        name: getattr(job, name) for name in services.COUNTERS if name != "subjects_created"
    }
    report = sorted(
        (r.row_number, r.outcome, [p["code"] for p in r.reasons], r.values)
        for r in job.report_rows.all()
    )
    records = sorted(
        CreditRecord.objects.filter(import_job=job).values_list(
            "import_row", "document_number", "content", "tier", "publication_due_on",
            "publication_ends_on", "workdays_late", "subject__identifier",
        )
    )  # fmt: skip
    return job.status, counters, report, records


def test_a_forked_import_stores_row_for_row_what_an_import_in_process_stores(tmp_path, item, forks):
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, mixed_rows())
    here, there = DepartmentFactory(code="in-process"), DepartmentFactory(code="forked")
    progress = {}

    def reported(label):
        calls = progress.setdefault(label, [])
        return lambda job, position: calls.append((job.rows_done, job.quarantined, position))

    in_process = run(path, here, fork_min_bytes=forked.NEVER, on_progress=reported("here"))
    assert forks == []
    # The same decisions sent by a second department are the first one's (recorded by another
    # department, R9; revoked, they stay revoked): dated otherwise, they are other decisions.
    CreditRecord.objects.filter(department=here).update(decision_date=OTHER_DAY)
    ours = connection.connection
    in_child = run(path, there, fork_min_bytes=0, on_progress=reported("there"))
    assert len(forks) == 1

    assert in_process.rows_done == 14
    assert in_process.quarantined_by_reason == {
        "control-character": 1, "duplicate-in-file": 1, "required": 2, "subject-kind-unknown": 1,
    }  # fmt: skip
    assert outcome(in_child) == outcome(in_process)
    assert progress["there"] == progress["here"] and len(progress["here"]) == 5
    # The child left this process's connection alone: the same one, still answering.
    assert connection.connection is ours
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_child_killed_part_way_leaves_the_job_to_resume_with_exactly_the_files_rows(
    tmp_path, item, forks, monkeypatch
):
    """As after a kill -9 of the import: committed chunks stay, the job stays running, and the
    same import started again ends with each row once."""
    rows = [samples.penalty(n) for n in range(1, 12)] + [samples.penalty(3)]
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)
    department = DepartmentFactory()
    check = RowChecker.check

    def dies_at_row_eight(self, number, cells):
        if number == 8:
            os._exit(9)  # runs in the child only: the parent checks nothing here
        return check(self, number, cells)

    monkeypatch.setattr(RowChecker, "check", dies_at_row_eight)
    with pytest.raises(forked.CheckerLost) as lost:
        run(path, department, fork_min_bytes=0)
    assert lost.value.code == "import-interrupted" and lost.value.status == 503
    job = ImportJob.objects.get()
    assert (job.status, job.rows_done, CreditRecord.objects.count()) == ("running", 6, 6)

    monkeypatch.setattr(RowChecker, "check", check)
    job = run(path, department, fork_min_bytes=0)
    assert len(forks) == 2
    assert job.status == ImportStatus.DONE and job.runs == 2
    assert (job.rows_done, job.accepted, job.inserted, job.quarantined) == (12, 11, 11, 1)
    assert job.report_rows.get().reasons[0]["code"] == "duplicate-in-file"
    assert CreditRecord.objects.count() == 11


def test_a_file_unreadable_part_way_fails_as_it_does_in_process(tmp_path, item, forks, monkeypatch):
    """A refusal met while reading (here a file that stops decoding at its eighth row) reaches
    the job as it would in process, with its details, and the chunks committed before stay."""
    rows = [samples.penalty(n) for n in range(1, 12)]
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)
    read = CsvTable.rows

    def stops_decoding(self):
        for number, cells in enumerate(read(self), start=1):
            if number == 8:
                raise XinyongError("file-encoding", "第8行无法解码", status=422, row=8)
            yield cells

    monkeypatch.setattr(CsvTable, "rows", stops_decoding)
    outcomes = []
    for fork_min_bytes in (forked.NEVER, 0):
        department = DepartmentFactory()
        with pytest.raises(XinyongError) as refused:
            run(path, department, fork_min_bytes=fork_min_bytes)
        job = ImportJob.objects.get(department=department)
        records = CreditRecord.objects.filter(import_job=job).count()
        outcomes.append((refused.value.as_dict(), refused.value.status, job.status,
                         job.error_code, job.rows_done, records))  # fmt: skip
        # Dated otherwise, the decisions are no record's for the next department (R9).
        CreditRecord.objects.update(decision_date=OTHER_DAY)
    assert len(forks) == 1
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][2:] == (ImportStatus.FAILED, "file-encoding", 6, 6)


class Interrupted(Exception):
    """Stands for this process being stopped between two chunks."""


def test_an_interrupted_import_stops_its_checker_however_far_ahead_it_is(tmp_path, item, forks):
    """The child checks ahead and waits on a full pipe; stopping the import stops it too (the
    fixture checks it was reaped), and the committed chunks stay for the next run."""
    rows = [samples.penalty(n) for n in range(1, 1501)]
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)
    department = DepartmentFactory()

    def stop(job, position):
        raise Interrupted

    with pytest.raises(Interrupted):
        run(path, department, fork_min_bytes=0, on_progress=stop)
    job = ImportJob.objects.get()
    assert (job.status, job.rows_done, CreditRecord.objects.count()) == ("running", 3, 3)
    job = run(path, department, fork_min_bytes=0, chunk_rows=500)
    assert (job.status, job.inserted, CreditRecord.objects.count()) == ("done", 1500, 1500)


def test_a_message_cut_short_is_a_lost_checker_and_the_job_resumes(
    tmp_path, item, forks, monkeypatch
):
    """The child dies in the middle of sending a chunk: the parent takes nothing of it."""
    rows = [samples.penalty(n) for n in range(1, 12)]
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)
    department = DepartmentFactory()
    send, sent = forked._send, []

    def dies_while_sending_the_third_chunk(pipe, kind, body):
        sent.append(kind)
        if len(sent) == 3:  # the child's own count: the parent sends nothing
            data = forked.pickle.dumps(body)
            pipe.write(forked._HEAD.pack(kind, len(data)) + data[: len(data) // 2])
            pipe.flush()
            os._exit(9)
        send(pipe, kind, body)

    monkeypatch.setattr(forked, "_send", dies_while_sending_the_third_chunk)
    with pytest.raises(forked.CheckerLost):
        run(path, department, fork_min_bytes=0)
    job = ImportJob.objects.get()
    assert (job.status, job.rows_done, CreditRecord.objects.count()) == ("running", 6, 6)

    monkeypatch.setattr(forked, "_send", send)
    job = run(path, department, fork_min_bytes=0)
    assert (job.status, job.rows_done, job.inserted, CreditRecord.objects.count()) == (
        ImportStatus.DONE, 11, 11, 11,
    )  # fmt: skip


def test_where_no_fork_can_be_made_the_rows_are_checked_in_process(
    tmp_path, item, forks, monkeypatch
):
    def refused():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    pipes = _open_pipes()
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, mixed_rows())
    job = run(path, DepartmentFactory(), fork_min_bytes=0)
    assert job.status == ImportStatus.DONE and job.rows_done == 14 and forks == []
    # The pipe was closed. Pipes only: a database connection the run closes or opens meanwhile
    # (PostgreSQL's, under a parallel run) changes the count of all descriptors.
    assert _open_pipes() == pipes


def _open_pipes() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:")
        except OSError:  # the descriptor the listing itself used, gone by now
            continue
    return count


def test_no_fork_inside_a_transaction(tmp_path, item, forks):

    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, mixed_rows())
    with transaction.atomic():
        job = run(path, DepartmentFactory(), fork_min_bytes=0)
    assert forks == [] and job.status == ImportStatus.DONE


def test_only_the_command_line_forks_and_only_on_sqlite(tmp_path, item, forks, monkeypatch):
    """``xinyong import`` asks for a forked checker, which SQLite takes (PostgreSQL's server
    already has the second core); ``import_file`` called by a page or the API does not fork."""
    monkeypatch.setattr(forked, "MIN_BYTES", 0)
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, mixed_rows())
    department = DepartmentFactory()
    with clock.frozen(TODAY):
        call_command("import", "penalties", str(path), "--department", department.code,
                     "--no-progress", stdout=io.StringIO())  # fmt: skip
    assert len(forks) == (1 if connection.vendor == "sqlite" else 0)

    with clock.frozen(TODAY):
        services.import_file(actor="test", kind="penalties", path=path,
                             department=DepartmentFactory())  # fmt: skip
    assert len(forks) == (1 if connection.vendor == "sqlite" else 0)
    assert ImportJob.objects.filter(status=ImportStatus.DONE).count() == 2


def test_a_child_killed_after_a_quote_left_open_resumes_with_each_row_once(
    tmp_path, item, forks, monkeypatch
):
    """The lines read again after row 2's open quote are counted in the child as in process:
    killed among them, the import resumes there and ends with every row of the file once."""
    cells = samples.rows_of(samples.PENALTY_FIELDS, [samples.penalty(n) for n in range(1, 13)])
    cells[1][samples.PENALTY_FIELDS.index("CF_SY")] = '"三无产品未标明生产日期'
    path = tmp_path / "p.csv"
    path.write_text(
        "\n".join(",".join(line) for line in [samples.PENALTY_FIELDS, *cells]) + "\n", "utf-8"
    )
    department = DepartmentFactory()
    check = RowChecker.check

    def dies_at_row_eight(self, number, cells):
        if number == 8:
            os._exit(9)  # runs in the child only
        return check(self, number, cells)

    monkeypatch.setattr(RowChecker, "check", dies_at_row_eight)
    with pytest.raises(forked.CheckerLost):
        run(path, department, fork_min_bytes=0)
    job = ImportJob.objects.get()
    assert (job.status, job.rows_done, CreditRecord.objects.count()) == ("running", 6, 5)

    monkeypatch.setattr(RowChecker, "check", check)
    job = run(path, department, fork_min_bytes=0)
    assert job.status == ImportStatus.DONE and job.runs == 2
    assert (job.rows_done, job.accepted, job.inserted, job.quarantined) == (12, 11, 11, 1)
    assert job.quarantined_by_reason == {"quote-unclosed": 1}
    assert job.report_rows.get().row_number == 2
    assert sorted(CreditRecord.objects.values_list("import_row", flat=True)) == [1, *range(3, 13)]
