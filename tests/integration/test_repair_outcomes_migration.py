"""Repairs accepted before outcomes were chosen are named by the migration that adds them: an
entry's early exit, a record's publication and sharing stopped (R8)."""

import datetime as dt

import pytest

from tests.factories import CreditRecordFactory, ListEntryFactory, UserFactory
from tests.migration_steps import migrate, migrate_to_latest

BEFORE = [("remedies", "0003_objection_by_named_person")]
AFTER = [("remedies", "0004_repair_outcomes")]


@pytest.mark.django_db(transaction=True)
def test_accepted_repairs_get_the_outcome_they_had():
    entry = ListEntryFactory(effective=True)
    record = CreditRecordFactory()
    account = UserFactory()
    apps = migrate(BEFORE)
    model = apps.get_model("remedies", "RepairApplication")

    def made(state, **target):
        subject = target.get("entry", target.get("record")).subject_id
        department = entry.list.recognizing_department_id if "entry" in target else (
            record.department_id
        )  # fmt: skip
        return model.objects.create(
            subject_id=subject, department_id=department, account_id=account.pk,
            corrected="已整改", state=state, submitted_on=dt.date(2026, 11, 2),
            **{f"{name}_id": value.pk for name, value in target.items()},
        ).pk  # fmt: skip

    exited = made("accepted", entry=entry)
    stopped = made("accepted", record=record)
    rejected = made("rejected", record=record)
    try:
        apps = migrate(AFTER)
    finally:
        migrate_to_latest()
    outcomes = dict(
        apps.get_model("remedies", "RepairApplication").objects.values_list("pk", "outcome")
    )
    assert outcomes == {exited: "exit", stopped: "stop", rejected: ""}
