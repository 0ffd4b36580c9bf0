"""Moving a budget through its states and rounds, and the bureau's control figures: atomic, row-locked, logged.

Every step leaves a BudgetEvent in the audit trail; a return and an approval also keep a snapshot of the whole
budget (what changed since the return? what exactly was approved?).
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from audit.verdict import budget_violations
from budgets.access import CONTROL_REFUSED, TRANSITION_REFUSED, may_act, may_set_control, require
from budgets.models import Budget, BudgetEvent, BudgetSnapshot, ControlFigures, SnapshotKind
from budgets.selectors import budget_data, reporting_units, warning_explanations
from budgets.services.locking import budget_touch, lock_budget
from budgets.services.review import review_carry
from domain.audit.model import Severity
from domain.control import CONTROL_ITEMS, control_input_errors
from domain.errors import BudgetFiguresError
from domain.money import format_amount
from domain.snapshot import snapshot_to_json
from domain.unit_parts import not_accepted
from domain.workflow import TRANSITIONS, BudgetRound, BudgetState, Transition
from workflow.notifications import notify_department, notify_reviewer

MAX_LISTED = 10
CARRIES_REVIEW = ("return", "issue_control")
UNITS_WAITING = "以下单位的预算尚未经部门审核通过，不能提交：{units}。"
OPEN_COMMENTS = "该预算尚有 {count} 条批注未解决：请先解决，或确认后再批复。"
SNAPSHOT_ON = {"return": SnapshotKind.RETURNED, "approve": SnapshotKind.APPROVED}


class WorkflowError(Exception):
    """The step is refused; ``messages`` say why, in Chinese."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


def _submission_check(budget: Budget) -> dict:
    waiting = not_accepted({unit.name: state for unit, state in reporting_units(budget)})
    if waiting:
        raise WorkflowError([UNITS_WAITING.format(units="、".join(waiting))])
    violations = budget_violations(budget)
    errors = [v for v in violations if v.severity is Severity.ERROR]
    if errors:
        raise WorkflowError([f"预算有 {len(errors)} 处错误，改正后才能提交：", *(str(v) for v in errors[:MAX_LISTED])])
    explained = warning_explanations(budget)
    warnings = [v for v in violations if v.severity is Severity.WARNING]
    unexplained = [str(v) for v in warnings if not explained.get(v.key)]
    if unexplained:
        head = f"预算有 {len(unexplained)} 处警告尚未说明，请在审核结果中逐条填写说明后再提交："
        raise WorkflowError([head, *unexplained[:MAX_LISTED]])
    return {"warnings": [[str(v), explained[v.key]] for v in warnings]}


def _lock(budget: Budget, expected_revision: int | None) -> Budget:
    try:
        return lock_budget(budget, expected_revision, editable=False)
    except BudgetFiguresError as stale:
        raise WorkflowError([str(error) for error in stale.errors]) from stale


