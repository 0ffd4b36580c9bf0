"""grid.js on the pages the figures story does not drive: the procurement grid (a block pasted from Excel, row and
column totals, the 万元/元 switch, a save held back at a wrong cell, then saved), a target table (a row added and
moved to the top, its 指标值 shown as it will print, saved in that order) and the units (Enter down a column, the
warning before leaving unsaved changes)."""

from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import Page, expect

from budgets.models import Budget, ProcurementItem
from demo.loader import DEMO_PASSWORD
from entry.fields import QUANTITY_INVALID
from performance.models import Indicator
from tests.browser.support import answer_dialogs, log_in

YEAR, CODE = 2021, "202"


def open_page(page: Page, name: str, *args: object) -> list[str]:
    """Log in as 202's accountant and open the page; the script errors it raises, as they come."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "acc202", DEMO_PASSWORD)
    page.goto(page.base_url + reverse(name, args=[YEAR, CODE, *args]))  # type: ignore[attr-defined]
    return errors


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def test_the_procurement_grid_adds_up_a_pasted_block_holds_back_a_wrong_cell_and_saves(
    page: Page, demo_budget: Budget
) -> None:
    errors = open_page(page, "budget_procurement_edit")
    items = page.locator("section.js-grid").first
    rows = items.locator("tbody.js-rows tr.js-row")
    before, stored = rows.count(), ProcurementItem.objects.filter(budget=demo_budget).count()
    grand = items.locator("tfoot output.js-total").first
    total_before = amount(grand.inner_text())

    # Two items copied from Excel, pasted from 采购物品名称 on; the 合计 column's value is dropped.
    block = "图书\tA050401\t批\t10\t1.25\t99\t12.5\t\t\t1.5\r\n办公桌\t\t张\t2\t\t\t3\r\n"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("text => navigator.clipboard.writeText(text)", block)
    items.get_by_role("button", name="添加采购行").click()
    rows.nth(before).locator("[data-col=item_name]").click()
    page.keyboard.press("Control+V")
    expect(rows).to_have_count(before + 2)
    first = rows.nth(before)
    expect(first.locator("[data-col=special_account]")).to_have_value("1.5")
    expect(first.locator(".js-row-total")).to_have_text("14.00")
    expect(grand).to_have_text(f"{total_before + 17:,.2f}")

    # In 元 and back, exactly.
    page.get_by_role("link", name="改用元").click()
    expect(first.locator("[data-col=general]")).to_have_value("125000.00")
    expect(first.locator(".js-row-total")).to_have_text("140,000.00")
    page.get_by_role("link", name="改用万元").click()
    expect(first.locator("[data-col=general]")).to_have_value("12.50")

    # Enter in the last row goes on to a new one, in the same column; left blank, it is not saved.
    rows.nth(before + 1).locator("[data-col=quantity]").press("Enter")
    expect(rows).to_have_count(before + 3)
    expect(rows.nth(before + 2).locator("[data-col=quantity]")).to_be_focused()

    # A wrong cell is told as typed, in the server's words, and holds the save back.
    first.locator("[data-col=quantity]").fill("1.005")
    expect(first.locator("[data-col=quantity]")).to_have_attribute("title", QUANTITY_INVALID)
    page.get_by_role("button", name="保存政府采购和资产").click()
    expect(page.locator(".js-status")).to_have_text("有 1 处需要修改（标红处），尚未保存。")
    assert ProcurementItem.objects.filter(budget=demo_budget).count() == stored

    first.locator("[data-col=quantity]").fill("10")
    page.get_by_role("button", name="保存政府采购和资产").click()
    expect(page.locator(".messages")).to_contain_text("政府采购和资产已保存")
    saved = ProcurementItem.objects.get(budget=demo_budget, item_name="图书")
    assert (saved.quantity, saved.unit_price, saved.general, saved.special_account) == (10, 12500, 125000, 15000)
    assert ProcurementItem.objects.filter(budget=demo_budget).count() == stored + 2
    assert errors == []


def test_a_target_row_added_and_moved_to_the_top_prints_its_value_and_saves_first(
    page: Page, demo_budget: Budget
) -> None:
    project = demo_budget.projects.filter(target__isnull=False).order_by("position").first()
    errors = open_page(page, "budget_target_edit", project.pk)
    rows = page.locator("#target-form tbody.js-row")
    count = rows.count()
    page.get_by_role("button", name="添加一行").click()
    expect(rows).to_have_count(count + 1)
    row = rows.nth(count)
    expect(row.locator("[name$=-ORDER]")).to_have_value(str(count + 1))
    row.locator("[name$=-level1]").select_option(index=1)
    level1 = row.locator("[name$=-level1]").input_value()
    level2 = row.evaluate(
        "(row, level1) => row.querySelector(`[name$=-level2] optgroup[label='${level1}'] option`).value", level1
    )
    row.locator("[name$=-level2]").select_option(level2)
    row.locator("[name$=-name]").fill("新增指标")
    row.locator("label.comparator", has_text="≥").click()
    row.locator("[name$=-number]").fill("０９８.50")
    row.locator("[name$=-unit]").fill("%")
    expect(row.locator(".js-preview")).to_have_text("≥98.5%")
    for index in range(count, 0, -1):
        rows.nth(index).locator(".js-up").click()
    expect(rows.first.locator("[name$=-name]")).to_have_value("新增指标")
    expect(rows.first.locator("[name$=-ORDER]")).to_have_value("1")
    page.get_by_role("button", name="保存绩效目标表").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    first = Indicator.objects.filter(table__project=project).order_by("position", "id").first()
    assert (first.name, first.comparator, first.number, first.unit) == ("新增指标", "≥", Decimal("98.5"), "%")
    assert errors == []


def test_enter_goes_down_a_column_and_leaving_unsaved_changes_warns(page: Page, demo_budget: Budget) -> None:
    errors = open_page(page, "budget_units_edit")
    rows = page.locator("tbody.js-rows tr.js-row")
    rows.first.locator("[data-col=name]").press("Enter")
    expect(rows.nth(1).locator("[data-col=name]")).to_be_focused()
    rows.nth(1).locator("[data-col=rank]").fill("正科级")
    warned = answer_dialogs(page, accept=False)
    url = page.url
    page.get_by_role("link", name="预算数字").first.click()
    expect(page).to_have_url(url)
    assert [kind for kind, _ in warned] == ["beforeunload"]
    assert errors == []
