"""The dates a licence or a penalty states beside its decision date: a licence's term (有效期自,
有效期至) and a penalty's stated end of publication (公示截止期) are dates, checked as the decision
date is, and a term ends no earlier than it starts (R9, DOMAIN.md §5). A row stating otherwise is
quarantined with its reason; nothing of it is stored or published."""

import datetime as dt

import pytest
from django.test import Client

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory
from xinyong.catalog import services
from xinyong.catalog.importers.formats import LICENCES
from xinyong.catalog.importers.reasons import LABELS, MESSAGES
from xinyong.catalog.models import CreditRecord, Disclosure, RecordFormat
from xinyong.core import clock

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def business_date():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)


@pytest.fixture
def licence_item(department):
    return CatalogItemFactory(code="administrative-licence", record_format=RecordFormat.LICENCE,
                              provider=None)  # fmt: skip


def send(tmp_path, department, rows, *, kind="licences", writer="csv", header=None):
    fields = header or (samples.LICENCE_FIELDS if kind == "licences" else samples.PENALTY_FIELDS)
    if writer == "xlsx":
        path = samples.write_xlsx(tmp_path / "f.xlsx", fields, rows)
    elif writer == "json":
        path = samples.write_json(tmp_path / "f.json", rows)
    else:
        path = samples.write_csv(tmp_path / "f.csv", fields, rows)
    return services.import_file(actor="test", kind=kind, path=path, department=department)


def reasons(job):
    return [(r["code"], r["column"]) for row in job.report_rows.all() for r in row.reasons]


