"""Identifier rules (DOMAIN.md §4): GB 32100-2015 USCC, GB 11643-1999 citizen ID, and the three
places where python-stdnum 2.2 is wrong for us, each shown next to our answer."""

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidFormat, ValidationError

from xinyong.core import clock
from xinyong.core.identifiers import (
    AUTHORITIES,
    MESSAGES,
    USCC_ALPHABET,
    check_citizen_id,
    check_identifier,
    check_uscc,
    citizen_id_check_character,
    normalize_identifier,
    organization_code_check_character,
    uscc_check_character,
)

TODAY = dt.date(2025, 6, 1)
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# GB/T 2260 province-level codes (first two digits), as in stdnum's table.
# fmt: off
PROVINCES = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82",
]
# fmt: on


def make_uscc(authority: str, type_code: str, region: str, org8: str) -> str:
    first17 = authority + type_code + region + org8 + organization_code_check_character(org8)
    return first17 + uscc_check_character(first17)


def make_citizen_id(region: str, born: dt.date, order: str = "001") -> str:
    first17 = region + born.strftime("%Y%m%d") + order
    return first17 + citizen_id_check_character(first17)


N_CODE = make_uscc("N", "2", "110105", "50000001")  # a village collective, 村级集体经济组织
A_CODE = make_uscc("A", "1", "110000", "MA000001")
Y_CODE = make_uscc("Y", "1", "440300", "12345678")
FEB_30 = "110105" + "19490230" + "001"  # no such day
UNKNOWN_REGION_ID = "119999198001010018"  # Beijing (11), but 9999 is no district in the table


# --- the check characters, against the standards' own weights --------------------------------


def test_uscc_check_character_follows_the_gb_32100_weights():
    first17 = "91110000600037341"
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    assert uscc_check_character(first17) == USCC_ALPHABET[(31 - total % 31) % 31] == "L"


@pytest.mark.parametrize(
    ("first8", "check"), [("60003734", "1"), ("M000100Y", "4"), ("00000000", "0")]
)
def test_organization_code_check_character_follows_gb_11714(first8, check):
    assert organization_code_check_character(first8) == check


def test_organization_code_check_character_can_be_x():
    # 11 − Σ mod 11 = 10 → X: Σ = 1 (mod 11); 3·4 = 12 gives it with "4" first.
    assert organization_code_check_character("40000000") == "X"


def test_citizen_id_check_character_follows_the_gb_11643_weights():
    first17 = "11010519491231002"
    total = sum(int(c) * w for c, w in zip(first17, RIC_WEIGHTS, strict=True))
    assert citizen_id_check_character(first17) == "10X98765432"[total % 11] == "X"


@pytest.mark.parametrize(
    ("helper", "bad"),
    [
        (uscc_check_character, "9111000060003734"),  # 16 characters
        (uscc_check_character, "9111000060003734I"),  # I is not in the alphabet
        (organization_code_check_character, "6000373"),
        (organization_code_check_character, "6000373a"),
        (citizen_id_check_character, "1101051949123100X"),
        (citizen_id_check_character, "１１０１０５１９４９１２３１００２"),  # full-width digits
    ],
)
def test_helpers_refuse_malformed_input(helper, bad):
    with pytest.raises(ValueError):
        helper(bad)


# --- USCC -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "authority", "organization_type", "region"),
    [
        ("91110000600037341L", "工商(市场监管)", "企业", "北京市"),
        ("91350100M000100Y43", "工商(市场监管)", "企业", "福州市"),
        (N_CODE, "农业", "村级集体经济组织", "朝阳区"),
        (A_CODE, "中央军委改革和编制办公室", "军队事业单位", "北京市"),
        (Y_CODE, "其他", "其他", "深圳市"),
        (make_uscc("5", "3", "100000", "50000001"), "民政", "基金会", "国家级（中央）"),
        (" 9111 0000 6000 3734 1l ", "工商(市场监管)", "企业", "北京市"),
        ("９１１１００００６０００３７３４１Ｌ", "工商(市场监管)", "企业", "北京市"),
    ],
)
def test_valid_uscc(value, authority, organization_type, region):
    result = check_uscc(value)
    assert (result.kind, result.status, result.is_valid) == ("uscc", "valid", True)
    assert result.details["authority"] == authority
    assert result.details["organization_type"] == organization_type
    assert result.details["region"] == region
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("value", "status", "code"),
    [
        ("", "invalid", "empty"),
        ("9111000060003734", "invalid", "uscc-length"),
        ("91110000600037341LL", "invalid", "uscc-length"),
        ("91110000600O37341L", "invalid", "uscc-charset"),  # letter O
        ("91110000600037341Z", "invalid", "uscc-charset"),
        ("01110000600037341L", "invalid", "uscc-authority"),
        ("B1110000600037341L", "invalid", "uscc-authority"),
        ("9111A000600037341L", "invalid", "uscc-region"),
        ("91110000600037341M", "review", "uscc-check-character"),
    ],
)
def test_refused_or_flagged_uscc(value, status, code):
    result = check_uscc(value)
    assert (result.kind, result.status, result.code) == ("uscc", status, code)
    assert result.message and not result.is_valid


