"""Free text shown beyond the officer who wrote it: numbers and known persons masked (R5, R14;
DOMAIN.md §4)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.free_text import mask_citizen_ids_however_written, mask_free_text
from xinyong.core.masking import split_name


@pytest.mark.parametrize(
    ("name", "parts"),
    [("王慧薇", ("王", "慧薇")), ("欧阳娜娜", ("欧阳", "娜娜")), ("张伟", ("张", "伟")),
     ("欧阳", ("欧", "阳")), ("王", ("", "王")), (" 李小明 ", ("李", "小明"))],
)  # fmt: skip
def test_a_name_splits_into_surname_and_given_name(name, parts):
    assert split_name(name) == parts


@pytest.mark.parametrize(
    ("names", "text", "masked"),
    [
        # A given name of two characters written alone is masked, with or without a title.
        (["王慧薇"], "慧薇女士称，王慧薇与慧薇同住。", "某女士称，王某与某同住。"),
        (["王慧薇"], "当事人慧 薇拒不履行。", "当事人某拒不履行。"),
        (["欧阳娜娜"], "娜娜女士即欧阳娜娜。", "某女士即欧阳某。"),
        # The same given name after another surname is another person, masked as one.
        (["王慧薇"], "同案人李慧薇。", "同案人李某。"),
        # A one-character given name alone is left: it is part of too many words.
        (["张伟"], "张伟的行为伟大，说明张 伟知情。", "张某的行为伟大，说明张某知情。"),
        # Divisions and the country's name in a law's title are kept as written ...
        (["王朝阳"], "朝阳住朝阳区。", "某住朝阳区。"),
        (["李中华"], "依据《中华人民共和国食品安全法》，中华不服。",
         "依据《中华人民共和国食品安全法》，某不服。"),
        # ... but not where the kept word is the name itself (永康 is 永康市 for short).
        (["李永康"], "永康住永康市。", "某住永康市。"),
        # A transcribed name is masked whole, never split into a surname and a given name.
        (["阿依古丽·买买提"], "阿依古丽·买买提、依古丽", "阿某、依古丽"),
        # Numbers are masked whoever they belong to.
        ([], "另一人身份证号码11010519491231002X，手机13812345678。",
         "另一人身份证号码110105********002X，手机138****5678。"),
    ],
)  # fmt: skip
def test_free_text_masks_numbers_names_and_given_names_alone(names, text, masked):
    assert mask_free_text(text, names) == masked


def test_an_organisations_own_name_is_kept_where_it_holds_a_given_name():
    """A trade name is often the founder's given name; the organisation is published in full."""
    text = "杭州光明建材有限公司法定代表人李光明，光明称不知情。"
    kept = mask_free_text(text, ["李光明"], keep=["杭州光明建材有限公司"])
    assert kept == "杭州光明建材有限公司法定代表人李某，某称不知情。"


# The text of a natural person's penalty that was published as written: the detailed address
# and both mobiles, one parted 3-8 and one 3-4-4 with a year-like middle after a phone word.
LEAKED = (
    "经查，当事人张2（住杭州市西湖区文三路100号3幢201室，手机138-12345678，"
    "另留186-2026-1234）销售超过保质期的食品"
)


