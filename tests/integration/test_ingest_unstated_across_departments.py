"""An end of publication or a fine stated against none, across departments, as within one (R8,
R9): a decision's window is worked out from the end it states (a penalty's 公示截止期, a
licence's 有效期至), or from its tier's maximum where it states none, so a row stating an end
where the recorded decision states none, or none where it states one, is another window: it
differs, whichever department recorded the decision, and the record keeps its window. So does a
fine stated against none. Only a column the row's file lacks states nothing."""

import datetime as dt

import pytest

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.factories import CatalogItemFactory
from xinyong.catalog import services
from xinyong.catalog.models import CreditRecord, RecordFormat
from xinyong.core import clock

pytestmark = pytest.mark.django_db
regulator, centre = imports.regulator, imports.centre
DIFFERS = "recorded-decision-differs"
END = {"CF_CFLB": "罚款", "CF_GSJZQ": "2027-06-30"}


@pytest.fixture(autouse=True)
def items():
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    CatalogItemFactory(code="administrative-licence", record_format=RecordFormat.LICENCE,
                       provider=None)  # fmt: skip


def send(tmp_path, department, rows, name, *, kind="penalties", fields=None):
    header = fields or (samples.LICENCE_FIELDS if kind == "licences" else samples.PENALTY_FIELDS)
    path = samples.write_csv(tmp_path / name, header, rows)
    with clock.frozen(imports.TODAY):
        return services.import_file(actor="test", kind=kind, path=path, department=department)


def differs(job):
    told = [(r.outcome, [reason["code"] for reason in r.reasons]) for r in job.report_rows.all()]
    return job.quarantined_by_reason == {DIFFERS: 1} and told == [("quarantined", [DIFFERS])]


def by_another(job):
    return job.already_recorded == 1 and job.report_rows.get().outcome == "by_another"


@pytest.mark.parametrize("own", [True, False], ids=["same-department", "another-department"])
def test_an_end_stated_where_none_was_differs(tmp_path, regulator, centre, own):
    send(tmp_path, regulator if own else centre, [samples.penalty(1)], "a.csv")
    recorded = CreditRecord.objects.get()
    job = send(tmp_path, regulator, [samples.penalty(1, **END)], "b.csv")
    assert job.quarantined == 1 and job.quarantined_by_reason == {DIFFERS: 1}
    assert own or differs(job)
    assert CreditRecord.objects.get().publication_ends_on == recorded.publication_ends_on


@pytest.mark.parametrize("own", [True, False], ids=["same-department", "another-department"])
def test_no_end_stated_where_one_was_differs(tmp_path, regulator, centre, own):
    send(tmp_path, regulator if own else centre, [samples.penalty(1, **END)], "a.csv")
    job = send(tmp_path, regulator, [samples.penalty(1, CF_CFLB="罚款")], "b.csv")
    assert job.quarantined_by_reason == {DIFFERS: 1}
    assert CreditRecord.objects.get().publication_ends_on == dt.date(2027, 6, 30)


def test_a_file_without_the_column_states_no_end_across_departments(tmp_path, regulator, centre):
    send(tmp_path, centre, [samples.penalty(1)], "a.csv")
    fields = [name for name in samples.PENALTY_FIELDS if name != "CF_GSJZQ"]
    job = send(tmp_path, regulator, [samples.penalty(1, **END)], "b.csv", fields=fields)
    assert by_another(job)


def test_a_licence_stating_an_expiry_where_none_was_differs(tmp_path, regulator, centre):
    send(tmp_path, centre, [samples.licence(1, XK_YXQZI="")], "a.csv", kind="licences")
    job = send(tmp_path, regulator, [samples.licence(1)], "b.csv", kind="licences")
    assert differs(job)
    fields = [name for name in samples.LICENCE_FIELDS if name != "XK_YXQZI"]
    job = send(tmp_path, regulator, [samples.licence(1)], "c.csv", kind="licences", fields=fields)
    assert by_another(job)


@pytest.mark.parametrize(
    ("recorded", "sent"), [("", "1"), ("1", "")], ids=["none-then-1", "1-then-none"]
)
def test_a_fine_stated_against_none_differs_across_departments(
    tmp_path, regulator, centre, recorded, sent
):
    send(tmp_path, centre, [samples.penalty(1, CF_NR_FK=recorded)], "a.csv")
    job = send(tmp_path, regulator, [samples.penalty(1, CF_NR_FK=sent)], "b.csv")
    assert differs(job)
    fields = [name for name in samples.PENALTY_FIELDS if name != "CF_NR_FK"]
    job = send(tmp_path, regulator, [samples.penalty(1, CF_NR_FK=sent)], "c.csv", fields=fields)
    assert by_another(job)