def test_the_message_names_the_refused_characters():
    assert "O" in check_uscc("91110000600O37341L").message
    assert "\\x00" in check_uscc("91110000600\x0037341L").message


def test_a_wrong_check_character_is_accepted_for_review_with_the_expected_one():
    result = check_uscc("91110000600037341M")
    assert result.needs_review
    assert result.details["expected_check_character"] == "L"
    assert "待核查" in result.message


def test_a_failing_organization_code_check_alone_is_accepted_for_review():
    first17 = "9111000060003734" + "2"  # the GB 11714 check of 60003734 is 1, not 2
    result = check_uscc(first17 + uscc_check_character(first17))
    assert (result.status, result.code) == ("review", "uscc-organization-code")
    assert result.details["expected_organization_check_character"] == "1"


def test_both_checks_failing_reports_the_final_one_and_warns_of_the_other():
    result = check_uscc("91110000600037342L")
    assert (result.status, result.code) == ("review", "uscc-check-character")
    assert [w.code for w in result.warnings] == ["uscc-organization-code"]


def test_unknown_organization_type_and_region_are_warnings_not_errors():
    result = check_uscc(make_uscc("9", "5", "119999", "60003734"))
    assert result.is_valid
    assert result.details["organization_type"] is None
    assert {w.code for w in result.warnings} == {
        "uscc-organization-type-unknown",
        "uscc-region-unknown",
    }


# --- citizen ID -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "birth_date", "sex", "region"),
    [
        ("11010519491231002X", "1949-12-31", "女", "朝阳区"),
        ("11010519491231002x", "1949-12-31", "女", "朝阳区"),
        ("１１０１０５　１９４９１２３１　００２Ｘ", "1949-12-31", "女", "朝阳区"),
        (make_citizen_id("440305", dt.date(1900, 1, 1), "013"), "1900-01-01", "男", "南山区"),
        (make_citizen_id("110105", TODAY), TODAY.isoformat(), "男", "朝阳区"),
    ],
)
def test_valid_citizen_id(value, birth_date, sex, region):
    result = check_citizen_id(value, today=TODAY)
    assert (result.kind, result.status) == ("citizen_id", "valid")
    assert result.details["birth_date"] == birth_date
    assert (result.details["sex"], result.details["region"]) == (sex, region)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "empty"),
        ("110105491231002", "ric-legacy-15"),
        ("1101051949123100", "ric-length"),
        ("11010519491231002Y", "ric-format"),
        ("1101051949123X002X", "ric-format"),
        ("110105194912310021", "ric-check-character"),
        (make_citizen_id("990105", dt.date(1980, 1, 1)), "ric-region"),
        (make_citizen_id("100000", dt.date(1980, 1, 1)), "ric-region"),
        (FEB_30 + citizen_id_check_character(FEB_30), "ric-birth-date"),
        (make_citizen_id("110105", dt.date(1899, 12, 31)), "ric-birth-date"),
        (make_citizen_id("110105", TODAY + dt.timedelta(days=1)), "ric-future-birth-date"),
    ],
)
def test_refused_citizen_id(value, code):
    result = check_citizen_id(value, today=TODAY)
    assert (result.status, result.code) == ("invalid", code)
    assert result.message


def test_the_business_date_comes_from_the_clock_when_not_given():
    tomorrow = make_citizen_id("110105", dt.date(2030, 1, 2))
    with clock.frozen(dt.date(2030, 1, 1)):
        assert check_citizen_id(tomorrow).code == "ric-future-birth-date"
    with clock.frozen(dt.date(2030, 1, 2)):
        assert check_citizen_id(tomorrow).is_valid


