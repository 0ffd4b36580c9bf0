"""Submission deadlines as the dashboard says them, and which budgets a reminder (催报) is for."""

from datetime import date

from domain.workflow import EDITABLE_STATES, BudgetState


def awaiting_submission(state: str) -> bool:
    """Not submitted in its round: a draft, or returned to the department."""
    return BudgetState(state) in EDITABLE_STATES


def deadline_words(due: date | None, today: date) -> str:
    """还剩 N 天, 今日截止 or 逾期 N 天; "" without a deadline."""
    if due is None:
        return ""
    days = (due - today).days
    if days > 0:
        return f"还剩 {days} 天"
    if days == 0:
        return "今日截止"
    return f"逾期 {-days} 天"
