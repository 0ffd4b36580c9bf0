"""部门政府采购预算 and 部门固定资产占用情况表: the budget's procurement plan and fixed assets."""

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from accounts.models import User
from budgets.models import Budget, BudgetEvent, FixedAsset, ProcurementItem, Project
from budgets.selectors import budget_assets, budget_procurement
from budgets.services.locking import budget_touch, lock_budget
from domain.differences import supplementary_changes
from domain.errors import BudgetFiguresError, FigureError
from domain.ledger import AssetInfo, ProcurementInfo

MAX_RECORDED_CHANGES = 2000
# A procurement item may name a project the budget lacks (an imported table does): it is registered for the first unit.
NO_UNIT_FOR_PROJECT = "部门还没有单位，不能登记项目“{project}”：请先在“单位”页登记单位。"
NO_SUCH_UNIT = "本部门没有单位“{unit}”：请从本部门的单位中选择，或留空（由部门填报）。"


@transaction.atomic
def budget_replace_supplementary(
    *,
    budget: Budget,
    procurement: Sequence[ProcurementInfo],
    assets: Sequence[AssetInfo],
    assets_as_of: date | None,
    actor: User | None = None,
    expected_revision: int | None = None,
) -> None:
    """Make the budget's procurement plan and fixed assets exactly these.

    A procurement item names its source project; a name the budget does not have yet is registered as a
    project of the first unit (without figures), so that the link survives.
    """
    budget = lock_budget(budget, expected_revision)
    before = (budget_procurement(budget), budget_assets(budget), budget.assets_as_of)
    changes = supplementary_changes(before, (procurement, assets, assets_as_of))
    if not changes:
        return
    units = dict(budget.department.units.values_list("name", "pk"))
    unknown = [
        FigureError(row, NO_SUCH_UNIT.format(unit=asset.unit), "unit")
        for row, asset in enumerate(assets, 1)
        if asset.unit and asset.unit not in units
    ]
    if unknown:
        raise BudgetFiguresError(unknown)
    budget.procurement_items.all().delete()
    budget.fixed_assets.all().delete()
    projects = {project.name: project for project in budget.projects.all()}
    first_unit = budget.department.units.order_by("position", "id").first()
    items = []
    for position, item in enumerate(procurement):
        project = None
        if item.project:
            project = projects.get(item.project)
            if project is None:
                if first_unit is None:
                    raise BudgetFiguresError(
                        [FigureError(position + 1, NO_UNIT_FOR_PROJECT.format(project=item.project), "project")]
                    )
                project = Project.objects.create(budget=budget, unit=first_unit, name=item.project, position=999)
                projects[item.project] = project
        items.append(
            ProcurementItem(
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
        )
    ProcurementItem.objects.bulk_create(items)
    FixedAsset.objects.bulk_create(
        FixedAsset(
            budget=budget,
            unit_id=units.get(asset.unit),
            item=asset.item,
            quantity=asset.quantity,
            value_yuan=asset.value,
            position=position,
        )
        for position, asset in enumerate(assets)
    )
    budget.assets_as_of = assets_as_of
    budget.save(update_fields=["assets_as_of", "updated_at"])
    BudgetEvent.objects.create(
        budget=budget,
        actor=actor,
        action="supplementary",
        data={
            "procurement": [len(before[0]), len(procurement)],
            "assets": [len(before[1]), len(assets)],
            "changed": len(changes),
            "changes": changes[:MAX_RECORDED_CHANGES],
        },
    )
    budget_touch(budget)
