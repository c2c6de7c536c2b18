"""Personal numbers and names that other ways of writing them let through a public text, and
the public codes and words that masking must leave alone (R5, R14; DOMAIN.md §4)."""

import pytest

from xinyong.core.free_text import mask_free_text, mask_numbers
from xinyong.core.identifiers import (
    check_uscc,
    organization_code_check_character,
    uscc_check_character,
)
from xinyong.core.masking import mask_address

ID = "11010519491231002X"


@pytest.mark.parametrize(
    "written",
    ["1101 0519 4912 3100 2X", "110105 1949 1231 002X", "110 105 19491231 002X",
     "110105-1949-1231-002X", "110105 19491231 002X"],
)  # fmt: skip
def test_an_id_in_any_grouping_is_masked(written):
    assert mask_free_text(f"身份证号码{written}，") == "身份证号码110105********002X，"


def test_a_grouped_first_generation_id_is_masked():
    assert mask_free_text("身份证号码110105 491231 002，") == "身份证号码110105******002，"


def test_an_id_right_after_latin_letters_is_masked():
    assert mask_free_text(f"ID{ID}，No.{ID}") == "ID110105********002X，No.110105********002X"


@pytest.mark.parametrize("typed", ["11010519491231002", "110105194912310021X", "1101051949123100"])
def test_an_id_a_character_short_or_long_is_masked(typed):
    masked = mask_free_text(f"身份证号码：{typed}，")
    assert "19491231" not in masked
    assert masked.startswith("身份证号码：110105") and masked.endswith(f"{typed[-4:]}，")


@pytest.mark.parametrize(
    "text",
    [
        # Batch and document numbers of 16 to 19 digits whose digits 7–14 read as no birth date.
        "批号20261399887766554",
        "合同编号1234567890123456",
        "编号3301061826001234",
        # A code with letters of its own is no ID run, nor are its digits grouped into one.
        "代码91110105MA01234567",
        "订单 2026 1120 0012 3456",
    ],
)
def test_numbers_that_are_no_person_s_id_are_kept(text):
    assert mask_free_text(text) == text


def _valid_uscc(first16: str) -> str:
    first17 = first16 + organization_code_check_character(first16[8:])
    return first17 + uscc_check_character(first17)


@pytest.mark.parametrize(
    "code",
    [
        "N13301061234A5678J",
        # All digits, positions 7–14 a date (Yanqing's 110119): no person's, 91 is no province.
        _valid_uscc("9111011980010124"),
        _valid_uscc("9133010619850612"),
    ],
)
def test_a_valid_uscc_is_never_masked(code):
    assert check_uscc(code).is_valid
    written = (
        f"统一社会信用代码：{code}。",
        f"代码{code}",
        f"USCC{code}",
        f"{code[:6]} {code[6:]}",
    )
    for text in written:
        assert mask_free_text(text) == text


def test_no_uscc_is_read_as_a_mobile():
    code = "N13301061234A5678J"
    assert check_uscc(code).is_valid
    assert mask_numbers(f"代码{code}") == f"代码{code}"
    assert mask_numbers("型号A13812345678B") == "型号A13812345678B"


@pytest.mark.parametrize(
    "written", ["138.1234.5678", "138—1234—5678", "138–1234–5678", "1381234 5678", "1381234-5678"]
)
def test_a_mobile_in_other_separators_is_masked(written):
    assert mask_free_text(f"手机：{written}，") == "手机：138****5678，"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话：0571-87654321", "电话：****-****4321"),
        ("电话（0571）87654321。", "电话（****）****4321。"),
        ("联系电话 0571 8765 4321", "联系电话 **** **** 4321"),
        ("座机：87654321；", "座机：****4321；"),
        ("固话0571-87654321", "固话****-****4321"),
        ("Tel: 0571-87654321", "Tel: ****-****4321"),
        ("电话：138****5678、0571-87654321", "电话：138****5678、****-****4321"),
    ],
)
def test_a_landline_after_a_phone_word_keeps_its_last_four_digits(text, masked):
    assert mask_free_text(text) == masked


def test_a_landline_without_a_phone_word_is_kept():
    assert mask_free_text("案号0571-87654321") == "案号0571-87654321"


@pytest.mark.parametrize("gap", [".", "．", "‧", "-", "－", "—", "·", "・", "•", " "])
def test_a_transcribed_name_with_any_gap_is_masked(gap):
    text = mask_free_text(f"当事人阿卜杜拉{gap}买买提销售假药", ["阿卜杜拉·买买提"])
    assert "买买提" not in text and "阿卜杜拉" not in text


def test_the_first_part_of_a_transcribed_name_alone_is_masked():
    text = mask_free_text("阿卜杜拉·买买提（以下简称阿卜杜拉）销售假药", ["阿卜杜拉·买买提"])
    assert "阿卜杜拉" not in text and "买买提" not in text


@pytest.mark.parametrize(
    ("address", "kept"),
    [
        ("翠苑一区3幢201室", ""),
        ("万科城市花园一区12幢", ""),
        ("都市花园5幢302", ""),
        ("杭州市西湖区翠苑一区3幢", "杭州市西湖区"),
        ("浙江省杭州市西湖区文三路100号", "浙江省杭州市西湖区"),
        ("北京市朝阳区建国路88号", "北京市朝阳区"),
        ("西湖区文三路100号", "西湖区"),
        ("义乌市稠城街道", "义乌市"),
        ("杭州市翠苑一区3幢", "杭州市"),
    ],
)
def test_an_estate_is_no_division(address, kept):
    assert mask_address(address) == kept


def test_an_estate_after_an_address_word_keeps_nothing():
    assert mask_free_text("家住翠苑一区3幢201室") == "家住"
