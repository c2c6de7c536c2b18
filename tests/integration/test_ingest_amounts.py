"""Amounts as departments write them: stored as the number the column holds, or the row refused
with its reason; never a text the column cannot take (R9, DOMAIN.md §5)."""

from decimal import Decimal

import pytest

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.ingest_imports import import_penalties
from xinyong.catalog.models import CreditRecord, ImportStatus

pytestmark = pytest.mark.django_db
department, penalty_item = imports.department, imports.penalty_item  # shared fixtures

# What each row's fine says, and what is stored (a Decimal) or why the row is refused (a code).
AMOUNTS = [
    ("1,234.5万元", Decimal("1234.5")),
    ("１２", Decimal("12")),  # full-width digits, read as identifiers and headers are
    ("１，２３４．５", Decimal("1234.5")),
    ("12.500000000", Decimal("12.5")),
    # 12 digits before the point, the most numeric(18, 6) holds (SQLite keeps 15 digits of all).
    ("999999999999.99", Decimal("999999999999.99")),
    ("0.000001", Decimal("0.000001")),
    ("٣", "amount-invalid"),  # a digit, but not one a department writes
    ("1_000", "amount-invalid"),
    ("1e3", "amount-invalid"),
    ("999999999999.9999999", "amount-too-precise"),
    ("0.1234567", "amount-too-precise"),
    ("1000000000000", "amount-too-large"),
]


def test_each_amount_is_stored_as_a_number_or_its_row_refused(tmp_path, department, penalty_item):
    """The good rows go in and read back as numbers; the others are quarantined with a reason
    each, and the same file again adds nothing (on PostgreSQL a text the column could not
    take had failed the whole chunk; on SQLite it was stored as text, and read as an error)."""
    rows = [samples.penalty(n, CF_NR_FK=text) for n, (text, _) in enumerate(AMOUNTS, start=1)]
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)

    job = import_penalties(path, department)

    stored = {n: want for n, (_, want) in enumerate(AMOUNTS, start=1) if isinstance(want, Decimal)}
    refused = {n: want for n, (_, want) in enumerate(AMOUNTS, start=1) if isinstance(want, str)}
    assert (job.status, job.rows_done, job.accepted, job.quarantined) == (
        ImportStatus.DONE, len(AMOUNTS), len(stored), len(refused),
    )  # fmt: skip
    assert job.quarantined_by_reason == {
        "amount-invalid": 3, "amount-too-large": 1, "amount-too-precise": 2,
    }  # fmt: skip
    assert {r.row_number: r.reasons[0]["code"] for r in job.report_rows.all()} == refused
    assert dict(CreditRecord.objects.values_list("import_row", "fine_amount")) == stored
    assert all(isinstance(record.fine_amount, Decimal) for record in CreditRecord.objects.all())

    again = import_penalties(path, department)  # checked again, for rows were quarantined
    assert (again.inserted, again.already_recorded) == (0, len(stored))
    assert again.quarantined_by_reason == job.quarantined_by_reason
    assert CreditRecord.objects.count() == len(stored)


def test_an_amount_in_a_number_cell_is_read_as_the_sheet_shows_it(tmp_path, department,
                                                                    penalty_item):  # fmt: skip
    """A number cell holds a binary float: a formula's 0.1 + 0.2 is 0.30000000000000004 and
    half a yuan 5e-05. Read as the sheet shows them (15 significant digits, no E notation),
    they are the amounts decided, not refused as too precise or malformed."""
    cells = ["0.30000000000000004", "5E-5", "1234.5", "12"]
    rows = [samples.penalty(n, CF_NR_FK=text) for n, text in enumerate(cells, start=1)]
    path = samples.write_xlsx(tmp_path / "p.xlsx", samples.PENALTY_FIELDS, rows,
                              numbers=frozenset({"CF_NR_FK"}))  # fmt: skip

    job = import_penalties(path, department)

    assert (job.status, job.accepted, job.quarantined) == (ImportStatus.DONE, 4, 0)
    assert sorted(CreditRecord.objects.values_list("fine_amount", flat=True)) == [
        Decimal("0.00005"), Decimal("0.3"), Decimal("12"), Decimal("1234.5"),
    ]  # fmt: skip


def test_an_amount_given_as_a_json_number_is_read_without_its_binary_noise(
    tmp_path, department, penalty_item
):
    """A serializer writes a double as its shortest repr: 105.18 yuan in 万元 comes out as
    0.010518000000000001. Read as a sheet's number cell is, it is the amount decided."""
    fines = [105.18 / 10000, 1.13 * 3, 0.1 + 0.2, 1.5, 0.00005, 12.0]
    rows = [samples.penalty(n, CF_NR_FK=fine) for n, fine in enumerate(fines, start=1)]
    path = samples.write_json(tmp_path / "p.json", rows)
    assert "0.010518000000000001" in path.read_text()

    job = import_penalties(path, department)

    assert (job.status, job.accepted, job.quarantined) == (ImportStatus.DONE, 6, 0)
    assert sorted(CreditRecord.objects.values_list("fine_amount", flat=True)) == [
        Decimal("0.00005"), Decimal("0.010518"), Decimal("0.3"), Decimal("1.5"),
        Decimal("3.39"), Decimal("12"),
    ]  # fmt: skip
