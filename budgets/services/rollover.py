"""新建预算: a department's budget for a new year, empty or started from last year's approved budget.

Last year's budget is read as it was approved (the approved snapshot of its latest approved version), not as a
later draft of an adjustment. Its structure is always copied: the projects (names, units, order), the performance
goals and target tables, the department's duties. Its figures (lines, procurement plan, fixed assets) only when
asked, with the codes remapped onto the new year's catalogue (domain.rollover); figures whose code cannot
be mapped are dropped and reported. Control figures, warning explanations and the disclosure's inputs belong to
the year they were made for and are never copied.

Everything goes through the ledger's own write services (the same checks as every other write) in one transaction:
any refusal leaves nothing behind.
"""

from typing import Any

from django.db import transaction

from accounts.models import User
from budgets.models import Budget, BudgetEvent, BudgetSnapshot, SnapshotKind
from budgets.selectors import catalogue_for_year
from budgets.services.figures import budget_replace_figures
from budgets.services.locking import budget_touch, lock_budget
from budgets.services.supplementary import budget_replace_supplementary
from budgets.services.targets import budget_replace_performance
from catalog.models import EconomicCode, FunctionCode
from departments.models import Department
from domain.classifications import Kind, Source
from domain.errors import BudgetFiguresError
from domain.ledger import Line, LineInput, ProjectInput
from domain.rollover import UnitLine, assign_units, project_names, remap_lines
from domain.snapshot import snapshot_from_json

NOT_COPIED = ("控制数", "警告说明", "情况说明（上年数和部门说明）", "已批复版本和操作记录")


class RolloverError(Exception):
    """The new budget is refused; ``messages`` say why, in Chinese. Nothing was written."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


def catalogue_years() -> list[int]:
    """The years whose catalogue has both 功能分类 项 and 经济分类 款 codes: the years a budget can be made for."""
    functions = set(FunctionCode.objects.filter(level=FunctionCode.LEAF_LEVEL).values_list("year_id", flat=True))
    economics = set(EconomicCode.objects.filter(level=EconomicCode.LEAF_LEVEL).values_list("year_id", flat=True))
    return sorted(functions & economics)


def latest_approved(department: Department, year: int) -> tuple[Budget | None, BudgetSnapshot | None]:
    """The department's budget of ``year`` and the snapshot of its latest approved version (None: none)."""
    budget = Budget.objects.filter(department=department, year_id=year).first()
    if budget is None:
        return None, None
    snapshot = budget.snapshots.filter(kind=SnapshotKind.APPROVED).order_by("-version", "-id").first()
    return budget, snapshot


@transaction.atomic
def budget_start_year(
    *, department: Department, year: int, from_previous: bool, copy_figures: bool, actor: User | None
) -> tuple[Budget, dict[str, Any]]:
    """Create the department's budget of ``year`` (a draft of 一上); returns it and the report kept in its
    "rollover" event. Raises RolloverError (nothing written) when the year has no catalogue, the budget exists, or
    last year has no approved budget to copy."""
    # Two people creating the same budget at once: the second waits here, then finds the first one's budget.
    department = Department.objects.select_for_update().get(pk=department.pk)
    if year not in catalogue_years():
        raise RolloverError([f"{year}年度还没有科目表（支出功能分类和部门经济分类），请先由管理员导入科目表。"])
    if Budget.objects.filter(department=department, year_id=year).exists():
        raise RolloverError([f"{department}的{year}年度预算已经存在，不能重复新建。"])
    copy_figures = copy_figures and from_previous
    previous, snapshot = latest_approved(department, year - 1) if from_previous else (None, None)
    if from_previous and previous is None:
        raise RolloverError([f"{department}没有{year - 1}年度预算，无法复制上年预算；可以选择空白新建。"])
    if from_previous and snapshot is None:
        raise RolloverError([f"{department}的{year - 1}年度预算尚未批复，无法复制上年已批复预算；可以选择空白新建。"])

    # The snapshot keeps no duties: they are last year's budget's current text (they rarely change with an adjustment).
    budget = Budget.objects.create(department=department, year_id=year, duties=previous.duties if previous else "")
    report: dict[str, Any] = {
        "from_previous": from_previous,
        "copy_figures": copy_figures,
        "source": None,
        "copied": {"duties": bool(budget.duties)},
        "mappings": [],
        "dropped": {"lines": 0, "amount": "0.00"},
        "merged": 0,
        "units_guessed": 0,
        "not_copied": list(NOT_COPIED) if from_previous else [],
    }
    if previous is not None and snapshot is not None:  # from_previous: both were checked above
        try:
            _copy(budget, previous, snapshot, copy_figures, actor, report)
        except BudgetFiguresError as refused:
            raise RolloverError([str(error) for error in refused.errors]) from refused
    budget = lock_budget(budget)  # fresh: the writes above moved its revision on
    BudgetEvent.objects.create(budget=budget, actor=actor, action="rollover", data=report)
    budget_touch(budget)
    return budget, report


