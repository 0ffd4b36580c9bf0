"""Issue 10: the whole year as its users live it, in a real browser, one screenshot per step (docs/screenshots/e2e/).

The accountant of 202 starts from an empty budget (the demo's 202 in 二上 with its control figures, figures
cleared), types a first line, imports the department's workbook with an error in it (refused, the error at its
cell), fixes the file and imports it, explains the warnings and submits. The reviewer returns it with a comment;
the accountant answers and resubmits; the reviewer approves. The accountant can no longer edit. The reviewer
downloads the official workbook, whose every figure is checked against the published example, and publishes it;
the public page shows it to anyone.
"""

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from budgets.models import Budget
from budgets.services.locking import budget_touch
from demo.loader import DEMO_PASSWORD, load_demo
from domain.workflow import TRANSITIONS, BudgetState
from official.workbook import sheet_name
from performance.models import Indicator
from tests.browser.support import VIEWPORT, grid_row, log_in, screenshot
from tests.golden.seed import load_seed
from tests.support.hebei_2021 import OFFICIAL_TABLES
from tests.support.workbooks import sheet_rows

YEAR, CODE = 2021, "202"
WRONG_SHEET = "部门预算支出总表"
LAST_PROJECT, LAST_FUNCTION, LAST_ECONOMIC, LAST_YUAN = "报刊征订费", "2013102", "30201", "20000.00"
TARGET_SHEET, TARGET_BEFORE, TARGET_AFTER = "绩效目标表1", "100 份", "120 份"
RETURN_COMMENT = "“xxxx 工程二期建设”的说明过于简单，请写明工程的实际名称和用途。"


def shot(page: Page, step: str) -> None:
    screenshot(page, f"e2e/{step}", full_page=False)


@pytest.fixture
def world(transactional_db) -> Budget:
    """The demo; 202's budget entered but for its last figure, 报刊征订费 (the accountant types it)."""
    load_demo()
    budget = Budget.objects.get(department__code=CODE, year_id=YEAR)
    budget.lines.filter(project__name=LAST_PROJECT).delete()
    budget_touch(budget)
    return budget


def edited_in_excel(workbook_bytes: bytes, folder: Path) -> tuple[Path, Path, str]:
    """The department's workbook after an edit in Excel: a performance target raised (good), and the same with
    a slip of the finger in the 合计 row of 部门预算支出总表 (wrong); and the wrong cell's sheet!cell."""
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    targets = workbook[TARGET_SHEET]
    [target] = [cell for row in targets.iter_rows() for cell in row if cell.value == TARGET_BEFORE][:1]
    target.value = TARGET_AFTER
    good = folder / "202-2021.xlsx"
    workbook.save(good)
    sheet = workbook[WRONG_SHEET]
    total_row = next(row for row in sheet.iter_rows() if row[2].value == "合计")
    wrong_cell = total_row[3]
    wrong_cell.value = round(wrong_cell.value + 1, 2)
    wrong = folder / "202-2021-typo.xlsx"
    workbook.save(wrong)
    return good, wrong, f"{WRONG_SHEET}!{wrong_cell.coordinate}"


@pytest.fixture
def reviewer_page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()


def open_budget(page: Page) -> None:
    page.goto(page.base_url + reverse("budget_detail", args=[YEAR, CODE]))  # type: ignore[attr-defined]


CONFIRMED = {transition.label for transition in TRANSITIONS.values() if transition.confirm}


def act(page: Page, label: str, comment: str = "") -> None:
    open_budget(page)
    if comment:
        page.fill("#workflow textarea[name=comment]", comment)
    if label in CONFIRMED:  # the question it asks first, answered yes
        page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#workflow").get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()


def explain_warnings(page: Page, text: str) -> int:
    open_budget(page)
    boxes = page.locator("#audit textarea[name^=text-]")
    for index in range(boxes.count()):
        boxes.nth(index).fill(f"{text}（{index + 1}）")
    if boxes.count():
        page.get_by_role("button", name="保存警告说明").click()
        page.wait_for_load_state()
    return boxes.count()


def upload(page: Page, workbook: Path) -> None:
    open_budget(page)
    page.set_input_files(".import-form input[type=file]", str(workbook))
    page.locator(".import-form").get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state()


def state() -> str:
    return Budget.objects.get(department__code=CODE, year_id=YEAR).state


