"""What the tests of importing penalty files share: the department that sends them, the catalog
item they come under, and an import run on one business day (R9, R13)."""

import datetime as dt

import pytest

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory
from xinyong.catalog import services
from xinyong.catalog.models import RecordFormat
from xinyong.core import clock

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)


# The decision maker, the same department as ``department``, and a unit sending decisions on
# (R9, ADR 6): the two departments of a decision sent twice.
regulator = department
CENTRE = "浙江省公共信用信息中心"


@pytest.fixture
def centre():
    return DepartmentFactory(code="zj-xyzx", name=CENTRE, level="province")


@pytest.fixture
def penalty_item(department):
    return CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                              provider=None)  # fmt: skip


def import_penalties(path, department, **options):
    """``services.import_file`` of a penalty file, on ``TODAY``."""
    with clock.frozen(TODAY):
        return services.import_file(
            actor="test", kind="penalties", path=path, department=department, **options
        )
