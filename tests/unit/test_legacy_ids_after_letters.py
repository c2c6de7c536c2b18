"""A first-generation citizen ID written right after a label's Latin letters is masked, as an
18-digit one there is (R5, R14; DOMAIN.md §4); a contract's or a decision's number after letters
that reads as no such ID (no province, no real birth date) stays as written."""

import pytest

from xinyong.core.free_text import mask_free_text
from xinyong.core.protection import has_citizen_id_run, mask_citizen_ids

OLD_ID = "110105491231002"  # GB 11643-1989's example: 110105, born 1949-12-31, 002
NEW_ID = "11010519491231002X"  # the same person's second-generation ID


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"ID{OLD_ID}", "ID110105******002"),
        (f"身份证号码:AB{OLD_ID}", "身份证号码:AB110105******002"),
        (f"法定代表人（ID{OLD_ID}）", "法定代表人（ID110105******002）"),
        (f"no{OLD_ID}，另", "no110105******002，另"),
        ("idno330106480229123", "idno330106******123"),  # 29 February 1948
        (f"ID{OLD_ID} 与 ID{NEW_ID}", "ID110105******002 与 ID110105********002X"),
        # Letters after it do not hide it either: only a digit makes it part of a longer
        # number (a letter after fifteen digits may be a mistyped ID's X).
        (f"ID{OLD_ID}X", "ID110105******002X"),
        (f"HT{OLD_ID}A", "HT110105******002A"),
        # Typed full width after the letters: masked as the digits it stands for.
        ("ID１１０１０５４９１２３１００２", "ID110105******002"),
    ],
)
def test_an_old_id_after_letters_is_masked_as_a_new_one_there_is(text, masked):
    assert mask_citizen_ids(text) == masked
    assert mask_free_text(text) == masked
    assert has_citizen_id_run(text)


def test_the_old_id_is_masked_where_the_new_one_is():
    """The 18-digit rule in the same place, for comparison: both keep the label."""
    for label in ("ID", "身份证号码:AB", "No"):
        assert mask_citizen_ids(f"{label}{NEW_ID}") == f"{label}110105********002X"
        assert mask_citizen_ids(f"{label}{OLD_ID}") == f"{label}110105******002"


@pytest.mark.parametrize(
    "text",
    [
        "HT991234201811300",  # no province 99
        "HT330106491331002",  # month 13
        "合同编号HT330106490230002",  # 30 February
        "CG330106190229002",  # 29 February 1919
        "XZCF202611020000123",  # a decision's number: a year and a date, then a sequence
        "HT202312310001234",  # a contract's: 20 is no province
        "NO.991234201811300",
        f"HT{OLD_ID}7",  # sixteen digits: no old ID
    ],
)
def test_a_number_after_letters_that_is_no_old_id_is_left_alone(text):
    assert mask_citizen_ids(text) == text
    assert mask_free_text(text) == text


def test_a_digit_before_the_run_still_joins_it():
    """After a digit the fifteen are part of a longer number, whatever letters come first."""
    assert mask_citizen_ids(f"HT9{OLD_ID}") == f"HT9{OLD_ID}"
