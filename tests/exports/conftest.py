from collections.abc import Callable
from dataclasses import replace

import pytest

from budgets.models import Budget
from demo import luquan_202
from demo.loader import load_demo_budget


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings, tmp_path) -> None:
    # Generated files go to a per-test directory; jobs run synchronously unless a test picks another runner.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_RUNNER = "inline"


@pytest.fixture
def add_departments(demo) -> Callable[[int], list[Budget]]:
    """Add ``n`` departments to 2021, each with a copy of the demo budget 202 (units, projects, lines)."""
    added: list[Budget] = []

    def _add(n: int) -> list[Budget]:
        budgets = []
        for _ in range(n):
            number = 900 + len(added)
            spec = replace(luquan_202.BUDGET, department_code=str(number), department_name=f"复制部门{number}")
            budget = load_demo_budget(spec)
            added.append(budget)
            budgets.append(budget)
        return budgets

    return _add
