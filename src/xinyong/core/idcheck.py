"""Identifier checks at import and check speed, answering exactly as ``xinyong.core.identifiers``.

The core checks explain every answer (region names, warnings) and take 30–50 µs; an import of a
million rows cannot spend that on each, nor a check API answering thousands of calls a second.
Here a code is first tried against the conditions that make it valid — the same ones the core
applies, on the characters as given — in about a microsecond; anything else, and every code that
is not plainly valid, goes to the core check, whose code and message are the answer. The tests
hold the two to the same status on random codes, so the shortcut can only be faster, never
different.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from operator import mul

from xinyong.core import identifiers as core

_USCC_SHAPE = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}")
_RIC_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_USCC_VALUES = {c: i for i, c in enumerate(core.USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_VALUES = {c: i for i, c in enumerate(core.ORGANIZATION_CODE_ALPHABET)}
_ORG_WEIGHTS = core.ORGANIZATION_CODE_WEIGHTS
# GB 11714: the check character is 11 − Σ mod 11, written X for 10 and 0 for 11.
_ORG_CHECK = tuple({10: "X", 11: "0"}.get(11 - r, str(11 - r)) for r in range(11))
_RIC_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_RIC_CHECK = "10X98765432"


@functools.cache
def _provinces() -> frozenset[str]:
    """The first two digits that name a province, as the core's region table knows them."""
    return frozenset(
        f"{n:02d}" for n in range(10, 100) if core.region_names(f"{n:02d}0000")[0] is not None
    )


def warm_up() -> None:
    """Read the region table now rather than at the first code that needs it: before a process
    forks, so that its halves do not each read it (some 0.05 s)."""
    _provinces()


def _uscc_plainly_valid(code: str) -> bool:
    if len(code) != 18 or not _USCC_SHAPE.fullmatch(code) or code[0] not in core.AUTHORITIES:
        return False
    values = _USCC_VALUES
    total = sum(map(mul, map(values.__getitem__, code[:17]), _USCC_WEIGHTS))
    if core.USCC_ALPHABET[(31 - total % 31) % 31] != code[17]:
        return False
    # Positions 9–17 are an organisation code (GB 11714) with its own check character; every
    # USCC character is a GB 11714 character, so the lookup cannot fail.
    org_total = sum(map(mul, map(_ORG_VALUES.__getitem__, code[8:16]), _ORG_WEIGHTS))
    return _ORG_CHECK[org_total % 11] == code[16]


def _citizen_id_plainly_valid(code: str, today: dt.date) -> bool:
    if len(code) != 18 or not _RIC_SHAPE.fullmatch(code):
        return False
    total = sum(map(mul, map(int, code[:17]), _RIC_WEIGHTS))
    if _RIC_CHECK[total % 11] != code[17]:
        return False
    if code[:2] not in _provinces() and code[:6] not in core.RESIDENCE_PERMIT_REGIONS:
        return False
    try:
        born = dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return False
    return born.year >= core.EARLIEST_BIRTH_YEAR and born <= today


def plainly_valid_kind(code: str, today: dt.date) -> str | None:
    """``"citizen_id"`` or ``"uscc"`` when ``code``, as given, is valid as ``check_identifier``
    reads it (a code valid both ways is a citizen ID there too); None: ask the core."""
    if _citizen_id_plainly_valid(code, today):
        return "citizen_id"
    if _uscc_plainly_valid(code):
        return "uscc"
    return None


class IdentifierChecker:
    """Checks codes for one import; remembers answers, as a file names a subject many times."""

    MEMORY = 200_000

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self._uscc: dict[str, core.IdentifierCheck | None] = {}
        self._ric: dict[str, core.IdentifierCheck | None] = {}

    def uscc(self, value: str) -> core.IdentifierCheck | None:
        """None when plainly valid (``value`` is the code); else the core's full answer."""
        known = self._uscc
        if value in known:
            return known[value]
        answer = None if _uscc_plainly_valid(value) else core.check_uscc(value)
        if len(known) >= self.MEMORY:
            known.clear()
        known[value] = answer
        return answer

    def citizen_id(self, value: str) -> core.IdentifierCheck | None:
        """None when plainly valid (``value`` is the number); else the core's full answer."""
        known = self._ric
        if value in known:
            return known[value]
        plain = _citizen_id_plainly_valid(value, self.today)
        answer = None if plain else core.check_citizen_id(value, today=self.today)
        if len(known) >= self.MEMORY:
            known.clear()
        known[value] = answer
        return answer
