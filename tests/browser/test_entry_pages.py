"""Every entry page at a finance office's laptop size (1366×768) and on paper: nothing wider than the screen's
width but the figures themselves, no button or hint printed, no script error; one screenshot each, with the
Chinese text rendered (docs/screenshots/entry/)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from budgets.models import Budget
from demo.loader import DEMO_PASSWORD
from tests.browser.support import log_in, screenshot

YEAR, CODE = 2021, "202"
PAGES = (
    ("10-units", "budget_units_edit"),
    ("11-figures", "budget_figures_edit"),
    ("12-projects", "budget_projects_edit"),
    ("13-procurement-assets", "budget_procurement_edit"),
    ("14-duties", "budget_duties_edit"),
    ("15-goals", "budget_goals_edit"),
    ("16-target", "budget_target_edit"),
)


@pytest.mark.parametrize(("shot", "url_name"), PAGES, ids=[url_name for _, url_name in PAGES])
def test_the_entry_page_fits_the_screen_and_prints_without_controls(
    page: Page, demo_budget: Budget, shot: str, url_name: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "acc202", DEMO_PASSWORD)
    args: list[object] = [YEAR, CODE]
    if url_name == "budget_target_edit":
        args.append(demo_budget.projects.filter(target__isnull=False).order_by("position").first().pk)
    response = page.goto(page.base_url + reverse(url_name, args=args))  # type: ignore[attr-defined]
    assert response is not None
    assert response.status == 200
    screenshot(page, f"entry/{shot}", full_page=False)

    assert errors == []
    # Scrolling sideways is tolerated only inside a grid's own scroll box, never for the whole page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366 + 1

    page.emulate_media(media="print")
    visible_controls = page.locator(
        "button:visible, .no-print:visible, nav.entry-nav:visible, .messages:visible, header:visible"
    )
    assert visible_controls.count() == 0, visible_controls.first.evaluate("e => e.outerHTML.slice(0, 200)")
