"""Administrative divisions as organisation names write them (issue: name checks; no Django).

The divisions come from the GB/T 2260 code table that python-stdnum ships (``cn/loc``), with
the names divisions had before they were renamed or merged: a company keeps the region it was
registered under (北京市崇文区 was merged into 东城区 in 2010), so old names carry old divisions.

A trade name may not be the name of a division at county level or above (企业名称登记管理规定), but
many brands share a district's name without its suffix: 福田汽车 (福田区), 南山铝业 (南山区),
新华书店 (新华区), 平安银行 (平安区). So which written forms count as a region depends on the level:

- provinces and prefecture-level divisions: the full form and the short form (杭州市 and 杭州,
  唐山地区 and 唐山, 兴安盟 and 兴安); autonomous prefectures only in full (延边朝鲜族自治州);
- county-level cities: the full form and the short form (昆山市 and 昆山);
- districts, counties and banners: only the full form, suffix included (西湖区, 浦东新区, 嵊县).

Every form counts in front of a name and in brackets; ``LEADING_EXCLUDED`` lists the few short
forms that are not taken in front because well-known trade names begin with them.
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
