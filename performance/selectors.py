"""Reads: a budget's performance targets as plain data."""

from django.db.models import Prefetch

from domain.performance.targets import DepartmentGoals, Indicator, Performance, SubGoal, TargetTable
from performance.models import DepartmentGoals as GoalsModel
from performance.models import Indicator as IndicatorModel
from performance.models import TargetTable as TableModel


def budget_performance(budget) -> Performance:
    """Goals, sub-goals and each project's target table in the projects' order (four queries, any size)."""
    try:
        goals = budget.goals  # no query when the budget was read with select_related("goals")
    except GoalsModel.DoesNotExist:
        goals = None
    subs = budget.sub_goals.order_by("position", "id").values_list("title", "goal", "indicators")
    tables = (
        TableModel.objects.filter(project__budget=budget)
        .select_related("project")
        .order_by("project__position", "project_id")
        .prefetch_related(Prefetch("indicators", queryset=IndicatorModel.objects.order_by("position", "id")))
    )
    return Performance(
        goals=DepartmentGoals(
            goals.overall if goals else "",
            tuple(SubGoal(*sub) for sub in subs),
            goals.measures if goals else "",
        ),
        targets=tuple(
            TargetTable(
                table.project.name,
                table.goal,
                tuple(
                    Indicator(row.level1, row.level2, row.name, row.description, row.value, row.basis)
                    for row in table.indicators.all()
                ),
            )
            for table in tables
        ),
    )
