"""Writes of performance targets: atomic, row-locked on the budget, all or nothing, in the budget's trail.

``budget_replace_performance`` replaces everything at once (the demo, imports); the entry pages save one part at a
time: the department's goals (``budget_replace_goals``) or one project's target table (``budget_replace_target``).
All three check with the same functions and store with the same helpers. The department's indicator library
(指标库) belongs to the department, not to a budget: ``library_save`` and ``library_delete``.
"""

from dataclasses import replace
from decimal import Decimal

from django.db import transaction

from budgets.models import Budget, BudgetEvent, Project
from budgets.services import BudgetFiguresError, FigureError, budget_touch, lock_budget
from departments.models import Department
from performance.domain.framework import FRAMEWORK
from performance.domain.targets import DepartmentGoals, Performance, TargetTable
from performance.models import DepartmentGoals as GoalsModel
from performance.models import Indicator, LibraryIndicator, SubGoal
from performance.models import TargetTable as TableModel
from performance.selectors import budget_performance

MAX_NUMBER = Decimal("1e14")
MAX_PLACES = 6  # the decimal places Indicator.number keeps
# The lengths the columns hold (the text fields have no limit in the database; these keep pages and tables sane).
MAX_TITLE = 200  # SubGoal.title, 三级指标
MAX_DESCRIPTION = 500  # 绩效指标描述, 指标值确定依据
MAX_UNIT = 10
MAX_WORD = 40
MAX_RAW = 200
MAX_GOAL = 2000  # a project's 绩效目标, a sub-goal's goal and indicators
MAX_GOALS_TEXT = 5000  # 总体绩效目标, 工作保障措施
MAX_RECORDED_CHANGES = 500


def _too_long(label: str, text: str, limit: int) -> str | None:
    return f"{label}过长（{len(text)} 字），最多 {limit} 字。" if len(text) > limit else None


def goals_errors(goals: DepartmentGoals) -> list[FigureError]:
    """What keeps the department's goals from being stored."""
    problems = [
        _too_long("总体绩效目标", goals.overall, MAX_GOALS_TEXT),
        _too_long("工作保障措施", goals.measures, MAX_GOALS_TEXT),
    ]
    for number, sub in enumerate(goals.sub_goals, start=1):
        where = f"分项绩效目标第{number}项"
        problems += [
            None if sub.title.strip() else f"{where}：名称不能为空。",
            _too_long(f"{where}：名称", sub.title, MAX_TITLE),
            _too_long(f"{where}：绩效目标", sub.goal, MAX_GOAL),
            _too_long(f"{where}：绩效指标", sub.indicators, MAX_GOAL),
        ]
    return [FigureError(0, problem) for problem in problems if problem]


def table_errors(table: TargetTable) -> list[FigureError]:
    """What keeps one target table from being stored (the rules judge the rest, e.g. an unparsed 指标值)."""
    problems = [_too_long(f"绩效目标表｜{table.project}｜绩效目标", table.goal, MAX_GOAL)]
    for number, indicator in enumerate(table.indicators, start=1):
        where = f"绩效目标表｜{table.project}｜第{number}行"
        value = indicator.value
        if indicator.level2 not in FRAMEWORK.get(indicator.level1, ()):
            problems.append(f"{where}：“{indicator.level1}／{indicator.level2}”不在指标体系中。")
        if not indicator.name.strip():
            problems.append(f"{where}：三级指标不能为空。")
        figure = value.number
        if figure is not None and (
            not figure.is_finite()
            or figure < 0
            or figure >= MAX_NUMBER
            or figure.normalize().as_tuple().exponent < -MAX_PLACES
        ):
            problems.append(f"{where}：指标值数值无效（应为不小于0、小于10¹⁴、最多六位小数的数）。")
        problems += [
            _too_long(f"{where}：三级指标", indicator.name, MAX_TITLE),
            _too_long(f"{where}：绩效指标描述", indicator.description, MAX_DESCRIPTION),
            _too_long(f"{where}：指标值确定依据", indicator.basis, MAX_DESCRIPTION),
            _too_long(f"{where}：单位", value.unit, MAX_UNIT),
            _too_long(f"{where}：定性指标值", value.word, MAX_WORD),
            _too_long(f"{where}：指标值", value.raw, MAX_RAW),
        ]
    return [FigureError(0, problem) for problem in problems if problem]


