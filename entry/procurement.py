"""The entry page of a budget's 政府采购预算 and 固定资产占用 (official tables 11 and 12): two table-shaped grids and
the assets' 截止日期, saved together.

Who may open it, and the amounts, follow the figures grid (entry.figures): the department's accountant or an
administrator while the budget is 草稿 or 退回; amounts typed in 万元 by default or in 元 (``?unit=元``), converted
exactly by entry.figures.parse_amount. A blank amount cell is zero (most items are paid from one fund only), and a
zero is shown blank. Quantities are not money: at most two decimals, whatever the unit. The 合计 of an item is
derived (the sum of its funds), shown and never typed.

An item names its source project among the budget's projects (or none). A name the budget does not have is
refused at its cell: budget_replace_supplementary would register it as a project without figures, which is what an
import of a printed table needs, not a typing slip. Two items with the same project, name and 目录序号 are one
item typed twice, and two assets with the same name one asset: refused at the second row.

Saving posts both grids with the revision the page was built on; budget_replace_supplementary writes all of it or
nothing. Whatever is refused, the page shows again with everything as typed.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from budgets.access import editable_budget_or_404
from budgets.models import Budget
from budgets.selectors import budget_assets, budget_procurement
from budgets.services.errors import StaleRevision
from budgets.services.supplementary import budget_replace_supplementary
from domain.errors import BudgetFiguresError
from domain.ledger import AssetInfo, ProcurementInfo
from domain.money import DisplayUnit
from entry.figures import (
    FORM_INCOMPLETE,
    NOT_SAVED,
    PLACES,
    STALE_KEPT,
    display_unit,
    parse_amount,
    printed_total,
    typed_amount,
)
from web.forms import posted_revision

ITEMS, ASSETS = "item", "asset"
MAX_ROWS = 500
ZERO = Decimal("0.00")
# The columns of each grid, in order (also the order a pasted block fills them).
ITEM_FIELDS = (
    "project",
    "item_name",
    "catalogue_number",
    "measure_unit",
    "quantity",
    "unit_price",
    "general",
    "govfund",
    "statecap",
    "special_account",
)
# The item's amounts by fund: 一般公共预算拨款, 基金预算拨款, 国有资本经营预算拨款, 财政专户核拨 (the 合计 adds them).
FUNDS = ("general", "govfund", "statecap", "special_account")
FUND_LABELS = dict(
    zip(FUNDS, ("一般公共预算拨款", "基金预算拨款", "国有资本经营预算拨款", "财政专户核拨"), strict=True)
)
ITEM_AMOUNTS = ("unit_price", *FUNDS)
# The grid's columns as shown (and as a block pasted from a copy of table 11 fills them): 合计 is derived, a value
# pasted into it is dropped.
ITEM_COLUMNS = (*ITEM_FIELDS[:6], "total", *FUNDS)
ASSET_FIELDS = ("item", "quantity", "value")
# Lengths of the model's text fields.
MAX_LENGTHS = {"project": 200, "item_name": 200, "catalogue_number": 50, "measure_unit": 20, "item": 100}
MAX_QUANTITY = Decimal("1e10")  # max_digits=12, decimal_places=2

AS_OF_MESSAGE = "截止日期请按“2020-12-31”的格式填写，或留空（即上年12月31日）。"
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


@dataclass
class GridRow:
    """One row of a grid as typed, with its messages by field."""

    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    @property
    def is_blank(self) -> bool:
        return all(not value.strip() for value in self.values.values())


# --- Reading what was typed -------------------------------------------------------------------------------------


def parse_quantity(text: str) -> Decimal:
    """A quantity (not money): blank is zero, else a number ≥ 0 with at most two decimals; ValueError otherwise."""
    if not text.strip():
        return ZERO
    try:
        # The same reading as a yuan amount (digits, grouping, full width, two decimals), with its own message.
        quantity = parse_amount(text, DisplayUnit.YUAN)
    except (ValueError, InvalidOperation):
        raise ValueError("数量只能填不为负的数字，最多保留 2 位小数，如 5 或 5.2。") from None
    if quantity >= MAX_QUANTITY:
        raise ValueError("数量过大。")
    return quantity


def _amount(row: GridRow, name: str, unit: DisplayUnit) -> Decimal:
    """An amount cell in yuan; blank is zero. A cell that does not read gets its message (and counts as zero)."""
    text = row.values.get(name, "")
    if not text.strip():
        return ZERO
    try:
        return parse_amount(text, unit)
    except (ValueError, InvalidOperation) as error:
        row.add_error(name, str(error) if isinstance(error, ValueError) else "金额无效。")
        return ZERO


def _text(row: GridRow, name: str, label: str, *, required: bool = False) -> str:
    value = row.values.get(name, "").strip()
    if required and not value:
        row.add_error(name, f"请填写{label}。")
    elif len(value) > MAX_LENGTHS[name]:
        row.add_error(name, f"{label}最多 {MAX_LENGTHS[name]} 字。")
    return value


def read_item(values: dict[str, str], unit: DisplayUnit, projects: set[str]) -> tuple[GridRow, ProcurementInfo | None]:
    row = GridRow(values)
    project = _text(row, "project", "项目名称")
    if project and project not in projects:
        row.add_error(
            "project",
            f"本预算没有项目“{project}”：请从列表中选择本预算的项目，或留空（新项目请先在“编辑预算数字”中登记）。",
        )
    item_name = _text(row, "item_name", "采购物品名称", required=True)
    catalogue_number = _text(row, "catalogue_number", "政府采购目录序号")
    measure_unit = _text(row, "measure_unit", "计量单位")
    try:
        quantity = parse_quantity(values.get("quantity", ""))
    except ValueError as error:
        row.add_error("quantity", str(error))
        quantity = ZERO
    amounts = {name: _amount(row, name, unit) for name in ITEM_AMOUNTS}
    if row.errors:
        return row, None
    return row, ProcurementInfo(project, item_name, catalogue_number, measure_unit, quantity, **amounts)


def read_asset(values: dict[str, str], unit: DisplayUnit) -> tuple[GridRow, AssetInfo | None]:
    row = GridRow(values)
    item = _text(row, "item", "资产项目", required=True)
    try:
        quantity = parse_quantity(values.get("quantity", ""))
    except ValueError as error:
        row.add_error("quantity", str(error))
        quantity = ZERO
    value = _amount(row, "value", unit)
    if row.errors:
        return row, None
    return row, AssetInfo(item, quantity, value)


def mark_duplicates(rows: list[GridRow], key_fields: tuple[str, ...], at: str, what: str) -> None:
    """The second row with the same key is refused at ``at``, naming the first (by the grid's numbers)."""
    first: dict[tuple[str, ...], int] = {}
    for number, row in enumerate(rows, start=1):
        key = tuple(row.values.get(name, "").strip() for name in key_fields)
        if key in first:
            row.add_error(at, f"与第{first[key]}行重复（{what}都相同），请合并为一行或删除一行。")
        first.setdefault(key, number)


def parse_as_of(text: str) -> date | None:
    """The assets' 截止日期: blank is none (the table prints 31 December of the year before); ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(AS_OF_MESSAGE) from None


def posted_rows(data: Any, prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]] | None:
    """The rows of one posted grid in order (deleted rows leave gaps); None when the row count is missing."""
    total = data.get(f"{prefix}-TOTAL_FORMS", "")
    if not (total.isascii() and total.isdigit() and len(total) < 6):
        return None
    rows = []
    for index in range(min(int(total), MAX_ROWS * 2)):
        names = [f"{prefix}-{index}-{name}" for name in fields]
        if any(name in data for name in names):
            rows.append({name: data.get(f"{prefix}-{index}-{name}", "") for name in fields})
    return rows


# --- Showing what is stored ---------------------------------------------------------------------------------------


def shown_amount(yuan: Decimal, unit: DisplayUnit) -> str:
    return typed_amount(yuan, unit) if yuan else ""


def shown_quantity(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}" if quantity else ""


def stored_items(budget: Budget, unit: DisplayUnit) -> list[GridRow]:
    return [
        GridRow(
            {
                "project": item.project,
                "item_name": item.item_name,
                "catalogue_number": item.catalogue_number,
                "measure_unit": item.measure_unit,
                "quantity": shown_quantity(item.quantity),
                **{name: shown_amount(getattr(item, name), unit) for name in ITEM_AMOUNTS},
            }
        )
        for item in budget_procurement(budget)
    ]


def stored_assets(budget: Budget, unit: DisplayUnit) -> list[GridRow]:
    return [
        GridRow(
            {"item": asset.item, "quantity": shown_quantity(asset.quantity), "value": shown_amount(asset.value, unit)}
        )
        for asset in budget_assets(budget)
    ]


def _yuan(text: str, unit: DisplayUnit) -> Decimal:
    """An amount for the totals: what does not read counts as nothing (its cell says why)."""
    try:
        return parse_amount(text, unit) if text.strip() else ZERO
    except (ValueError, InvalidOperation):
        return ZERO


@dataclass(frozen=True)
class ShownItem:
    row: GridRow
    total: str  # the derived 合计 of the item's funds


def item_totals(rows: list[GridRow], unit: DisplayUnit) -> tuple[list[ShownItem], dict[str, str], str]:
    """Each row with its 合计, the printed total of each fund column, and the grand 合计."""
    sums = dict.fromkeys(FUNDS, ZERO)
    shown = []
    for row in rows:
        funds = {name: _yuan(row.values.get(name, ""), unit) for name in FUNDS}
        for name, amount in funds.items():
            sums[name] += amount
        shown.append(ShownItem(row, printed_total(sum(funds.values(), ZERO), unit)))
    printed = {name: printed_total(amount, unit) for name, amount in sums.items()}
    return shown, printed, printed_total(sum(sums.values(), ZERO), unit)


# --- The page -----------------------------------------------------------------------------------------------------


def _page_url(year: int, department_code: str, unit: DisplayUnit) -> str:
    url = reverse("budget_procurement_edit", args=[year, department_code])
    return f"{url}?unit={DisplayUnit.YUAN.value}" if unit is DisplayUnit.YUAN else url


@require_http_methods(["GET", "POST"])
@login_required
def budget_procurement_edit(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = editable_budget_or_404(request.user, year, department_code, what="修改预算数字")
    projects = list(budget.projects.order_by("position", "id").values_list("name", "unit__name"))
    revision = budget.revision
    failed = False
    as_of_errors: list[str] = []
    if request.method == "POST":
        unit = display_unit(request.POST.get("unit"))
        # Until the service has looked, the page stays on the revision it was built on (a later save is refused).
        revision = request.POST.get("revision", "")
        as_of_text = request.POST.get("assets_as_of", "")
        posted_items = posted_rows(request.POST, ITEMS, ITEM_FIELDS)
        posted_assets = posted_rows(request.POST, ASSETS, ASSET_FIELDS)
        names = {name for name, _unit in projects}
        read_items = [read_item(values, unit, names) for values in posted_items or [] if not GridRow(values).is_blank]
        read_assets = [read_asset(values, unit) for values in posted_assets or [] if not GridRow(values).is_blank]
        items, assets = [row for row, _ in read_items], [row for row, _ in read_assets]
        mark_duplicates(
            items, ("project", "item_name", "catalogue_number"), "item_name", "项目、采购物品名称、目录序号"
        )
        mark_duplicates(assets, ("item",), "item", "资产项目")
        as_of = None
        try:
            as_of = parse_as_of(as_of_text)
        except ValueError as error:
            as_of_errors.append(str(error))
        failed = True
        if posted_items is None or posted_assets is None:
            # Never read a mangled post as "no rows": that would delete the whole plan.
            messages.error(request, FORM_INCOMPLETE)
        elif len(items) > MAX_ROWS or len(assets) > MAX_ROWS:
            messages.error(request, f"未保存：每张表最多 {MAX_ROWS} 行。")
        elif as_of_errors or any(row.errors for row in items + assets):
            messages.error(request, NOT_SAVED)
        else:
            try:
                budget_replace_supplementary(
                    budget=budget,
                    procurement=[info for _, info in read_items],
                    assets=[info for _, info in read_assets],
                    assets_as_of=as_of,
                    actor=request.user,
                    expected_revision=posted_revision(request.POST),
                )
            except BudgetFiguresError as refused:
                for error in refused.errors:
                    messages.error(request, f"政府采购和资产未保存：{error.message}")
                if isinstance(refused, StaleRevision):
                    messages.warning(request, STALE_KEPT)
                # What was typed is shown on top of the budget as it is now: saving again is a deliberate choice.
                revision = Budget.objects.values_list("revision", flat=True).get(pk=budget.pk)
            else:
                now = Budget.objects.values_list("revision", flat=True).get(pk=budget.pk)
                messages.success(
                    request, "政府采购和资产已保存。" if now != budget.revision else "政府采购和资产已保存，没有变化。"
                )
                return redirect(_page_url(year, department_code, unit))
    else:
        unit = display_unit(request.GET.get("unit"))
        items, assets = stored_items(budget, unit), stored_assets(budget, unit)
        as_of_text = budget.assets_as_of.isoformat() if budget.assets_as_of else ""
    shown_items, fund_totals, items_total = item_totals(items, unit)
    assets_total = printed_total(sum((_yuan(row.values.get("value", ""), unit) for row in assets), ZERO), unit)
    context = {
        "budget": budget,
        "revision": revision,
        "unit": unit.value,
        "other_unit": (DisplayUnit.YUAN if unit is DisplayUnit.WAN else DisplayUnit.WAN).value,
        "places": PLACES[unit],
        "items": shown_items,
        "item_prefix": ITEMS,
        "item_columns": " ".join(ITEM_COLUMNS),
        "funds": [(name, FUND_LABELS[name], fund_totals[name]) for name in FUNDS],
        "fund_names": " ".join(FUNDS),
        "items_total": items_total,
        "assets": assets,
        "asset_prefix": ASSETS,
        "asset_columns": " ".join(ASSET_FIELDS),
        "assets_total": assets_total,
        "assets_as_of": as_of_text,
        "as_of_errors": as_of_errors,
        "as_of_message": AS_OF_MESSAGE,
        "default_as_of": date(budget.year_id - 1, 12, 31).isoformat(),
        "projects": projects,
        "failed": failed,
        "max_rows": MAX_ROWS,
    }
    return render(request, "entry/procurement_edit.html", context)
