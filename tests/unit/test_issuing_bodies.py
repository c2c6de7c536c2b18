"""Whether two rows name the same issuing body: by a valid code where both give one, else by the
name folded as the name checks fold it; a placeholder identifies nobody (R9, issue 5 §3)."""

import pytest

from xinyong.core.issuing_bodies import body_code, folded_body_name, same_issuing_body

REGULATOR = "杭州市市场监督管理局"
CODE = "11330100MB1234562Y"  # both check characters right (GB 32100-2015, GB 11714)
OTHER_CODE = "11330106MB76543225"
# The last check character right, the organisation code's inside it (position 17) wrong.
INNER_CHECK_WRONG = "11330100MB1234567E"


@pytest.mark.parametrize(
    ("written", "code"),
    [(CODE, CODE), (" 11330100mb1234562y ", CODE), ("１１３３０１００ＭＢ１２３４５６２Ｙ", CODE),
     ("无", ""), ("-", ""), ("", ""), (None, ""), ("12345678-9", ""),
     ("11330100MB123456", ""), ("11330100MB1234562I", ""), ("11330100MB1234562X", ""),
     (INNER_CHECK_WRONG, ""), ("0" * 18, ""), ("1" * 18, ""), ("A" * 18, "")],
    ids=["code", "spaces-lower-case", "full-width", "none-chinese", "dash", "empty", "null",
         "organisation-code", "short", "letter-not-in-the-alphabet", "check-character-wrong",
         "organisation-code-check-character-wrong", "all-zeros", "all-ones", "all-one-letter"],
)  # fmt: skip
def test_a_code_is_a_valid_code_only(written, code):
    """Only a valid code identifies a body: its check character right, the organisation code's
    inside it too (positions 9–17, GB 11714), not one character over and over
    (000000000000000000 passes both checks, and names nobody)."""
    assert body_code(written) == code


@pytest.mark.parametrize(
    ("name", "code", "other_name", "other_code", "same"),
    [
        (REGULATOR, CODE, REGULATOR, CODE, True),
        (REGULATOR, CODE, "杭州市市场监管部门", CODE, True),  # the code names the body
        (REGULATOR, CODE, REGULATOR, OTHER_CODE, False),  # two codes, two bodies
        (REGULATOR, CODE, REGULATOR, "", True),  # one code only: by the name
        (REGULATOR, "无", "杭州市 市场监督管理局", "无", True),
        (REGULATOR, None, "杭州市市場監督管理局", None, True),  # traditional characters
        (REGULATOR, None, "杭州市公共信用信息中心", None, False),
        # Read as 杭州市 and 场监督管理局: the folding does not guess, and a decision not told
        # to be the same is stored twice, as before, never lost.
        (REGULATOR, None, "杭州市场监督管理局", None, False),
        (REGULATOR, "无", "杭州市生态环境局", "无", False),  # 无 is no code both share
        (REGULATOR, None, "杭州市西湖区市场监督管理局", None, False),  # the district's bureau
        (REGULATOR, None, "浙江省市场监督管理局", None, False),  # the province's
        ("", None, "", None, False),  # nothing known of either
    ],
)
def test_the_same_body(name, code, other_name, other_code, same):
    assert same_issuing_body(name, code, other_name, other_code) is same
    assert same_issuing_body(other_name, other_code, name, code) is same


@pytest.mark.parametrize(
    "name", ["无", "不详", "暂无", "空", "/", "-", "N/A", "n/a", "NULL", "未知", "（空）", " 无 "]
)
def test_a_placeholder_name_is_no_name(name):
    assert folded_body_name(name) == ""
    assert same_issuing_body(name, None, name, None) is False
    assert same_issuing_body(name, "无", name, "0" * 18) is False


@pytest.mark.parametrize("code", ["0" * 18, "1" * 18, "11330100MB1234562X", INNER_CHECK_WRONG])
def test_a_code_that_identifies_nobody_leaves_the_names(code):
    assert same_issuing_body(REGULATOR, code, "杭州市生态环境局", code) is False
    assert same_issuing_body(REGULATOR, code, REGULATOR, code) is True
