"""Personal data in the free text officers write, masked for readers beyond them (R5, R14;
001 §4; DOMAIN.md §4).

The facts of a listing, a typical case's words, the reasons of a report: an officer types
them, and they may name persons and give their numbers. ``mask_free_text`` masks what can be
found without knowing who is meant — citizen IDs (both generations, mistyped ones, also written
in groups or in full-width digits), mainland mobile numbers (also written 3-8, 3-4-4 or 7-4),
landlines after a phone word and addresses that
an address word introduces (住, 住址, 户籍地 ...), cut to the district — and the names of the
natural persons the caller knows the text may name (the subject, an organisation's legal
representative and the like). Other names an officer types cannot be told from the rest of the
text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from xinyong.core.masking import (
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
    split_name,
)
from xinyong.core.names import NAME_GAP, TRANSCRIBED_PARTS
from xinyong.core.protection import (
    could_be_a_mistyped_citizen_id,
    is_legacy_citizen_id,
    is_organisations_code,
    mask_citizen_ids,
)
from xinyong.core.regions import region_forms

# A mainland mobile number standing alone, as people write it: 11 digits in one run, or after
# +86, or parted 3-8, 3-4-4 or 7-4 by a space, a hyphen, a dash or a dot (138.1234.5678). Not
# inside a longer run of letters or digits: a code such as N13301061234A5678J holds 11 digits
# that are no phone. Tel13812345678 is the one label written right before a number. Whether a
# parted one is a phone is for ``_mobile`` to say (``PHONE_WORDS``).
_PHONE_SEPARATOR = r"[^\S\n]|[-.－–—‐．]"
MOBILE = re.compile(
    r"(?:(?<![0-9A-Za-z+])|(?<=[Tt][Ee][Ll]))(?P<prefix>\+?86(?:[^\S\n]|-)?)?1[3-9]\d"
    rf"(?:\d{{8}}|(?P<parted>(?:{_PHONE_SEPARATOR})\d{{4}}(?:{_PHONE_SEPARATOR})?\d{{4}})"
    rf"|(?P<seven>\d{{4}}(?:{_PHONE_SEPARATOR})\d{{4}}))(?![0-9A-Za-z])"
)
# The words after which such a number is a phone: a phone word, a few characters that are no
# digits and do not end the clause (：, 为, （微信同号）), and perhaps other numbers of a list
# (手机138****5678、186-2026-1234), right before the number.
PHONE_WORDS = ("手机号码", "手机号", "手机", "電話", "手機", "电话号码", "联系电话", "电话",
               "联系方式", "另留", "联系", "座机", "固话")  # fmt: skip
_PHONE_BEFORE = re.compile(
    "(?:" + "|".join(PHONE_WORDS) + r"|(?<![A-Za-z])(?i:tel))"
    r"[^\d。；;\n]{0,8}(?:[\d*][\d*\s\-.－–—（）()]{5,}[\d*][^\d。；;\n]{0,3})*\Z"
)
# A landline (an area code 0xx or 0xxx, in brackets or not, and 7 or 8 digits, perhaps parted)
# right after a phone word and what joins them (``_PHONE_BEFORE``): masked to its last four
# digits (DOMAIN §4, as ``masking.mask_phone``). Without the word, such digits are as often a
# case or a batch number.
LANDLINE = re.compile(
    r"(?<![0-9A-Za-z*])(?:[（(]0\d{2,3}[）)][^\S\n]?|0\d{2,3}(?:[^\S\n]|[-－–—])?)?"
    r"[2-9]\d{2,3}(?:[^\S\n]|[-－–—])?\d{4}(?![0-9A-Za-z*])"
)
_PHONE_LOOKBACK = 60  # characters before a number in which its phone word is looked for

# An address an address word introduces (DOMAIN.md §4: addresses to the district): the word,
# what joins it to the address (：, 为, 在), and the address up to the first of ，。；、）)】,;
# or the line's end; a bracket inside the address (文三路100号（华星大厦）3幢) belongs to it.
# 经营场所 is no address word: it is where a business trades, published with the business's
# penalties and licences, and officers write it as a noun (在其经营场所内销售), where what
# follows is the facts. A bare 住 is no address word in 住房, 住宿, 住院, 住户 and the like, nor
# in 挡住了, 住过.
ADDRESS_WORDS = ("户籍所在地", "经常居住地", "家庭住址", "家庭地址", "居住地址", "户籍地址",
                 "现住址", "户籍地", "居住地", "住所地", "住址", "住所", "地址", "家住", "现住",
                 "暂住")  # fmt: skip
_ADDRESS_AFTER_WORD = re.compile(
    "(?P<word>" + "|".join(ADDRESS_WORDS) + r"|住(?![房宿院户宅址所了着过的得手持满人]))"
    r"(?P<lead>[^\S\n]*(?:[：:]|为|是|在|于)?[^\S\n]*[：:]?[^\S\n]*)"
    r"(?P<address>(?:[^，。；、）)】,;\n（(]|[（(][^）)\n]*[）)])*)"
)
# What an address has that other words do not: a street, a village, an estate, a number.
_ADDRESS_LIKE = re.compile(r"[路街巷弄村]|小区|社区|单元|\d+\s*[号弄幢栋室楼层组]")
# What may stand before a bare 住 that begins an address: the start of a clause or a masked
# name (张某住杭州市); elsewhere (记住, 挡住) only a division right after it makes one.
_CLAUSE_START = frozenset("（(【[，,；;、：:。某") | frozenset(" \t\n\u3000")

# Full-width digits and signs, read as the ASCII ones they stand for before anything is matched.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９＋－＿Ｘｘ", "0123456789+-_Xx")
# What may stand between the characters of a written name (``names.NAME_GAP``).
_GAPS = re.compile(NAME_GAP)
# A Chinese name, surname and given name in Han characters, perhaps spaced (not a transcribed
# one, whose parts a middle dot separates).
_CHINESE_NAME = re.compile(r"[\u4e00-\u9fff][\s\u4e00-\u9fff]*")
# Words in which a given name may be found and that a text keeps as written: the country's
# name, as laws are cited (《中华人民共和国食品安全法》 in a text naming 李中华).
KEPT_PHRASES = ("中华人民共和国",)


def _phone_word_before(match: re.Match) -> bool:
    before = match.string[max(0, match.start() - _PHONE_LOOKBACK) : match.start()]
    return _PHONE_BEFORE.search(before) is not None


def _mobile(match: re.Match) -> str:
    """A mobile number masked, unless parted with a year after its first three digits and not
    said to be a phone (+86, a phone word before it)."""
    number = match.group()
    digits = re.sub(r"\D", "", number)[-11:]
    parted = match.group("parted") or match.group("seven")
    year_after_prefix = parted and digits[3:5] in ("19", "20")
    if year_after_prefix and not match.group("prefix") and not _phone_word_before(match):
        return number
    return mask_phone(digits)


def _landline(match: re.Match) -> str:
    """A landline after a phone word with all but its last four digits masked, its brackets
    and separators as written."""
    if not _phone_word_before(match):
        return match.group()
    number = match.group()
    keep_from = [i for i, c in enumerate(number) if c.isdigit()][-4]
    return re.sub(r"\d", "*", number[:keep_from]) + number[keep_from:]


# Digits written in groups parted by spaces, hyphens or underscores (1101 0519 4912 3100 2X,
# 110105-1949-1231-002X, 110105_19491231_002X), any number of groups: ``_grouped`` looks at the
# consecutive groups whose digits together have an ID's length. Neither after nor before a
# digit, as the runs of ``protection.CITIZEN_ID_RUN``: letters after an ID
# (110105-19491231-002Xabc) do not hide it.
DIGIT_GROUPS = re.compile(
    r"(?<![0-9])[0-9]+[Xx]?(?:(?:[^\S\n]{1,3}|[^\S\n]?[-－_＿][^\S\n]?)[0-9]+[Xx]?)+(?![0-9])"
)
_GROUP = re.compile(r"[0-9]+[Xx]?")


def _as_id(groups: list[str]) -> bool:
    """Whether groups of digits joined are a person's ID, mistyped or not (R14): one in the
    groups of its parts (6-8-4, 6-6-3) by its shape, as ``protection.mask_citizen_ids`` reads
    a run; one grouped otherwise only with a province and a date a person could have in its
    place (``could_be_a_mistyped_citizen_id``), as lists of numbers are grouped so too."""
    digits = "".join(groups)
    if "X" in digits[:-1].upper():
        return False
    length = len(digits)
    if length == 15:
        return is_legacy_citizen_id(digits)
    if not 16 <= length <= 19 or digits[6:8] not in ("18", "19", "20") or digits[0] == "0":
        return False
    if length == 18 and is_organisations_code(digits):
        return False
    if length == 18 and [len(group) for group in groups] == [6, 8, 4]:
        return True
    return could_be_a_mistyped_citizen_id(digits)


def _grouped(match: re.Match) -> str:
    """The groups that together read as an ID masked to its first 6 and last 4 characters
    (3 for a first-generation ID), written as one run; other groups as written."""
    text = match.group()
    groups = list(_GROUP.finditer(text))
    pieces, last, i = [], 0, 0
    while i < len(groups):
        found, length = None, 0
        for j in range(i, len(groups)):
            length += len(groups[j].group())
            if length > 19:
                break
            if j > i and _as_id([group.group() for group in groups[i : j + 1]]):
                found = j  # the longest: 1101 0519 4912 3100 is the start of 2X's ID
        if found is None:
            i += 1
            continue
        digits = "".join(group.group() for group in groups[i : found + 1])
        pieces += [text[last : groups[i].start()], mask_id_number(digits)]
        last = groups[found].end()
        i = found + 1
    return "".join(pieces) + text[last:] if pieces else text


# A run of digits longer than any ID's that holds an 18-character ID's shape somewhere in it
# (two IDs written back to back): ``protection.CITIZEN_ID_RUN`` finds no ID followed by a digit.
# After letters too, as an ID alone is found (ID11010519491231002X…).
_IDS_RUN = re.compile(r"(?<![0-9])[0-9][0-9Xx]{18,}(?![0-9])")
_ID_INSIDE = re.compile(r"[1-9][0-9]{5}(?:18|19|20)[0-9]{9}[0-9Xx]")


def _run_of_ids(match: re.Match) -> str:
    run = match.group()
    return mask_id_number(run) if _ID_INSIDE.search(run) else run


def mask_citizen_ids_however_written(text: str) -> str:
    """``text`` with citizen IDs masked as ``mask_citizen_ids`` masks them, and also those it
    cannot find: written in groups (110105-19491231-002X, 110105_19491231_002X) or back to back
    in one run of digits, which is masked whole to its first 6 and last 4 (R14: no birth date
    shows). Phone numbers are kept. Full-width digits are written as ASCII where such an ID is
    masked; elsewhere the text is kept as written."""
    plain = mask_citizen_ids(text)
    folded = _IDS_RUN.sub(_run_of_ids, text.translate(_HALF_WIDTH))
    strict = DIGIT_GROUPS.sub(_grouped, mask_citizen_ids(folded))
    return plain if strict == plain.translate(_HALF_WIDTH) else strict


def mask_numbers(text: str) -> str:
    """``text`` with citizen IDs (both generations, by ``mask_citizen_ids``, mistyped ones and
    ones written in groups of any length, IDs back to back masked as one run: ``_IDS_RUN``) and
    phone numbers masked (R5, DOMAIN.md §4: 138****5678). Full-width digits are written as
    ASCII, so that none hides a number. A mobile parted 3-8, 3-4-4 or 7-4 is masked like one in
    a run, except where its digits after the first three start with a year (135-2026-0001, the
    shape of contract and case numbers) and no phone word (手机, 电话, 另留, Tel ...) stands a few
    characters before it. A landline is masked after a phone word only, to its last four digits.
    IDs are masked first, so that no part of one is read as a phone."""
    text = _IDS_RUN.sub(_run_of_ids, text.translate(_HALF_WIDTH))
    text = DIGIT_GROUPS.sub(_grouped, mask_citizen_ids(text))
    text = MOBILE.sub(_mobile, text)
    return LANDLINE.sub(_landline, text)


def _address(match: re.Match) -> str:
    address = match.group("address")
    if not address.strip():
        return match.group()
    is_address = (
        ":" in match.group("lead")
        or "：" in match.group("lead")
        or _ADDRESS_LIKE.search(address) is not None
        or mask_address(address) != ""
    )
    if match.group("word") == "住":
        start = match.start()
        if start > 0 and match.string[start - 1] not in _CLAUSE_START:
            is_address = mask_address(address) != ""
    if not is_address:
        return match.group()
    return match.group("word") + match.group("lead") + mask_address(address)


def mask_addresses(text: str) -> str:
    """``text`` with each address an address word introduces (住, 住址, 住所, 地址, 家住, 现住,
    户籍地, 居住地 ...) cut to its administrative divisions by ``masking.mask_address``
    (DOMAIN.md §4: addresses to district level; R5): 住杭州市西湖区文三路100号 → 住杭州市西湖区;
    an address with no division keeps nothing (住文三路100号 → 住). What follows the word is
    taken for an address when a colon joins them (住址：) or it reads as one (a division, a
    street, a number of a house); a bare 住 inside a word (记住, 挡住) only when a division
    follows. A place no address word introduces is the facts' (在杭州市西湖区销售) and is kept."""
    return _ADDRESS_AFTER_WORD.sub(_address, text)


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
        parts = TRANSCRIBED_PARTS.split(written.strip())
        if len(parts) > 1 and len(first := _GAPS.sub("", parts[0])) >= 2:
            # A transcribed name's first part is the person's own name, written alone as a
            # Chinese given name is (以下简称阿卜杜拉).
            given_names.add(first)
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
    pattern = "(?P<name>" + "|".join(NAME_GAP.join(map(re.escape, n)) for n in ordered) + ")"
    if kept:
        words = "|".join(map(re.escape, sorted(kept, key=len, reverse=True)))
        pattern = f"(?P<keep>{words})|{pattern}"

    def masked(match: re.Match) -> str:
        if match.group("name") is None:
            return match.group()
        return masks[_GAPS.sub("", match.group())]

    return re.sub(pattern, masked, text)


def mask_free_text(text: str, names: Iterable[str] = (), keep: Iterable[str] = ()) -> str:
    """``text`` with its numbers masked (``mask_numbers``), its addresses cut to the district
    (``mask_addresses``) and the natural persons ``names``:

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

    Names go first, so that a masked name can start an address (张某住杭州市西湖区), and numbers
    last, on the text as shown: where an address is cut, a phone word may come to stand before
    a number, and masking again must change nothing.
    """
    return mask_numbers(mask_addresses(mask_names(text, names, keep)))
