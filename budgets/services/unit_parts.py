"""A unit's part of a budget moving through its states (domain.unit_parts): atomic, row-locked, in the trail."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from budgets.access import PART_STEP_REFUSED, UNIT_EDIT_REFUSED, may_edit_unit, may_take_part_step, require
from budgets.models import Budget, BudgetEvent, UnitPart
from budgets.selectors import budget_assets, budget_lines, budget_procurement
from budgets.services.figures import budget_replace_figures
from budgets.services.locking import lock_budget
from budgets.services.supplementary import budget_replace_supplementary
from departments.models import Unit
from domain.errors import BudgetFiguresError, FigureError
from domain.ledger import AssetInfo, LineInput, ProcurementInfo, projects_for
from domain.unit_budget import unit_projects, with_unit_assets, with_unit_items
from domain.unit_parts import PART_STEPS, PartState

# A unit's procurement item is one of its projects' (an item of no project is the department's own).
UNIT_PROJECT_ONLY = (
    "请从本单位的项目中选择政府采购项目来源（本单位预算数字中的项目）：不属于本单位项目的采购由部门填报。"
)
UNIT_ASSETS_ONLY = "单位只能填报本单位的固定资产：不能改动部门或其他单位的固定资产。"


class PartStepRefused(Exception):
    """Nothing changed; the message says why, in Chinese."""


@transaction.atomic
def part_step(
    *, budget: Budget, unit: Unit, action: str, user: User, comment: str = "", expected_revision: int | None = None
) -> UnitPart:
    """报送部门, 审核通过 or 退回单位 for ``unit``'s part of the budget, or raise PartStepRefused/PermissionDenied."""
    step = PART_STEPS.get(action)
    if step is None:
        raise PartStepRefused(f"没有“{action}”这项操作。")
    try:
        budget = lock_budget(budget, expected_revision)
    except BudgetFiguresError as refused:
        raise PartStepRefused("；".join(str(error) for error in refused.errors)) from refused
    require(may_take_part_step(user, budget, unit, step), PART_STEP_REFUSED.format(action=step.label))
    part, _ = UnitPart.objects.select_for_update().get_or_create(budget=budget, unit=unit)
    if part.state not in step.sources:
        raise PartStepRefused(f"单位预算当前为“{PartState(part.state).label}”，不能{step.label}。")
    if step.needs_comment and not comment.strip():
        raise PartStepRefused(f"{step.label}必须填写意见。")
    previous = part.state
    part.state, part.state_since = step.target, timezone.now()
    part.save(update_fields=["state", "state_since"])
    BudgetEvent.objects.create(
        budget=budget,
        actor=user,
        action=f"unit_{action}",
        comment=comment.strip(),
        data={"unit": unit.name, "changes": [[f"单位预算｜{unit.name}", PartState(previous).label, step.target.label]]},
    )
    return part


UNIT_LINES_ONLY = "单位填报人只能填写本单位的数字。"


@transaction.atomic
def unit_replace_figures(
    *,
    budget: Budget,
    unit: Unit,
    lines: Sequence[LineInput],
    actor: User,
    expected_revision: int | None = None,
) -> None:
    """Make ``unit``'s lines exactly these, every other unit's as stored: the unit's accountant's save, refused
    (nothing written) for a line of another unit or a part not his to change (已报部门, 部门已审)."""
    budget = lock_budget(budget, expected_revision)
    part = UnitPart.objects.select_for_update().filter(budget=budget, unit=unit).first()
    require(may_edit_unit(actor, budget, unit, part.state if part else PartState.DRAFT), UNIT_EDIT_REFUSED)
    foreign = [FigureError(row, UNIT_LINES_ONLY, "unit") for row, line in enumerate(lines, 1) if line.unit != unit.name]
    if foreign:
        raise BudgetFiguresError(foreign)
    others = [LineInput.of(line) for line in budget_lines(budget) if line.unit != unit.name]
    stored = dict(budget.projects.order_by("position", "id").values_list("name", "unit__name"))
    every = [*lines, *others]  # the unit's first: an error names the row of the page
    budget_replace_figures(budget=budget, projects=projects_for(every, stored), lines=every, actor=actor)


@transaction.atomic
def unit_replace_supplementary(
    *,
    budget: Budget,
    unit: Unit,
    procurement: Sequence[ProcurementInfo],
    assets: Sequence[AssetInfo],
    actor: User,
    expected_revision: int | None = None,
) -> None:
    """Make the procurement items of ``unit``'s projects and the fixed assets it holds exactly these, every other
    item and asset as stored (and in its place): refused (nothing written) for an item of no project or of another
    unit's, an asset of another unit, or a part not the actor's to change."""
    budget = lock_budget(budget, expected_revision)
    part = UnitPart.objects.select_for_update().filter(budget=budget, unit=unit).first()
    require(may_edit_unit(actor, budget, unit, part.state if part else PartState.DRAFT), UNIT_EDIT_REFUSED)
    own = unit_projects(budget_lines(budget), unit.name)
    foreign = [
        FigureError(row, UNIT_PROJECT_ONLY, "project")
        for row, item in enumerate(procurement, 1)
        if item.project not in own
    ]
    foreign += [FigureError(row, UNIT_ASSETS_ONLY, "unit") for row, a in enumerate(assets, 1) if a.unit != unit.name]
    if foreign:
        raise BudgetFiguresError(foreign)
    budget_replace_supplementary(
        budget=budget,
        procurement=with_unit_items(budget_procurement(budget), own, procurement),
        assets=with_unit_assets(budget_assets(budget), unit.name, assets),
        assets_as_of=budget.assets_as_of,
        actor=actor,
    )
