"""Organisation names made comparable (issue: name checks)."""

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.names import (
    ALSO_SIMPLIFIED,
    FULL_WIDTH,
    KEY_SEPARATOR,
    SPACES_OR_PUNCTUATION,
    TRADITIONAL,
    VARIANTS_KEPT,
    _branch_parts,
    legal_forms_compatible,
    may_be_a_persons_name,
    may_name_the_same,
    normalize_name,
    region_relation,
)
from xinyong.core.regions import region_forms

BASE = "杭州恒泰科技有限公司"


@pytest.mark.parametrize(
    ("written", "registered"),
    [
        ("杭州恆泰科技有限公司", BASE),  # 繁体
        ("阿裏巴巴（北京）軟件有限公司", "阿里巴巴（北京）软件有限公司"),
        ("杭州　恒泰科技有限公司", BASE),  # full-width space
        ("ＡＢＣ（杭州）科技有限公司", "ABC(杭州)科技有限公司"),  # full-width letters
        ("abc(杭州)科技有限公司", "ABC（杭州）科技有限公司"),  # case
        ("阿里巴巴（北京）科技有限公司", "北京阿里巴巴科技有限公司"),  # region in brackets
        ("西门子（中国）有限公司", "中国西门子有限公司"),
        ("阿里巴巴(北京)科技有限公司", "北京阿里巴巴科技有限公司"),
        ("阿里巴巴【北京】科技有限公司", "北京阿里巴巴科技有限公司"),
        ("（北京）阿里巴巴科技有限公司", "北京阿里巴巴科技有限公司"),
        ("北京市阿里巴巴科技有限公司", "北京阿里巴巴科技有限公司"),  # full region name
        ("恒泰（浙江省）科技有限公司", "浙江恒泰科技有限公司"),
        ("杭州恒泰科技有限责任公司", BASE),  # the same legal form under the Company Law
        (" 杭州 恒泰·科技 有限公司。", BASE),  # spaces and punctuation
        ("“杭州恒泰科技有限公司”", BASE),
        ("杭州恒泰（集团）有限公司", "杭州恒泰集团有限公司"),  # other brackets just open
        ("杭州恒泰投资合伙企业（有限合伙）", "杭州恒泰投资有限合伙企业"),
        ("浙江恒泰科技有限责任公司杭州分公司", "浙江恒泰科技有限公司杭州分公司"),
        ("杭州市西湖区 張記小吃店", "杭州市西湖区张记小吃店"),
        ("ACME Trading Co., Ltd.", "acme trading limited"),
        ("ACME Trading Company Limited", "ACME TRADING LTD"),
        ("Acme Corporation", "Acme Corp."),
        # A company limited by shares carries 股份有限公司 or 股份公司 (Company Law, art. 7)
        ("北京恒泰科技股份公司", "北京恒泰科技股份有限公司"),
        ("中国石油天然气股份公司", "中国石油天然气股份有限公司"),
    ],
)
def test_variant_spellings_share_a_key(written, registered):
    assert normalize_name(written).key == normalize_name(registered).key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        # a branch is not its head office, nor another branch
        ("浙江恒泰科技有限公司杭州分公司", "浙江恒泰科技有限公司"),
        ("浙江恒泰科技有限公司杭州分公司", "浙江恒泰科技有限公司宁波分公司"),
        ("杭州恒泰科技股份有限公司", BASE),  # another legal form
        ("宁波恒泰科技有限公司", BASE),  # same core, another region
        ("杭州恒达科技有限公司", BASE),  # another trade name
        ("杭州恒泰网络科技有限公司", BASE),
        ("杭州恒泰投资合伙企业（有限合伙）", "杭州恒泰投资有限公司"),
        ("杭州恒泰科技专业合作社", "杭州恒泰科技股份经济合作社"),
        ("杭州市西湖区张记小吃店", "杭州市萧山区张记小吃店"),
    ],
)
def test_different_subjects_keep_different_keys(one, other):
    assert normalize_name(one).key != normalize_name(other).key


