"""A cheap answer to "would ``check_identifier`` refuse this?" for large batches (DOMAIN.md §4).

``check_identifier`` explains every refusal and names the region of every code, which costs
some 30–60 µs a code (the region table is searched linearly). A batch of a million codes only
needs to know, for the codes it does not recognise, which ones are certainly well formed; only
the others need the full check and its reason. ``surely_well_formed`` answers True only where
``check_identifier`` would not refuse, and False where in doubt (a test compares the two).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from xinyong.core.identifiers import (
    AUTHORITIES,
    RESIDENCE_PERMIT_REGIONS,
    USCC_ALPHABET,
    citizen_id_check_character,
    organization_code_check_character,
    region_names,
    uscc_check_character,
)


@lru_cache(maxsize=128)
def _province(prefix: str) -> str | None:
    return region_names(prefix + "0000")[0]


def surely_well_formed(key: str, today: dt.date) -> bool:
    """True only when ``check_identifier`` would certainly not refuse ``key`` (normalised
    already, see ``normalize_identifier``); False means: ask it.
    """
    if len(key) != 18 or not key.isascii():
        return False
    if key[:17].isdigit() and (key[17].isdigit() or key[17] == "X"):
        # Both readings are possible; check_identifier keeps a valid one of either.
        return _valid_citizen_id(key, today) or (
            key[0] in AUTHORITIES
            and key[17] == uscc_check_character(key[:17])
            and key[16] == organization_code_check_character(key[8:16])
        )
    return key[0] in AUTHORITIES and key[2:8].isdigit() and all(c in USCC_ALPHABET for c in key)


def fails_a_check_character(key: str) -> bool:
    """For a key ``surely_well_formed`` accepts: True when it is read as a USCC whose check
    character, or its organisation code's, does not match (kept for review, DOMAIN.md §4)."""
    if key[:17].isdigit() and (key[17].isdigit() or key[17] == "X"):
        return False  # accepted as valid in one of its two readings
    return key[17] != uscc_check_character(key[:17]) or key[16] != (
        organization_code_check_character(key[8:16])
    )


def _valid_citizen_id(key: str, today: dt.date) -> bool:
    try:
        born = dt.date(int(key[6:10]), int(key[10:12]), int(key[12:14]))
    except ValueError:
        return False
    return (
        key[17] == citizen_id_check_character(key[:17])
        and born.year >= 1900
        and born <= today
        and (key[:6] in RESIDENCE_PERMIT_REGIONS or _province(key[:2]) is not None)
    )
