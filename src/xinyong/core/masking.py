"""Masking personal data on public surfaces (DOMAIN.md §4, R5; 001 §4).

Names keep the surname (张某), ID numbers the first 6 and last 4 characters and never the birth
date, mobile numbers the first 3 and last 4 digits, addresses stop at the district.
"""

from __future__ import annotations

import re
import unicodedata

from xinyong.core.regions import region_forms

# Two-character surnames, so that 欧阳娜娜 becomes 欧阳某 and not 欧某.
_COMPOUND_SURNAME_PAIRS = (
    "欧阳太史端木上官司马东方独孤南宫万俟闻人夏侯诸葛尉迟公羊赫连澹台"
    "皇甫宗政濮阳公冶太叔申屠公孙慕容仲孙钟离长孙宇文司徒鲜于司空闾丘"
    "子车亓官司寇巫马公西颛孙壤驷公良漆雕乐正宰父谷梁拓跋夹谷轩辕令狐"
    "段干百里呼延东郭南门羊舌微生公户公玉公仪梁丘公仲公上公门公山公坚"
    "左丘公伯西门公祖第五公乘贯丘公皙南荣东里东宫仲长子书子桑即墨达奚"
    "褚师"
)
COMPOUND_SURNAMES = frozenset(
    _COMPOUND_SURNAME_PAIRS[i : i + 2] for i in range(0, len(_COMPOUND_SURNAME_PAIRS), 2)
)
MASK = "*"


def split_name(name: str) -> tuple[str, str]:
    """张三 → (张, 三); 欧阳娜娜 → (欧阳, 娜娜); a name of one character is all given name."""
    name = name.strip()
    if len(name) < 2:
        return "", name
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return surname, name[len(surname) :]


def mask_name(name: str) -> str:
    """张三 → 张某; 欧阳娜娜 → 欧阳某; a name of one character or none is fully hidden."""
    surname, given = split_name(name)
    return f"{surname}某" if surname or given else ""


def mask_id_number(value: str) -> str:
    """110105194912310021 → 110105********0021: the birth date (positions 7–14) never shows.
    A first-generation ID of 15 digits has its birth date in positions 7–12 and only three
    digits after it: 110105491231002 → 110105******002."""
    value = value.strip()
    if len(value) <= 10:
        return MASK * len(value)
    kept = 3 if len(value) == 15 else 4
    return value[:6] + MASK * (len(value) - 6 - kept) + value[-kept:]


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678; other numbers keep only their last 4 digits."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", value))
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return MASK * len(digits)
    return MASK * (len(digits) - 4) + digits[-4:]


# Province (省, 自治区, or a municipality 市), then an optional prefecture (市, 自治州, 地区, 盟),
# then the county-level unit (区, 县, 市, 旗, 自治县, 自治旗, 林区, 特区). A division's name has
# no digits and none of the words of streets, estates and buildings (路, 街, 号, 小区, 社区 ...):
# without them "any nine characters before 区" would keep 杭州市文三路华星小区 of an address with
# no district. 路 starts three districts' names (路桥区, 路南区, 路北区), so it may start one
# there. A prefecture's name never holds 区 or 县, so a prefecture cannot swallow a district and
# the street after it (西湖区文三路超市 is not a city); a district's may hold 市 (市中区).
_STREET = r"\s\d０-９A-Za-z*＊街巷弄号楼幢栋室村组路，。；、：:,;（）()【】\[\]"
_PLACE = rf"(?:(?!小区|社区|超市)[^{_STREET}]|路(?=[桥南北]区))"
_CITY_PLACE = rf"(?:(?!小区|社区|超市)[^{_STREET}区县])"
_ADDRESS = re.compile(
    rf"^(?P<province>{_PLACE}{{2,9}}?(?:省|自治区|特别行政区|(?<=北京|天津|上海|重庆)市))?"
    rf"(?P<city>{_CITY_PLACE}{{1,9}}?(?:自治州|地区|盟|市))?"
    rf"(?P<district>{_PLACE}{{1,9}}?(?:自治县|自治旗|林区|特区|区|县|旗|市))?"
)
# A numeral in what reads as a division: an estate's part (一区, 三区), or a division the table has.
_NUMERAL = re.compile("[一二三四五六七八九十0-9０-９]")


def mask_address(address: str) -> str:
    """北京市朝阳区建国路88号 → 北京市朝阳区: only the administrative divisions remain.

    What reads as a division is kept only if GB/T 2260 has it (``regions.region_forms``, old
    names included) or it follows a province or city already kept (a district newer than the
    table): an estate's name ends in 区 or 市 as a division's does (翠苑一区, 万科城市花园一区,
    都市花园), and keeping it would publish where a person lives (DOMAIN §4). One with a numeral
    is never taken on trust (杭州市翠苑一区): the divisions named with one (二七区, 六合区) are in
    the table."""
    address = address.strip()
    match = _ADDRESS.match(address)
    if match is None:
        return ""
    forms = region_forms()
    kept, follows = [], False
    for part in match.groups():
        if not part:
            continue
        if part not in forms and (not follows or _NUMERAL.search(part)):
            break
        kept.append(part)
        follows = True
    return "".join(kept)


def mask_subject_name(name: str, *, is_natural_person: bool) -> str:
    """Organisations are published by their full name; persons by surname only."""
    return mask_name(name) if is_natural_person else name
