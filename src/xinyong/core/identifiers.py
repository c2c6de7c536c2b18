"""Identifier rules: the unified social credit code and the citizen ID number (DOMAIN.md §4).

* USCC, 统一社会信用代码 (GB 32100-2015): 18 characters; position 1 registering authority,
  2 organisation type, 3–8 administrative division (GB/T 2260), 9–17 organisation code
  (GB 11714, with its own check character), 18 the check character (mod 31).
* Citizen ID, 公民身份号码 (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit order
  code, check character (ISO 7064 MOD 11-2).

python-stdnum computes both check characters and ships the region table; we use it for those
and answer ourselves where it is wrong for us (DOMAIN.md §4): its USCC check refuses the
registering authorities A, N and Y, its citizen-ID check raises KeyError for some unknown region
codes and it accepts birth dates in the future. Every check function answers an
``IdentifierCheck`` and never raises, whatever string it is given.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from stdnum import numdb
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError

from xinyong.core import clock

Kind = Literal["uscc", "citizen_id", "unknown"]
Status = Literal["valid", "review", "invalid"]

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, Z, S, V
ORGANIZATION_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # GB 11714 body characters
ORGANIZATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714
NATIONAL_REGION = "100000"  # central bodies register with the national code, not a province
# Residence permits of Hong Kong, Macao and Taiwan residents carry 810000, 820000 and 830000 in
# the place of a region (国办发〔2018〕81号); stdnum's table knows 81 and 82 but not 83.
RESIDENCE_PERMIT_REGIONS = {
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
    "830000": "台湾地区",
}
EARLIEST_BIRTH_YEAR = 1900

# GB 32100-2015's code tables: registering authority (position 1) and its organisation types
# (position 2), with the N (农业) codes for rural collective economic organisations added later.
# fmt: off
AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {"1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构",
         "5": "仲裁委员会", "9": "其他"},
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
         "9": "其他"},
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商(市场监管)", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": (
        "农业",
        {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织",
         "9": "其他"},
    ),
    "Y": ("其他", {"1": "其他"}),
}
# fmt: on

# Stable codes (the API and the CLI show them) and their Chinese messages.
MESSAGES = {
    "empty": "未填写证件号码",
    "unknown-format": "无法识别的号码格式：应为18位统一社会信用代码或18位公民身份号码",
    "uscc-length": "统一社会信用代码应为18位，实际为{length}位",
    "uscc-charset": (
        "统一社会信用代码含有不允许的字符：{chars}（只用数字和大写字母，不用I、O、Z、S、V）"
    ),
    "uscc-authority": "登记管理部门代码“{authority}”无效，应为1–9、A、N、Y之一",
    "uscc-region": "第3–8位登记管理机关行政区划码应为6位数字",
    "uscc-check-character": "统一社会信用代码校验码（第18位）不符（GB 32100-2015），已接收待核查",
    "uscc-organization-code": "第9–17位组织机构代码的校验码不符（GB 11714），已接收待核查",
    "uscc-organization-type-unknown": "机构类别代码“{type_code}”不在“{authority}”的已知类别中",
    "uscc-region-unknown": "行政区划代码{region}不在区划代码表中",
    "uscc-ok": "统一社会信用代码有效",
    "ric-legacy-15": "15位旧版身份证号码不予受理，请提供18位公民身份号码（GB 11643-1999）",
    "ric-length": "公民身份号码应为18位，实际为{length}位",
    "ric-format": "公民身份号码前17位应为数字，第18位应为数字或X",
    "ric-check-character": "公民身份号码校验码（第18位）不符（GB 11643-1999）",
    "ric-region": "前两位“{province}”不是有效的省级行政区划代码",
    "ric-birth-date": "出生日期“{digits}”不是1900年以后的有效日期",
    "ric-future-birth-date": "出生日期{born}晚于业务日期{today}",
    "ric-region-unknown": "行政区划代码{region}不在区划代码表中",
    "ric-ok": "公民身份号码有效",
}
# A code whose only fault is a check character: a USCC kept for review (real registered codes
# fail the check), a citizen ID refused. When no subject has such a code, the caller is told
# that it may be mistyped rather than answered "unknown" alone (DOMAIN.md §4).
CHECK_CHARACTER_MISMATCH = "check-character-mismatch"
CHECK_CHARACTER_WARNING = (
    "该代码的校验码不符，平台中也没有该代码的主体：代码可能填写有误，请核实后重新核查"
)
CHECK_CHARACTER_CODES = frozenset(
    {"uscc-check-character", "uscc-organization-code", "ric-check-character"}
)

_WHITESPACE = re.compile(r"\s+")
_RIC_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


@dataclass(frozen=True)
class IdentifierWarning:
    """Something worth telling an officer that does not make the identifier wrong."""

    code: str
    message: str


@dataclass(frozen=True)
class IdentifierCheck:
    """The answer for one identifier: never an exception, always a stable code and a message.

    ``status`` is ``valid``, ``invalid``, or ``review``: a USCC whose structure is right but
    whose check characters fail. Such codes exist on real licences, so they are accepted and
    flagged for review, never dropped silently (DOMAIN.md §4).
    """

    value: str
    kind: Kind
    status: Status
    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict, hash=False)
    warnings: tuple[IdentifierWarning, ...] = ()

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"

    @property
    def needs_review(self) -> bool:
        return self.status == "review"

    @property
    def fails_check_character(self) -> bool:
        """Read whole, but a check character does not match: most often a mistyped code."""
        return self.code in CHECK_CHARACTER_CODES

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "kind": self.kind,
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "details": dict(self.details),
            "warnings": [{"code": w.code, "message": w.message} for w in self.warnings],
        }


def normalize_identifier(value: object) -> str:
    """Full-width to half-width (NFKC), all whitespace removed, upper case."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text)).upper()


