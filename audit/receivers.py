"""The verdict follows every write of a budget (budgets.signals.budget_changed), in the writer's transaction."""

from typing import Any

from django.dispatch import receiver

from audit.verdict import verdict
from budgets.models import Budget
from budgets.signals import budget_changed
from domain.workflow import BudgetState


@receiver(budget_changed, dispatch_uid="audit.store_verdict")
def store_verdict(sender: type[Budget], budget: Budget, **kwargs: Any) -> None:
    """Store the rules' verdict on the budget just written.

    Approving a budget also changes the verdict of the department's next year, whose 情况说明 compares with the
    approved figures (disclosure.selectors.approved_previous): it is stored again too, without a new revision
    (nothing its editors typed changed, so their open pages stay valid)."""
    fields = verdict(budget)
    for field, value in fields.items():
        setattr(budget, field, value)
    Budget.objects.filter(pk=budget.pk).update(**fields)
    if budget.state == BudgetState.APPROVED:
        following = (
            Budget.objects.select_for_update(of=("self",))  # not its control figures or goals: they may be missing
            .select_related("department", "year", "control", "goals")
            .filter(department_id=budget.department_id, year_id=budget.year_id + 1)
            .first()
        )
        if following is not None:
            Budget.objects.filter(pk=following.pk).update(**verdict(following))
