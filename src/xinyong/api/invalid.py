"""A request the API's schemas refuse answers like any other refusal: a stable code and a Chinese
message, with each problem's field (README: ``{"code", "message"}``), never pydantic's English.

The common kinds of problem have a Chinese sentence; any other keeps pydantic's type as its
code, so a caller's program can still tell them apart.
"""

from __future__ import annotations

import ast
import re
from typing import Any

CODE = "invalid-request"
# pydantic's error type → what is wrong, in Chinese ({...} from the error's context)
SENTENCES = {
    "missing": "必须提供",
    "greater_than_equal": "须大于或等于 {ge}",
    "greater_than": "须大于 {gt}",
    "less_than_equal": "须小于或等于 {le}",
    "less_than": "须小于 {lt}",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "float_parsing": "须为数字",
    "bool_parsing": "须为 true 或 false",
    "bool_type": "须为 true 或 false",
    "string_type": "须为字符串",
    "list_type": "须为列表",
    "dict_type": "须为对象",
    "model_attributes_type": "须为对象",
    "uuid_parsing": "须为 UUID",
    "date_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）",
    "datetime_parsing": "须为时间（ISO 8601）",
    "json_invalid": "不是有效的 JSON",
    "extra_forbidden": "不是可接受的字段（未知字段不予接收）",
    "literal_error": "须为以下之一：{expected}",
    "enum": "须为以下之一：{expected}",
    "blank": "不能为空，也不能只含空白字符",
    "nul_character": "含空字符（NUL），无法保存",
    "lone_surrogate": "含无效的 Unicode 字符（单独的代理项），无法保存",
    # The same character, met by a length limit before our own check of the text.
    "string_unicode": "含无效的 Unicode 字符，无法保存",
}
# Where pydantic says a value was: not part of the field's name.
_PLACES = {"body", "query", "path", "header", "cookie", "form", "payload", "file"}


# The choices a ``literal_error`` or ``enum`` error names: pydantic gives them only as one
# English text in its ``ctx`` (``expected``: "'a', 'b' or 'c'", each value's repr), nothing
# else. One value: a quoted text (with its escapes, maybe b-prefixed) or a bare word (3, None).
_CHOICE = re.compile(r"""[bB]?'(?:[^'\\]|\\.)*'|[bB]?"(?:[^"\\]|\\.)*"|[\w.+-]+""")
_CHOICE_AFTER = (", ", " or ")
_CHOICE_KINDS = {"literal_error", "enum"}


def choices(expected: str) -> str:
    """pydantic's list of choices in Chinese style, each value as it is sent, joined with
    "、" ("'a', 'b' or 'c'" → "a、b、c"); a list it cannot read, as pydantic gave it."""
    values: list[str] = []
    at = 0
    while at < len(expected):
        if values:
            after = next((s for s in _CHOICE_AFTER if expected.startswith(s, at)), None)
            if after is None:
                return expected
            at += len(after)
        found = _CHOICE.match(expected, at)
        if found is None:
            return expected
        at = found.end()
        try:
            values.append(_shown(found.group()))
        except (ValueError, SyntaxError):  # an escape Python would not read back
            return expected
    return "、".join(values) or expected


def _shown(value: str) -> str:
    """A value as a caller sends it: a text without its quotes and escapes."""
    if value[-1:] not in {"'", '"'}:
        return value
    read = ast.literal_eval(value)
    text = read.decode("utf-8", "replace") if isinstance(read, bytes) else read
    return text or '""'


def problem(error: dict[str, Any]) -> dict[str, Any]:
    """One problem: the field (dotted), pydantic's type, and what is wrong in Chinese."""
    field = ".".join(str(part) for part in error.get("loc", ()) if part not in _PLACES)
    kind = str(error.get("type", ""))
    sentence = SENTENCES.get(kind)
    context = dict(error.get("ctx") or {})
    if kind in _CHOICE_KINDS and isinstance(context.get("expected"), str):
        context["expected"] = choices(context["expected"])
    try:
        text = sentence.format(**context) if sentence else "取值不符合要求"
    except (KeyError, IndexError):
        text = "取值不符合要求"
    return {"field": field, "type": kind, "message": text}


def as_refusal(errors: list[dict[str, Any]]) -> dict[str, Any]:
    problems = [problem(error) for error in errors]
    listed = "；".join(f"{p['field'] or '请求体'}{p['message']}" for p in problems)
    return {"code": CODE, "message": f"请求不符合要求：{listed}", "errors": problems}


# The framework's own refusals (an unreadable body, no credentials, a method not allowed), by
# status: the same shape as the platform's.
HTTP_REFUSALS = {
    400: ("bad-request", "请求无法解析（如 JSON 格式有误）"),
    401: ("authentication-required", "请先登录，或提供有效的访问令牌"),
    403: ("access-denied", "无权执行此操作"),
    404: ("not-found", "请求的资源不存在"),
    405: ("method-not-allowed", "不支持该请求方法"),
    429: ("rate-limited", "调用过于频繁，请稍后再试"),
}


def http_refusal(status: int) -> dict[str, str]:
    code, message = HTTP_REFUSALS.get(status, (f"http-{status}", "请求未能完成"))
    return {"code": code, "message": message}


# A form body Django will not parse (an upload's multipart without its boundary, more fields
# or files than Django takes, a field too large): Django itself would answer with its HTML 400
# page, which an API client cannot read.
MULTIPART_UNREADABLE = (
    "multipart-invalid",
    "上传内容无法解析：multipart/form-data 格式有误（如缺少 boundary）",
)
TOO_MANY_PARTS = ("too-many-fields", "表单字段或文件过多，请只提交所需的字段和一个文件")


def body_too_large(limit: int) -> dict[str, object]:
    """The form fields of a request, files aside, past Django's limit for them."""
    return {
        "code": "upload-too-large",
        "message": f"表单字段内容过大：上限为 {limit} 字节（文件除外）",
        "limit": limit,
    }
