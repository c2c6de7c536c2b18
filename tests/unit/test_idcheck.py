"""The import's fast identifier checks answer exactly as the core checks (DOMAIN.md §4)."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import make_citizen_id, make_uscc
from xinyong.core import identifiers as core
from xinyong.core.idcheck import (
    IdentifierChecker,
    _citizen_id_plainly_valid,
    _uscc_plainly_valid,
    plainly_valid_kind,
)

TODAY = dt.date(2026, 11, 20)
USCC_CHARS = core.USCC_ALPHABET + "IOSVZ -"
AUTHORITIES = "123456789ANYBZ"


@st.composite
def uscc_like(draw):
    """Valid codes, codes with one character changed, and codes of random characters."""
    n = draw(st.integers(0, 10**8))
    code = make_uscc(n, authority=draw(st.sampled_from(AUTHORITIES[:12])),
                     org_type=draw(st.sampled_from("1239")))  # fmt: skip
    how = draw(st.sampled_from(["valid", "changed", "random", "length"]))
    if how == "changed":
        at = draw(st.integers(0, 17))
        code = code[:at] + draw(st.sampled_from(USCC_CHARS)) + code[at + 1 :]
    elif how == "random":
        code = "".join(draw(st.lists(st.sampled_from(USCC_CHARS), min_size=18, max_size=18)))
    elif how == "length":
        code = code[: draw(st.integers(0, 17))]
    return code


@st.composite
def citizen_id_like(draw):
    n = draw(st.integers(0, 10**6))
    region = draw(st.sampled_from(["330106", "110105", "810000", "830000", "990000", "000000"]))
    code = make_citizen_id(n, region=region)
    how = draw(st.sampled_from(["valid", "changed", "date", "future"]))
    if how == "changed":
        at = draw(st.integers(0, 17))
        code = code[:at] + draw(st.sampled_from("0123456789X")) + code[at + 1 :]
    elif how == "date":
        code = code[:6] + draw(st.sampled_from(["18991231", "20230229", "20241301"])) + code[14:]
    elif how == "future":
        code = code[:6] + "20301001" + code[14:]
    return code


@settings(max_examples=600)
@given(uscc_like())
def test_a_uscc_is_plainly_valid_exactly_when_the_core_says_valid(code):
    answer = core.check_uscc(code)
    assert _uscc_plainly_valid(code) == (answer.status == "valid" and answer.value == code)
    fast = IdentifierChecker(TODAY).uscc(code)
    assert (fast.status if fast else "valid") == answer.status


@settings(max_examples=600)
@given(citizen_id_like())
def test_a_citizen_id_is_plainly_valid_exactly_when_the_core_says_valid(code):
    answer = core.check_citizen_id(code, today=TODAY)
    plain = _citizen_id_plainly_valid(code, TODAY)
    assert plain == (answer.status == "valid" and answer.value == code)
    fast = IdentifierChecker(TODAY).citizen_id(code)
    assert (fast.status if fast else "valid") == answer.status


def test_a_code_failing_only_its_check_character_is_for_review():
    code = make_uscc(7)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    answer = IdentifierChecker(TODAY).uscc(wrong)
    assert (answer.status, answer.code) == ("review", "uscc-check-character")


def test_a_code_as_typed_is_normalised_by_the_core():
    code = make_uscc(8)
    answer = IdentifierChecker(TODAY).uscc(f" {code.lower()} ")
    assert (answer.status, answer.value) == ("valid", code)


@settings(max_examples=600)
@given(st.one_of(uscc_like(), citizen_id_like(), st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True)))
def test_a_plainly_valid_kind_is_what_check_identifier_reads_the_code_as(code):
    """A code valid both ways (18 digits can be) is a citizen ID, as ``check_identifier``
    decides; a code the shortcut does not vouch for is left to the core."""
    answer = core.check_identifier(code, today=TODAY)
    kind = plainly_valid_kind(code, TODAY)
    if answer.status == "valid" and answer.value == code:
        assert kind == answer.kind
    else:
        assert kind is None


def test_a_code_valid_as_both_kinds_is_a_citizen_id_in_the_shortcut_too():
    both = "110105195002120264"  # a real-shaped ID whose digits also pass GB 32100's checks
    assert core.check_uscc(both).status == "valid"
    assert core.check_identifier(both, today=TODAY).kind == "citizen_id"
    assert plainly_valid_kind(both, TODAY) == "citizen_id"
