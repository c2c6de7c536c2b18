"""Organisation names made comparable, for name checks (issue: name checks; no Django here).

A registered Chinese organisation name reads 行政区划 + 字号 + 行业 + 组织形式 (region, trade name,
industry, legal form), and the people who type it into a check write the same name in many ways:
traditional characters, full-width letters and brackets, the region in brackets or in front,
有限责任公司 for 有限公司, stray spaces and dots. ``normalize_name`` takes those differences out and
splits the name into the parts a matcher weighs differently: the distinctive ``core``, the
``region`` (a weaker signal than the core) and the canonical ``legal_form``. A branch (分公司) keeps
what follows its head office's name in ``branch``, so that it never equals its head office; the
region a branch is named after is read there as in front of a name (北京市分公司 = 北京分公司).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import opencc

from xinyong.core.regions import (
    bracketed_region_forms,
    leading_region,
    read_in_front,
    written_forms,
)

# A county right after a region, also one the table lacks: 杭州市西湖区 → 西湖区. Two characters
# and 区/县 keep it from taking words such as 园区 or 科技园区 that belong to the name.
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
# form under the Company Law; 股份有限公司 is another form and stays distinct, and a company
# limited by shares may write it 股份公司 (Company Law art. 7), so that comes before 公司.
_LEGAL_FORMS = (
    ("有限责任公司", "有限公司"), ("责任有限公司", "有限公司"), ("股份有限公司", "股份有限公司"),
    ("有限公司", "有限公司"), ("股份公司", "股份有限公司"), ("公司", "公司"),
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
# A branch keeps its head office's full name, then where it is and what it is. No kind ends
# another, so a name ends with one kind at most.
_BRANCH_KINDS = ("分公司", "分店", "分厂", "分行", "支行", "营业部", "办事处")

# A written form that may stand for a fuller one: 恒泰公司 is usually 恒泰有限公司.
_BROADER_FORMS = {
    "公司": {"有限公司", "股份有限公司"},
    "合作社": {"专业合作社", "股份经济合作社", "经济合作社"},
    "合伙企业": {"有限合伙企业", "普通合伙企业", "特殊普通合伙企业"},
}

# Between the parts of a key: without it 东方电气有限公司 (trade name 东方电气) and
# 东方市电气有限公司 (电气 of 东方市) would share 东方电气有限公司. No part ever holds a "|".
KEY_SEPARATOR = "|"

TRADITIONAL = "traditional characters"
FULL_WIDTH = "full-width characters"
SPACES_OR_PUNCTUATION = "spaces or punctuation"


@dataclass(frozen=True, slots=True)
class NormalizedName:
    """A name split into what a matcher compares; ``key`` is equal for equivalent spellings.

    ``key`` holds the parts with ``KEY_SEPARATOR`` between them (杭州|恒泰科技|有限公司|), and is
    empty only for a name with nothing in it.
    """

    key: str
    core: str
    region: str = ""
    # The divisions ``region`` joins, in order (浙江杭州: 浙江, 杭州): the name index finds a
    # name by each of them.
    regions: tuple[str, ...] = ()
    legal_form: str = ""
    branch: str = ""
    region_placement: str = ""  # "start", "brackets" or "" — only to explain a match
    legal_form_written: str = ""  # the suffix as written, e.g. 有限责任公司
    changes: tuple[str, ...] = ()  # what normalisation had to undo, in words


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    """One converter per configuration and process, made on first use: loading its
    dictionaries takes time."""
    return opencc.OpenCC(config)


def _t2s() -> opencc.OpenCC:
    return _converter("t2s")


def simplified(text: str) -> str:
    """``text`` with traditional characters written simplified (OpenCC's t2s): for headers and
    labels; a name is folded by ``simplified_name``, which keeps what simplified Chinese uses."""
    return text if text.isascii() else _t2s().convert(text)


# Characters that OpenCC's own traditional-to-simplified dictionary (TSCharacters) lists among
# their own simplified forms, and that one of its conversions (t2s, hk2s, tw2s) changes:
# 乾 → 干 乾 (乾坤), 於 → 于 於 (the surname), 昇 → 升 昇 (given names), 徵 → 征 徵 (宫商角徵羽).
# OpenCC marks them so because simplified Chinese writes them too (乾, 於, 昇 and 徵 are in the
# 通用规范汉字表), so a name written in simplified characters means them as written: t2s, which
# takes the first form, would make 乾通科技 the registered 干通科技, another company (issue: name
# checks). Derived from the installed OpenCC's dictionaries, not chosen by hand:
# tests/unit/test_names.py derives it again, and fails when an OpenCC upgrade changes it.
ALSO_SIMPLIFIED = frozenset("么乾剋劄吒夥徵扞於昇氾祕脩蒐薹衹袷谿釐陞麽")
# The one hand-kept exception, where OpenCC's data cannot tell: Taiwan writes both 着 and 著 as
# 著, so its variant table (tw2s) folds 著 into 着, but simplified Chinese has both, as
# different characters (显著, 著名 and 着陆); and like 衞, which must be folded (hk2s: 卫), 著
# has no entry in OpenCC's T→S table to mark it. tests/unit/test_names.py shows the fold.
VARIANTS_KEPT = frozenset("著")
# Where OpenCC's dictionaries have entries: CJK Unified Ideographs, Extension A, and the
# supplementary planes' extensions (the compatibility ideographs are NFKC's already).
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x323AF))
# OpenCC's standard traditional first, then the Hong Kong and the Taiwan variant forms.
_FOLDS = ("t2s", "hk2s", "tw2s")


@functools.cache
def _traditional_only() -> dict[str, str]:
    """Character → its simplified form, for the characters that only traditional Chinese uses.

    Each character is converted on its own (one call per configuration, the characters one a
    line so that no phrase spans two of them): OpenCC's standard form (t2s) first, else the Hong
    Kong (hk2s: 衞 → 卫) or Taiwan (tw2s: 簷 → 檐) variant folded. What simplified Chinese uses
    as well (``ALSO_SIMPLIFIED``, ``VARIANTS_KEPT``) is left out. Made once per process, in a
    fraction of a second.
    """
    chars = [chr(code) for first, last in _HAN_RANGES for code in range(first, last + 1)]
    text = "\n".join(chars)
    conversions = [_converter(config).convert(text).split("\n") for config in _FOLDS]
    kept = ALSO_SIMPLIFIED | VARIANTS_KEPT
    table: dict[str, str] = {}
    for at, char in enumerate(chars):
        if char in kept:
            continue
        folded = next((c[at] for c in conversions if c[at] != char), char)
        if folded != char and len(folded) == 1:
            table[char] = folded
    return table


def simplified_name(text: str) -> str:
    """``text`` in simplified characters, changing only what simplified Chinese does not use.

    A name with no traditional-only character is simplified already and stays as written, so
    乾, 於 and 昇 stay themselves (``ALSO_SIMPLIFIED``). A name with one is traditional text: it
    is converted with OpenCC's t2s, phrases and all (乾洗 → 干洗 but 乾坤 stays, 合夥 → 合伙),
    and what t2s leaves of the Hong Kong and Taiwan variant forms is folded too (保衞 → 保卫).
    """
    folds = _traditional_only()
    if text.isascii() or folds.keys().isdisjoint(text):
        return text
    standard = _t2s().convert(text)
    if len(standard) != len(text):  # never with OpenCC's dictionaries: one character for one
        return standard
    return "".join(
        converted if converted != char else folds.get(char, char)
        for char, converted in zip(text, standard, strict=True)
    )


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
    folded = simplified_name(cleaned)
    if folded != cleaned:
        changes.append(TRADITIONAL)
    return _split(folded.casefold(), tuple(changes), latin_form)


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
        # A trade name may not be the name of a division at county level or above
        # (企业名称登记管理规定), so a division in brackets is the region, never the brand, at any
        # level and in its short form too (（桐庐） for 桐庐县). The table (GB/T 2260,
        # ``regions.bracketed_region_forms``) is read on first use, not on import: it takes some
        # 0.1 s, which every process that imports this module would pay.
        forms = bracketed_region_forms()
        if inside in forms:  # 阿里巴巴（北京）科技有限公司, 鑫飞诚电器（桐庐）有限公司
            regions.append(forms[inside])
            placement = "brackets"
            return ""
        within, rest = _leading_regions(inside)
        if within and rest in forms:  # 恒泰（杭州西湖）小吃店
            within, rest = [*within, forms[rest]], ""
        if within and not rest:  # 恒泰（杭州市西湖区）小吃店
            regions.extend(within)
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
    parts = _branch_parts(rest)
    if parts:  # 恒泰科技有限公司杭州分公司: the head office's name, then the branch
        head, where, kind = parts
        branch = _branch(where, kind)  # where it is, then what it is: 北京市 + 分公司
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
    divisions = tuple(dict.fromkeys(regions))  # 恒泰（北京）…（北京） names 北京 once
    region = "".join(divisions)
    parts = (region, core, legal_form, branch)
    return NormalizedName(
        key=KEY_SEPARATOR.join(parts) if any(parts) else "",
        core=core,
        region=region,
        regions=divisions,
        legal_form=legal_form,
        branch=branch,
        region_placement=placement if region else "",
        legal_form_written=written,
        changes=changes,
    )


def _branch_parts(text: str) -> tuple[str, str, str] | None:
    """(head office's name, where, kind) of a branch's name, or None for another name.

    The head office's name runs to the last 公司 before the kind (恒泰科技有限公司 + 杭州 +
    分公司); a name with no 公司 there is all head office (恒泰小吃 + 分店). Found by looking
    at the end first and then once back for 公司, so that the time grows with the length of
    the name: a pattern that tried each 公司 against the end took a worker's time for a name
    of many 公司 (R14).
    """
    kind = next((kind for kind in _BRANCH_KINDS if text.endswith(kind)), None)
    if kind is None or len(text) == len(kind):
        return None
    before = text[: -len(kind)]
    cut = before.rfind("公司")
    if cut < 0:
        return before, "", kind
    return before[: cut + 2], before[cut + 2 :], kind


def _branch(where: str, kind: str) -> str:
    """The branch part with its region read as the head's is: 北京市分公司 → 北京分公司.

    A branch is usually named after where it is, and that division is written with its suffix
    or without, as in front of the head office's name (北京市恒泰 = 北京恒泰, issue: name
    checks). So the same divisions are read the same way (``_leading_regions``), a branch
    elsewhere (上海分公司) keeps a key of its own, and what follows them (城西支行) stays.
    """
    regions, rest = _leading_regions(where)
    return "".join(regions) + rest + kind


def _leading_regions(text: str) -> tuple[list[str], str]:
    """Province, city and county written in front: 浙江省杭州市西湖区恒泰… → 浙江, 杭州, 西湖区.

    A county the table lacks is still taken after a province or city, as two characters and 区
    or 县; a name that is nothing but divisions keeps its last one (``_split`` decides).
    """
    regions: list[str] = []
    rest = text
    for _ in range(3):
        found = leading_region(rest)
        if found is None:
            break
        written, region = found
        regions.append(region)
        rest = rest[len(written) :]
    if regions and len(regions) < 3:
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


# What a name ends with and never is: a legal form, a branch's kind, 个体工商户. A text that is
# nothing else (有限公司, 分公司) names no organisation.
_NOT_A_NAME = frozenset(
    [written for written, _ in _LEGAL_FORMS] + list(_BRANCH_KINDS) + ["个体工商户"]
    + list(_PARTNERSHIP_KINDS) + list(_PARTNERSHIP_KINDS.values())
)  # fmt: skip
# What a name may not hold: control characters (\x01, DEL), invisible format characters (a
# right-to-left override, a zero-width space) and line or paragraph separators. Tabs and line
# breaks are spaces that a pasted name may carry.
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def names_no_organisation(key: str) -> bool:
    """Whether a normalised name's ``key`` is too short to be any organisation's name: one
    character in all, or nothing but a legal form, a branch's kind or 个体工商户 (有限公司,
    分公司). A registered name has a trade name of its own (企业名称登记管理规定), so such a
    name matches nothing for a reason: answering it ``clear`` would say what is not known."""
    written = key.replace(KEY_SEPARATOR, "")
    return len(written) < 2 or written in _NOT_A_NAME


def has_control_character(text: str) -> bool:
    """Whether ``text`` holds a character no name is written with (``_CONTROL_CATEGORIES``):
    kept as sent, it would be registered and shown raw."""
    spaces = "\t\n\r"
    return any(unicodedata.category(c) in _CONTROL_CATEGORIES and c not in spaces for c in text)


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


@dataclass(frozen=True, slots=True)
class RegionsInside:
    """Two names compared with the divisions each writes inside its core (通昌众宁波建材) read
    out of it, where the other name has them as its region (宁波通昌众建材)."""

    cores: tuple[str, str]  # each name's core without what was read out of it
    regions: tuple[str, str]  # each name's region with what was read out of its core
    # ``region_relation`` of the two names' regions with it; ``different`` whenever the regions
    # the names are registered under differ (上海建工宁波建设 and 宁波建工建设)
    relation: str
    found: tuple[str, ...]  # the divisions read inside either name
    # Whether one was read by a form not read as a region in front of a name (桐庐 for 桐庐县,
    # 光明 for 光明区): a brand's name as often as a region's (光明乳业, 福田汽车), so never
    # evidence enough that two names are one subject's; a person decides.
    softly: bool


def regions_inside(a: NormalizedName, b: NormalizedName) -> RegionsInside | None:
    """``a`` and ``b`` compared with a region written inside either name read out of it (issue
    4 item 3, R10, R11); None when neither writes inside its name a division that the other
    has as its region and it lacks. Only the other name's divisions are looked for, never every
    place name: 南山 in 南山铝业 is read as 南山区 beside a name of 南山区 only."""
    return read_regions_inside(a.core, a.regions, b.core, b.regions)


def read_regions_inside(
    a_core: str, a_regions: tuple[str, ...], b_core: str, b_regions: tuple[str, ...]
) -> RegionsInside | None:
    """``regions_inside`` of two names' cores and divisions (``NormalizedName.regions``).

    A name registered under a region the other's differs from (上海 of 上海建工宁波建设, 宁波 of
    宁波建工建设) is another region's whatever it writes inside: the division read there is
    part of its name, and the relation is ``different``, as the registered regions read."""
    a_left, a_found, a_softly = _read_out(a_core, [d for d in b_regions if d not in a_regions])
    b_left, b_found, b_softly = _read_out(b_core, [d for d in a_regions if d not in b_regions])
    if not a_found and not b_found:
        return None
    a_all, b_all = (*a_regions, *a_found), (*b_regions, *b_found)
    regions = ("".join(a_all), "".join(b_all))
    if region_relation("".join(a_regions), "".join(b_regions)) == "different":
        relation = "different"
    elif set(a_all) == set(b_all):
        relation = "same"
    elif set(a_all) <= set(b_all) or set(b_all) <= set(a_all):
        relation = "nested"
    else:  # 吉林 and 吉林省 are nested too: as ``region_relation`` reads them
        relation = region_relation(*regions)
    found = a_found + b_found
    return RegionsInside((a_left, b_left), regions, relation, found, a_softly or b_softly)


def _read_out(core: str, divisions: list[str]) -> tuple[str, tuple[str, ...], bool]:
    """``core`` without the first place it writes each of ``divisions`` (in any of its forms,
    the longest first), the divisions found there, and whether one was found softly. A division
    is not read out of a core that is nothing else (宁波 of 宁波有限公司): two characters stay."""
    found: list[str] = []
    softly = False
    for division in divisions:
        for form in written_forms(division):
            at = core.find(form)
            if at >= 0 and len(core) - len(form) >= 2:
                core = core[:at] + core[at + len(form) :]
                found.append(division)
                softly = softly or not read_in_front(form)
                break
    return core, tuple(found), softly


def may_name_the_same(a: NormalizedName, b: NormalizedName) -> bool:
    """Whether two normalised names may be one subject's: the same core and branch, legal
    forms that may stand for each other (``legal_forms_compatible``) and regions that do not
    differ (one left out, or one within the other), also once a region written inside one name
    is read out of it by a form read as a region in front of a name (``regions_inside``:
    通昌众宁波建材 and 宁波通昌众建材, 鑫飞诚桐庐县电器 and 桐庐县鑫飞诚电器). One read by a
    county's short form (``RegionsInside.softly``: 红旗机械 and 红旗区机械, 桐庐鑫飞诚电器
    and 桐庐县鑫飞诚电器) may be a brand's name, so the names may be two companies'. What
    screening asks before it says that a row's name names another organisation than its code
    (应查必查): a name that may be another company's is worth a warning. A name with nothing in
    it differs from none."""
    if not a.key or not b.key or a.key == b.key:
        return True
    if a.branch != b.branch or not legal_forms_compatible(a.legal_form, b.legal_form):
        return False
    if a.core == b.core and region_relation(a.region, b.region) != "different":
        return True
    inside = regions_inside(a, b)
    if inside is None:
        return False
    return (
        inside.cores[0] == inside.cores[1] and inside.relation != "different" and not inside.softly
    )


# What may stand between the characters of a person's name as people write it: spaces and what
# they type for the middle dot of a transcribed name (阿卜杜拉·买买提): other dots (. ． ‧ • ・),
# hyphens and dashes. Shared with ``free_text``, which finds such names in a text to mask them.
NAME_GAP = r"[\s·・•.．‧\-－‐–—]*"
# The parts of a transcribed name, which a dot or a dash parts (a space does not: 张 建设).
TRANSCRIBED_PARTS = re.compile(r"[·・•.．‧\-－‐–—]+")
_SPACES = re.compile(r"\s+")
# A Chinese person's name: a surname and a given name, two to four characters in all; a name of
# a minority or a transliterated one parts them with a middle dot (阿依古丽·买买提).
_PERSON_NAME_MAX_WITH_DOTS = 20
# What ends an organisation's name and no person's (某公司, 村委会, 红十字会)…
_ORGANISATION_WORDS = (
    "公司", "集团", "协会", "商会", "合作社", "事务所", "银行", "医院", "学校", "幼儿园", "政府",
    "委员会", "村委会", "居委会", "工会", "基金会", "研究会", "联合会", "十字会", "超市", "商场",
    "办公室", "电视台", "广播电台", "日报", "报社", "旅行社", "出版社", "杂志社", "法院",
    "研究院", "设计院", "事业部", "项目部", "经营部", "门市部", "加油站", "服务站", "工作站",
    "研究所", "派出所", "卫生所", "营业所",
)  # fmt: skip
# …and what ends one after at least two characters of its own (北京大学, 东风厂, 教育厅), where a
# person's given name may end so after a surname alone (王中学, 王学会, 王厅). Characters that end
# given names after two (行: 张志行; 社: 王建社; 院, 部, 站, 所, 园, 学, 会, 军) are left out as
# single characters: a person taken for an organisation is answered clear, the harm this guards
# against.
_ORGANISATION_ENDINGS = ("大学", "中学", "小学", "学院", "学会", "中心", "厂", "店", "局", "馆",
                         "厅", "署")  # fmt: skip


# A note after a name that says whose it is: 王伟（个人）, 李娜(自然人). It makes the name no less
# a person's: a check must not call it clear for matching no organisation (R14).
_PERSON_NOTE = re.compile(r"[(（]\s*(?:个人|自然人|本人)\s*[)）]\s*$")


def may_be_a_persons_name(text: str) -> bool:
    """Whether ``text`` may be a natural person's name: Han characters only, two to four of
    them (or parts joined by a middle dot), not ending as an organisation's name does. Spaces
    between the characters (王　伟, 欧阳 锋) and a dot or dash typed for the middle dot
    (阿依古丽.买买提, 阿依古丽-买买提) are read as people write names (``NAME_GAP``).

    A name check searches organisations only: a person is found by citizen ID (R14: no look-up
    of persons by name), so a name like this that matches nothing is not known to be clear.
    A note after it that says it is a person's (王伟（个人）) is read past."""
    text = _PERSON_NOTE.sub("", unicodedata.normalize("NFKC", text).strip())
    parts = [_SPACES.sub("", part) for part in TRANSCRIBED_PARTS.split(text)]
    text = "".join(parts)
    if not all(parts) or not all(map(_is_han, text)):
        return False
    if text.endswith(_ORGANISATION_WORDS) or any(
        text.endswith(ending) and len(text) - len(ending) >= 2 for ending in _ORGANISATION_ENDINGS
    ):
        return False
    if len(parts) == 1:
        return 2 <= len(text) <= 4
    return len(text) + len(parts) - 1 <= _PERSON_NAME_MAX_WITH_DOTS


def _is_han(character: str) -> bool:
    point = ord(character)
    return any(low <= point <= high for low, high in _HAN_RANGES)