@pytest.mark.parametrize(
    ("written", "core", "region", "legal_form", "branch", "placement"),
    [
        (BASE, "恒泰科技", "杭州", "有限公司", "", "start"),
        ("阿里巴巴（北京）科技有限公司", "阿里巴巴科技", "北京", "有限公司", "", "brackets"),
        ("浙江省杭州市恒泰科技有限公司", "恒泰科技", "浙江杭州", "有限公司", "", "start"),
        ("杭州市西湖区张记小吃店", "张记小吃店", "杭州西湖区", "", "", "start"),
        ("杭州科技园区服务有限公司", "科技园区服务", "杭州", "有限公司", "", "start"),
        ("浙江恒泰科技有限公司杭州分公司", "恒泰科技", "浙江", "有限公司", "杭州分公司", "start"),
        (
            "中国工商银行股份有限公司杭州分行",
            "工商银行",
            "中国",
            "股份有限公司",
            "杭州分行",
            "start",
        ),
        ("西门子（中国）有限公司", "西门子", "中国", "有限公司", "", "brackets"),
        ("杭州恒泰科技专业合作社", "恒泰科技", "杭州", "专业合作社", "", "start"),
        ("杭州恒泰农民专业合作社", "恒泰", "杭州", "专业合作社", "", "start"),
        ("恒泰小吃店（个体工商户）", "恒泰小吃店", "", "个体工商户", "", ""),
        ("ACME Trading Co., Ltd.", "acmetrading", "", "ltd", "", ""),
        ("Zinc", "zinc", "", "", "", ""),  # a Latin form is taken only after a separator
        ("北京恒泰科技股份公司", "恒泰科技", "北京", "股份有限公司", "", "start"),
        ("北京有限公司", "北京", "", "有限公司", "", ""),  # the region is all the name there is
        ("有限公司", "有限公司", "", "", "", ""),
        ("", "", "", "", "", ""),
        ("  ·。 ", "", "", "", "", ""),
    ],
)
def test_parts(written, core, region, legal_form, branch, placement):
    name = normalize_name(written)
    assert (name.core, name.region, name.legal_form, name.branch, name.region_placement) == (
        core,
        region,
        legal_form,
        branch,
        placement,
    )


@pytest.mark.parametrize(
    ("written", "changes"),
    [
        (BASE, ()),
        ("阿里巴巴（北京）科技有限公司", ()),  # （） is how Chinese names are written
        ("杭州恆泰科技有限公司", (TRADITIONAL,)),
        ("ＡＢＣ科技有限公司", (FULL_WIDTH,)),
        ("杭州 恒泰科技有限公司", (SPACES_OR_PUNCTUATION,)),
        ("杭州　恆泰科技有限公司", (FULL_WIDTH, SPACES_OR_PUNCTUATION, TRADITIONAL)),
    ],
)
def test_changes_say_what_was_undone(written, changes):
    assert normalize_name(written).changes == changes


def test_the_legal_form_as_written_is_kept_for_the_reasons():
    assert normalize_name("杭州恒泰科技有限责任公司").legal_form_written == "有限责任公司"
    assert normalize_name("北京恒泰科技股份公司").legal_form_written == "股份公司"


def test_a_company_limited_by_shares_is_not_a_company_of_limited_liability():
    """股份公司 is 股份有限公司, another legal form than 有限公司; a bare 公司 may be either."""
    assert normalize_name("北京恒泰科技股份公司").key != normalize_name("北京恒泰科技有限公司").key
    assert legal_forms_compatible("公司", normalize_name("北京恒泰科技股份公司").legal_form)


