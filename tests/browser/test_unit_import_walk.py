"""A unit's accountant edits in Excel (issue 20): he downloads his unit's 录入模板 from his page, raises one of his
figures, uploads it, reads the preview and confirms; only that line of the budget changes. The bureau then finds
the unit on its dashboard by unit."""

from decimal import Decimal

import openpyxl
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role, User
from budgets.models import Budget
from budgets.resources import AMOUNT
from budgets.selectors import budget_lines
from demo.loader import DEMO_PASSWORD
from departments.models import Unit
from tests.browser.support import log_in, screenshot, second_tab

CENTRE = "中共石家庄市鹿泉区委信息中心"


def test_a_unit_edits_its_template_in_excel_and_only_its_line_changes(
    page: Page, browser: Browser, demo_budget: Budget, tmp_path
) -> None:
    unit = Unit.objects.get(department__code="202", name=CENTRE)
    User.objects.create_user(
        "acc202-2", password=DEMO_PASSWORD, role=Role.UNIT_ACCOUNTANT, department=unit.department, unit=unit
    )
    before = budget_lines(demo_budget)
    log_in(page, "acc202-2", DEMO_PASSWORD)
    page.get_by_role("link", name="本单位预算").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="本单位录入模板").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    book = openpyxl.load_workbook(template)  # as Excel would: one amount raised by 100 元
    sheet = book["预算明细"]
    column = next(cell.column for cell in sheet[1] if cell.value == AMOUNT)
    raised = Decimal(str(sheet.cell(2, column).value)) + 100
    sheet.cell(2, column).value = float(raised)
    edited = tmp_path / "edited.xlsx"
    book.save(edited)

    page.set_input_files("input[name=workbook]", str(edited))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("h1")).to_contain_text("导入预览")
    expect(page.locator("body")).to_contain_text(f"这是{CENTRE}的录入模板")
    expect(page.locator("body")).to_contain_text("预算明细的变化（1 条")
    screenshot(page, "units/unit-import-preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("ul.messages")).to_contain_text("已导入")

    after = budget_lines(demo_budget)
    changed = [line for line in after if line not in before]
    assert len(changed) == 1
    assert (changed[0].unit, changed[0].amount) == (CENTRE, raised)
    assert [line for line in after if line.unit != CENTRE] == [line for line in before if line.unit != CENTRE]

    page.get_by_role("link", name="编辑本单位政府采购和资产").click()
    expect(page.locator("h1")).to_have_text("编辑本单位政府采购和资产")
    screenshot(page, "units/unit-procurement")

    bureau = second_tab(browser, page)
    log_in(bureau, "reviewer", DEMO_PASSWORD)
    bureau.goto(bureau.base_url + reverse("dashboard_units") + "?department=202")  # type: ignore[attr-defined]
    expect(bureau.locator("table.dashboard-units")).to_contain_text(CENTRE)
    expect(bureau.locator("table.dashboard-units")).to_contain_text("草稿")
    screenshot(bureau, "units/dashboard-units")
