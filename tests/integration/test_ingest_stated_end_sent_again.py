"""A decision sent again stating another end of its publication than the one recorded: a
penalty's 公示截止期 (CF_GSJZQ), from which its window is worked out within its tier's bounds,
or a licence's 有效期至 (XK_YXQZI), its window's end (R8, R9). It is not the recorded decision
sent again: quarantined as differing, naming what differs, as a changed fine is; the record
keeps its window (nothing recorded is overwritten, a recorded decision is changed by
correction). The same end written otherwise (2026/12/1, 20261201) is the same decision, already
recorded."""

import datetime as dt

import pytest

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, make_uscc
from xinyong.catalog import services
from xinyong.catalog.models import CreditRecord, RecordFormat
from xinyong.core import clock

pytestmark = pytest.mark.django_db
department, penalty_item = imports.department, imports.penalty_item  # shared fixtures
DIFFERS = "recorded-decision-differs"
STATED = {"CF_CFLB": "罚款", "CF_GSJZQ": "2027-06-30"}


def send(tmp_path, department, rows, name, *, kind="penalties", fields=None):
    path = samples.write_csv(tmp_path / name, fields or samples.PENALTY_FIELDS, rows)
    with clock.frozen(imports.TODAY):
        return services.import_file(actor="test", kind=kind, path=path, department=department)


def counted(job):
    return (job.rows_done, job.accepted, job.inserted, job.already_recorded, job.quarantined)


def reasons(job):
    return {r.row_number: [p["code"] for p in r.reasons] for r in job.report_rows.all()}


@pytest.fixture
def recorded(tmp_path, department, penalty_item):
    """Penalty 1, stating its publication ends on 2027-06-30, recorded and published."""
    job = send(tmp_path, department, [samples.penalty(1, **STATED)], "a.csv")
    assert counted(job) == (1, 1, 1, 0, 0)
    record = CreditRecord.objects.get()
    assert record.publication_ends_on == dt.date(2027, 6, 30)
    return record


@pytest.mark.parametrize("end", ["2027-12-31", "2027-03-01", ""])
def test_another_stated_end_differs_from_the_recorded_decision(tmp_path, department, recorded, end):
    """Later, earlier, or no end stated (its tier's maximum): each a window other than the
    recorded one, which stands as it is."""
    job = send(tmp_path, department, [samples.penalty(1, **STATED | {"CF_GSJZQ": end})], "b.csv")
    assert counted(job) == (1, 0, 0, 0, 1)
    assert job.quarantined_by_reason == {DIFFERS: 1} and reasons(job) == {1: [DIFFERS]}
    record = CreditRecord.objects.get()
    assert (record.pk, record.publication_ends_on, record.content) == (
        recorded.pk, recorded.publication_ends_on, recorded.content)  # fmt: skip


def test_an_end_stated_where_none_was_differs(tmp_path, department, penalty_item):
    send(tmp_path, department, [samples.penalty(1)], "a.csv")
    job = send(tmp_path, department, [samples.penalty(1, **STATED)], "b.csv")
    assert job.quarantined_by_reason == {DIFFERS: 1}


def test_the_message_names_the_stated_ends(tmp_path, department, recorded):
    job = send(tmp_path, department, [samples.penalty(1, CF_GSJZQ="2027/12/31")], "b.csv")
    (reason,) = job.report_rows.get().reasons
    assert "公示截止期" in reason["message"]
    assert "2027-12-31" in reason["message"] and "2027-06-30" in reason["message"]
    assert "未被覆盖" in reason["message"]


@pytest.mark.parametrize("end", ["2027/6/30", "20270630", " 2027-06-30 ", "2027年6月30日"])
def test_the_same_end_written_otherwise_is_already_recorded(tmp_path, department, recorded, end):
    job = send(tmp_path, department, [samples.penalty(1, **STATED | {"CF_GSJZQ": end})], "b.csv")
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}


