"""The migration that gives import jobs the day their last chunk was stored carries the jobs it
finds over: before it, every chunk was stored under the job's business date, so a job that
stored rows stored its last on that day, and one that stored none has no such day (R9)."""

import datetime as dt

import pytest

from tests.factories import DepartmentFactory
from tests.migration_steps import migrate, migrate_to_latest

BEFORE = [("catalog", "0017_mask_import_job_names")]
AFTER = [("catalog", "0018_import_job_last_collected_on")]


@pytest.mark.django_db(transaction=True)
def test_jobs_from_before_stored_their_rows_on_their_business_date():
    try:
        department = DepartmentFactory()
        apps = migrate(BEFORE)
        jobs = apps.get_model("catalog", "ImportJob").objects

        def job(sha: str, **fields) -> int:
            return jobs.create(
                kind="penalties", department_id=department.pk, actor="test", file_name="p.csv",
                file_path=f"/var/imports/{sha}.csv", file_sha256=sha * 64, file_format="csv",
                business_date=dt.date(2026, 9, 1), **fields,
            ).pk  # fmt: skip

        stored, refused = job("a", rows_done=3, accepted=3), job("b", status="failed")
        apps = migrate(AFTER)
        jobs = apps.get_model("catalog", "ImportJob").objects
        assert jobs.get(pk=stored).last_collected_on == dt.date(2026, 9, 1)
        assert jobs.get(pk=refused).last_collected_on is None
    finally:
        migrate_to_latest()
