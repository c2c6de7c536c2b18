"""Cells a spreadsheet would run as formulas are exported as text (CSV injection)."""

import pytest

from xinyong.core.tables import spreadsheet_safe


@pytest.mark.parametrize(
    ("cell", "exported"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-", "-"),  # a dash alone is no formula: kept as the placeholder it is
        ("杭州示例科技有限公司", "杭州示例科技有限公司"),
        ("", ""),
        (5, 5),
        (-5, -5),  # numbers are written as numbers
    ],
)
def test_cells(cell, exported):
    assert spreadsheet_safe([cell]) == [exported]
