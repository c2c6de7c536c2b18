"""Organisation names made comparable (issue: name checks)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.names import (
    FULL_WIDTH,
    SPACES_OR_PUNCTUATION,
    TRADITIONAL,
    legal_forms_compatible,
    normalize_name,
    region_relation,
)

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
