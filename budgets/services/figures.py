"""The budget's figures: its lines and the projects they name, replaced all at once, all or nothing."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from budgets.models import Budget, BudgetEvent, BudgetLine, Project
from budgets.services.locking import budget_touch, lock_budget
from catalog.models import BudgetYear, EconomicCode, FunctionCode
from departments.models import Department
from domain.changes import FigureKey, figure_changes
from domain.classifications import Kind, Source
from domain.errors import BudgetFiguresError, FigureError
from domain.ledger import Line, line_errors

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ProjectInput:
    name: str
    unit: str  # unit name within the department


@dataclass(frozen=True)
class LineInput:
    unit: str  # unit name within the department
    function: str
    economic: str
    kind: Kind
    source: Source
    amount: Decimal  # yuan
    project: str = ""
    carried_over: bool = False


MAX_RECORDED_CHANGES = 2000


def _stored_figures(budget: Budget) -> dict[FigureKey, Decimal]:
    rows = budget.lines.values_list(
        "unit__name", "function__code", "economic__code", "kind", "source", "carried_over", "project__name", "amount"
    )
    return {
        (unit, f, e, kind, source, carried, project or ""): amount
        for unit, f, e, kind, source, carried, project, amount in rows
    }


def budget_get_or_create(*, department: Department, year: int) -> Budget:
    budget_year = BudgetYear.objects.get(year=year)
    budget, _ = Budget.objects.get_or_create(department=department, year=budget_year)
    return budget


@transaction.atomic
def budget_replace_figures(
    *,
    budget: Budget,
    projects: Sequence[ProjectInput],
    lines: Sequence[LineInput],
    actor=None,
    expected_revision: int | None = None,
) -> None:
    """Make the budget's projects and lines exactly these; nothing is written if any line is wrong.

    The audit trail records who changed which figure from what to what."""
    budget = lock_budget(budget, expected_revision)
    units = {unit.name: unit for unit in budget.department.units.all()}
    functions = {code.code: code for code in FunctionCode.objects.filter(year_id=budget.year_id, level=3)}
    economics = {code.code: code for code in EconomicCode.objects.filter(year_id=budget.year_id, level=2)}
    project_units = {project.name: project.unit for project in projects}

    errors = [
        FigureError(0, f"项目“{project.name}”的单位“{project.unit}”不属于本部门。")
        for project in projects
        if project.unit not in units
    ]
    if len(project_units) != len(projects):
        errors.append(FigureError(0, "项目名称重复：同一部门预算中每个项目只能登记一次。"))
    first_index: dict[tuple, int] = {}
    for index, item in enumerate(lines, start=1):
        # One figure per cell, as the database's unique constraints demand.
        owner = ("project", item.project) if item.project else ("unit", item.unit)
        cell = (owner, item.function, item.economic, item.kind, item.source, item.carried_over)
        if cell in first_index:
            errors.append(
                FigureError(index, f"与第{first_index[cell]}条是同一格（单位或项目、科目、类型、来源都相同），请合并。")
            )
        first_index.setdefault(cell, index)
    for index, item in enumerate(lines, start=1):
        line = Line(item.function, item.economic, item.kind, item.source, item.amount, item.carried_over)
        problems = line_errors(line)
        if item.unit not in units:
            problems.append(f"单位“{item.unit}”不属于本部门。")
        if item.function not in functions:
            problems.append(f"{budget.year_id}年度科目表中没有功能分类项级科目{item.function}。")
        if item.economic not in economics:
            problems.append(f"{budget.year_id}年度科目表中没有经济分类款级科目{item.economic}。")
        if item.kind == Kind.PROJECT and item.project not in project_units:
            problems.append(f"项目支出必须指定已登记的项目，“{item.project}”不存在。")
        if item.kind != Kind.PROJECT and item.project:
            problems.append("只有项目支出可以指定项目。")
        if item.kind == Kind.PROJECT and item.project in project_units and project_units[item.project] != item.unit:
            problems.append(f"项目“{item.project}”属于“{project_units[item.project]}”，不是“{item.unit}”。")
        errors += [FigureError(index, problem) for problem in problems]
    if errors:
        raise BudgetFiguresError(errors)

    before = _stored_figures(budget)
    funded = set(budget.lines.exclude(project=None).values_list("project_id", flat=True))
    budget.lines.all().delete()
    # The projects by name, in bulk: a fixed number of queries however many projects (not two per project).
    stored = {project.name: project for project in budget.projects.all()}
    added, moved = [], []
    for position, item in enumerate(projects):
        unit, project = units[item.unit], stored.get(item.name)
        if project is None:
            added.append(Project(budget=budget, name=item.name, unit=unit, position=position))
        elif (project.unit_id, project.position) != (unit.pk, position):
            project.unit, project.position = unit, position
            moved.append(project)
    Project.objects.bulk_create(added)
    Project.objects.bulk_update(moved, ["unit", "position"])
    # A project that lost its last figure goes, unless the procurement plan or performance targets still name it;
    # one that had no figures (added on the 项目 page and waiting for them) stays.
    kept = [item.name for item in projects]
    orphans = budget.projects.exclude(name__in=kept).filter(pk__in=funded)
    orphans.filter(procurement_items__isnull=True, target__isnull=True).delete()
    by_name = {project.name: project for project in budget.projects.all()}
    BudgetLine.objects.bulk_create(
        BudgetLine(
            budget=budget,
            unit=units[item.unit],
            function=functions[item.function],
            economic=economics[item.economic],
            kind=item.kind,
            source=item.source,
            carried_over=item.carried_over,
            project=by_name[item.project] if item.project else None,
            amount=item.amount,
        )
        for item in lines
    )
    after = {
        (item.unit, item.function, item.economic, item.kind, item.source, item.carried_over, item.project): item.amount
        for item in lines
    }
    changes = figure_changes(before, after)
    BudgetEvent.objects.create(
        budget=budget,
        actor=actor,
        action="figures",
        data={
            "lines": [len(before), len(after)],
            "total": [str(sum(before.values(), ZERO)), str(sum(after.values(), ZERO))],
            "changed": len(changes),
            "changes": [change.as_json() for change in changes[:MAX_RECORDED_CHANGES]],
        },
    )
    budget_touch(budget)
