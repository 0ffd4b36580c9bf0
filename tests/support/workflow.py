"""Moving a budget through its states in tests, as its users would: by username, through the workflow service."""

from decimal import Decimal

from accounts.models import User
from audit.services import budget_explain_warnings
from audit.verdict import budget_violations
from budgets.models import Budget
from budgets.services.structure import budget_set_duties
from domain.audit.model import Severity
from domain.workflow import BudgetRound, BudgetState
from workflow.services import budget_set_control, budget_transition

EXPLANATION = "xxxx 为公开时隐去的工程名称。"
GENEROUS = {
    "total": Decimal("1e12"),
    "basic": Decimal("5e11"),
    "project": Decimal("5e11"),
    "three_public": Decimal("1e9"),
}


def user(name: str) -> User:
    return User.objects.get(username=name)


def step(budget: Budget, action: str, who: str, comment: str = "") -> Budget:
    return budget_transition(budget=budget, action=action, user=user(who), comment=comment)


def generous_control(budget: Budget, who: str = "reviewer", limits: dict[str, Decimal] | None = None) -> None:
    """Control figures no budget of the tests goes over (or these ``limits``)."""
    budget_set_control(budget=budget, user=user(who), limits=limits or GENEROUS)


def with_a_warning(budget: Budget) -> Budget:
    """The budget with a placeholder in its duties (rule T01 warns: submitting needs an explanation)."""
    budget_set_duties(budget=budget, duties="负责 XX 工作。")
    budget.refresh_from_db()
    return budget


def explain_warnings(budget: Budget, who: str, text: str = EXPLANATION) -> None:
    """Every warning of the budget explained by ``who`` (what submitting needs)."""
    keys = [v.key for v in budget_violations(budget) if v.severity is Severity.WARNING]
    budget_explain_warnings(budget=budget, actor=user(who), explanations=dict.fromkeys(keys, text))


def issue_control(
    budget: Budget, accountant: str, reviewer: str = "reviewer", limits: dict[str, Decimal] | None = None
) -> Budget:
    """一上 answered: submitted, reviewed, control figures (generous, or these ``limits``) issued; the budget is a
    二上 draft."""
    step(budget, "submit", accountant)
    step(budget, "start_review", reviewer)
    generous_control(budget, reviewer, limits)
    return step(budget, "issue_control", reviewer)


def approve_in_both_rounds(budget: Budget, accountant: str, reviewer: str = "reviewer") -> Budget:
    """A budget without warnings through both rounds: 一上, control figures, 二上, approval."""
    issue_control(budget, accountant, reviewer)
    step(budget, "submit", accountant)
    step(budget, "start_review", reviewer)
    return step(budget, "approve", reviewer)


def approve_318(budget: Budget) -> Budget:
    """The demo's 318 through both rounds (its name kept for the test modules that import it)."""
    return approve_in_both_rounds(budget, "acc318")


def approve_at_once(budget: Budget, reviewer: str = "reviewer") -> Budget:
    """Approved without the steps before: put in review in 二上, then approved through the workflow (so that the
    approved version's snapshot is kept)."""
    Budget.objects.filter(pk=budget.pk).update(state=BudgetState.IN_REVIEW, round=BudgetRound.FORMAL)
    budget.refresh_from_db()
    return step(budget, "approve", reviewer)