def test_the_published_facts_show_no_address_past_the_district_and_no_mobile():
    assert mask_free_text(LEAKED, ["张2"]) == (
        "经查，当事人张某（住杭州市西湖区，手机138****5678，另留186****1234）销售超过保质期的食品"
    )


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # 3-8 and 3-4-4, parted by a hyphen or a space, masked like a run of 11 digits.
        ("联系人138-12345678", "联系人138****5678"),
        ("号码138 12345678。", "号码138****5678。"),
        ("见138-1234-5678", "见138****5678"),
        ("见138 1234 5678", "见138****5678"),
        ("见１３８－１２３４－５６７８", "见138****5678"),
        # A year after the first group is masked where a phone word stands before it.
        ("手机186-2026-1234", "手机186****1234"),
        ("联系电话：135 2026 0001", "联系电话：135****0001"),
        ("电话号码为 135-20260001", "电话号码为 135****0001"),
        ("联系方式（微信同号）：186-2026-1234", "联系方式（微信同号）：186****1234"),
        ("Tel: 186-2026-1234", "Tel: 186****1234"),
        ("TEL186 2026 1234", "TEL186****1234"),
        ("手机号186-1990-1234", "手机号186****1234"),
        ("电话13812345678、186-2026-1234", "电话138****5678、186****1234"),
        ("+86 135-2026-0001", "135****0001"),  # +86 says it is a phone
    ],
)  # fmt: skip
def test_mobiles_written_in_groups_are_masked(text, masked):
    assert mask_free_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "合同编号2026-1234-5678",  # no mobile's shape
        "合同编号135-2026-0001",  # a year in the middle and no phone word: a contract number
        "案号186-20261234已结",
        "电话已停机。合同135-2026-0001",  # the phone word is another sentence's
        "罚款人民币13800元，没收违法所得1234-5678元",  # amounts
        "罚款13812345元",
        "批次202611020000123",
        "座机0571-12345678",
    ],
)
def test_numbers_that_are_no_mobile_stay(text):
    assert mask_free_text(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("身份证号11010519491231002X", "身份证号110105********002X"),
        ("手机11010519491231002X", "手机110105********002X"),
        ("电话330106 19870520 0018", "电话330106********0018"),
        ("联系电话：110105194912310021", "联系电话：110105********0021"),
    ],
)
def test_an_id_stays_masked_as_an_id_and_never_as_a_phone(text, masked):
    assert mask_free_text(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("（住杭州市西湖区文三路100号3幢201室）", "（住杭州市西湖区）"),
        ("住址：浙江省杭州市西湖区文三路100号，", "住址：浙江省杭州市西湖区，"),
        ("住所: 北京市朝阳区建国路88号。", "住所: 北京市朝阳区。"),
        ("地址为上海市浦东新区世纪大道100号；", "地址为上海市浦东新区；"),
        ("家住杭州市余杭区良渚街道1号、", "家住杭州市余杭区、"),
        ("现住杭州市拱墅区湖墅南路1号】", "现住杭州市拱墅区】"),
        ("户籍地浙江省嘉兴市嘉善县罗星街道8号)", "户籍地浙江省嘉兴市嘉善县)"),
        ("居住地：杭州市滨江区江南大道1号\n次行", "居住地：杭州市滨江区\n次行"),
        ("张某住杭州市西湖区文三路1号", "张某住杭州市西湖区"),
        ("王五住杭州市西湖区文三路1号", "王五住杭州市西湖区"),  # a name no one told us
        ("居住在杭州市余杭区良渚街道1号", "居住在杭州市余杭区"),
        # A bracket inside the address belongs to it; the address ends at the next one.
        ("（住西湖区文三路100号（华星大厦）3幢）", "（住西湖区）"),
        # An address with no division keeps nothing of it.
        ("，住文三路100号3幢，", "，住，"),
        ("住址：见附件", "住址："),
    ],
)
def test_an_address_after_an_address_word_is_cut_to_the_district(text, masked):
    assert mask_free_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "在杭州市西湖区文三路100号销售",  # a place no address word introduces: the facts'
        "当事人在其经营场所内销售过期食品",  # 经营场所: the business's, and a noun here
        "经营场所：杭州市西湖区文三路100号",
        "当事人在其住所内非法储存烟花爆竹",  # 住所 as a noun: what follows is no address
        "杭州市住房和城乡建设局",
        "住宿登记未如实填写",
        "住院期间",
        "挡住了文三路100号门口",  # 住 inside a word, no division after it
        "同住人身份证号码110105********002X",
        "慧薇同住。",
        "经营地址与法定代表人一致",
    ],
)
def test_words_that_introduce_no_address_are_kept(text):
    assert mask_free_text(text) == text


# Text made of what the masks look at: address and phone words, divisions, streets, digits,
# separators and the clauses' ends.
_PIECES = st.sampled_from([
    "住", "住址：", "地址为", "家住", "户籍地", "住所", "经营场所", "同住人", "挡住了",
    "杭州市", "西湖区", "浙江省", "北京市", "朝阳区", "文三路", "100号", "3幢", "小区", "超市",
    "手机", "电话：", "另留", "联系", "Tel", "+86", "合同", "身份证号", "张某", "张三",
    "138", "186", "2026", "1234", "5678", "12345678", "13812345678", "11010519491231002X",
    "330106 19870520 0018", "-", " ", "（", "）", "(", ")", "，", "。", "；", "、", "】", "\n",
    "１３８", "－", "：", "在", "销售",
])  # fmt: skip


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_masking_masked_text_changes_nothing_and_never_lengthens_it(text):
    once = mask_free_text(text, ["张三"])
    assert mask_free_text(once, ["张三"]) == once
    assert len(once) <= len(text)


@pytest.mark.parametrize(
    ("text", "masked"),
    [("11010519491231002X11010519491231002X", "110105**************************002X"),
     ("某某公司110105-19491231-002X", "某某公司110105********002X"),
     ("某某公司１１０１０５１９４９１２３１００２Ｘ", "某某公司110105********002X"),
     ("某某公司91330106MA27XBEF0R", "某某公司91330106MA27XBEF0R"),
     ("第12345678901234567890号", "第12345678901234567890号"),
     ("手机13812345678", "手机13812345678")],
)  # fmt: skip
def test_ids_however_written_are_masked_and_nothing_else(text, masked):
    """R14: two IDs back to back and one in groups lose their birth date; a full-width one is
    masked as ``mask_citizen_ids`` masks it (in ASCII); a code, a long number with no ID in it
    and a phone number are kept."""
    assert mask_citizen_ids_however_written(text) == masked
