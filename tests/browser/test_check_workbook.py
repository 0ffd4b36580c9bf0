"""检查工作簿 in a real browser: a workbook with one cell changed is shown refused where it no longer adds up, in the
words its import would use; the budget's own workbook checks clean."""

import io

import openpyxl
from django.urls import reverse
from playwright.sync_api import Page, expect

from demo.loader import DEMO_PASSWORD
from tests.browser.support import log_in, screenshot
from tests.support.workbooks import exported

EXPENDITURE = "部门预算支出总表"


def with_cell(data: bytes, sheet: str, ref: str, value: object) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    book[sheet][ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check(page: Page, path) -> None:
    page.goto(page.base_url + reverse("workbook_check"))  # type: ignore[attr-defined]
    # The file input speaks Chinese whatever the browser's language (static/js/files.js).
    expect(page.locator("button.file-choose")).to_have_text("选择文件")
    expect(page.locator(".file-name")).to_have_text("未选择文件")
    page.set_input_files("input[name=workbook]", str(path))
    expect(page.locator(".file-name")).to_have_text(path.name)
    page.get_by_role("button", name="检查").click()
    page.wait_for_load_state()


def test_a_workbook_checked_shows_what_its_import_would_refuse(page: Page, demo_budget, tmp_path) -> None:
    log_in(page, "acc202", DEMO_PASSWORD)
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(exported(demo_budget))
    bad.write_bytes(with_cell(exported(demo_budget), EXPENDITURE, "E9", 1.0))

    check(page, good)
    expect(page.locator("main")).to_contain_text("没有错误：可以导入。")

    check(page, bad)
    body = page.locator("main")
    expect(body).to_contain_text("导入时将被拒绝")
    # the 款 above the changed 项 no longer adds up: named at its cell, as the import names it
    expect(body).to_contain_text(f"{EXPENDITURE}!E8")
    expect(body).to_contain_text("款 20131为 514.97，其下各级之和为 1.00")
    screenshot(page, "check/refused-cell")
