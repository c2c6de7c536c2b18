"""Personal data in the free text officers write, masked for readers beyond them (R5, R14;
001 §4; DOMAIN.md §4).

The facts of a listing, a typical case's words, the reasons of a report: an officer types
them, and they may name persons and give their numbers. ``mask_free_text`` masks what can be
found without knowing who is meant — citizen IDs (both generations, also written in groups or
in full-width digits) and mainland mobile numbers — and the names of the natural persons the
caller knows the text may name (the subject, an organisation's legal representative and the
like). Other names an officer types cannot be told from the rest of the text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from xinyong.core.masking import mask_id_number, mask_name, mask_phone, split_name
from xinyong.core.protection import mask_citizen_ids
from xinyong.core.regions import region_forms

# A mainland mobile number standing alone, as people write it: 11 digits in one run, or after
# +86, or in groups of 3-4-4 parted by a space or a hyphen, unless the middle group reads as a
# year (135-2026-0001 is a contract number, not a phone).
MOBILE = re.compile(
    r"(?<![\d+])(?:(?:\+?86[\s-]?)?1[3-9]\d{9}"
    r"|(?:\+?86[\s-]?)?1[3-9]\d[\s-](?!(?:19|20)\d\d)\d{4}[\s-]\d{4})(?!\d)"
)
# A citizen ID written in its groups (region, birth date, sequence and check), parted by spaces
# or hyphens, which the plain pattern does not see.
GROUPED_CITIZEN_ID = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}[\s-]+(?:18|19|20)\d{6}[\s-]+\d{3}[\dXx](?![0-9A-Za-z])"
)
# Full-width digits and signs, read as the ASCII ones they stand for before anything is matched.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９＋－Ｘｘ", "0123456789+-Xx")
# What may stand between the characters of a written name: spaces and the middle dots of
# transcribed names.
_NAME_GAP = r"[\s·・•]*"
_GAPS = re.compile(_NAME_GAP)
# A Chinese name, surname and given name in Han characters, perhaps spaced (not a transcribed
# one, whose parts a middle dot separates).
_CHINESE_NAME = re.compile(r"[\u4e00-\u9fff][\s\u4e00-\u9fff]*")
# Words in which a given name may be found and that a text keeps as written: the country's
# name, as laws are cited (《中华人民共和国食品安全法》 in a text naming 李中华).
KEPT_PHRASES = ("中华人民共和国",)


def _mobile(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group())
    return mask_phone(digits[-11:])


def _grouped(match: re.Match) -> str:
    return mask_id_number(re.sub(r"[\s-]", "", match.group()))


def mask_numbers(text: str) -> str:
    """``text`` with citizen IDs (both generations, by ``mask_citizen_ids``, and written in
    groups) and mobile numbers masked. Full-width digits are written as ASCII, so that none
    hides a number."""
    text = mask_citizen_ids(text.translate(_HALF_WIDTH))
    text = GROUPED_CITIZEN_ID.sub(_grouped, text)
    return MOBILE.sub(_mobile, text)


@functools.lru_cache(maxsize=4096)
def _kept_around(word: str) -> tuple[str, ...]:
    """The divisions and phrases longer than ``word`` that contain it (朝阳区 for 朝阳)."""
    known = (*region_forms(), *KEPT_PHRASES)
    return tuple(form for form in known if word in form and form != word)


def _masks(names: Iterable[str]) -> dict[str, str]:
    """Each name to mask, without its gaps, and what it becomes: a full name its surname and
    某, a given name of two characters or more 某 (see ``mask_free_text``)."""
    masks: dict[str, str] = {}
    given_names: set[str] = set()
    for written in names:
        name = _GAPS.sub("", written)
        if len(name) < 2:
            continue  # replacing one character would mangle the text
        masks[name] = mask_name(name)
        _surname, given = split_name(name)
        if len(given) >= 2 and _CHINESE_NAME.fullmatch(written.strip()):
            given_names.add(given)
    for given in given_names:
        masks.setdefault(given, "某")  # a full name that is someone's given name stays full
    return masks


def mask_names(text: str, names: Iterable[str], keep: Iterable[str] = ()) -> str:
    """``text`` with each of ``names`` masked, however spaced; ``keep`` the words to leave as
    written (see ``mask_free_text``)."""
    masks = _masks(names)
    if not masks:
        return text
    kept = {word for word in keep if len(word) >= 2} - set(masks)
    for name in masks:
        kept.update(_kept_around(name))
    ordered = sorted(masks, key=len, reverse=True)  # the longest name found at a place wins
    pattern = "(?P<name>" + "|".join(_NAME_GAP.join(map(re.escape, n)) for n in ordered) + ")"
    if kept:
        words = "|".join(map(re.escape, sorted(kept, key=len, reverse=True)))
        pattern = f"(?P<keep>{words})|{pattern}"

    def masked(match: re.Match) -> str:
        if match.group("name") is None:
            return match.group()
        return masks[_GAPS.sub("", match.group())]

    return re.sub(pattern, masked, text)


def mask_free_text(text: str, names: Iterable[str] = (), keep: Iterable[str] = ()) -> str:
    """``text`` with its numbers masked (``mask_numbers``) and the natural persons ``names``:

    * a full name of two characters or more, however spaced, keeps its surname: 王慧薇 →
      王某, 欧阳娜娜 → 欧阳某;
    * a given name written alone, of two characters or more, becomes 某: 慧薇女士 → 某女士.
      The surname is not added where the text did not write it: the same given name after
      another surname is another person's name (李慧薇 → 李某). Only Chinese names are split
      so; a transcribed name (阿依古丽·买买提) is masked whole;
    * a given name of one character (伟 of 张伟) is never masked alone: one character is part
      of too many words (伟大, 说明, 中华) to be told from them, and a text writes such a person
      by the full name, which is masked.

    A name inside a word the text must keep is left as written: the organisations' names in
    ``keep``, which are published in full (R5: 杭州光明建材有限公司, whose legal representative
    is 李光明), the administrative divisions of GB/T 2260 (朝阳区 in a text naming 王朝阳) and
    the country's name in the title of a law (``KEPT_PHRASES``). A kept word that is the name
    itself keeps nothing (永康, 永康市 for short, is 李永康's given name too). Other words that
    contain a given name of two characters are masked with it (国庆节 in a text naming 张国庆):
    a wrong mask costs a word, a missed one a person's privacy.
    """
    return mask_names(mask_numbers(text), names, keep)
