"""A budget's states, rounds and the transitions between them, held as data."""

from dataclasses import dataclass

from domain.choices import IntegerChoices, TextChoices


class BudgetState(TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    IN_REVIEW = "in_review", "审核中"
    RETURNED = "returned", "退回"
    APPROVED = "approved", "已批复"


class BudgetRound(IntegerChoices):
    """The two rounds of Chinese budgeting: 一上 (proposal) ends when the bureau issues control figures (一下);
    二上 (the formal budget, within those figures) ends with approval (二下)."""

    PROPOSAL = 1, "一上（预算建议）"
    FORMAL = 2, "二上（正式预算）"


# Only here may a department's figures change.
EDITABLE_STATES = frozenset({BudgetState.DRAFT, BudgetState.RETURNED})
BOTH_ROUNDS = frozenset({BudgetRound.PROPOSAL, BudgetRound.FORMAL})


class Actor(TextChoices):
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
    rounds: frozenset[BudgetRound] = BOTH_ROUNDS  # the rounds in which it is possible
    next_round: BudgetRound | None = None  # the round it moves the budget to, when it ends one
    new_version: bool = False  # opens the next version (预算调整) of an approved budget
    confirm: str = ""  # the question asked before an action that cannot simply be taken back

    def possible(self, state: str, budget_round: int) -> bool:
        return state in self.sources and budget_round in self.rounds


REVIEWING = frozenset({BudgetState.SUBMITTED, BudgetState.IN_REVIEW})

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
            REVIEWING,
            BudgetState.RETURNED,
            Actor.REVIEWER,
            needs_comment=True,
            confirm="退回后预算交还部门修改，须由部门重新提交。确定退回？",
        ),
        # 一下: the proposal is answered with control figures and the department prepares its formal budget.
        Transition(
            "issue_control",
            "下达控制数",
            REVIEWING,
            BudgetState.DRAFT,
            Actor.REVIEWER,
            rounds=frozenset({BudgetRound.PROPOSAL}),
            next_round=BudgetRound.FORMAL,
            confirm="下达后一上结束，部门按控制数编制二上（正式预算），不能回到一上。确定下达控制数？",
        ),
        Transition(
            "approve",
            "批复",
            frozenset({BudgetState.IN_REVIEW}),
            BudgetState.APPROVED,
            Actor.REVIEWER,
            rounds=frozenset({BudgetRound.FORMAL}),
            confirm="批复后预算数字冻结，只能通过预算调整开启新版本修改。确定批复？",
        ),
        # 预算调整: a new version, starting from the approved one, which stays readable as it was approved.
        Transition(
            "adjust",
            "预算调整",
            frozenset({BudgetState.APPROVED}),
            BudgetState.DRAFT,
            Actor.DEPARTMENT,
            needs_comment=True,
            new_version=True,
            confirm="将以已批复的版本为基础开启下一版（预算调整），已批复的版本保持不变。确定开始预算调整？",
        ),
    )
}


def available(state: str, budget_round: int) -> list[Transition]:
    return [transition for transition in TRANSITIONS.values() if transition.possible(state, budget_round)]
