"""Importing .xls, .xlsb and .ods workbooks whose cells hold error values (R9, R13): the row is
refused because the cell holds an error, as for .xlsx; an optional field is not imported empty,
and a required one is not reported as missing."""

import datetime as dt

import pytest

from tests.data.ingest import samples
from tests.data.ingest.error_workbooks import WRITERS, Error
from tests.factories import CatalogItemFactory, DepartmentFactory
from xinyong.catalog import selectors, services
from xinyong.catalog.models import CreditRecord, RecordFormat
from xinyong.core import clock

pytestmark = pytest.mark.django_db
FIELDS = samples.PENALTY_FIELDS


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg", name="杭州市市场监督管理局")


@pytest.fixture(autouse=True)
def penalty_item(department):
    return CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                              provider=None)  # fmt: skip


def cells(row, **values):
    return [values.get(name, row[name]) for name in FIELDS]


@pytest.mark.parametrize("suffix", [".xls", ".xlsb", ".ods"])
def test_an_error_cell_refuses_its_row_as_an_error_not_as_empty(tmp_path, department, suffix):
    path = WRITERS[suffix](tmp_path / f"p{suffix}", [
        FIELDS,
        cells(samples.penalty(1), CF_NR_FK=Error("#VALUE!")),  # optional: the fine
        cells(samples.penalty(2)),
        cells(samples.penalty(3), CF_WSH=Error("#N/A", formula=False)),  # required
    ])  # fmt: skip
    with clock.frozen(dt.date(2026, 11, 20)):
        job = services.import_file(actor="test", kind="penalties", path=path,
                                   department=department)  # fmt: skip
    assert (job.accepted, job.quarantined_by_reason) == (1, {"excel-error": 2})
    found = {
        int(number): (codes, messages)
        for number, _, codes, messages, *_ in list(selectors.report_lines(job))[1:]
    }
    assert found[1][0] == "excel-error"
    assert "“CF_NR_FK”" in found[1][1] and "#VALUE!" in found[1][1]
    assert found[3][0] == "excel-error"
    assert "“CF_WSH”" in found[3][1] and "#N/A" in found[3][1] and "未填写" not in found[3][1]
    assert CreditRecord.objects.get().document_number == samples.penalty(2)["CF_WSH"]