def budget_transition(
    *,
    budget: Budget,
    action: str,
    user,
    comment: str = "",
    expected_revision: int | None = None,
    open_comments_seen: int = 0,
) -> Budget:
    """Perform ``action`` (提交, 撤回, 开始审核, 退回, 下达控制数, 批复, 预算调整) on the budget, or raise
    WorkflowError/PermissionDenied.

    ``comment`` is the reviewer's 退回 opinion, the department's remark on its submission (each warning needs its
    own explanation, see budget_explain_warnings), or the reason for an adjustment. ``expected_revision`` is the
    revision the user's page showed: a budget that changed since is not moved. ``open_comments_seen``: how many
    open comment threads the approver was shown and confirmed; approval with more open than that is refused.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise WorkflowError([f"没有“{action}”这项操作。"])
    with transaction.atomic():
        budget = _lock(budget, expected_revision)
        require(may_act(user, budget, transition), TRANSITION_REFUSED.format(action=transition.label))
        if not transition.possible(budget.state, budget.round):
            where = f"{BudgetRound(budget.round).label}阶段、“{BudgetState(budget.state).label}”状态"
            raise WorkflowError([f"预算当前处于{where}，不能{transition.label}。"])
        if transition.needs_comment and not comment.strip():
            raise WorkflowError([f"{transition.label}必须填写意见或理由。"])
        if action == "issue_control" and not ControlFigures.objects.filter(budget=budget).exists():
            raise WorkflowError(["请先设置控制数，再下达。"])
        if action == "approve" and budget.comments_open > open_comments_seen:
            raise WorkflowError([OPEN_COMMENTS.format(count=budget.comments_open)])
        data = _submission_check(budget) if action == "submit" else {}
        if action in CARRIES_REVIEW:
            data.update(_handed_over(budget))
        previous = budget.state
        budget.state = transition.target
        if transition.next_round is not None:
            budget.round = transition.next_round
        if transition.new_version:
            data["version"] = [budget.version, budget.version + 1]
            budget.version += 1
        if action == "submit":
            budget.submitted_at = timezone.now()
        if action == "return":
            budget.returns += 1
        budget.state_since = timezone.now()
        budget.save(update_fields=["state", "round", "version", "submitted_at", "returns", "state_since", "updated_at"])
        event = BudgetEvent.objects.create(
            budget=budget,
            actor=user,
            action=action,
            from_state=previous,
            to_state=transition.target,
            comment=comment.strip(),
            data=data,
        )
        if action in SNAPSHOT_ON:
            # The version approved is the one before any adjustment: budget.version is unchanged by approval.
            BudgetSnapshot.objects.create(
                budget=budget,
                kind=SNAPSHOT_ON[action],
                version=budget.version,
                event=event,
                data=snapshot_to_json(budget_data(budget)),
            )
        budget_touch(budget)
        _notify(budget, action, transition, comment.strip())
    return budget


def _handed_over(budget: Budget) -> dict:
    """What a return (or 下达控制数) gives the department besides its opinion: the 审核数 recorded since the last
    one, and the open comment threads, listed in the event."""
    carried = review_carry(budget)
    threads = budget.comments.filter(parent=None, resolved_at=None).order_by("created_at", "id")
    return {"reviews_carried": carried, "comments_open": [[thread.place, thread.text] for thread in threads]}


def _handed_over_note(budget: Budget) -> str:
    parts = []
    if budget.reviews_pending:
        parts.append(f"审核数 {budget.reviews_pending} 项待答复")
    if budget.comments_open:
        parts.append(f"未解决批注 {budget.comments_open} 条")
    return f"（{'，'.join(parts)}，请在“审核数与批注”页面答复）" if parts else ""


def _notify(budget: Budget, action: str, transition: Transition, comment: str) -> None:
    title = f"{budget.year_id}年 {budget.department.name} 部门预算"
    if action == "return":
        note = _handed_over_note(budget)
        notify_department(budget, f"{title}已被退回，请修改后重新提交。退回意见：{comment}{note}")
    elif action == "approve":
        notify_department(budget, f"{title}（第{budget.version}版）已批复。")
    elif action == "issue_control":
        note = _handed_over_note(budget)
        notify_department(budget, f"{title}的控制数已下达，请按控制数编制二上预算。{note}")
    elif action == "submit":
        notify_reviewer(budget, f"{title}已提交（{BudgetRound(budget.round).label}），等待审核。")


@transaction.atomic
def budget_set_control(
    *, budget: Budget, user, limits: dict[str, Decimal], expected_revision: int | None = None
) -> ControlFigures:
    """Set (or change) the department's control figures for the year; in 二上 the budget is held to them."""
    budget = _lock(budget, expected_revision)
    require(may_set_control(user, budget), CONTROL_REFUSED)
    errors = control_input_errors(limits)
    if errors:
        raise WorkflowError(errors)
    control = ControlFigures.objects.filter(budget=budget).first()
    old = control.limits() if control else {}
    new = {key: limits[key] for key, _ in CONTROL_ITEMS}
    if old == new:
        return control
    changes = [
        [f"控制数｜{label}", str(old.get(key, "")), str(new[key])]
        for key, label in CONTROL_ITEMS
        if old.get(key) != new[key]
    ]
    # In 一上 the figures are a draft until 下达控制数 (the transition) issues them; from 二上 on each change is an
    # issue of its own (调整控制数), numbered, and the department is told what changed.
    issued = budget.round == BudgetRound.FORMAL
    issue = (control.issue + 1 if issued else control.issue) if control else 1
    control, _ = ControlFigures.objects.update_or_create(
        budget=budget, defaults={**new, "issued_by": user, "issue": issue}
    )
    BudgetEvent.objects.create(budget=budget, actor=user, action="control", data={"changes": changes, "issue": issue})
    budget_touch(budget)
    if issued:
        title = f"{budget.year_id}年 {budget.department.name} 部门预算"
        summary = "；".join(
            f"{label.removeprefix('控制数｜')} {_wan(before)} → {_wan(after)} 万元" for label, before, after in changes
        )
        what = f"已调整（第{issue}次下达）" if issue > 1 else "已下达"
        notify_department(budget, f"{title}的控制数{what}：{summary}。请按控制数编制预算。")
    return control


def _wan(yuan: str) -> str:
    return (format_amount(Decimal(yuan)) or "0.00") if yuan else "（无）"
