"""The discipline of every write to a budget: row-locked, refused when frozen or stale, and a new revision after."""

from collections.abc import Sequence

from budgets.models import Budget, Project
from budgets.selectors import spending_totals
from budgets.services.errors import StaleRevision, frozen_message
from budgets.signals import budget_changed
from departments.models import Unit
from domain.errors import BudgetFiguresError, FigureError
from domain.workflow import EDITABLE_STATES


def check_revision(budget: Budget, expected_revision: int | None) -> None:
    """Optimistic locking: ``expected_revision`` is the revision the writer's page or preview was built on."""
    if expected_revision is not None and expected_revision != budget.revision:
        raise StaleRevision(budget)


def lock_budget(budget: Budget, expected_revision: int | None = None, *, editable: bool = True) -> Budget:
    """The budget, row-locked to the end of the transaction; refused if frozen or changed since it was read."""
    budget = Budget.objects.select_for_update().select_related("department").get(pk=budget.pk)
    if editable and budget.state not in EDITABLE_STATES:
        raise BudgetFiguresError([FigureError(0, frozen_message(budget))])
    check_revision(budget, expected_revision)
    return budget


def budget_touch(budget: Budget) -> None:
    """After every write of a locked budget: a new revision (so that pages built on the old one are refused), and
    the news for whoever keeps something derived from the budget (budgets.signals.budget_changed)."""
    budget.revision += 1
    budget.spending, budget.fiscal_spending = spending_totals(budget)
    budget.save(update_fields=["revision", "spending", "fiscal_spending", "updated_at"])
    budget_changed.send(sender=Budget, budget=budget)


def park_renamed(model: type[Project] | type[Unit], ids: Sequence[int]) -> None:
    """Move the rows about to be renamed out of the way first, under a name nobody types (PostgreSQL refuses NUL):
    names are unique (per budget, per department), and two rows may swap theirs in one save."""
    for pk in ids:
        model.objects.filter(pk=pk).update(name=f"\u200b{pk}\u200b")
