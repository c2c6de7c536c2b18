"""Masking on public surfaces (DOMAIN.md §4, R5)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.masking import (
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_subject_name,
)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张某"),
        ("李小龙", "李某"),
        ("欧阳娜娜", "欧阳某"),
        ("司马光", "司马某"),
        ("欧阳", "欧某"),  # a two-character name is a surname and a given name
        ("王", "某"),
        ("", ""),
        ("  赵六 ", "赵某"),
    ],
)
def test_names_keep_the_surname(name, masked):
    assert mask_name(name) == masked


def test_the_standard_example_id_hides_the_birth_date():
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_a_first_generation_id_hides_its_birth_date_too():
    """15 digits: the birth date is positions 7–12 and three digits follow it; a fourth shown
    would be the day's last digit (DOMAIN.md §4: never the birth date)."""
    assert mask_id_number("110105491231002") == "110105******002"


@given(
    st.from_regex(
        r"\A[1-6][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9])[0-9]{3}[0-9X]\Z"
    )
)
def test_no_masked_id_shows_its_birth_date(value):
    masked = mask_id_number(value)
    assert masked[:6] == value[:6] and masked[-4:] == value[-4:]
    assert value[6:14] not in masked[6:]
    assert len(masked) == 18


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("１３８１２３４５６７８", "138****5678"),
        ("0571-87654321", "********4321"),
        ("123", "***"),
    ],
)
def test_phones(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("北京市朝阳区建国路88号", "北京市朝阳区"),
        ("浙江省杭州市西湖区文三路1号", "浙江省杭州市西湖区"),
        ("新疆维吾尔自治区乌鲁木齐市天山区解放路", "新疆维吾尔自治区乌鲁木齐市天山区"),
        ("湖北省恩施土家族苗族自治州恩施市舞阳大街", "湖北省恩施土家族苗族自治州恩施市"),
        ("浙江省嘉兴市嘉善县罗星街道", "浙江省嘉兴市嘉善县"),
        ("广东省东莞市长安镇", "广东省东莞市"),
        ("重庆市渝中区解放碑", "重庆市渝中区"),
    ],
)
def test_addresses_stop_at_the_district(address, masked):
    assert mask_address(address) == masked


def test_an_address_without_divisions_shows_nothing():
    assert mask_address("建国路88号3单元") == ""


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        # No district: the street, the estate and the shop are no division's name.
        ("杭州市文三路华星小区3幢", "杭州市"),
        ("西湖区文三路超市旁", "西湖区"),
        ("杭州市西湖区文三路社区", "杭州市西湖区"),
        # Districts whose names start with 路 or hold 市.
        ("浙江省台州市路桥区路桥大道1号", "浙江省台州市路桥区"),
        ("山东省济南市市中区经七路1号", "山东省济南市市中区"),
        ("黑龙江省大兴安岭地区漠河市北极镇", "黑龙江省大兴安岭地区漠河市"),
    ],
)
def test_an_address_keeps_no_street_as_a_division(address, masked):
    """DOMAIN.md §4: addresses to district level, never the street after a missing one."""
    assert mask_address(address) == masked


@given(st.text(alphabet="浙江省杭州市西湖区北京朝阳文三路华星小区超市100号幢 ", max_size=30))
def test_masking_an_address_again_changes_nothing(address):
    assert mask_address(mask_address(address)) == mask_address(address)


def test_organisations_are_published_by_full_name():
    assert (
        mask_subject_name("杭州某某科技有限公司", is_natural_person=False) == "杭州某某科技有限公司"
    )
    assert mask_subject_name("张三", is_natural_person=True) == "张某"
