"""Two tabs on 单位: the second to save is shown what saving again would change (the other's 单位规格 beside its
own), nothing written until it saves again, having seen it."""

from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from budgets.models import Budget
from demo.loader import DEMO_PASSWORD
from departments.models import Unit
from tests.browser.support import log_in, screenshot, second_tab

YEAR, CODE = 2021, "202"


def open_units(page: Page) -> None:
    log_in(page, "acc202", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("budget_units_edit", args=[YEAR, CODE]))  # type: ignore[attr-defined]


def save(page: Page) -> None:
    page.get_by_role("button", name="保存单位").click()
    page.wait_for_load_state()


def test_the_later_save_is_shown_the_others_values_beside_its_own_before_anything_is_written(
    page: Page, browser: Browser, demo_budget: Budget
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_units(page)
    other = second_tab(browser, page)
    open_units(other)
    unit = Unit.objects.filter(department=demo_budget.department).order_by("position", "id")[1]
    name_before = unit.name

    other.locator("[name=unit-1-rank]").fill("副处级")
    save(other)
    expect(other.locator("ul.messages")).to_contain_text("已保存")

    page.locator("[name=unit-1-name]").fill("新名称")
    save(page)
    expect(page.locator("ul.messages")).to_contain_text("已被他人修改")
    expect(page.locator("[name=unit-1-name]")).to_have_value("新名称")  # kept as typed
    rows = page.locator("#theirs table.rehearsal tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("副处级")  # the other's value, beside the page's
    unit.refresh_from_db()
    assert (unit.name, unit.rank) == (name_before, "副处级")  # nothing of the page written yet
    screenshot(page, "pages/units-stale-comparison", full_page=False)

    save(page)
    expect(page.locator("ul.messages")).to_contain_text("已保存")
    unit.refresh_from_db()
    assert unit.name == "新名称"
    assert errors == []
