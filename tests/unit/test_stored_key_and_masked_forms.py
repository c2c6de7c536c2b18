"""The pure parts of two protections of stored identifiers (R14): telling a key that is not the
stored data's, and finding the copies in clear of a code stored masked."""

import re

from xinyong.core.protection import (
    ID_RUN_EITHER_WIDTH,
    KeyRing,
    mask_citizen_ids,
    shows_in_clear,
    stored_key_mismatch,
)

MISTYPED = "11010519490230002X"  # fails the citizen-ID check, passes the USCC's
MASKED = frozenset({"121101********1256", "110105********002X"})


def test_a_key_that_does_not_open_or_hashes_otherwise_is_told():
    a, b = KeyRing.parse("a" * 40), KeyRing.parse("b" * 40)
    sealed, digest = a.seal(MISTYPED), a.digest(MISTYPED)
    assert stored_key_mismatch(a, digest, sealed=sealed) == ""
    assert stored_key_mismatch(b, digest, sealed=sealed) == "the key does not open this ciphertext"
    assert "hash" in stored_key_mismatch(a, b.digest(MISTYPED), sealed=sealed)
    assert stored_key_mismatch(a, digest, clear=MISTYPED) == ""
    assert "hash" in stored_key_mismatch(b, digest, clear=MISTYPED)


def test_a_copy_in_clear_is_found_in_either_width_and_the_database_pattern_finds_it_too():
    for text in (
        "代码121101198001011256。",
        "１２１１０１１９８００１０１１２５６",
        '["某所", "11010519490230002x"]',
    ):
        assert shows_in_clear(text, MASKED), text
        assert re.search(ID_RUN_EITHER_WIDTH, text), text
        assert mask_citizen_ids(text) != text  # what is found, an import masks


def test_masked_copies_other_codes_and_longer_runs_are_not_found():
    for text in (
        "121101********1256",
        "121101198001011257",
        "1211011980010112561",
        "91330106MA2GL1T73K",
        "",
    ):
        assert not shows_in_clear(text, MASKED), text
