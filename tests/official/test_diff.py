"""What changed between two versions of a budget as the tables print it (official.diff.table_changes): a row of a
收支总表 is two rows, one of 收入 and one of 支出, each named by its own words."""

from dataclasses import replace
from decimal import Decimal

import pytest

from budgets.selectors import budget_data
from domain.classifications import Kind
from official.diff import table_changes

pytestmark = pytest.mark.django_db


def test_a_summary_row_says_whether_its_change_is_of_income_or_of_expenditure(small) -> None:
    before = budget_data(small.budget)
    first = next(index for index, line in enumerate(before.lines) if line.kind == Kind.BASIC)
    lines = list(before.lines)
    lines[first] = replace(lines[first], amount=lines[first].amount + Decimal("10000.00"))
    after = replace(before, lines=tuple(lines))
    summary = small.budget.year.layouts.by_key["summary"]
    rows = [change.row for change in table_changes(before, after, [summary])]
    assert rows
    assert all(row.startswith(("收入｜", "支出｜")) for row in rows), rows
    assert any(row.startswith("收入｜") for row in rows)
    assert any(row.startswith("支出｜") for row in rows)


def test_a_one_sided_table_names_its_rows_by_code_and_name(small) -> None:
    before = budget_data(small.budget)
    lines = list(before.lines)
    lines[0] = replace(lines[0], amount=lines[0].amount + Decimal("10000.00"))
    after = replace(before, lines=tuple(lines))
    expenditure = small.budget.year.layouts.by_key["expenditure"]
    changes = table_changes(before, after, [expenditure])
    assert any(change.row.startswith(lines[0].function) for change in changes)
    assert not any("｜" in change.row for change in changes)
