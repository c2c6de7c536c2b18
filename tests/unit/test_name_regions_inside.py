"""A region written without its suffix or inside a name (R10, R11; 002 §二十 应查必查; issue 4
item 3): a black-listed company checked under such a spelling is found, and a short county name
that is also a brand turns no other company into a match."""

import pytest

from xinyong.core.names import may_name_the_same, normalize_name, regions_inside
from xinyong.core.regions import bracketed_region_forms, county_short_form, region_forms
from xinyong.subjects.name_index import SAME_SUBJECT_THRESHOLD, NameIndex


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
    it stays in the name; it counts only as softer evidence when the other name has it."""
    name = normalize_name(written)
    assert (name.region, name.core) == ("", core)
    assert "桐庐" not in region_forms()  # what free text and addresses read as a division


@pytest.mark.parametrize(
    ("asked", "registered", "core", "found"),
    [
        ("通昌众宁波建材有限公司", "宁波通昌众建材有限公司", "通昌众建材", ("宁波",)),
        ("通昌众建材宁波有限公司", "宁波通昌众建材有限公司", "通昌众建材", ("宁波",)),
        ("通昌众宁波市建材有限公司", "宁波通昌众建材有限公司", "通昌众建材", ("宁波",)),
        ("腾讯科技深圳有限公司", "腾讯科技（深圳）有限公司", "腾讯科技", ("深圳",)),
        ("阿里巴巴中国网络技术有限公司", "阿里巴巴（中国）网络技术有限公司", "阿里巴巴网络技术",
         ("中国",)),
        ("桐庐鑫飞诚电器有限公司", "桐庐县鑫飞诚电器有限公司", "鑫飞诚电器", ("桐庐县",)),
        ("景宁佳悦科技有限公司", "景宁畲族自治县佳悦科技有限公司", "佳悦科技",
         ("景宁畲族自治县",)),
    ],
)  # fmt: skip
def test_a_region_the_other_name_has_is_read_inside_the_name(asked, registered, core, found):
    one, other = normalize_name(asked), normalize_name(registered)
    inside = regions_inside(one, other)
    assert inside is not None
    assert (inside.cores, inside.found) == ((core, other.core), found)
    # screening warns of such a name only where a county's short form was read (a brand's too)
    assert may_name_the_same(one, other) is not inside.softly


def test_only_a_region_the_other_name_has_is_read_inside():
    """南山 inside 南山铝业 is read as 南山区 only beside a name of 南山区: by itself, or beside
    a name of another region, it is the name's own."""
    brand = normalize_name("南山铝业股份有限公司")
    assert regions_inside(brand, normalize_name("烟台铝业股份有限公司")) is None
    assert regions_inside(brand, normalize_name("南山铝业股份有限公司")) is None
    assert regions_inside(brand, normalize_name("深圳市南山区铝业股份有限公司")) is not None


def test_a_region_is_not_read_out_of_a_name_that_is_nothing_else():
    """宁波有限公司: the division is all the name there is, not a region beside a name."""
    listed = normalize_name("宁波通昌众建材有限公司")
    assert regions_inside(normalize_name("宁波有限公司"), listed) is None
    assert regions_inside(listed, listed) is None


# Scores: the listed subject found, namesakes kept apart (the labelled set measures both).

LISTED = (
    "宁波通昌众建材有限公司",
    "腾讯科技（深圳）有限公司",
    "阿里巴巴（中国）网络技术有限公司",
    "桐庐县鑫飞诚电器有限公司",
    "长兴县力鼎供应链管理有限公司",
    "嵊泗县诚远科技有限公司",
    "景宁畲族自治县佳悦科技有限公司",
    "深圳市福田区恒泰汽车服务有限公司",
    "和平县恒达科技有限公司",
)


@pytest.fixture(scope="module")
def index():
    return NameIndex.build(enumerate(LISTED, start=1))


@pytest.mark.parametrize(
    ("asked", "listed"),
    [
        ("通昌众宁波建材有限公司", "宁波通昌众建材有限公司"),
        ("通昌众建材宁波有限公司", "宁波通昌众建材有限公司"),
        ("腾讯科技深圳有限公司", "腾讯科技（深圳）有限公司"),
        ("阿里巴巴中国网络技术有限公司", "阿里巴巴（中国）网络技术有限公司"),
    ],
)
def test_a_region_written_inside_the_name_finds_the_listed_company(index, asked, listed):
    """The region costs once: not in the Indel ratio of the cores and again as a region one
    name lacks. A region read inside is softer evidence than one in front or in brackets, so
    the score stays below an exact match: a person confirms it. (A county's short form, 桐庐
    for 桐庐县, is softer still: test_name_regions_inside_soft.)"""
    found = index.search(asked)
    assert found[0].name == listed
    assert SAME_SUBJECT_THRESHOLD <= found[0].score < 100
    assert any(reason.startswith("地区写在名称中") for reason in found[0].reasons)


@pytest.mark.parametrize(
    ("asked", "listed"),
    [
        ("鑫飞诚电器（桐庐）有限公司", "桐庐县鑫飞诚电器有限公司"),
        ("通昌众（宁波）建材有限公司", "宁波通昌众建材有限公司"),
        ("佳悦科技（景宁）有限公司", "景宁畲族自治县佳悦科技有限公司"),
    ],
)
def test_a_region_in_brackets_matches_exactly(index, asked, listed):
    assert [(c.name, c.score) for c in index.search(asked)][:1] == [(listed, 100.0)]


@pytest.mark.parametrize(
    "asked",
    [
        "桐庐鑫达电器有限公司",  # another trade name in the same county
        "福田恒达汽车服务有限公司",  # 福田 as a brand, another trade name
        "和平恒泰科技有限公司",
        "淳安鑫飞诚电器有限公司",  # the same trade name in another county
        "通昌众杭州建材有限公司",  # and in another city
    ],
)
def test_a_county_s_short_name_makes_no_other_company_the_same(index, asked):
    found = index.search(asked)
    assert not found or found[0].score < SAME_SUBJECT_THRESHOLD


def test_a_brand_sharing_a_district_s_name_is_not_the_district_s_company():
    """福田 read inside 福田汽车服务 counts only softly: a company of 深圳市福田区 whose whole
    name is otherwise the same is offered to a person, below the same-subject threshold."""
    index = NameIndex.build([(1, "深圳市福田区汽车服务有限公司")])
    found = index.search("福田汽车服务有限公司")
    assert found and found[0].score < SAME_SUBJECT_THRESHOLD


def test_a_region_read_inside_the_name_finds_the_company_among_sixty_namesakes():
    """通昌众宁波建材 shares 通昌, 昌众 and 建材 with 通昌众建材 of sixty other cities as with
    宁波's: the region read inside it picks 宁波's company out of them (at most 50 scored)."""
    cities = [f for f in region_forms() if f.endswith("市") and len(f) == 3 and f != "宁波市"]
    names = [f"{city}通昌众建材有限公司" for city in cities[:60]]
    index = NameIndex.build(enumerate([*names, "宁波通昌众建材有限公司"], start=1))
    found = index.search("通昌众宁波建材有限公司")
    assert index.last_scored <= 50
    assert found[0].name == "宁波通昌众建材有限公司"
