"""Writes of performance targets: atomic, row-locked on the budget, all or nothing, in the budget's trail.

``budget_replace_performance`` replaces everything at once (the demo, imports); the entry pages save one part at a
time: the department's goals (``budget_replace_goals``) or one project's target table (``budget_replace_target``).
All three check with the same functions (domain.performance.checks) and store with the same helpers."""

from dataclasses import replace

from django.db import transaction

from accounts.models import User
from budgets.models import Budget, BudgetEvent, Project
from budgets.services.locking import budget_touch, lock_budget
from domain.differences import goals_places, performance_places, table_places, text_changes
from domain.errors import BudgetFiguresError, FigureError
from domain.performance.checks import goals_errors, performance_errors, table_errors
from domain.performance.targets import DepartmentGoals, Performance, TargetTable
from performance.models import DepartmentGoals as GoalsModel
from performance.models import Indicator, SubGoal
from performance.models import TargetTable as TableModel
from performance.selectors import budget_performance

MAX_RECORDED_CHANGES = 500


# --- Storing (the budget is locked and the input checked) --------------------------------------------------------


def _store_goals(budget: Budget, goals: DepartmentGoals) -> None:
    GoalsModel.objects.update_or_create(budget=budget, defaults={"overall": goals.overall, "measures": goals.measures})
    budget.sub_goals.all().delete()
    SubGoal.objects.bulk_create(
        SubGoal(budget=budget, position=position, title=sub.title, goal=sub.goal, indicators=sub.indicators)
        for position, sub in enumerate(goals.sub_goals)
    )


def _store_table(project: Project, table: TargetTable) -> None:
    """Replace the project's target table with this one."""
    TableModel.objects.filter(project=project).delete()
    stored = TableModel.objects.create(project=project, goal=table.goal)
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


def _record(budget: Budget, actor: User | None, data: dict[str, object]) -> None:
    BudgetEvent.objects.create(budget=budget, actor=actor, action="targets", data=data)
    budget_touch(budget)


# --- The writes ---------------------------------------------------------------------------------------------------


@transaction.atomic
def budget_replace_performance(
    *, budget: Budget, performance: Performance, actor: User | None = None, expected_revision: int | None = None
) -> None:
    """Make the budget's goals and target tables exactly these (tables of projects not named are removed)."""
    budget = lock_budget(budget, expected_revision)
    projects = {project.name: project for project in budget.projects.all()}
    errors = performance_errors(performance, set(projects))
    if errors:
        raise BudgetFiguresError(errors)
    changes = text_changes(performance_places(budget_performance(budget)), performance_places(performance))
    _store_goals(budget, performance.goals)
    TableModel.objects.filter(project__budget=budget).delete()
    for table in performance.targets:
        _store_table(projects[table.project], table)
    _record(
        budget,
        actor,
        {
            "targets": len(performance.targets),
            "indicators": sum(len(table.indicators) for table in performance.targets),
            "changed": len(changes),
            "changes": changes[:MAX_RECORDED_CHANGES],
        },
    )


@transaction.atomic
def budget_replace_goals(
    *, budget: Budget, goals: DepartmentGoals, actor: User | None = None, expected_revision: int | None = None
) -> int:
    """Make the budget's 部门整体绩效目标 exactly these. Returns how many texts changed (0: nothing written)."""
    budget = lock_budget(budget, expected_revision)
    errors = goals_errors(goals)
    if errors:
        raise BudgetFiguresError(errors)
    changes = text_changes(goals_places(budget_performance(budget).goals), goals_places(goals))
    if not changes:
        return 0
    _store_goals(budget, goals)
    _record(
        budget,
        actor,
        {"goals": len(goals.sub_goals), "changed": len(changes), "changes": changes[:MAX_RECORDED_CHANGES]},
    )
    return len(changes)


@transaction.atomic
def budget_replace_target(
    *,
    budget: Budget,
    project_name: str,
    table: TargetTable,
    actor: User | None = None,
    expected_revision: int | None = None,
) -> int:
    """Make the 绩效目标表 of the budget's project ``project_name`` exactly ``table`` (its ``project`` is ignored);
    an empty table removes it. Returns how many texts (the goal, the rows) changed (0: nothing written)."""
    budget = lock_budget(budget, expected_revision)
    project = budget.projects.filter(name=project_name).first()
    if project is None:
        raise BudgetFiguresError([FigureError(0, f"项目“{project_name}”不是本预算的项目。")])
    table = replace(table, project=project_name)
    errors = table_errors(table)
    if errors:
        raise BudgetFiguresError(errors)
    stored = next((each for each in budget_performance(budget).targets if each.project == project_name), None)
    changes = text_changes(table_places(stored, project_name), table_places(table, project_name))
    if not changes:
        return 0
    if table.goal or table.indicators:
        _store_table(project, table)
    else:
        TableModel.objects.filter(project=project).delete()
    _record(
        budget,
        actor,
        {
            "project": project_name,
            "indicators": [len(stored.indicators) if stored else 0, len(table.indicators)],
            "changed": len(changes),
            "changes": changes[:MAX_RECORDED_CHANGES],
        },
    )
    return len(changes)