@pytest.mark.parametrize(
    ("written", "regions"),
    [
        (BASE, ("杭州",)),
        ("浙江省杭州市恒泰科技有限公司", ("浙江", "杭州")),
        ("杭州市西湖区恒泰科技有限公司", ("杭州", "西湖区")),
        ("恒泰科技（杭州）有限公司", ("杭州",)),
        ("浙江恒泰（杭州市西湖区）小吃店", ("浙江", "杭州", "西湖区")),
        ("恒泰（北京）科技（北京）有限公司", ("北京",)),
        ("恒泰科技有限公司", ()),
    ],
)
def test_each_division_of_the_region_is_kept_apart(written, regions):
    """The name index finds a company by each division its region names (浙江杭州: 浙江 and
    杭州), so that 浙江省杭州市恒泰 finds 杭州恒泰 among namesakes elsewhere (R10, R11)."""
    name = normalize_name(written)
    assert name.regions == regions
    assert name.region == "".join(regions)


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        ("有限公司", "有限公司", True),
        ("公司", "有限公司", True),  # 恒泰公司 is usually written for 恒泰有限公司
        ("有限公司", "", True),
        ("合作社", "专业合作社", True),
        ("合伙企业", "有限合伙企业", True),
        ("股份有限公司", "有限公司", False),
        ("有限合伙企业", "有限公司", False),
        ("专业合作社", "股份经济合作社", False),
    ],
)
def test_legal_forms_compatible(a, b, compatible):
    assert legal_forms_compatible(a, b) is compatible
    assert legal_forms_compatible(b, a) is compatible


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("杭州", "杭州", "same"),
        ("", "", "same"),
        ("杭州", "", "one-sided"),
        ("浙江杭州", "杭州", "nested"),
        ("杭州", "宁波", "different"),
    ],
)
def test_region_relation(a, b, relation):
    assert region_relation(a, b) == relation


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        (BASE, "杭州恆泰科技有限責任公司", True),
        (BASE, "恒泰科技（杭州）有限公司", True),
        (BASE, "恒泰科技有限公司", True),  # the region left out
        (BASE, "浙江杭州恒泰科技公司", True),  # 公司 may stand for 有限公司
        (BASE, "", True),  # a blank name says nothing
        (BASE, "宁波恒泰科技有限公司", False),  # another region
        (BASE, "杭州恒泰贸易有限公司", False),
        (BASE, "杭州恒泰科技股份有限公司", False),  # another legal form
        (BASE, "杭州恒泰科技有限公司宁波分公司", False),  # a branch is not its head office
    ],
)
def test_may_name_the_same(one, other, same):
    """What screening warns of when a row's code and name disagree: only names that plainly
    differ, never a variant spelling of one name."""
    assert may_name_the_same(normalize_name(one), normalize_name(other)) is same
    assert may_name_the_same(normalize_name(other), normalize_name(one)) is same


def test_very_long_input_is_handled():
    name = normalize_name("杭州恆泰（北京）" * 20_000 + "有限責任公司")
    assert name.legal_form == "有限公司"
    assert name.region == "杭州北京"


@given(st.text(st.characters(exclude_categories=())))  # surrogates and control characters too
def test_never_raises(text):
    name = normalize_name(text)
    assert not any(ch.isspace() for ch in name.key)


@given(
    st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1),
    st.lists(st.integers(min_value=0), max_size=4),
)
def test_spaces_anywhere_never_change_the_key(text, cuts):
    spaced = text
    for cut in cuts:
        at = cut % (len(spaced) + 1)
        spaced = spaced[:at] + " " + spaced[at:]
    assert normalize_name(spaced).key == normalize_name(text).key


@pytest.mark.parametrize(
    ("written", "registered"),
    [
        ("恒泰机械（唐山）有限公司", "唐山恒泰机械有限公司"),  # a prefecture-level city
        ("恒泰科技（昆山）有限公司", "昆山恒泰科技有限公司"),  # a county-level city
        ("恒泰科技（昆山市）有限公司", "昆山市恒泰科技有限公司"),
        ("恒泰机械（洛阳）有限公司", "洛阳市恒泰机械有限公司"),
        ("恒泰科技（浦东新区）有限公司", "浦东新区恒泰科技有限公司"),  # a district, in full
        ("恒泰（杭州市西湖区）小吃店", "杭州市西湖区恒泰小吃店"),
    ],
)
def test_divisions_of_the_whole_table_are_regions(written, registered):
    assert normalize_name(written).key == normalize_name(registered).key


