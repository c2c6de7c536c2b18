"""An organisation's code sealed after it was stored, as one a person's mistyped ID may be
(subjects 0006, 0008), had copies in clear in its records, in import reports and in stored
announcements: the follow-up migrations mask them as an import with today's rules would have
stored them (R14), and leave other codes as they were."""

import datetime as dt

import pytest

from tests.factories import (
    CreditRecordFactory,
    DepartmentFactory,
    ListEntryFactory,
    SubjectFactory,
)
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.catalog.models import CreditRecord, ImportJob, ReportRow
from xinyong.core.masking import mask_id_number
from xinyong.core.protection import is_organisations_code, looks_like_citizen_id
from xinyong.listings.decision_records import Announcement

MISTYPED = "121101198001011256"  # passes the USCC's check, may be a person's mistyped ID
MASKED = "121101********1256"
PLAIN = "91330106MA2GL1T73K"  # an organisation's code in no ID's shape
ONLY_A_CODE = "911101190000000005"  # in an ID's shape, but no person's: Yanqing's, after 91
BEFORE = [
    ("catalog", "0011_import_job_one_running_per_item"),
    ("listings", "0018_feed_tells_shortened_monitoring"),
]
AFTER = [
    ("catalog", "0012_mask_copies_of_sealed_codes"),
    ("listings", "0019_mask_copies_of_sealed_codes"),
]


def _stored(company, department):
    """The copies as the earlier code kept them: the code in clear."""
    record = CreditRecordFactory(
        subject=company,
        catalog_item__provider=department,
        content={"CF_XDR_MC": company.name, "CF_XDR_SHXYM": MISTYPED, "CF_WSH": "杭罚〔2026〕1号"},
    )
    job = ImportJob.objects.create(
        kind="penalties", department=department, actor="t", file_name="p.csv",
        file_path="p.csv", file_sha256="a" * 64, file_format="csv",
        business_date=dt.date(2026, 11, 20), columns=["CF_XDR_MC", "CF_XDR_SHXYM"], status="done",
    )  # fmt: skip
    row = ReportRow.objects.create(
        job=job, row_number=1, outcome="quarantined", values=[company.name, MISTYPED],
        reasons=[{"code": "bad-date", "message": f"代码 {MISTYPED} 的决定日期有误"}],
    )  # fmt: skip
    entry = ListEntryFactory(subject=company, in_publicity=True)
    notice = Announcement.objects.create(
        entry=entry, kind="publicity", channel="信用中国（浙江）",
        published_on=dt.date(2026, 9, 21), title="关于拟列入名单的公示",
        body=f"拟列入主体：{company.name}（统一社会信用代码：{MISTYPED}）\n名单：名单",
    )  # fmt: skip
    return record, row, notice


@pytest.mark.django_db(transaction=True)
def test_copies_of_a_sealed_code_are_masked_as_an_import_masks_them_and_others_kept():
    assert looks_like_citizen_id(MISTYPED) and not is_organisations_code(MISTYPED)
    assert is_organisations_code(ONLY_A_CODE)
    department = DepartmentFactory()
    company = SubjectFactory(identifier=MISTYPED)  # sealed as the current code stores it
    assert company.identifier == MASKED and company.identifier_sealed
    record, row, notice = _stored(company, department)
    # A row about another organisation naming the code too, as an import report may.
    other = SubjectFactory(identifier=PLAIN)
    mention = CreditRecordFactory(
        subject=other, catalog_item__provider=department,
        content={"CF_XDR_SHXYM": PLAIN, "BZ": f"关联单位{MISTYPED}"},
    )  # fmt: skip
    kept = CreditRecordFactory(
        subject=company, catalog_item__provider=department,
        content={"CF_XDR_SHXYM": MASKED, "BZ": f"分支机构 {ONLY_A_CODE}"},
    )  # fmt: skip
    kept_content = dict(kept.content)
    wide = ReportRow.objects.create(  # typed with an input method in full-width mode
        job=row.job, row_number=2, outcome="quarantined", reasons=[],
        values=["某所", MISTYPED.translate(str.maketrans("0123456789", "０１２３４５６７８９"))],
    )  # fmt: skip
    try:
        migrate(BEFORE)
        migrate(AFTER)
        first = _copies(record, row, notice, mention)
        migrate(BEFORE)  # run again: nothing more to mask
        migrate(AFTER)
        assert _copies(record, row, notice, mention) == first
    finally:
        migrate_to_latest()
    content, values, reasons, body, mentioned = first
    assert content["CF_XDR_SHXYM"] == MASKED == mask_id_number(MISTYPED)
    assert content["CF_XDR_MC"] == company.name and content["CF_WSH"] == "杭罚〔2026〕1号"
    assert values == [company.name, MASKED]
    assert reasons == [{"code": "bad-date", "message": f"代码 {MASKED} 的决定日期有误"}]
    assert body == f"拟列入主体：{company.name}（统一社会信用代码：{MASKED}）\n名单：名单"
    assert mentioned == {"CF_XDR_SHXYM": PLAIN, "BZ": f"关联单位{MASKED}"}
    assert CreditRecord.objects.get(pk=kept.pk).content == kept_content
    assert ReportRow.objects.get(pk=wide.pk).values == ["某所", MASKED]


def _copies(record, row, notice, mention):
    """Read with the schema at ``AFTER``: the records' content only, as later migrations add
    columns of the record that the table there has not got."""
    row = ReportRow.objects.get(pk=row.pk)
    contents = CreditRecord.objects.values_list("content", flat=True)
    return (
        contents.get(pk=record.pk),
        row.values,
        row.reasons,
        Announcement.objects.get(pk=notice.pk).body,
        contents.get(pk=mention.pk),
    )


@pytest.mark.django_db(transaction=True)
def test_without_sealed_organisations_nothing_is_read_or_changed():
    department = DepartmentFactory()
    company = SubjectFactory(identifier=PLAIN)
    record = CreditRecordFactory(
        subject=company, catalog_item__provider=department, content={"BZ": MISTYPED}
    )
    try:
        migrate(BEFORE)
        migrate(AFTER)
    finally:
        migrate_to_latest()
    # No organisation is sealed: the migration leaves the rest to the masking already done.
    assert CreditRecord.objects.get(pk=record.pk).content == {"BZ": MISTYPED}
