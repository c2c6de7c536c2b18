"""Checks by name that must not answer ``clear`` wrongly (R10, R11, R14; issue: name checks):
a listed company among many older namesakes, a company limited by shares written 股份公司, a
person's name however spaced or dotted, a person's name that an individual business also bears;
and names no organisation can have, refused."""

import pytest

from tests.check_clients import check, client_for
from tests.factories import DepartmentFactory, ListEntryFactory, SubjectFactory
from xinyong.core.regions import region_forms
from xinyong.listings.models import ListKind
from xinyong.measures.models import Check, NameDecision
from xinyong.subjects.models import SubjectKind
from xinyong.subjects.name_index import reset_index

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"


@pytest.fixture(autouse=True)
def fresh_index():
    reset_index()  # each test's subjects, not a rolled-back test's
    yield
    reset_index()


@pytest.fixture
def api(procurement, measures):
    return client_for(DepartmentFactory(implementing=True), [SCENARIO])


def by_name(api, name):
    answer = check(api, name=name, scenario=SCENARIO)
    assert answer.status_code == 200, answer.content
    return answer.json()


def black_listed(**fields):
    subject = SubjectFactory(**fields)
    ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.BLACK)
    return subject


def offered(body):
    return [candidate["candidate"] for candidate in body["candidates"]]


# A listed company among more namesakes than a search scores.


@pytest.mark.parametrize(
    "asked",
    ["浙江省杭州市恒泰科技有限公司", "杭州市西湖区恒泰科技有限公司", "恒泰科技有限公司"],
)
def test_a_listed_company_among_sixty_older_namesakes_is_offered(api, asked):
    cities = [f for f in region_forms() if f.endswith("市") and len(f) == 3 and f != "杭州市"]
    for city in cities[:60]:
        SubjectFactory(name=f"{city}恒泰科技发展有限公司")
    listed = black_listed(name="杭州恒泰科技有限公司")
    body = by_name(api, asked)
    assert body["result"] != "clear"
    assert listed.pk in offered(body)


def test_a_company_limited_by_shares_written_gufen_gongsi_is_matched(api):
    """The Company Law lets a company limited by shares carry 股份有限公司 or 股份公司."""
    listed = black_listed(name="北京恒泰科技股份有限公司")
    body = by_name(api, "北京恒泰科技股份公司")
    assert (body["subject"]["candidate"], body["subject"]["matched_by"]) == (listed.pk, "exact")
    assert body["result"] == "punish"
    reasons = body["candidates"][0]["reasons"]
    assert "名称主干相同，组织形式写法不同（股份公司/股份有限公司）" in reasons


# A name that may be a person's (R14: persons are checked by citizen ID, never by name).


@pytest.mark.parametrize(
    "asked",
    ["王\u3000伟", "王 伟", "欧阳 锋", "阿依古丽.买买提", "阿依古丽．买买提", "阿依古丽-买买提",
     "王伟（个人）", "王伟(自然人)"],
)  # fmt: skip
def test_a_persons_name_spaced_or_dotted_is_not_answered_clear(api, asked):
    black_listed(natural_person=True, name="王伟")
    SubjectFactory(name="杭州恒泰科技有限公司")
    body = by_name(api, asked)
    assert (body["result"], body["subject"]) == ("undetermined", None)
    assert body["warning"]["code"] == "name-may-be-a-person"


def test_an_organisations_name_with_spaces_is_still_an_organisations(api):
    SubjectFactory(name="宁波远达机械有限公司")
    body = by_name(api, "杭州 恒泰科技有限公司")
    assert body["result"] == "clear" and "warning" not in body


def test_a_persons_name_an_individual_business_bears_is_not_answered_as_that_business(api):
    """An individual business registered without a trade name bears its operator's name: the
    name 李明 may be that business's or a black-listed person's, so it is not clear; the
    business is offered, for the department to decide on."""
    black_listed(natural_person=True, name="李明")
    business = SubjectFactory(individual_business=True, name="李明")
    body = by_name(api, "李明")
    assert (body["result"], body["subject"]) == ("undetermined", None)
    assert body["warning"]["code"] == "name-may-be-a-person"
    assert offered(body) == [business.pk]
    assert Check.objects.get().result == "undetermined"
    decided = api.post(f"/api/v1/checks/{body['check_id']}/decisions",
                       {"candidate": business.pk, "same_subject": True, "reason": "核实营业执照"},
                       content_type="application/json")  # fmt: skip
    assert decided.status_code == 201
    again = by_name(api, "李明")
    assert (again["subject"]["candidate"], again["subject"]["matched_by"]) == (
        business.pk,
        "decision",
    )
    assert again["result"] == "clear" and "warning" not in again


def decide(api, check_id, subject):
    decided = api.post(f"/api/v1/checks/{check_id}/decisions",
                       {"candidate": subject.pk, "same_subject": True, "reason": "核实"},
                       content_type="application/json")  # fmt: skip
    assert decided.status_code == 201


def test_a_confirmed_subject_that_became_a_natural_person_is_not_answered_by_name(api):
    company = black_listed(name="杭州恒泰网络科技有限公司")
    decide(api, by_name(api, "杭州恒泰网络科技有限公司")["check_id"], company)
    company.kind, company.name = SubjectKind.NATURAL_PERSON, "王伟"  # corrected by the office
    company.save()
    again = by_name(api, "杭州恒泰网络科技有限公司")
    assert (again["subject"], again["result"], again["candidates"]) == (None, "clear", [])


def test_an_earlier_confirmed_organisation_is_followed_when_the_latest_became_a_person(api):
    company = black_listed(name="杭州恒泰网络科技有限公司")
    earlier = SubjectFactory(name="杭州恒泰网络科技有限责任公司")
    check_id = by_name(api, "杭州恒泰网络科技有限公司")["check_id"]
    decide(api, check_id, earlier)
    decide(api, check_id, company)  # confirmed last
    company.kind, company.name = SubjectKind.NATURAL_PERSON, "王伟"
    company.save()
    again = by_name(api, "杭州恒泰网络科技有限公司")
    assert (again["subject"]["candidate"], again["subject"]["matched_by"]) == (
        earlier.pk,
        "decision",
    )
    assert company.pk not in offered(again)
    assert NameDecision.objects.count() == 2  # the decisions are kept as made


# Names no organisation can have.


@pytest.mark.parametrize(
    ("asked", "code"),
    [
        ("恒", "name-too-short"),
        ("a", "name-too-short"),
        ("有限公司", "name-too-short"),
        ("有限责任公司", "name-too-short"),
        ("分公司", "name-too-short"),
        ("个体工商户", "name-too-short"),
        (" 公司 ", "name-too-short"),
        ("恒泰\x01科技有限公司", "name-control-character"),
        ("恒泰科技有限公司\x7f", "name-control-character"),
        ("恒泰\u202e科技有限公司", "name-control-character"),
        ("恒泰\u2028科技有限公司", "name-control-character"),
    ],
)
def test_a_name_no_organisation_can_have_is_refused_and_nothing_is_kept(api, asked, code):
    SubjectFactory(name="杭州恒泰网络科技有限公司")
    answer = check(api, name=asked, scenario=SCENARIO)
    assert (answer.status_code, answer.json()["code"]) == (422, code)
    assert answer.json()["message"].startswith("名称")
    assert not Check.objects.exists()


@pytest.mark.parametrize("asked", ["恒泰", "北京", "3M公司", "恒泰公司", "恒泰\t科技有限公司 \n"])
def test_short_names_an_organisation_may_have_are_answered(api, asked):
    assert check(api, name=asked, scenario=SCENARIO).status_code == 200
