"""The issuing body of a decision as a record's identity knows it (issue §3, DOMAIN.md §5).

A licence or penalty is one decision of one body: its identity is the body that issued it
(CF_CFJG / CF_CFJGDM, XK_XKJG / XK_XKJGDM), the document number and the subject, whichever
department sends it (CF_SJLY / CF_SJLYDM name the sender, who may be another unit). The body is
known by its unified social credit code when the row gives one in the code's shape: a code
names one body however its name is written (in full, abridged, before or after a renaming).
Without one (the older edition has no code column), by its name, with the differences that
typing makes and that name no other body taken out: NFKC folds full-width letters, digits and
brackets to their usual forms, and whitespace anywhere is dropped (杭州市 市场监督管理局 is
杭州市市场监督管理局). A code cell that is no code (无, -, a short number) is not taken for one:
every body that wrote 无 would otherwise be one body. No Django here.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from xinyong.core.identifiers import USCC_ALPHABET

KEY_LENGTH = 255  # the record's column
# The shape of a unified social credit code (GB 32100-2015), its check character unchecked:
# real registered codes that fail it exist (DOMAIN.md §4), and one is still the body's name.
_CODE_SHAPE = re.compile(f"[{USCC_ALPHABET}]{{18}}")
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """``text`` as an identity compares it: NFKC, no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def issuing_body_key(code: str, name: str) -> str:
    """The issuing body's identity: its code when ``code`` is one (upper case), else its name
    folded (``fold``). Answers '' when neither is given."""
    folded = fold(code or "").upper()
    if _CODE_SHAPE.fullmatch(folded):
        return folded
    return fold(name or "")[:KEY_LENGTH]


# Where a record's content keeps the body's code: a penalty's CF_CFJGDM, a licence's XK_XKJGDM
# (the national formats' names, ``catalog.importers.formats``).
CODE_CONTENT_KEYS = ("CF_CFJGDM", "XK_XKJGDM")


def issuing_body_key_of(content: Any, name: str) -> str:
    """The key of a record kept with ``content`` and issuing body ``name``: for a record made
    other than by an import, and for the records kept before the key was."""
    found = content if isinstance(content, dict) else {}
    code = next((str(found[key]) for key in CODE_CONTENT_KEYS if found.get(key)), "")
    return issuing_body_key(code, name)
