"""A layout applied to one budget: the values of every printed cell, in the unit asked for."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from domain.ledger import BudgetData
from domain.money import CENT, DisplayUnit, in_unit
from domain.tables import Row
from official.layout import Column, ColumnKind, TableLayout


class PrintedCell(NamedTuple):  # a tuple: a preview prints tens of thousands of them, a dataclass is twice as slow
    column: Column
    # money in the display unit (in 元 for an always-yuan column), a quantity as a number (None where
    # printed empty), text as text
    value: Decimal | str | None
    text: str  # exactly what the official table prints

    @property
    def number(self) -> Decimal | None:
        """The value of a money or number column: the value, typed as what those columns hold."""
        return self.value if isinstance(self.value, Decimal) else None


@dataclass(frozen=True)
class PrintedRow:
    serial: int | None
    cells: list[PrintedCell]
    level: int
    emphasis: bool
    code: str

    @property
    def is_total(self) -> bool:
        """合计 of a table of codes: what an edition may print merged across the code and name columns."""
        return self.emphasis and not self.code

    @property
    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]

    @property
    def label(self) -> str:
        """The row as a reader names it: its code and text cells (2013101 行政运行; 合计), what a comment at the
        row is attached to."""
        texts = (cell.text for cell in self.cells if not (cell.column.is_money or cell.column.is_number))
        return " ".join(text for text in texts if text)[:300]

    @property
    def values(self) -> list[Decimal | str | None]:
        return [cell.value for cell in self.cells]


@dataclass(frozen=True)
class PrintedTable:
    layout: TableLayout
    department_line: str
    year: int
    unit: DisplayUnit
    rows: list[PrintedRow]
    meta_text: str = ""  # the layout's own meta text (layout.meta), if it has one

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def note(self) -> str:
        return self.layout.empty_note if self.is_empty else ""

    @property
    def unit_line(self) -> str:
        """单位：万元, for tables that print amounts in the display unit."""
        return self.layout.heading.unit.format(unit=self.unit.value) if self.layout.has_amounts else ""

    @property
    def meta_line(self) -> str:
        """The right-hand text above the header: the layout's own (截止时间：…), else the unit line."""
        return self.meta_text if self.layout.meta is not None else self.unit_line

    @property
    def year_line(self) -> str:
        return self.layout.heading.year.format(year=self.year)


def _column_unit(column: Column, unit: DisplayUnit) -> DisplayUnit:
    return DisplayUnit.YUAN if column.always_yuan else unit


def _quantity(raw: object) -> Decimal | None:
    """A quantity to two decimals; None (printed empty) for zero or no value."""
    if not isinstance(raw, Decimal):
        return None
    value = raw.quantize(CENT, rounding=ROUND_HALF_UP)
    return value if value != 0 else None


def format_quantity(value: Decimal | None) -> str:
    """Up to two decimals, trailing zeros trimmed: 3, 1.5, 0.25; empty for zero."""
    quantity = _quantity(value)
    if quantity is None:
        return ""
    text = f"{quantity:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell(column: Column, kind: ColumnKind, unit: DisplayUnit, raw: object) -> PrintedCell:
    """The printed value and text of one cell; money is converted once (in_unit) for both and printed as
    format_amount prints it (two decimals, empty for zero): a large department's page prints 14,000 cells."""
    if kind is ColumnKind.MONEY:
        if not raw or not isinstance(raw, Decimal):  # most cells of a table are empty
            return PrintedCell(column, None, "")
        value = in_unit(raw, unit)
        return PrintedCell(column, value, f"{value:.2f}") if value != 0 else PrintedCell(column, None, "")
    if kind is ColumnKind.NUMBER:
        quantity = _quantity(raw)
        return PrintedCell(column, quantity, format_quantity(quantity))
    text = "" if raw is None else str(raw)
    return PrintedCell(column, text, text)


def print_table(
    layout: TableLayout, data: BudgetData, unit: DisplayUnit = DisplayUnit.WAN, *, rows: Sequence[Row] | None = None
) -> PrintedTable:
    """The table in ``unit``, or in the unit its edition fixes for it (Shanghai's 三公 in 万元 beside tables in 元).
    ``rows`` are ``layout.rows(data)`` where the caller has them already."""
    unit = layout.unit or unit
    # Most amount cells of a table are empty: those share one printed cell per column.
    columns = [
        (column, column.key, column.kind, _column_unit(column, unit), PrintedCell(column, None, ""))
        for column in layout.columns
    ]
    printed = []
    for serial, row in enumerate(layout.rows(data) if rows is None else rows, start=1):
        values = row.cells
        cells = []
        for column, key, kind, printed_in, empty in columns:
            raw = values.get(key)
            if kind is ColumnKind.MONEY and not (raw and isinstance(raw, Decimal)):
                cells.append(empty)
            else:
                cells.append(_cell(column, kind, printed_in, raw))
        printed.append(
            PrintedRow(
                serial=serial if layout.numbered else None,
                cells=cells,
                level=row.level,
                emphasis=row.emphasis,
                code=row.code,
            )
        )
    meta_text = layout.meta(data) if layout.meta is not None else ""
    return PrintedTable(layout, layout.heading.department_line(data), data.year, unit, printed, meta_text)


class TablePrinter:
    """print_table for a piece of work that prints the same tables of the same budgets many times over (an import
    preview compares the file with the budget after it, the stored budget with the budget after, and audits the
    budget after): each layout's rows of a budget are derived once, and each table printed once per unit.

    Budgets and layouts are immutable; they are told apart by identity, and each is kept referenced while the
    printer lives, so that an identity is never reused for another. Use one printer for one piece of work."""

    def __init__(self) -> None:
        self._rows: dict[tuple[int, int], tuple[TableLayout, BudgetData, Sequence[Row]]] = {}
        self._printed: dict[tuple[int, int, DisplayUnit], PrintedTable] = {}

    def rows(self, layout: TableLayout, data: BudgetData) -> Sequence[Row]:
        key = (id(layout), id(data))
        if key not in self._rows:
            self._rows[key] = (layout, data, tuple(layout.rows(data)))
        return self._rows[key][2]

    def __call__(self, layout: TableLayout, data: BudgetData, unit: DisplayUnit = DisplayUnit.WAN) -> PrintedTable:
        key = (id(layout), id(data), layout.unit or unit)
        if key not in self._printed:
            self._printed[key] = print_table(layout, data, unit, rows=self.rows(layout, data))
        return self._printed[key]
