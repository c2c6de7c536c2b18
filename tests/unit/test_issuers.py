"""A decision's issuing body as its record's identity knows it: its code when it gives one,
else its name as typed, less the differences typing makes (issue §3, DOMAIN.md §5)."""

import pytest

from tests.factories import make_uscc
from xinyong.catalog.importers.formats import LICENCES, PENALTIES, RESENT_CONTENT_IGNORED
from xinyong.core.issuers import CODE_CONTENT_KEYS, issuing_body_key, issuing_body_key_of

CODE = make_uscc(1, authority="1", org_type="1")


def test_a_code_names_the_body_however_its_name_is_written():
    assert issuing_body_key(CODE, "杭州市市场监督管理局") == CODE
    assert issuing_body_key(CODE, "杭州市市场监管局") == CODE
    assert issuing_body_key(f" {CODE.lower()} ", "") == CODE


@pytest.mark.parametrize(
    "written", ["杭州市 市场监督管理局", " 杭州市市场监督管理局\u3000", "杭州市市场監督管理局"]
)
def test_without_a_code_the_name_less_its_spacing_and_widths(written):
    key = issuing_body_key("", written)
    if "監" in written:  # another character is another name: no guessing at variants
        assert key != "杭州市市场监督管理局"
    else:
        assert key == "杭州市市场监督管理局"
    assert issuing_body_key("", "杭州市（西湖区）市场监督管理局") == "杭州市(西湖区)市场监督管理局"


@pytest.mark.parametrize("not_a_code", ["无", "-", "12345", "/", "91330106MA2XXXXX0I"])
def test_a_code_cell_that_holds_no_code_falls_back_on_the_name(not_a_code):
    assert issuing_body_key(not_a_code, "杭州市市场监督管理局") == "杭州市市场监督管理局"


def test_a_code_failing_its_check_character_still_names_its_body():
    wrong = CODE[:17] + ("0" if CODE[17] != "0" else "1")
    assert issuing_body_key(wrong, "杭州市市场监督管理局") == wrong


def test_the_codes_are_read_where_the_national_formats_keep_them():
    kept = {layout.field("issuing_body_code").content for layout in (PENALTIES, LICENCES)}
    assert kept == set(CODE_CONTENT_KEYS)
    assert issuing_body_key_of({"XK_XKJGDM": CODE}, "杭州市市场监管局") == CODE
    assert issuing_body_key_of({}, "杭州市 市场监督管理局") == "杭州市市场监督管理局"


def test_a_decision_sent_again_is_compared_on_all_but_the_senders_bookkeeping():
    """The sender's columns and the body's own (the identity's) do not tell two sendings of one
    decision apart; its state does: marked revoked or invalid, it says something new."""
    assert {"CF_SJLY", "CF_SJLYDM", "BZ", "SJC", "CF_CFJG", "CF_CFJGDM"} <= set(
        RESENT_CONTENT_IGNORED
    )
    assert not {"CF_ZT", "XK_ZT", "CF_CFLB", "CF_JDRQ", "XK_YXQZI", "CF_NR_FK"} & set(
        RESENT_CONTENT_IGNORED
    )
