"""Rules on the generated explanation: every number it states equals the table cell it repeats.

Its text goes through the text rules T01/T02 with the budget's other narrative fields (budgets.selectors.budget_texts).
"""

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from domain.audit.model import FigureRow, Figures, FigureTable, Severity, fmt, rule
from domain.money import to_wan


def _row(table: FigureTable, key: str) -> FigureRow | None:
    for row in table.rows:
        if (row.key and row.key == key) or row.label == key or key in row.texts.values():
            return row
    return None


@rule("X01", Severity.ERROR, "情况说明：文中引用表格的每个数字与该表格打印的数字一致")
def claims_match_tables(figures: Figures) -> Iterator[tuple[str, str]]:
    explanation = figures.explanation
    if explanation is None:
        return
    for section in explanation.sections:
        for claim in section.claims:
            table = figures.get(claim.table) if claim.table else None
            if table is None:  # a figure derived from several cells, or a table the source does not have
                continue
            place = f"情况说明｜{section.number}、{section.title}｜{claim.row}"
            try:
                stated = Decimal(claim.text)
            except InvalidOperation:
                yield place, f"“{claim.text}”不是数字"
                continue
            row = _row(table, claim.row)
            if row is None or claim.column not in row.cells:
                continue  # a row or column this edition's table does not print (Shanghai's has no 上年结转)
            printed = row.amount(claim.column)
            if not table.in_wan:  # the text speaks 万元 of a table printed in 元 (Shanghai's)
                printed = to_wan(printed)
            if stated != printed:
                cell = row.place(claim.column)
                yield place, f"文中写作 {claim.text} 万元，{cell} 为 {fmt(printed)} 万元"
