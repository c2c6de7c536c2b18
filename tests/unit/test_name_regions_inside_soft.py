"""A region read inside a name is evidence of the same subject only as firm as the form it was
read by (R10, R11; 002 §二十 应查必查; issue 4 item 3): a county's short form (光明 for 光明区,
桐庐 for 桐庐县) is a brand's name as often as a region's, so it offers the company to a person
and never reaches the same-subject score; and a region read inside a name registered in another
region makes the two names no nearer."""

import pytest

from xinyong.core.names import may_name_the_same, normalize_name, regions_inside
from xinyong.measures.checks import SHOWN_SCORE
from xinyong.subjects.name_index import SAME_SUBJECT_THRESHOLD, NameIndex

# A brand written as a district's short form beside the district's own company: two companies.
BRANDS = [
    ("深圳市光明乳业有限公司", "深圳市光明区乳业有限公司"),
    ("深圳市福田汽车销售有限公司", "深圳市福田区汽车销售有限公司"),
    ("深圳市南山铝业有限公司", "深圳市南山区铝业有限公司"),
    ("西安市长安汽车销售有限公司", "西安市长安区汽车销售有限公司"),
    ("沈阳市和平医药有限公司", "沈阳市和平区医药有限公司"),
    ("红旗机械有限公司", "红旗区机械有限公司"),
    ("东风汽车销售有限公司", "东风区汽车销售有限公司"),
    ("新华书店有限公司", "新华区书店有限公司"),
    ("平安保险代理有限公司", "平安区保险代理有限公司"),
    ("福田汽车服务有限公司", "福田区汽车服务有限公司"),
]


def best(asked, listed):
    found = NameIndex.build([(1, listed)]).search(asked)
    assert found, (asked, listed)
    return found[0]


@pytest.mark.parametrize(("brand", "district"), BRANDS)
def test_a_brand_written_like_a_district_s_short_form_is_not_the_district_s_company(
    brand, district
):
    """Asked either way round, the district's company is at most offered to a person."""
    for asked, listed in ((brand, district), (district, brand)):
        found = best(asked, listed)
        assert found.score < SAME_SUBJECT_THRESHOLD, (asked, found)
    assert not may_name_the_same(normalize_name(brand), normalize_name(district))
    assert not may_name_the_same(normalize_name(district), normalize_name(brand))


@pytest.mark.parametrize(
    ("asked", "listed"),
    [
        ("桐庐鑫飞诚电器有限公司", "桐庐县鑫飞诚电器有限公司"),
        ("鑫飞诚桐庐电器有限公司", "桐庐县鑫飞诚电器有限公司"),
        ("长兴力鼎供应链管理有限公司", "长兴县力鼎供应链管理有限公司"),
        ("嵊泗诚远科技有限公司", "嵊泗县诚远科技有限公司"),
        ("景宁佳悦科技有限公司", "景宁畲族自治县佳悦科技有限公司"),
    ],
)
def test_a_county_s_short_form_inside_the_name_offers_the_company_for_a_person(asked, listed):
    """The same shape as a brand's (桐庐鑫飞诚 as 光明乳业): offered with the reason, for the
    department to decide, and screening warns that the name differs from the code's."""
    found = best(asked, listed)
    assert SHOWN_SCORE <= found.score < SAME_SUBJECT_THRESHOLD
    assert any(reason.startswith("地区写在名称中") for reason in found.reasons)
    assert not may_name_the_same(normalize_name(asked), normalize_name(listed))


@pytest.mark.parametrize(
    ("asked", "listed"),
    [
        ("通昌众宁波建材有限公司", "宁波通昌众建材有限公司"),
        ("通昌众宁波市建材有限公司", "宁波通昌众建材有限公司"),
        ("鑫飞诚桐庐县电器有限公司", "桐庐县鑫飞诚电器有限公司"),
        ("乳业光明区有限公司", "深圳市光明区乳业有限公司"),
    ],
)
def test_a_region_read_inside_by_its_full_form_or_a_city_s_name_is_firm(asked, listed):
    """A form read as a region in front of a name (宁波, 桐庐县, 光明区) reads so inside it too:
    the same-subject score, and no name-mismatch warning."""
    found = best(asked, listed)
    assert SAME_SUBJECT_THRESHOLD <= found.score < 100
    assert may_name_the_same(normalize_name(asked), normalize_name(listed))


def test_a_region_read_inside_a_name_registered_elsewhere_is_another_region():
    """上海建工宁波建设 is registered in 上海: 宁波 inside its name makes it no company of 宁波."""
    asked = normalize_name("上海建工宁波建设有限公司")
    listed = normalize_name("宁波建工建设有限公司")
    inside = regions_inside(asked, listed)
    assert inside is not None and inside.relation == "different"
    assert regions_inside(listed, asked).relation == "different"
    found = best("上海建工宁波建设有限公司", "宁波建工建设有限公司")
    assert found.score < SHOWN_SCORE
    assert "地区不同（上海/宁波）" in found.reasons
    assert not may_name_the_same(asked, listed)
    assert not may_name_the_same(listed, asked)