@pytest.mark.parametrize(
    ("written", "core", "region"),
    [
        ("唐山恒泰机械有限公司", "恒泰机械", "唐山"),
        ("昆山恒泰科技有限公司", "恒泰科技", "昆山"),
        ("洛阳市恒泰机械有限公司", "恒泰机械", "洛阳"),
        ("上海市浦东新区恒泰科技有限公司", "恒泰科技", "上海浦东新区"),
        ("杭州市西湖区恒泰科技有限公司", "恒泰科技", "杭州西湖区"),
        ("浦东新区恒泰科技有限公司", "恒泰科技", "浦东新区"),  # a district alone
        ("延边朝鲜族自治州恒泰有限公司", "恒泰", "延边朝鲜族自治州"),  # in full only
        ("北京市崇文区恒泰商贸有限公司", "恒泰商贸", "北京崇文区"),  # merged into 东城区 in 2010
        ("宣武区恒泰商贸有限公司", "恒泰商贸", "宣武区"),
        ("萧山恒泰有限公司", "恒泰", "萧山"),  # 萧山市 until 2001
        ("杭州市滨江区恒泰有限公司", "恒泰", "杭州滨江区"),
    ],
)
def test_leading_divisions(written, core, region):
    name = normalize_name(written)
    assert (name.core, name.region) == (core, region)


@pytest.mark.parametrize(
    ("written", "core"),
    [
        # A district's name without its suffix is a trade name as often as a region.
        ("福田汽车有限公司", "福田汽车"),  # 福田区
        ("南山铝业股份有限公司", "南山铝业"),  # 南山区
        ("宝安集团有限公司", "宝安集团"),  # 宝安区, formerly 宝安县
        ("新华书店有限公司", "新华书店"),  # 新华区
        ("平安银行股份有限公司", "平安银行"),  # 平安区, formerly 平安县
        ("长安汽车有限公司", "长安汽车"),  # 长安区, formerly 长安县
        ("红旗汽车有限公司", "红旗汽车"),  # 红旗区
        ("光明乳业股份有限公司", "光明乳业"),  # 光明区
        # County-level cities and a prefecture whose short forms begin well-known trade names
        # are taken only in full or in brackets.
        ("东方电气股份有限公司", "东方电气"),  # 东方市
        ("永安保险有限公司", "永安保险"),  # 永安市
        ("阿里巴巴科技有限公司", "阿里巴巴科技"),  # 阿里地区
    ],
)
def test_brands_that_share_a_division_name_keep_their_trade_name(written, core):
    name = normalize_name(written)
    assert (name.core, name.region) == (core, "")


@pytest.mark.parametrize(
    ("written", "core", "region"),
    [
        ("深圳市福田区汽车服务有限公司", "汽车服务", "深圳福田区"),  # the district in full
        ("恒泰电气（东方）有限公司", "恒泰电气", "东方"),  # in brackets
        ("东方市恒泰电气有限公司", "恒泰电气", "东方"),  # in full
    ],
)
def test_divisions_written_as_such_are_regions(written, core, region):
    name = normalize_name(written)
    assert (name.core, name.region) == (core, region)


@pytest.mark.parametrize(
    ("written", "registered"),
    [
        ("中国人民财产保险股份有限公司北京分公司", "中国人民财产保险股份有限公司北京市分公司"),
        ("浙江恒泰科技有限公司杭州分公司", "浙江恒泰科技有限公司杭州市分公司"),
        ("中国工商银行股份有限公司内蒙古分行", "中国工商银行股份有限公司内蒙古自治区分行"),
        ("恒泰科技有限公司浙江杭州西湖区营业部", "恒泰科技有限公司浙江省杭州市西湖区营业部"),
        ("中国工商银行股份有限公司杭州城西支行", "中国工商银行股份有限公司杭州市城西支行"),
        ("中国人民財產保險股份有限公司北京市分公司", "中国人民财产保险股份有限公司北京分公司"),
    ],
)  # fmt: skip
def test_a_branch_names_its_region_as_a_head_office_does(written, registered):
    """北京市分公司 is 北京分公司, as 北京市恒泰 is 北京恒泰 (issue: name checks)."""
    assert normalize_name(written).key == normalize_name(registered).key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("中国人民财产保险股份有限公司北京分公司", "中国人民财产保险股份有限公司上海分公司"),
        ("中国人民财产保险股份有限公司北京市分公司", "中国人民财产保险股份有限公司上海市分公司"),
        ("中国人民财产保险股份有限公司北京市分公司", "中国人民财产保险股份有限公司上海分公司"),
        ("浙江恒泰科技有限公司杭州市分公司", "浙江恒泰科技有限公司宁波分公司"),
        ("浙江恒泰科技有限公司杭州市分公司", "浙江恒泰科技有限公司"),  # nor its head office
        ("浙江恒泰科技有限公司杭州市西湖区营业部", "浙江恒泰科技有限公司杭州市萧山区营业部"),
        ("浙江恒泰科技有限公司杭州市分公司", "浙江恒泰科技有限公司杭州市营业部"),
    ],
)  # fmt: skip
def test_a_branch_elsewhere_keeps_a_key_of_its_own(one, other):
    assert normalize_name(one).key != normalize_name(other).key