def test_one_chunk_with_the_same_and_another_end(tmp_path, department, penalty_item):
    first = [samples.penalty(n, **STATED) for n in (1, 2, 3)]
    send(tmp_path, department, first, "a.csv")
    again = [
        samples.penalty(1, **STATED | {"CF_GSJZQ": "2027/06/30"}),
        samples.penalty(2, **STATED | {"CF_GSJZQ": "2027-09-30"}),
        samples.penalty(3, **STATED, BZ="重新推送"),
        samples.penalty(4, **STATED),
    ]
    job = send(tmp_path, department, again, "b.csv")
    assert counted(job) == (4, 3, 1, 2, 1) and reasons(job) == {2: [DIFFERS]}


@pytest.fixture
def licence_item():
    return CatalogItemFactory(code="administrative-licence", record_format=RecordFormat.LICENCE,
                              provider=None)  # fmt: skip


def test_a_licence_with_another_expiry_differs(tmp_path, department, licence_item):
    """A licence is public until it expires (R9): another expiry is another window."""
    fields = samples.LICENCE_FIELDS
    send(tmp_path, department, [samples.licence(1)], "a.csv", kind="licences", fields=fields)
    recorded = CreditRecord.objects.get()
    assert recorded.publication_ends_on == dt.date(2031, 11, 1)
    rows = [samples.licence(1, XK_YXQZI="2031/11/1")]
    job = send(tmp_path, department, rows, "b.csv", kind="licences", fields=fields)
    assert counted(job) == (1, 1, 0, 1, 0)
    rows = [samples.licence(1, XK_YXQZI="2030-11-01")]
    job = send(tmp_path, department, rows, "c.csv", kind="licences", fields=fields)
    assert counted(job) == (1, 0, 0, 0, 1) and job.quarantined_by_reason == {DIFFERS: 1}
    (reason,) = job.report_rows.get().reasons
    assert "有效期至" in reason["message"] and "2030-11-01" in reason["message"]
    assert CreditRecord.objects.get().publication_ends_on == dt.date(2031, 11, 1)


def without(fields, name):
    return [field for field in fields if field != name]


def test_a_file_without_the_column_states_no_end(tmp_path, department, penalty_item):
    """The older-edition template has no 公示截止期, and some exports leave it out: a column the
    file lacks states nothing, so the decisions sent again from it are already recorded."""
    send(tmp_path, department, [samples.penalty(n, **STATED) for n in (1, 2)], "a.csv")
    fields = without(samples.PENALTY_FIELDS, "CF_GSJZQ")
    job = send(tmp_path, department, [samples.penalty(n) for n in (1, 2)], "b.csv", fields=fields)
    assert counted(job) == (2, 2, 0, 2, 0) and job.quarantined_by_reason == {}
    ends = set(CreditRecord.objects.values_list("publication_ends_on", flat=True))
    assert ends == {dt.date(2027, 6, 30)}


def test_an_older_edition_file_states_no_end(tmp_path, department, penalty_item):
    """Its decision recorded with no fine stated: the older template has no fine column
    either, and a department's own row sent again is compared on its fine as on the rest."""
    send(tmp_path, department, [samples.penalty(1, **STATED, CF_NR_FK="")], "a.csv")
    row = dict.fromkeys(samples.OLD_PENALTY_FIELDS, "")
    row.update(
        CF_WSH="杭市监处罚〔2026〕1号", CF_CFLB1="罚款", CF_XDR_MC="杭州示例1号科技有限公司",
        CF_XDR_SHXYM=make_uscc(1), CF_FR="李四", CF_JG="罚款人民币壹万元",
        CF_JDRQ="2026/11/02", CF_XZJG=samples.AUTHORITY, CF_ZT="0",
    )  # fmt: skip
    job = send(tmp_path, department, [row], "old.csv", fields=samples.OLD_PENALTY_FIELDS)
    assert (job.edition, job.already_recorded, job.quarantined) == ("old", 1, 0)


def test_a_licence_file_without_the_expiry_column(tmp_path, department, licence_item):
    fields = samples.LICENCE_FIELDS
    send(tmp_path, department, [samples.licence(1)], "a.csv", kind="licences", fields=fields)
    fields = without(fields, "XK_YXQZI")
    job = send(tmp_path, department, [samples.licence(1)], "b.csv", kind="licences",
               fields=fields)  # fmt: skip
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}
    assert CreditRecord.objects.get().publication_ends_on == dt.date(2031, 11, 1)
