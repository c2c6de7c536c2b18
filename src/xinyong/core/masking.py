"""Masking personal data on public surfaces (DOMAIN.md §4, R5; 001 §4).

Names keep the surname (张某), ID numbers the first 6 and last 4 characters and never the birth
date, mobile numbers the first 3 and last 4 digits, addresses stop at the district.
"""

from __future__ import annotations

import re
import unicodedata

# Two-character surnames, so that 欧阳娜娜 becomes 欧阳某 and not 欧某.
COMPOUND_SURNAMES = frozenset(
    "欧阳 太史 端木 上官 司马 东方 独孤 南宫 万俟 闻人 夏侯 诸葛 尉迟 公羊 赫连 澹台 皇甫 宗政 濮阳 "
    "公冶 太叔 申屠 公孙 慕容 仲孙 钟离 长孙 宇文 司徒 鲜于 司空 闾丘 子车 亓官 司寇 巫马 公西 "
    "颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 拓跋 夹谷 轩辕 令狐 段干 百里 呼延 东郭 南门 羊舌 微生 "
    "公户 公玉 公仪 梁丘 公仲 公上 公门 公山 公坚 左丘 公伯 西门 公祖 第五 公乘 贯丘 公皙 南荣 "
    "东里 东宫 仲长 子书 子桑 即墨 达奚 褚师 吴铭".split()
)
MASK = "*"


def mask_name(name: str) -> str:
    """张三 → 张某; 欧阳娜娜 → 欧阳某; a name of one character or none is fully hidden."""
    name = name.strip()
    if len(name) < 2:
        return "某" if name else ""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return f"{surname}某"


def mask_id_number(value: str) -> str:
    """110105194912310021 → 110105********0021: the birth date (positions 7–14) never shows."""
    value = value.strip()
    if len(value) <= 10:
        return MASK * len(value)
    return value[:6] + MASK * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678; other numbers keep only their last 4 digits."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", value))
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return MASK * len(digits)
    return MASK * (len(digits) - 4) + digits[-4:]


# Province (省, 自治区, or a municipality 市), then an optional prefecture (市, 自治州, 地区, 盟),
# then the county-level unit (区, 县, 市, 旗, 自治县, 自治旗, 林区, 特区).
_ADDRESS = re.compile(
    r"^(?P<province>.{2,9}?(?:省|自治区|特别行政区|(?<=北京|天津|上海|重庆)市))?"
    r"(?P<city>.{1,9}?(?:自治州|地区|盟|市))?"
    r"(?P<district>.{1,9}?(?:自治县|自治旗|林区|特区|区|县|旗|市))?"
)


def mask_address(address: str) -> str:
    """北京市朝阳区建国路88号 → 北京市朝阳区: only the administrative divisions remain."""
    address = address.strip()
    match = _ADDRESS.match(address)
    kept = "".join(part for part in match.groups() if part) if match else ""
    return kept if kept else ""


def mask_subject_name(name: str, *, is_natural_person: bool) -> str:
    """Organisations are published by their full name; persons by surname only."""
    return mask_name(name) if is_natural_person else name
