"""A licence row whose department's export marks the decision revoked or invalid (XK_ZT written
撤销 or 无效): no effective decision (001 §2), so neither recorded nor published, as a penalty
so marked is not (R6, R9). XK_ZT's codes mean other things in the two editions (the older
template's 1 is 撤销 and 2 异议, the current one's 1 有效 and 2 无效): a code is read by the table
of the edition the file's other field names tell, and not at all where they tell none."""

import pytest

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, make_uscc
from tests.integration.test_ingest_import import revoke_on_founded_objection
from xinyong.catalog import services
from xinyong.catalog.models import CreditRecord, RecordFormat
from xinyong.core import clock
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
department = imports.department  # the shared fixture
LIVE = "recorded-decision-stated-revoked"
NEW = "decision-stated-revoked"
OLD_LICENCE_FIELDS = [
    "XK_WSH", "XK_XMMC", "XK_SPLB", "XK_NR", "XK_XDR", "XK_XDR_SHXYM", "XK_XDR_ZDM",
    "XK_XDR_GSDJ", "XK_XDR_SWDJ", "XK_XDR_SFZ", "XK_FR", "XK_JDRQ", "XK_JZQ", "XK_XZJG",
    "XK_ZT", "DFBM", "SJC", "BZ",
]  # fmt: skip


def old_edition_licence(**changes: str) -> dict[str, str]:
    row = dict.fromkeys(OLD_LICENCE_FIELDS, "")
    row.update(XK_WSH="杭西市监许〔2026〕201号", XK_XMMC="食品经营许可", XK_SPLB="普通",
               XK_NR="预包装食品销售", XK_XDR="杭州某某餐饮有限公司", XK_XDR_SHXYM=make_uscc(8),
               XK_JDRQ="2026/11/10", XK_JZQ="2031/11/09", XK_XZJG="杭州市西湖区市场监督管理局",
               XK_ZT="0", DFBM="330106", SJC="2026-11-12 09:00:00")  # fmt: skip
    return {**row, **changes}


EDITIONS = {
    "new": (samples.LICENCE_FIELDS, samples.licence),
    "old": (OLD_LICENCE_FIELDS, lambda n, **changes: old_edition_licence(
        XK_WSH=f"杭西市监许〔2026〕{200 + n}号", XK_XDR_SHXYM=make_uscc(n), **changes)),
}  # fmt: skip


@pytest.fixture(autouse=True)
def licence_item():
    return CatalogItemFactory(code="administrative-licence", record_format=RecordFormat.LICENCE,
                              provider=None)  # fmt: skip


def send(tmp_path, department, rows, name="x.csv", *, edition="new"):
    path = samples.write_csv(tmp_path / name, EDITIONS[edition][0], rows)
    with clock.frozen(imports.TODAY):
        return services.import_file(actor="test", kind="licences", path=path, department=department)


def licence(n, edition="new", **changes):
    return EDITIONS[edition][1](n, **changes)


def counted(job):
    return (job.rows_done, job.accepted, job.inserted, job.already_recorded, job.quarantined)


def reasons(job):
    return {r.row_number: [p["code"] for p in r.reasons] for r in job.report_rows.all()}


@pytest.mark.parametrize("edition", ["new", "old"])
@pytest.mark.parametrize("state", ["撤销", "已撤销", "无效", "已无效", " 撤 销", "无效 "])
def test_a_licence_its_export_marks_revoked_is_not_recorded(tmp_path, department, edition, state):
    rows = [licence(1, edition, XK_ZT=state), licence(2, edition)]
    job = send(tmp_path, department, rows, edition=edition)
    assert job.edition == edition
    assert counted(job) == (2, 1, 1, 0, 1)
    assert job.quarantined_by_reason == {NEW: 1} and reasons(job) == {1: [NEW]}
    (record,) = CreditRecord.objects.all()
    assert record.subject.identifier == make_uscc(2)  # not even the first row's subject is kept
    assert Subject.objects.count() == 1


