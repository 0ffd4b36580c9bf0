"""Issue 6, done when: the example's 2021 budget typed into an empty department through the UI only — its units,
then its figures row by row with one block pasted from Excel — and the nine official tables then show exactly the
example's figures (tests/golden/seed_2021_202.txt, read independently of the product by tests/golden/seed.py).

What the accountant types comes from the demo's description of the example (budgets/demo/luquan_202.py); what the
tables must show comes from the published text. Master data is the administrator's and exists beforehand: the
year's catalogue, the department (without units or budget) and the accountant's account.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import Role, User
from budgets.models import Budget
from demo import luquan_202
from demo.loader import load_starter_catalogue
from demo.spec import DemoLine
from departments.models import Department
from tests.browser.support import grid_row, log_in, screenshot
from tests.golden.pages import GOLDEN, NUMBERED, expected_rows, read_page

PASSWORD = "Typing-the-2021-example"
YEAR = 2021
SPEC = luquan_202.BUDGET
# The rows pasted as one block from Excel (tab-separated, the grid's column order); all others are typed.
PASTED = slice(4, 12)


@pytest.fixture
def empty_department(transactional_db) -> Department:
    load_starter_catalogue(YEAR)
    department = Department.objects.create(code=SPEC.department_code, name=SPEC.department_name)
    accountant = User(username="acc202", role=Role.ACCOUNTANT, department=department, first_name="填报人")
    accountant.set_password(PASSWORD)
    accountant.save()
    return department


def url(page: Page, name: str, *args: object) -> str:
    return page.base_url + reverse(name, args=args)  # type: ignore[attr-defined]


def unit_name(line: DemoLine) -> str:
    return SPEC.units[line.unit].name


def kind_label(line: DemoLine) -> str:
    return line.kind.label


def source_label(line: DemoLine) -> str:
    return line.source.label


def create_the_budget(page: Page) -> None:
    page.goto(url(page, "home"))
    page.get_by_role("link", name="新建预算").click()
    page.select_option("select[name=year]", str(YEAR))
    page.check("input[name=start][value=empty]")
    screenshot(page, "entry/01-new-budget", full_page=False)
    page.get_by_role("button", name="新建", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已新建")


def type_the_units(page: Page) -> None:
    page.goto(url(page, "budget_units_edit", YEAR, SPEC.department_code))
    rows = page.locator("tbody tr.js-row:not(.removed)")
    for index, unit in enumerate(SPEC.units):
        while rows.count() <= index:
            page.get_by_role("button", name="添加单位").click()
        row = rows.nth(index)
        row.locator("[name$=-name]").fill(unit.name)
        row.locator("[name$=-nature]").select_option(label=unit.nature)
        row.locator("[name$=-rank]").fill(unit.rank)
        row.locator("[name$=-funding_form]").fill(unit.funding_form)
    screenshot(page, "entry/02-units", full_page=False)
    page.get_by_role("button", name="保存单位").click()
    expect(page.locator(".messages")).to_contain_text("单位已保存")


def type_line(page: Page, index: int, line: DemoLine) -> None:
    row = grid_row(page, index)
    row.locator("[data-col=unit]").select_option(value=unit_name(line))  # shown by its short label
    # Codes are typed as an accountant types them, then confirmed by the name the page looks up.
    row.locator("[data-col=function]").fill(line.function)
    row.locator("[data-col=economic]").fill(line.economic)
    row.locator("[data-col=kind]").select_option(label=kind_label(line))
    row.locator("[data-col=source]").select_option(label=source_label(line))
    row.locator("[data-col=carried_over]").set_checked(line.carried_over)
    row.locator("[data-col=project]").fill(line.project)
    row.locator("[data-col=amount]").fill(line.yuan)
    row.locator("[data-col=amount]").press("Tab")


def paste_lines(page: Page, index: int, lines: tuple[DemoLine, ...]) -> None:
    """Copy the rows as Excel puts them on the clipboard, click the first row's 单位 cell, press Ctrl+V."""
    block = "\r\n".join(
        "\t".join(
            (
                unit_name(line),
                line.function,
                line.economic,
                kind_label(line),
                source_label(line),
                "是" if line.carried_over else "",
                line.project,
                line.yuan,
            )
        )
        for line in lines
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("text => navigator.clipboard.writeText(text)", block + "\r\n")
    grid_row(page, index).locator("[data-col=function]").click()
    grid_row(page, index).locator("[data-col=unit]").focus()
    page.keyboard.press("Control+V")
    last = grid_row(page, index + len(lines) - 1)
    expect(last.locator("[data-col=amount]")).to_have_value(lines[-1].yuan)


def type_the_figures(page: Page) -> None:
    page.goto(url(page, "budget_figures_edit", YEAR, SPEC.department_code))
    page.get_by_role("link", name="改用元").click()  # the example's 尾差 needs fen: typed in 元
    expect(page.locator(".js-unit-label").first).to_have_text("元")
    lines = SPEC.lines
    pasted = lines[PASTED]
    typed = [(i, line) for i, line in enumerate(lines) if not (PASTED.start <= i < PASTED.stop)]
    for index, line in typed[: PASTED.start]:
        type_line(page, index, line)
    paste_lines(page, PASTED.start, pasted)
    for index, line in typed[PASTED.start :]:
        type_line(page, index, line)
    expect(page.locator("output.js-total[data-kind='']")).to_have_text(total_printed(lines))
    # The 类/款 rows appear and total themselves, and basic expenditure splits into 人员经费 and 公用经费.
    summary = page.locator(".js-function-summary")
    expect(summary.locator("tr.level-class").first).to_contain_text("201 一般公共服务支出")
    expect(summary.locator("tr.level-section").first).to_contain_text("20131")
    personnel = [line for line in lines if line.kind.value == "basic" and line.economic[:3] in {"301", "303"}]
    expect(page.locator(".js-economic-summary tr", has_text="人员经费")).to_contain_text(total_printed(personnel))
    page.locator(".derived").scroll_into_view_if_needed()
    screenshot(page, "entry/04-figures-derived", full_page=False)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "entry/03-figures", full_page=False)
    page.get_by_role("button", name="保存全部预算数字").click()
    expect(page.locator(".messages")).to_contain_text("预算数字已保存")


def total_printed(lines: tuple[DemoLine, ...]) -> str:
    total = sum(line.amount for line in lines)
    return f"{total:,.2f}"


def test_the_example_typed_through_the_ui_shows_the_example_in_its_nine_tables(
    page: Page, empty_department: Department
) -> None:
    log_in(page, "acc202", PASSWORD)
    create_the_budget(page)
    type_the_units(page)
    type_the_figures(page)

    budget = Budget.objects.get(department=empty_department, year_id=YEAR)
    assert budget.lines.count() == len(SPEC.lines)

    page.goto(url(page, "budget_tables", YEAR, SPEC.department_code))
    tables = read_page(page.content())
    for golden in NUMBERED:
        assert tables[golden.key].rows == expected_rows(golden), golden.title
    units = next(golden for golden in GOLDEN if golden.key == "units")
    assert tables["units"].rows == expected_rows(units)
