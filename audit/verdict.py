"""The audit rules' verdict on a stored budget: run on its figures, its texts, its control figures (in 二上) and its
generated 情况说明, and stored on the budget at every write (audit.receivers), so that pages and listings read it
instead of running the rules."""

from budgets.models import Budget
from budgets.selectors import budget_control, budget_data
from disclosure.selectors import budget_explanation
from domain.audit.model import Severity, Violation, violations_from_json, violations_to_json
from domain.explanation import Explanation
from domain.ledger import BudgetData
from official.audit import audit_budget


def budget_texts(budget: Budget, data: BudgetData, explanation: Explanation) -> dict[str, str]:
    """The budget's narrative fields by the place the audit rules name: 部门职责, the targets' texts, the project
    names (those of its figures and its procurement plan), and the generated 情况说明 with the department's
    remarks in it."""
    texts = {"部门职责": budget.duties, **data.performance.texts()}
    names = {line.project for line in data.lines} | {item.project for item in data.procurement}
    for name in sorted(name for name in names if name):
        texts[f"项目名称｜{name}"] = name
    return {**texts, **explanation.texts()}


def budget_violations(budget: Budget, data: BudgetData | None = None) -> list[Violation]:
    """Every rule on the budget as stored now."""
    data = budget_data(budget) if data is None else data
    explanation = budget_explanation(budget, data)
    texts, control = budget_texts(budget, data, explanation), budget_control(budget)
    return audit_budget(data, texts, control, explanation, budget.year.layouts)


def stored_violations(budget: Budget, data: BudgetData | None = None) -> list[Violation]:
    """The violations as of the budget's last write, else (a budget not written since they began to be stored)
    the rules run now."""
    if budget.violations is not None:
        return violations_from_json(budget.violations)
    return budget_violations(budget, data)


def verdict(budget: Budget) -> dict[str, object]:
    """The fields of Budget that keep the verdict: every violation, and the counts listings show."""
    violations = budget_violations(budget)
    return {
        "violations": violations_to_json(violations),
        "errors_open": sum(violation.severity is Severity.ERROR for violation in violations),
        "warnings_open": sum(violation.severity is Severity.WARNING for violation in violations),
    }
