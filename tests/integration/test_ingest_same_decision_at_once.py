"""One decision imported by two departments at the same moment is stored once (R9, issue 5 §3;
ADR 6).

The look-up of another department's record of a decision reads what is committed. Two jobs
carrying the same decision, each looking before the other had committed, both stored it. Each
chunk now locks its subjects' rows before it looks (PostgreSQL): of two jobs carrying one
decision, the second waits for the first to commit, then finds its record. On SQLite a
transaction takes the write lock when it begins, so the look-up already runs under it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sqlite3
import threading

import pytest
from django.apps import apps
from django.db import connection

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory
from tests.races import in_thread, race, until_another_waits
from xinyong.catalog import bulk, services
from xinyong.catalog.models import CreditRecord, ImportJob, PenaltyType, RecordFormat
from xinyong.core import clock

TODAY = dt.date(2026, 11, 20)
REGULATOR = samples.AUTHORITY
CENTRE = "浙江省公共信用信息中心"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def departments():
    if not PenaltyType.objects.exists():  # a transactional test's flush emptied what it seeds
        seeding = importlib.import_module(
            "xinyong.catalog.migrations.0003_penalty_types_and_publication_rules"
        )
        seeding.seed(apps, None)
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    return (
        DepartmentFactory(code="hz-scjg", name=REGULATOR),
        DepartmentFactory(code="zj-xyzx", name=CENTRE, level="province"),
    )


def _import(path, department, **options) -> ImportJob:
    with clock.frozen(TODAY):
        return services.import_file(
            actor="t", kind="penalties", path=path, department=department, **options
        )


def _accounts_for_every_row(job: ImportJob) -> bool:
    return job.rows_done == job.accepted + job.quarantined and (
        job.accepted == job.inserted + job.already_recorded
    )


def _first_look_up_waits(monkeypatch, until):
    """The first chunk to look for another department's record pauses right after its look-up,
    inside its transaction, until ``until()`` returns; ``looked`` is set then."""
    looked = threading.Event()
    real = bulk.held_elsewhere
    first = threading.Lock()

    def pausing(*args, **kwargs):
        found = real(*args, **kwargs)
        if first.acquire(blocking=False):
            looked.set()
            until()
        return found

    monkeypatch.setattr(bulk, "held_elsewhere", pausing)
    return looked


def _waiting(done: threading.Event):
    """Until the other job waits for a lock or is done: asked of PostgreSQL; on SQLite, whose
    waits no view shows, a while (the other job cannot finish meanwhile under the write lock)."""
    if connection.vendor == "postgresql":
        return lambda: until_another_waits(done)
    return lambda: done.wait(1.0)


@pytest.mark.parametrize("fine", ["1", "2"], ids=["same", "differs"])
def test_the_second_job_of_one_decision_finds_the_first_ones_record(
    tmp_path, departments, monkeypatch, fine
):
    """The regulator's job has looked and found nothing; the centre's job of the same decision
    runs meanwhile. It finds the regulator's record once that commits: already recorded, or
    quarantined as differing where it states another fine. One record either way."""
    regulator, centre = departments
    own = samples.write_csv(tmp_path / "own.csv", samples.PENALTY_FIELDS, [samples.penalty(1)])
    sent_on = samples.write_csv(
        tmp_path / "on.csv", samples.PENALTY_FIELDS,
        [samples.penalty(1, CF_SJLY=CENTRE, BZ="转报", CF_NR_FK=fine)],
    )  # fmt: skip
    centre_done = threading.Event()
    failures: list[BaseException] = []
    looked = _first_look_up_waits(monkeypatch, _waiting(centre_done))
    first = in_thread(lambda: _import(own, regulator), failures)
    assert looked.wait(30)
    second = in_thread(lambda: _import(sent_on, centre), failures, done=centre_done)
    first.join(60)
    second.join(60)
    assert not failures, failures
    assert CreditRecord.objects.count() == 1
    assert CreditRecord.objects.get().department_id == regulator.pk
    jobs = {job.department_id: job for job in ImportJob.objects.all()}
    ours, theirs = jobs[regulator.pk], jobs[centre.pk]
    assert (ours.inserted, ours.already_recorded, ours.quarantined) == (1, 0, 0)
    if fine == "1":
        assert (theirs.inserted, theirs.already_recorded, theirs.quarantined) == (0, 1, 0)
        assert [r.outcome for r in theirs.report_rows.all()] == ["by_another"]
    else:
        assert (theirs.inserted, theirs.already_recorded, theirs.quarantined) == (0, 0, 1)
        assert theirs.quarantined_by_reason == {"recorded-decision-differs": 1}
    assert _accounts_for_every_row(ours) and _accounts_for_every_row(theirs)


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's write lock")
def test_on_sqlite_the_look_up_runs_under_the_write_lock(tmp_path, departments, monkeypatch):
    """While a chunk looks for another department's record, no other connection may begin a
    write: the look-up and the chunk's inserts are one writer's, as SQLite serialises them."""
    regulator, _ = departments
    own = samples.write_csv(tmp_path / "own.csv", samples.PENALTY_FIELDS, [samples.penalty(1)])
    refused: list[str] = []

    def another_writer_is_refused():
        other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.1)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.rollback()
        except sqlite3.OperationalError as exc:
            refused.append(str(exc))
        finally:
            other.close()

    _first_look_up_waits(monkeypatch, another_writer_is_refused)
    _import(own, regulator)
    assert refused == ["database is locked"]


@pytest.mark.postgres
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_two_departments_sending_the_same_decisions_at_once(tmp_path, departments):
    """Many decisions, in small chunks, sent by both departments at once in opposite orders:
    each decision stored once, no deadlock, every row accounted for."""
    regulator, centre = departments
    rows = [samples.penalty(n) for n in range(1, 121)]
    own = samples.write_csv(tmp_path / "own.csv", samples.PENALTY_FIELDS, rows)
    sent_on = samples.write_csv(
        tmp_path / "on.csv", samples.PENALTY_FIELDS,
        [{**row, "CF_SJLY": CENTRE} for row in reversed(rows)],
    )  # fmt: skip
    outcomes = race(
        lambda: _import(own, regulator, chunk_rows=7),
        lambda: _import(sent_on, centre, chunk_rows=5),
    )
    assert outcomes == ["ok", "ok"]
    jobs = list(ImportJob.objects.all())
    assert all(_accounts_for_every_row(job) and job.rows_done == 120 for job in jobs)
    assert sum(job.inserted for job in jobs) == 120
    assert sum(job.already_recorded for job in jobs) == 120
    assert CreditRecord.objects.count() == 120
    assert CreditRecord.objects.values("subject_id", "document_number").distinct().count() == 120
