"""A decision's document number (文书号) in one written form, so that the same decision written
another way is the same decision (R9, R4, issue 5 §3). No Django here.

A record's identity is its department, its document number and its subject. Departments'
exports write one number in several ways: the year in 〔〕 as GB/T 9704 sets for official
documents, or in [] 【】 () （） ［］ ﹝﹞ 〖〗, its digits full-width, spaces typed around the
brackets. Compared as sent, 杭市监罚〔2026〕1号 and 杭市监罚[2026]1号 would be two decisions:
stored twice, public twice, and a listing decision stopped on exit would come back through the
copy written otherwise. The canonical form is what a record stores, a list entry keeps as its
decision's key (beside the number as written, which it publishes), and what every comparison
reads; only the written form differs, so two different numbers (1号 and 11号, another year,
another office's prefix) stay different.
"""

from __future__ import annotations

import re
import unicodedata

# Characters no one sees that an export or a copy-paste may leave inside a number.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_TABLE = dict.fromkeys(map(ord, _INVISIBLE))
# A year of four digits in brackets of any kind, as NFKC leaves them: full-width （） ［］ are
# () [] by then, and small or vertical 〔〕 (﹝﹞ ︹︺) are 〔〕. The two brackets need not be of
# one kind: an opening 〔 typed with a closing ] is still the year's bracket.
_OPENING, _YEAR, _CLOSING = r"[\[(〔【〖{]", r"(?:19|20)\d\d", r"[\])〕】〗}]"
_YEAR_IN_BRACKETS = re.compile(f"{_OPENING}({_YEAR}){_CLOSING}")
# Characters that may need the work: whitespace, an invisible character, a bracket of a kind
# a year's may be written in but 〔〕. An import reads a million numbers, nearly all of them
# holding none: one search of a character class tells, where the substitutions cost more.
_MAYBE_NOT_CANONICAL = re.compile(rf"[\s{_INVISIBLE}\[(【〖{{\])】〗}}]")


def canonical_document_number(text: str) -> str:
    """``text`` in its canonical form: NFKC (full-width digits, letters and brackets to their
    plain forms), no whitespace or invisible characters anywhere, and the year's brackets,
    whatever their kind, written 〔〕 (GB/T 9704). Idempotent; '' stays ''."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _MAYBE_NOT_CANONICAL.search(text) is None:
        return text
    text = "".join(text.translate(_INVISIBLE_TABLE).split())
    return _YEAR_IN_BRACKETS.sub(lambda year: f"〔{year[1]}〕", text)
