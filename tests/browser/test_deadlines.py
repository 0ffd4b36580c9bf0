"""截止日期 and 催报 on the dashboard, in a browser: the reviewer sets 一上's deadline, sees it counted on the draft
that has not been submitted, and chases it after confirming."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from budgets.models import Budget, BudgetEvent, Notification
from demo.loader import DEMO_PASSWORD
from tests.browser.support import answer_dialogs, log_in, screenshot


def test_the_reviewer_sets_a_deadline_and_chases_the_late_department(page: Page, demo_budget: Budget) -> None:
    questions = answer_dialogs(page, accept=True)
    log_in(page, "reviewer", DEMO_PASSWORD)
    page.goto(page.base_url + f"{reverse('dashboard')}?year=2021")  # type: ignore[attr-defined]
    page.fill("input[name=round_1]", "2021-03-01")
    page.get_by_role("button", name="保存截止日期").click()
    expect(page.locator("ul.messages")).to_contain_text("2021年截止日期已保存")
    row = page.locator("table.dashboard tbody tr", has_text="318")
    expect(row).to_contain_text("逾期")  # 318's draft of 一上 is past 2021-03-01
    screenshot(page, "review/dashboard-deadlines", full_page=False)
    page.get_by_role("button", name="催报未提交的部门").click()
    expect(page.locator("ul.messages")).to_contain_text("已催报 2 个尚未提交的部门")
    assert [kind for kind, _message in questions] == ["confirm"]
    assert "催报" in questions[0][1]
    assert BudgetEvent.objects.filter(action="remind").count() == 2
    assert Notification.objects.filter(message__startswith="催报").exists()