# --- python-stdnum 2.2: right where we use it, wrong in three places (DOMAIN.md §4) --------------


@pytest.mark.parametrize("code", [N_CODE, A_CODE, Y_CODE])
def test_stdnum_uscc_refuses_authorities_a_n_y_by_its_all_digit_format_gate(code):
    assert stdnum_uscc.calc_check_digit(code[:17]) == code[17]  # its arithmetic is right ...
    with pytest.raises(InvalidFormat):  # ... but it wants digits in positions 1–8
        stdnum_uscc.validate(code)
    assert check_uscc(code).is_valid


def test_stdnum_ric_raises_key_error_for_an_unknown_region_of_a_real_province():
    with pytest.raises(KeyError):
        stdnum_ric.validate(UNKNOWN_REGION_ID)
    with pytest.raises(KeyError):  # not a ValidationError, so even is_valid() blows up
        stdnum_ric.is_valid(UNKNOWN_REGION_ID)
    assert not issubclass(KeyError, ValidationError)


def test_we_answer_an_unknown_region_of_a_real_province_with_a_warning():
    result = check_citizen_id(UNKNOWN_REGION_ID, today=TODAY)
    assert result.is_valid
    assert result.details["province"] == "北京市"
    assert [w.code for w in result.warnings] == ["ric-region-unknown"]


def test_stdnum_ric_accepts_a_birth_date_in_the_future():
    unborn = make_citizen_id("110105", dt.date(2099, 1, 1))
    assert stdnum_ric.validate(unborn) == unborn
    assert check_citizen_id(unborn, today=TODAY).code == "ric-future-birth-date"


# --- choosing the kind ------------------------------------------------------------------------


def test_check_identifier_decides_the_kind_by_shape():
    assert check_identifier("91110000600037341L").kind == "uscc"
    assert check_identifier("11010519491231002X", today=TODAY).kind == "citizen_id"
    assert check_identifier("110105491231002").code == "ric-legacy-15"
    assert check_identifier("12345").code == "unknown-format"
    assert check_identifier("   ").code == "empty"


def test_an_all_digit_value_is_read_the_way_it_is_valid():
    # An all-digit USCC is also citizen-ID-shaped; find one whose check characters are digits.
    all_digit = next(
        code
        for n in range(10_000_000, 10_001_000)
        if (code := make_uscc("9", "1", "110000", str(n))).isdigit()
    )
    assert not check_citizen_id(all_digit, today=TODAY).is_valid
    assert check_identifier(all_digit, today=TODAY).kind == "uscc"


# --- properties -------------------------------------------------------------------------------

usccs = st.builds(
    make_uscc,
    authority=st.sampled_from(sorted(AUTHORITIES)),
    type_code=st.sampled_from(USCC_ALPHABET),
    region=st.text("0123456789", min_size=6, max_size=6),
    org8=st.text(USCC_ALPHABET, min_size=8, max_size=8),
)
citizen_ids = st.builds(
    make_citizen_id,
    region=st.builds(
        str.__add__, st.sampled_from(PROVINCES), st.text("0123456789", min_size=4, max_size=4)
    ),
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    order=st.text("0123456789", min_size=3, max_size=3),
)


@given(usccs)
def test_a_generated_uscc_always_validates(code):
    result = check_uscc(code)
    assert result.is_valid, result
    assert check_identifier(code, today=TODAY).is_valid
    if code[:2].isdigit():  # where stdnum's format gate lets it through, it agrees with us
        assert stdnum_uscc.is_valid(code)


@given(citizen_ids)
def test_a_generated_citizen_id_always_validates(number):
    assert check_citizen_id(number, today=TODAY).is_valid
    assert check_identifier(number, today=TODAY).is_valid


def test_no_single_substitution_keeps_either_check_character():
    """Why the next properties hold: each weight is a unit modulo a prime.

    A substitution changes one term of Σ by w·δ with δ a nonzero difference of character values,
    |δ| < 31 (USCC, mod 31) or |δ| < 10 (citizen ID, mod 11); since 31 and 11 are prime and no
    weight is a multiple of them, w·δ is never 0 modulo the prime, so the check character changes.
    """
    assert all((w * d) % 31 for w in USCC_WEIGHTS for d in range(1, 31))
    assert all((w * d) % 11 for w in RIC_WEIGHTS for d in range(1, 10))


