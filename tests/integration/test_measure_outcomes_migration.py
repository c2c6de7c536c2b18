"""Reports sent before outcome rows existed are counted by the migration that adds them."""

import datetime as dt

import pytest

from tests.factories import (
    DepartmentFactory,
    ListEntryFactory,
    MeasureFactory,
    OfficerFactory,
    ScenarioFactory,
    SubjectFactory,
)
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.listings.models import ListKind

BEFORE = [("measures", "0006_check_department_in_composite_index")]
AFTER = [("measures", "0007_measure_outcomes")]


@pytest.mark.django_db(transaction=True)
def test_earlier_reports_become_outcomes_and_a_doubled_business_is_told_apart():
    department = DepartmentFactory(implementing=True)
    user = OfficerFactory(department=department).user
    scenario = ScenarioFactory()
    measure = MeasureFactory(code="bar-procurement", list_kinds=["black"])
    one, two = (ListEntryFactory(effective=True, list__kind=ListKind.BLACK) for _ in range(2))
    apps = migrate(BEFORE)
    check_model = apps.get_model("measures", "Check")
    feedback = apps.get_model("measures", "CheckFeedback")
    answer = {"result": "punish", "measures": [
        {"code": "bar-procurement", "mandatory": True, "entry_id": one.pk, "suspended": False},
        {"code": "bar-procurement", "mandatory": True, "entry_id": two.pk, "suspended": True},
        {"code": "withdrawn-since", "mandatory": False, "entry_id": one.pk, "suspended": False},
    ]}  # fmt: skip
    made = check_model.objects.create(
        as_of=dt.date(2026, 11, 2), user_id=user.pk, department_id=department.pk,
        scenario_id=scenario.pk, subject_id=one.subject_id, result="punish", response=answer,
    )  # fmt: skip
    lines = [{"measure": "bar-procurement", "applied": True, "reason": ""},
             {"measure": "withdrawn-since", "applied": False, "reason": "x"}]  # fmt: skip
    first = feedback.objects.create(check_record=made, reported_by="a", business_reference="B-1",
                                    measures=lines)  # fmt: skip
    again = feedback.objects.create(check_record=made, reported_by="a", business_reference="B-1",
                                    measures=lines)  # fmt: skip
    other = feedback.objects.create(check_record=made, reported_by="a", business_reference="B-1",
                                    measures=lines[:1], outcome="另行处理")  # fmt: skip
    checked_again = check_model.objects.create(
        as_of=dt.date(2026, 11, 3), user_id=user.pk, department_id=department.pk,
        scenario_id=scenario.pk, subject_id=made.subject_id, result="punish", response=answer,
    )  # fmt: skip
    retried = feedback.objects.create(check_record=checked_again, reported_by="a",
                                      business_reference="B-1", measures=lines)  # fmt: skip
    try:
        apps = migrate(AFTER)
    finally:
        migrate_to_latest()  # the test database is left at the latest state whatever happens
    feedback = apps.get_model("measures", "CheckFeedback")
    outcome = apps.get_model("measures", "MeasureOutcome")
    references = dict(feedback.objects.values_list("pk", "business_reference"))
    assert references == {first.pk: "B-1", again.pk: f"B-1（重复#{again.pk}）",
                          other.pk: f"B-1（重复#{other.pk}）", retried.pk: "B-1"}  # fmt: skip
    rows = outcome.objects.order_by("feedback_id")
    # The retries that said the same (on the check, or through a new one) are not counted
    # again; the one that said otherwise is.
    assert [(r.feedback_id, r.measure_id, r.applied, r.mandatory, r.suspended) for r in rows] == [
        (first.pk, measure.pk, True, True, False), (other.pk, measure.pk, True, True, False),
    ]  # fmt: skip
    assert sorted(rows[0].entries.values_list("pk", flat=True)) == sorted([one.pk, two.pk])
    assert rows[0].department_id == department.pk


