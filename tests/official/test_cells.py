"""The independent cells read off the printed tables are the sums of the cells each line adds to, in every edition."""

import pytest
from hypothesis import given, settings

from demo import luquan_202, luquan_318
from domain.money import DisplayUnit
from domain.unit_budget import unit_budget
from official.cells import exact_grid, printed_grid, table_cells, table_shape
from official.edition import editions
from tests.support.figures import data_with_units
from tests.support.strategies import budgets

EDITIONS = sorted(editions())


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("spec", [luquan_202.BUDGET, luquan_318.BUDGET], ids=["202", "318"])
def test_the_cells_of_the_printed_tables_are_the_sums_of_the_lines_cells(edition, spec) -> None:
    data = data_with_units(spec)
    layouts = editions()[edition]
    if layouts.level == "单位":
        data = unit_budget(data, data.units[0].name)
    shape = table_shape(layouts.figure_tables)
    assert table_cells(shape, {layout.key: exact_grid(layout, data) for layout in layouts.figure_tables}) == (
        shape.sums(data.lines)
    )


@settings(max_examples=60, deadline=None)
@given(budgets())
def test_random_budgets_print_the_cells_their_lines_add_to(data) -> None:
    for key in ("hebei-2021", "shanghai-2026"):
        layouts = editions()[key].figure_tables
        shape = table_shape(layouts)
        assert table_cells(shape, {layout.key: exact_grid(layout, data) for layout in layouts}) == shape.sums(
            data.lines
        )


def test_a_budget_printed_in_yuan_reads_its_exact_cells_back() -> None:
    data = data_with_units(luquan_318.BUDGET)
    layouts = editions()["hebei-2021"].figure_tables
    shape = table_shape(layouts)
    printed = {layout.key: printed_grid(layout, data, DisplayUnit.YUAN) for layout in layouts}
    assert table_cells(shape, printed) == shape.sums(data.lines)
