"""A budget's states and the transitions between them, held as data."""

from dataclasses import dataclass

from django.db import models


class BudgetState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    IN_REVIEW = "in_review", "审核中"
    RETURNED = "returned", "退回"
    APPROVED = "approved", "已批复"


# Only here may a department's figures change.
EDITABLE_STATES = frozenset({BudgetState.DRAFT, BudgetState.RETURNED})


class Actor(models.TextChoices):
    DEPARTMENT = "department", "本部门填报人"
    REVIEWER = "reviewer", "财政审核人"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[BudgetState]
    target: BudgetState
    actor: Actor
    needs_comment: bool = False


TRANSITIONS: dict[str, Transition] = {
    transition.action: transition
    for transition in (
        Transition("submit", "提交", frozenset(EDITABLE_STATES), BudgetState.SUBMITTED, Actor.DEPARTMENT),
        Transition("withdraw", "撤回", frozenset({BudgetState.SUBMITTED}), BudgetState.DRAFT, Actor.DEPARTMENT),
        Transition(
            "start_review", "开始审核", frozenset({BudgetState.SUBMITTED}), BudgetState.IN_REVIEW, Actor.REVIEWER
        ),
        Transition(
            "return",
            "退回",
            frozenset({BudgetState.SUBMITTED, BudgetState.IN_REVIEW}),
            BudgetState.RETURNED,
            Actor.REVIEWER,
            needs_comment=True,
        ),
        Transition("approve", "批复", frozenset({BudgetState.IN_REVIEW}), BudgetState.APPROVED, Actor.REVIEWER),
    )
}


def available(state: str) -> list[Transition]:
    return [transition for transition in TRANSITIONS.values() if state in transition.sources]