@pytest.mark.parametrize("writer", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("valid_from", ["abc", "2026-02-30", "2026-13-01"])
def test_a_valid_from_that_is_no_date_is_quarantined(
    tmp_path, department, licence_item, valid_from, writer
):
    job = send(tmp_path, department, [samples.licence(1, XK_YXQZ=valid_from), samples.licence(2)],
               writer=writer)  # fmt: skip
    assert (job.accepted, job.quarantined_by_reason) == (1, {"date-invalid": 1})
    assert reasons(job) == [("date-invalid", "有效期自")]
    message = job.report_rows.get().reasons[0]["message"]
    assert message == MESSAGES["date-invalid"].format(column="有效期自", value=valid_from)
    assert list(CreditRecord.objects.values_list("document_number", flat=True)) == [
        "杭市监许〔2026〕2号"
    ]


def test_a_term_ending_before_it_starts_is_quarantined(tmp_path, department, licence_item):
    inverted = samples.licence(1, XK_YXQZ="2027-01-01", XK_YXQZI="2026-12-01")
    job = send(tmp_path, department, [inverted, samples.licence(2)])
    assert (job.accepted, job.quarantined_by_reason) == (1, {"date-before-start": 1})
    assert reasons(job) == [("date-before-start", "有效期至")]
    message = job.report_rows.get().reasons[0]["message"]
    assert message == "“有效期至”2026-12-01早于“有效期自”2027-01-01"
    assert LABELS["date-before-start"]
    assert not CreditRecord.objects.filter(document_number="杭市监许〔2026〕1号").exists()


def test_an_inverted_term_is_never_on_the_portal(tmp_path, department, licence_item):
    """The reviewer's case: the public page showed 有效期自 2027-01-01 above 有效期至
    2026-12-01, and 有效期自 2026-02-30. Neither is stored, so neither is shown."""
    rows = [samples.licence(1, XK_YXQZ="2026-02-30", XK_YXQZI="2026-12-01"),
            samples.licence(2, XK_YXQZ="2027-01-01", XK_YXQZI="2026-12-01"),
            samples.licence(3, XK_YXQZ="2026-11-02", XK_YXQZI="2026-12-01")]  # fmt: skip
    job = send(tmp_path, department, rows)
    assert (job.accepted, job.quarantined) == (1, 2)
    page = Client().get("/double-publicity/licences/").content.decode()
    assert "杭州示例3号餐饮有限公司" in page
    assert "杭州示例1号" not in page and "杭州示例2号" not in page
    shown = Client().get(f"/double-publicity/licences/{CreditRecord.objects.get().pk}/")
    assert "2026-02-30" not in shown.content.decode()


@pytest.mark.parametrize(
    "changes",
    [
        {"XK_YXQZ": ""},  # optional
        {"XK_YXQZ": "无"},
        {"XK_YXQZ": "2026/11/2"},  # the usual variants of a date
        {"XK_YXQZ": "2026-11-02", "XK_YXQZI": "2026-11-02"},  # a term of one day
        {"XK_YXQZ": "2027-01-01", "XK_YXQZI": "长期"},  # no stated end
        {"XK_YXQZ": "2027-01-01", "XK_YXQZI": ""},
        {"XK_YXQZ": "2020-01-01"},  # a term begun before the decision (a changed licence)
        {"XK_YXQZ": "2031-11-02", "XK_YXQZI": "2036-11-01"},  # a renewal's next term
    ],
    ids=["empty", "none", "slashes", "one-day", "long-term", "no-end", "before", "after"],
)
def test_a_term_as_licences_state_it_is_accepted(tmp_path, department, licence_item, changes):
    job = send(tmp_path, department, [samples.licence(1, **changes)])
    assert (job.accepted, job.quarantined_by_reason) == (1, {})
    assert CreditRecord.objects.get().content.get("XK_YXQZ", "") == changes["XK_YXQZ"]


def test_the_columns_chinese_titles_are_checked_the_same(tmp_path, department, licence_item):
    """A file headed with the fields' own labels (有效期自, 有效期至) is checked as one headed
    with their names."""
    label = {f.content: f.label for f in LICENCES.fields if f.content}
    header = [label[name] for name in samples.LICENCE_FIELDS]
    rows = [samples.licence(1, XK_YXQZ="abc"),
            samples.licence(2, XK_YXQZ="2027-01-01", XK_YXQZI="2026-12-01")]  # fmt: skip
    titled = [{label[k]: v for k, v in row.items()} for row in rows]
    job = send(tmp_path, department, titled, header=header)
    assert job.quarantined_by_reason == {"date-invalid": 1, "date-before-start": 1}


def test_the_older_editions_expiry_is_checked_as_ever(tmp_path, department, licence_item):
    """The older template has no 有效期自, only its 许可截止期 (XK_JZQ): a row of it is checked for
    its decision date and its expiry, and needs no start."""
    fields = ["XK_WSH", "XK_XMMC", "XK_SPLB", "XK_NR", "XK_XDR", "XK_XDR_SHXYM", "XK_JDRQ",
              "XK_JZQ", "XK_XZJG"]  # fmt: skip
    good = samples.licence(1)
    row = {"XK_WSH": good["XK_WSH"], "XK_XMMC": "食品经营", "XK_SPLB": "普通",
           "XK_NR": "预包装食品销售", "XK_XDR": good["XK_XDR_MC"],
           "XK_XDR_SHXYM": good["XK_XDR_SHXYM"], "XK_JDRQ": "2026-11-02",
           "XK_JZQ": "2031-11-01", "XK_XZJG": samples.AUTHORITY}  # fmt: skip
    bad = dict(row, XK_WSH="杭市监许〔2026〕9号", XK_JZQ="2026-02-30")
    job = send(tmp_path, department, [row, bad], header=fields)
    assert (job.edition, job.accepted, job.quarantined_by_reason) == (
        "old", 1, {"date-invalid": 1},
    )  # fmt: skip
    assert reasons(job) == [("date-invalid", "有效期至")]


@pytest.mark.parametrize("disclosure", [Disclosure.PUBLIC, Disclosure.NOT_PUBLIC])
@pytest.mark.parametrize(
    ("stated", "code"), [("abc", "date-invalid"), ("2026-10-01", "date-order")]
)
def test_a_penalty_stated_end_is_a_date_after_its_decision_whatever_its_disclosure(
    tmp_path, department, disclosure, stated, code
):
    """公示截止期 is kept in the record's content and shared, its item disclosed to the public or
    not: it is checked in either case, as the decision date is."""
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None, disclosure=disclosure)  # fmt: skip
    rows = [samples.penalty(1, CF_GSJZQ=stated), samples.penalty(2)]
    job = send(tmp_path, department, rows, kind="penalties")
    assert (job.accepted, job.quarantined_by_reason) == (1, {code: 1})
    assert reasons(job) == [(code, "公示截止期")]


@pytest.mark.parametrize(
    ("changes", "code"),
    [({"CF_YXQ": "2026-02-30"}, "date-invalid"), ({"CF_YXQ": "2026-10-01"}, "date-order"),
     ({"CF_JDRQ": "2026-02-30"}, "date-invalid")],
)  # fmt: skip
def test_a_penaltys_other_dates_are_checked_as_before(tmp_path, department, changes, code):
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    job = send(tmp_path, department, [samples.penalty(1, **changes)], kind="penalties")
    assert (job.accepted, job.quarantined_by_reason) == (0, {code: 1})
