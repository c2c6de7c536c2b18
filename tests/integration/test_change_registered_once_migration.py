"""The migration that makes a change of law or duty registered once (R13) refuses, with the
changes named, a database where one was registered twice, and changes nothing; it passes where
none was."""

import datetime as dt

import pytest

from tests.factories import DepartmentFactory
from tests.migration_steps import migrate, migrate_to_latest

BEFORE = [("submissions", "0001_initial")]
AFTER = [("submissions", "0002_change_registered_once")]


def _register(apps, title: str, effective_on: dt.date, department) -> int:
    change = apps.get_model("submissions", "ChangeOfLawOrDuty").objects.create(
        kind="law_revised", title=title, legal_basis="依据", effective_on=effective_on,
        update_workdays=15, registered_by="xyb_admin", registered_on=dt.date(2026, 9, 1),
    )  # fmt: skip
    apps.get_model("submissions", "UpdateDuty").objects.create(
        change=change, department_id=department.pk, due_on=dt.date(2026, 10, 19)
    )
    return change.pk


@pytest.mark.django_db(transaction=True)
def test_a_change_registered_twice_is_named_and_nothing_is_changed():
    try:
        department = DepartmentFactory()
        apps = migrate(BEFORE)
        day = dt.date(2026, 9, 21)
        first = _register(apps, "《某某条例》修订", day, department)
        second = _register(apps, "《某某条例》修订", day, department)
        _register(apps, "《某某条例》修订", dt.date(2027, 1, 1), department)  # a later revision
        with pytest.raises(RuntimeError) as refused:
            migrate(AFTER)
        message = str(refused.value)
        assert "《某某条例》修订" in message and "2026-09-21" in message
        assert f"编号 {first}、{second}" in message and "登记 2 次" in message
        assert "2027-01-01" not in message
        apps = migrate(BEFORE)
        assert apps.get_model("submissions", "ChangeOfLawOrDuty").objects.count() == 3
        assert apps.get_model("submissions", "UpdateDuty").objects.count() == 3
    finally:
        # The duplicates would stop the way back too: the test's own rows go first.
        apps = migrate(BEFORE)
        apps.get_model("submissions", "UpdateDuty").objects.all().delete()
        apps.get_model("submissions", "ChangeOfLawOrDuty").objects.all().delete()
        migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_changes_registered_once_take_the_constraint():
    try:
        department = DepartmentFactory()
        apps = migrate(BEFORE)
        _register(apps, "《某某条例》修订", dt.date(2026, 9, 21), department)
        _register(apps, "某部门职责调整", dt.date(2026, 9, 21), department)
        apps = migrate(AFTER)
        assert apps.get_model("submissions", "ChangeOfLawOrDuty").objects.count() == 2
    finally:
        migrate_to_latest()
