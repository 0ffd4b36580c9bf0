"""Review like a finance bureau, in two browsers: the reviewer records 审核数 on two projects and one economic 款
and comments on a cell, returns; the department accepts one cut, answers the other and the comment, resubmits;
the reviewer reads 申报数 | 审核数 | 差额 and the answers, generates control figures from the 审核数, approves."""

from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from budgets.models import Budget, ControlFigures, ReviewAnswer, ReviewComment, ReviewFigure
from budgets.selectors import budget_lines
from demo.loader import DEMO_PASSWORD
from domain.control import control_actuals
from domain.money import to_wan
from domain.workflow import BudgetState
from tests.browser.support import answer_dialogs, log_in, screenshot, second_tab
from tests.support.workflow import explain_warnings, step

MEETINGS, PUBLICITY = "党代会经费", "宣传推介费"
OFFICE_COSTS = "30201 办公费"


def review_row(page: Page, name: str):
    return page.locator("table.review-table tbody tr", has=page.locator("th", has_text=name))


def test_a_reviewer_and_a_department_work_through_the_review(page: Page, browser: Browser, demo_budget: Budget) -> None:
    explain_warnings(demo_budget, "acc202")
    step(demo_budget, "submit", "acc202")
    step(demo_budget, "start_review", "reviewer")
    base = page.base_url  # type: ignore[attr-defined]
    review_url = base + reverse("budget_review", args=[2021, "202"])
    budget_url = base + reverse("budget_detail", args=[2021, "202"])
    questions = answer_dialogs(page, accept=True)

    # The reviewer: 审核数 on two projects and one economic 款.
    log_in(page, "reviewer", DEMO_PASSWORD)
    page.goto(review_url)
    review_row(page, MEETINGS).locator("input[name^=reviewed-]").fill("180000")
    review_row(page, MEETINGS).locator("input[name^=reason-]").fill("会期缩短，压减一成")
    review_row(page, PUBLICITY).locator("input[name^=reviewed-]").fill("80000")
    review_row(page, PUBLICITY).locator("input[name^=reason-]").fill("按上年执行数核定")
    review_row(page, OFFICE_COSTS).locator("input[name^=reviewed-]").fill("200000")
    page.get_by_role("button", name="保存审核数").click()
    expect(page.locator("ul.messages")).to_contain_text("审核数已保存")
    expect(review_row(page, MEETINGS)).to_contain_text("-20,000.00")

    # ... and a comment at one cell of the basic-expenditure table, chosen by clicking it.
    page.goto(base + reverse("budget_table", args=[2021, "202", "basic-economic"]))
    page.locator(f'table.official tr[data-row="{OFFICE_COSTS}"] td').last.click()
    expect(page.locator("#new-comment select[name=row]")).to_have_value(OFFICE_COSTS)
    page.fill("#new-comment textarea[name=text]", "办公费比上年增长较多，请说明原因。")
    page.get_by_role("button", name="保存批注").click()
    expect(page.locator("section.comments li.thread")).to_contain_text("办公费比上年增长较多")
    expect(page.locator(f'table.official tr[data-row="{OFFICE_COSTS}"] td.commented')).to_have_count(1)
    screenshot(page, "review/cell-comment")

    page.goto(budget_url)
    page.fill("#workflow textarea[name=comment]", "请按审核数调整，并答复批注。")
    page.get_by_role("button", name="退回").click()
    expect(page.locator("ul.messages")).to_contain_text("退回成功")

    # The department: accepts the cut of 党代会经费 and of 办公费, keeps 宣传推介费 with its answer.
    department = second_tab(browser, page)
    answer_dialogs(department, accept=True)
    log_in(department, "acc202", DEMO_PASSWORD)
    department.goto(budget_url)
    expect(department.locator("p.notice", has_text="待答复")).to_contain_text("财政审核数 3 项待答复")
    department.goto(review_url)
    for name in (MEETINGS, OFFICE_COSTS):
        row = review_row(department, name)
        row.locator("input[value=accept]").check()
        row.get_by_role("button", name="答复").click()
        expect(department.locator("ul.messages")).to_contain_text("已接受审核数")
    row = review_row(department, PUBLICITY)
    row.locator("input[value=keep]").check()
    row.get_by_role("button", name="答复").click()  # without an answer: refused, nothing lost
    expect(department.locator("ul.errors")).to_contain_text("保留本部门数字时必须填写答复")
    row = review_row(department, PUBLICITY)
    expect(row.locator("input[value=keep]")).to_be_checked()
    row.locator("textarea[name=answer]").fill("全年宣传活动已排定，需保留申报数。")
    row.get_by_role("button", name="答复").click()
    expect(review_row(department, PUBLICITY)).to_contain_text("保留申报数：全年宣传活动已排定")
    thread = department.locator("section.comments li.thread").first
    thread.locator("textarea[name=text]").fill("新增两个基层联系点的办公开支。")
    thread.get_by_role("button", name="回复").click()
    expect(department.locator("section.comments")).to_contain_text("新增两个基层联系点")
    screenshot(department, "review/department-answers")
    department.goto(budget_url)
    department.get_by_role("button", name="提交").click()
    expect(department.locator("ul.messages")).to_contain_text("提交成功")

    lines = budget_lines(demo_budget)
    assert sum(line.amount for line in lines if line.project == MEETINGS) == Decimal("180000.00")
    assert sum(line.amount for line in lines if line.project == PUBLICITY) == Decimal("100000.00")
    office = sum(line.amount for line in lines if line.kind == "basic" and line.economic == "30201")
    assert office == Decimal("200000.00")

    # The reviewer again: 申报数 | 审核数 | 差额 with the answers, control figures from the 审核数, approval.
    page.goto(budget_url)
    page.get_by_role("button", name="开始审核").click()
    page.goto(review_url)
    expect(review_row(page, PUBLICITY)).to_contain_text("全年宣传活动已排定")
    expect(review_row(page, MEETINGS)).to_contain_text("已接受审核数")
    screenshot(page, "review/requested-reviewed-difference")
    page.get_by_role("link", name="按审核数生成控制数").click()
    expect(page.locator("ul.messages")).to_contain_text("按审核数生成")
    page.locator("form.control-page button[type=submit]").click()
    expect(page.locator("ul.messages")).to_contain_text("控制数已保存")
    page.goto(budget_url)
    page.get_by_role("button", name="批复").click()
    expect(page.locator("ul.messages")).to_contain_text("批复成功")
    assert any("尚有 1 条批注未解决" in text for _kind, text in questions)  # asked first

    budget = Budget.objects.get(pk=demo_budget.pk)
    assert budget.state == BudgetState.APPROVED
    assert ReviewFigure.objects.get(budget=budget, project__name=PUBLICITY).answer == ReviewAnswer.KEPT
    assert ReviewComment.objects.get(budget=budget, parent=None).replies.count() == 1
    control = ControlFigures.objects.get(budget=budget)
    spent = control_actuals(budget_lines(budget))
    # 宣传推介费 kept at 100000 though reviewed at 80000: the project control figure is 20000 below what it asks
    assert to_wan(control.project) == to_wan(spent["project"] - Decimal("20000.00"))
    assert to_wan(control.basic) == to_wan(spent["basic"])  # every basic 审核数 accepted
