"""Round trip on random budgets, without a database: print → workbook → read → rebuild → print again."""

import io
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings

from domain.ledger import BudgetData, Line
from domain.money import DisplayUnit
from domain.reconstruct import reconstruct
from importing.marginals import workbook_marginals
from official.render import print_table
from official.workbook import write_workbook
from official.xlsx_reader import read_workbook
from tests.support.hebei_2021 import OFFICIAL_TABLES
from tests.support.strategies import budgets

NINE = [layout for layout in OFFICIAL_TABLES if layout.number is not None]


def printed(data: BudgetData, unit: DisplayUnit) -> dict[str, list[list[str]]]:
    return {layout.key: [row.texts for row in print_table(layout, data, unit).rows] for layout in NINE}


def round_trip(data: BudgetData, unit: DisplayUnit) -> BudgetData:
    buffer = io.BytesIO()
    write_workbook(buffer, data, unit)
    book = read_workbook(buffer.getvalue())
    assert book.problems == []
    rebuilt = reconstruct(workbook_marginals(book))
    lines = tuple(Line(d.function, d.economic, d.kind, d.source, d.amount, d.carried_over) for d in rebuilt)
    return replace(data, lines=lines)


@settings(max_examples=40, deadline=None, database=None)
@given(budgets(max_lines=20))
def test_any_budget_survives_the_trip_in_yuan(data: BudgetData) -> None:
    rebuilt = round_trip(data, DisplayUnit.YUAN)
    assert printed(rebuilt, DisplayUnit.YUAN) == printed(data, DisplayUnit.YUAN)
    assert printed(rebuilt, DisplayUnit.WAN) == printed(data, DisplayUnit.WAN)


def _in_whole_hundreds(data: BudgetData) -> BudgetData:
    lines = tuple(replace(line, amount=(line.amount / 100).quantize(Decimal(1)) * 100) for line in data.lines)
    return replace(data, lines=lines)


@settings(max_examples=40, deadline=None, database=None)
@given(budgets(max_lines=20).map(_in_whole_hundreds))
def test_any_budget_in_whole_wan_cents_survives_the_trip_in_wan(data: BudgetData) -> None:
    rebuilt = round_trip(data, DisplayUnit.WAN)
    assert printed(rebuilt, DisplayUnit.WAN) == printed(data, DisplayUnit.WAN)
