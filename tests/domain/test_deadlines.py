"""How the dashboard says a deadline, and which states await a submission."""

from datetime import date

import pytest

from domain.deadlines import awaiting_submission, deadline_words
from domain.workflow import BudgetState

TODAY = date(2021, 3, 10)


@pytest.mark.parametrize(
    ("due", "words"),
    [(date(2021, 3, 13), "还剩 3 天"), (TODAY, "今日截止"), (date(2021, 3, 1), "逾期 9 天"), (None, "")],
)
def test_a_deadline_reads_as_days_left_or_overdue(due, words) -> None:
    assert deadline_words(due, TODAY) == words


def test_only_drafts_and_returned_budgets_await_a_submission() -> None:
    assert {state for state in BudgetState if awaiting_submission(state)} == {BudgetState.DRAFT, BudgetState.RETURNED}
