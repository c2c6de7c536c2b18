"""Encryption, keyed hashing and masking of citizen IDs (R14; xinyong.core.protection)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.identifiers import citizen_id_check_character, uscc_check_character
from xinyong.core.masking import mask_id_number
from xinyong.core.protection import (
    CitizenIdLogFilter,
    KeyRing,
    ProtectionError,
    has_citizen_id_run,
    is_organisations_code,
    looks_like_citizen_id,
    mask_citizen_ids,
    mask_citizen_ids_in,
)

OLD, NEW = "o" * 40, "n" * 40
ID = "11010519491231002X"  # GB 11643-1999's own example
PERMIT = "810000199001011234"  # a Hong Kong resident's permit: 81 in the place of a region


def test_a_sealed_id_opens_with_its_key_and_names_its_version():
    ring = KeyRing.parse(OLD)
    sealed = ring.seal(ID)
    assert sealed.startswith("v1:") and ID not in sealed
    assert ring.open(sealed) == ID
    assert ring.seal(ID) != sealed  # a fresh nonce each time


def test_a_wrong_key_or_an_altered_ciphertext_cannot_open_it():
    sealed = KeyRing.parse(OLD).seal(ID)
    with pytest.raises(ProtectionError):
        KeyRing.parse(NEW).open(sealed)
    with pytest.raises(ProtectionError):
        KeyRing.parse(f"2:{NEW}").open(sealed)  # no key of version 1 at all
    body = sealed[3:]
    flipped = sealed[:3] + ("A" if body[0] != "A" else "B") + body[1:]
    with pytest.raises(ProtectionError):
        KeyRing.parse(OLD).open(flipped)
    with pytest.raises(ProtectionError):
        KeyRing.parse(OLD).open(ID)


@pytest.mark.parametrize(
    "damage", ["cut", "one-character-short", "nonce-only", "empty-tail", "three", "six", "eight"]
)
def test_a_damaged_ciphertext_is_refused_as_one_the_key_cannot_open(damage):
    """A ciphertext cut short or mangled (a partial restore, an edit by hand) is refused with
    ``ProtectionError`` like any ciphertext the key cannot open, so that the key proof and every
    caller name it, rather than failing with the base64 decoder's error (R14)."""
    ring = KeyRing.parse(OLD)
    sealed = ring.seal(ID)
    damaged = {
        "cut": sealed[:20],  # a whole number of base64 blocks, too short to hold a tag
        "one-character-short": sealed[:-1],  # no longer a whole number of base64 blocks
        "nonce-only": "v1:" + sealed[3:19],  # 12 bytes: a nonce and nothing after it
        "empty-tail": "v1:" + "A" * 5,  # base64 that no padding can complete
        "three": "v1:AAAA",  # whole base64, too short for a nonce: the cipher's own ValueError
        "six": "v1:AAAAAAAA",
        "eight": sealed[:11],
    }[damage]
    with pytest.raises(ProtectionError, match=r"damaged|does not open"):
        ring.open(damaged)


def test_rotation_encrypts_under_the_newest_and_keeps_the_look_up_key():
    old, rotated = KeyRing.parse(OLD), KeyRing.parse(f"2:{NEW},1:{OLD}")
    assert rotated.seal(ID).startswith("v2:")
    assert rotated.open(old.seal(ID)) == ID
    assert not rotated.is_current(old.seal(ID)) and rotated.is_current(rotated.seal(ID))
    assert rotated.digest(ID) == old.digest(ID)


def test_the_digest_is_keyed_and_deterministic():
    ring = KeyRing.parse(OLD)
    assert ring.digest(ID) == ring.digest(ID) and len(ring.digest(ID)) == 64
    assert ring.digest(ID) != KeyRing.parse(NEW).digest(ID)
    assert ring.digest(ID) != ring.digest(PERMIT)
    # The look-up key is not the encryption key: derived apart, under another label.
    assert KeyRing.from_secret_key("s").digest(ID) != KeyRing.from_secret_key("t").digest(ID)


@pytest.mark.parametrize(
    "text", ["short", f"1:{OLD},1:{NEW}", f"2:{'n' * 10}"], ids=["short", "twice", "short-v2"]
)
def test_malformed_keys_are_refused(text):
    with pytest.raises(ValueError):
        KeyRing.parse(text)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (ID, "110105********002X"),
        (PERMIT, "810000********1234"),
        (f"身份证号：{ID}，电话", "身份证号：110105********002X，电话"),
        (ID.lower(), "110105********002x"),
        ("91330106MA2B3C4D5X", "91330106MA2B3C4D5X"),  # an organisation's code stays
        ("1" + ID, "1" + ID),  # inside a longer number: not an ID
        ("2026-11-20 12:00:00", "2026-11-20 12:00:00"),
        ("330106198013010011", "330106********0011"),  # month 13: a mistyped ID, still one
        ("证号330112198613303439", "证号330112********3439"),
    ],
)
def test_masking_finds_ids_in_any_text(text, masked):
    assert mask_citizen_ids(text) == masked


