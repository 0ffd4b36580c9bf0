"""The budget page in Chromium: warning explanations typed in 审核结果 go with 提交 (one form), are kept when the
submission is refused, and are not left behind unseen (leaving the page with unsaved text asks first)."""

import threading

from django.urls import reverse
from playwright.sync_api import Page, expect

from budgets.models import Budget, WarningExplanation
from demo.loader import DEMO_PASSWORD
from disclosure import publication
from domain.workflow import BudgetState
from tests.browser.support import answer_dialogs, log_in, screenshot

YEAR, CODE = 2021, "202"


def open_budget(page: Page) -> None:
    log_in(page, "acc202", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("budget_detail", args=[YEAR, CODE]))  # type: ignore[attr-defined]


def boxes(page: Page):
    return page.locator("#audit textarea[name^=text-]")


def submit(page: Page) -> None:
    page.locator("#workflow").get_by_role("button", name="提交", exact=True).click()
    page.wait_for_load_state()


def test_submit_saves_the_explanations_typed_without_saving_them_first(page: Page, demo_budget: Budget) -> None:
    open_budget(page)
    count = boxes(page).count()
    assert count >= 2  # the demo's placeholders (T01)
    for index in range(count):
        boxes(page).nth(index).fill(f"已核实（{index + 1}）")
    submit(page)
    demo_budget.refresh_from_db()
    assert demo_budget.state == BudgetState.SUBMITTED
    assert sorted(WarningExplanation.objects.filter(budget=demo_budget).values_list("text", flat=True)) == sorted(
        f"已核实（{index + 1}）" for index in range(count)
    )


def test_a_refused_submit_keeps_every_explanation_typed(page: Page, demo_budget: Budget) -> None:
    open_budget(page)
    boxes(page).first.fill("第一条已核实")
    submit(page)
    expect(page.locator("ul.messages")).to_contain_text("未说明")
    demo_budget.refresh_from_db()
    assert demo_budget.state == BudgetState.DRAFT
    expect(boxes(page).first).to_have_value("第一条已核实")
    assert boxes(page).nth(1).input_value() == ""


def test_leaving_with_an_explanation_unsaved_asks_first(page: Page, demo_budget: Budget) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_budget(page)
    boxes(page).first.fill("尚未保存的说明")
    warned = answer_dialogs(page, accept=False)
    url = page.url
    page.locator(".site-header").get_by_role("link").first.click()
    expect(page).to_have_url(url)
    assert [kind for kind, _ in warned] == ["beforeunload"]
    assert errors == []


def reviewer_on_budget(page: Page, demo_budget: Budget, state: BudgetState) -> None:
    Budget.objects.filter(pk=demo_budget.pk).update(state=state)
    log_in(page, "reviewer", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("budget_detail", args=[YEAR, CODE]))  # type: ignore[attr-defined]


def test_approval_asks_first_and_a_no_changes_nothing(page: Page, demo_budget: Budget) -> None:
    reviewer_on_budget(page, demo_budget, BudgetState.IN_REVIEW)
    asked = answer_dialogs(page, accept=False)
    page.locator("#workflow").get_by_role("button", name="批复", exact=True).click()
    assert asked
    assert "批复后预算数字冻结" in asked[0][1]
    demo_budget.refresh_from_db()
    assert demo_budget.state == BudgetState.IN_REVIEW


def test_approval_confirmed_goes_ahead(page: Page, demo_budget: Budget) -> None:
    reviewer_on_budget(page, demo_budget, BudgetState.IN_REVIEW)
    asked = answer_dialogs(page, accept=True)
    page.locator("#workflow").get_by_role("button", name="批复", exact=True).click()
    expect(page.locator("ul.messages")).to_contain_text("批复成功")
    assert len(asked) == 1
    demo_budget.refresh_from_db()
    assert demo_budget.state == BudgetState.APPROVED


def test_a_return_without_its_comment_is_said_at_once_and_nothing_is_sent(page: Page, demo_budget: Budget) -> None:
    reviewer_on_budget(page, demo_budget, BudgetState.IN_REVIEW)
    asked = answer_dialogs(page, accept=True)
    page.locator("#workflow").get_by_role("button", name="退回", exact=True).click()
    expect(page.locator("#workflow textarea[name=comment]")).to_be_focused()
    assert asked == [("alert", "退回必须填写意见或理由。")]
    demo_budget.refresh_from_db()
    assert demo_budget.state == BudgetState.IN_REVIEW
    page.fill("#workflow textarea[name=comment]", "三公经费请再核对。")
    page.locator("#workflow").get_by_role("button", name="退回", exact=True).click()
    expect(page.locator("ul.messages")).to_contain_text("退回成功")
    assert "确定退回" in asked[1][1]


def test_publishing_asks_first(page: Page, demo_budget: Budget) -> None:
    reviewer_on_budget(page, demo_budget, BudgetState.APPROVED)
    asked = answer_dialogs(page, accept=False)
    page.get_by_role("button", name="发布公开").click()
    assert asked
    assert "向社会公开" in asked[0][1]
    assert not demo_budget.published_documents.exists()


def test_publishing_runs_in_the_background_with_its_steps_shown(
    page: Page, demo_budget: Budget, settings, monkeypatch
) -> None:
    settings.EXPORT_RUNNER = "thread"  # as on the embedded set-up: a thread of the server's process
    release = threading.Event()

    def slow_pdf(html: str) -> bytes:  # WeasyPrint takes seconds: held here until the page has shown its progress
        release.wait(30)
        return b"%PDF-1.7 stand-in"

    monkeypatch.setattr(publication, "render_pdf", slow_pdf)
    reviewer_on_budget(page, demo_budget, BudgetState.IN_REVIEW)
    answer_dialogs(page, accept=True)
    page.locator("#workflow").get_by_role("button", name="批复", exact=True).click()
    page.get_by_role("button", name="发布公开").click()
    progress = page.locator(".publication-progress")
    expect(progress).to_contain_text("生成公开文件（PDF）", timeout=10_000)
    expect(page.locator("ul.messages")).to_contain_text("正在发布第1版")
    screenshot(page, "pages/publish-progress", full_page=False)
    release.set()
    expect(page.get_by_role("link", name="已公开（第1版）")).to_be_visible(timeout=20_000)
    assert demo_budget.published_documents.count() == 1