def uscc_check_character(first17: str) -> str:
    """Position 18 of a USCC (GB 32100-2015): weights 3^i mod 31, (31 − Σ mod 31) mod 31."""
    if len(first17) != 17 or any(c not in USCC_ALPHABET for c in first17):
        raise ValueError(f"need 17 characters from {USCC_ALPHABET}: {first17!r}")
    return stdnum_uscc.calc_check_digit(first17)


def organization_code_check_character(first8: str) -> str:
    """The 9th character of an organisation code (GB 11714): 11 − Σ mod 11; 10 → X, 11 → 0."""
    if len(first8) != 8 or any(c not in ORGANIZATION_CODE_ALPHABET for c in first8):
        raise ValueError(f"need 8 digits or upper-case letters: {first8!r}")
    total = sum(
        ORGANIZATION_CODE_ALPHABET.index(c) * w
        for c, w in zip(first8, ORGANIZATION_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def citizen_id_check_character(first17: str) -> str:
    """Position 18 of a citizen ID (GB 11643-1999): ISO 7064 MOD 11-2, ``10X98765432``."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"need 17 digits: {first17!r}")
    return stdnum_ric.calc_check_digit(first17 + "0")  # stdnum ignores the last character


@functools.lru_cache(maxsize=8192)
def region_names(code: str, year: int | None = None) -> tuple[str | None, str | None]:
    """(province, county) for a 6-digit GB/T 2260 code from stdnum's table; None when unknown.

    A county whose code was reused over time is named as it was in ``year`` when given.
    """
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None, None
    parts = numdb.get("cn/loc").info(code)
    province = parts[0][1].get("province") if parts else None
    county_field = parts[1][1].get("county") if province and len(parts) > 1 else None
    if not county_field:
        return province, None
    names = []
    for entry in county_field.split(","):
        span, _, name = entry[1:].partition("]") if entry.startswith("[") else ("-", "", entry)
        start, _, end = span.partition("-")
        in_force = year is None or (
            (not start or year >= int(start)) and (not end or year <= int(end))
        )
        names.append((in_force, name))
    return province, next((n for ok, n in names if ok), names[-1][1])


def check_identifier(value: object, *, today: dt.date | None = None) -> IdentifierCheck:
    """Decide the kind by shape, then check it.

    18 characters that are all digits (the last may be X) can be either kind: the valid reading
    wins; failing both, a value with a birth date in positions 7–14 is read as a citizen ID,
    unless no person can hold it: then it is an organisation's code kept for review.

    Which values no person holds: those whose USCC reading fails only a check character (its
    authority, type and region read right) and whose first two digits are a registering
    authority and an organisation type of GB 32100-2015 but no province that issues IDs (nor
    a residence permit's 81–83). Authorities 1–6 share their digits with provinces (11 is both
    机构编制·机关 and 北京), so the first two digits alone settle only the codes of 9 (市场监管:
    91, 92, 93, 99) and the like; a code of a county ending in 18–20 (延庆区 110119) puts a
    date in positions 7–14 of every such code, and a company registered with a failing check
    character must be kept for review, never refused (DOMAIN §4). Where a person could hold the
    value (11…), the citizen-ID reading stays, refused and masked (R14): a person's ID read as
    a code would be shown in clear.
    """
    text = normalize_identifier(value)
    if not text:
        return _refuse(text, "unknown", "empty")
    if len(text) == 15 and text.isascii() and text.isdigit():
        return check_citizen_id(text, today=today)
    if len(text) != 18:
        return _refuse(text, "unknown", "unknown-format")
    if not _RIC_SHAPE.fullmatch(text):
        return check_uscc(text)
    as_ric, as_uscc = check_citizen_id(text, today=today), check_uscc(text)
    if as_ric.is_valid:
        return as_ric
    if as_uscc.is_valid:
        return as_uscc
    if as_uscc.needs_review and _no_person_holds(text):
        return as_uscc
    if _birth_date(text) is not None or as_uscc.status == "invalid":
        return as_ric
    return as_uscc


def check_uscc(value: object) -> IdentifierCheck:
    """A unified social credit code, GB 32100-2015 (DOMAIN.md §4).

    Refused: wrong length, characters outside the alphabet, an unknown registering authority,
    a region that is not 6 digits. Accepted for review: a failing check character (position 18)
    or organisation-code check (GB 11714, positions 9–17). An unknown organisation type or
    region is a warning.
    """
    text = normalize_identifier(value)
    if not text:
        return _refuse(text, "uscc", "empty")
    if len(text) != 18:
        return _refuse(text, "uscc", "uscc-length", length=len(text))
    bad = sorted({c for c in text if c not in USCC_ALPHABET})
    if bad:
        return _refuse(
            text, "uscc", "uscc-charset", chars="、".join(repr(c)[1:-1] for c in bad[:5])
        )
    authority, type_code, region, org_code = text[0], text[1], text[2:8], text[8:17]
    if authority not in AUTHORITIES:
        return _refuse(text, "uscc", "uscc-authority", authority=authority)
    if not region.isdigit():
        return _refuse(text, "uscc", "uscc-region")
    authority_name, types = AUTHORITIES[authority]
    province, county = region_names(region)
    details: dict[str, Any] = {
        "authority_code": authority,
        "authority": authority_name,
        "organization_type_code": type_code,
        "organization_type": types.get(type_code),
        "region_code": region,
        "region": "国家级（中央）" if region == NATIONAL_REGION else (county or province),
        "organization_code": org_code,
    }
    warnings = []
    if type_code not in types:
        warnings.append(
            _warning(
                "uscc-organization-type-unknown", type_code=type_code, authority=authority_name
            )
        )
    if region != NATIONAL_REGION and county is None:
        warnings.append(_warning("uscc-region-unknown", region=region))
    org_expected = organization_code_check_character(org_code[:8])
    expected = uscc_check_character(text[:17])
    code, status = "uscc-ok", "valid"
    if text[17] != expected:
        details["expected_check_character"] = expected
        code, status = "uscc-check-character", "review"
    if org_code[8] != org_expected:
        details["expected_organization_check_character"] = org_expected
        if status == "review":
            warnings.append(_warning("uscc-organization-code"))
        else:
            code, status = "uscc-organization-code", "review"
    return IdentifierCheck(text, "uscc", status, code, MESSAGES[code], details, tuple(warnings))


def check_citizen_id(value: object, *, today: dt.date | None = None) -> IdentifierCheck:
    """A citizen ID number, GB 11643-1999 (DOMAIN.md §4).

    Refused: the 15-digit old format, wrong length or characters, a wrong check character, a
    first two digits that are no province, a birth date that is not a real date, before 1900 or
    after the business date (``clock.today()`` unless ``today`` is given). A 6-digit region that
    stdnum's table does not know, in a real province, is a warning.
    """
    text = normalize_identifier(value)
    if not text:
        return _refuse(text, "citizen_id", "empty")
    if len(text) == 15 and text.isascii() and text.isdigit():
        return _refuse(text, "citizen_id", "ric-legacy-15")
    if len(text) != 18:
        return _refuse(text, "citizen_id", "ric-length", length=len(text))
    if not _RIC_SHAPE.fullmatch(text):
        return _refuse(text, "citizen_id", "ric-format")
    if text[17] != citizen_id_check_character(text[:17]):
        return _refuse(text, "citizen_id", "ric-check-character")
    region = text[:6]
    province = RESIDENCE_PERMIT_REGIONS.get(region) or region_names(region[:2] + "0000")[0]
    if province is None:
        return _refuse(text, "citizen_id", "ric-region", province=region[:2])
    born = _birth_date(text)
    if born is None:
        return _refuse(text, "citizen_id", "ric-birth-date", digits=text[6:14])
    business_date = today if today is not None else clock.today()
    if born > business_date:
        return _refuse(text, "citizen_id", "ric-future-birth-date", born=born, today=business_date)
    _, county = region_names(region, born.year)
    details = {
        "region_code": region,
        "province": province,
        "region": county,
        "birth_date": born.isoformat(),
        "sex": "男" if int(text[16]) % 2 else "女",
    }
    known = county or region in RESIDENCE_PERMIT_REGIONS
    warnings = () if known else (_warning("ric-region-unknown", region=region),)
    return IdentifierCheck(
        text, "citizen_id", "valid", "ric-ok", MESSAGES["ric-ok"], details, warnings
    )


def _no_person_holds(text: str) -> bool:
    """Whether the first two characters are an authority and organisation type a USCC has and
    no province of a citizen ID or a residence permit (see ``check_identifier``)."""
    authority = AUTHORITIES.get(text[0])
    if authority is None or text[1] not in authority[1]:
        return False
    province = text[:2] + "0000"
    return province not in RESIDENCE_PERMIT_REGIONS and region_names(province)[0] is None


def _birth_date(text: str) -> dt.date | None:
    """Positions 7–14 as a real date not before 1900 (GB 11643-1999), else None."""
    try:
        born = stdnum_ric.get_birth_date(text)
    except (ValidationError, ValueError):
        return None
    return born if born.year >= EARLIEST_BIRTH_YEAR else None


def _refuse(value: str, kind: Kind, code: str, **params: object) -> IdentifierCheck:
    return IdentifierCheck(value, kind, "invalid", code, MESSAGES[code].format(**params))


def _warning(code: str, **params: object) -> IdentifierWarning:
    return IdentifierWarning(code, MESSAGES[code].format(**params))