@pytest.mark.parametrize(
    ("written", "branch"),
    [
        ("中国人民财产保险股份有限公司北京市分公司", "北京分公司"),
        ("浙江恒泰科技有限公司浙江省杭州市西湖区营业部", "浙江杭州西湖区营业部"),
        ("中国工商银行股份有限公司杭州市城西支行", "杭州城西支行"),  # what follows stays
        ("恒泰有限公司东方市分公司", "东方分公司"),  # a short form not taken in front, in full
    ],
)
def test_the_branch_part_reads_its_divisions(written, branch):
    assert normalize_name(written).branch == branch


# The branch rule as a regular expression, as it was written: the split must answer the same.
_KINDS = "(分公司|分店|分厂|分行|支行|营业部|办事处)"
_AS_A_PATTERN = re.compile(r"^(.*公司)(.*?)" + _KINDS + "$")
_AS_A_PATTERN_WITHOUT_HEAD = re.compile(r"^(.+?)" + _KINDS + "$")


@given(st.text(st.sampled_from("公司分店厂行支营业部办事处有限恒泰北京市"), max_size=24))
def test_the_branch_split_answers_as_the_pattern_did(text):
    with_head = _AS_A_PATTERN.match(text)
    without_head = _AS_A_PATTERN_WITHOUT_HEAD.match(text)
    if with_head:
        expected = with_head.groups()
    elif without_head:
        expected = (without_head[1], "", without_head[2])
    else:
        expected = None
    assert _branch_parts(text) == expected


def test_a_name_of_many_companies_is_normalised_in_linear_time():
    """A name full of 公司 once made the branch rule try every 公司 against every ending:
    20,000 of them took seconds, 60,000 half a minute of a worker (R14)."""
    started = time.perf_counter()
    name = normalize_name("公司" * 20_000)
    assert time.perf_counter() - started < 1.0  # seconds; milliseconds are what it takes
    assert (name.core, name.legal_form, name.branch) == ("公司" * 19_999, "公司", "")
    branch = normalize_name("公司" * 20_000 + "杭州分公司")
    assert (branch.core, branch.branch) == ("公司" * 19_999, "杭州分公司")


def test_generic_rows_of_the_table_are_not_regions():
    # 市辖区, 县, 城区, 新区: kinds of division, not divisions.
    for generic in ("市辖区", "城区", "新区", "省直辖县级行政单位"):
        assert generic not in region_forms()
    assert normalize_name("城区供水有限公司").core == "城区供水"


# Traditional to simplified: only what simplified Chinese does not use (issue: name checks).


@pytest.mark.parametrize(
    ("asked", "registered"),
    [
        ("乾通科技有限公司", "干通科技有限公司"),  # 乾 (乾坤) is a simplified character too
        ("昇阳科技有限公司", "升阳科技有限公司"),  # 昇, in given and trade names
        ("於氏贸易有限公司", "于氏贸易有限公司"),  # 於, a surname
        ("徵羽文化传媒有限公司", "征羽文化传媒有限公司"),  # 宫商角徵羽
        ("显著科技有限公司", "显着科技有限公司"),  # Taiwan writes both as 著: tw2s folds it
    ],
)
def test_a_character_simplified_chinese_uses_is_not_folded_into_another(asked, registered):
    assert normalize_name(asked).key != normalize_name(registered).key
    assert normalize_name(asked).core == asked[:-4]  # as written, but for 有限公司