def read_only_as_a_uscc(first16: str) -> str:
    """``first16`` and an order digit, then the USCC's check character, which the citizen ID's
    is not: 18 characters of an ID's shape that pass only as an organisation's code."""
    for digit in "0123456789":
        first17 = first16 + digit
        last = uscc_check_character(first17)
        if last in "0123456789X" and last != citizen_id_check_character(first17):
            return first17 + last
    raise AssertionError(f"no such code after {first16}")


@pytest.mark.parametrize(
    "value",
    [
        "11010519490230002X",  # 0203 typed 0230: the day of no month, but a typo's
        "11010519491231008X",  # the standard's example with 002 typed 008
        read_only_as_a_uscc("3301061986121500"),
        read_only_as_a_uscc("8100001990010112"),  # a residence permit
        read_only_as_a_uscc("1101051900010100"),  # the earliest birth year taken
    ],
)
def test_a_mistyped_id_that_passes_the_uscc_check_is_still_a_persons(value):
    """An ID with a typo passes the USCC's check one time in 31: a real province and a birth
    date a typo could have made of a real one say it may be a person's, and it is masked
    wherever an ID is (R14; DOMAIN §4)."""
    first17 = value[:17]
    assert uscc_check_character(first17) == value[17] != citizen_id_check_character(first17)
    with clock.frozen(dt.date(2026, 11, 30)):
        assert not is_organisations_code(value)
        assert looks_like_citizen_id(value)
        assert mask_citizen_ids(f"证号{value}。") == f"证号{mask_id_number(value)}。"


@pytest.mark.parametrize(
    "value",
    [
        read_only_as_a_uscc("9911061986121500"),  # no province 99
        read_only_as_a_uscc("1101051949131200"),  # month 13
        read_only_as_a_uscc("1101051949003100"),  # month 00
        read_only_as_a_uscc("1101051949123200"),  # day 32
        read_only_as_a_uscc("1101051949120000"),  # day 00
        read_only_as_a_uscc("1101051899123100"),  # born before 1900
        read_only_as_a_uscc("1101052026120100"),  # born after the business date
        read_only_as_a_uscc("9111011900000000"),  # Yanqing's enterprise: 91, a date of zeros
    ],
)
def test_a_code_that_cannot_be_a_persons_id_stays_an_organisations(value):
    """An organisation's code of digits in an ID's shape that no person can have been given,
    mistyped or not, is a public identifier and stays in clear (DOMAIN §4)."""
    with clock.frozen(dt.date(2026, 11, 30)):
        assert is_organisations_code(value)
        assert not looks_like_citizen_id(value)
        assert mask_citizen_ids(f"代码{value}") == f"代码{value}"


OLD_ID = "110105491231002"  # the standard's example in the first generation's 15 digits


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (OLD_ID, "110105******002"),
        (f"法定代表人身份证{OLD_ID}。", "法定代表人身份证110105******002。"),
        ("330106480229123", "330106******123"),  # 29 February 1948
        # Fifteen digits that are no ID: stay as written.
        ("991234201811300", "991234201811300"),  # no province 99
        ("330106491331002", "330106491331002"),  # month 13
        ("330106490230002", "330106490230002"),  # 30 February
        ("330106190229002", "330106190229002"),  # 29 February 1919
        ("202611020000123", "202611020000123"),  # a batch number: a date, then a sequence
        ("HT" + OLD_ID, "HT110105******002"),  # after letters: an ID, as 18 digits there
        ("HT330106491331002", "HT330106491331002"),  # after letters, no date: a contract's
        ("9" + OLD_ID, "9" + OLD_ID),  # inside a longer number
        (OLD_ID + "7", OLD_ID + "7"),  # sixteen digits
    ],
)
def test_a_first_generation_id_is_masked_other_15_digit_numbers_are_not(text, masked):
    assert mask_citizen_ids(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # GB 11643's example typed in full-width mode, check character included.
        ("经办人１１０１０５１９４９１２３１００２Ｘ已核实", "经办人110105********002X已核实"),
        ("证号１１０１０５１９４９１２３１００２ｘ", "证号110105********002x"),
        ("１１０１０５４９１２３１００２", "110105******002"),  # the first generation
        # Other full-width numbers stay as written: only an ID is touched.
        ("第１２条　１１０１０５１９４９１２３１００２Ｘ", "第１２条　110105********002X"),
        ("批次２０２６１１０２００００１２３", "批次２０２６１１０２００００１２３"),
    ],
)
def test_an_id_typed_full_width_is_masked_as_the_digits_it_stands_for(text, masked):
    assert mask_citizen_ids(text) == masked
    assert has_citizen_id_run(text) is (text != masked)


def test_masking_walks_json_values():
    value = {"a": [ID, 3, {"b": f"x {ID}"}], "c": None}
    assert mask_citizen_ids_in(value) == {
        "a": ["110105********002X", 3, {"b": "x 110105********002X"}],
        "c": None,
    }


