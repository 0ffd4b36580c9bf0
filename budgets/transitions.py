"""Moving a budget through its states: one service, atomic, row-locked, logged in the audit trail."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from budgets.auditing import audit_budget
from budgets.domain.audit.model import Severity
from budgets.domain.workflow import TRANSITIONS, Actor, BudgetState, Transition
from budgets.models import Budget, BudgetEvent
from budgets.selectors import budget_data, budget_texts

MAX_LISTED = 10


class WorkflowError(Exception):
    """The transition is refused; ``messages`` say why, in Chinese."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


def may_act(user, budget: Budget, transition: Transition) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if transition.actor is Actor.DEPARTMENT:
        return user.is_accountant and user.department_id == budget.department_id
    return user.is_reviewer


def _submission_check(budget: Budget, explanation: str) -> dict:
    data = budget_data(budget)
    violations = audit_budget(data, budget_texts(budget, data))
    errors = [v for v in violations if v.severity is Severity.ERROR]
    if errors:
        raise WorkflowError([f"预算有 {len(errors)} 处错误，改正后才能提交：", *(str(v) for v in errors[:MAX_LISTED])])
    warnings = [str(v) for v in violations if v.severity is Severity.WARNING]
    if warnings and not explanation.strip():
        raise WorkflowError([f"预算有 {len(warnings)} 处警告，请填写说明后再提交：", *warnings[:MAX_LISTED]])
    return {"warnings": warnings}


def budget_transition(*, budget: Budget, action: str, user, comment: str = "") -> Budget:
    """Perform ``action`` (提交, 撤回, 开始审核, 退回, 批复) on the budget, or raise WorkflowError/PermissionDenied.

    ``comment`` is the reviewer's 退回 opinion, or the department's explanation of the warnings it submits with.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise WorkflowError([f"没有“{action}”这项操作。"])
    with transaction.atomic():
        budget = Budget.objects.select_for_update().select_related("department").get(pk=budget.pk)
        if not may_act(user, budget, transition):
            raise PermissionDenied(f"您不能对该预算执行“{transition.label}”。")
        if budget.state not in transition.sources:
            state = BudgetState(budget.state).label
            raise WorkflowError([f"预算当前为“{state}”，不能{transition.label}。"])
        if transition.needs_comment and not comment.strip():
            raise WorkflowError([f"{transition.label}必须填写意见。"])
        data = _submission_check(budget, comment) if action == "submit" else {}
        previous = budget.state
        budget.state = transition.target
        budget.save(update_fields=["state", "updated_at"])
        BudgetEvent.objects.create(
            budget=budget,
            actor=user,
            action=action,
            from_state=previous,
            to_state=transition.target,
            comment=comment.strip(),
            data=data,
        )
    return budget
