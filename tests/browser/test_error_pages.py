"""The error pages in Chromium: the site's header, the reason the code knows in Chinese, a way back (the page one
came from, and the home page)."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from demo.loader import DEMO_PASSWORD
from tests.browser.support import log_in, screenshot


def test_a_refusal_is_a_chinese_page_with_its_reason_and_a_way_back(page: Page, demo_budget) -> None:
    log_in(page, "acc202", DEMO_PASSWORD)
    home = page.url
    response = page.goto(page.base_url + reverse("dashboard"), referer=home)  # type: ignore[attr-defined]
    assert response is not None
    assert response.status == 403
    expect(page.locator("header.site-header")).to_contain_text("部门预算编制系统")
    expect(page.locator("h1")).to_have_text("没有权限（403）")
    expect(page.locator("main")).to_contain_text("财政")  # the reason: the finance bureau's page
    expect(page.get_by_role("link", name="返回上一页")).to_have_attribute("href", home)
    screenshot(page, "pages/error-403", full_page=False)
    page.get_by_role("link", name="返回首页").click()
    expect(page).to_have_url(home)


def test_a_budget_of_another_department_is_not_found_in_chinese(page: Page, demo_budget) -> None:
    log_in(page, "acc202", DEMO_PASSWORD)
    response = page.goto(page.base_url + reverse("budget_detail", args=[2021, "318"]))  # type: ignore[attr-defined]
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("找不到页面（404）")
    assert "Page not found" not in page.content()
