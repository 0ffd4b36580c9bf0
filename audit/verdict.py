"""The audit rules' verdict on a stored budget: run on its figures, its texts, its control figures (in 二上) and its
generated 情况说明, and stored on the budget at every write (audit.receivers), so that pages and listings read it
instead of running the rules."""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

from budgets.models import Budget
from budgets.selectors import budget_control, budget_data
from disclosure.selectors import budget_explanation
from domain.audit.model import Severity, Violation, violations_from_json, violations_to_json
from domain.explanation import Explanation
from domain.ledger import BudgetData
from official.audit import audit_budget
from official.render import TablePrinter


def budget_texts(budget: Budget, data: BudgetData, explanation: Explanation) -> dict[str, str]:
    """The budget's narrative fields by the place the audit rules name: 部门职责, the targets' texts, the project
    names (those of its figures and its procurement plan), and the generated 情况说明 with the department's
    remarks in it."""
    texts = {"部门职责": budget.duties, **data.performance.texts()}
    names = {line.project for line in data.lines} | {item.project for item in data.procurement}
    for name in sorted(name for name in names if name):
        texts[f"项目名称｜{name}"] = name
    return {**texts, **explanation.texts()}


def budget_violations(
    budget: Budget, data: BudgetData | None = None, printer: TablePrinter | None = None
) -> list[Violation]:
    """Every rule on the budget as stored now, or on ``data`` (the budget as it would be)."""
    data = budget_data(budget) if data is None else data
    explanation = budget_explanation(budget, data)
    texts, control = budget_texts(budget, data, explanation), budget_control(budget)
    return audit_budget(data, texts, control, explanation, budget.year.layouts, printer)


def stored_violations(budget: Budget, data: BudgetData | None = None) -> list[Violation]:
    """The violations as of the budget's last write, else (a budget not written since they began to be stored)
    the rules run now."""
    if budget.violations is not None:
        return violations_from_json(budget.violations)
    return budget_violations(budget, data)


# Budget id → the violations its writes in the block will leave it with (see foreseen_verdict).
_foreseen: ContextVar[Mapping[int, Sequence[Violation]]] = ContextVar("foreseen_verdict", default=MappingProxyType({}))


@contextmanager
def foreseen_verdict(budget: Budget, violations: Sequence[Violation]) -> Iterator[None]:
    """The budget's writes inside the block store ``violations`` as its verdict instead of running the rules again:
    for a writer that has just run them on the budget as its writes leave it (an import's preview, in the same
    transaction). A writer whose writes come out otherwise than it foresaw stores a wrong verdict: the import's
    tests compare the stored verdict with the rules run afresh."""
    token = _foreseen.set({**_foreseen.get(), budget.pk: violations})
    try:
        yield
    finally:
        _foreseen.reset(token)


def verdict(budget: Budget) -> dict[str, object]:
    """The fields of Budget that keep the verdict: every violation, and the counts listings show."""
    foreseen = _foreseen.get().get(budget.pk)
    violations = list(foreseen) if foreseen is not None else budget_violations(budget)
    return {
        "violations": violations_to_json(violations),
        "errors_open": sum(violation.severity is Severity.ERROR for violation in violations),
        "warnings_open": sum(violation.severity is Severity.WARNING for violation in violations),
    }
