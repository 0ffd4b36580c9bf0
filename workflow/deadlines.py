"""The bureau's submission deadlines (截止日期, per year and round) and its reminder to late departments (催报).

A reminder goes to every department whose budget of the year is not submitted in its round (a draft, or returned):
an in-app notification and a mail to its accountants, and an entry in the budget's trail (who, when, the deadline).
It changes nothing of the budget, so no page built on it becomes stale.
"""

from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from budgets.access import BUREAU_ONLY, is_bureau, require
from budgets.models import Budget, BudgetEvent, SubmissionDeadline
from catalog.models import BudgetYear
from domain.deadlines import awaiting_submission, deadline_words
from domain.workflow import EDITABLE_STATES, BudgetRound
from workflow.notifications import notify_department


def year_deadlines(year: int) -> dict[int, date]:
    """The year's deadlines by round."""
    return dict(SubmissionDeadline.objects.filter(year_id=year).values_list("round", "due"))


def round_deadline(budget: Budget) -> tuple[date, str] | None:
    """The deadline of the round a budget not yet submitted is in, and how near it is; None when submitted or
    when the round has none."""
    if not awaiting_submission(budget.state):
        return None
    due = SubmissionDeadline.objects.filter(year_id=budget.year_id, round=budget.round).values_list("due", flat=True)
    day = due.first()
    return (day, deadline_words(day, timezone.localdate())) if day is not None else None


@transaction.atomic
def deadlines_set(*, year: int, deadlines: dict[int, date | None], actor: User) -> int:
    """Make the year's deadlines these (None: the round has none). Returns how many changed."""
    require(is_bureau(actor), BUREAU_ONLY.format(what="设置截止日期"))
    budget_year = BudgetYear.objects.select_for_update().get(year=year)
    stored = year_deadlines(year)
    changed = 0
    for round_, due in deadlines.items():
        if stored.get(round_) == due:
            continue
        changed += 1
        if due is None:
            SubmissionDeadline.objects.filter(year=budget_year, round=round_).delete()
        else:
            SubmissionDeadline.objects.update_or_create(
                year=budget_year, round=round_, defaults={"due": due, "set_by": actor}
            )
    return changed


def late_budgets(year: int) -> QuerySet[Budget]:
    """The year's budgets not submitted in their round, by department code."""
    budgets = Budget.objects.filter(year_id=year, state__in=[state.value for state in EDITABLE_STATES])
    return budgets.select_related("department").order_by("department__code")


@transaction.atomic
def remind_late(*, year: int, actor: User) -> list[Budget]:
    """催报: tell each late department, and note it in its budget's trail. Returns the budgets reminded."""
    require(is_bureau(actor), BUREAU_ONLY.format(what="催报"))
    deadlines, today = year_deadlines(year), timezone.localdate()
    reminded = list(late_budgets(year))
    for budget in reminded:
        due = deadlines.get(budget.round)
        when = f"，截止日期 {due:%Y-%m-%d}（{deadline_words(due, today)}）" if due else ""
        round_label = BudgetRound(budget.round).label
        notify_department(
            budget,
            f"催报：{budget.year_id}年 {budget.department.name} 部门预算（{round_label}）尚未提交{when}，请尽快提交。",
        )
        BudgetEvent.objects.create(
            budget=budget, actor=actor, action="remind", data={"due": due.isoformat() if due else ""}
        )
    return reminded
