"""What changed between two versions of a budget, table by table and cell by cell, as the tables print."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.ledger import BudgetData
from official.layout import ColumnKind, TableLayout
from official.render import PrintedTable, TablePrinter

ZERO = Decimal("0.00")
NUMERIC = (ColumnKind.MONEY, ColumnKind.NUMBER)


@dataclass(frozen=True)
class Change:
    table: str
    row: str
    column: str
    old: str
    new: str


def row_key(layout: TableLayout, cells: Mapping[str, object], index: int) -> str:
    return str(cells["code"]) if "code" in {column.key for column in layout.columns} else f"#{index}"


def printed_values(printed: PrintedTable) -> dict[str, dict[str, Decimal]]:
    values: dict[str, dict[str, Decimal]] = {}
    for index, row in enumerate(printed.rows):
        cells = {cell.column.key: cell.value for cell in row.cells}
        values[row_key(printed.layout, cells, index)] = {
            cell.column.key: cell.number or ZERO for cell in row.cells if cell.column.kind in NUMERIC
        }
    return values


def row_labels(printed: PrintedTable) -> dict[str, str]:
    labels = {}
    for index, row in enumerate(printed.rows):
        key = row_key(printed.layout, {cell.column.key: cell.value for cell in row.cells}, index)
        labels[key] = " ".join(
            cell.text for cell in row.cells if cell.column.kind is not ColumnKind.MONEY and cell.text
        )
    return labels


def table_changes(
    old: BudgetData, new: BudgetData, layouts: Sequence[TableLayout], printer: TablePrinter | None = None
) -> list[Change]:
    """Every printed amount that differs between ``old`` and ``new`` (the stored budget and a workbook, the
    budget as returned and as it is now), table by table."""
    printer = printer or TablePrinter()
    changes = []
    for layout in layouts:
        before, after = printer(layout, old), printer(layout, new)
        labels = row_labels(after) | row_labels(before)
        old_values, new_values = printed_values(before), printed_values(after)
        for key in sorted(set(old_values) | set(new_values)):
            for column in layout.columns:
                if column.kind not in NUMERIC:
                    continue
                a = old_values.get(key, {}).get(column.key, ZERO)
                b = new_values.get(key, {}).get(column.key, ZERO)
                if a != b:
                    changes.append(Change(layout.title, labels.get(key, key), column.title, f"{a:.2f}", f"{b:.2f}"))
    return changes
