from collections.abc import Callable

import pytest

from budgets.models import Budget
from tests.support.budgets import make_own_budget


@pytest.fixture(autouse=True)
def _jobs_run_inline(settings) -> None:
    # Jobs run synchronously unless a test picks another runner (files go to the test's own MEDIA_ROOT: conftest).
    settings.EXPORT_RUNNER = "inline"


@pytest.fixture
def add_departments(small) -> Callable[[int], list[Budget]]:
    """Add ``n`` departments to 2021, each with a copy of the small world's own budget (units, projects, lines,
    targets, procurement, assets)."""
    added: list[Budget] = []

    def _add(n: int) -> list[Budget]:
        budgets = []
        for _ in range(n):
            number = 900 + len(added)
            budget = make_own_budget(str(number), f"复制部门{number}")
            added.append(budget)
            budgets.append(budget)
        return budgets

    return _add
