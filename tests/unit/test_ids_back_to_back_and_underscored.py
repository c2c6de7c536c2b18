"""Citizen IDs written back to back or parted by underscores, masked by both ways free text
is masked: no digit of a birth date shows (R14, DOMAIN.md §4)."""

import pytest

from xinyong.core.free_text import mask_citizen_ids_however_written, mask_free_text

ID = "11010519491231002X"
MASKS = [mask_free_text, mask_citizen_ids_however_written]


@pytest.mark.parametrize("mask", MASKS)
@pytest.mark.parametrize("around", [("", ""), ("理由：", "。"), ("甲", "乙")])
def test_ids_back_to_back_are_masked_whole(mask, around):
    before, after = around
    masked = mask(f"{before}{ID}{ID}{after}")
    assert masked == f"{before}110105{'*' * 26}002X{after}"


@pytest.mark.parametrize("mask", MASKS)
@pytest.mark.parametrize(
    ("written", "masked"),
    [("110105_19491231_002X", "110105********002X"),
     ("110105_1949_1231_002X", "110105********002X"),
     ("1101_0519_4912_3100_2X", "110105********002X"),
     ("１１０１０５＿１９４９１２３１＿００２Ｘ", "110105********002X"),
     ("110105_491231_002", "110105******002")],
)  # fmt: skip
def test_an_id_parted_by_underscores_is_masked(mask, written, masked):
    assert mask(f"身份证号码{written}，") == f"身份证号码{masked}，"


@pytest.mark.parametrize("mask", MASKS)
@pytest.mark.parametrize("text", ["批次_2024_0001", "file_20240101_001.csv", "编号12_34_56"])
def test_underscored_numbers_that_are_no_id_are_kept(mask, text):
    assert mask(text) == text


@pytest.mark.parametrize("mask", MASKS)
def test_ids_back_to_back_after_latin_letters_are_masked_whole(mask):
    assert mask(f"ID{ID}{ID}") == f"ID110105{'*' * 26}002X"
