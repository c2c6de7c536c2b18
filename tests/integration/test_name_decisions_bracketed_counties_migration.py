"""Decisions on a name with a county in brackets without its suffix are found by later checks
of that name (measures 0029; issue 4 item 3)."""

import datetime as dt

import pytest

from tests.factories import DepartmentFactory, SubjectFactory
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.core.names import normalize_name

BEFORE = [("measures", "0028_feedback_periods_and_corrections")]
AFTER = [("measures", "0029_rekey_name_decisions_bracketed_counties")]


@pytest.mark.django_db(transaction=True)
def test_a_decision_on_a_bracketed_county_is_keyed_by_its_region():
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

    # As the earlier normaliser keyed 鑫飞诚电器（桐庐）有限公司, then a later decision on the
    # same subject under the registered name's key: the later one is kept.
    earlier = decided("|鑫飞诚电器桐庐|有限公司|", "鑫飞诚电器（桐庐）有限公司", company, 0)
    later = decided("桐庐县|鑫飞诚电器|有限公司|", "桐庐县鑫飞诚电器有限公司", company, 1)
    another = decided("|鑫飞诚电器桐庐|有限公司|", "鑫飞诚电器（桐庐）有限公司", other, 2)
    unchanged = decided("杭州|恒泰科技|有限公司|", "杭州恒泰科技有限公司", company, 3)
    try:
        apps = migrate(AFTER)
        decision = apps.get_model("measures", "NameDecision")
        key = normalize_name("鑫飞诚电器（桐庐）有限公司").key
        assert key == "桐庐县|鑫飞诚电器|有限公司|"
        rows = sorted(decision.objects.values_list("pk", "normalized_name"))
        assert rows == sorted(
            [(later, key), (another, key), (unchanged, "杭州|恒泰科技|有限公司|")]
        )
        assert not decision.objects.filter(pk=earlier).exists()
        migrate(BEFORE)  # and back: the keys stay
    finally:
        migrate_to_latest()
