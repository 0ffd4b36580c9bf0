"""A layout applied to one budget: the values of every printed cell, in the unit asked for."""

from dataclasses import dataclass
from decimal import Decimal

from budgets.domain.ledger import BudgetData
from budgets.domain.money import DisplayUnit, format_amount, in_unit
from budgets.domain.tables import Row
from budgets.official.layout import Column, TableLayout


@dataclass(frozen=True)
class PrintedCell:
    column: Column
    value: Decimal | str | None  # money in the display unit (None where printed empty), text as text
    text: str  # exactly what the official table prints


@dataclass(frozen=True)
class PrintedRow:
    serial: int | None
    cells: list[PrintedCell]
    level: int
    emphasis: bool
    code: str

    @property
    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]

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

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def note(self) -> str:
        return self.layout.empty_note if self.is_empty else ""

    @property
    def unit_line(self) -> str:
        """单位：万元, for tables that print amounts."""
        return f"单位：{self.unit.value}" if self.layout.has_amounts else ""

    @property
    def year_line(self) -> str:
        return f"预算年度：{self.year}"


def _value(column: Column, row: Row, unit: DisplayUnit) -> Decimal | str | None:
    raw = row.cells.get(column.key)
    if column.is_money:
        if not isinstance(raw, Decimal):
            return None
        value = in_unit(raw, unit)
        return value if value != 0 else None
    return "" if raw is None else str(raw)


def _text(column: Column, row: Row, unit: DisplayUnit) -> str:
    raw = row.cells.get(column.key)
    if column.is_money:
        return format_amount(raw if isinstance(raw, Decimal) else None, unit)
    return "" if raw is None else str(raw)


def print_table(layout: TableLayout, data: BudgetData, unit: DisplayUnit = DisplayUnit.WAN) -> PrintedTable:
    rows = []
    for serial, row in enumerate(layout.rows(data), start=1):
        rows.append(
            PrintedRow(
                serial=serial if layout.numbered else None,
                cells=[
                    PrintedCell(column, _value(column, row, unit), _text(column, row, unit))
                    for column in layout.columns
                ],
                level=row.level,
                emphasis=row.emphasis,
                code=row.code,
            )
        )
    return PrintedTable(layout, data.department_line, data.year, unit, rows)
