"""Who may do what with a budget. Reading is decided by budgets.selectors.budgets_visible_to."""

from budgets.domain.workflow import EDITABLE_STATES
from budgets.models import Budget


def can_edit_figures(user, budget: Budget) -> bool:
    """The department's own accountant, or an administrator, while the budget is a draft or returned;
    a finance reviewer never types figures."""
    if not user.is_authenticated or not user.is_active or budget.state not in EDITABLE_STATES:
        return False
    if user.is_administrator:
        return True
    return user.is_accountant and user.department_id == budget.department_id
