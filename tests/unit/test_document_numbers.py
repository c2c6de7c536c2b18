"""One decision's number written another way is the same number; another number stays
another (R9, R4, issue 5 §3)."""

import pytest

from xinyong.core.document_numbers import canonical_document_number

CANONICAL = "杭市监罚〔2026〕1号"


@pytest.mark.parametrize(
    "written",
    [
        "杭市监罚〔2026〕1号",  # GB/T 9704's own form
        "杭市监罚[2026]1号",
        "杭市监罚【2026】1号",
        "杭市监罚(2026)1号",
        "杭市监罚（2026）1号",  # full-width parentheses
        "杭市监罚［2026］1号",  # full-width square brackets
        "杭市监罚﹝2026﹞1号",  # small tortoise-shell brackets
        "杭市监罚〖2026〗1号",
        "杭市监罚〔２０２６〕１号",  # full-width digits
        "杭市监罚〔2026]1号",  # brackets of two kinds
        " 杭市监罚 〔 2026 〕 1 号 ",  # spaces, also inside
        "杭市监罚\u3000〔2026〕1号",  # an ideographic space
        "杭市监罚\u200b[2026]1号\ufeff",  # invisible characters
    ],
)
def test_each_way_of_writing_is_one_number(written):
    assert canonical_document_number(written) == CANONICAL


@pytest.mark.parametrize(
    "other",
    ["杭市监罚〔2026〕11号", "杭市监罚〔2025〕1号", "杭市监处罚〔2026〕1号",
     "杭市监罚〔2026〕1号之一", "杭市监罚1号"],
)  # fmt: skip
def test_another_number_stays_another(other):
    assert canonical_document_number(other) != CANONICAL
    assert canonical_document_number(other) != canonical_document_number("杭市监罚[2026]1号")


def test_other_numbers_keep_what_they_say():
    """Brackets around anything but a year are left as NFKC writes them; letters keep their
    case; a number with no year is only stripped of spaces."""
    assert canonical_document_number("（2026）京0105民初123号") == "〔2026〕京0105民初123号"
    assert canonical_document_number("杭市监罚（补）Ａ-12") == "杭市监罚(补)A-12"
    assert canonical_document_number("2026-001") == "2026-001"
    assert canonical_document_number("") == ""


@pytest.mark.parametrize("written", ["杭市监罚（２０２６）1号", "x [ 1999 ] y", "〔2026〕"])
def test_canonical_form_is_its_own_canonical_form(written):
    once = canonical_document_number(written)
    assert canonical_document_number(once) == once