def performance_errors(performance: Performance, projects: set[str]) -> list[FigureError]:
    """What keeps these targets from being stored."""
    errors = goals_errors(performance.goals)
    seen: set[str] = set()
    for table in performance.targets:
        if table.project not in projects:
            errors.append(FigureError(0, f"绩效目标表的项目“{table.project}”不是本预算的项目。"))
        if table.project in seen:
            errors.append(FigureError(0, f"项目“{table.project}”有两张绩效目标表。"))
        seen.add(table.project)
        errors += table_errors(table)
    return errors


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


def _record(budget: Budget, actor, data: dict) -> None:
    BudgetEvent.objects.create(budget=budget, actor=actor, action="targets", data=data)
    budget_touch(budget)


def _goals_lines(goals: DepartmentGoals) -> dict[str, str]:
    lines = {"部门整体绩效目标｜总体绩效目标": goals.overall, "部门整体绩效目标｜工作保障措施": goals.measures}
    for number, sub in enumerate(goals.sub_goals, start=1):
        lines[f"部门整体绩效目标｜分项绩效目标{number}"] = f"{sub.title}：{sub.goal}｜{sub.indicators}"
    return lines


def _table_lines(table: TargetTable | None, project: str) -> dict[str, str]:
    if table is None:
        return {}
    lines = {f"绩效目标表｜{project}｜绩效目标": table.goal}
    for number, row in enumerate(table.indicators, start=1):
        text = f"{row.level1}／{row.level2}／{row.name}｜{row.description}｜{row.value}｜{row.basis}"
        lines[f"绩效目标表｜{project}｜第{number}行"] = text
    return lines


def _changes(before: dict[str, str], after: dict[str, str]) -> list[list[str]]:
    """[place, old, new] for each text that changed, in the order of the places ("" for none)."""
    places = list(before) + [place for place in after if place not in before]
    return [
        [place, before.get(place, ""), after.get(place, "")]
        for place in places
        if before.get(place, "") != after.get(place, "")
    ]


# --- The writes ---------------------------------------------------------------------------------------------------


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
        },
    )


@transaction.atomic
def budget_replace_goals(
    *, budget: Budget, goals: DepartmentGoals, actor=None, expected_revision: int | None = None
) -> int:
    """Make the budget's 部门整体绩效目标 exactly these. Returns how many texts changed (0: nothing written)."""
    budget = lock_budget(budget, expected_revision)
    errors = goals_errors(goals)
    if errors:
        raise BudgetFiguresError(errors)
    changes = _changes(_goals_lines(budget_performance(budget).goals), _goals_lines(goals))
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
    *, budget: Budget, project_name: str, table: TargetTable, actor=None, expected_revision: int | None = None
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
    changes = _changes(_table_lines(stored, project_name), _table_lines(table, project_name))
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


# --- The department's indicator library ------------------------------------------------------------------------


@transaction.atomic
def library_save(
    *, department: Department, level1: str, level2: str, name: str, description: str = "", unit: str = ""
) -> tuple[LibraryIndicator, bool]:
    """Keep an indicator in the department's library; one of the same 一级／二级／三级 is updated.
    Returns it and whether it is new."""
    name, description, unit = name.strip(), description.strip(), unit.strip()
    problems = [
        None if level2 in FRAMEWORK.get(level1, ()) else f"“{level1}／{level2}”不在指标体系中。",
        None if name else "三级指标不能为空。",
        _too_long("三级指标", name, MAX_TITLE),
        _too_long("绩效指标描述", description, MAX_DESCRIPTION),
        _too_long("单位", unit, MAX_UNIT),
    ]
    errors = [FigureError(0, problem) for problem in problems if problem]
    if errors:
        raise BudgetFiguresError(errors)
    return LibraryIndicator.objects.update_or_create(
        department=department,
        level1=level1,
        level2=level2,
        name=name,
        defaults={"description": description, "unit": unit},
    )


def library_delete(*, department: Department, pk: int) -> bool:
    """Remove one of the department's library indicators; another department's is left alone (False)."""
    deleted, _ = LibraryIndicator.objects.filter(department=department, pk=pk).delete()
    return bool(deleted)
