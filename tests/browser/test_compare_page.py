"""与上年对比 in a browser: 202's 2022 budget, started from the approved 2021 one, opened from its budget page."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from budgets.models import Budget
from budgets.services.rollover import budget_start_year
from demo.loader import DEMO_PASSWORD
from departments.models import Department
from tests.browser.support import log_in, screenshot
from tests.support.new_year import NEW_YEAR, approve_202, load_2022_catalogue


def test_the_budget_page_leads_to_last_year_beside_this_year(page: Page, demo_budget: Budget) -> None:
    load_2022_catalogue()
    approve_202(demo_budget)
    budget_start_year(
        department=Department.objects.get(code="202"),
        year=NEW_YEAR,
        from_previous=True,
        copy_figures=True,
        actor=User.objects.get(username="acc202"),
    )
    log_in(page, "reviewer", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("budget_detail", args=[NEW_YEAR, "202"]))  # type: ignore[attr-defined]
    page.get_by_role("link", name="与上年对比").click()
    expect(page.locator("h1")).to_have_text("与上年对比")
    expect(page.locator("table.compare")).to_have_count(3)
    expect(page.locator("table.compare").first.locator("tbody tr").first).to_contain_text("合计")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # fits the laptop screen
    screenshot(page, "review/compare-last-year")
