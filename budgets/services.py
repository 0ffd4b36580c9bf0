"""Writes to a budget: atomic, row-locked, all-or-nothing with every error reported at once."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum

from budgets.domain.classifications import Kind, Source
from budgets.domain.ledger import AssetInfo, Line, ProcurementInfo, line_errors
from budgets.domain.workflow import EDITABLE_STATES, BudgetState
from budgets.models import Budget, BudgetEvent, BudgetLine, FixedAsset, ProcurementItem, Project
from catalog.models import BudgetYear, EconomicCode, FunctionCode
from departments.models import Department


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


@dataclass(frozen=True)
class FigureError:
    index: int  # 1-based position of the offending input line (0: the project list)
    message: str

    def __str__(self) -> str:
        return f"第{self.index}条：{self.message}" if self.index else self.message


class BudgetFiguresError(Exception):
    def __init__(self, errors: list[FigureError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def frozen_message(budget: Budget) -> str:
    return f"预算当前为“{BudgetState(budget.state).label}”，数字不能修改（只有草稿或退回的预算可以修改）。"


def budget_get_or_create(*, department: Department, year: int) -> Budget:
    budget_year = BudgetYear.objects.get(year=year)
    budget, _ = Budget.objects.get_or_create(department=department, year=budget_year)
    return budget


@transaction.atomic
def budget_replace_figures(
    *, budget: Budget, projects: Sequence[ProjectInput], lines: Sequence[LineInput], actor=None
) -> None:
    """Make the budget's projects and lines exactly these; nothing is written if any line is wrong."""
    budget = Budget.objects.select_for_update().select_related("department").get(pk=budget.pk)
    if budget.state not in EDITABLE_STATES:
        raise BudgetFiguresError([FigureError(0, frozen_message(budget))])
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

    before = budget.lines.aggregate(count=Count("id"), total=Sum("amount"))
    budget.lines.all().delete()
    kept = []
    for position, item in enumerate(projects):
        project, _ = Project.objects.update_or_create(
            budget=budget, name=item.name, defaults={"unit": units[item.unit], "position": position}
        )
        kept.append(project.pk)
    # A project the procurement plan still names stays, without figures; the others go.
    budget.projects.exclude(pk__in=kept).filter(procurement_items__isnull=True).delete()
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
    BudgetEvent.objects.create(
        budget=budget,
        actor=actor,
        action="figures",
        data={
            "lines": [before["count"], len(lines)],
            "total": [str(before["total"] or 0), str(sum((item.amount for item in lines), Decimal(0)))],
        },
    )
    budget.save(update_fields=["updated_at"])


@transaction.atomic
def budget_replace_supplementary(
    *,
    budget: Budget,
    procurement: Sequence[ProcurementInfo],
    assets: Sequence[AssetInfo],
    assets_as_of: date | None,
) -> None:
    """Make the budget's procurement plan and fixed assets exactly these.

    A procurement item names its source project; a name the budget does not have yet is registered as a
    project of the first unit (without figures), so that the link survives.
    """
    budget = Budget.objects.select_for_update().select_related("department").get(pk=budget.pk)
    if budget.state not in EDITABLE_STATES:
        raise BudgetFiguresError([FigureError(0, frozen_message(budget))])
    budget.procurement_items.all().delete()
    budget.fixed_assets.all().delete()
    projects = {project.name: project for project in budget.projects.all()}
    first_unit = budget.department.units.order_by("position", "id").first()
    for position, item in enumerate(procurement):
        project = None
        if item.project:
            project = projects.get(item.project)
            if project is None:
                project = Project.objects.create(budget=budget, unit=first_unit, name=item.project, position=999)
                projects[item.project] = project
        ProcurementItem.objects.create(
            budget=budget,
            project=project,
            item_name=item.item_name,
            catalogue_number=item.catalogue_number,
            measure_unit=item.measure_unit,
            quantity=item.quantity,
            unit_price=item.unit_price,
            general=item.general,
            govfund=item.govfund,
            statecap=item.statecap,
            special_account=item.special_account,
            position=position,
        )
    FixedAsset.objects.bulk_create(
        FixedAsset(budget=budget, item=asset.item, quantity=asset.quantity, value_yuan=asset.value, position=position)
        for position, asset in enumerate(assets)
    )
    budget.assets_as_of = assets_as_of
    budget.save(update_fields=["assets_as_of", "updated_at"])
