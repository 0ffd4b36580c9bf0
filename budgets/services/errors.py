"""Refusals that only the ledger can word: a stale page (someone saved since) and a frozen budget."""

from django.utils import timezone

from budgets.models import Budget
from domain.errors import BudgetFiguresError, FigureError
from domain.workflow import BudgetState


class StaleRevision(BudgetFiguresError):
    """Someone else changed the budget since the writer read it: nothing was written."""

    def __init__(self, budget: Budget):
        super().__init__([FigureError(0, stale_message(budget))])


def frozen_message(budget: Budget) -> str:
    return f"预算当前为“{BudgetState(budget.state).label}”，数字不能修改（只有草稿或退回的预算可以修改）。"


def stale_message(budget: Budget) -> str:
    changed = timezone.localtime(budget.updated_at).strftime("%Y-%m-%d %H:%M:%S")
    return (
        f"该预算在您打开之后已被他人修改（{changed}），为避免覆盖他人的修改，本次操作没有保存。"
        "请重新打开页面，核对最新内容后再操作。"
    )
