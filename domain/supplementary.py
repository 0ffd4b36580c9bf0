"""The supplementary disclosure tables: 部门政府采购预算 and 部门固定资产占用情况表.

Their items are stored on their own (they are not expenditure lines); the one figure derived from the
ledger is a procurement item's 预算资金, the sum of its project's lines. Amounts are exact yuan, as in
domain.tables.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from domain.ledger import AssetInfo, BudgetData, Line
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


def asset_totals(assets: Sequence[AssetInfo]) -> dict[str, tuple[Decimal, Decimal]]:
    """(quantity, value) of each item name, summed over the units that hold it, in the order first listed."""
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for asset in assets:
        quantity, value = totals.get(asset.item, (ZERO, ZERO))
        totals[asset.item] = (quantity + asset.quantity, value + asset.value)
    return totals


def assets_from_table(stored: Sequence[AssetInfo], printed: Sequence[AssetInfo], holder: str = "") -> list[AssetInfo]:
    """The assets a printed 部门固定资产占用情况表 (one row per item, no units) leaves the budget with, changing the
    stored holdings only where the table does: an item whose total is as stored keeps its units' rows, a changed
    item held by one unit stays that unit's, a changed item held by several (or a new one) becomes one row of
    ``holder`` ("": the department's). In the table's order: the order of the holdings within an item is kept."""
    held: dict[str, list[AssetInfo]] = {}
    for asset in stored:
        held.setdefault(asset.item, []).append(asset)
    totals = asset_totals(stored)
    assets: list[AssetInfo] = []
    for row in printed:
        rows = held.get(row.item, [])
        if totals.get(row.item) == (row.quantity, row.value):
            assets.extend(rows)
        else:
            assets.append(AssetInfo(row.item, row.quantity, row.value, rows[0].unit if len(rows) == 1 else holder))
    return assets


def asset_rows(data: BudgetData) -> list[Row]:
    """合计 (the total value), then one row per item name (the units' holdings of it summed); no assets, no rows
    (the table prints its note)."""
    if not data.assets:
        return []
    total = sum((asset.value for asset in data.assets), ZERO)
    return [
        Row({"item": "合计", "value": total}, emphasis=True),
        *(
            Row({"item": item, "quantity": quantity, "value": value})
            for item, (quantity, value) in asset_totals(data.assets).items()
        ),
    ]