def _copy(
    budget: Budget,
    previous: Budget,
    snapshot: BudgetSnapshot,
    copy_figures: bool,
    actor: User | None,
    report: dict[str, Any],
) -> None:
    data = snapshot_from_json(snapshot.data)
    report["source"] = {"year": previous.year_id, "version": snapshot.version}
    units = list(budget.department.units.order_by("position", "id").values_list("name", flat=True))
    live = {
        name: (unit, position)
        for name, unit, position in previous.projects.values_list("name", "unit__name", "position")
    }
    names = project_names(data)
    if names and not units:
        raise RolloverError([f"{budget.department}没有任何单位，无法复制项目；请先由管理员登记单位。"])
    default_unit = units[0] if units else ""
    # A project keeps its unit and place when last year's budget still has it; one only the snapshot knows (removed
    # by a later draft) goes to the department's first unit, after the others.
    order = sorted(range(len(names)), key=lambda index: (live.get(names[index], ("", 10_000 + index))[1], index))
    project_units = {name: live[name][0] if name in live else default_unit for name in names}
    projects = [ProjectInput(names[index], project_units[names[index]]) for index in order]
    lines: list[LineInput] = []
    if copy_figures:
        known = [
            UnitLine(unit, Line(function, economic, Kind(kind), Source(source), amount, carried_over, project or ""))
            for unit, function, economic, kind, source, amount, carried_over, project in previous.lines.values_list(
                "unit__name",
                "function__code",
                "economic__code",
                "kind",
                "source",
                "amount",
                "carried_over",
                "project__name",
            )
        ]
        placed, guessed = assign_units(data.lines, known, project_units, default_unit)
        remapped = remap_lines(placed, data.catalogue, catalogue_for_year(budget.year_id))
        lines = [
            LineInput(
                unit=item.unit,
                function=item.line.function,
                economic=item.line.economic,
                kind=item.line.kind,
                source=item.line.source,
                amount=item.line.amount,
                project=item.line.project,
                carried_over=item.line.carried_over,
            )
            for item in remapped.lines
        ]
        report["mappings"] = [mapping.as_json() for mapping in remapped.mappings]
        report["dropped"] = {"lines": len(remapped.dropped), "amount": str(remapped.dropped_amount)}
        report["merged"] = remapped.merged
        report["units_guessed"] = guessed
    if projects or lines:
        budget_replace_figures(budget=budget, projects=projects, lines=lines, actor=actor)
    performance = data.performance
    if performance.targets or performance.goals.overall or performance.goals.sub_goals or performance.goals.measures:
        budget_replace_performance(budget=budget, performance=performance, actor=actor)
    procurement = data.procurement if copy_figures else ()
    assets = data.assets if copy_figures else ()
    if procurement or assets:
        # 截止时间 left empty: the new year's table is as of 31 December of the year just closed.
        budget_replace_supplementary(
            budget=budget, procurement=procurement, assets=assets, assets_as_of=None, actor=actor
        )
    report["copied"].update(
        {
            "projects": len(projects),
            "lines": len(lines),
            "goals": bool(performance.goals.overall or performance.goals.sub_goals or performance.goals.measures),
            "targets": len(performance.targets),
            "procurement": len(procurement),
            "assets": len(assets),
        }
    )
