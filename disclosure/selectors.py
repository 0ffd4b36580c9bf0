"""Reads for the disclosure."""

from budgets.models import Budget
from budgets.selectors import approved_previous_data, budget_data
from domain.explanation import Explanation, PreviousYear, ThreePublic, explain, previous_from_data
from domain.ledger import BudgetData
from domain.prose import ProseInputs
from official.edition import Edition


def approved_previous(budget: Budget) -> PreviousYear | None:
    """Last year's figures from the department's approved budget of that year (its latest approved version)."""
    data = approved_previous_data(budget)
    return previous_from_data(data, "approved") if data is not None else None


PREVIOUS_FIELDS = ("total", "basic", "project", "abroad", "vehicle_purchase", "vehicle_running", "reception")


def explanation_inputs(budget: Budget) -> tuple[PreviousYear | None, dict[str, str]]:
    """Last year's figures as typed in for this budget (None when they were not) and the department's remarks, in
    one query (a row per remark, last year's figures repeated on each; one row without a remark when none)."""
    rows = Budget.objects.filter(pk=budget.pk).values_list(
        *(f"previous_year_figures__{name}" for name in PREVIOUS_FIELDS),
        "explanation_remarks__key",
        "explanation_remarks__text",
    )
    previous, remarks = None, {}
    for *figures, key, text in rows:
        total, basic, project, *items = figures
        if total is not None and previous is None:
            three_public = ThreePublic(*items) if all(item is not None for item in items) else None
            previous = PreviousYear(budget.year_id - 1, total, basic, project, three_public, "entered")
        if key is not None:
            remarks[key] = text
    return previous, remarks


def entered_previous(budget: Budget) -> PreviousYear | None:
    """Last year's figures as typed in for this budget, if they were."""
    return explanation_inputs(budget)[0]


def explanation_remarks(budget: Budget) -> dict[str, str]:
    return explanation_inputs(budget)[1]


def previous_year(budget: Budget) -> PreviousYear | None:
    """The approved budget of last year when there is one, else the figures entered for it."""
    return approved_previous(budget) or entered_previous(budget)


def prose_inputs(budget: Budget, layouts: Edition) -> ProseInputs | None:
    """What the narrative sheets of ``layouts`` print of the department's own words (None: it prints none)."""
    if not layouts.prose:
        return None
    entered, remarks = explanation_inputs(budget)
    return ProseInputs(budget.duties, approved_previous(budget) or entered, remarks)


def budget_explanation(budget: Budget, data: BudgetData | None = None) -> Explanation:
    """The generated explanation (部门预算信息公开情况说明) of a stored budget."""
    data = budget_data(budget) if data is None else data
    entered, remarks = explanation_inputs(budget)
    previous = approved_previous(budget) or entered
    return explain(data, previous, remarks, duties=budget.duties)
