"""Administrative divisions as organisation names write them (issue: name checks; no Django).

The divisions come from the GB/T 2260 code table that python-stdnum ships (``cn/loc``), with
the names divisions had before they were renamed or merged: a company keeps the region it was
registered under (北京市崇文区 was merged into 东城区 in 2010), so old names carry old divisions.

A trade name may not be the name of a division at county level or above (企业名称登记管理规定), but
many brands share a district's name without its suffix: 福田汽车 (福田区), 南山铝业 (南山区),
新华书店 (新华区), 平安银行 (平安区). So which written forms count as a region depends on the level
and on where the form is written:

- provinces and prefecture-level divisions: the full form and the short form (杭州市 and 杭州,
  唐山地区 and 唐山, 兴安盟 and 兴安); autonomous prefectures only in full (延边朝鲜族自治州);
- county-level cities: the full form and the short form (昆山市 and 昆山);
- districts, counties and banners: the full form, suffix included (西湖区, 浦东新区, 嵊县),
  and in brackets their short form too (（西湖）, （桐庐）, （景宁） for 景宁畲族自治县): what
  brackets hold is the region, never the brand (``bracketed_region_forms``).

Every form of ``region_forms`` counts in front of a name and in brackets; ``LEADING_EXCLUDED``
lists the few short forms that are not taken in front because well-known trade names begin
with them. A county's short form in front of a name, or any form written inside it (通昌众宁波
建材), is no region by itself: a name index weighs it only beside a name of that very division
(``names.regions_inside``), and ``read_in_front`` tells the firmer readings from the softer.
"""

from __future__ import annotations

import functools
import re

from stdnum import numdb

# Rows that name a kind of division, not a division: 市辖区 stands under every city.
_GENERIC = frozenset({
    "市辖区", "县", "市区", "郊区", "矿区", "城区", "新区", "林区", "东区", "西区", "南区", "北区",
    "市中区", "省直辖县级行政单位", "自治区直辖县级行政单位",
})  # fmt: skip
_SIMPLIFIED = {"香港特別行政區": "香港特别行政区", "澳門特別行政區": "澳门特别行政区"}
_PROVINCE_SUFFIXES = (
    "壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市",
)  # fmt: skip
_PREFECTURE_SUFFIXES = ("地区", "市", "盟")
_VALIDITY = re.compile(r"^\[[^\]]*\]")

# Short forms taken only in full or in brackets, never in front: the start of a trade name as
# often as the region (阿里巴巴 and 阿里地区, 东方电气 and 东方市, 永安保险 and 永安市).
LEADING_EXCLUDED = frozenset({"阿里", "东方", "永安"})


def _names(written: str) -> list[str]:
    """``[-1991]东郊区,[1992-]东丽区`` → 东郊区, 东丽区: every name the code has had."""
    names = (_VALIDITY.sub("", part).strip() for part in written.split(","))
    return [name for name in names if len(name) >= 2 and name not in _GENERIC]


def _short(full: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            return full[: -len(suffix)]
    return full


def _divisions() -> list[tuple[str, str]]:
    """(level, name) of every division in the table: province, prefecture, city or county."""
    found: list[tuple[str, str]] = []
    for _, _, _, province, counties in numdb.get("cn/loc").prefixes:
        name = province.get("province", "")
        found.append(("province", _SIMPLIFIED.get(name, name)))
        for _, county_code, _, county, _ in counties:
            if county_code == "0000":
                continue  # the province again
            for name in _names(county.get("county", "")):
                if county_code.endswith("00"):
                    level = "prefecture"
                elif name.endswith("市"):
                    level = "city"  # 县级市
                else:
                    level = "county"
                found.append((level, name))
    return found


def _short_form(level: str, full: str) -> str:
    if level == "province":
        return _short(full, _PROVINCE_SUFFIXES)
    if level in ("prefecture", "city") and not full.endswith("自治州"):
        return _short(full, _PREFECTURE_SUFFIXES)
    return full


# A county's suffix, and how many characters must be left before it: 林区 ends 神农架林区, but
# 万柏林区 is 万柏林 + 区; 新区 ends 浦东新区, but 永新区 is 永新 + 区.
_COUNTY_SUFFIXES = (
    ("自治县", 1), ("自治旗", 1), ("新区", 2), ("特区", 2), ("矿区", 2), ("林区", 3),
    ("县", 2), ("区", 2), ("旗", 2),
)  # fmt: skip
# The peoples an autonomous county is named after (景宁畲族自治县, 察布查尔锡伯自治县) as its name
# writes them, longest first: each with 族 (回族, 水族), a name of two characters or more also
# without it (锡伯, 哈萨克, 蒙古); 各族 for 龙胜各族自治县.
_PEOPLES = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家",
    "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇",
    "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
    "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
)  # fmt: skip
_PEOPLES_WRITTEN = tuple(
    sorted({*(p + "族" for p in _PEOPLES), *(p for p in _PEOPLES if len(p) > 1)}, key=len,
           reverse=True)
)  # fmt: skip


def county_short_form(full: str) -> str:
    """A district's, county's or banner's name without its suffix (桐庐县 → 桐庐, 浦东新区 →
    浦东), and an autonomous county's without the peoples it is named after (景宁畲族自治县 →
    景宁); "" when no name of two characters or more is left (嵊县, 鄂伦春自治旗)."""
    for suffix, least in _COUNTY_SUFFIXES:
        if full.endswith(suffix) and len(full) - len(suffix) >= least:
            rest = full[: -len(suffix)]
            if suffix.startswith("自治"):
                rest = _without_peoples(rest)
            return rest if len(rest) >= 2 else ""
    return ""


