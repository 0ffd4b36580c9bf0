"""Every amount on its own: two decimals at most, never negative."""

from collections.abc import Iterator
from decimal import Decimal

from domain.audit.model import Cell, Figures, Severity, as_written, rule

CENT = Decimal("0.01")


@rule("E01", Severity.ERROR, "精度：金额最多两位小数（万元表为 0.01 万元）")
def two_decimals(figures: Figures) -> Iterator[tuple[Cell, str]]:
    for table in figures.tables.values():
        for row in table.rows:
            for cell in row.cells.values():
                if cell.amount is not None and cell.amount != cell.amount.quantize(CENT):
                    unit = "万元" if table.in_wan else "元"
                    yield cell, f"{as_written(cell.amount)} 超过两位小数（{unit}）"


@rule("E02", Severity.ERROR, "符号：金额不能为负数")
def not_negative(figures: Figures) -> Iterator[tuple[Cell, str]]:
    for table in figures.tables.values():
        for row in table.rows:
            for cell in row.cells.values():
                if cell.amount is not None and cell.amount < 0:
                    yield cell, f"{as_written(cell.amount)} 为负数"
