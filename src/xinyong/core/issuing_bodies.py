"""Whether two rows name the same issuing body (决定机关, CF_CFJG / XK_XKJG), the decision maker
of a licence or penalty (R9, DOMAIN.md §5). No Django here.

One decision may reach the platform from two departments: the body that made it, and another
unit that sends its data on (a provincial system, a department collecting for several). The
sending department is not the decision maker, so the two rows are told to be one decision by
who made it: the body's unified social credit code (CF_CFJGDM / XK_XKJGDM) when both rows give
one, since a code names one body however its name is written; otherwise its name as the name
checks fold it (``core.names.normalize_name``: full-width and traditional characters, spaces
and punctuation, the region with or without its 省/市), so that 杭州市 市场监督管理局 and
杭州市市場監督管理局 are one body, while a district's bureau and the city's stay two. A code
cell holding no valid code (无, -, a short number, 000000000000000000, a check character
wrong) is not taken for one, nor is a placeholder name (无, 不详, 暂无, N/A…) a name: every
body that wrote 无 would otherwise be the same body. Where neither side has a code or a name
left that identifies its body, the bodies are not known to be one, and the decision is stored
again rather than lost (ADR 6).
"""

from __future__ import annotations

import functools

from xinyong.core.identifiers import (
    USCC_ALPHABET,
    normalize_identifier,
    organization_code_check_character,
    uscc_check_character,
)
from xinyong.core.names import normalize_name

USCC_LENGTH = 18
# The organisation code inside a USCC (positions 9–16) and its check character (position 17).
_ORGANIZATION_CODE, _ORGANIZATION_CHECK = slice(8, 16), 16
# What a sending system writes where it knows no issuing body: folded as a name is, each is
# no name (``folded_body_name``). Marks alone (/, -, —) fold to nothing already.
PLACEHOLDER_NAMES = frozenset({
    "无", "暂无", "没有", "空", "不详", "未知", "不明", "待定", "待补充", "未填写", "未提供",
    "无此项", "缺失", "其他", "其它", "同上", "略", "NA", "N/A", "NULL", "NONE", "NIL",
})  # fmt: skip


def body_code(text: str | None) -> str:
    """The body's code as compared: normalised (``identifiers.normalize_identifier``), and only
    when it is a valid unified social credit code: 18 characters of its alphabet, its check
    character right and the organisation code's inside it too (positions 9–17, GB 11714; a
    code can pass the one and fail the other), and not one character over and over
    (000000000000000000 passes both checks). Else '': a code failing a check may be a real one
    kept for review (DOMAIN.md §4), but it may as well be a mistyped or made-up one, and cannot
    tell two bodies to be one."""
    code = normalize_identifier(text)
    if (
        len(code) == USCC_LENGTH
        and all(c in USCC_ALPHABET for c in code)
        and len(set(code)) > 1
        and uscc_check_character(code[:-1]) == code[-1]
        and organization_code_check_character(code[_ORGANIZATION_CODE]) == code[_ORGANIZATION_CHECK]
    ):
        return code
    return ""


@functools.lru_cache(maxsize=1024)
def folded_body_name(name: str) -> str:
    """The body's name folded as the name checks fold an organisation's (``normalize_name``);
    '' for a name with nothing in it, or a placeholder (``PLACEHOLDER_NAMES``). A few bodies
    recur across an import: each is folded once."""
    key = normalize_name(name).key
    return "" if key in _PLACEHOLDER_KEYS else key


def same_issuing_body(name: str, code: str | None, other_name: str, other_code: str | None) -> bool:
    """Whether two rows' issuing bodies are the same decision maker: by code where both give one
    (``body_code``), else by the folded name (``folded_body_name``). Two empty names are not
    the same body: nothing is known of either."""
    first, second = body_code(code), body_code(other_code)
    if first and second:
        return first == second
    folded = folded_body_name(name)
    return bool(folded) and folded == folded_body_name(other_name)


_PLACEHOLDER_KEYS = frozenset(normalize_name(name).key for name in PLACEHOLDER_NAMES)
