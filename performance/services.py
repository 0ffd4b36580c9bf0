"""Writes of performance targets: atomic, row-locked on the budget, all or nothing, in the budget's trail."""

from decimal import Decimal

from django.db import transaction

from budgets.models import Budget, BudgetEvent
from budgets.services import BudgetFiguresError, FigureError, budget_touch, lock_budget
from performance.domain.framework import FRAMEWORK
from performance.domain.targets import Performance
from performance.models import DepartmentGoals, Indicator, SubGoal, TargetTable

MAX_NUMBER = Decimal("1e14")


def performance_errors(performance: Performance, projects: set[str]) -> list[FigureError]:
    """What keeps these targets from being stored (the rules judge the rest, e.g. an unparsed 指标值)."""
    errors = []
    seen: set[str] = set()
    for table in performance.targets:
        if table.project not in projects:
            errors.append(FigureError(0, f"绩效目标表的项目“{table.project}”不是本预算的项目。"))
        if table.project in seen:
            errors.append(FigureError(0, f"项目“{table.project}”有两张绩效目标表。"))
        seen.add(table.project)
        for number, indicator in enumerate(table.indicators, start=1):
            where = f"绩效目标表｜{table.project}｜第{number}行"
            if indicator.level2 not in FRAMEWORK.get(indicator.level1, ()):
                errors.append(FigureError(0, f"{where}：“{indicator.level1}／{indicator.level2}”不在指标体系中。"))
            if not indicator.name.strip():
                errors.append(FigureError(0, f"{where}：三级指标不能为空。"))
            value = indicator.value.number
            if value is not None and (not value.is_finite() or abs(value) >= MAX_NUMBER):
                errors.append(FigureError(0, f"{where}：指标值数值无效。"))
    return errors


@transaction.atomic
def budget_replace_performance(
    *, budget: Budget, performance: Performance, actor=None, expected_revision: int | None = None
) -> None:
    """Make the budget's goals and target tables exactly these (tables of projects not named are removed)."""
    budget = lock_budget(budget, expected_revision)
    projects = {project.name: project for project in budget.projects.all()}
    errors = performance_errors(performance, set(projects))
    if errors:
        raise BudgetFiguresError(errors)
    goals = performance.goals
    DepartmentGoals.objects.update_or_create(
        budget=budget, defaults={"overall": goals.overall, "measures": goals.measures}
    )
    budget.sub_goals.all().delete()
    SubGoal.objects.bulk_create(
        SubGoal(budget=budget, position=position, title=sub.title, goal=sub.goal, indicators=sub.indicators)
        for position, sub in enumerate(goals.sub_goals)
    )
    TargetTable.objects.filter(project__budget=budget).delete()
    for table in performance.targets:
        stored = TargetTable.objects.create(project=projects[table.project], goal=table.goal)
        Indicator.objects.bulk_create(
            Indicator(
                table=stored,
                position=position,
                level1=indicator.level1,
                level2=indicator.level2,
                name=indicator.name,
                description=indicator.description,
                comparator=indicator.value.comparator,
                number=indicator.value.number,
                unit=indicator.value.unit,
                word=indicator.value.word,
                raw=indicator.value.raw,
                basis=indicator.basis,
            )
            for position, indicator in enumerate(table.indicators)
        )
    BudgetEvent.objects.create(
        budget=budget,
        actor=actor,
        action="targets",
        data={
            "targets": len(performance.targets),
            "indicators": sum(len(table.indicators) for table in performance.targets),
        },
    )
    budget_touch(budget)
