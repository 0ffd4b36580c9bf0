"""What changed between two versions of a budget, table by table and cell by cell, as the tables print."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.ledger import BudgetData
from official.layout import ColumnKind, Group, TableLayout
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


def column_sides(layout: TableLayout) -> dict[str, str]:
    """The top header group of each column ("收入", "支出" of a 收支总表), "" for a column under none."""
    sides: dict[str, str] = {}

    def walk(node: object, side: str) -> None:
        if isinstance(node, Group):
            for child in node.children:
                walk(child, side)
        else:
            sides[node.key] = side  # type: ignore[attr-defined]

    for node in layout.header:
        walk(node, node.title if isinstance(node, Group) else "")
    return sides


def row_labels(printed: PrintedTable) -> dict[tuple[str, str], str]:
    """Each row's words by (row key, side): a 收支总表 row is two rows, one 收入 and one 支出, each with its own
    words ("收入｜一、一般公共预算拨款"); a table whose amounts have no words of their own side (side "") takes
    the row's text cells (its code and name)."""
    sides = column_sides(printed.layout)
    labels = {}
    for index, row in enumerate(printed.rows):
        key = row_key(printed.layout, {cell.column.key: cell.value for cell in row.cells}, index)
        texts = [(sides.get(cell.column.key, ""), cell.text) for cell in row.cells if not cell.column.is_money]
        labels[key, ""] = " ".join(text for _, text in texts if text)
        for side in {side for side, _ in texts if side}:
            words = " ".join(text for text_side, text in texts if text_side == side and text)
            labels[key, side] = f"{side}｜{words}" if words else ""
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
        sides = column_sides(layout)
        old_values, new_values = printed_values(before), printed_values(after)
        for key in sorted(set(old_values) | set(new_values)):
            for column in layout.columns:
                if column.kind not in NUMERIC:
                    continue
                a = old_values.get(key, {}).get(column.key, ZERO)
                b = new_values.get(key, {}).get(column.key, ZERO)
                if a != b:
                    row = labels.get((key, sides.get(column.key, ""))) or labels.get((key, ""), key)
                    changes.append(Change(layout.title, row, column.title, f"{a:.2f}", f"{b:.2f}"))
    return changes
