"""Finding a table's header under title rows, and reading a header drawn on two rows."""

import pytest

from xinyong.core.table_header import TITLE_ROWS_MAX, find_header, under_groups

NAMES = {"序号", "类型", "性质", "名单类别"}


def names(text):
    return text.strip() in NAMES


def reads_as_header(cells):
    return sum(names(cell) for cell in cells) >= 2


def found(rows):
    record, consumed = find_header(iter(rows), reads_as_header, cells=lambda row: row)
    return record, consumed


def test_title_rows_and_blank_ones_above_the_header_are_skipped():
    rows = [["某市措施清单"], [], ["制表：发展改革委"], ["序号", "类型"], ["1", "惩戒"]]
    assert found(rows) == (["序号", "类型"], 4)


def test_past_the_title_rows_allowed_the_first_filled_row_is_the_header():
    rows = [[f"说明{n}"] for n in range(TITLE_ROWS_MAX + 1)] + [["序号", "类型"]]
    assert found(rows) == (["说明0"], TITLE_ROWS_MAX + 1)


def test_a_file_with_nothing_in_it_has_no_header():
    assert found([[], ["", " "]]) == (None, 2)


@pytest.mark.parametrize(
    ("upper", "lower", "header"),
    [  # a CSV export: the group in its first column, blanks after it
        (["序号", "措施属性", "", "名单类别"], ["", "类型", "性质", ""],
         ["序号", "类型", "性质", "名单类别"]),
        # a workbook: the group read into every cell it covers, the others merged down
        (["序号", "措施属性", "措施属性", "名单类别"], ["序号", "类型", "性质", "名单类别"],
         ["序号", "类型", "性质", "名单类别"]),
        # a lower row shorter than the upper
        (["序号", "措施属性", ""], ["", "类型", "性质"], ["序号", "类型", "性质"]),
    ],
)  # fmt: skip
def test_a_second_header_row_names_the_columns_under_its_groups(upper, lower, header):
    assert under_groups(upper, lower, names) == header


@pytest.mark.parametrize(
    "lower",
    [["1", "惩戒", "强制性", "黑名单"], ["", "类型", "强制性", ""], ["", "", "", ""],
     ["序号", "措施属性", "", "名单类别"]],
)  # fmt: skip
def test_a_row_of_data_blanks_or_repeats_is_no_second_header_row(lower):
    assert under_groups(["序号", "措施属性", "", "名单类别"], lower, names) is None
