"""Free text shown beyond the officer who wrote it: numbers and known persons masked (R5, R14;
DOMAIN.md §4)."""

import pytest

from xinyong.core.free_text import mask_free_text
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