def _without_peoples(name: str) -> str:
    """景宁畲族 → 景宁, 大通回族土族 → 大通, 察布查尔锡伯 → 察布查尔."""
    while written := next((w for w in _PEOPLES_WRITTEN if name.endswith(w)), ""):
        name = name[: -len(written)]
    return name


def _shared_with_a_province(divisions: list[tuple[str, str]]) -> frozenset[str]:
    """Short forms that a province shares with another division: 吉林 (吉林省 and 吉林市).

    The only one in the table. Other divisions that share a short form are one place under
    names it had at different times (唐山地区 became 唐山市) or a city and the prefecture it
    gave its name to (和田市 in 和田地区), one inside the other; 吉林市 is a city of 吉林省
    too, but a company named after the province and one named after the city are registered
    by different authorities and may share the rest of their name.
    """
    provinces = {_short_form(level, full): full for level, full in divisions if level == "province"}
    return frozenset(
        short
        for level, full in divisions
        if level != "province"
        and (short := _short_form(level, full)) in provinces
        and provinces[short] != full
    )


@functools.cache
def region_forms() -> dict[str, str]:
    """Written form → the region it stands for (杭州市 → 杭州, 西湖区 → 西湖区, 中国 → 中国).

    A short form a province shares with another division stands for itself, and each full form
    for itself (吉林省 → 吉林省, 吉林市 → 吉林市, 吉林 → 吉林): 吉林省恒泰 and 吉林市恒泰 are two
    companies, and 吉林恒泰 may be either (``names.region_relation``: nested in both).
    """
    divisions = _divisions()
    shared = _shared_with_a_province(divisions)
    forms: dict[str, str] = {}
    for level, full in divisions:
        short = _short_form(level, full)
        if short in shared:
            forms.setdefault(full, full)
        else:
            forms.setdefault(full, short)
        forms.setdefault(short, short)
    # National level, as in 中国工商银行 or 西门子（中国）有限公司: a prefix that needs approval.
    forms["中国"] = "中国"
    return forms


@functools.cache
def _leading_forms() -> tuple[dict[str, str], tuple[int, ...]]:
    forms = {form: region for form, region in region_forms().items()}
    for short in LEADING_EXCLUDED:
        forms.pop(short, None)
    return forms, tuple(sorted({len(form) for form in forms}, reverse=True))


def leading_region(text: str) -> tuple[str, str] | None:
    """(form as written, region) of the longest division ``text`` starts with, if any.

    One dict lookup per form length present (a handful), not one pattern of thousands of names.
    """
    forms, lengths = _leading_forms()
    for length in lengths:
        if length <= len(text):
            region = forms.get(text[:length])
            if region is not None:
                return text[:length], region
    return None


@functools.cache
def bracketed_region_forms() -> dict[str, str]:
    """``region_forms`` and each county's short form (桐庐 → 桐庐县, 西湖 → 西湖区): what a
    name's brackets may hold (恒泰（桐庐）电器). A short form of several counties stands for
    itself (和平: 和平区 and 和平县), and one that a province or city has already keeps its
    meaning (朝阳 is 朝阳市 too)."""
    forms = dict(region_forms())
    counties: dict[str, set[str]] = {}
    for level, full in _divisions():
        if level == "county" and (short := county_short_form(full)):
            counties.setdefault(short, set()).add(forms[full])
    for short, regions in counties.items():
        forms.setdefault(short, next(iter(regions)) if len(regions) == 1 else short)
    return forms


@functools.cache
def _written_forms() -> dict[str, tuple[str, ...]]:
    written: dict[str, set[str]] = {}
    for form, region in bracketed_region_forms().items():
        written.setdefault(region, {region}).add(form)
    full_forms = region_forms()
    for level, full in _divisions():  # 和平 is written for 和平区 too, though it stands for itself
        if level == "county" and (short := county_short_form(full)):
            written.setdefault(full_forms[full], {full_forms[full]}).add(short)
    return {region: tuple(sorted(f, key=len, reverse=True)) for region, f in written.items()}


def written_forms(region: str) -> tuple[str, ...]:
    """Every way a division is written, longest first: 杭州 → 杭州市, 杭州; 桐庐县 → 桐庐县, 桐庐;
    a division the table lacks (杭州某某区, read after its city) only as itself."""
    return _written_forms().get(region, (region,))


def read_in_front(form: str) -> bool:
    """Whether ``form`` is read as a region in front of a name (杭州, 桐庐县); a county's short
    form (桐庐, 福田) and ``LEADING_EXCLUDED`` are not: a brand as often as a region."""
    return form in _leading_forms()[0]


@functools.cache
def _divisions_by_form() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[int, ...]]]:
    """Written form → the divisions it is written for (和平 → 和平, 和平区 and 和平县), and a
    form's first two characters → the lengths of the forms that begin so."""
    by_form: dict[str, set[str]] = {}
    for region, forms in _written_forms().items():
        for form in forms:
            by_form.setdefault(form, set()).add(region)
    lengths: dict[str, set[int]] = {}
    for form in by_form:
        lengths.setdefault(form[:2], set()).add(len(form))
    return (
        {form: tuple(sorted(regions)) for form, regions in by_form.items()},
        {start: tuple(sorted(found)) for start, found in lengths.items()},
    )


def written_within(text: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """(where, form as written, the divisions it is written for) of every division's form in
    ``text``, of any length (通昌众宁波市建材: 3, 宁波市, (宁波,) and 3, 宁波, (宁波,)). A dict
    lookup per character, and one per form that begins there."""
    by_form, lengths = _divisions_by_form()
    found = []
    for at in range(len(text) - 1):
        for length in lengths.get(text[at : at + 2], ()):
            if at + length <= len(text) and (divisions := by_form.get(text[at : at + length])):
                found.append((at, text[at : at + length], divisions))
    return found
