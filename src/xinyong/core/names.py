"""Organisation names made comparable, for name checks (issue: name checks; no Django here).

A registered Chinese organisation name reads 行政区划 + 字号 + 行业 + 组织形式 (region, trade name,
industry, legal form), and the people who type it into a check write the same name in many ways:
traditional characters, full-width letters and brackets, the region in brackets or in front,
有限责任公司 for 有限公司, stray spaces and dots. ``normalize_name`` takes those differences out and
splits the name into the parts a matcher weighs differently: the distinctive ``core``, the
``region`` (a weaker signal than the core) and the canonical ``legal_form``. A branch (分公司) keeps
what follows its head office's name in ``branch``, so that it never equals its head office.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import opencc

# Written form → canonical short form. A trade name may not be the name of a division at county
# level or above (企业名称登记管理规定), so a leading division is the region, never the brand.
_PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
    "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区",
)  # fmt: skip
_CITIES = (
    "杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市", "舟山市",
    "台州市", "丽水市", "义乌市", "石家庄市", "太原市", "沈阳市", "大连市", "长春市",
    "哈尔滨市", "南京市", "苏州市", "无锡市", "常州市", "南通市", "徐州市", "合肥市", "福州市",
    "厦门市", "泉州市", "南昌市", "济南市", "青岛市", "烟台市", "郑州市", "武汉市", "长沙市",
    "广州市", "深圳市", "东莞市", "佛山市", "珠海市", "海口市", "成都市", "贵阳市", "昆明市",
    "西安市", "兰州市", "西宁市", "呼和浩特市", "包头市", "南宁市", "拉萨市", "银川市",
    "乌鲁木齐市",
)  # fmt: skip
_SHORT_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")


def _short(full: str) -> str:
    for suffix in _SHORT_SUFFIXES:
        if full.endswith(suffix):
            return full[: -len(suffix)]
    return full


REGION_FORMS: dict[str, str] = {
    **{form: _short(full) for full in _PROVINCES + _CITIES for form in (full, _short(full))},
    # National level, as in 中国工商银行 or 西门子（中国）有限公司: a prefix that needs approval.
    "中国": "中国",
}
_LEADING_REGION = re.compile("|".join(sorted(REGION_FORMS, key=len, reverse=True)))
# A county right after a region: 杭州市西湖区 → 西湖区. Two characters and 区/县 keep it from
# taking words such as 园区 or 科技园区 that belong to the name.
_COUNTY = re.compile(r"[\u4e00-\u9fff]{2}[区县]")

_BRACKETS = str.maketrans("【】〔〕〖〗[]{}", "()()()()()")
_CHINESE_BRACKETS = str.maketrans("（）", "()")
_NOT_KEPT = re.compile(r"[^\w()]|_")
_BRACKETED = re.compile(r"\(([^()]*)\)")
_PARTNERSHIP_KINDS = {
    "有限合伙": "有限合伙企业",
    "普通合伙": "普通合伙企业",
    "特殊普通合伙": "特殊普通合伙企业",
}

# Suffix as written → canonical legal form, longest first. 有限责任公司 and 有限公司 are the same
# form under the Company Law; 股份有限公司 is another form and stays distinct.
_LEGAL_FORMS = (
    ("有限责任公司", "有限公司"), ("责任有限公司", "有限公司"), ("股份有限公司", "股份有限公司"),
    ("有限公司", "有限公司"), ("公司", "公司"),
    ("特殊普通合伙企业", "特殊普通合伙企业"), ("有限合伙企业", "有限合伙企业"),
    ("普通合伙企业", "普通合伙企业"), ("合伙企业", "合伙企业"), ("个人独资企业", "个人独资企业"),
    ("农民专业合作社", "专业合作社"), ("专业合作社", "专业合作社"),
    ("股份经济合作社", "股份经济合作社"), ("经济合作社", "经济合作社"), ("合作社", "合作社"),
)  # fmt: skip
_LATIN_FORMS = re.compile(
    r"[\s.,]+(co\.?,?\s*ltd|company\s+limited|limited|ltd|incorporated|inc|corporation|corp"
    r"|llc)\.?\s*$"
)
_LATIN_CANONICAL = {"incorporated": "inc", "corporation": "corp"}
# A branch keeps its head office's full name, then where it is and what it is.
_BRANCH = re.compile(r"^(.*公司)(.*?)(分公司|分店|分厂|分行|支行|营业部|办事处)$")
_BRANCH_WITHOUT_HEAD = re.compile(r"^(.+?)(分公司|分店|分厂|分行|支行|营业部|办事处)$")

# A written form that may stand for a fuller one: 恒泰公司 is usually 恒泰有限公司.
_BROADER_FORMS = {
    "公司": {"有限公司", "股份有限公司"},
    "合作社": {"专业合作社", "股份经济合作社", "经济合作社"},
    "合伙企业": {"有限合伙企业", "普通合伙企业", "特殊普通合伙企业"},
}

TRADITIONAL = "traditional characters"
FULL_WIDTH = "full-width characters"
SPACES_OR_PUNCTUATION = "spaces or punctuation"


@dataclass(frozen=True, slots=True)
class NormalizedName:
    """A name split into what a matcher compares; ``key`` is equal for equivalent spellings."""

    key: str
    core: str
    region: str = ""
    legal_form: str = ""
    branch: str = ""
    region_placement: str = ""  # "start", "brackets" or "" — only to explain a match
    legal_form_written: str = ""  # the suffix as written, e.g. 有限责任公司
    changes: tuple[str, ...] = ()  # what normalisation had to undo, in words


@functools.cache
def _t2s() -> opencc.OpenCC:
    """One converter per process, made on first use: loading its dictionaries takes time."""
    return opencc.OpenCC("t2s")


def normalize_name(text: str) -> NormalizedName:
    """Normalise an organisation name; never raises, whatever the text."""
    changes: list[str] = []
    # （） are how Chinese names are written, so folding them is not worth a mention; then NFKC
    # folds the full-width letters, digits and spaces (Ａ → A, 　 → space) input methods produce.
    text = text.translate(_CHINESE_BRACKETS)
    folded = unicodedata.normalize("NFKC", text)
    if folded != text:
        changes.append(FULL_WIDTH)
    latin_form = ""
    latin = _LATIN_FORMS.search(folded.casefold()) if folded.isascii() else None
    if latin:  # ACME Trading Co., Ltd.: only ASCII names, and only after a separator
        written = re.sub(r"[\s.,]", "", latin.group(1))
        limited = "ltd" in written or "limited" in written
        latin_form = "ltd" if limited else _LATIN_CANONICAL.get(written, written)
        folded = folded[: latin.start()]
    # One bracket shape, then nothing but letters, digits and brackets: spaces, dots, dashes and
    # quotes carry no meaning in a registered name. Control characters and lone surrogates go too.
    bracketed = folded.translate(_BRACKETS)
    cleaned = _NOT_KEPT.sub("", bracketed)
    if len(cleaned) != len(bracketed):
        changes.append(SPACES_OR_PUNCTUATION)
    # Traditional to simplified: names from Hong Kong, Macao and Taiwan, and 繁体 typed on purpose.
    simplified = _t2s().convert(cleaned) if not cleaned.isascii() else cleaned
    if simplified != cleaned:
        changes.append(TRADITIONAL)
    return _split(simplified.casefold(), tuple(changes), latin_form)


def _split(text: str, changes: tuple[str, ...], latin_form: str) -> NormalizedName:
    """Brackets, then a leading region, then a branch, then the legal form; the rest is the core.

    Brackets go first because what they hold decides its part: a region (（北京）), a kind of
    partnership (（有限合伙）) or words of the name itself (（集团）).
    """
    regions: list[str] = []
    placement = ""
    partnership = ""
    individual = False

    def bracket(match: re.Match[str]) -> str:
        nonlocal placement, partnership, individual
        inside = match.group(1)
        if inside in REGION_FORMS:  # 阿里巴巴（北京）科技有限公司
            regions.append(REGION_FORMS[inside])
            placement = "brackets"
            return ""
        if inside in _PARTNERSHIP_KINDS:  # 恒泰投资合伙企业（有限合伙）
            partnership = _PARTNERSHIP_KINDS[inside]
            return ""
        if inside == "个体工商户":
            individual = True
            return ""
        return inside  # 恒泰（集团）有限公司 is 恒泰集团有限公司

    while True:  # innermost first, so nested brackets come apart too
        unbracketed = _BRACKETED.sub(bracket, text)
        if unbracketed == text:
            break
        text = unbracketed
    text = text.replace("(", "").replace(")", "")

    leading, rest = _leading_regions(text)
    branch = ""
    head = rest
    matched = _BRANCH.match(rest) or _BRANCH_WITHOUT_HEAD.match(rest)
    if matched:  # 恒泰科技有限公司杭州分公司: the head office's name, then the branch
        head, branch = matched.group(1), "".join(matched.groups()[1:])
    written, legal_form = _legal_form(head)
    core = head[: len(head) - len(written)]
    if partnership:
        legal_form = partnership
    elif latin_form and not legal_form:  # already cut off the text
        legal_form = written = latin_form
    elif individual and not legal_form:
        legal_form = written = "个体工商户"
    if not core and leading:  # 北京有限公司: the division is all the name there is
        core, leading = text[: len(text) - len(rest)], []
    elif not core:  # 有限公司 alone
        core, legal_form, written = head, "", ""
    if leading:
        regions[:0] = leading
        placement = placement or "start"
    region = "".join(dict.fromkeys(regions))  # 恒泰（北京）…（北京） names 北京 once
    return NormalizedName(
        key=region + core + legal_form + branch,
        core=core,
        region=region,
        legal_form=legal_form,
        branch=branch,
        region_placement=placement if region else "",
        legal_form_written=written,
        changes=changes,
    )


def _leading_regions(text: str) -> tuple[list[str], str]:
    """Province, city and county written in front: 浙江省杭州市西湖区恒泰… → 浙江, 杭州, 西湖区."""
    regions: list[str] = []
    rest = text
    for _ in range(2):
        matched = _LEADING_REGION.match(rest)
        if not matched:
            break
        regions.append(REGION_FORMS[matched.group(0)])
        rest = rest[matched.end() :]
    if regions:
        county = _COUNTY.match(rest)
        if county and len(rest) > county.end():
            regions.append(county.group(0))
            rest = rest[county.end() :]
    return regions, rest


def _legal_form(text: str) -> tuple[str, str]:
    """(suffix as written, canonical form), or ("", "") when the name carries none."""
    for written, canonical in _LEGAL_FORMS:
        if text.endswith(written):
            return written, canonical
    return "", ""


def legal_forms_compatible(a: str, b: str) -> bool:
    """Whether two canonical forms may name the same subject: 公司 may stand for 有限公司."""
    if a == b or not a or not b:
        return True
    return b in _BROADER_FORMS.get(a, ()) or a in _BROADER_FORMS.get(b, ())


def region_relation(a: str, b: str) -> str:
    """``same``, ``one-sided`` (one name has none), ``nested`` (浙江杭州, 杭州) or ``different``."""
    if a == b:
        return "same"
    if not a or not b:
        return "one-sided"
    if a in b or b in a:
        return "nested"
    return "different"
