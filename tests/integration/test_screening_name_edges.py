"""Rows screened by name answered as a check by name answers them (R14; issue: name checks): a
person's name however spaced or dotted, a person's name an individual business bears, a confirmed
subject that became a natural person, and names no organisation can have."""

import pytest

from tests.factories import (
    DepartmentFactory,
    ListEntryFactory,
    MeasureFactory,
    ScenarioFactory,
    SubjectFactory,
)
from tests.integration.test_screening import read_output, write_csv
from xinyong.listings.models import ListKind
from xinyong.measures.models import Measure, NameDecision
from xinyong.measures.screening import screen_file
from xinyong.measures.screening_names import PERSON_NAME, NameMatcher
from xinyong.subjects.models import SubjectKind
from xinyong.subjects.name_index import NameIndex

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"


@pytest.fixture
def finance():
    procurement = ScenarioFactory(code=SCENARIO, name="政府采购")
    measure = MeasureFactory(code="bar-procurement", list_kinds=["black"],
                             targets=["organisation"], type=Measure.Type.PUNISHMENT)  # fmt: skip
    measure.scenarios.add(procurement)
    return DepartmentFactory(implementing=True, code="czj", name="财政局")


def matcher(finance, *subjects):
    index = NameIndex.build(sorted((s.pk, s.name) for s in subjects))
    return NameMatcher(finance.pk, index=index)


def screen(tmp_path, names, finance, matcher):
    source = write_csv(tmp_path / "in.csv", [["name"], *([name] for name in names)])
    report = screen_file(source, tmp_path / "out.csv", scenario=SCENARIO,
                         department_id=finance.pk, names=matcher)  # fmt: skip
    return report, read_output(tmp_path / "out.csv")


def subjects_of(ids):
    from xinyong.subjects.models import Subject

    return {s.pk: ("key", s.is_natural_person, s.name, s.identifier)
            for s in Subject.objects.filter(pk__in=ids)}  # fmt: skip


@pytest.mark.parametrize(
    "name", ["王伟", "王\u3000伟", "王 伟", "欧阳 锋", "阿依古丽.买买提", "阿依古丽-买买提"]
)
def test_a_persons_name_spaced_or_dotted_may_be_a_persons(finance, name):
    names = matcher(finance, SubjectFactory(name="杭州恒泰科技有限公司"))
    assert names.match_many([name], subjects_of)[name].status == PERSON_NAME


def test_a_persons_name_an_individual_business_bears_is_undetermined(tmp_path, finance):
    business = SubjectFactory(individual_business=True, name="李明")
    ListEntryFactory(effective=True, list__kind=ListKind.BLACK,
                     subject=SubjectFactory(natural_person=True, name="李明"))  # fmt: skip
    company = SubjectFactory(name="杭州恒泰科技有限公司")
    _, out = screen(tmp_path, ["李明", "杭州恒泰科技有限公司"], finance,
                    matcher(finance, business, company))  # fmt: skip
    assert [(r["status"], r["reason_code"], r["result"]) for r in out] == [
        ("unknown", "name-may-be-a-person", "undetermined"),
        ("matched_by_name", "", "clear"),
    ]


def test_a_confirmed_subject_that_became_a_natural_person_is_not_taken(finance):
    company = SubjectFactory(name="杭州恒泰网络科技有限公司")
    names = matcher(finance, company)
    NameDecision.objects.create(department=finance, normalized_name=names.key_of(company.name),
                                asked_name=company.name, subject=company, same_subject=True,
                                reason="核实", decided_by="x")  # fmt: skip
    company.kind, company.name = SubjectKind.NATURAL_PERSON, "王伟"
    company.save()
    names = NameMatcher(finance.pk, index=NameIndex.build([]))  # the person is not searched
    asked = "杭州恒泰网络科技有限公司"
    assert names.match_many([asked], subjects_of)[asked].status == "unknown"


def test_names_no_organisation_can_have_are_invalid_rows_with_the_reason(tmp_path, finance):
    listed = SubjectFactory(name="杭州恒泰科技有限公司")
    names = matcher(finance, listed)
    asked = ["恒", "有限公司", "分公司", "个体工商户", "恒泰\x01科技有限公司", listed.name]
    report, out = screen(tmp_path, asked, finance, names)
    assert [(r["status"], r["reason_code"]) for r in out] == [
        ("invalid", "name-too-short"),
        ("invalid", "name-too-short"),
        ("invalid", "name-too-short"),
        ("invalid", "name-too-short"),
        ("invalid", "name-control-character"),
        ("matched_by_name", ""),
    ]
    assert all(r["reason"].startswith("名称") for r in out[:5])
    assert not any(r["result"] for r in out[:5])
    assert report.invalid == {"name-too-short": 4, "name-control-character": 1}
