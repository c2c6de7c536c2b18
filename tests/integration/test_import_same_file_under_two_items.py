"""The same file imported under two catalog items at once (R9, R13): each item's job runs, as
they would one after the other. A file is known by its content and the item it is sent under
(``_open_job``), and one run at a time is kept per file and item; before, the database kept one
per file whatever the item, and the second import was refused as "already running"."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction  # noqa: F401 (connection: skipif)

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory
from tests.races import race
from xinyong.catalog import services
from xinyong.catalog.models import CatalogItem, CreditRecord, ImportJob, ImportStatus, RecordFormat
from xinyong.core import clock

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def department():
    department = DepartmentFactory(code="hz-scjg", name="杭州市市场监督管理局")
    for code in ("penalty-a", "penalty-b"):
        CatalogItemFactory(code=code, record_format=RecordFormat.PENALTY, provider=department,
                           subject_kinds=["legal_person", "natural_person"])  # fmt: skip
    return department


def _seed_penalty_types() -> None:
    """The penalty types and publication rules a migration loads: an earlier committing test's
    flush has emptied their tables."""
    seeding = importlib.import_module(
        "xinyong.catalog.migrations.0003_penalty_types_and_publication_rules"
    )
    seeding.seed(apps, None)


def _running(department, path, *, kind="penalties", item=None) -> ImportJob:
    """A job another process runs now (its row as ``_open_job`` writes it)."""
    return ImportJob.objects.create(
        kind=kind, department=department, catalog_item=item, actor="other", file_name=path.name,
        file_path=str(path), file_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        file_format="csv", business_date=TODAY,
    )  # fmt: skip


def _import(path, department, item_code=None, kind="penalties"):
    with clock.frozen(TODAY):
        return services.import_file(
            actor="t", kind=kind, path=path, department=department, item_code=item_code
        )


@pytest.mark.django_db
def test_a_file_running_under_one_item_is_imported_under_another(tmp_path, department):
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS,
                             [samples.penalty(n) for n in range(1, 4)])  # fmt: skip
    running = _running(department, path, item=CatalogItem.objects.get(code="penalty-a"))
    job = _import(path, department, item_code="penalty-b")
    assert job.pk != running.pk
    assert (job.status, job.catalog_item.code, job.inserted) == (ImportStatus.DONE, "penalty-b", 3)


@pytest.mark.django_db
def test_one_run_at_a_time_per_file_and_item(tmp_path, department):
    """The same item, or no item (other records, whose rows name theirs), stays one run."""
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, [samples.penalty(1)])
    item = CatalogItem.objects.get(code="penalty-a")
    _running(department, path, item=item)
    with pytest.raises(IntegrityError), transaction.atomic():
        _running(department, path, item=item)
    _running(department, path, kind="records")
    with pytest.raises(IntegrityError), transaction.atomic():
        _running(department, path, kind="records")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_the_same_file_under_two_items_at_once(tmp_path, department):
    _seed_penalty_types()
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS,
                             [samples.penalty(n) for n in range(1, 201)])  # fmt: skip
    outcomes = race(
        lambda: _import(path, department, item_code="penalty-a"),
        lambda: _import(path, department, item_code="penalty-b"),
    )
    assert outcomes == ["ok", "ok"]
    jobs = ImportJob.objects.order_by("catalog_item__code")
    assert [(job.catalog_item.code, job.status) for job in jobs] == [
        ("penalty-a", ImportStatus.DONE), ("penalty-b", ImportStatus.DONE),
    ]  # fmt: skip
    assert [job.inserted + job.already_recorded for job in jobs] == [200, 200]
    assert sum(job.inserted for job in jobs) == 200  # each row recorded once
    assert CreditRecord.objects.count() == 200


@pytest.mark.django_db
def test_a_job_opened_first_and_storing_second_finds_the_same_rows_recorded(tmp_path, department):
    """The race above, in the order that made it flaky: the job under penalty-a opened first,
    so it did not know the job under penalty-b, which stored the rows first. The same rows of
    the same file are already recorded, not decisions that say otherwise (their catalog item
    differs only because the file was sent under two)."""
    _seed_penalty_types()
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS,
                             [samples.penalty(n) for n in range(1, 21)])  # fmt: skip
    first = _running(department, path, item=CatalogItem.objects.get(code="penalty-a"))
    second = _import(path, department, item_code="penalty-b")
    assert (second.inserted, second.quarantined) == (20, 0)
    resumed = _import(path, department, item_code="penalty-a")
    assert resumed.pk == first.pk
    assert (resumed.inserted, resumed.already_recorded, resumed.quarantined) == (0, 20, 0)
    assert CreditRecord.objects.count() == 20
