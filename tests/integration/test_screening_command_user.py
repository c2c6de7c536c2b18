"""``xinyong screen --user``: the run is registered as a query of the department screened for,
so the account named must be one of that department's active officers (R14)."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import DepartmentFactory, OfficerFactory, ScenarioFactory, UserFactory
from xinyong.measures.models import ScreeningJob

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"


@pytest.fixture
def finance():
    ScenarioFactory(code=SCENARIO, name="政府采购")
    return DepartmentFactory(implementing=True, code="czj", name="财政局")


def _screen(tmp_path, username):
    source = tmp_path / "in.csv"
    source.write_text("code\n123\n", encoding="utf-8")
    call_command("screen", str(source), "-o", str(tmp_path / "out.csv"), "--scenario", SCENARIO,
                 "--department", "czj", "--user", username, "--no-progress",
                 stdout=io.StringIO())  # fmt: skip


def _inactive_officer(finance):
    officer = OfficerFactory(department=finance)
    officer.user.is_active = False
    officer.user.save()
    return officer.user


@pytest.mark.parametrize(
    "account",
    [
        lambda finance: OfficerFactory(department=DepartmentFactory(code="gaj")).user,
        lambda finance: UserFactory(username="root"),
        _inactive_officer,
    ],
    ids=["another-departments-officer", "no-officer", "inactive"],
)
def test_a_user_who_is_not_an_active_officer_of_the_department_is_refused(
    tmp_path, finance, account
):
    """Registered under the account's own department (or none), the run of another department
    went unseen by the reviewer of the department it was for: refused, nothing registered."""
    user = account(finance)
    with pytest.raises(CommandError, match="czj") as refused:
        _screen(tmp_path, user.username)
    assert user.username in str(refused.value)
    assert not ScreeningJob.objects.exists()
    assert not (tmp_path / "out.csv").exists()


def test_an_officer_of_the_department_runs_as_themself(tmp_path, finance):
    officer = OfficerFactory(department=finance)
    _screen(tmp_path, officer.user.username)
    job = ScreeningJob.objects.get()
    assert (job.user, job.department, job.status) == (officer.user, finance, "done")