@pytest.mark.parametrize(
    ("edition", "state", "revoked"),
    [
        ("new", "2", True), ("new", "２", True), ("new", "1", False), ("new", "0", False),
        ("new", "有效", False), ("new", "", False),
        ("old", "1", True), ("old", "2", False), ("old", "0", False), ("old", "3", False),
        ("old", "", False),
    ],
)  # fmt: skip
def test_a_code_is_read_by_the_table_of_the_files_edition(
    tmp_path, department, edition, state, revoked
):
    """XK_ZT names one column in both editions, but its codes follow each edition's table: the
    older template's 1 is 撤销 (2 异议), the current one's 2 is 无效 (1 有效). The file's other
    field names tell its edition, and its code is read by that table."""
    job = send(tmp_path, department, [licence(1, edition, XK_ZT=state)], edition=edition)
    assert job.edition == edition
    if revoked:
        assert counted(job) == (1, 0, 0, 0, 1) and job.quarantined_by_reason == {NEW: 1}
        assert not CreditRecord.objects.exists()
    else:
        assert counted(job) == (1, 1, 1, 0, 0) and job.quarantined_by_reason == {}
        assert CreditRecord.objects.get().is_published


def test_a_code_is_not_read_where_the_names_do_not_tell_the_edition():
    """A header of names both editions share (or as many of each edition's own) is read as
    the current edition, but its state's code is not trusted: 2 is 异议 in the older table."""
    from xinyong.catalog.importers.cell_values import revoked_codes
    from xinyong.catalog.importers.formats import LICENCES, map_header

    shared = ["决定文书号", "决定日期", "当前状态", "备注"]  # titles both templates use
    told = map_header(LICENCES, shared)
    assert not told.edition_told
    assert revoked_codes(old_edition=False, told=told.edition_told) == frozenset()
    assert map_header(LICENCES, samples.LICENCE_FIELDS).edition_told
    assert map_header(LICENCES, OLD_LICENCE_FIELDS).edition_told


def test_the_chinese_title_of_the_state_is_read_too(tmp_path, department):
    header = [("当前状态" if name == "XK_ZT" else name) for name in samples.LICENCE_FIELDS]
    row = {("当前状态" if k == "XK_ZT" else k): v for k, v in licence(1, XK_ZT="无效").items()}
    path = samples.write_csv(tmp_path / "t.csv", header, [row])
    with clock.frozen(imports.TODAY):
        job = services.import_file(actor="test", kind="licences", path=path, department=department)
    assert job.quarantined_by_reason == {NEW: 1}


@pytest.mark.parametrize("edition", ["new", "old"])
def test_a_recorded_licence_its_export_now_marks_revoked_stays_as_it_is(
    tmp_path, department, edition
):
    """Published and shared: the import neither revokes nor rewrites it; the row says how the
    platform revokes it, the objection's verification (R6)."""
    job = send(tmp_path, department, [licence(1, edition)], name="a.csv", edition=edition)
    assert counted(job) == (1, 1, 1, 0, 0)
    recorded = CreditRecord.objects.get()
    job = send(tmp_path, department, [licence(1, edition, XK_ZT="撤销", BZ="撤销")], name="b.csv",
               edition=edition)  # fmt: skip
    assert counted(job) == (1, 0, 0, 0, 1)
    assert job.quarantined_by_reason == {LIVE: 1} and reasons(job) == {1: [LIVE]}
    (reason,) = job.report_rows.get().reasons
    assert recorded.document_number in reason["message"]
    record = CreditRecord.objects.get()
    assert (record.pk, record.revoked_on, record.is_published, record.is_shared) == (
        recorded.pk, None, True, True)  # fmt: skip
    assert record.content == recorded.content


def test_a_licence_revoked_on_the_platform_stays_already_recorded(tmp_path, department):
    """Revoked on a founded objection (R6): its export, now marking it revoked, agrees."""
    send(tmp_path, department, [licence(1)], name="a.csv")
    revoke_on_founded_objection(CreditRecord.objects.get(), department)
    job = send(tmp_path, department, [licence(1, XK_ZT="撤销")], name="b.csv")
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}
    assert not CreditRecord.objects.filter(revoked_on__isnull=True).exists()
