"""A citizen ID run into Latin letters after it is still masked (R14, DOMAIN.md §4): only a
digit after an ID makes it part of a longer number."""

import pytest

from xinyong.core.free_text import mask_citizen_ids_however_written, mask_free_text
from xinyong.core.protection import mask_citizen_ids


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("身份证号11010519491231002Xabc", "身份证号110105********002Xabc"),
        ("110105194912310021abc", "110105********0021abc"),
        ("110105194912310021ID", "110105********0021ID"),
        ("ID110105194912310021No", "ID110105********0021No"),
        # a first-generation ID: 15 digits with a real date
        ("110105491231002abc", "110105******002abc"),
    ],
)
def test_an_id_before_letters_is_masked(text, masked):
    assert mask_citizen_ids(text) == masked
    assert mask_citizen_ids_however_written(text) == masked
    assert mask_free_text(text) == masked


def test_a_mistyped_id_before_letters_is_masked():
    """A digit dropped (17 characters) still hides its birth date before letters."""
    masked = mask_citizen_ids("证件1101051949123100Xyz")
    assert "19491231" not in masked


def test_an_id_written_in_groups_before_letters_is_masked():
    masked = mask_free_text("证件号 110105-19491231-002Xabc")
    assert "19491231" not in masked and masked.endswith("abc")


def test_an_id_before_a_digit_is_part_of_a_longer_number_and_kept():
    """Twenty digits with no ID's shape around them stay as written (a bank's reference)."""
    assert mask_citizen_ids("12345678901234567890abc") == "12345678901234567890abc"
