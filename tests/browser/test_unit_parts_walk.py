"""Units enter their own parts, in three browsers: 202's two unit accountants enter and report; the department
returns 信息中心's part, which its accountant puts right and reports again; the department accepts both and
submits; the finance bureau approves. The 部门预算 is the published example still, and the units' 单位预算 add
up to it."""

from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role, User
from budgets.models import Budget, UnitPart
from budgets.selectors import budget_data, budget_lines
from demo.loader import DEMO_PASSWORD
from departments.models import Unit
from domain.unit_budget import unit_budget
from domain.unit_parts import PartState
from tests.browser.support import answer_dialogs, log_in, screenshot, second_tab
from tests.support.workflow import explain_warnings, step

OFFICE, CENTRE = "中共石家庄市鹿泉区委办公室本级", "中共石家庄市鹿泉区委信息中心"


def unit_accountant(username: str, unit_name: str) -> Unit:
    unit = Unit.objects.get(department__code="202", name=unit_name)
    User.objects.create_user(
        username, password=DEMO_PASSWORD, role=Role.UNIT_ACCOUNTANT, department=unit.department, unit=unit
    )
    return unit


def open_own_unit(page: Page, username: str) -> None:
    log_in(page, username, DEMO_PASSWORD)
    page.get_by_role("link", name="本单位预算").first.click()


def first_amount(page: Page):
    return page.locator("tbody.js-rows tr.js-row").first.locator("[data-col=amount]")


def test_two_units_enter_their_parts_and_the_department_submits(
    page: Page, browser: Browser, demo_budget: Budget
) -> None:
    office, centre = unit_accountant("acc202-1", OFFICE), unit_accountant("acc202-2", CENTRE)
    explain_warnings(demo_budget, "acc202")
    stored = sorted(budget_lines(demo_budget), key=repr)
    answer_dialogs(page, accept=True)

    # 信息中心 raises one figure of its own by 100 元 and reports.
    open_own_unit(page, "acc202-2")
    expect(page.locator("h1")).to_contain_text(CENTRE)
    page.get_by_role("link", name="编辑本单位预算数字").click()
    amount = first_amount(page)
    typed = amount.input_value()
    amount.fill(str(Decimal(typed) + Decimal("0.01")))  # 万元: 100 元 more
    page.get_by_role("button", name="保存全部预算数字").click()
    expect(page.locator("ul.messages")).to_contain_text("已保存")
    assert {line.unit for line in budget_lines(demo_budget)} == {line.unit for line in stored}
    page.get_by_role("link", name="返回单位预算").click()
    page.get_by_role("button", name="报送部门").click()
    expect(page.locator(".part-state")).to_have_text("已报部门")

    # 本级 reports as it stands.
    office_page = second_tab(browser, page)
    open_own_unit(office_page, "acc202-1")
    expect(office_page.locator("h1")).to_contain_text(OFFICE)
    office_page.get_by_role("button", name="报送部门").click()
    expect(office_page.locator(".part-state")).to_have_text("已报部门")

    # The department returns 信息中心's part: the 100 元 were not agreed.
    department = second_tab(browser, page)
    answer_dialogs(department, accept=True)
    log_in(department, "acc202", DEMO_PASSWORD)
    department.goto(department.base_url + reverse("budget_unit_parts", args=[2021, "202"]))  # type: ignore[attr-defined]
    expect(department.locator("table.unit-parts")).to_contain_text("已报部门")
    screenshot(department, "units/unit-parts")
    department.get_by_role("link", name=CENTRE).click()
    department.fill("form.unit-steps textarea[name=comment]", "增加的 100 元未经部门同意，请按原数填报。")
    department.get_by_role("button", name="退回单位").click()
    expect(department.locator(".part-state")).to_have_text("部门退回")

    # 信息中心 puts it right and reports again.
    page.reload()
    expect(page.locator(".part-state")).to_have_text("部门退回")
    page.get_by_role("link", name="编辑本单位预算数字").click()
    first_amount(page).fill(typed)
    page.get_by_role("button", name="保存全部预算数字").click()
    expect(page.locator("ul.messages")).to_contain_text("已保存")
    page.get_by_role("link", name="返回单位预算").click()
    page.get_by_role("button", name="报送部门").click()
    screenshot(page, "units/unit-part")

    # The department consolidates: each unit beside the department, adding up.
    department.goto(department.base_url + reverse("budget_unit_summary", args=[2021, "202"]))  # type: ignore[attr-defined]
    department.select_option("select[name=table]", "expenditure")
    department.get_by_role("button", name="显示").click()
    expect(department.locator("table.unit-summary thead")).to_contain_text(CENTRE)
    expect(department.locator("table.unit-summary tr.differs")).to_have_count(0)
    screenshot(department, "units/unit-summary")

    # The department accepts both and submits; the bureau approves.
    for unit in (office, centre):
        department.goto(department.base_url + reverse("budget_unit_part", args=[2021, "202", unit.pk]))  # type: ignore[attr-defined]
        department.get_by_role("button", name="审核通过").click()
        expect(department.locator(".part-state")).to_have_text("部门已审")
    department.goto(department.base_url + reverse("budget_detail", args=[2021, "202"]))  # type: ignore[attr-defined]
    department.get_by_role("button", name="提交").click()
    expect(department.locator("ul.messages")).to_contain_text("提交成功")
    step(demo_budget, "start_review", "reviewer")
    budget = step(demo_budget, "approve", "reviewer")

    assert budget.state == "approved"
    assert set(UnitPart.objects.filter(budget=budget).values_list("state", flat=True)) == {PartState.ACCEPTED}
    assert sorted(budget_lines(budget), key=repr) == stored  # the published example, figure for figure
    data = budget_data(Budget.objects.get(pk=budget.pk))
    by_unit = [sum(line.amount for line in unit_budget(data, name).lines) for name in (OFFICE, CENTRE)]
    assert sum(by_unit) == sum(line.amount for line in data.lines)
    assert all(total > 0 for total in by_unit)
