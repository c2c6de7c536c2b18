"""The migration that gives outcomes the day their business applied the measures carries the
outcomes it finds over: the day their report said, else the day they were reported, the day
every report was judged on until then (003 §七: a case counts in the period it was applied)."""

import datetime as dt

import pytest

from tests.check_clients import check
from tests.factories import ListEntryFactory
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.core import clock
from xinyong.listings.models import ListKind

BEFORE = [("measures", "0025_check_feedback_applied_on")]
AFTER = [("measures", "0026_measure_outcome_applied_on")]
D = dt.date


def _report(api, reference, applied_on=None):
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    with clock.frozen(D(2026, 11, 16)):
        made = check(api, subject=entry.subject.reveal_identifier(),
                     scenario="government_procurement").json()  # fmt: skip
    body = {"business_reference": reference,
            "measures": [{"measure": "bar-procurement", "applied": True}]}  # fmt: skip
    if applied_on is not None:
        body["applied_on"] = applied_on.isoformat()
    with clock.frozen(D(2026, 11, 20)):
        sent = api.post(f"/api/v1/checks/{made['check_id']}/feedback", body,
                        content_type="application/json")  # fmt: skip
    assert sent.status_code == 201, sent.json()
    return sent.json()["id"]


@pytest.mark.django_db(transaction=True)
def test_outcomes_from_before_take_the_day_their_report_said_or_their_reports_day(api, measures):
    try:
        said = _report(api, "CG-1", applied_on=D(2026, 11, 17))
        unsaid = _report(api, "CG-2")
        apps = migrate(BEFORE)
        feedback = apps.get_model("measures", "CheckFeedback").objects
        feedback.filter(pk=unsaid).update(applied_on=None)  # a report from before 0025
        apps = migrate(AFTER)
        outcomes = apps.get_model("measures", "MeasureOutcome").objects
        assert dict(outcomes.values_list("feedback_id", "applied_on")) == {
            said: D(2026, 11, 17), unsaid: D(2026, 11, 20),
        }  # fmt: skip
    finally:
        migrate_to_latest()
