"""A name changing on a measures list's row: a rename the decisions follow, or a shift they do
not (R1, R10)."""

import pytest

from xinyong.core.measure_renames import renamed, restated

A, B, C = "限制参加政府采购", "限制申请财政性资金项目", "限制担任法定代表人"


@pytest.mark.parametrize(
    ("changes", "before", "after", "renames"),
    [
        # corrected: A is gone and A′ is new
        ([(A, A + "活动")], {A, B}, {A + "活动", B}, {A: (A + "活动",)}),
        # a row inserted above: m001 A → C (new), m002 created as A: A still names a measure
        ([(A, C)], {A}, {C, A}, {}),
        # two names swapped: each old name still names a measure
        ([(A, B), (B, A)], {A, B}, {A, B}, {}),
        # a row removed above (--replace): m001 A → B, m002 B deactivated keeping B; A is gone,
        # but B was another measure's: a shift, and A's decisions are not given B
        ([(A, B)], {A, B}, {B}, {}),
        # the same, a chain: m001 A → B, m002 B → C, m003 C withdrawn
        ([(A, B), (B, C)], {A, B, C}, {B, C}, {}),
        # one name two rows had, each corrected: the decisions stated both
        ([(A, A + "活动"), (A, A + "项目")], {A}, {A + "活动", A + "项目"},
         {A: (A + "活动", A + "项目")}),
        # unchanged
        ([(A, A)], {A}, {A}, {}),
    ],
)  # fmt: skip
def test_a_rename_is_a_name_gone_for_a_name_new(changes, before, after, renames):
    assert renamed(changes, before, after) == renames


def test_a_decision_states_the_new_names_in_the_old_ones_place_once_each():
    renames = {A: (A + "活动",), B: (C,)}
    assert restated([B, A, "其他"], renames) == [C, A + "活动", "其他"]
    assert restated([A, C, B], renames) == [A + "活动", C]
    assert restated([], renames) == []
