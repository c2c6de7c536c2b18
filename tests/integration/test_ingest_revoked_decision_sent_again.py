"""A record revoked on a founded objection stays revoked however often its file is imported
(R6): the revoked decision sent again is already recorded, however its cells are written (a
date as 2026/11/02, a fine of 1.0, stray or full-width spaces, full-width brackets), while the
right decision sent in its place under the same document number, saying otherwise in what it
states (its date, fine, penalty types, facts, basis, penalty content, other dates and amounts,
issuing body), is recorded and published."""

import datetime as dt

import pytest

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory
from tests.integration.test_ingest_import import old_edition_penalty, revoke_on_founded_objection
from xinyong.catalog import services
from xinyong.catalog.models import CreditRecord, RecordFormat
from xinyong.core import clock

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
# The revoked decision as first sent: a few optional cells filled, to be written otherwise.
FIRST = {"CF_YXQ": "2027-11-01", "CF_NR_WFFF": "0.5", "CF_NR": "罚款人民币壹万元(一次性)"}


@pytest.fixture(autouse=True)
def business_date():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)


@pytest.fixture(autouse=True)
def penalty_item():
    return CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                              provider=None)  # fmt: skip


def send(tmp_path, department, rows, name="p.csv", *, kind="penalties", fields=None):
    fields = fields or samples.PENALTY_FIELDS
    path = samples.write_csv(tmp_path / name, fields, rows)
    return services.import_file(actor="test", kind=kind, path=path, department=department)


def counted(job):
    return (job.rows_done, job.accepted, job.inserted, job.already_recorded, job.quarantined)


def live():
    return CreditRecord.objects.filter(revoked_on__isnull=True)


@pytest.fixture
def revoked(tmp_path, department):
    """Penalty 1, recorded, then revoked on a founded objection."""
    job = send(tmp_path, department, [samples.penalty(1, **FIRST)], name="first.csv")
    assert counted(job) == (1, 1, 1, 0, 0)
    record = CreditRecord.objects.get()
    revoke_on_founded_objection(record, department)
    return record


@pytest.mark.parametrize(
    "changes",
    [{"CF_JDRQ": "2026/11/02"}, {"CF_JDRQ": "20261102"}, {"CF_JDRQ": "2026年11月2日"},
     {"CF_JDRQ": "2026-11-02 00:00:00"}, {"CF_NR_FK": "1.0"}, {"CF_NR_FK": "1.000000"},
     {"CF_SY": " 经查，当事人 销售超过保质期的食品 "},
     {"CF_NR": "罚款人民币壹万元\u3000（一次性）",
      "CF_YJ": "《中华人民共和国食品安全法》\n第一百二十四条"},
     {"CF_XDR_MC": "杭州示例1号科技有限公司 ", "CF_FRDB": " 李四 ",
      "CF_CFJG": f"{samples.AUTHORITY} "},
     {"CF_CFLB": " 罚款 "}, {"CF_YXQ": "2027/11/1"}, {"CF_NR_WFFF": "0.50"},
     {"CF_NR_WFFF": "０.５"}, {"CF_JDRQ": "2026/11/02", "CF_NR_FK": "1.0", "BZ": "再次导出"}],
    ids=["date-slashes", "date-digits", "date-chinese", "date-with-time", "fine-1.0",
         "fine-six-places", "spaces-in-facts", "full-width-space-bracket-and-line",
         "spaces-around-names", "spaces-in-types", "other-date-slashes", "amount-0.50",
         "amount-full-width", "all-at-once"],
)  # fmt: skip
def test_the_revoked_decision_written_otherwise_stays_revoked(
    tmp_path, department, revoked, changes
):
    job = send(tmp_path, department, [samples.penalty(1, **{**FIRST, **changes})])
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}
    assert not live().exists()
    record = CreditRecord.objects.get()
    assert (record.pk, record.revoked_on, record.is_published) == (revoked.pk, TODAY, False)


@pytest.mark.parametrize(
    "changes",
    [{"CF_NR_FK": "0.5", "CF_NR": "罚款人民币伍仟元"}, {"CF_NR_FK": "0.5"},
     {"CF_JDRQ": "2026-11-03"}, {"CF_NR": "罚款人民币伍仟元"},
     {"CF_SY": "经查，当事人销售超过保质期的食品三批次"},
     {"CF_YJ": "《中华人民共和国食品安全法》第一百二十五条"},
     {"CF_CFLB": "罚款；没收违法所得"}, {"CF_YXQ": "2027-12-01"}, {"CF_NR_WFFF": "0.6"},
     {"CF_NR_ZKDX": "食品经营许可证JY133010600001"},
     {"CF_CFJG": "杭州市西湖区市场监督管理局"}, {"CF_XDR_MC": "杭州示例1号科技股份有限公司"}],
    ids=["fine-and-content", "fine", "date", "content", "facts", "basis", "types",
         "other-date", "other-amount", "licence-suspended", "issuing-body", "subject-name"],
)  # fmt: skip
def test_the_right_decision_in_its_place_is_recorded(tmp_path, department, revoked, changes):
    job = send(tmp_path, department, [samples.penalty(1, **{**FIRST, **changes})])
    assert counted(job) == (1, 1, 1, 0, 0) and job.quarantined_by_reason == {}
    right = live().get()
    assert right.pk != revoked.pk and right.is_published

    # Sent again, written otherwise, it is the right decision's record: already recorded.
    again = {**FIRST, **changes, "CF_JDRQ": changes.get("CF_JDRQ", "2026-11-02").replace("-", "/")}
    job = send(tmp_path, department, [samples.penalty(1, **again)], name="again.csv")
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}
    assert live().get().pk == right.pk