@pytest.mark.parametrize("code", ["91110000600037341L", N_CODE, A_CODE])
def test_every_single_substitution_of_a_uscc_is_caught(code):
    for i in range(18):
        for c in USCC_ALPHABET.replace(code[i], ""):
            assert not check_uscc(code[:i] + c + code[i + 1 :]).is_valid


def test_every_single_substitution_of_a_citizen_id_is_caught():
    number = "11010519491231002X"
    for i in range(18):
        for c in "0123456789X".replace(number[i], ""):
            assert not check_citizen_id(number[:i] + c + number[i + 1 :], today=TODAY).is_valid


@given(usccs, st.integers(0, 17), st.characters())
def test_changing_one_character_of_a_uscc_never_yields_valid(code, i, c):
    changed = code[:i] + c + code[i + 1 :]
    assume(normalize_identifier(changed) != code)  # "ｎ" or "n" for "N" is the same code
    assert not check_uscc(changed).is_valid


@given(citizen_ids, st.integers(0, 17), st.characters())
def test_changing_one_character_of_a_citizen_id_never_yields_valid(number, i, c):
    changed = number[:i] + c + number[i + 1 :]
    assume(normalize_identifier(changed) != number)
    assert not check_citizen_id(changed, today=TODAY).is_valid


def assert_well_formed(result):
    assert result.status in {"valid", "review", "invalid"}
    assert result.kind in {"uscc", "citizen_id", "unknown"}
    assert result.code in MESSAGES and result.message
    assert result.is_valid == (result.status == "valid")
    assert all(w.code in MESSAGES and w.message for w in result.warnings)


@given(st.text())
def test_no_string_makes_a_check_raise(value):
    for result in (
        check_identifier(value, today=TODAY),
        check_uscc(value),
        check_citizen_id(value, today=TODAY),
    ):
        assert_well_formed(result)


edits = st.lists(
    st.tuples(st.sampled_from(["insert", "delete", "replace"]), st.integers(0, 19), st.text()),
    min_size=1,
    max_size=3,
)


@given(st.one_of(usccs, citizen_ids), edits)
def test_near_valid_values_never_make_a_check_raise(value, changes):
    for action, i, text in changes:
        keep = i + 1 if action == "insert" else i
        skip = i if action == "insert" else i + 1
        value = value[:keep] + ("" if action == "delete" else text) + value[skip:]
    assert_well_formed(check_identifier(value, today=TODAY))
    assert_well_formed(check_uscc(value))
    assert_well_formed(check_citizen_id(value, today=TODAY))


@pytest.mark.parametrize(
    ("prefix", "place"), [("810000", "香港"), ("820000", "澳门"), ("830000", "台湾")]
)
def test_residence_permits_of_hong_kong_macao_and_taiwan_residents_are_valid(prefix, place):
    """Their numbers carry 81/82/83 0000 where a region stands (国办发〔2018〕81号)."""
    first17 = f"{prefix}19900101001"
    result = check_citizen_id(
        first17 + citizen_id_check_character(first17), today=dt.date(2026, 1, 1)
    )
    assert result.is_valid
    assert place in result.details["province"]
    assert result.warnings == ()


def _failing_check(first16: str) -> str:
    """An all-digit code whose organisation number is right and whose check character is not."""
    from xinyong.core.identifiers import organization_code_check_character, uscc_check_character

    first17 = first16 + organization_code_check_character(first16[8:])
    right = uscc_check_character(first17)
    return first17 + ("0" if right != "0" else "1")


def test_a_code_no_person_holds_failing_both_checks_is_a_code_for_review():
    """91 (市场监管, 企业) is no province: a county ending in 18–20 (延庆区 110119) puts a date in
    positions 7–14, yet no person's ID starts so (DOMAIN §4: flag, never drop)."""
    from xinyong.core.identifiers import check_identifier

    today = dt.date(2026, 11, 23)
    checked = check_identifier(_failing_check("9111011980010124"), today=today)
    assert checked.kind == "uscc" and checked.code == "uscc-check-character"
    assert checked.needs_review
    # 11 is 北京 as well as 机构编制·机关: a person could hold it, mistyped (R14).
    checked = check_identifier(_failing_check("1111011980010124"), today=today)
    assert (checked.kind, checked.code) == ("citizen_id", "ric-check-character")
    # 81 is Hong Kong's residence permit as well as 工会: a person's.
    assert check_identifier(_failing_check("8111011980010124"), today=today).kind == "citizen_id"
