"""The supplementary disclosure tables: 部门政府采购预算 and 部门固定资产占用情况表.

Their items are stored on their own (they are not expenditure lines); the one figure derived from the
ledger is a procurement item's 预算资金, the sum of its project's lines. Amounts are exact yuan, as in
domain.tables.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from domain.ledger import BudgetData, Line
from domain.tables import Row

ZERO = Decimal("0.00")

# 政府采购金额（当年部门预算安排资金）, by fund type: the column keys of the layout.
PROCUREMENT_FUND_COLUMNS = ("general", "govfund", "statecap", "special")


def project_amounts(lines: Iterable[Line]) -> dict[str, Decimal]:
    """Each project's 预算资金: the sum of its lines, whatever their source or year."""
    amounts: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if line.project:
            amounts[line.project] += line.amount
    return dict(amounts)


def procurement_rows(data: BudgetData) -> list[Row]:
    """合计, then one row per item in the stored order; an empty plan has no rows (it prints its note).

    合计 adds the fund columns over the items, and 预算资金 over the distinct source projects (an item's
    project may fund several items: its budget is counted once).
    """
    if not data.procurement:
        return []
    budgets = project_amounts(data.lines)
    totals = dict.fromkeys(("total", *PROCUREMENT_FUND_COLUMNS), ZERO)
    items = []
    for item in data.procurement:
        funds = {
            "general": item.general,
            "govfund": item.govfund,
            "statecap": item.statecap,
            "special": item.special_account,
        }
        cells = {"total": item.total, **funds}
        for key, amount in cells.items():
            totals[key] += amount
        items.append(
            Row(
                {
                    "project": item.project,
                    "project_amount": budgets.get(item.project, ZERO) if item.project else None,
                    "item_name": item.item_name,
                    "catalogue_number": item.catalogue_number,
                    "measure_unit": item.measure_unit,
                    "quantity": item.quantity,
                    "unit_price": item.unit_price,
                    **cells,
                }
            )
        )
    sources = dict.fromkeys(item.project for item in data.procurement if item.project)
    source_total = sum((budgets.get(project, ZERO) for project in sources), ZERO)
    return [Row({"project": "合计", "project_amount": source_total, **totals}, emphasis=True), *items]


def assets_as_of(data: BudgetData) -> date:
    """截止时间 of the asset table: as stored, else 31 December of the year before the budget year."""
    return data.assets_as_of or date(data.year - 1, 12, 31)


def asset_rows(data: BudgetData) -> list[Row]:
    """合计 (the total value), then one row per item; no assets, no rows (the table prints its note)."""
    if not data.assets:
        return []
    total = sum((asset.value for asset in data.assets), ZERO)
    return [
        Row({"item": "合计", "value": total}, emphasis=True),
        *(Row({"item": asset.item, "quantity": asset.quantity, "value": asset.value}) for asset in data.assets),
    ]
