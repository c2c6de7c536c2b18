"""A check by name never answers ``clear`` for a black-listed company whose region is written
inside its name or without its suffix (R10, R11; 002 §二十 应查必查; issue 4 item 3)."""

import pytest

from tests.check_clients import check, client_for
from tests.factories import DepartmentFactory, ListEntryFactory, SubjectFactory
from xinyong.listings.models import ListKind
from xinyong.subjects.name_index import reset_index

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"


@pytest.fixture(autouse=True)
def fresh_index():
    reset_index()
    yield
    reset_index()


@pytest.fixture
def listed(procurement, measures):
    subject = SubjectFactory(name="宁波通昌众建材有限公司")
    ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.BLACK)
    county = SubjectFactory(name="桐庐县鑫飞诚电器有限公司")
    ListEntryFactory(subject=county, effective=True, list__kind=ListKind.BLACK)
    SubjectFactory(name="杭州通昌众建材有限公司")  # a namesake elsewhere
    return {"city": subject, "county": county}


def by_name(name):
    api = client_for(DepartmentFactory(implementing=True), [SCENARIO])
    answer = check(api, name=name, scenario=SCENARIO)
    assert answer.status_code == 200, answer.content
    return answer.json()


@pytest.mark.parametrize(
    ("asked", "which", "scores"),
    [
        ("通昌众宁波建材有限公司", "city", (95, 100)),
        ("通昌众建材宁波有限公司", "city", (95, 100)),
        # a county's short form may be a brand's name: offered below the same-subject score
        ("桐庐鑫飞诚电器有限公司", "county", (80, 95)),
    ],
)
def test_a_region_inside_the_name_offers_the_listed_company(listed, asked, which, scores):
    body = by_name(asked)
    assert body["result"] == "undetermined"
    first = body["candidates"][0]
    assert first["candidate"] == listed[which].pk
    assert scores[0] <= first["score"] < scores[1]
    assert any(reason.startswith("地区写在名称中") for reason in first["reasons"])


def test_a_county_in_brackets_without_its_suffix_is_the_listed_company(listed):
    body = by_name("鑫飞诚电器（桐庐）有限公司")
    assert body["subject"]["candidate"] == listed["county"].pk
    assert body["subject"]["matched_by"] == "exact"
    assert body["result"] == "punish"


def test_a_company_of_another_county_is_not_offered_as_the_listed_one(listed):
    body = by_name("淳安鑫达电器有限公司")
    assert listed["county"].pk not in [c["candidate"] for c in body["candidates"]]


@pytest.fixture
def namesakes(procurement, measures):
    """Listed companies whose names a brand or a company of another region resembles."""
    made = {}
    for name in ("深圳市光明区乳业有限公司", "宁波建工建设有限公司"):
        made[name] = SubjectFactory(name=name)
        ListEntryFactory(subject=made[name], effective=True, list__kind=ListKind.BLACK)
    return made


@pytest.mark.parametrize("asked", ["深圳市光明乳业有限公司", "深圳市光明区乳业有限公司"])
def test_a_brand_like_a_district_s_short_form_is_offered_below_the_same_subject_score(
    namesakes, asked
):
    """光明 inside 深圳市光明乳业 may be the brand 光明: the district's listed company is offered
    for the department to decide, never at the same-subject score."""
    SubjectFactory(name="深圳市光明乳业有限公司")
    listed = namesakes["深圳市光明区乳业有限公司"]
    other = "深圳市光明乳业有限公司" if asked != "深圳市光明乳业有限公司" else listed.name
    scores = {c["name"]: c["score"] for c in by_name(asked)["candidates"]}
    assert 80 <= scores[other] < 95


def test_a_name_registered_in_another_region_is_not_the_listed_company(namesakes):
    """上海建工宁波建设 is registered in 上海: 宁波 inside its name makes it no company of 宁波."""
    body = by_name("上海建工宁波建设有限公司")
    assert body["result"] == "clear"
    assert namesakes["宁波建工建设有限公司"].pk not in [c["candidate"] for c in body["candidates"]]
