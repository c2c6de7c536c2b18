"""A region written without its suffix or inside a name (R10, R11; 002 §二十 应查必查; issue 4
item 3): a black-listed company checked under such a spelling is found, and a short county name
that is also a brand turns no other company into a match."""

import pytest

from xinyong.core.names import normalize_name
from xinyong.core.regions import bracketed_region_forms, county_short_form, region_forms


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("桐庐县", "桐庐"),
        ("西湖区", "西湖"),
        ("浦东新区", "浦东"),
        ("永新区", "永新"),  # 永 alone is no name: the suffix is 区
        ("神农架林区", "神农架"),
        ("万柏林区", "万柏林"),  # 林 belongs to the name
        ("六枝特区", "六枝"),
        ("峰峰矿区", "峰峰"),
        ("正蓝旗", "正蓝"),
        ("景宁畲族自治县", "景宁"),
        ("长阳土家族自治县", "长阳"),
        ("双江拉祜族佤族布朗族傣族自治县", "双江"),
        ("察布查尔锡伯自治县", "察布查尔"),
        ("和布克赛尔蒙古自治县", "和布克赛尔"),
        ("龙胜各族自治县", "龙胜"),
        ("莫力达瓦达斡尔族自治旗", "莫力达瓦"),
        ("鄂伦春自治旗", ""),  # named after the people alone: no short form
        ("东乡族自治县", ""),
        ("嵊县", ""),  # one character is no name
    ],
)
def test_a_county_s_short_form(full, short):
    assert county_short_form(full) == short


@pytest.mark.parametrize(
    ("written", "registered"),
    [
        ("鑫飞诚电器（桐庐）有限公司", "桐庐县鑫飞诚电器有限公司"),
        ("（桐庐）鑫飞诚电器有限公司", "桐庐县鑫飞诚电器有限公司"),
        ("力鼎供应链管理（长兴）有限公司", "长兴县力鼎供应链管理有限公司"),
        ("佳悦科技（景宁）有限公司", "景宁畲族自治县佳悦科技有限公司"),
        ("恒泰科技（西湖）有限公司", "恒泰科技（西湖区）有限公司"),
        ("恒泰科技（浦东）有限公司", "浦东新区恒泰科技有限公司"),
        ("恒泰（杭州西湖）小吃店", "杭州市西湖区恒泰小吃店"),
        ("恒泰科技（福田）有限公司", "福田区恒泰科技有限公司"),  # a brand's name, but bracketed
    ],
)
def test_a_county_in_brackets_is_the_region_also_without_its_suffix(written, registered):
    """A trade name may not be a division's name (企业名称登记管理规定): what brackets hold is
    the region, at any level and in its short form too."""
    assert normalize_name(written).key == normalize_name(registered).key


def test_a_short_form_of_several_counties_stands_for_itself():
    """和平 is 和平区 (沈阳, 天津) and 和平县 (广东): in brackets it is within either."""
    assert bracketed_region_forms()["和平"] == "和平"
    assert normalize_name("恒泰科技（和平）有限公司").region == "和平"
    # A short form that a city or province has already keeps its meaning: 朝阳 is 朝阳市.
    assert bracketed_region_forms()["朝阳"] == region_forms()["朝阳"]


@pytest.mark.parametrize(
    ("written", "core"),
    [("桐庐鑫飞诚电器有限公司", "桐庐鑫飞诚电器"), ("福田汽车有限公司", "福田汽车"),
     ("长安汽车有限公司", "长安汽车")],
)  # fmt: skip
def test_a_county_s_short_form_is_not_read_as_a_region_in_front(written, core):
    """福田汽车, 南山铝业, 长安汽车: in front, a short county name is a brand as often as not, so
    it stays in the name."""
    name = normalize_name(written)
    assert (name.region, name.core) == ("", core)
    assert "桐庐" not in region_forms()  # what free text and addresses read as a division
