"""The migrations that give screening jobs a heartbeat and their origin carry the jobs they
find over: the sweep judges them as it did (by their start, or their registration), and a job
whose result the command line asked for is the command line's, never run again by the sweep."""

import datetime as dt
import uuid

import pytest

from tests.factories import DepartmentFactory, ScenarioFactory, UserFactory
from tests.migration_steps import migrate, migrate_to_latest

BEFORE = [("measures", "0022_measures_list_version_before_statements")]
AFTER = [("measures", "0024_screening_job_from_command_line")]


@pytest.mark.django_db(transaction=True)
def test_jobs_from_before_keep_their_time_and_are_told_apart_by_their_result(tmp_path):
    try:
        department, scenario, user = DepartmentFactory(), ScenarioFactory(), UserFactory()
        apps = migrate(BEFORE)
        jobs = apps.get_model("measures", "ScreeningJob").objects
        started = dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC)

        def job(output: str | None, **fields) -> uuid.UUID:
            pk = uuid.uuid4()
            upload = tmp_path / "screenings" / f"{uuid.uuid4()}.input.csv"
            result = output or str(upload.with_name(f"{pk}.result.csv"))
            jobs.create(id=pk, department_id=department.pk, user_id=user.pk,
                        scenario_id=scenario.pk, input_path=str(upload), output_path=result,
                        **fields)  # fmt: skip
            return pk

        api = job(None, status="running", started_at=started)
        command_line = job(str(tmp_path / "out.csv"), status="running", started_at=started)
        queued = job(None)
        apps = migrate(AFTER)
        jobs = apps.get_model("measures", "ScreeningJob").objects
        assert jobs.get(pk=api).heartbeat_at == started
        assert jobs.get(pk=queued).heartbeat_at == jobs.get(pk=queued).created_at
        assert set(jobs.filter(from_command_line=True).values_list("pk", flat=True)) == {
            command_line
        }
    finally:
        migrate_to_latest()