@pytest.mark.django_db(transaction=True)
def test_earlier_reports_free_text_is_masked():
    department = DepartmentFactory(implementing=True)
    user = OfficerFactory(department=department).user
    scenario = ScenarioFactory()
    person = SubjectFactory(natural_person=True, name="王小明")
    apps = migrate([("measures", "0010_outcome_binding")])
    check_model = apps.get_model("measures", "Check")
    feedback = apps.get_model("measures", "CheckFeedback")
    outcome = apps.get_model("measures", "MeasureOutcome")
    made = check_model.objects.create(
        as_of=dt.date(2026, 11, 2), user_id=user.pk, department_id=department.pk,
        scenario_id=scenario.pk, subject_id=person.pk, result="punish", response={},
    )  # fmt: skip
    said = "王小明（110105194912310021，电话 138 1234 5678）已履行"
    row = feedback.objects.create(check_record=made, reported_by="a", business_reference="B-9",
                                  outcome=said, measures=[{"measure": "m", "applied": False,
                                                           "reason": said}])  # fmt: skip
    outcome.objects.create(
        feedback=row, measure_id=MeasureFactory().pk, department_id=department.pk,
        reported_on=dt.date(2026, 11, 2), applied=False, reason=said, mandatory=False,
        suspended=False,
    )  # fmt: skip
    try:
        apps = migrate([("measures", "0011_mask_feedback_text")])
    finally:
        migrate_to_latest()
    masked = "王某（110105********0021，电话 138****5678）已履行"
    row = apps.get_model("measures", "CheckFeedback").objects.get()
    assert (row.outcome, row.measures[0]["reason"]) == (masked, masked)
    assert apps.get_model("measures", "MeasureOutcome").objects.get().reason == masked


@pytest.mark.django_db(transaction=True)
def test_earlier_outcomes_keep_the_measure_as_their_check_answered_it():
    """A reload gave m001 to another measure after the report: the outcome keeps the measure
    the answer named. An answer that named none is read from the measure as it stands."""
    department = DepartmentFactory(implementing=True)
    user = OfficerFactory(department=department).user
    scenario = ScenarioFactory()
    renumbered = MeasureFactory(code="m001", name="优先安排财政资金", type="reward",
                                legal_basis="国发〔2016〕33号", list_kinds=["red"])  # fmt: skip
    unnamed = MeasureFactory(code="m002")
    apps = migrate([("measures", "0017_renormalise_branch_name_decisions")])
    check_model = apps.get_model("measures", "Check")
    feedback = apps.get_model("measures", "CheckFeedback")
    outcome = apps.get_model("measures", "MeasureOutcome")
    answer = {"result": "punish", "measures": [
        {"code": "m001", "name": "限制参加政府采购活动", "type": "punishment", "mandatory": True,
         "legal_basis": "《中华人民共和国政府采购法》第二十二条", "entry_id": None},
        {"code": "m002", "mandatory": False, "entry_id": None},
    ]}  # fmt: skip
    made = check_model.objects.create(
        as_of=dt.date(2026, 11, 2), user_id=user.pk, department_id=department.pk,
        scenario_id=scenario.pk, result="punish", response=answer,
    )  # fmt: skip
    row = feedback.objects.create(check_record=made, reported_by="a", business_reference="B-1",
                                  business_key="k1", measures=[])  # fmt: skip
    for measure in (renumbered, unnamed):
        outcome.objects.create(
            feedback=row, measure_id=measure.pk, department_id=department.pk,
            reported_on=dt.date(2026, 11, 2), applied=True, mandatory=True, suspended=False,
        )  # fmt: skip
    try:
        apps = migrate([("measures", "0018_outcome_measure_as_answered")])
        rows = apps.get_model("measures", "MeasureOutcome").objects.order_by("measure__code")
        filled = [(r.measure_code, r.measure_name, r.measure_type, r.measure_legal_basis)
                  for r in rows]  # fmt: skip
        migrate([("measures", "0017_renormalise_branch_name_decisions")])  # and back again
    finally:
        migrate_to_latest()
    assert filled == [
        ("m001", "限制参加政府采购活动", "punishment", "《中华人民共和国政府采购法》第二十二条"),
        ("m002", unnamed.name, "punishment", unnamed.legal_basis),
    ]  # fmt: skip