def test_a_budget_year_from_first_figure_to_publication(
    page: Page, reviewer_page: Page, world: Budget, tmp_path: Path
) -> None:
    accountant, reviewer = page, reviewer_page

    # The accountant types the budget's last figure.
    log_in(accountant, "acc202", DEMO_PASSWORD)
    shot(accountant, "01-accountant-home")
    accountant.goto(accountant.base_url + reverse("budget_figures_edit", args=[YEAR, CODE]))  # type: ignore[attr-defined]
    row = grid_row(accountant, world.lines.count())
    row.locator("[data-col=unit]").select_option(value="中共石家庄市鹿泉区委办公室本级")
    row.locator("[data-col=function]").fill(LAST_FUNCTION)
    row.locator("[data-col=economic]").fill(LAST_ECONOMIC)
    row.locator("[data-col=kind]").select_option(label="项目支出")
    row.locator("[data-col=project]").fill(LAST_PROJECT)
    row.locator("[data-col=amount]").fill("2.00")
    shot(accountant, "02-figures-entered")
    accountant.get_by_role("button", name="保存全部预算数字").click()
    expect(accountant.locator(".messages")).to_contain_text("预算数字已保存")

    # Downloads the workbook, raises a target in Excel, slips in the 合计 row: the import is refused at that
    # cell and changes nothing; the slip fixed, the import shows the change and writes it.
    open_budget(accountant)
    with accountant.expect_download() as download:
        accountant.get_by_role("link", name="下载公开表（xlsx，万元）").click()
    good, wrong, wrong_ref = edited_in_excel(Path(download.value.path()).read_bytes(), tmp_path)
    revision = Budget.objects.get(pk=world.pk).revision
    upload(accountant, wrong)
    expect(accountant.locator(".errors")).to_contain_text("未导入")
    expect(accountant.locator("table.problems")).to_contain_text(wrong_ref)
    shot(accountant, "03-import-refused")
    assert Budget.objects.get(pk=world.pk).revision == revision
    upload(accountant, good)
    expect(accountant.locator("body")).to_contain_text("绩效目标")
    shot(accountant, "04-import-preview")
    accountant.get_by_role("button", name="确认导入").click()
    expect(accountant.locator(".messages")).to_contain_text("导入")
    assert Indicator.objects.filter(table__project__budget=world, name="计划制作证件", number=120).exists()

    # Every warning explained, then submitted.
    explain_warnings(accountant, "工程名称按保密要求以 xxxx 代替")
    act(accountant, "提交")
    shot(accountant, "05-submitted")
    assert state() == BudgetState.SUBMITTED

    # The reviewer returns it with a comment.
    log_in(reviewer, "reviewer", DEMO_PASSWORD)
    act(reviewer, "开始审核")
    act(reviewer, "退回", RETURN_COMMENT)
    shot(reviewer, "06-returned")
    assert state() == BudgetState.RETURNED

    # The accountant reads it in the inbox, answers, resubmits.
    accountant.goto(accountant.base_url + reverse("notifications"))  # type: ignore[attr-defined]
    expect(accountant.locator("body")).to_contain_text(RETURN_COMMENT)
    shot(accountant, "07-notification")
    assert explain_warnings(accountant, "xxxx 为涉密工程代称，实际为机要通信线路改造，用于区委机要通信")
    act(accountant, "提交")
    assert state() == BudgetState.SUBMITTED

    # The reviewer approves.
    act(reviewer, "开始审核")
    act(reviewer, "批复")
    shot(reviewer, "08-approved")
    assert state() == BudgetState.APPROVED

    # The accountant can no longer edit.
    open_budget(accountant)
    expect(accountant.get_by_role("link", name="编辑预算数字")).to_have_count(0)
    expect(accountant.locator(".import-form")).to_have_count(0)
    response = accountant.goto(accountant.base_url + reverse("budget_figures_edit", args=[YEAR, CODE]))  # type: ignore[attr-defined]
    assert response is not None
    assert response.status == 403
    shot(accountant, "09-accountant-cannot-edit")

    # The reviewer downloads the official workbook: every figure is the example's.
    open_budget(reviewer)
    with reviewer.expect_download() as download:
        reviewer.get_by_role("link", name="下载公开表（xlsx，万元）").click()
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    seed = load_seed()
    compared = 0
    for layout in OFFICIAL_TABLES:
        if layout.title not in seed:
            continue
        exported = [
            ["" if value is None else (f"{value:.2f}" if isinstance(value, float) else str(value)) for value in row]
            for row in sheet_rows(workbook[sheet_name(layout)], layout)
        ]
        expected = [[cell.replace("121.783", "121.78") for cell in row] for row in seed[layout.title].rows]
        if not expected:  # the example prints the empty tables with their note
            expected = [[layout.empty_note, *[""] * (layout.width - 1)]]
        assert exported == expected, layout.title
        compared += 1
    assert compared >= 9

    # Published, the public page shows it to anyone.
    open_budget(reviewer)
    reviewer.once("dialog", lambda dialog: dialog.accept())
    reviewer.get_by_role("button", name="发布公开").click()
    expect(reviewer.locator(".messages")).to_contain_text("正在发布第1版")  # in the background: the page follows it
    # The first PDF of a fresh machine also builds the font cache: minutes, not seconds.
    outcome = reviewer.locator("#publication a:text-is('已公开（第1版）'), #publication p.errors")
    expect(outcome).to_be_visible(timeout=240_000)
    assert outcome.inner_text() == "已公开（第1版）"
    public = reviewer.context.browser.new_page()
    public.goto(reviewer.base_url + reverse("public_document", args=[YEAR, CODE]))  # type: ignore[attr-defined]
    expect(public.locator("body")).to_contain_text("中共石家庄市鹿泉区委办公室")
    summary = seed["部门预算收支总表"].rows
    expect(public.locator("body")).to_contain_text(summary[-1][-1])
    screenshot(public, "e2e/10-public-page")
    public.close()
