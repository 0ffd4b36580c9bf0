"""A TablePrinter prints what print_table prints, deriving each table of each budget once."""

from dataclasses import replace
from decimal import Decimal

from demo import luquan_202
from domain.money import DisplayUnit
from official.edition import edition
from official.render import PrintedTable, TablePrinter, print_table
from tests.support.figures import data_with_units

LAYOUTS = edition("hebei-2021").for_year(2021)


def texts(printed: PrintedTable) -> list[list[str]]:
    return [row.texts for row in printed.rows]


def test_a_printer_prints_every_table_as_print_table_does_in_both_units() -> None:
    data = data_with_units(luquan_202.BUDGET)
    printer = TablePrinter()
    for layout in LAYOUTS.tables:
        for unit in DisplayUnit:
            assert texts(printer(layout, data, unit)) == texts(print_table(layout, data, unit)), (layout.key, unit)


def test_a_table_printed_again_is_derived_once_per_unit() -> None:
    data = data_with_units(luquan_202.BUDGET)
    derived = []
    summary = LAYOUTS.by_key["summary"]

    def rows(budget):
        derived.append(budget)
        return summary.rows(budget)

    counting = replace(summary, rows=rows)
    printer = TablePrinter()

    first = printer(counting, data)
    assert printer(counting, data) is first
    in_yuan = printer(counting, data, DisplayUnit.YUAN)

    assert in_yuan is not first
    assert texts(in_yuan) == texts(print_table(summary, data, DisplayUnit.YUAN))
    assert len(derived) == 1  # the rows, once, for both units


def test_another_budget_is_printed_anew_even_when_it_looks_alike() -> None:
    data = data_with_units(luquan_202.BUDGET)
    raised = replace(
        data, lines=(replace(data.lines[0], amount=data.lines[0].amount + Decimal("10000")), *data.lines[1:])
    )
    printer = TablePrinter()
    summary = LAYOUTS.by_key["summary"]

    before, after = printer(summary, data), printer(summary, raised)

    assert texts(before) == texts(print_table(summary, data))
    assert texts(after) == texts(print_table(summary, raised))
    assert texts(after) != texts(before)
