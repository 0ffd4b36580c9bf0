"""What changed between two versions of a budget, table by table and cell by cell, as the tables print."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.ledger import BudgetData
from official.layout import ColumnKind, Group, TableLayout
from official.render import PrintedRow, PrintedTable, TablePrinter

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
    return str(cells["code"]) if layout.keyed_by_code else f"#{index}"


def _printed_key(printed: PrintedTable, row: PrintedRow, index: int) -> str:
    if not printed.layout.keyed_by_code:
        return f"#{index}"
    return next(str(cell.value) for cell in row.cells if cell.column.key == "code")


def printed_values(printed: PrintedTable) -> dict[str, dict[str, Decimal]]:
    values: dict[str, dict[str, Decimal]] = {}
    for index, row in enumerate(printed.rows):
        values[_printed_key(printed, row, index)] = {
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


def row_label(row: PrintedRow, side: str, sides: Mapping[str, str]) -> str:
    """A row's words on one side: a 收支总表 row is two rows, one 收入 and one 支出, each with its own words
    ("收入｜一、一般公共预算拨款"); side "" (a table whose amounts have no words of their own side) takes the row's
    text cells (its code and name). "" where the side has no words."""
    texts = [(sides.get(cell.column.key, ""), cell.text) for cell in row.cells if not cell.column.is_money]
    if not side:
        return " ".join(text for _, text in texts if text)
    words = " ".join(text for text_side, text in texts if text_side == side and text)
    return f"{side}｜{words}" if words else ""


def table_changes(
    old: BudgetData, new: BudgetData, layouts: Sequence[TableLayout], printer: TablePrinter | None = None
) -> list[Change]:
    """Every printed amount that differs between ``old`` and ``new`` (the stored budget and a workbook, the
    budget as returned and as it is now), table by table. A row is named by its words in ``old`` where it is
    there, else in ``new``."""
    printer = printer or TablePrinter()
    changes = []
    for layout in layouts:
        before, after = printer(layout, old), printer(layout, new)
        old_values, new_values = printed_values(before), printed_values(after)
        if old_values == new_values:
            continue
        sides = column_sides(layout)
        rows = {_printed_key(after, row, i): row for i, row in enumerate(after.rows)}
        rows |= {_printed_key(before, row, i): row for i, row in enumerate(before.rows)}
        for key in sorted(set(old_values) | set(new_values)):
            for column in layout.columns:
                if column.kind not in NUMERIC:
                    continue
                a = old_values.get(key, {}).get(column.key, ZERO)
                b = new_values.get(key, {}).get(column.key, ZERO)
                if a != b:
                    row = row_label(rows[key], sides.get(column.key, ""), sides) or row_label(rows[key], "", sides)
                    changes.append(Change(layout.title, row, column.title, f"{a:.2f}", f"{b:.2f}"))
    return changes
