"""The migration that gives import jobs their last progress carries the jobs it finds over: the
daily job judges a job from before by its first run's start, or its opening if it never ran
(001 §14)."""

import datetime as dt

import pytest

from tests.factories import DepartmentFactory
from tests.migration_steps import migrate, migrate_to_latest

BEFORE = [("catalog", "0015_records_read_whole_by_the_daily_stops")]
AFTER = [("catalog", "0016_import_job_progress")]


@pytest.mark.django_db(transaction=True)
def test_jobs_from_before_get_their_start_or_their_opening_as_their_last_progress():
    try:
        department = DepartmentFactory()
        apps = migrate(BEFORE)
        jobs = apps.get_model("catalog", "ImportJob").objects
        started = dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC)

        def job(sha: str, **fields) -> int:
            return jobs.create(
                kind="penalties", department_id=department.pk, actor="test", file_name="p.csv",
                file_path=f"/var/imports/{sha}.csv", file_sha256=sha * 64, file_format="csv",
                business_date=dt.date(2026, 9, 1), **fields,
            ).pk  # fmt: skip

        ran, never = job("a", started_at=started), job("b")
        apps = migrate(AFTER)
        jobs = apps.get_model("catalog", "ImportJob").objects
        assert jobs.get(pk=ran).progress_at == started
        assert jobs.get(pk=never).progress_at == jobs.get(pk=never).created_at
    finally:
        migrate_to_latest()