@pytest.mark.parametrize(
    ("written", "registered"),
    [
        ("香港上海滙豐銀行有限公司", "香港上海汇丰银行有限公司"),
        ("恒泰電綫電纜有限公司", "恒泰电线电缆有限公司"),
        ("啓明星科技有限公司", "启明星科技有限公司"),
        ("雙峯貿易有限公司", "双峰贸易有限公司"),
        ("臺灣積體電路製造股份有限公司", "台湾积体电路制造股份有限公司"),
        ("阿裏巴巴（北京）軟件有限公司", "阿里巴巴（北京）软件有限公司"),
        # In a name written in traditional characters they are read as OpenCC reads them.
        ("杭州恒泰投資合夥企業（有限合夥）", "杭州恒泰投资有限合伙企业"),
        ("金華市蘭谿市董記洗車店", "金华市兰溪市董记洗车店"),
        ("中華徵信有限公司", "中华征信有限公司"),
        ("乾洗連鎖有限公司", "干洗连锁有限公司"),
        # Hong Kong and Taiwan variant forms, which t2s leaves as they are.
        ("保衞科技有限公司", "保卫科技有限公司"),  # 衞: Hong Kong's 衛
        ("恒泰敍事文化有限公司", "恒泰叙事文化有限公司"),  # 敍: Hong Kong's 敘
        ("飛簷建築有限公司", "飞檐建筑有限公司"),  # 簷: Taiwan's 檐
    ],
)
def test_traditional_and_variant_forms_are_folded(written, registered):
    assert normalize_name(written).key == normalize_name(registered).key
    assert TRADITIONAL in normalize_name(written).changes


def test_a_simplified_name_is_left_as_written():
    for name in (
        "乾通科技有限公司",
        "著名科技有限公司",
        "什么科技有限公司",
        "杭州恒泰科技有限公司",
    ):
        assert normalize_name(name).changes == ()


def test_opencc_folds_zhu_into_zhe_on_its_own():
    """Why ``VARIANTS_KEPT`` holds 著: OpenCC's Taiwan table folds it into 着 (Taiwan writes
    both as 著), and nothing in its T→S table marks it apart from 衞, which must be folded."""
    import opencc

    assert opencc.OpenCC("tw2s").convert("著") == "着"
    assert opencc.OpenCC("t2s").convert("著衞") == "著衞"
    assert "著" in VARIANTS_KEPT and len(VARIANTS_KEPT) == 1


def _opencc_dictionary(name: str, tmp_path) -> dict[str, list[str]]:
    """One of the installed OpenCC's dictionaries as text, through the tool it ships."""
    import subprocess
    from pathlib import Path

    import opencc

    clib = Path(opencc.__file__).parent / "clib"
    tool = clib / "bin" / "opencc_dict"
    if not tool.exists():
        pytest.skip("this OpenCC build ships no opencc_dict")
    text = tmp_path / f"{name}.txt"
    subprocess.run(
        [tool, "-i", clib / "share" / "opencc" / f"{name}.ocd2", "-o", text,
         "-f", "ocd2", "-t", "text"],
        check=True, capture_output=True,
    )  # fmt: skip
    entries = (line.split("\t") for line in text.read_text(encoding="utf-8").splitlines())
    return {key: value.split(" ") for key, value in entries}


def test_the_characters_also_simplified_are_opencc_s_own(tmp_path):
    """``ALSO_SIMPLIFIED`` is what the installed OpenCC's T→S dictionaries say, not a choice:
    the characters whose entry lists themselves among their simplified forms, that one of the
    conversions a name goes through changes. An OpenCC upgrade that changes it fails here."""
    import opencc

    characters = _opencc_dictionary("TSCharacters", tmp_path)
    extension = _opencc_dictionary("TSCharactersExt", tmp_path)  # t2s consults it first
    converters = [opencc.OpenCC(config) for config in ("t2s", "hk2s", "tw2s")]
    derived = {
        char
        for char in characters.keys() - extension.keys()
        if len(char) == 1
        and char in characters[char]
        and any(converter.convert(char) != char for converter in converters)
    }
    assert not any(char in forms for char, forms in extension.items())
    assert derived == ALSO_SIMPLIFIED


