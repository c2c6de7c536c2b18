"""What a decision states, read as the import reads a row: a revoked record's decision sent
again is the same however it is written; the right decision in its place says otherwise (R6)."""

import datetime as dt
from decimal import Decimal

import pytest

from xinyong.catalog.importers.decision_statement import folded, same_statement, statement

BODY = "杭州市市场监督管理局"
RECORDED = {
    "CF_SY": "经查，当事人销售超过保质期的食品", "CF_NR": "罚款人民币壹万元(一次性)",
    "CF_CFLB": "罚款", "CF_JDRQ": "2026-11-02", "CF_NR_FK": "1", "CF_YXQ": "2027-11-01",
    "CF_NR_WFFF": "0.5", "CF_SJLY": BODY, "BZ": "",
}  # fmt: skip


def same(sent, *, body=BODY, types_kept=True):
    return same_statement(RECORDED, BODY, sent, body, types_kept=types_kept)


def test_each_field_is_read_as_the_import_reads_it():
    assert statement(RECORDED, types_kept=False) == {
        # NFKC: full-width punctuation as ASCII.
        "CF_SY": "经查,当事人销售超过保质期的食品", "CF_NR": "罚款人民币壹万元(一次性)",
        "CF_CFLB": frozenset({"罚款"}), "CF_YXQ": dt.date(2027, 11, 1),
        "CF_NR_WFFF": Decimal("0.5"),
    }  # fmt: skip
    assert "CF_CFLB" not in statement(RECORDED, types_kept=True)


@pytest.mark.parametrize(
    "changes",
    [{"CF_SY": " 经查，当事人\u3000销售超过保质期的食品\n"},
     {"CF_NR": "罚款人民币壹万元（一次性）"},
     {"CF_YXQ": "2027/11/1"}, {"CF_YXQ": "2027年11月1日"}, {"CF_NR_WFFF": "0.50"},
     {"CF_NR_WFFF": "０.５万元"}, {"CF_JDRQ": "20261102", "CF_NR_FK": "1.0"},
     {"CF_SJLY": "浙江省公共信用信息中心", "BZ": "再次导出", "SJC": "2026-11-21 08:00",
      "CF_ZT": "1", "DFBM": "330100"},
     {"BZ": None, "CF_NR_ZKDX": "  "}, {"CF_CFLB": "罚款；警告"}],
    ids=["spaces", "full-width-brackets", "date-slashes", "date-chinese", "amount-zero",
         "amount-full-width-unit", "typed-columns-elsewhere", "bookkeeping", "empty-is-none",
         "types-kept-elsewhere"],
)  # fmt: skip
def test_the_same_decision_written_otherwise(changes):
    assert same({**RECORDED, **changes})


@pytest.mark.parametrize(
    "changes",
    [{"CF_SY": "经查，当事人销售超过保质期的食品三批次"}, {"CF_NR": "罚款人民币伍仟元"},
     {"CF_YXQ": "2027-12-01"}, {"CF_YXQ": ""}, {"CF_NR_WFFF": "0.6"},
     {"CF_NR_ZKDX": "食品经营许可证"}, {"CF_YJ": "《中华人民共和国食品安全法》第一百二十四条"}],
    ids=["facts", "content", "other-date", "date-left-out", "other-amount", "field-added",
         "basis-added"],
)  # fmt: skip
def test_the_right_decision_says_otherwise(changes):
    assert not same({**RECORDED, **changes})


def test_the_issuing_body_is_compared_spaces_aside():
    assert same(RECORDED, body=f" {BODY} ")
    assert not same(RECORDED, body="杭州市西湖区市场监督管理局")


def test_types_a_record_does_not_keep_are_compared_as_written():
    assert same({**RECORDED, "CF_CFLB": " 罚 款"}, types_kept=False)
    assert not same({**RECORDED, "CF_CFLB": "警告"}, types_kept=False)


def test_text_that_is_no_date_or_amount_is_compared_as_text():
    assert same({**RECORDED, "CF_YXQ": " 长期"}, types_kept=True) is False
    long_term = {**RECORDED, "CF_YXQ": "长期", "CF_NR_WFFF": "无"}
    assert same_statement(long_term, BODY, {**long_term, "CF_YXQ": "长 期"}, BODY, types_kept=True)
    assert folded("（一） Ａ\t") == "(一)A"


@pytest.mark.parametrize(
    ("recorded", "sent", "same_types"),
    [("警告；罚款", "罚款；警告", True), ("警告；罚款", "罚款、警告", True),
     ("警告;罚款", " 罚款 , 警告 ", True), ("警告；罚款", "罚款", False),
     ("警告；罚款", "警告；吊销许可证件", False)],
)  # fmt: skip
def test_types_a_record_keeps_no_rows_of_are_compared_as_names_in_any_order(
    recorded, sent, same_types
):
    record = {**RECORDED, "CF_CFLB": recorded}
    assert same_statement(record, BODY, {**record, "CF_CFLB": sent}, BODY,
                          types_kept=False) is same_types  # fmt: skip