def test_a_record_revoked_before_its_types_were_kept_is_compared_on_their_text(
    tmp_path, department, revoked
):
    """A record stored before the platform kept the penalty types it read has none: its
    types are compared as written, spaces aside."""
    CreditRecord.objects.update(penalty_type_ids=None)
    job = send(tmp_path, department, [samples.penalty(1, **FIRST, CF_CFLB="罚 款 ")])
    assert counted(job) == (1, 1, 0, 1, 0) and not live().exists()
    job = send(tmp_path, department, [samples.penalty(1, **FIRST, CF_CFLB="警告")], "warning.csv")
    assert counted(job) == (1, 1, 1, 0, 0) and live().exists()


def test_the_older_template_written_otherwise_stays_revoked(tmp_path, department):
    fields = samples.OLD_PENALTY_FIELDS
    send(tmp_path, department, [old_edition_penalty()], name="a.csv", fields=fields)
    revoke_on_founded_objection(CreditRecord.objects.get(), department)
    row = old_edition_penalty(CF_JDRQ="2026-11-10", CF_JG=" 罚款五千元", SJC="2026-11-21 08:00")
    job = send(tmp_path, department, [row], name="b.csv", fields=fields)
    assert counted(job) == (1, 1, 0, 1, 0) and not live().exists()


def test_a_licence_written_otherwise_stays_revoked_and_its_right_end_is_recorded(
    tmp_path, department
):
    """A licence's end is its publication's, revoked and sent again when wrong (R6, R8)."""
    CatalogItemFactory(code="administrative-licence", record_format=RecordFormat.LICENCE,
                       provider=None)  # fmt: skip
    fields = samples.LICENCE_FIELDS
    send(tmp_path, department, [samples.licence(1)], name="a.csv", kind="licences", fields=fields)
    revoke_on_founded_objection(CreditRecord.objects.get(), department)
    written_otherwise = samples.licence(1, XK_JDRQ="2026/11/2", XK_YXQZI="2031/11/1 ")
    job = send(tmp_path, department, [written_otherwise], "b.csv", kind="licences", fields=fields)
    assert counted(job) == (1, 1, 0, 1, 0) and not live().exists()
    right = samples.licence(1, XK_YXQZI="2030-11-01")
    job = send(tmp_path, department, [right], "c.csv", kind="licences", fields=fields)
    assert counted(job) == (1, 1, 1, 0, 0) and live().exists()


def test_other_information_written_otherwise_stays_revoked(tmp_path, department):
    """Other catalog information: its own columns, kept in its content, read as text, spaces
    aside; its decision date read as a date (R13)."""
    CatalogItemFactory(code="integrity-honour", provider=department, subject_kinds=["legal_person"],
                       publication_months_max=24, data_items=["荣誉级别"])  # fmt: skip
    header = ["目录编码", "主体名称", "主体类别", "统一社会信用代码", "文书号", "决定日期",
              "决定机关", "荣誉级别"]  # fmt: skip

    def row(day, level):
        cells = ["integrity-honour", "1号公司", "法人", samples.make_uscc(1), "杭文明〔2026〕1号",
                 day, "杭州市文明办", level]  # fmt: skip
        return dict(zip(header, cells, strict=True))

    send(tmp_path, department, [row("2026-11-02", "市级")], "a.csv", kind="records", fields=header)
    revoke_on_founded_objection(CreditRecord.objects.get(), department)
    job = send(tmp_path, department, [row("2026/11/2", " 市 级")], "b.csv", kind="records",
               fields=header)  # fmt: skip
    assert counted(job) == (1, 1, 0, 1, 0) and not live().exists()
    job = send(tmp_path, department, [row("2026-11-02", "省级")], "c.csv", kind="records",
               fields=header)  # fmt: skip
    assert counted(job) == (1, 1, 1, 0, 0) and live().exists()


@pytest.mark.parametrize("types", [("罚款", "警告"), ("警告、罚款", "")])
def test_a_record_kept_without_its_types_stays_revoked_with_them_in_another_order(
    tmp_path, department, penalty_item, types
):
    """A record stored before records kept their penalty types' rows compares them as
    written: the same names in another order, or parted otherwise, are the same decision."""
    first = old_edition_penalty(CF_CFLB1="警告", CF_CFLB2="罚款")
    send(tmp_path, department, [first], name="a.csv", fields=samples.OLD_PENALTY_FIELDS)
    record = CreditRecord.objects.get()
    CreditRecord.objects.filter(pk=record.pk).update(penalty_type_ids=None)  # as before 0020
    revoke_on_founded_objection(record, department)
    again = old_edition_penalty(CF_CFLB1=types[0], CF_CFLB2=types[1], SJC="2026-11-20 09:00:00")
    job = send(tmp_path, department, [again], name="b.csv", fields=samples.OLD_PENALTY_FIELDS)
    assert counted(job) == (1, 1, 0, 1, 0)
    assert not live().exists()
