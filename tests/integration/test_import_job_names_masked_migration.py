"""The migration that masks the names import jobs kept before they were masked: a citizen ID in a
column's name, the file's name, the failure's message or a warning is masked as an import masks
it today; the rest stays as written (R14)."""

import datetime as dt

import pytest

from tests.factories import DepartmentFactory, make_citizen_id
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.core.masking import mask_id_number

BEFORE = [("catalog", "0016_import_job_progress")]
AFTER = [("catalog", "0017_mask_import_job_names")]
CITIZEN_ID = make_citizen_id(7)
MASKED = mask_id_number(CITIZEN_ID)


@pytest.mark.django_db(transaction=True)
def test_the_names_a_job_kept_are_masked_and_nothing_else_changes():
    try:
        department = DepartmentFactory()
        apps = migrate(BEFORE)
        jobs = apps.get_model("catalog", "ImportJob").objects

        def job(sha: str, **fields) -> int:
            return jobs.create(
                kind="penalties", department_id=department.pk, actor="test",
                file_path=f"/var/imports/{sha}.csv", file_sha256=sha * 64, file_format="csv",
                business_date=dt.date(2026, 9, 1), **fields,
            ).pk  # fmt: skip

        refusal = f"目录中没有本部门可报送的行政处罚条目“{CITIZEN_ID}”"
        warning = {"code": "unknown-columns", "message": f"以下列未导入：{CITIZEN_ID}"}
        named = job(
            "a", file_name=f"处罚{CITIZEN_ID}.csv", columns=["CF_WSH", CITIZEN_ID, "BZ"],
            error_code="not-in-catalog", error_message=refusal, warnings=[warning],
        )  # fmt: skip
        plain = job("b", file_name="处罚.csv", columns=["CF_WSH", "BZ"], error_message="")
        apps = migrate(AFTER)
        jobs = apps.get_model("catalog", "ImportJob").objects
        masked = jobs.get(pk=named)
        assert masked.file_name == f"处罚{MASKED}.csv"
        assert masked.columns == ["CF_WSH", MASKED, "BZ"]
        assert f"“{MASKED}”" in masked.error_message and CITIZEN_ID not in masked.error_message
        assert masked.warnings[0]["message"].endswith(MASKED)
        kept = jobs.get(pk=plain)
        assert (kept.file_name, kept.columns) == ("处罚.csv", ["CF_WSH", "BZ"])
    finally:
        migrate_to_latest()
