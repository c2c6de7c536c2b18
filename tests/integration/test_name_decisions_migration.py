"""Decisions stored under a key the earlier normaliser made are found by later checks."""

import datetime as dt

import pytest

from tests.factories import DepartmentFactory, SubjectFactory
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.core.names import normalize_name

BEFORE = [("measures", "0012_feedback_business_key")]
AFTER = [("measures", "0013_renormalise_name_decisions")]


@pytest.mark.django_db(transaction=True)
def test_keys_are_made_again_and_the_latest_of_colliding_decisions_is_kept():
    department, other_department = DepartmentFactory(), DepartmentFactory()
    company, other_company = SubjectFactory(), SubjectFactory()
    apps = migrate(BEFORE)
    decision = apps.get_model("measures", "NameDecision")
    day = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)

    def decided(key, subject, same, hours, by=department):
        row = decision.objects.create(department_id=by.pk, normalized_name=key,
                                      subject_id=subject.pk, same_subject=same, reason="核对",
                                      decided_by="a")  # fmt: skip
        decision.objects.filter(pk=row.pk).update(decided_at=day + dt.timedelta(hours=hours))
        return row.pk

    # What the earlier normaliser stored for 洛阳市恒泰机械有限公司, which did not know 洛阳.
    earlier = decided("洛阳市恒泰机械有限公司", company, False, 0)
    # The same company decided again later under the key the current normaliser makes.
    later = decided("洛阳恒泰机械有限公司", company, True, 1)
    # Another subject, another department: no collision, only a new key.
    other = decided("洛阳市恒泰机械有限公司", other_company, False, 2)
    elsewhere = decided("洛阳市恒泰机械有限公司", company, True, 3, by=other_department)
    unchanged = decided("杭州恒泰科技有限公司", company, True, 4)
    try:
        apps = migrate(AFTER)
    finally:
        migrate_to_latest()
    decision = apps.get_model("measures", "NameDecision")
    key = normalize_name("恒泰机械（洛阳）有限公司").key
    rows = decision.objects.values_list("pk", "normalized_name", "same_subject")
    assert sorted(rows) == sorted([
        (later, key, True), (other, key, False), (elsewhere, key, True),
        (unchanged, normalize_name("杭州恒泰科技有限公司").key, True),
    ])  # fmt: skip
    assert not decision.objects.filter(pk=earlier).exists()


@pytest.mark.django_db(transaction=True)
def test_the_latest_decision_wins_whichever_key_it_was_stored_under():
    department, company = DepartmentFactory(), SubjectFactory()
    apps = migrate(BEFORE)
    decision = apps.get_model("measures", "NameDecision")
    day = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    pks = []
    for hours, key, same in (
        (5, "洛阳市恒泰机械有限公司", False),
        (1, "洛阳恒泰机械有限公司", True),
    ):
        row = decision.objects.create(department_id=department.pk, normalized_name=key,
                                      subject_id=company.pk, same_subject=same, reason="核对",
                                      decided_by="a")  # fmt: skip
        decision.objects.filter(pk=row.pk).update(decided_at=day + dt.timedelta(hours=hours))
        pks.append(row.pk)
    try:
        apps = migrate(AFTER)
    finally:
        migrate_to_latest()
    decision = apps.get_model("measures", "NameDecision")
    assert list(decision.objects.values_list("pk", "normalized_name", "same_subject")) == [
        (pks[0], normalize_name("洛阳恒泰机械有限公司").key, False)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_branch_decision_is_keyed_again_as_a_branchs_region_is_now_read():
    """Stored before 北京市分公司 read as 北京分公司: found by a check after the migration."""
    department, company = DepartmentFactory(), SubjectFactory()
    apps = migrate([("measures", "0016_protect_measure_limits")])
    decision = apps.get_model("measures", "NameDecision")
    stored = decision.objects.create(
        department_id=department.pk, normalized_name="中国人民财产保险股份有限公司北京市分公司",
        subject_id=company.pk, same_subject=True, reason="核对", decided_by="a",
    )  # fmt: skip
    try:
        apps = migrate([("measures", "0017_renormalise_branch_name_decisions")])
    finally:
        migrate_to_latest()
    key = normalize_name("中国人民财产保险股份有限公司北京分公司").key
    kept = apps.get_model("measures", "NameDecision").objects.get(pk=stored.pk)
    assert kept.normalized_name == key


@pytest.mark.django_db(transaction=True)
def test_decisions_are_keyed_again_by_parts_from_the_name_as_asked():
    """东方电气有限公司 and 东方市电气有限公司 ran together the same; keyed again from the name
    each was asked as, they are two keys, and a decision without its name keeps the one its
    key gives. Going back runs the parts together again."""
    department, trade_name, of_the_city = DepartmentFactory(), SubjectFactory(), SubjectFactory()
    apps = migrate([("measures", "0018_outcome_measure_as_answered")])
    decision = apps.get_model("measures", "NameDecision")

    def decided(stored, asked, subject):
        return decision.objects.create(
            department_id=department.pk, normalized_name=stored, asked_name=asked,
            subject_id=subject.pk, same_subject=True, reason="核对", decided_by="a",
        ).pk  # fmt: skip

    of_trade_name = decided("东方电气有限公司", "东方电气有限公司", trade_name)
    of_city = decided("东方市电气有限公司", "  东方市电气有限公司", of_the_city)
    # Made before the name was kept: its key is all there is.
    unnamed = decided("东方电气有限公司", "", of_the_city)
    try:
        apps = migrate([("measures", "0019_rekey_name_decisions_by_parts")])
        decision = apps.get_model("measures", "NameDecision")
        keys = dict(decision.objects.values_list("pk", "normalized_name"))
        assert keys == {
            of_trade_name: normalize_name("东方电气有限公司").key,
            of_city: normalize_name("东方市电气有限公司").key,
            unnamed: normalize_name("东方电气有限公司").key,
        }
        assert keys[of_trade_name] != keys[of_city]
        apps = migrate([("measures", "0018_outcome_measure_as_answered")])
        decision = apps.get_model("measures", "NameDecision")
        back = dict(decision.objects.values_list("pk", "normalized_name"))
        # of_city and unnamed share a key and a subject again: the later one stays.
        assert back == {of_trade_name: "东方电气有限公司", unnamed: "东方电气有限公司"}
    finally:
        migrate_to_latest()
