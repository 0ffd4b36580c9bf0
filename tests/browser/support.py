"""What the browser tests share: where Chromium is, the screen size, logging in, keeping screenshots."""

import os
from pathlib import Path

from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
# A test run keeps its screenshots in var/ (ignored), so running the suite leaves the checkout clean;
# `make screenshots` renews the ones the docs show.
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR") or ROOT / "var" / "screenshots")
# A laptop screen of a finance office: the pages must work at this size.
VIEWPORT = {"width": 1366, "height": 768}


def log_in(page: Page, username: str, password: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")  # type: ignore[attr-defined]
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state()


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Keep a screenshot under SCREENSHOTS (``name`` may contain a sub-folder: "e2e/01-login")."""
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path


def grid_row(page: Page, index: int):
    """Row ``index`` of the figures grid, adding rows with its 添加行 button until there is one."""
    rows = page.locator("tbody.js-rows tr.js-row")
    while rows.count() <= index:
        page.get_by_role("button", name="添加行").click()
    return rows.nth(index)


def answer_dialogs(page: Page, *, accept: bool) -> list[tuple[str, str]]:
    """Answer every dialog the page opens (a confirmation, the warning before leaving): their type and message,
    as they come."""
    asked: list[tuple[str, str]] = []

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append((dialog.type, dialog.message))
        dialog.accept() if accept else dialog.dismiss()

    page.on("dialog", answer)
    return asked


def second_tab(browser: Browser, page: Page) -> Page:
    """Another user's browser on the same site (its own session), as two people at once."""
    other = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    other.base_url = page.base_url  # type: ignore[attr-defined]
    return other