# A province and a city that share a short form (issue: name checks).


def test_jilin_province_and_jilin_city_are_different_regions():
    province = normalize_name("吉林省恒泰建设有限公司")
    city = normalize_name("吉林市恒泰建设有限公司")
    either = normalize_name("吉林恒泰建设有限公司")
    assert province.key != city.key
    assert region_relation(province.region, city.region) == "different"
    assert region_relation(either.region, province.region) == "nested"
    assert region_relation(either.region, city.region) == "nested"
    assert normalize_name("吉林省吉林市恒泰建设有限公司").region == "吉林省吉林市"
    assert normalize_name("恒泰建设（吉林市）有限公司").key == city.key


def test_jilin_is_the_only_short_form_a_province_shares():
    from xinyong.core import regions

    assert regions._shared_with_a_province(regions._divisions()) == frozenset({"吉林"})


# The key keeps the parts apart (issue: name checks).


def test_a_key_keeps_its_parts_apart():
    trade_name = normalize_name("东方电气有限公司")  # 东方电气, no region
    of_the_city = normalize_name("东方市电气有限公司")  # 电气 of 东方市 (Hainan)
    assert (trade_name.region, trade_name.core) == ("", "东方电气")
    assert (of_the_city.region, of_the_city.core) == ("东方", "电气")
    assert trade_name.key != of_the_city.key
    assert of_the_city.key == KEY_SEPARATOR.join(("东方", "电气", "有限公司", ""))
    assert normalize_name("  ·。 ").key == ""


@pytest.mark.parametrize(
    ("text", "person"),
    [("欧阳锋", True), ("张伟", True), (" 李 ", False), ("司马相如", True),
     ("阿依古丽·买买提", True), ("阿依古丽・买买提", True), ("王", False),
     ("诸葛孔明先生", False), ("华为公司", False),
     ("东风厂", False), ("某某合作社", False), ("张三2", False), ("Zhang Wei", False),
     ("·买买提", False), ("杭州某某科技有限公司", False), ("", False), ("北京大学", False),
     ("实验中学", False), ("人民政府", False), ("教育厅", False), ("村委会", False),
     ("红十字会", False), ("华联超市", False), ("张志学", True), ("张军", True), ("王会", True),
     ("李行", True), ("张志行", True), ("张园", True), ("王中学", True), ("刘大学", True),
     ("张办", True), ("李署", True), ("王厅", True), ("教育厅", False), ("王建社", True),
     ("杨红社", True), ("张建院", True), ("王振部", True), ("李建站", True), ("刘小所", True),
     ("某某合作社", False), ("人民法院", False), ("城关派出所", False), ("东方加油站", False),
     ("某公司", False), ("王学会", True), ("数学学会", False),
     # spaces inside, and the dots and dashes typed for a middle dot (R14)
     ("王\u3000伟", True), ("王 伟", True), ("欧阳 锋", True), (" 张 三 丰 ", True),
     ("阿依古丽.买买提", True), ("阿依古丽．买买提", True), ("阿依古丽-买买提", True),
     ("阿依古丽 · 买买提", True), ("阿依古丽—买买提", True), ("阿依古丽..买买提", True),
     ("王 伟 伟 伟 伟", False), ("阿依古丽.", False), ("-买买提", False), ("张 3", False),
     ("杭州 恒泰科技有限公司", False), ("北京 大学", False), ("华联 超市", False),
     ("恒泰-科技有限公司", False),
     # a note that says the name is a person's is read past
     ("王伟（个人）", True), ("王伟(自然人)", True), ("李娜 （本人）", True),
     ("王伟（个体）", False), ("（个人）", False), ("某某公司（个人）", False)],
)  # fmt: skip
def test_what_may_be_a_persons_name(text, person):
    """A name check searches organisations only (R14): these are the names it cannot call clear
    when nothing matches."""
    assert may_be_a_persons_name(text) is person
