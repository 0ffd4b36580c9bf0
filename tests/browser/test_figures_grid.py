"""The figures grid as a spreadsheet, in Chromium at 1366×768: arrow keys, a block selected and copied out, Ctrl+D,
undo, a name typed for its code, search and the unit filter, what a paste assumed, the count of errors with
「下一处错误」, one line per row, the header and the save bar in view."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from budgets.models import Budget
from demo.loader import DEMO_PASSWORD
from tests.browser.support import log_in, screenshot

YEAR, CODE = 2021, "202"


@pytest.fixture
def grid(page: Page, demo_budget: Budget) -> Page:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "acc202", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("budget_figures_edit", args=[YEAR, CODE]))  # type: ignore[attr-defined]
    page.errors = errors  # type: ignore[attr-defined]
    return page


def cell(page: Page, row: int, column: str):
    return page.locator("tbody.js-rows tr.js-row").nth(row).locator(f"[data-col={column}]")


def test_arrow_keys_move_between_cells_as_in_a_spreadsheet(grid: Page) -> None:
    cell(grid, 0, "amount").focus()
    grid.keyboard.press("ArrowDown")
    expect(cell(grid, 1, "amount")).to_be_focused()
    grid.keyboard.press("ArrowLeft")  # the whole value selected: the key leaves the cell
    expect(cell(grid, 1, "project")).to_be_focused()
    grid.keyboard.press("ArrowUp")
    expect(cell(grid, 0, "project")).to_be_focused()
    cell(grid, 0, "economic").click()
    grid.keyboard.press("End")
    grid.keyboard.press("ArrowLeft")  # inside the text the caret moves
    expect(cell(grid, 0, "economic")).to_be_focused()
    assert grid.errors == []  # type: ignore[attr-defined]


def test_a_block_is_copied_out_as_excel_copies_and_cleared_and_restored(grid: Page) -> None:
    grid.context.grant_permissions(["clipboard-read", "clipboard-write"])
    expected = "\r\n".join(
        "\t".join(cell(grid, row, column).input_value() for column in ("function", "economic")) for row in (0, 1)
    )
    cell(grid, 0, "function").focus()
    grid.keyboard.press("Shift+ArrowRight")
    grid.keyboard.press("Shift+ArrowDown")
    expect(grid.locator("td.in-range")).to_have_count(4)
    grid.keyboard.press("Control+C")
    assert grid.evaluate("navigator.clipboard.readText()") == expected
    grid.keyboard.press("Delete")
    expect(cell(grid, 1, "economic")).to_have_value("")
    grid.keyboard.press("Control+Z")
    assert (
        "\r\n".join(
            "\t".join(cell(grid, row, column).input_value() for column in ("function", "economic")) for row in (0, 1)
        )
        == expected
    )


def test_ctrl_d_fills_down_and_ctrl_z_undoes_it(grid: Page) -> None:
    above, before = cell(grid, 0, "economic").input_value(), cell(grid, 1, "economic").input_value()
    assert above != before
    cell(grid, 1, "economic").focus()
    grid.keyboard.press("Control+D")
    expect(cell(grid, 1, "economic")).to_have_value(above)
    grid.get_by_role("button", name="撤销").click()
    expect(cell(grid, 1, "economic")).to_have_value(before)


def test_a_name_only_one_code_has_stands_for_its_code(grid: Page) -> None:
    cell(grid, 2, "economic").fill("办公费")
    cell(grid, 2, "economic").press("Tab")
    expect(cell(grid, 2, "economic")).to_have_value("30201")
    expect(grid.locator("tbody.js-rows tr.js-row").nth(2).locator(".js-economic-name")).to_have_text("办公费")


def test_errors_are_counted_before_saving_and_visited_one_by_one(grid: Page) -> None:
    cell(grid, 2, "amount").fill("abc")
    cell(grid, 5, "amount").fill("1.2.3")
    cell(grid, 0, "amount").focus()
    problems = grid.locator(".js-problems")
    expect(problems).to_contain_text("有 2 处需要修改")
    grid.get_by_role("button", name="下一处错误").click()
    expect(cell(grid, 2, "amount")).to_be_focused()
    grid.get_by_role("button", name="下一处错误").click()
    expect(cell(grid, 5, "amount")).to_be_focused()
    cell(grid, 2, "amount").fill("1.00")
    cell(grid, 5, "amount").fill("2.00")
    cell(grid, 0, "amount").focus()
    expect(problems).to_be_hidden()


def test_search_and_the_unit_filter_show_only_the_rows_asked_for(grid: Page) -> None:
    rows = grid.locator("tbody.js-rows tr.js-row")
    total = rows.count()
    grid.fill(".js-grid-search", "30215")
    shown = grid.locator("tbody.js-rows tr.js-row:not(.filtered-out)")
    assert 0 < shown.count() < total
    for index in range(shown.count()):
        assert shown.nth(index).locator("[data-col=economic]").input_value() == "30215"
    expect(grid.locator(".js-grid-count")).to_contain_text(f"/ {total} 行")
    grid.fill(".js-grid-search", "")
    grid.select_option(".js-grid-filter", value="中共石家庄市鹿泉区委信息中心")
    assert 0 < shown.count() < total
    options = grid.locator(".js-grid-filter option")
    assert options.all_inner_texts()[1:] == ["1 本级", "2 信息中心"]  # the units told apart
    assert grid.errors == []  # type: ignore[attr-defined]


def test_a_pasted_block_says_which_cells_it_took_from_the_row_above(grid: Page) -> None:
    grid.context.grant_permissions(["clipboard-read", "clipboard-write"])
    rows = grid.locator("tbody.js-rows tr.js-row")
    last = rows.count() - 1
    grid.evaluate("text => navigator.clipboard.writeText(text)", "2013101\t30201\r\n2013101\t30202\r\n")
    cell(grid, last, "function").click()
    grid.keyboard.press("Control+V")
    expect(rows).to_have_count(last + 2)
    added = rows.nth(last + 1)
    expect(added.locator("[data-col=unit]")).to_have_class("cell assumed")
    expect(grid.locator(".js-grid-news")).to_contain_text("取自上一行")


def test_one_line_per_row_with_the_header_and_the_save_bar_in_view(grid: Page) -> None:
    rows = grid.locator("tbody.js-rows tr.js-row")
    heights = [rows.nth(index).bounding_box()["height"] for index in range(5)]
    assert max(heights) <= 36, heights
    save = grid.get_by_role("button", name="保存全部预算数字")
    assert save.bounding_box()["y"] + save.bounding_box()["height"] <= 768  # at the bottom of the screen
    rows.nth(15).scroll_into_view_if_needed()
    grid.mouse.wheel(0, 600)
    header = grid.locator("table.figures-grid thead th").nth(1)
    expect(header).to_be_in_viewport()
    screenshot(grid, "pages/figures-grid", full_page=False)
