"""Header grids of the official layouts: merged cells, 栏次 numbers, and an exact tiling."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from official.layout import Column, ColumnKind, Group, HeaderCell, TableLayout, money
from tests.support.hebei_2021 import (
    EXPENDITURE,
    FISCAL_SUMMARY,
    INCOME,
    OFFICIAL_TABLES,
    SUMMARY,
    TABLES_BY_KEY,
    THREE_PUBLIC,
    UNITS,
)


def spans(layout: TableLayout) -> list[tuple[str, int, int, int, int]]:
    return [(cell.text, cell.row, cell.col, cell.rowspan, cell.colspan) for cell in layout.header_cells]


def assert_tiles(layout: TableLayout) -> None:
    """Every header cell lies inside the grid, and every grid position is covered exactly once."""
    covered: dict[tuple[int, int], HeaderCell] = {}
    for cell in layout.header_cells:
        assert cell.rowspan >= 1
        assert cell.colspan >= 1
        for row in range(cell.row, cell.row + cell.rowspan):
            for col in range(cell.col, cell.col + cell.colspan):
                assert 0 <= row < layout.header_depth, cell
                assert 0 <= col < layout.width, cell
                assert (row, col) not in covered, (cell, covered.get((row, col)))
                covered[row, col] = cell
    assert len(covered) == layout.header_depth * layout.width


def test_income_header_grid() -> None:
    assert INCOME.header_depth == 2
    assert INCOME.width == 13
    assert spans(INCOME) == [
        ("序号", 0, 0, 2, 1),
        ("功能分类科目", 0, 1, 1, 2),
        ("合计", 0, 3, 2, 1),
        ("本年收入", 0, 4, 1, 8),
        ("上年结转", 0, 12, 2, 1),
        ("科目编码", 1, 1, 1, 1),
        ("科目名称", 1, 2, 1, 1),
        ("小计", 1, 4, 1, 1),
        ("财政拨款收入", 1, 5, 1, 1),
        ("财政专户收入", 1, 6, 1, 1),
        ("事业收入", 1, 7, 1, 1),
        ("经营收入", 1, 8, 1, 1),
        ("上级补助收入", 1, 9, 1, 1),
        ("附属单位上缴收入", 1, 10, 1, 1),
        ("其他收入", 1, 11, 1, 1),
    ]
    assert INCOME.column_numbers == ["栏次", *(str(n) for n in range(1, 13))]
    assert [column.key for column in INCOME.columns] == [
        "code",
        "name",
        "total",
        "subtotal",
        "fiscal",
        "special",
        "business",
        "operating",
        "superior",
        "affiliate",
        "other",
        "carried",
    ]
    assert [len(row) for row in INCOME.header_rows] == [5, 10]


def test_expenditure_header_has_two_rows_because_of_the_code_group() -> None:
    assert EXPENDITURE.header_depth == 2
    assert spans(EXPENDITURE)[:3] == [("序号", 0, 0, 2, 1), ("功能分类科目", 0, 1, 1, 2), ("合计", 0, 3, 2, 1)]
    assert EXPENDITURE.column_numbers[-1] == "8"


def test_summary_header() -> None:
    assert spans(SUMMARY) == [
        ("序号", 0, 0, 2, 1),
        ("收入", 0, 1, 1, 2),
        ("支出", 0, 3, 1, 2),
        ("项目", 1, 1, 1, 1),
        ("预算数", 1, 2, 1, 1),
        ("项目", 1, 3, 1, 1),
        ("预算数", 1, 4, 1, 1),
    ]
    assert SUMMARY.column_numbers == ["栏次", "1", "2", "3", "4"]


def test_fiscal_summary_and_three_public_headers() -> None:
    assert ("支出", 0, 3, 1, 5) in spans(FISCAL_SUMMARY)
    assert FISCAL_SUMMARY.column_numbers[-1] == "7"
    assert spans(THREE_PUBLIC)[:3] == [("序号", 0, 0, 2, 1), ("项目", 0, 1, 2, 1), ("资金性质", 0, 2, 1, 4)]


def test_units_table_is_not_numbered() -> None:
    assert UNITS.width == 4
    assert UNITS.header_depth == 1
    assert not any(cell.text == "序号" for cell in UNITS.header_cells)
    assert not any(column.is_money for column in UNITS.columns)


def test_the_nine_numbered_tables_and_unique_keys() -> None:
    assert [layout.number for layout in OFFICIAL_TABLES] == [*range(1, 10), None, None, None]
    assert len(TABLES_BY_KEY) == len(OFFICIAL_TABLES)


@pytest.mark.parametrize("layout", OFFICIAL_TABLES, ids=lambda layout: layout.key)
def test_header_cells_tile_the_grid(layout: TableLayout) -> None:
    assert_tiles(layout)
    assert len(layout.column_numbers) == len(layout.columns) + 1
    # the leaf cells, left to right, are the columns in order
    leaves = sorted(
        (cell for cell in layout.header_cells if cell.row + cell.rowspan == layout.header_depth), key=lambda c: c.col
    )
    offset = 1 if layout.numbered else 0
    assert [cell.text for cell in leaves[offset:]] == [column.title for column in layout.columns]
    assert sum(len(row) for row in layout.header_rows) == len(layout.header_cells)


@st.composite
def header_nodes(draw: st.DrawFn, depth: int = 3) -> Column | Group:
    if depth == 1 or draw(st.booleans()):
        return money(f"c{draw(st.integers(0, 10**6))}", "列")
    children = draw(st.lists(header_nodes(depth=depth - 1), min_size=1, max_size=3))
    return Group("组", tuple(children))


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(header_nodes(), min_size=1, max_size=4), st.booleans())
def test_any_header_tree_tiles_the_grid(header: list, numbered: bool) -> None:
    layout = TableLayout("random", None, "随机", tuple(header), rows=lambda data: [], numbered=numbered)
    assert_tiles(layout)
    assert all(column.kind is ColumnKind.MONEY for column in layout.columns)
