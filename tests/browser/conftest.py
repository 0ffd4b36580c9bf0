"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium, installed by scripts/system-packages)
against Django's live server. Playwright's own browser downloads are never used.

The live server runs in a thread of the test process, on the test database; the tests use ``transactional_db``
(through ``live_server``), so what the browser saves is visible to the test's ORM queries and is flushed after.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api

from budgets.models import Budget
from demo.loader import load_demo
from tests.browser.support import CHROMIUM, VIEWPORT


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# Per module, so that no event loop outlives the browser tests into the rest of the suite.
@pytest.fixture(scope="module")
def browser() -> Iterator["sync_api.Browser"]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        reason = f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; scripts/system-packages does it)"
        # CI must not pass by skipping them: .ci/run sets BROWSER_TESTS_REQUIRED.
        if os.environ.get("BROWSER_TESTS_REQUIRED"):
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API keeps an event loop in this thread while the browser lives, and Django's ORM refuses
    # to run where one exists unless told that the thread is synchronous code, which it is. Only while it lives.
    allow = pytest.MonkeyPatch()
    allow.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()
    allow.undo()


@pytest.fixture
def page(browser: "sync_api.Browser", live_server) -> Iterator["sync_api.Page"]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def demo_budget(transactional_db) -> Budget:
    """The demo loaded (202 and 318, their users); 202's 2021 budget, the one the browser tests drive."""
    load_demo()
    return Budget.objects.get(department__code="202", year_id=2021)