def record(msg, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("xinyong", logging.WARNING, __file__, 1, msg, args, exc_info)


def test_the_log_filter_masks_the_message_its_arguments_and_the_traceback():
    masking = CitizenIdLogFilter()
    plain = record("checked %s for %s", ID, "scjg")
    assert masking.filter(plain) and plain.getMessage() == "checked 110105********002X for scjg"
    try:
        raise ValueError(f"bad {PERMIT}")
    except ValueError as error:
        failed = record("failed", exc_info=(type(error), error, error.__traceback__))
    assert masking.filter(failed) and PERMIT not in failed.exc_text
    untouched = record("imported %d rows", 12)
    assert masking.filter(untouched) and untouched.args == (12,)


def test_the_installed_logging_masks_every_record(caplog):
    with caplog.at_level(logging.INFO, logger="django.request"):
        logging.getLogger("django.request").warning("Unprocessable: %s", {"subject": ID})
    handler = logging.getLogger("django").handlers[0]
    assert any(isinstance(f, CitizenIdLogFilter) for f in handler.filters)
    assert all(handler.filter(r) for r in caplog.records)
    assert ID not in caplog.records[-1].getMessage()


def test_an_error_echoing_input_masks_the_id():
    error = XinyongError("subject-not-found", f"信用主体不存在：{ID}", status=404, value=ID)
    assert ID not in str(error) and ID not in repr(error.as_dict())
    assert error.as_dict()["value"] == "110105********002X"


def test_the_look_up_digest_is_hmac_sha256_under_the_look_up_key():
    """Digests are compared with those already stored: the keyed-state copy changes no value."""
    import hashlib
    import hmac

    from xinyong.core.protection import _derive

    ring = KeyRing.parse("1:" + "s" * 40)
    expected = hmac.digest(_derive("s" * 40, "look-up hash"), b"11010519491231002X", hashlib.sha256)
    assert ring.digest("11010519491231002X") == expected.hex()
    assert ring.digest("11010519491231002X") == ring.digest("11010519491231002X")


def _id_runs(text: str, *, letters: bool = False) -> list[tuple[int, int]]:
    """The ID-shaped runs found the plain way: each 18-character window, bounded by no letter
    or digit on either side (the shape's definition, written out); with ``letters``, a
    letter may stand on either side of it (ID11010519491231002X, 11010519491231002Xabc)."""
    import re

    body = re.compile(r"[1-9][0-9]{5}(?:18|19|20)[0-9]{6}[0-9]{3}[0-9Xx]")

    def joins(at: int) -> bool:
        return 0 <= at < len(text) and text[at].isascii() and text[at].isalnum()

    def joins_at(at: int) -> bool:
        return joins(at) and not (letters and text[at].isalpha())

    runs, start = [], 0
    while start + 18 <= len(text):
        if (
            body.fullmatch(text, start, start + 18)
            and not joins_at(start - 1)
            and not joins_at(start + 18)
        ):
            runs.append((start, start + 18))
            start += 18
        else:
            start += 1
    return runs


# Pieces that make ID-shaped runs, near misses and their neighbours when strung together.
# Whole IDs (with either case of X) are among them, so most texts hold a run or a near miss.
WHOLE_IDS = ["11010519491231002X", "11010519491231002x", "110105194912310021"]
PIECES = ["1", "9", "0", "19", "20", "X", "x", "a", "Z", "中", "-", " ", "\n", "110105", "1949",
          "1231", "002", *WHOLE_IDS]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_the_shape_finds_the_runs_its_definition_names(text):
    """The shape's look-behind follows its first digit, for speed: the runs are still those
    with no letter or digit on either side, wherever they are in the text."""
    from xinyong.core.protection import CITIZEN_ID_SHAPE

    assert [m.span() for m in CITIZEN_ID_SHAPE.finditer(text)] == _id_runs(text)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, OLD_ID, "491231"]), max_size=30).map("".join))
def test_the_runs_masked_are_the_shapes_and_old_ids_bounded_alike(text):
    """Adding the first generation's 15 digits finds every 18-character run the shape finds,
    and a 15-digit run bounded alike: a letter may stand on either side of either, a digit
    on neither side."""
    from xinyong.core.protection import CITIZEN_ID_RUN, CITIZEN_ID_SHAPE

    runs = [m.span() for m in CITIZEN_ID_RUN.finditer(text)]
    assert [(a, b) for a, b in runs if b - a == 18] == _id_runs(text, letters=True)
    assert [m.span() for m in CITIZEN_ID_SHAPE.finditer(text)] == _id_runs(text)
    for start, end in runs:
        assert end - start in (15, 18)
        # An ID of either generation may follow a label's letters (ID11010519491231002X,
        # ID110105491231002) or run into letters after it, never into a digit.
        before = text[start - 1] if start else ""
        assert not (before.isascii() and before.isdigit())
        assert not (end < len(text) and text[end].isascii() and text[end].isdigit())
