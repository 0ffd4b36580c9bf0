"""Two tabs on 预算数字: the second to save finds the first's changes taken into its page and a cell both changed
marked with both values, nothing written until it saves again, and then nothing of the first's lost."""

from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from budgets.models import Budget, BudgetLine
from demo.loader import DEMO_PASSWORD
from tests.browser.support import log_in, screenshot, second_tab

YEAR, CODE = 2021, "202"


def open_figures(page: Page) -> None:
    log_in(page, "acc202", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("budget_figures_edit", args=[YEAR, CODE]))  # type: ignore[attr-defined]


def amounts(page: Page):
    return page.locator("table.figures-grid tbody.js-rows tr.js-row [data-col=amount]")


def save(page: Page) -> None:
    page.get_by_role("button", name="保存全部预算数字").click()
    page.wait_for_load_state()


def test_the_later_save_merges_the_earlier_and_marks_the_cell_both_changed(
    page: Page, browser: Browser, demo_budget: Budget
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_figures(page)
    other = second_tab(browser, page)
    open_figures(other)

    amounts(other).nth(0).fill("11.11")
    amounts(other).nth(1).fill("22.22")
    save(other)
    expect(other.locator("ul.messages")).to_contain_text("已保存")
    theirs = sorted(BudgetLine.objects.filter(budget=demo_budget).values_list("id", "amount"))

    amounts(page).nth(1).fill("33.33")  # the same cell, differently
    amounts(page).nth(2).fill("44.44")
    save(page)
    expect(page.locator("ul.messages")).to_contain_text("已被他人修改")
    assert sorted(BudgetLine.objects.filter(budget=demo_budget).values_list("id", "amount")) == theirs
    expect(amounts(page).nth(0)).to_have_value("11.11")  # taken in
    expect(amounts(page).nth(1)).to_have_value("33.33")  # the conflict keeps what was typed …
    conflict = page.locator("table.figures-grid tr.merge-conflict")
    expect(conflict).to_have_count(1)
    expect(conflict.locator(".merge-note")).to_contain_text("22.22")  # … beside the other's value
    expect(amounts(page).nth(2)).to_have_value("44.44")
    expect(page.locator("#merge-report tbody tr")).to_have_count(2)
    screenshot(page, "pages/figures-stale-conflict", full_page=False)

    save(page)
    expect(page.locator("ul.messages")).to_contain_text("已保存")
    page.goto(page.url)
    expect(amounts(page).nth(0)).to_have_value("11.11")
    expect(amounts(page).nth(1)).to_have_value("33.33")
    expect(amounts(page).nth(2)).to_have_value("44.44")
    assert errors == []
