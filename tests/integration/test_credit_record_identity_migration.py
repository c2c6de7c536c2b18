"""The migrations that key a record's identity on its issuing body (issue §3): every record gets
its body's key (its code, else its name) and its issuing body masked (R14); the records kept
twice under one identity, one decision sent by two departments, become the first one recorded,
which takes what was filed against the others; nothing else changes."""

import datetime as dt

import pytest

from tests.factories import (
    CatalogItemFactory,
    DepartmentFactory,
    SubjectFactory,
    make_citizen_id,
    make_uscc,
)
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.core.masking import mask_id_number

REMEDIES = ("remedies", "0010_mask_sent_file_names")  # its objections, read on both sides
BEFORE = [("catalog", "0018_import_job_last_collected_on"), REMEDIES]
AFTER = [("catalog", "0020_credit_record_identity_by_issuing_body"), REMEDIES]
CODE = make_uscc(1, authority="1", org_type="1")
ID = make_citizen_id(7)


@pytest.mark.django_db(transaction=True)
def test_one_decision_kept_by_two_departments_becomes_the_first_record():
    try:
        scjg, bureau = DepartmentFactory(name="杭州市市场监督管理局"), DepartmentFactory()
        third = DepartmentFactory()
        item, subject, other = CatalogItemFactory(provider=None), SubjectFactory(), SubjectFactory()
        apps = migrate(BEFORE)
        records = apps.get_model("catalog", "CreditRecord").objects
        objections = apps.get_model("remedies", "RecordObjection").objects

        def record(department, number="杭市监处罚〔2026〕1号", body="杭州市市场监督管理局",
                   content=None, **fields):  # fmt: skip
            return records.create(
                catalog_item_id=item.pk, subject_id=fields.pop("subject", subject).pk,
                department_id=department.pk, document_number=number,
                decision_date=dt.date(2026, 9, 1), issuing_body=body,
                content={"CF_CFJGDM": CODE} if content is None else content, **fields,
            ).pk  # fmt: skip

        first = record(scjg)
        again = record(bureau, body="杭州市市场监管局")  # the same code: the same body
        objection = objections.create(
            record_id=again, department_id=bureau.pk, objector="某某", grounds="有误",
            state="unfounded", received_on=dt.date(2026, 9, 10), due_on=dt.date(2026, 10, 9),
        ).pk  # fmt: skip
        by_name = record(third, body="杭州市 生态环境局", content={})
        revoked = record(bureau, revoked_on=dt.date(2026, 9, 20))  # no longer its identity's
        named = record(scjg, number="杭市监处罚〔2026〕2号", body=f"张三{ID}", content={})
        someone_else = record(bureau, subject=other)

        apps = migrate(AFTER)
        records = apps.get_model("catalog", "CreditRecord").objects
        kept = dict(records.values_list("pk", "issuing_body_key"))
        assert kept == {
            first: CODE, by_name: "杭州市生态环境局", revoked: CODE,
            named: f"张三{mask_id_number(ID)}", someone_else: CODE,
        }  # fmt: skip
        assert records.get(pk=named).issuing_body == f"张三{mask_id_number(ID)}"
        assert records.get(pk=by_name).issuing_body == "杭州市 生态环境局"  # shown as written
        objections = apps.get_model("remedies", "RecordObjection").objects
        assert objections.get(pk=objection).record_id == first
    finally:
        migrate_to_latest()
