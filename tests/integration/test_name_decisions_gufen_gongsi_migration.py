"""Decisions on a name ending 股份公司 are found by later checks of that name (measures 0027)."""

import datetime as dt

import pytest

from tests.factories import DepartmentFactory, SubjectFactory
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.core.names import normalize_name

BEFORE = [("measures", "0026_measure_outcome_applied_on")]
AFTER = [("measures", "0027_rekey_name_decisions_gufen_gongsi")]


@pytest.mark.django_db(transaction=True)
def test_a_decision_on_gufen_gongsi_is_keyed_as_a_company_limited_by_shares():
    department, company, other = DepartmentFactory(), SubjectFactory(), SubjectFactory()
    apps = migrate(BEFORE)
    decision = apps.get_model("measures", "NameDecision")
    day = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)

    def decided(key, asked, subject, hours):
        row = decision.objects.create(department_id=department.pk, normalized_name=key,
                                      asked_name=asked, subject_id=subject.pk, same_subject=True,
                                      reason="核对", decided_by="a")  # fmt: skip
        decision.objects.filter(pk=row.pk).update(decided_at=day + dt.timedelta(hours=hours))
        return row.pk

    # As the earlier normaliser keyed 北京恒泰科技股份公司, then a later decision on the same
    # subject under 股份有限公司's key: the later one is kept.
    earlier = decided("北京|恒泰科技股份|公司|", "北京恒泰科技股份公司", company, 0)
    later = decided("北京|恒泰科技|股份有限公司|", "北京恒泰科技股份有限公司", company, 1)
    renamed = decided("北京|恒泰科技股份|公司|", "北京恒泰科技股份公司", other, 2)
    unchanged = decided("杭州|恒泰科技|有限公司|", "杭州恒泰科技有限公司", company, 3)
    try:
        apps = migrate(AFTER)
        decision = apps.get_model("measures", "NameDecision")
        key = normalize_name("北京恒泰科技股份公司").key
        assert key == "北京|恒泰科技|股份有限公司|"
        rows = sorted(decision.objects.values_list("pk", "normalized_name"))
        assert rows == sorted(
            [(later, key), (renamed, key), (unchanged, "杭州|恒泰科技|有限公司|")]
        )
        assert not decision.objects.filter(pk=earlier).exists()
        apps = migrate(BEFORE)  # and back
        decision = apps.get_model("measures", "NameDecision")
        assert decision.objects.get(pk=renamed).normalized_name == "北京|恒泰科技股份|公司|"
        assert decision.objects.get(pk=later).normalized_name == key  # asked as 股份有限公司
    finally:
        migrate_to_latest()
